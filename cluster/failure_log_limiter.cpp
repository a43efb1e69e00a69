// failure_log_limiter.cpp: fixed windows per address, and the overflow address.
#include "cluster/failure_log_limiter.hpp"

namespace weft::cluster {

failure_log_limiter::verdict failure_log_limiter::on_failure(std::string_view address, clock::time_point now) {
    auto it = entries_.find(std::string(address));
    if (it == entries_.end()) {
        if (entries_.size() >= limits_.max_addresses) {
            // Full: make room from ended windows (their held-back counts are
            // lost to expire(), but each was at most one window's worth), or
            // else count this address with every other one that did not fit.
            for (auto e = entries_.begin(); e != entries_.end();) {
                e = now - e->second.window_start >= limits_.window ? entries_.erase(e) : std::next(e);
            }
            if (entries_.size() >= limits_.max_addresses) address = {};
        }
        it = entries_.try_emplace(std::string(address), entry{now, 0, 0}).first;
    }
    entry& e = it->second;
    if (now - e.window_start >= limits_.window) {
        e.window_start = now;
        e.logged = 0;
    }
    if (e.logged < limits_.lines_per_window) {
        ++e.logged;
        verdict v{true, e.suppressed};
        e.suppressed = 0;
        return v;
    }
    ++e.suppressed;
    return {false, 0};
}

std::vector<std::pair<std::string, std::uint64_t>> failure_log_limiter::expire(clock::time_point now) {
    std::vector<std::pair<std::string, std::uint64_t>> held_back;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (now - it->second.window_start >= limits_.window) {
            if (it->second.suppressed > 0) held_back.emplace_back(it->first, it->second.suppressed);
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
    return held_back;
}

}  // namespace weft::cluster
