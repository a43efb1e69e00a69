// trace_mermaid.cpp: a trace as Mermaid's sequenceDiagram text: one
// participant per actor, a `->>` arrow per message, notes for the rest.
#include "tools/trace/trace_diagram.hpp"
#include "tools/trace/trace_render.hpp"

namespace weft::tools {

namespace {

// Mermaid reads `;` and `#` as syntax and `<`/`>` as markup inside labels;
// its entity codes keep them as text.
std::string mermaid_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<': out += "#lt;"; break;
        case '>': out += "#gt;"; break;
        case ';': out += "#59;"; break;
        case '#': out += "#35;"; break;
        case '\n': case '\r': out += ' '; break;
        default: out += c;
        }
    }
    return out;
}

std::string name_of(std::size_t k) { return "A" + std::to_string(k); }

}  // namespace

std::string render_mermaid(const trace_result& trace, node_numbers& numbers) {
    diagram d = make_diagram(trace, numbers);
    std::string out = "sequenceDiagram\n";
    for (std::size_t k = 0; k < d.participants.size(); ++k)
        out += "    participant " + name_of(k) + " as " + mermaid_text(d.participants[k].label()) + "\n";
    // Messages and marks interleaved by row: a message at its first row.
    std::size_t m = 0, n = 0;
    while (m < d.messages.size() || n < d.marks.size()) {
        bool message_next =
            n == d.marks.size() || (m < d.messages.size() && d.messages[m].first_row() < d.marks[n].row);
        if (message_next) {
            const diagram_message& msg = d.messages[m++];
            std::string arrow = msg.timer ? "-->>" : "->>";
            std::string text = msg.timer ? "after: " + msg.text : msg.text;
            out += "    " + name_of(msg.from) + arrow + name_of(msg.to) + ": " + mermaid_text(text) + "\n";
        } else {
            const diagram_mark& mark = d.marks[n++];
            out += "    Note over " + name_of(mark.at) + ": " + mermaid_text(mark.text) + "\n";
        }
    }
    return out;
}

}  // namespace weft::tools
