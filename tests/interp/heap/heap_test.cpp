// heap_test.cpp: value boxing, object layouts, strings, bignums, dicts, the
// frozen arena and shared binaries. The collector itself: gc_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"

namespace weft::interp {
namespace {

// -- value -------------------------------------------------------------------

static_assert(value::from_int(-5).as_int() == -5);
static_assert(value::from_float(1.5).as_float() == 1.5);
static_assert(value::none().is_none() && !value::none().is_bool());
static_assert(value::boolean(true).is_true() && value::boolean(false).is_bool());
static_assert(value().is_none());

TEST(NanBox, FloatsRoundTripBitForBit) {
    const double samples[] = {0.0,
                              -0.0,
                              1.0,
                              -1.5,
                              3.141592653589793,
                              std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity(),
                              std::numeric_limits<double>::max(),
                              std::numeric_limits<double>::lowest(),
                              std::numeric_limits<double>::min(),
                              std::numeric_limits<double>::denorm_min(),
                              -std::numeric_limits<double>::denorm_min()};
    for (double d : samples) {
        value v = value::from_float(d);
        ASSERT_TRUE(v.is_float()) << d;
        EXPECT_FALSE(v.is_int() || v.is_obj() || v.is_none() || v.is_bool() || v.is_empty()) << d;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(v.as_float()), std::bit_cast<std::uint64_t>(d)) << d;
    }
    EXPECT_TRUE(std::signbit(value::from_float(-0.0).as_float()));
    EXPECT_FALSE(identical(value::from_float(0.0), value::from_float(-0.0)));
}

TEST(NanBox, EveryNanIsCanonicalAndStaysAFloat) {
    // NaNs whose payloads would land in the boxed space if stored as they are.
    const std::uint64_t nans[] = {
        0x7ff8'0000'0000'0000ull, 0xfff8'0000'0000'0000ull, 0x7ffc'0000'0000'0000ull, 0x7ffd'0000'0000'0001ull,
        0x7ffe'0000'0000'0000ull, 0x7fff'ffff'ffff'ffffull, 0xfffc'0000'dead'beefull, 0xffff'ffff'ffff'ffffull,
        0x7ff0'0000'0000'0001ull,  // signalling
    };
    for (std::uint64_t bits : nans) {
        double d = std::bit_cast<double>(bits);
        ASSERT_TRUE(std::isnan(d));
        value v = value::from_float(d);
        EXPECT_TRUE(v.is_float()) << std::hex << bits;
        EXPECT_FALSE(v.is_obj() || v.is_int() || v.is_none() || v.is_bool()) << std::hex << bits;
        EXPECT_EQ(v.bits(), value::canonical_nan);
        EXPECT_TRUE(std::isnan(v.as_float()));
    }
    EXPECT_TRUE(value::from_float(std::nan("")).is_float());
    static_assert(value::from_float(std::numeric_limits<double>::quiet_NaN()).bits() == value::canonical_nan);
}

TEST(NanBox, SmallIntBoundaries) {
    EXPECT_EQ(value::small_int_max, (std::int64_t(1) << 47) - 1);
    EXPECT_EQ(value::small_int_min, -(std::int64_t(1) << 47));
    const std::int64_t samples[] = {0, 1, -1, 42, -42, 1'000'000'007, value::small_int_max, value::small_int_min,
                                    value::small_int_max - 1, value::small_int_min + 1};
    for (std::int64_t i : samples) {
        ASSERT_TRUE(value::fits_small_int(i));
        value v = value::from_int(i);
        EXPECT_TRUE(v.is_int());
        EXPECT_FALSE(v.is_float() || v.is_obj() || v.is_bool() || v.is_none());
        EXPECT_EQ(v.as_int(), i);
    }
    EXPECT_FALSE(value::fits_small_int(value::small_int_max + 1));
    EXPECT_FALSE(value::fits_small_int(value::small_int_min - 1));
    EXPECT_FALSE(value::fits_small_int(std::numeric_limits<std::int64_t>::max()));
    EXPECT_FALSE(value::fits_small_int(std::numeric_limits<std::int64_t>::min()));
}

TEST(NanBox, SingletonsAreDistinct) {
    value all[] = {value::none(), value::false_value(), value::true_value(), value::empty(), value::from_int(0),
                   value::from_float(0.0)};
    for (std::size_t i = 0; i < std::size(all); ++i)
        for (std::size_t j = 0; j < std::size(all); ++j) EXPECT_EQ(i == j, identical(all[i], all[j]));
    EXPECT_TRUE(value::true_value().as_bool());
    EXPECT_FALSE(value::false_value().as_bool());
    EXPECT_FALSE(value::none().is_float());
    EXPECT_FALSE(value::empty().is_none());
}

TEST(NanBox, PointersRoundTrip) {
    heap h;
    value s = h.alloc_str("x");
    EXPECT_TRUE(s.is_obj());
    EXPECT_FALSE(s.is_float() || s.is_int() || s.is_none());
    EXPECT_EQ(value::from_obj(s.as_obj()).bits(), s.bits());
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s.as_obj()) % 8, 0u);
}

