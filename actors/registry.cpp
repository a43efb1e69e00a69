// registry.cpp: see registry.hpp.
#include "actors/registry.hpp"

#include <mutex>

namespace weft {

std::optional<pid> registry::find(std::string_view name) const {
    name_shard& ns = shard_of(name);
    std::shared_lock guard(ns.lock);
    auto it = ns.by_name.find(name);
    if (it == ns.by_name.end()) return std::nullopt;
    return it->second;
}

bool registry::remove(std::string_view name) {
    pid holder;
    {
        name_shard& ns = shard_of(name);
        std::unique_lock guard(ns.lock);
        auto it = ns.by_name.find(name);
        if (it == ns.by_name.end()) return false;
        holder = it->second;
        ns.by_name.erase(it);
    }
    pid_shard& ps = shard_of(holder);
    std::lock_guard guard(ps.lock);
    auto it = ps.by_pid.find(holder);
    if (it != ps.by_pid.end() && it->second == name) ps.by_pid.erase(it);
    return true;
}

void registry::remove_pid(pid p) {
    std::string name;
    {
        pid_shard& ps = shard_of(p);
        std::lock_guard guard(ps.lock);
        auto it = ps.by_pid.find(p);
        if (it == ps.by_pid.end()) return;
        name = std::move(it->second);
        ps.by_pid.erase(it);
    }
    name_shard& ns = shard_of(name);
    std::unique_lock guard(ns.lock);
    auto it = ns.by_name.find(name);
    if (it != ns.by_name.end() && it->second == p) ns.by_name.erase(it);
}

std::optional<std::string> registry::name_of(pid p) const {
    pid_shard& ps = shard_of(p);
    std::lock_guard guard(ps.lock);
    auto it = ps.by_pid.find(p);
    if (it == ps.by_pid.end()) return std::nullopt;
    return it->second;
}

std::vector<std::pair<std::string, pid>> registry::all() const {
    std::vector<std::pair<std::string, pid>> out;
    for (const name_shard& ns : names_) {
        std::shared_lock guard(ns.lock);
        for (const auto& [name, p] : ns.by_name) out.emplace_back(name, p);
    }
    return out;
}

}  // namespace weft
