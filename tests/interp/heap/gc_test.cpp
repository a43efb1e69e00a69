// gc_test.cpp: the copying collector: what survives, what goes, deep and big
// heaps, roots, block sizing and the limit.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "interp/heap/heap.hpp"
#include "tests/support/small_stack.hpp"

namespace weft::interp {
namespace {

// Bytes of the heap objects reachable from `roots`, found independently of
// the collector (worklist, visited set). After a collection the heap's live
// bytes must be exactly this: everything reachable survived, nothing else.
std::size_t reachable_bytes(const heap& h, std::vector<value> roots) {
    std::unordered_set<obj*> seen;
    std::size_t bytes = 0;
    while (!roots.empty()) {
        value v = roots.back();
        roots.pop_back();
        if (!v.is_obj() || !h.in_block(v.as_obj()) || !seen.insert(v.as_obj()).second) continue;
        bytes += v.as_obj()->size_bytes();
        for (value s : traced_slots(v.as_obj())) roots.push_back(s);
    }
    return bytes;
}


constexpr std::size_t small_stack = 64 * 1024;

TEST(Gc, ObjectsSurviveExactlyWhenReachable) {
    heap h;
    rooted root(h, h.alloc_tuple(5));
    // A list holding a tuple, a str and itself.
    {
        rooted l(h, h.alloc_list());
        value t = h.alloc_tuple(std::vector<value>{value::from_int(1), value::from_int(2)});
        h.list_append(l, t);
        value s = h.alloc_str("in list");
        h.list_append(l, s);
        h.list_append(l, l);
        as_tuple(root)->items()[0] = l;
    }
    // A dict whose keys and values are objects.
    {
        rooted d(h, h.alloc_dict());
        rooted k(h, h.alloc_str("k1"));
        value v = h.alloc_tuple(std::vector<value>{h.alloc_str("v1")});
        h.dict_set(d, k, v);
        k = h.alloc_tuple(std::vector<value>{value::from_int(1), h.alloc_str("x")});
        v = h.alloc_str("v2");
        h.dict_set(d, k, v);
        as_tuple(root)->items()[1] = d;
    }
    // A cell holding a bignum, a native with slots and raw bytes, a str.
    {
        value b = h.alloc_bignum(std::numeric_limits<std::int64_t>::min());
        value c = h.alloc_cell(b);
        as_tuple(root)->items()[2] = c;
        rooted n(h, h.alloc_native(2, 12));
        value s = h.alloc_str("n0");
        as_native(n)->slots()[0] = s;
        value inner = h.alloc_list(3);
        as_native(n)->slots()[1] = inner;
        std::memcpy(as_native(n)->raw(), "raw payload!", 12);
        as_tuple(root)->items()[3] = n;
        value str = h.alloc_str("direct");
        as_tuple(root)->items()[4] = str;
    }
    for (int i = 0; i < 5000; ++i) h.alloc_tuple(std::vector<value>{h.alloc_str("garbage")});  // unreachable

    h.collect();
    EXPECT_EQ(h.verify(), "");
    EXPECT_EQ(h.live_bytes_after_last_gc(), reachable_bytes(h, {root.get()}));
    EXPECT_EQ(h.bytes_allocated(), h.live_bytes_after_last_gc());

    tuple_obj* r = as_tuple(root);
    list_obj* l = as_list(r->items()[0]);
    ASSERT_EQ(l->length, 3u);
    EXPECT_EQ(as_tuple(l->slots()[0])->items()[1].as_int(), 2);
    EXPECT_EQ(str_view(l->slots()[1]), "in list");
    EXPECT_TRUE(identical(l->slots()[2], r->items()[0]));  // the cycle, one copy
    value k1 = h.alloc_str("k1");
    r = as_tuple(root);
    auto v1 = h.dict_get(r->items()[1], k1);
    ASSERT_TRUE(v1.has_value());
    EXPECT_EQ(str_view(as_tuple(*v1)->items()[0]), "v1");
    std::uint32_t pos = 0;
    value k, v;
    ASSERT_TRUE(heap::dict_next(r->items()[1], pos, k, v));
    ASSERT_TRUE(heap::dict_next(r->items()[1], pos, k, v));
    EXPECT_EQ(str_view(as_tuple(k)->items()[1]), "x");
    EXPECT_EQ(str_view(v), "v2");
    EXPECT_EQ(bignum_to_string(as_cell(r->items()[2])->v), "-9223372036854775808");
    native_obj* n = as_native(r->items()[3]);
    EXPECT_EQ(str_view(n->slots()[0]), "n0");
    EXPECT_EQ(as_list(n->slots()[1])->capacity, 3u);
    EXPECT_EQ(std::memcmp(n->raw(), "raw payload!", 12), 0);
    EXPECT_EQ(str_view(r->items()[4]), "direct");

    // Drop the dict: exactly its objects go.
    std::size_t before = h.live_bytes_after_last_gc();
    std::size_t dict_bytes = reachable_bytes(h, {r->items()[1]});
    r->items()[1] = value::none();
    h.collect();
    EXPECT_EQ(h.live_bytes_after_last_gc(), before - dict_bytes);
    EXPECT_EQ(h.live_bytes_after_last_gc(), reachable_bytes(h, {root.get()}));

    // Drop everything.
    root = value::none();
    h.collect();
    EXPECT_EQ(h.live_bytes_after_last_gc(), 0u);
}

TEST(Gc, SharingAndCyclesArePreserved) {
    heap h;
    rooted shared(h, h.alloc_str("shared"));
    rooted a(h, h.alloc_tuple(std::vector<value>{shared.get(), shared.get()}));
    rooted b(h, h.alloc_list());
    h.list_append(b, a);
    h.list_append(b, a);
    h.list_append(b, b);
    h.collect();
    h.collect();
    EXPECT_TRUE(identical(as_tuple(a)->items()[0], shared));
    EXPECT_TRUE(identical(as_tuple(a)->items()[1], shared));
    EXPECT_TRUE(identical(as_list(b)->slots()[0], a));
    EXPECT_TRUE(identical(as_list(b)->slots()[1], a));
    EXPECT_TRUE(identical(as_list(b)->slots()[2], b));
    EXPECT_EQ(h.live_bytes_after_last_gc(), reachable_bytes(h, {shared.get(), a.get(), b.get()}));
}

TEST(Gc, MillionLongChainCollectsOnA64KiBStack) {
    bool done = false;
    weft::test::run_with_stack(small_stack, [&done] {
        heap h;
        rooted head(h);
        const std::int64_t n = 1'000'000;
        for (std::int64_t i = 0; i < n; ++i) {
            value t = h.alloc_tuple(2);
            as_tuple(t)->items()[0] = value::from_int(i);
            as_tuple(t)->items()[1] = head;
            head = t;
        }
        h.collect();
        EXPECT_EQ(h.verify(), "");
        EXPECT_EQ(h.live_bytes_after_last_gc(), std::size_t(n) * 24);
        std::int64_t expect = n - 1, count = 0;
        for (value p = head; !p.is_none(); p = as_tuple(p)->items()[1], --expect, ++count)
            if (as_tuple(p)->items()[0].as_int() != expect) break;
        EXPECT_EQ(count, n);
        // And a chain through lists, cells and natives, equally deep.
        head = value::none();
        for (std::int64_t i = 0; i < n / 4; ++i) {
            value c = h.alloc_cell(head);
            rooted keep(h, c);
            value l = h.alloc_list(1);
            h.list_append(l, keep);
            keep = l;
            value nat = h.alloc_native(1, 8);
            as_native(nat)->slots()[0] = keep;
            head = nat;
        }
        h.collect();
        count = 0;
        for (value p = head; !p.is_none(); ++count)
            p = as_cell(as_list(as_native(p)->slots()[0])->slots()[0])->v;
        EXPECT_EQ(count, n / 4);
        done = true;
    });
    EXPECT_TRUE(done);
}

TEST(Gc, MillionLiveObjectsKeepTheirContents) {
    heap h;
    rooted list(h, h.alloc_list());
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i) {
        value v;
        switch (i % 4) {
        case 0: v = h.alloc_str("s" + std::to_string(i)); break;
        case 1: v = h.alloc_tuple(std::vector<value>{value::from_int(i), value::from_float(i * 0.5)}); break;
        case 2: v = h.alloc_bignum(std::int64_t(i) << 40); break;
        case 3: v = h.alloc_cell(value::from_int(-i)); break;
        }
        h.list_append(list, v);
        if (i % 2 == 0) h.alloc_tuple(3);  // garbage in between
    }
    std::uint64_t before = h.collections();
    h.collect();
    EXPECT_EQ(h.collections(), before + 1);
    EXPECT_EQ(h.verify(), "");
    EXPECT_EQ(h.live_bytes_after_last_gc(), reachable_bytes(h, {list.get()}));
    list_obj* l = as_list(list);
    ASSERT_EQ(l->length, std::uint32_t(n));
    int bad = 0;
    for (int i = 0; i < n; ++i) {
        value v = l->slots()[i];
        switch (i % 4) {
        case 0: bad += str_view(v) != "s" + std::to_string(i); break;
        case 1: bad += as_tuple(v)->items()[0].as_int() != i || as_tuple(v)->items()[1].as_float() != i * 0.5; break;
        case 2: bad += bignum_to_string(v) != std::to_string(std::int64_t(i) << 40); break;
        case 3: bad += as_cell(v)->v.as_int() != -i; break;
        }
    }
    EXPECT_EQ(bad, 0);
    EXPECT_GT(h.max_pause().count(), 0);
    EXPECT_GE(h.total_pause(), h.max_pause());
}

TEST(Gc, RootRangesAreUpdatedInPlaceInAnyOrder) {
    heap h;
    std::vector<value> regs(4);
    root_scope scope(h, regs);
    for (int i = 0; i < 4; ++i) regs[i] = h.alloc_str("r" + std::to_string(i));
    auto a = std::make_unique<rooted>(h, h.alloc_str("a"));
    auto b = std::make_unique<rooted>(h, h.alloc_str("b"));
    auto c = std::make_unique<rooted>(h, h.alloc_str("c"));
    b.reset();  // not the last one registered
    regs.resize(1000, value::none());  // the register file moved: tell the scope
    scope.reset(regs.data(), regs.size());
    for (int i = 4; i < 1000; ++i) regs[i] = h.alloc_tuple(std::vector<value>{value::from_int(i)});
    h.collect();
    for (int i = 0; i < 4; ++i) EXPECT_EQ(str_view(regs[i]), "r" + std::to_string(i));
    for (int i = 4; i < 1000; ++i) EXPECT_EQ(as_tuple(regs[i])->items()[0].as_int(), i);
    EXPECT_EQ(str_view(*a), "a");
    EXPECT_EQ(str_view(*c), "c");
    a.reset();
    h.collect();
    EXPECT_EQ(str_view(*c), "c");
    std::vector<value> roots(regs.begin(), regs.end());
    roots.push_back(*c);
    EXPECT_EQ(h.live_bytes_after_last_gc(), reachable_bytes(h, roots));
}

TEST(Gc, BlockGrowsWithLiveDataAndShrinksAfterIt) {
    heap h;
    EXPECT_EQ(h.block_bytes(), 0u);
    rooted list(h, h.alloc_list());
    EXPECT_EQ(h.block_bytes(), 512u);
    for (int i = 0; i < 100'000; ++i) {
        value t = h.alloc_tuple(2);
        h.list_append(list, t);
    }
    h.collect();
    std::size_t live = h.live_bytes_after_last_gc();
    EXPECT_GT(live, 100'000u * 24);
    EXPECT_GE(h.block_bytes(), 2 * live);
    EXPECT_LE(h.block_bytes(), 2 * live + 4096);
    list = value::none();
    h.collect();
    EXPECT_EQ(h.live_bytes_after_last_gc(), 0u);
    EXPECT_EQ(h.block_bytes(), 512u);
    // Small again, and working.
    rooted s(h, h.alloc_str("after"));
    h.collect();
    EXPECT_EQ(str_view(s), "after");
    EXPECT_LE(h.block_bytes(), 512u);
}

TEST(Gc, CollectingOftenCostsLiveDataNotAllocation) {
    // A steady actor: little live data, lots of garbage. Each collection copies
    // the live data only, and the block stays small.
    heap h;
    rooted keep(h, h.alloc_str("state"));
    for (int i = 0; i < 200'000; ++i) h.alloc_tuple(4);
    EXPECT_GT(h.collections(), 100u);
    EXPECT_LE(h.block_bytes(), 1024u);
    EXPECT_LE(h.live_bytes_after_last_gc(), 64u);
    EXPECT_EQ(str_view(keep), "state");
    EXPECT_GE(h.total_bytes_allocated(), 200'000u * 40);
}

TEST(Gc, RunawayAllocationThrowsAndTheHeapStaysUsable) {
    heap_options opts;
    opts.limit_bytes = 1 << 20;
    heap h(opts);
    rooted list(h, h.alloc_list());
    rooted d(h, h.alloc_dict());
    std::uint32_t appended = 0;
    try {
        for (;;) {
            value t = h.alloc_tuple(std::vector<value>{value::from_int(appended)});
            h.list_append(list, t);
            ++appended;
        }
    } catch (const heap_exhausted& e) {
        EXPECT_EQ(e.limit, std::size_t(1) << 20);
    }
    EXPECT_GT(appended, 10'000u);
    EXPECT_LE(h.block_bytes(), std::size_t(1) << 20);
    // Consistent: everything appended is there.
    ASSERT_EQ(as_list(list)->length, appended);
    for (std::uint32_t i = 0; i < appended; ++i)
        ASSERT_EQ(as_tuple(as_list(list)->slots()[i])->items()[0].as_int(), std::int64_t(i));
    // A dict grown into the limit fails the same way.
    list = value::none();
    h.collect();
    EXPECT_THROW(
        for (int i = 0;; ++i) h.dict_set(d, value::from_int(i), value::none()), heap_exhausted);
    std::uint32_t in_dict = heap::dict_len(d);
    EXPECT_GT(in_dict, 0u);
    for (std::uint32_t i = 0; i < in_dict; ++i) ASSERT_TRUE(h.dict_get(d, value::from_int(i)).has_value());
    EXPECT_EQ(h.verify(), "");
    // One request over the limit throws at once.
    EXPECT_THROW(h.alloc_tuple(1 << 20), heap_exhausted);
    EXPECT_THROW(h.alloc_tuple(std::size_t(1) << 40), heap_exhausted);
    // Usable afterwards: drop the hog, collect, allocate, collect again.
    d = value::none();
    h.collect();
    EXPECT_EQ(h.live_bytes_after_last_gc(), 0u);
    rooted again(h, h.alloc_list());
    for (int i = 0; i < 1000; ++i) {
        value s = h.alloc_str("ok " + std::to_string(i));
        h.list_append(again, s);
    }
    h.collect();
    EXPECT_EQ(str_view(as_list(again)->slots()[999]), "ok 999");
}

TEST(Gc, VerifyCatchesAPointerIntoAnotherHeap) {
    heap a, b;
    rooted t(a, a.alloc_tuple(1));
    EXPECT_EQ(a.verify(), "");
    as_tuple(t)->items()[0] = b.alloc_str("not yours");  // a VM bug the collector would not see
    EXPECT_NE(a.verify(), "");
    as_tuple(t)->items()[0] = value::none();
    EXPECT_EQ(a.verify(), "");
}

TEST(Gc, FrozenPointersAreLeftAlone) {
    frozen_arena arena;
    value constant = arena.alloc_tuple(std::vector<value>{arena.alloc_str("c"), value::from_int(1)});
    heap h;
    rooted list(h, h.alloc_list());
    for (int i = 0; i < 10'000; ++i) h.list_append(list, constant);
    h.collect();
    EXPECT_EQ(h.verify(), "");
    for (std::uint32_t i = 0; i < 10'000; ++i) ASSERT_EQ(as_list(list)->slots()[i].bits(), constant.bits());
    // Only the list and its array were copied.
    EXPECT_EQ(h.live_bytes_after_last_gc(), sizeof(list_obj) + 8 * (1 + as_list(list)->capacity));
}

}  // namespace
}  // namespace weft::interp