// -- strings, bytes, bignums -------------------------------------------------

TEST(HeapObjects, StrKeepsBytesLengthAndHash) {
    heap h;
    value s = h.alloc_str("héllo, wörld");
    ASSERT_TRUE(is_str(s));
    EXPECT_EQ(kind_of(s), obj_kind::str);
    EXPECT_EQ(str_view(s), "héllo, wörld");
    EXPECT_EQ(str_length(s), 12u);
    EXPECT_EQ(as_str_obj(s)->byte_len, 14u);
    EXPECT_EQ(as_str_obj(s)->data()[14], '\0');
    EXPECT_EQ(default_hash(s), hash_string("héllo, wörld"));
    value e = h.alloc_str("");
    EXPECT_EQ(str_view(e), "");
    EXPECT_EQ(str_length(e), 0u);
}

TEST(HeapObjects, LongStrAndBytesGoOffHeap) {
    heap h;
    std::string text(63, 'a');
    value s63 = h.alloc_str(text);
    EXPECT_EQ(kind_of(s63), obj_kind::str);
    text += "€";  // 66 bytes, 64 code points
    rooted s66(h, h.alloc_str(text));
    EXPECT_EQ(kind_of(s66), obj_kind::shared_str);
    EXPECT_EQ(str_view(s66), text);
    EXPECT_EQ(str_length(s66), 64u);
    EXPECT_EQ(h.shared_bytes(), 66u);
    EXPECT_LT(h.bytes_allocated(), 200u);  // the text is not in the block
    rooted b(h, h.alloc_bytes(std::string(100, '\x01')));
    EXPECT_EQ(kind_of(b), obj_kind::shared_bytes);
    EXPECT_TRUE(is_bytes(b));
    EXPECT_EQ(bytes_view(b).size(), 100u);
    value small = h.alloc_bytes(std::string_view("\0\1\2", 3));
    EXPECT_EQ(kind_of(small), obj_kind::bytes);
    EXPECT_EQ(bytes_view(small), std::string_view("\0\1\2", 3));
    // Equal content, either representation: equal and same hash.
    // Equal content, either representation: equal and same hash. (Values are
    // allocated before the rooted one is read: an allocation may move it.)
    value other = h.alloc_str(text);
    EXPECT_TRUE(default_equal(s66, other));
    EXPECT_EQ(default_hash(s66), hash_string(text));
    rooted s63r(h, s63);
    value b63 = h.alloc_bytes(std::string(63, 'a'));
    EXPECT_FALSE(default_equal(s63r, b63));  // str != bytes
}

TEST(HeapObjects, StrFromAViewIntoTheHeapSurvivesACollection) {
    heap h;  // 512-byte first block: the copy below will collect
    rooted src(h, h.alloc_str("copied while the heap collects"));
    rooted list(h, h.alloc_list());
    for (int i = 0; i < 100; ++i) {
        value copy = h.alloc_str(str_view(src));
        h.list_append(list, copy);
    }
    EXPECT_GT(h.collections(), 0u);
    for (std::uint32_t i = 0; i < 100; ++i)
        EXPECT_EQ(str_view(as_list(list)->slots()[i]), "copied while the heap collects");
}

