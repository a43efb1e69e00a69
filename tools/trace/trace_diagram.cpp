// trace_diagram.cpp: see trace_diagram.hpp.
#include "tools/trace/trace_diagram.hpp"

#include <map>
#include <tuple>

namespace weft::tools {

namespace {

using key = std::tuple<std::uint32_t, std::uint32_t, std::uint64_t, std::uint64_t>;  // pid, clock
key key_of(pid p, std::uint64_t clock) { return {p.node, p.creation, p.serial, clock}; }

class builder {
public:
    builder(diagram& d, node_numbers& numbers) : d_(d), numbers_(numbers) {}

    std::size_t participant(pid p) {
        auto it = index_.find(key_of(p, 0));
        if (it != index_.end()) return it->second;
        diagram_participant part;
        part.p = p;
        part.pid_text = p ? numbers_.text(p) : "outside";
        d_.participants.push_back(std::move(part));
        index_.emplace(key_of(p, 0), d_.participants.size() - 1);
        return d_.participants.size() - 1;
    }

private:
    diagram& d_;
    node_numbers& numbers_;
    std::map<key, std::size_t> index_;
};

std::string mark_text(const trace_event& e, const std::string& other) {
    switch (e.kind) {
    case trace_kind::spawn: return "spawn " + other + (e.text.empty() ? "" : " " + e.text);
    case trace_kind::link: return "link " + other;
    case trace_kind::monitor: return "monitor " + other;
    case trace_kind::exit: return "exit " + e.text;
    case trace_kind::down: return "DOWN " + other + " " + e.text;
    case trace_kind::exit_signal: return "EXIT " + other + " " + e.text;
    default: return e.text;
    }
}

}  // namespace

diagram make_diagram(const trace_result& trace, node_numbers& numbers) {
    diagram d;
    builder b(d, numbers);
    // Functions first, so that a participant is labelled wherever it appears.
    std::map<key, std::string> functions;
    for (const trace_event& e : trace.events)
        if (e.kind == trace_kind::spawn && !e.text.empty()) functions[key_of(e.other, 0)] = e.text;

    std::map<key, std::size_t> sends, timers;  // (sender, clock) and (receiver, stamp) -> message
    d.rows = trace.events.size();
    for (std::size_t row = 0; row < trace.events.size(); ++row) {
        const trace_event& e = trace.events[row];
        std::size_t at = b.participant(e.actor);
        switch (e.kind) {
        case trace_kind::send: {
            diagram_message m{.from = at, .to = b.participant(e.other), .sent = row, .received = std::nullopt,
                              .text = e.text, .timer = false};
            sends[key_of(e.actor, e.msg_clock)] = d.messages.size();
            d.messages.push_back(std::move(m));
            break;
        }
        case trace_kind::timer: {
            // Drawn from the actor that set it, at the firing.
            diagram_message m{.from = b.participant(e.other), .to = at, .sent = row, .received = std::nullopt,
                              .text = e.text, .timer = true};
            timers[key_of(e.actor, e.msg_clock)] = d.messages.size();
            d.messages.push_back(std::move(m));
            break;
        }
        case trace_kind::receive: {
            auto& pairs = e.other ? sends : timers;
            auto it = pairs.find(e.other ? key_of(e.other, e.msg_clock) : key_of(e.actor, e.msg_clock));
            if (it != pairs.end() && !d.messages[it->second].received) {
                d.messages[it->second].received = row;
            } else {  // its send was not traced
                d.messages.push_back({.from = b.participant(e.other), .to = at, .sent = std::nullopt,
                                      .received = row, .text = e.text, .timer = false});
            }
            break;
        }
        default: {
            diagram_mark mark{.row = row, .at = at, .to = std::nullopt, .kind = e.kind, .text = {}};
            std::string other;
            if (e.other) {
                std::size_t o = b.participant(e.other);
                if (e.kind == trace_kind::spawn || e.kind == trace_kind::link || e.kind == trace_kind::monitor)
                    mark.to = o;
                other = d.participants[o].pid_text;
            }
            mark.text = mark_text(e, other);
            d.marks.push_back(std::move(mark));
            break;
        }
        }
    }
    for (diagram_participant& part : d.participants) {
        auto it = functions.find(key_of(part.p, 0));
        if (it != functions.end()) part.function = it->second;
    }
    std::stable_sort(d.messages.begin(), d.messages.end(),
                     [](const diagram_message& x, const diagram_message& y) { return x.first_row() < y.first_row(); });
    return d;
}

}  // namespace weft::tools
