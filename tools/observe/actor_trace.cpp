// actor_trace.cpp: see actor_trace.hpp.
#include "tools/observe/actor_trace.hpp"

#include <asio/bind_executor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "actors/trace.hpp"
#include "tools/observe/actor_detail.hpp"
#include "tools/trace/trace_render.hpp"

namespace weft::tools::observe {

using nlohmann::json;

namespace {

// How often the tracer is asked whether the trace is full: often enough
// that a full trace is answered soon, seldom enough to cost nothing.
constexpr std::chrono::milliseconds poll_every{50};

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A positive integer field of the request, or what is wrong with it.
std::variant<std::int64_t, std::string> positive(const json& request, const char* key, std::int64_t otherwise) {
    auto it = request.find(key);
    if (it == request.end()) return otherwise;
    if (!it->is_number_integer() || it->get<std::int64_t>() < 1)
        return std::string("trace request: ") + key + " must be a positive integer, not " + dump(*it);
    return it->get<std::int64_t>();
}

// One trace being collected: polled on the connection's strand, stopped
// and drawn on the sampling thread, answered on the strand.
struct collection : std::enable_shared_from_this<collection> {
    collection(runtime& r, const io_strand& s, asio::thread_pool& d, std::string p, std::uint64_t n,
               std::chrono::steady_clock::time_point end, std::function<void(std::string)> f)
        : rt(r), strand(s), draw_on(d), pid(std::move(p)), number(n), until(end), timer(s), done(std::move(f)) {}

    runtime& rt;
    io_strand strand;
    asio::thread_pool& draw_on;
    std::string pid;
    std::uint64_t number;  // the tracer's number for our trace
    std::chrono::steady_clock::time_point until;
    asio::steady_timer timer;
    std::function<void(std::string)> done;

    void wait() {
        timer.expires_after(poll_every);
        timer.async_wait(asio::bind_executor(strand, [self = shared_from_this()](asio::error_code ec) {
            if (ec) {  // the io service is stopping: never leave our trace on
                (void)self->rt.trace().stop_if_current(self->number);
                return;
            }
            self->check();
        }));
    }

    void check() {
        if (rt.trace().collecting(number) && std::chrono::steady_clock::now() < until) return wait();
        asio::post(draw_on, [self = shared_from_this()] { self->finish(); });
    }

    void finish() {
        std::string reply;
        try {
            std::optional<trace_result> r = rt.trace().stop_if_current(number);
            if (!r) {
                reply = trace_error_reply(pid, "the program's own trace.start() or trace.stop() ended this trace "
                                               "before it was collected");
            } else {
                json answer{{"pid", pid},
                            {"events", r->events.size()},
                            {"dropped", r->dropped_by_bound + r->dropped_by_rate},
                            {"svg", render_svg(*r, rt.numbers())}};
                reply = dump(json{{"trace", std::move(answer)}});
            }
        } catch (const std::exception& e) {  // out of memory drawing a large trace
            reply = trace_error_reply(pid, std::string("drawing the trace failed: ") + e.what());
        }
        asio::post(strand, [self = shared_from_this(), reply = std::move(reply)]() mutable {
            self->done(std::move(reply));
        });
    }
};

}  // namespace

std::optional<std::variant<trace_request, std::string>> parse_trace_request(std::string_view text) {
    json request = json::parse(text, nullptr, false);
    if (request.is_discarded() || !request.is_object() || !request.contains("trace")) return std::nullopt;
    const json& who = request["trace"];
    if (!who.is_string()) return std::string("trace request: \"trace\" must be a pid as text, not " + dump(who));
    trace_request out;
    out.pid = who.get<std::string>();
    auto events = positive(request, "max_events", std::int64_t(out.max_events));
    if (auto* why = std::get_if<std::string>(&events)) return *why;
    auto window = positive(request, "window_ms", out.window.count());
    if (auto* why = std::get_if<std::string>(&window)) return *why;
    out.max_events = std::min(std::size_t(std::get<std::int64_t>(events)), trace_max_events_limit);
    out.window = std::min(std::chrono::milliseconds(std::get<std::int64_t>(window)), trace_window_limit);
    return out;
}

std::string trace_error_reply(std::string_view pid, std::string_view why) {
    return dump(json{{"trace", {{"pid", pid}, {"error", why}}}});
}

void collect_actor_trace(runtime& rt, const io_strand& strand, asio::thread_pool& draw_on, const trace_request& req,
                         std::function<void(std::string)> done) {
    auto answer_now = [&](std::string reply) {
        asio::post(strand, [done = std::move(done), reply = std::move(reply)]() mutable { done(std::move(reply)); });
    };
    std::optional<pid> who = find_pid(rt, req.pid);
    if (!who) return answer_now(trace_error_reply(req.pid, "no live actor " + req.pid + " on this node"));
    trace_options o;
    o.pids = {*who};
    o.max_events = req.max_events;
    std::uint64_t number = rt.trace().start_if_idle(std::move(o));
    if (number == 0)
        return answer_now(trace_error_reply(
            req.pid, "a trace is already running on this node (the program's own trace.start(), or weft trace); "
                     "the observer leaves it alone: try again once it is stopped"));
    auto c = std::make_shared<collection>(rt, strand, draw_on, req.pid, number,
                                          std::chrono::steady_clock::now() + req.window, std::move(done));
    c->wait();
}

}  // namespace weft::tools::observe