TEST(HeapObjects, BignumPrints) {
    heap h;
    struct sample {
        std::int64_t v;
        const char* text;
    } samples[] = {
        {std::numeric_limits<std::int64_t>::max(), "9223372036854775807"},
        {std::numeric_limits<std::int64_t>::min(), "-9223372036854775808"},
        {value::small_int_max + 1, "140737488355328"},
        {value::small_int_min - 1, "-140737488355329"},
        {0, "0"},
        {-7, "-7"},
    };
    for (auto& s : samples) {
        value b = h.alloc_bignum(s.v);
        ASSERT_EQ(kind_of(b), obj_kind::bignum);
        EXPECT_EQ(bignum_to_string(b), s.text);
    }
    limb two_pow_128[] = {0, 0, 1, 0};  // high zero limb dropped
    value big = h.alloc_bignum(true, two_pow_128);
    EXPECT_EQ(as_bignum(big)->size, -3);
    EXPECT_EQ(bignum_to_string(big), "-340282366920938463463374607431768211456");
    EXPECT_EQ(bignum_to_string(big, 16), "-100000000000000000000000000000000");
    EXPECT_TRUE(h.make_int(5).is_int());
    EXPECT_EQ(bignum_to_string(h.make_int(std::int64_t(1) << 50)), "1125899906842624");
}

TEST(HeapObjects, NumbersCompareAndHashAcrossRepresentations) {
    heap h;
    value one_i = value::from_int(1), one_f = value::from_float(1.0), t = value::true_value();
    EXPECT_TRUE(default_equal(one_i, one_f));
    EXPECT_TRUE(default_equal(one_i, t));
    EXPECT_EQ(default_hash(one_i), default_hash(one_f));
    EXPECT_EQ(default_hash(one_i), default_hash(t));
    EXPECT_EQ(default_hash(value::from_int(-3)), default_hash(value::from_float(-3.0)));
    EXPECT_FALSE(default_equal(value::from_float(std::nan("")), value::from_float(std::nan(""))));
    EXPECT_TRUE(default_equal(value::from_float(0.0), value::from_float(-0.0)));
    EXPECT_EQ(default_hash(value::from_float(0.0)), default_hash(value::from_float(-0.0)));
    // A bignum against the float of the same integral value, and an unnormalized one.
    rooted b(h, h.alloc_bignum(std::int64_t(1) << 60));
    EXPECT_TRUE(default_equal(b, value::from_float(std::ldexp(1.0, 60))));
    EXPECT_EQ(default_hash(b), default_hash(value::from_float(std::ldexp(1.0, 60))));
    EXPECT_FALSE(default_equal(b, value::from_float(std::ldexp(1.0, 60) + 4096.0)));
    EXPECT_TRUE(default_equal(h.alloc_bignum(12), value::from_int(12)));
    EXPECT_EQ(default_hash(h.alloc_bignum(-12)), default_hash(value::from_int(-12)));
    value same = h.alloc_bignum(std::int64_t(1) << 60);
    EXPECT_TRUE(default_equal(b, same));
    value negated = h.alloc_bignum(-(std::int64_t(1) << 60));
    EXPECT_FALSE(default_equal(b, negated));
}

TEST(HeapObjects, TuplesCompareAndHashStructurally) {
    heap h;
    rooted a(h, h.alloc_tuple(std::vector<value>{value::from_int(1), h.alloc_str("x"), value::none()}));
    rooted b(h, h.alloc_tuple(std::vector<value>{value::from_float(1.0), h.alloc_str("x"), value::none()}));
    EXPECT_TRUE(default_equal(a, b));
    EXPECT_EQ(default_hash(a), default_hash(b));
    rooted c(h, h.alloc_tuple(std::vector<value>{value::from_int(1), h.alloc_str("y"), value::none()}));
    EXPECT_FALSE(default_equal(a, c));
    EXPECT_NE(default_hash(a), default_hash(c));
    rooted list(h, h.alloc_list());
    rooted with_list(h, h.alloc_tuple(std::vector<value>{value::from_int(1), list.get()}));
    EXPECT_THROW(default_hash(with_list), unhashable_key);
    EXPECT_THROW(default_hash(list), unhashable_key);
    EXPECT_EQ(default_hash(h.alloc_tuple(0)), default_hash(h.alloc_tuple(0)));
}

TEST(HeapObjects, DeeplyNestedTuplesHashAndCompareWithoutRecursion) {
    heap h;
    rooted x(h, value::from_int(0)), y(h, value::from_int(0));
    for (int i = 0; i < 100'000; ++i) {
        x = h.alloc_tuple(std::vector<value>{x.get(), value::from_int(i)});
        y = h.alloc_tuple(std::vector<value>{y.get(), value::from_int(i)});
    }
    EXPECT_EQ(default_hash(x), default_hash(y));
    EXPECT_TRUE(default_equal(x, y));
}

