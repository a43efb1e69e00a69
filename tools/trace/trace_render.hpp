// trace_render.hpp: a trace as text for people and tools: JSON lines (one
// event per line), Mermaid's sequenceDiagram, and an SVG sequence diagram
// drawn by our own code (one lifeline per actor, one arrow per message).
//
// Pure functions of the trace; they never write files (trace_command.cpp does).
#pragma once
#include <string>
#include <string_view>

#include "actors/trace.hpp"
#include "serialize/node_numbers.hpp"

namespace weft::tools {

std::string render_jsonl(const trace_result& trace, node_numbers& numbers);
std::string render_mermaid(const trace_result& trace, node_numbers& numbers);
std::string render_svg(const trace_result& trace, node_numbers& numbers);

// Text made safe inside XML character data and attribute values.
std::string xml_escaped(std::string_view text);

}  // namespace weft::tools
