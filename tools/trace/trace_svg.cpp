// trace_svg.cpp: a trace as an SVG sequence diagram, drawn here (no
// external renderer): one lifeline per actor, labelled with its pid and
// initial function; one arrow per message with its short repr, from the
// row of its send to the row of its receive; spawns, exits, DOWNs and the
// other events as marks; time (causal order) flowing down. Every text is
// escaped, so the file is well-formed XML whatever the messages hold.
#include <sstream>

#include "tools/trace/trace_diagram.hpp"
#include "tools/trace/trace_render.hpp"

namespace weft::tools {

std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // XML 1.0 allows no control characters but tab, newline and return.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
            else out += c;
        }
    }
    return out;
}

namespace {

constexpr int column_width = 190;
constexpr int left = 20;
constexpr int header_top = 10;
constexpr int header_height = 40;
constexpr int first_row_y = 80;
constexpr int row_height = 26;

int x_of(std::size_t participant) { return left + int(participant) * column_width + column_width / 2; }
int y_of(std::size_t row) { return first_row_y + int(row) * row_height; }

const char* mark_class(trace_kind k) {
    switch (k) {
    case trace_kind::spawn: return "spawn";
    case trace_kind::exit: return "exit";
    case trace_kind::down: return "down";
    case trace_kind::exit_signal: return "exit-signal";
    case trace_kind::link: return "link";
    case trace_kind::monitor: return "monitor";
    default: return "event";
    }
}

}  // namespace

std::string render_svg(const trace_result& trace, node_numbers& numbers) {
    diagram d = make_diagram(trace, numbers);
    int width = left * 2 + int(std::max<std::size_t>(d.participants.size(), 1)) * column_width;
    int height = y_of(d.rows) + 30;
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"monospace\" font-size=\"11\">\n"
        << "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
           "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/>"
           "</marker></defs>\n"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    if (trace.dropped_by_bound || trace.dropped_by_rate)
        out << "<text x=\"" << left << "\" y=\"" << height - 8 << "\" fill=\"#a00\">" << trace.dropped_by_bound
            << " events past the bound and " << trace.dropped_by_rate << " past the rate limit were dropped</text>\n";
    for (std::size_t k = 0; k < d.participants.size(); ++k) {
        const diagram_participant& p = d.participants[k];
        int x = x_of(k);
        out << "<g class=\"participant\">"
            << "<rect x=\"" << x - column_width / 2 + 8 << "\" y=\"" << header_top << "\" width=\""
            << column_width - 16 << "\" height=\"" << header_height
            << "\" rx=\"4\" fill=\"#eef3fb\" stroke=\"#4a6da7\"/>"
            << "<text x=\"" << x << "\" y=\"" << header_top + 16 << "\" text-anchor=\"middle\">"
            << xml_escaped(p.pid_text) << "</text>";
        if (!p.function.empty())
            out << "<text x=\"" << x << "\" y=\"" << header_top + 32
                << "\" text-anchor=\"middle\" font-weight=\"bold\">"
                << xml_escaped(p.function) << "</text>";
        out << "</g>\n";
        out << "<line class=\"lifeline\" data-actor=\"" << xml_escaped(p.pid_text) << "\" x1=\"" << x << "\" y1=\""
            << header_top + header_height << "\" x2=\"" << x << "\" y2=\"" << height - 20
            << "\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n";
    }
    for (const diagram_message& m : d.messages) {
        int x1 = x_of(m.from), x2 = x_of(m.to);
        int y1 = y_of(m.first_row()), y2 = y_of(m.last_row());
        std::string text = xml_escaped(m.timer ? "after: " + m.text : m.text);
        out << "<g class=\"message" << (m.timer ? " timer" : "") << "\">";
        if (m.from == m.to) {  // to itself: a loop out to the right
            out << "<path d=\"M " << x1 << ' ' << y1 << " h 30 V " << std::max(y2, y1 + 10) << " H " << x1
                << "\" fill=\"none\" stroke=\"#333\" marker-end=\"url(#arrow)\"/>"
                << "<text x=\"" << x1 + 34 << "\" y=\"" << y1 + 4 << "\">" << text << "</text>";
        } else {
            out << "<line x1=\"" << x1 << "\" y1=\"" << y1 << "\" x2=\"" << x2 << "\" y2=\"" << y2
                << "\" stroke=\"#333\"" << (m.timer ? " stroke-dasharray=\"5 3\"" : "")
                << (m.sent && m.received ? "" : " stroke-opacity=\"0.5\"") << " marker-end=\"url(#arrow)\"/>"
                << "<text x=\"" << (x1 + x2) / 2 << "\" y=\"" << (y1 + y2) / 2 - 4 << "\" text-anchor=\"middle\">"
                << text << "</text>";
        }
        out << "</g>\n";
    }
    for (const diagram_mark& mark : d.marks) {
        int x = x_of(mark.at), y = y_of(mark.row);
        out << "<g class=\"mark " << mark_class(mark.kind) << "\">";
        switch (mark.kind) {
        case trace_kind::exit:
            out << "<path d=\"M " << x - 6 << ' ' << y - 6 << " l 12 12 M " << x + 6 << ' ' << y - 6
                << " l -12 12\" stroke=\"#c00\" stroke-width=\"2\"/>";
            break;
        case trace_kind::down:
        case trace_kind::exit_signal:
            out << "<path d=\"M " << x << ' ' << y - 7 << " l 7 7 l -7 7 l -7 -7 z\" fill=\"#e94\"/>";
            break;
        default:
            if (mark.to)
                out << "<line x1=\"" << x << "\" y1=\"" << y << "\" x2=\"" << x_of(*mark.to) << "\" y2=\"" << y
                    << "\" stroke=\"#4a6da7\" stroke-dasharray=\"2 2\"/>";
            out << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"5\" fill=\"#4a6da7\"/>";
        }
        out << "<text x=\"" << x + 10 << "\" y=\"" << y - 6 << "\" fill=\"#555\">" << xml_escaped(mark.text)
            << "</text></g>\n";
    }
    out << "</svg>\n";
    return out.str();
}

}  // namespace weft::tools
