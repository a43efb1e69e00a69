// code_range.hpp: a sorted table of disjoint code point ranges and the binary
// search over it, shared by the generated Unicode tables (unicode_ident.cpp,
// unicode_case.cpp, unicode_format.cpp). It must stay free of any one table's
// knowledge: the generators write the tables, this answers "is cp in one".
#pragma once
#include <algorithm>
#include <iterator>
#include <span>

namespace weft::interp {

struct code_range {
    char32_t first, last;
};

// True when cp lies in one of the ranges (sorted by `first`, disjoint).
inline bool in_ranges(std::span<const code_range> table, char32_t cp) noexcept {
    auto it = std::upper_bound(table.begin(), table.end(), cp,
                               [](char32_t c, const code_range& r) { return c < r.first; });
    return it != table.begin() && cp <= std::prev(it)->last;
}

}  // namespace weft::interp
