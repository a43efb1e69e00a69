// snapshot.hpp: one sample of a node for the observer (`weft top`, the web
// observer): the header figures (runtime_stats.hpp, with rates over the
// interval since the sampler's last sample) and the actor table, as a plain
// struct and as JSON.
//
// Taking a sample walks every live actor once (runtime::processes() and
// runtime::info()); it reads what the actors published and never stops,
// wakes or waits for one. Its cost grows with the number of actors (docs/
// observer.md has the measured figures). A sampler keeps the previous
// sample's reductions to give each actor's reductions per interval; use one
// sampler per viewer, from one thread at a time.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/process_info.hpp"
#include "actors/runtime.hpp"

namespace weft::tools::observe {

// A pid as script's repr prints it, <N.S.C> with the runtime's node numbers
// (serialize/node_numbers.hpp): the one place the observer formats pids.
std::string pid_text(runtime& rt, pid p);

struct actor_row {
    pid id{};
    std::string pid_text;
    std::optional<std::string> name;
    std::string initial_call;
    std::uint32_t current_line = 0;
    run_state status = run_state::runnable;
    std::int64_t queue_len = 0;
    std::uint64_t heap_bytes = 0;
    std::uint64_t reductions = 0;
    std::uint64_t reductions_delta = 0;  // since the sampler's previous sample
    std::vector<std::string> links;      // pid texts
    std::vector<std::string> monitors;   // pid texts of the actors it monitors
};

// What the table is sorted by (descending), and how many rows it keeps.
enum class sort_key { reductions, memory, queue };
std::optional<sort_key> parse_sort_key(std::string_view word);
const char* sort_key_name(sort_key k);

struct sample_options {
    sort_key sort = sort_key::reductions;
    std::size_t limit = 0;  // 0: every actor
};

struct worker_rates {
    double utilization = 0;  // busy share of the interval, 0..1
    std::size_t run_queue = 0;
};

struct sample {
    runtime_stats stats;
    double interval_s = 0;          // since the previous sample (0 for the first)
    std::vector<worker_rates> workers;
    double messages_per_s = 0;      // sent, over the interval
    double reductions_per_s = 0;
    std::uint64_t heap_bytes = 0;   // the script heaps of every actor
    std::int64_t queued_messages = 0;  // in every mailbox
    std::size_t actor_count = 0;    // rows walked (before the limit)
    std::vector<actor_row> actors;  // sorted, at most options.limit
};

class sampler {
public:
    explicit sampler(runtime& rt) : rt_(rt) {}
    sample take(const sample_options& options = {});

private:
    runtime& rt_;
    std::optional<runtime_stats> previous_;
    std::unordered_map<std::uint64_t, std::uint64_t> previous_reductions_;  // by pid serial
};

// Sorts rows by `key`, largest first (ties by pid text, so the order is stable).
void sort_rows(std::vector<actor_row>& rows, sort_key key);

// The JSON form (docs/observer.md describes it) and back: `weft top NODE`
// reads a remote node's samples in it.
std::string to_json(const sample& s);
// nullopt when `text` is no sample (its error in `why`).
std::optional<sample> sample_from_json(std::string_view text, std::string* why = nullptr);

}  // namespace weft::tools::observe
