// process_info.hpp: what one actor looks like from outside (process_info()
// in script, `weft top`, the observer), read while it runs, never stopping it.
//
// A snapshot: each figure is right at some moment during the read, not all at
// one moment (the actor keeps running meanwhile). The actor's own code
// publishes what only it knows (reductions, heap bytes, current line) at the
// end of each turn; native actors publish nothing and show zeros.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "serialize/ids.hpp"

namespace weft {

// running: a worker is executing it; runnable: it waits for a worker;
// waiting: it waits for a message (or its timeout).
enum class run_state : std::uint8_t { runnable, running, waiting };
inline const char* run_state_name(run_state s) noexcept {
    switch (s) {
    case run_state::running: return "running";
    case run_state::waiting: return "waiting";
    case run_state::runnable: break;
    }
    return "runnable";
}

struct process_info {
    run_state status = run_state::runnable;
    std::int64_t queue_len = 0;
    std::uint64_t heap_bytes = 0;
    std::uint64_t reductions = 0;
    std::vector<pid> links;
    std::vector<pid> monitors;  // the actors this one monitors
    std::optional<std::string> name;
    std::string initial_call;   // "" when its code never said
    std::uint32_t current_line = 0;
};

}  // namespace weft
