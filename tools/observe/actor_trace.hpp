// actor_trace.hpp: the web observer's "trace" button: the next events of one
// actor, drawn as tools/trace's SVG sequence diagram.
//
// The page asks over its WebSocket with a text message
//   {"trace": "<0.5.0>", "max_events": 50, "window_ms": 3000}
// and gets back one text message
//   {"trace": {"pid": "<0.5.0>", "events": 12, "dropped": 0, "svg": "<svg ..."}}
// or {"trace": {"pid": "<0.5.0>", "error": "why"}}. The server starts the
// runtime's tracer for that actor, only when no other trace is running or
// waiting to be stopped (a program's own `import trace`, or `weft trace`,
// keeps its trace: the answer then says so); it collects until max_events
// are kept or the window has passed, then stops the trace and draws it.
//
// It must never block the io thread (it polls the tracer on a timer, and
// stops and draws on the observer's sampling thread), never stop a trace
// it did not start, and never leave its own trace running.
#pragma once
#include <asio/io_context.hpp>
#include <asio/strand.hpp>
#include <asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "actors/runtime.hpp"

namespace weft::tools::observe {

struct trace_request {
    std::string pid;  // as the sample's table prints it, "<0.5.0>"
    std::size_t max_events = 50;
    std::chrono::milliseconds window{3000};
};

// The bounds a request is held to (a larger ask is lowered to them).
inline constexpr std::size_t trace_max_events_limit = 1000;
inline constexpr std::chrono::milliseconds trace_window_limit{30'000};

// A WebSocket text message from the page: nullopt when it is no trace
// request (the caller ignores it), else the request or what is wrong with it.
std::optional<std::variant<trace_request, std::string>> parse_trace_request(std::string_view text);

// The error answer for `pid`.
std::string trace_error_reply(std::string_view pid, std::string_view why);

using io_strand = asio::strand<asio::io_context::executor_type>;

// Starts collecting `req`'s trace; `done` gets the answer's JSON on
// `strand` (an error answer at once when the actor is not alive or another
// trace is running). `draw_on` runs the stop and the drawing.
void collect_actor_trace(runtime& rt, const io_strand& strand, asio::thread_pool& draw_on, const trace_request& req,
                         std::function<void(std::string)> done);

}  // namespace weft::tools::observe
