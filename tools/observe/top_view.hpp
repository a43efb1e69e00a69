// top_view.hpp: the text `weft top` draws for one sample: a header (actors,
// memory, messages and reductions per second, each worker's utilization and
// run queue, the cluster's nodes) and the top actors in the chosen order.
//
// A pure function of the sample and the screen size, so that it is tested
// without a terminal; it must never write to the terminal itself.
#pragma once
#include <cstdint>
#include <string>

#include "tools/observe/snapshot.hpp"

namespace weft::tools::observe {

// "1.5 KB", "12.3 MB": sizes for a narrow column.
std::string human_bytes(std::uint64_t n);
// "950", "12.3k", "4.5M": counts and rates.
std::string human_count(double n);

// The screen: `rows` lines of at most `cols` characters each, separated by
// "\r\n" (the terminal is in raw mode), with no escape sequences.
std::string render_top(const sample& s, sort_key key, int rows, int cols);

}  // namespace weft::tools::observe
