// snapshot_json.cpp: a sample (snapshot.hpp) as JSON and back, with
// nlohmann::json (Debian's nlohmann-json3-dev: Debian's Boost 1.74 predates
// Boost.JSON, and simdjson only parses). The field names are the ones
// docs/observer.md lists; a reader ignores fields it does not know, so the
// form can grow. It must never throw on a bad text: that is `nullopt`.
#include <nlohmann/json.hpp>

#include "tools/observe/snapshot.hpp"

namespace weft::tools::observe {

using nlohmann::json;

namespace {

run_state state_named(const std::string& s) {
    if (s == "running") return run_state::running;
    if (s == "waiting") return run_state::waiting;
    return run_state::runnable;
}

json row_json(const actor_row& r) {
    return json{
        {"pid", r.pid_text},
        {"name", r.name ? json(*r.name) : json(nullptr)},
        {"initial_call", r.initial_call},
        {"current_line", r.current_line},
        {"status", run_state_name(r.status)},
        {"queue_len", r.queue_len},
        {"heap_bytes", r.heap_bytes},
        {"reductions", r.reductions},
        {"reductions_delta", r.reductions_delta},
        {"links", r.links},
        {"monitors", r.monitors},
    };
}

}  // namespace

std::string to_json(const sample& s) {
    const runtime_stats& st = s.stats;
    json workers = json::array();
    for (std::size_t k = 0; k < st.workers.size(); ++k) {
        const worker_figures& w = st.workers[k];
        double util = k < s.workers.size() ? s.workers[k].utilization : 0.0;
        workers.push_back(json{{"utilization", util},
                               {"run_queue", w.run_queue},
                               {"busy_ns", w.busy_ns},
                               {"idle_ns", w.idle_ns},
                               {"turns", w.turns},
                               {"sent", w.sent},
                               {"delivered", w.delivered},
                               {"reductions", w.reductions}});
    }
    json peers = json::array();
    for (const peer_figures& p : st.peers)
        peers.push_back(json{{"name", p.name},
                             {"up", p.up},
                             {"bytes_in", p.bytes_in},
                             {"bytes_out", p.bytes_out},
                             {"queued_bytes", p.queued_bytes}});
    json actors = json::array();
    for (const actor_row& r : s.actors) actors.push_back(row_json(r));
    json out{
        {"node", st.node_name},
        {"at_ns", st.at_ns},
        {"interval_s", s.interval_s},
        {"actors", st.actors},
        {"actor_count", s.actor_count},
        {"memory", json{{"heap_bytes", s.heap_bytes}, {"rss_bytes", st.rss_bytes}}},
        {"queued_messages", s.queued_messages},
        {"messages_per_s", s.messages_per_s},
        {"reductions_per_s", s.reductions_per_s},
        {"sent", st.total_sent()},
        {"delivered", st.total_delivered()},
        {"reductions", st.total_reductions()},
        {"dropped_signals", st.dropped_signals},
        {"workers", std::move(workers)},
        {"peers", std::move(peers)},
        {"table", std::move(actors)},
    };
    // Replace, not throw, on a str that is not UTF-8 (a name is the script's).
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<sample> sample_from_json(std::string_view text, std::string* why) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        if (why) *why = "not a JSON object";
        return std::nullopt;
    }
    try {
        sample s;
        runtime_stats& st = s.stats;
        st.node_name = j.value("node", "");
        st.at_ns = j.value("at_ns", std::int64_t{0});
        s.interval_s = j.value("interval_s", 0.0);
        st.actors = j.value("actors", std::size_t{0});
        s.actor_count = j.value("actor_count", std::size_t{0});
        if (j.contains("memory")) {
            s.heap_bytes = j["memory"].value("heap_bytes", std::uint64_t{0});
            st.rss_bytes = j["memory"].value("rss_bytes", std::uint64_t{0});
        }
        s.queued_messages = j.value("queued_messages", std::int64_t{0});
        s.messages_per_s = j.value("messages_per_s", 0.0);
        s.reductions_per_s = j.value("reductions_per_s", 0.0);
        st.dropped_signals = j.value("dropped_signals", std::uint64_t{0});
        st.outside_sent = j.value("sent", std::uint64_t{0});  // the totals, kept where total_*() finds them
        st.outside_delivered = j.value("delivered", std::uint64_t{0});
        for (const json& w : j.value("workers", json::array())) {
            worker_figures f;
            f.run_queue = w.value("run_queue", std::size_t{0});
            f.busy_ns = w.value("busy_ns", std::uint64_t{0});
            f.idle_ns = w.value("idle_ns", std::uint64_t{0});
            f.turns = w.value("turns", std::uint64_t{0});
            f.reductions = w.value("reductions", std::uint64_t{0});
            st.workers.push_back(f);
            s.workers.push_back(worker_rates{w.value("utilization", 0.0), f.run_queue});
        }
        for (const json& p : j.value("peers", json::array()))
            st.peers.push_back(peer_figures{p.value("name", ""), p.value("up", false),
                                            p.value("bytes_in", std::uint64_t{0}),
                                            p.value("bytes_out", std::uint64_t{0}),
                                            p.value("queued_bytes", std::uint64_t{0})});
        for (const json& r : j.value("table", json::array())) {
            actor_row row;
            row.pid_text = r.value("pid", "");
            if (r.contains("name") && r["name"].is_string()) row.name = r["name"].get<std::string>();
            row.initial_call = r.value("initial_call", "");
            row.current_line = r.value("current_line", std::uint32_t{0});
            row.status = state_named(r.value("status", "runnable"));
            row.queue_len = r.value("queue_len", std::int64_t{0});
            row.heap_bytes = r.value("heap_bytes", std::uint64_t{0});
            row.reductions = r.value("reductions", std::uint64_t{0});
            row.reductions_delta = r.value("reductions_delta", std::uint64_t{0});
            row.links = r.value("links", std::vector<std::string>{});
            row.monitors = r.value("monitors", std::vector<std::string>{});
            s.actors.push_back(std::move(row));
        }
        return s;
    } catch (const json::exception& e) {
        if (why) *why = e.what();
        return std::nullopt;
    }
}

}  // namespace weft::tools::observe