TEST(HeapObjects, PidRefCellNative) {
    heap h;
    weft::pid p{7, 2, 99};
    weft::ref r{7, 2, 100};
    rooted vp(h, h.alloc_pid(p)), vr(h, h.alloc_ref(r));
    EXPECT_EQ(as_pid(vp)->p, p);
    EXPECT_EQ(as_ref(vr)->r, r);
    value same = h.alloc_pid(p);
    EXPECT_TRUE(default_equal(vp, same));
    EXPECT_EQ(default_hash(vp), default_hash(same));
    EXPECT_FALSE(default_equal(vp, vr));
    value c = h.alloc_cell(vp.get());
    EXPECT_TRUE(identical(as_cell(c)->v, vp));
    value n = h.alloc_native(3, 13);
    EXPECT_EQ(as_native(n)->traced, 3u);
    EXPECT_EQ(as_native(n)->raw_bytes, 13u);
    EXPECT_EQ(as_native(n)->words, 2u + 3u + 2u);
    EXPECT_TRUE(as_native(n)->slots()[2].is_none());
    EXPECT_EQ(as_native(n)->raw()[12], std::byte{0});
}

// -- dicts -------------------------------------------------------------------

std::vector<std::int64_t> int_keys(value d) {
    std::vector<std::int64_t> out;
    std::uint32_t pos = 0;
    value k, v;
    while (heap::dict_next(d, pos, k, v)) out.push_back(k.as_int());
    return out;
}

// Allocate arguments first, then read the rooted dict inside the call: an
// allocation among the arguments could otherwise move it after it was read.
TEST(HeapDict, SetGetOverwrite) {
    heap h;
    rooted d(h, h.alloc_dict());
    auto set = [&](value k, value v) { h.dict_set(d, k, v); };
    auto get = [&](value k) { return h.dict_get(d, k); };
    EXPECT_FALSE(get(value::from_int(1)).has_value());
    set(h.alloc_str("a"), value::from_int(1));
    set(h.alloc_str("b"), value::from_int(2));
    set(h.alloc_str("a"), value::from_int(3));  // an equal key, another object
    EXPECT_EQ(heap::dict_len(d), 2u);
    EXPECT_EQ(get(h.alloc_str("a"))->as_int(), 3);
    EXPECT_EQ(get(h.alloc_str("b"))->as_int(), 2);
    EXPECT_FALSE(get(h.alloc_str("c")).has_value());
    // Numeric keys: 1, 1.0 and True are one key, as in Python.
    set(value::from_int(1), h.alloc_str("int"));
    set(value::from_float(1.0), h.alloc_str("float"));
    EXPECT_EQ(heap::dict_len(d), 3u);
    EXPECT_EQ(str_view(*get(value::true_value())), "float");
    // Tuple, bytes, None, bignum and big-string keys.
    set(h.alloc_tuple(std::vector<value>{value::from_int(1), h.alloc_str("k")}), value::from_int(10));
    set(h.alloc_bytes("raw"), value::from_int(11));
    set(value::none(), value::from_int(12));
    set(h.alloc_bignum(std::numeric_limits<std::int64_t>::min()), value::from_int(13));
    std::string long_key(200, 'k');
    set(h.alloc_str(long_key), value::from_int(14));
    h.collect();
    EXPECT_EQ(get(h.alloc_tuple(std::vector<value>{value::from_float(1.0), h.alloc_str("k")}))->as_int(), 10);
    EXPECT_EQ(get(h.alloc_bytes("raw"))->as_int(), 11);
    EXPECT_EQ(get(value::none())->as_int(), 12);
    EXPECT_EQ(get(h.alloc_bignum(std::numeric_limits<std::int64_t>::min()))->as_int(), 13);
    EXPECT_EQ(get(h.alloc_str(long_key))->as_int(), 14);
    EXPECT_FALSE(get(h.alloc_bytes("a")).has_value());  // bytes never equal str
    EXPECT_THROW(set(h.alloc_list(), value::none()), unhashable_key);
    EXPECT_THROW(get(h.alloc_dict()), unhashable_key);
    EXPECT_EQ(heap::dict_len(d), 8u);
}

