// trace_diagram.hpp: a trace (actors/trace.hpp) laid out for drawing: the
// actors as participants, the messages paired from their sends and receives,
// and the other events as marks, all in the trace's causal order.
//
// The renderers (trace_render.hpp) draw from this model, so that the SVG and
// the Mermaid text show the same participants and the same arrows. It never
// runs anything: a pure function of the events.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "actors/trace.hpp"
#include "serialize/node_numbers.hpp"

namespace weft::tools {

struct diagram_participant {
    pid p{};            // none: sends from outside any actor
    std::string pid_text;   // "<0.5.0>", or "outside"
    std::string function;   // its initial function, when the trace saw its spawn
    std::string label() const { return function.empty() ? pid_text : pid_text + " " + function; }
};

// One traced message: drawn from `from` at row `sent` to `to` at row
// `received`; one of the two rows may be missing (its side was not traced,
// or the message was never taken).
struct diagram_message {
    std::size_t from = 0, to = 0;  // participant indices
    std::optional<std::size_t> sent, received;  // row indices
    std::string text;
    bool timer = false;  // a send_after's message: from the actor that set it
    std::size_t first_row() const { return sent ? *sent : *received; }
    std::size_t last_row() const { return received ? *received : *sent; }
};

// Every other event, at its row: a spawn, link, monitor, exit, DOWN or EXIT.
struct diagram_mark {
    std::size_t row = 0;
    std::size_t at = 0;             // the participant it belongs to
    std::optional<std::size_t> to;  // spawn, link, monitor: the other participant
    trace_kind kind = trace_kind::spawn;
    std::string text;               // what the mark says ("spawn main", "exit 'normal'", ...)
};

struct diagram {
    std::vector<diagram_participant> participants;  // in order of first appearance
    std::vector<diagram_message> messages;          // in order of first row
    std::vector<diagram_mark> marks;                // in row order
    std::size_t rows = 0;                           // one per event
};

diagram make_diagram(const trace_result& trace, node_numbers& numbers);

}  // namespace weft::tools
