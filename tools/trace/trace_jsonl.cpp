// trace_jsonl.cpp: a trace as JSON lines, one event per line, for other tools.
#include <nlohmann/json.hpp>

#include "tools/trace/trace_diagram.hpp"
#include "tools/trace/trace_render.hpp"

namespace weft::tools {

std::string render_jsonl(const trace_result& trace, node_numbers& numbers) {
    diagram d = make_diagram(trace, numbers);  // for the actors' initial functions
    auto function_of = [&d](pid p) -> std::string {
        for (const diagram_participant& part : d.participants)
            if (part.p == p) return part.function;
        return {};
    };
    std::string out;
    for (const trace_event& e : trace.events) {
        nlohmann::json line;
        line["kind"] = std::string(trace_kind_name(e.kind));
        line["clock"] = e.clock;
        line["actor"] = e.actor ? nlohmann::json(numbers.text(e.actor)) : nlohmann::json(nullptr);
        if (std::string f = function_of(e.actor); !f.empty()) line["function"] = f;
        line["other"] = e.other ? nlohmann::json(numbers.text(e.other)) : nlohmann::json(nullptr);
        if (e.kind == trace_kind::receive || e.kind == trace_kind::down || e.kind == trace_kind::exit_signal ||
            e.kind == trace_kind::timer)
            line["msg_clock"] = e.msg_clock;
        if (e.kind == trace_kind::receive) line["skipped"] = e.skipped;
        line["text"] = e.text;
        // Replace invalid UTF-8 rather than throw: a repr cut short stays readable.
        out += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += '\n';
    }
    if (trace.dropped_by_bound || trace.dropped_by_rate) {
        nlohmann::json tail;
        tail["kind"] = "dropped";
        tail["by_bound"] = trace.dropped_by_bound;
        tail["by_rate"] = trace.dropped_by_rate;
        out += tail.dump() + "\n";
    }
    return out;
}

}  // namespace weft::tools