TEST(HeapDict, DeleteLeavesTombstonesAndKeepsOrder) {
    heap h;
    rooted d(h, h.alloc_dict());
    for (int i = 0; i < 5; ++i) h.dict_set(d, value::from_int(i), value::from_int(i * i));
    EXPECT_TRUE(h.dict_del(d, value::from_int(1)));
    EXPECT_TRUE(h.dict_del(d, value::from_int(3)));
    EXPECT_FALSE(h.dict_del(d, value::from_int(3)));
    EXPECT_FALSE(h.dict_del(d, value::from_int(99)));
    EXPECT_EQ(heap::dict_len(d), 3u);
    EXPECT_EQ(as_dict(d)->used, 5u);  // the two tombstones are still there
    EXPECT_EQ(int_keys(d), (std::vector<std::int64_t>{0, 2, 4}));
    EXPECT_FALSE(h.dict_get(d, value::from_int(1)).has_value());
    EXPECT_EQ(h.dict_get(d, value::from_int(4))->as_int(), 16);
    // The table is full (capacity 5, two of them tombstones): re-inserting a
    // deleted key rebuilds it without tombstones, and the key goes last.
    EXPECT_EQ(as_dict_table(as_dict(d)->table)->capacity, 5u);
    h.dict_set(d, value::from_int(1), value::from_int(-1));
    EXPECT_EQ(as_dict(d)->used, heap::dict_len(d));
    EXPECT_EQ(as_dict_table(as_dict(d)->table)->capacity, 10u);
    EXPECT_EQ(int_keys(d), (std::vector<std::int64_t>{0, 2, 4, 1}));
    // With room left, a tombstone stays and the re-added key is appended.
    EXPECT_TRUE(h.dict_del(d, value::from_int(2)));
    h.dict_set(d, value::from_int(2), value::from_int(4));
    EXPECT_EQ(as_dict(d)->used, 5u);
    EXPECT_EQ(heap::dict_len(d), 4u);
    EXPECT_EQ(int_keys(d), (std::vector<std::int64_t>{0, 4, 1, 2}));
    EXPECT_EQ(h.dict_get(d, value::from_int(2))->as_int(), 4);
}

TEST(HeapDict, GrowsAndShrinksKeepingInsertionOrder) {
    heap h;
    rooted d(h, h.alloc_dict());
    const int n = 20'000;
    for (int i = 0; i < n; ++i) h.dict_set(d, value::from_int((i * 7919) % n), value::from_int(i));
    EXPECT_EQ(heap::dict_len(d), std::uint32_t(n));
    std::vector<std::int64_t> keys = int_keys(d);
    ASSERT_EQ(keys.size(), std::size_t(n));
    for (int i = 0; i < n; ++i) EXPECT_EQ(keys[i], (i * 7919) % n);
    for (int i = 0; i < n; ++i) {
        if (i % 10) {
            ASSERT_TRUE(h.dict_del(d, value::from_int(i)));
        }
    }
    std::uint32_t big_index = as_dict_table(as_dict(d)->table)->index_size;
    for (int i = 0; i < n; ++i) ASSERT_EQ(h.dict_get(d, value::from_int(i)).has_value(), i % 10 == 0);
    // Fill the tombstoned table: the rebuild sizes it from the live count.
    for (int i = n; as_dict(d)->used < as_dict_table(as_dict(d)->table)->capacity; ++i)
        h.dict_set(d, value::from_int(i), value::none());
    h.dict_set(d, value::from_int(-1), value::none());
    EXPECT_LT(as_dict_table(as_dict(d)->table)->index_size, big_index);
    keys = int_keys(d);
    std::vector<std::int64_t> expect;
    for (int i = 0; i < n; ++i)
        if (((i * 7919) % n) % 10 == 0) expect.push_back((i * 7919) % n);
    ASSERT_GE(keys.size(), expect.size() + 1);
    EXPECT_TRUE(std::equal(expect.begin(), expect.end(), keys.begin()));
    EXPECT_EQ(keys.back(), -1);
    for (int i = 0; i < n; i += 10) EXPECT_EQ(h.dict_get(d, value::from_int(i))->as_int() % 1, 0);
}

TEST(HeapDict, SizedUpFrontDoesNotGrow) {
    heap h;
    rooted d(h, h.alloc_dict(100));
    value table = as_dict(d)->table;
    for (int i = 0; i < 100; ++i) h.dict_set(d, value::from_int(i), value::none());
    EXPECT_TRUE(identical(as_dict(d)->table, table));  // no collection happened either: same block
}

