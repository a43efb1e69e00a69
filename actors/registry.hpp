// registry.hpp: registered names, so actors can be found by a name instead of a pid.
//
// Sharded by name, each shard under its own reader-writer lock, so sends by name
// on different names never contend and lookups of one name share. A pid->name map
// (sharded by pid) lets an ending actor drop its name. A name whose actor ended is
// as good as free: lookups check liveness, so a stale entry never misroutes.
#pragma once
#include <array>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "serialize/ids.hpp"

namespace weft {

class registry {
public:
    enum class outcome { ok, name_taken, already_named };

    // `alive` tells whether a pid still runs (to reclaim names of ended actors).
    template <class Alive>
    outcome add(std::string_view name, pid p, Alive&& alive);
    std::optional<pid> find(std::string_view name) const;
    bool remove(std::string_view name);
    void remove_pid(pid p);
    // The name p is registered under, if any.
    std::optional<std::string> name_of(pid p) const;
    // Every (name, pid), shard by shard (each entry held at some moment of the walk).
    std::vector<std::pair<std::string, pid>> all() const;

private:
    static constexpr std::size_t shard_count = 16;
    // Looks names up as string_views: a send by name allocates nothing.
    struct name_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct name_shard {
        mutable std::shared_mutex lock;
        std::unordered_map<std::string, pid, name_hash, std::equal_to<>> by_name;
    };
    struct pid_shard {
        mutable std::mutex lock;
        std::unordered_map<pid, std::string> by_pid;
    };
    name_shard& shard_of(std::string_view name) const {
        return names_[std::hash<std::string_view>{}(name) % shard_count];
    }
    pid_shard& shard_of(pid p) const { return pids_[std::hash<pid>{}(p) % shard_count]; }

    mutable std::array<name_shard, shard_count> names_;
    mutable std::array<pid_shard, shard_count> pids_;
};

template <class Alive>
registry::outcome registry::add(std::string_view name, pid p, Alive&& alive) {
    pid_shard& ps = shard_of(p);
    std::lock_guard pid_guard(ps.lock);
    if (ps.by_pid.contains(p)) return outcome::already_named;
    name_shard& ns = shard_of(name);
    {
        std::unique_lock name_guard(ns.lock);
        auto [it, inserted] = ns.by_name.try_emplace(std::string(name), p);
        if (!inserted) {
            if (alive(it->second)) return outcome::name_taken;
            it->second = p;  // the holder ended without cleaning up yet
        }
    }
    ps.by_pid.emplace(p, std::string(name));
    return outcome::ok;
}

}  // namespace weft
