// snapshot.cpp: taking a sample (snapshot.hpp); the JSON form is in
// snapshot_json.cpp. It must never stop or wait for an actor.
#include "tools/observe/snapshot.hpp"

#include <algorithm>

#include "serialize/term.hpp"

namespace weft::tools::observe {

std::string pid_text(runtime& rt, pid p) { return rt.numbers().text(p); }

std::optional<sort_key> parse_sort_key(std::string_view word) {
    if (word == "reductions") return sort_key::reductions;
    if (word == "memory") return sort_key::memory;
    if (word == "queue") return sort_key::queue;
    return std::nullopt;
}

const char* sort_key_name(sort_key k) {
    switch (k) {
    case sort_key::memory: return "memory";
    case sort_key::queue: return "queue";
    case sort_key::reductions: break;
    }
    return "reductions";
}

void sort_rows(std::vector<actor_row>& rows, sort_key key) {
    auto figure = [key](const actor_row& r) -> std::uint64_t {
        switch (key) {
        case sort_key::memory: return r.heap_bytes;
        case sort_key::queue: return std::uint64_t(std::max<std::int64_t>(0, r.queue_len));
        case sort_key::reductions: break;
        }
        return r.reductions_delta;
    };
    std::sort(rows.begin(), rows.end(), [&](const actor_row& a, const actor_row& b) {
        std::uint64_t fa = figure(a), fb = figure(b);
        if (fa != fb) return fa > fb;
        return a.pid_text < b.pid_text;
    });
}

sample sampler::take(const sample_options& options) {
    sample out;
    out.stats = rt_.stats();
    const runtime_stats& now = out.stats;
    if (previous_) {
        const runtime_stats& before = *previous_;
        out.interval_s = double(now.at_ns - before.at_ns) / 1e9;
        if (out.interval_s > 0) {
            out.messages_per_s = double(now.total_sent() - before.total_sent()) / out.interval_s;
            out.reductions_per_s = double(now.total_reductions() - before.total_reductions()) / out.interval_s;
        }
    }
    for (std::size_t k = 0; k < now.workers.size(); ++k) {
        const worker_figures& w = now.workers[k];
        worker_rates r;
        r.run_queue = w.run_queue;
        std::uint64_t busy = w.busy_ns, idle = w.idle_ns;
        if (previous_ && k < previous_->workers.size()) {
            busy -= std::min(busy, previous_->workers[k].busy_ns);
            idle -= std::min(idle, previous_->workers[k].idle_ns);
        }
        r.utilization = busy + idle > 0 ? double(busy) / double(busy + idle) : 0.0;
        out.workers.push_back(r);
    }

    std::unordered_map<std::uint64_t, std::uint64_t> reductions;
    std::vector<pid> pids = rt_.processes();
    reductions.reserve(pids.size());
    out.actors.reserve(pids.size());
    for (const pid& p : pids) {
        std::optional<process_info> info = rt_.info(p);
        if (!info) continue;  // it ended meanwhile
        actor_row row;
        row.id = p;
        row.pid_text = pid_text(rt_, p);
        row.name = std::move(info->name);
        row.initial_call = std::move(info->initial_call);
        row.current_line = info->current_line;
        row.status = info->status;
        row.queue_len = info->queue_len;
        row.heap_bytes = info->heap_bytes;
        row.reductions = info->reductions;
        auto seen = previous_reductions_.find(p.serial);
        std::uint64_t before = seen == previous_reductions_.end() ? 0 : seen->second;
        row.reductions_delta = row.reductions - std::min(row.reductions, before);
        for (const pid& l : info->links) row.links.push_back(pid_text(rt_, l));
        for (const pid& m : info->monitors) row.monitors.push_back(pid_text(rt_, m));
        reductions.emplace(p.serial, row.reductions);
        out.heap_bytes += row.heap_bytes;
        out.queued_messages += row.queue_len;
        out.actors.push_back(std::move(row));
    }
    out.actor_count = out.actors.size();
    previous_reductions_ = std::move(reductions);
    previous_ = now;
    sort_rows(out.actors, options.sort);
    if (options.limit && options.limit < out.actors.size()) out.actors.resize(options.limit);
    return out;
}

}  // namespace weft::tools::observe