TEST(HeapDict, KeysAndValuesSurviveCollections) {
    heap h;
    rooted d(h, h.alloc_dict());
    for (int i = 0; i < 2000; ++i) {
        rooted k(h, h.alloc_str("key" + std::to_string(i)));
        value v = h.alloc_tuple(std::vector<value>{value::from_int(i), h.alloc_str("v" + std::to_string(i))});
        h.dict_set(d, k, v);
        if (i % 3 == 0) h.alloc_str("garbage garbage garbage");
    }
    h.collect();
    for (int i = 0; i < 2000; ++i) {
        value k = h.alloc_str("key" + std::to_string(i));
        auto v = h.dict_get(d, k);
        ASSERT_TRUE(v.has_value());
        value t = *v;
        EXPECT_EQ(as_tuple(t)->items()[0].as_int(), i);
        EXPECT_EQ(str_view(as_tuple(t)->items()[1]), "v" + std::to_string(i));
    }
}

// -- frozen arena ------------------------------------------------------------

TEST(FrozenArena, ObjectsAreNeverMovedOrCopied) {
    frozen_arena arena;
    value name = arena.alloc_str("module constant");
    value big = arena.alloc_str(std::string(500, 'z'));
    limb limbs[] = {1, 2, 3};
    value num = arena.alloc_bignum(false, limbs);
    value tup = arena.alloc_tuple(std::vector<value>{name, big, num, value::from_int(4)});
    EXPECT_TRUE(tup.as_obj()->frozen());
    EXPECT_TRUE(as_shared(big)->flags & obj_flags::hashed);
    EXPECT_THROW(arena.alloc_tuple(std::vector<value>{value::from_int(1), heap().alloc_str("x")}), std::invalid_argument);

    heap h;
    rooted holder(h, h.alloc_tuple(std::vector<value>{tup, name}));
    std::uint64_t tup_bits = tup.bits();
    for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < 1000; ++i) h.alloc_tuple(3);  // garbage
        h.collect();
        EXPECT_EQ(as_tuple(holder)->items()[0].bits(), tup_bits);
        EXPECT_FALSE(h.in_block(as_tuple(holder)->items()[0].as_obj()));
    }
    EXPECT_EQ(h.verify(), "");
    EXPECT_LT(h.live_bytes_after_last_gc(), 64u);  // only the holder: nothing frozen was copied
    EXPECT_EQ(str_view(as_tuple(tup)->items()[0]), "module constant");
    EXPECT_EQ(str_view(as_tuple(tup)->items()[1]), std::string(500, 'z'));
    EXPECT_EQ(as_shared(big)->bin->use_count(), 1u);  // the arena's reference only
    value same = h.alloc_str("module constant");
    EXPECT_TRUE(default_equal(as_tuple(holder)->items()[1], same));
}

TEST(FrozenArena, FreezeCopiesDeeplyAndRefusesMutation) {
    frozen_arena arena;
    heap h;
    rooted list(h, h.alloc_list());
    rooted d(h, h.alloc_dict());
    value k = h.alloc_str("k");
    h.dict_set(d, k, value::from_int(1));
    h.list_append(list, d);
    h.list_append(list, d);  // shared: stays shared
    value q = h.alloc_str(std::string(100, 'q'));
    h.list_append(list, q);
    h.list_append(list, list);  // a cycle
    value f = arena.freeze(list);
    ASSERT_TRUE(f.as_obj()->frozen());
    EXPECT_TRUE(arena.contains(f.as_obj()));
    list_obj* fl = as_list(f);
    EXPECT_EQ(fl->length, 4u);
    EXPECT_TRUE(fl->items.as_obj()->frozen());
    EXPECT_TRUE(identical(fl->slots()[0], fl->slots()[1]));
    EXPECT_TRUE(identical(fl->slots()[3], f));
    EXPECT_TRUE(fl->slots()[0].as_obj()->frozen());
    EXPECT_EQ(h.dict_get(fl->slots()[0], h.alloc_str("k"))->as_int(), 1);
    shared_obj* s = as_shared(fl->slots()[2]);
    EXPECT_TRUE(s->frozen());
    EXPECT_EQ(s->bin->use_count(), 2u);  // the heap's and the arena's
    EXPECT_EQ(s->cp_count, 100u);
    EXPECT_THROW(h.list_append(f, value::none()), frozen_value_error);
    EXPECT_THROW(h.dict_set(fl->slots()[0], value::none(), value::none()), frozen_value_error);
    EXPECT_THROW(h.dict_del(fl->slots()[0], h.alloc_str("k")), frozen_value_error);
    EXPECT_TRUE(identical(arena.freeze(f), f));
    EXPECT_TRUE(identical(arena.freeze(value::from_int(3)), value::from_int(3)));
    // The original is unchanged and still mutable.
    h.list_append(list, value::none());
    EXPECT_EQ(as_list(list)->length, 5u);
}

