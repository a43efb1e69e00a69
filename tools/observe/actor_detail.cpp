// actor_detail.cpp: see actor_detail.hpp.
#include "tools/observe/actor_detail.hpp"

#include <nlohmann/json.hpp>

#include "tools/observe/snapshot.hpp"

namespace weft::tools::observe {

using nlohmann::json;

std::optional<pid> find_pid(runtime& rt, std::string_view text) {
    for (const pid& p : rt.processes())
        if (pid_text(rt, p) == text) return p;
    return std::nullopt;
}

namespace {
json pid_with_name(runtime& rt, const pid& p) {
    std::optional<process_info> info = rt.info(p);
    return json{{"pid", pid_text(rt, p)}, {"name", info && info->name ? json(*info->name) : json(nullptr)}};
}
}  // namespace

std::string actor_detail_json(runtime& rt, pid p, const peeked_messages& peeked) {
    std::optional<process_info> info = rt.info(p);
    if (!info || peeked.ended) return json{{"pid", pid_text(rt, p)}, {"alive", false}}.dump();
    json links = json::array(), monitors = json::array();
    for (const pid& l : info->links) links.push_back(pid_with_name(rt, l));
    for (const pid& m : info->monitors) monitors.push_back(pid_with_name(rt, m));
    json out{
        {"pid", pid_text(rt, p)},
        {"alive", true},
        {"name", info->name ? json(*info->name) : json(nullptr)},
        {"initial_call", info->initial_call},
        {"current_line", info->current_line},
        {"status", run_state_name(info->status)},
        {"queue_len", info->queue_len},
        {"heap_bytes", info->heap_bytes},
        {"reductions", info->reductions},
        {"links", std::move(links)},
        {"monitors", std::move(monitors)},
        {"messages", peeked.reprs},
        {"messages_queued", peeked.queue_len},
    };
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace weft::tools::observe
