// runtime_stats.cpp: see runtime_stats.hpp.
#include "actors/runtime_stats.hpp"

#include <unistd.h>

#include <cstdio>

namespace weft {

std::uint64_t resident_bytes() noexcept {
    // statm: size resident shared text lib data dt, in pages.
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    int got = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    long page = ::sysconf(_SC_PAGESIZE);
    return got == 2 && page > 0 ? resident * std::uint64_t(page) : 0;
}

}  // namespace weft