// -- shared binaries ---------------------------------------------------------

TEST(SharedBinary, OneBufferForTwoHeapsAndCountsFollowTheHolders) {
    std::string mib(1 << 20, 'm');
    weft::shared_binary* buf = nullptr;
    {
        heap a;
        auto b = std::make_unique<heap>();
        rooted in_a(a, a.alloc_str(mib));
        ASSERT_EQ(kind_of(in_a), obj_kind::shared_str);
        buf = as_shared(in_a)->bin;
        buf->acquire();  // the test's own reference, to watch the count
        EXPECT_EQ(buf->use_count(), 2u);
        // "Send" it to b: the message carries a reference, b adopts it.
        buf->acquire();
        rooted in_b(*b, b->adopt_shared_str(buf));
        EXPECT_EQ(as_shared(in_b)->bin, buf);
        EXPECT_EQ(buf->use_count(), 3u);
        EXPECT_EQ(str_view(in_b).data(), str_view(in_a).data());  // one buffer
        EXPECT_EQ(str_length(in_b), std::size_t(1) << 20);
        EXPECT_TRUE(default_equal(in_a, in_b));
        EXPECT_EQ(default_hash(in_a), default_hash(in_b));
        EXPECT_LT(a.block_bytes() + b->block_bytes(), 4096u);  // the MiB is in neither heap

        // a's holder becomes unreachable: its reference goes at the next collection.
        in_a = value::none();
        EXPECT_EQ(buf->use_count(), 3u);
        a.collect();
        EXPECT_EQ(buf->use_count(), 2u);
        EXPECT_EQ(a.shared_bytes(), 0u);

        // b still holds it across collections (the list follows the moved object).
        b->collect();
        b->collect();
        EXPECT_EQ(b->verify(), "");
        EXPECT_EQ(buf->use_count(), 2u);
        EXPECT_EQ(str_view(in_b), mib);
        EXPECT_EQ(b->shared_bytes(), mib.size());
        // Destroying b releases its reference (the rooted must go first).
    }
    EXPECT_EQ(buf->use_count(), 1u);
    buf->release();
}

TEST(SharedBinary, HeapDestructionReleasesUnreachableAndReachableAlike) {
    weft::shared_binary* buf = weft::shared_binary::make(std::string(1000, 'x'));
    {
        heap h;
        for (int i = 0; i < 10; ++i) {
            buf->acquire();
            h.adopt_shared_bytes(buf);  // garbage right away, never collected
        }
        EXPECT_EQ(buf->use_count(), 11u);
    }
    EXPECT_EQ(buf->use_count(), 1u);
    buf->release();
}

TEST(SharedBinary, ManyDeadBinariesTriggerACollection) {
    heap_options opts;
    opts.shared_trigger_bytes = 1 << 20;
    heap h(opts);
    weft::shared_binary* buf = weft::shared_binary::make(std::string(64 << 10, 'x'));
    for (int i = 0; i < 100; ++i) {  // 6.4 MB of binaries, a few KB of heap
        buf->acquire();
        h.adopt_shared_bytes(buf);
    }
    EXPECT_GT(h.collections(), 0u);
    EXPECT_LE(h.shared_bytes(), std::size_t(1) << 20);
    EXPECT_LT(buf->use_count(), 30u);
    buf->release();
}

// -- footprint ---------------------------------------------------------------

TEST(HeapObjects, FreshHeapIsUnderOneKiB) {
    heap h;
    EXPECT_LT(h.fresh_footprint_bytes(), 1024u);
    EXPECT_EQ(h.block_bytes(), 0u);  // nothing until the first allocation
    h.alloc_tuple(1);
    EXPECT_EQ(h.block_bytes(), heap_options{}.first_block_bytes);
    EXPECT_LT(sizeof(heap) + h.block_bytes(), 1024u);
    RecordProperty("fresh_heap_bytes", int(sizeof(heap) + h.block_bytes()));
}

}  // namespace
}  // namespace weft::interp
