// heap_bench.cpp: the per-actor heap's two design figures.
//
//   RESULT interp.fresh_heap_bytes N bytes   sizeof(heap) + its first block
//   RESULT interp.gc_pause_100mb_ms N ms     one full collection of a heap
//                                            holding ~100 MB of live data
//
// The live heap is a list of records, each a tuple (int, short str, list of
// four ints, float), with a small dict (four str -> int entries) every tenth
// record: the mix of small objects a script actor holds. The pause is the
// median of three forced collections, timed by the heap itself (steady_clock
// around collect()). Figures are printed, never asserted.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "interp/heap/heap.hpp"

using namespace weft::interp;

int main() {
    {
        heap h;
        h.alloc_tuple(1);  // the first block comes with the first allocation
        std::printf("# sizeof(heap) %zu, first block %zu\n", sizeof(heap), h.block_bytes());
        std::printf("RESULT interp.fresh_heap_bytes %zu bytes\n", sizeof(heap) + h.block_bytes());
    }

    constexpr std::size_t target = 100u << 20;
    heap h;
    rooted records(h, h.alloc_list());
    auto build_start = std::chrono::steady_clock::now();
    std::int64_t i = 0;
    while (h.live_bytes_after_last_gc() < target) {
        for (int k = 0; k < 100'000; ++k, ++i) {
            rooted rec(h, h.alloc_tuple(4));
            as_tuple(rec)->items()[0] = value::from_int(i);
            value s = h.alloc_str("record " + std::to_string(i));
            as_tuple(rec)->items()[1] = s;
            value l = h.alloc_list(4);
            for (int j = 0; j < 4; ++j) h.list_append(l, value::from_int(i + j));
            as_tuple(rec)->items()[2] = l;
            as_tuple(rec)->items()[3] = value::from_float(double(i) * 0.25);
            if (i % 10 == 0) {
                rooted d(h, h.alloc_dict());
                for (int j = 0; j < 4; ++j) {
                    value key = h.alloc_str("field" + std::to_string(j));
                    h.dict_set(d, key, value::from_int(j));
                }
                as_tuple(rec)->items()[3] = d;
            }
            h.list_append(records, rec);
        }
        h.collect();
    }
    double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - build_start).count();
    std::printf("# built %lld records, %.1f MB live, block %.1f MB, %llu collections, %.2f s\n",
                static_cast<long long>(i), h.live_bytes_after_last_gc() / 1e6, h.block_bytes() / 1e6,
                static_cast<unsigned long long>(h.collections()), build_s);

    std::vector<double> pauses;
    for (int run = 0; run < 3; ++run) {
        h.collect();
        pauses.push_back(std::chrono::duration<double, std::milli>(h.last_pause()).count());
        std::printf("# collection %d: %.2f ms, %.1f MB live\n", run + 1, pauses.back(),
                    h.live_bytes_after_last_gc() / 1e6);
    }
    std::sort(pauses.begin(), pauses.end());
    std::printf("RESULT interp.gc_pause_100mb_ms %.1f ms\n", pauses[1]);

    // Sanity: the data is still there.
    list_obj* l = as_list(records);
    value last = l->slots()[l->length - 1];
    if (as_tuple(last)->items()[0].as_int() != i - 1) {
        std::fprintf(stderr, "heap_bench: records damaged\n");
        return 1;
    }
    return 0;
}
