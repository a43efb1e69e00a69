// message_codec_test.cpp: the codec between heap values and envelopes
// (interp/message/codec.hpp): round trips of every kind of value, the very
// bytes weft::encode writes, shared binaries travelling by reference, deep and
// long values without native recursion, cycles and unsendable values as
// script errors, decoding while the heap collects at almost every
// allocation, functions and closures, and view_equals for receive patterns.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "interp/load/loader.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"
#include "serialize/codec.hpp"
#include "serialize/shared_binary.hpp"
#include "serialize/validate.hpp"
#include "tests/support/small_stack.hpp"

namespace weft::interp {
namespace {

// An envelope from this thread's pool, back to it at the end of the scope.
struct pooled {
    envelope* e = envelope::acquire();
    pooled() = default;
    pooled(const pooled&) = delete;
    pooled& operator=(const pooled&) = delete;
    ~pooled() { envelope::release(e); }
    term_view root() const { return term_view::root(*e); }
};

using words = std::vector<std::uint64_t>;
words words_of(const envelope& e) { return {e.words().begin(), e.words().end()}; }
words encoded(const program& p, value v) {
    pooled s;
    encode_value(p, v, *s.e);
    return words_of(*s.e);
}
words encoded(const term& t) {
    pooled s;
    weft::encode(t, *s.e);
    return words_of(*s.e);
}

std::unique_ptr<program> load(const std::string& source) { return load_program_source("t.weft", source); }

value global(const program& p, const std::string& name) {
    const module& m = p.main_module();
    return m.globals.at(m.global_index.at(name));
}

// Runs f(*args) to the end: the result's repr, or the exception's summary.
std::string run(vm& m, value f, std::vector<value> args = {}) {
    m.start(f, args);
    run_status s;
    do s = m.run();
    while (s == run_status::yielded);
    return s == run_status::done ? m.repr(m.result()) : m.exception_summary(m.error());
}

// "Kind: message" of the script_error fn throws, or "no error".
template <class F>
std::string error_of(F&& fn) {
    try {
        fn();
    } catch (const script_error& e) {
        return e.kind + ": " + e.message;
    }
    return "no error";
}

// Encodes v, decodes it into `to`; the result is rooted in `out`.
void round_trip(const program& p, value v, heap& to, rooted& out) {
    pooled s;
    encode_value(p, v, *s.e);
    out = decode_value(p, to, s.root());
}

std::byte operator""_b(unsigned long long x) { return std::byte(x); }

const char* const table_source = R"(
def table():
    return [None, True, False, 0, -1, 17, 140737488355327, -140737488355328,
            140737488355328, -140737488355329, 2**63 - 1, 2**63, -2**63, -2**63 - 1,
            2**200, -(2**200), 1.5, -0.0, float("inf"), float("-inf"), float("nan"),
            "", "abc", "h\u00e9llo \u2713 \U0001d11e", "x" * 63, "y" * 64, "z" * 1000, "\u00e9" * 40,
            b"", b"\x00\xff", b"b" * 63, b"c" * 64,
            (), (1,), (1, "a", (2.5, None)), [], [1, [2, "x"], []],
            {}, {"b": 1, "a": 2, 3: (4,)}, {(1, 2): [{"k": None}], "s" * 70: b"t" * 80},
            [(i, str(i), {i: [i]}) for i in range(50)]]
)";

TEST(MessageCodec, EveryKindOfValueRoundTrips) {
    auto p = load(table_source);
    vm a(*p), b(*p);
    ASSERT_EQ(run(a, global(*p, "table")).substr(0, 6), "[None,");
    value table = a.result();
    std::uint32_t n = as_list(table)->length;
    for (std::uint32_t i = 0; i < n; ++i) {
        value v = as_list(a.result())->slots()[i];
        rooted d(b.heap());
        round_trip(*p, v, b.heap(), d);
        EXPECT_EQ(encoded(*p, d), encoded(*p, v)) << a.repr(v);
        EXPECT_EQ(b.repr(d), a.repr(as_list(a.result())->slots()[i]));
    }
    EXPECT_EQ(b.heap().verify(), "");
    // -0.0 keeps its sign, the float NaN stays a float.
    rooted d(b.heap());
    round_trip(*p, value::from_float(-0.0), b.heap(), d);
    EXPECT_TRUE(identical(d, value::from_float(-0.0)));
    round_trip(*p, value::from_float(std::nan("")), b.heap(), d);
    EXPECT_TRUE(d.get().is_float() && std::isnan(d.get().as_float()));
}

TEST(MessageCodec, PidsRefsAndDictOrderRoundTrip) {
    program p{script_globals()};
    heap h1, h2;
    rooted d(h1, h1.alloc_dict());
    for (int k : {5, 1, 4, 2, 3}) {
        value key = h1.alloc_pid({7, 2, std::uint64_t(k)});
        value val = h1.alloc_ref({8, 3, std::uint64_t(k * 10)});
        rooted rk(h1, key);
        h1.dict_set(d, rk, val);
    }
    rooted out(h2);
    round_trip(p, d, h2, out);
    ASSERT_TRUE(is_kind(out, obj_kind::dict));
    std::uint32_t pos = 0;
    value k, v;
    std::vector<std::uint64_t> order;
    while (heap::dict_next(out, pos, k, v)) {
        ASSERT_TRUE(is_kind(k, obj_kind::pid) && is_kind(v, obj_kind::ref));
        EXPECT_EQ(as_pid(k)->p, (weft::pid{7, 2, as_pid(k)->p.serial}));
        EXPECT_EQ(as_ref(v)->r, (weft::ref{8, 3, as_pid(k)->p.serial * 10}));
        order.push_back(as_pid(k)->p.serial);
    }
    EXPECT_EQ(order, (std::vector<std::uint64_t>{5, 1, 4, 2, 3}));
    // Pids stay usable as dict keys after the trip.
    rooted probe(h2, h2.alloc_pid({7, 2, 4}));
    EXPECT_TRUE(h2.dict_get(out, probe).has_value());
}

TEST(MessageCodec, WritesTheWordsWeftEncodeWritesForTheSameTerm) {
    auto p = load("def f(x):\n    return x\ndef make(n):\n    def add(x, k=10):\n        return x + n + k\n"
                  "    return add\n");
    vm m(*p);
    heap& h = m.heap();
    std::string s70(70, 's'), s63(63, 'q');
    auto value_of = [&](int i) -> value {  // built afresh each time: nothing held across allocations
        switch (i) {
        case 0: return value::none();
        case 1: return value::true_value();
        case 2: return value::from_int(-5);
        case 3: return num::parse_int(h, "140737488355328");  // a heap bignum that fits int64
        case 4: return num::parse_int(h, "18446744073709551616");
        case 5: return num::parse_int(h, "-340282366920938463463374607431768211457");
        case 6: return value::from_float(2.5);
        case 7: return h.alloc_str("");
        case 8: return h.alloc_str(s63);
        case 9: return h.alloc_str(s70);
        case 10: return h.alloc_bytes(std::string_view("\x01\x02", 2));
        case 11: return h.alloc_pid({1, 2, 3});
        case 12: return h.alloc_ref({4, 5, 6});
        case 13: {
            rooted t(h, h.alloc_tuple(3));
            value x = h.alloc_str("ping");
            as_tuple(t)->items()[0] = x;
            value pid = h.alloc_pid({9, 1, 42});
            as_tuple(t)->items()[1] = pid;
            as_tuple(t)->items()[2] = value::from_int(17);
            return t;
        }
        case 14: {
            rooted l(h, h.alloc_list());
            rooted d(h, h.alloc_dict());
            value k = h.alloc_str("k");
            h.dict_set(d, k, value::from_int(2));
            h.list_append(l, d);
            value e = h.alloc_tuple(0);
            h.list_append(l, e);
            h.list_append(l, value::false_value());
            return l;
        }
        case 15: return global(*p, "f");
        case 16: return p->builtin_value(p->global_builtin("len"));
        case 17: {
            run(m, global(*p, "make"), {value::from_int(5)});
            return m.result();
        }
        }
        return value::none();
    };
    std::uint32_t f_id = function_proto(global(*p, "f"))->id;
    run(m, global(*p, "make"), {value::from_int(5)});
    std::uint32_t add_id = function_proto(m.result())->id;
    std::vector<std::byte> mag(16, 0_b);  // 2**128 + 1
    mag[0] = 1_b;
    mag.push_back(1_b);
    std::vector<term> terms = {
        term(), term(true), term(-5), term(std::int64_t(1) << 47),
        term::bignum(false, std::vector<std::byte>{0_b, 0_b, 0_b, 0_b, 0_b, 0_b, 0_b, 0_b, 1_b}),
        term::bignum(true, mag), term(2.5), term::str(""), term::str(s63), term::str(s70),
        term::bytes(std::string_view("\x01\x02", 2)), term(weft::pid{1, 2, 3}), term(weft::ref{4, 5, 6}),
        term::tuple({term::str("ping"), term(weft::pid{9, 1, 42}), term(17)}),
        term::list({term::dict({{term::str("k"), term(2)}}), term::tuple({}), term(false)}),
        term::function("t", f_id, "f"), term::function("builtins", 0, "len"),
        term::function("t", add_id, "add", {term(10), term(5)}),
    };
    for (int i = 0; i < int(terms.size()); ++i) EXPECT_EQ(encoded(*p, value_of(i)), encoded(terms[i])) << i;
}

TEST(MessageCodec, LongStrAndBytesTravelByReference) {
    program p{script_globals()};
    auto h1 = std::make_unique<heap>();
    rooted v(*h1, h1->alloc_bytes(std::string(1 << 20, 'q')));
    ASSERT_TRUE(is_kind(v, obj_kind::shared_bytes));
    shared_binary* bin = as_shared(v)->bin;
    EXPECT_EQ(bin->use_count(), 1u);
    envelope* e = envelope::acquire();
    encode_value(p, v, *e);
    ASSERT_EQ(e->binaries().size(), 1u);
    EXPECT_EQ(e->binaries()[0]->data(), bin->data());
    EXPECT_LT(e->words().size(), 8u);  // the bytes are not in the words
    {
        heap h2;
        value d = decode_value(p, h2, term_view::root(*e));
        ASSERT_TRUE(is_kind(d, obj_kind::shared_bytes));
        EXPECT_EQ(as_shared(d)->bin->data(), bin->data());
        EXPECT_EQ(bin->use_count(), 3u);  // the sender's heap, the envelope, the receiver's heap
        envelope::release(e);
        EXPECT_EQ(bin->use_count(), 2u);
    }
    EXPECT_EQ(bin->use_count(), 1u);
    // A long str too, and one of 64 bytes exactly; 63 bytes are copied.
    heap h3;
    for (std::size_t len : {64u, 5000u}) {
        rooted s(*h1, h1->alloc_str(std::string(len, 'w')));
        pooled env;
        encode_value(p, s, *env.e);
        ASSERT_EQ(env.e->binaries().size(), 1u);
        value d = decode_value(p, h3, env.root());
        ASSERT_TRUE(is_kind(d, obj_kind::shared_str));
        EXPECT_EQ(as_shared(d)->bin, as_shared(s)->bin);
        EXPECT_EQ(str_length(d), len);
    }
    rooted s63(*h1, h1->alloc_str(std::string(63, 'w')));
    pooled env;
    encode_value(p, s63, *env.e);
    EXPECT_EQ(env.e->binaries().size(), 0u);
    EXPECT_TRUE(is_kind(decode_value(p, h3, env.root()), obj_kind::str));
}

// [[[...[] ...]]] (or tuples) nested `depth` levels, with the term that says the same.
value nested(heap& h, int depth, bool tuples, term* t) {
    rooted v(h, tuples ? h.alloc_tuple(0) : h.alloc_list());
    if (t) *t = tuples ? term::tuple({}) : term::list({});
    for (int i = 1; i < depth; ++i) {
        if (tuples) {
            value o = h.alloc_tuple(1);
            as_tuple(o)->items()[0] = v;
            v = o;
        } else {
            rooted o(h, h.alloc_list(1));
            h.list_append(o, v);
            v = o.get();
        }
        if (t) {  // moved, not copied: an initializer_list would copy the whole chain each time
            std::vector<term> items;
            items.push_back(std::move(*t));
            *t = tuples ? term::tuple(std::move(items)) : term::list(std::move(items));
        }
    }
    return v;
}

TEST(MessageCodec, DeepValuesNeverRecurseOnTheNativeStack) {
    program p{script_globals()};
    test::run_with_stack(64 * 1024, [&] {
        for (bool tuples : {false, true}) {
            heap h1, h2;
            term t;
            rooted v(h1, nested(h1, 10'000, tuples, &t));
            pooled env;
            encode_value(p, v, *env.e);
            EXPECT_EQ(words_of(*env.e), encoded(t));
            rooted d(h2, decode_value(p, h2, env.root()));
            EXPECT_EQ(encoded(p, d), words_of(*env.e));
            EXPECT_EQ(h2.verify(), "");
        }
        heap h1, h2;  // and much deeper
        rooted v(h1, nested(h1, 200'000, false, nullptr));
        pooled env;
        encode_value(p, v, *env.e);
        rooted d(h2, decode_value(p, h2, env.root()));
        int depth = 1;
        for (value x = d; as_list(x)->length; x = as_list(x)->slots()[0]) ++depth;
        EXPECT_EQ(depth, 200'000);
    });
}

TEST(MessageCodec, LongListsRoundTrip) {
    program p{script_globals()};
    heap h1, h2;
    rooted l(h1, h1.alloc_list(100'000));
    for (int i = 0; i < 100'000; ++i) {
        value x = i % 3 ? value::from_int(i) : h1.alloc_str(std::to_string(i));
        h1.list_append(l, x);
    }
    rooted d(h2);
    round_trip(p, l, h2, d);
    ASSERT_EQ(as_list(d)->length, 100'000u);
    EXPECT_EQ(as_list(d)->slots()[99'998].as_int(), 99'998);
    EXPECT_EQ(str_view(as_list(d)->slots()[99'999]), "99999");
    EXPECT_EQ(encoded(p, d), encoded(p, l));
}

TEST(MessageCodec, CyclesAreValueErrorsAndSharingIsNot) {
    program p{script_globals()};
    heap h;
    pooled env;
    rooted l(h, h.alloc_list());
    h.list_append(l, value::from_int(1));
    h.list_append(l, l);
    EXPECT_EQ(error_of([&] { encode_value(p, l, *env.e); }), "ValueError: cannot send a list that contains itself");
    rooted d(h, h.alloc_dict());
    rooted k(h, h.alloc_str("me"));
    h.dict_set(d, k, d);
    EXPECT_EQ(error_of([&] { encode_value(p, d, *env.e); }), "ValueError: cannot send a dict that contains itself");
    // [{"l": <the list>}]: reported as the list, the first container met twice.
    rooted l2(h, h.alloc_list());
    rooted d2(h, h.alloc_dict());
    h.dict_set(d2, k, l2);
    h.list_append(l2, d2);
    EXPECT_EQ(error_of([&] { encode_value(p, l2, *env.e); }), "ValueError: cannot send a list that contains itself");
    // Deep inside a tuple: still found.
    rooted t(h, h.alloc_tuple(2));
    as_tuple(t)->items()[1] = l2;
    EXPECT_EQ(error_of([&] { encode_value(p, t, *env.e); }), "ValueError: cannot send a list that contains itself");
    EXPECT_EQ(h.verify(), "");
    // The same list many times, at every depth of a deep path, is no cycle.
    rooted leaf(h, h.alloc_list());
    h.list_append(leaf, value::from_int(7));
    rooted chain(h, h.alloc_list());
    for (int i = 0; i < 3000; ++i) {
        rooted o(h, h.alloc_list(2));
        h.list_append(o, leaf);
        h.list_append(o, chain);
        chain = o.get();
    }
    encode_value(p, chain, *env.e);
    heap h2;
    rooted back(h2, decode_value(p, h2, env.root()));
    EXPECT_EQ(encoded(p, back), words_of(*env.e));
}

TEST(MessageCodec, FrozenCyclesAndSelfReferringClosuresAreValueErrors) {
    auto p = load("xs = [1]\nxs.append(xs)\nd = {}\nd['d'] = [d]\n"
                  "def make():\n    def rec(n):\n        return 0 if n == 0 else rec(n - 1)\n    return rec\n");
    pooled env;
    EXPECT_EQ(error_of([&] { encode_value(*p, global(*p, "xs"), *env.e); }),
              "ValueError: cannot send a list that contains itself");
    EXPECT_EQ(error_of([&] { encode_value(*p, global(*p, "d"), *env.e); }),
              "ValueError: cannot send a dict that contains itself");
    vm m(*p);
    EXPECT_EQ(run(m, global(*p, "make")), "<function rec>");
    EXPECT_EQ(error_of([&] { encode_value(*p, m.result(), *env.e); }),
              "ValueError: cannot send a function that refers to itself");
    EXPECT_EQ(m.heap().verify(), "");
}

TEST(MessageCodec, RangesBoundMethodsModulesAndExceptionsAreTypeErrors) {
    auto p = load("def r():\n    return range(3)\ndef b():\n    return [].append\n"
                  "def e():\n    return ValueError('x')\n");
    vm m(*p);
    pooled env;
    run(m, global(*p, "r"));
    EXPECT_EQ(error_of([&] { encode_value(*p, m.result(), *env.e); }), "TypeError: cannot send a 'range' object");
    run(m, global(*p, "b"));
    EXPECT_EQ(error_of([&] { encode_value(*p, m.result(), *env.e); }),
              "TypeError: cannot send a 'builtin_function_or_method' object");
    run(m, global(*p, "e"));
    EXPECT_EQ(error_of([&] { encode_value(*p, m.result(), *env.e); }), "TypeError: cannot send a 'ValueError' object");
    value mod = alloc_native(m.heap(), native_kind::module, 0, sizeof(const module*));
    set_native_raw(mod, &p->main_module());
    EXPECT_EQ(error_of([&] { encode_value(*p, mod, *env.e); }), "TypeError: cannot send a 'module' object");
    // Inside a container too.
    rooted l(m.heap(), m.heap().alloc_list());
    run(m, global(*p, "r"));
    m.heap().list_append(l, m.result());
    EXPECT_EQ(error_of([&] { encode_value(*p, l, *env.e); }), "TypeError: cannot send a 'range' object");
}

TEST(MessageCodec, DecodesCorrectlyWhenAlmostEveryAllocationCollects) {
    auto p = load(std::string(table_source) +
                  "def make(n):\n    def add(x, k=[1, 2]):\n        return x + n + k[1]\n    return add\n"
                  "def big():\n    return [table(), [{'k': (i, str(i) * 3, [i] * 3)} for i in range(300)],"
                  " make(40), [[[[[(j,)]]]] for j in range(100)]]\n");
    vm a(*p);
    ASSERT_EQ(run(a, global(*p, "big")).substr(0, 7), "[[None,");
    pooled env;
    encode_value(*p, a.result(), *env.e);
    vm_options tiny;
    tiny.heap.first_block_bytes = 64;
    vm b(*p, tiny);
    rooted d(b.heap(), decode_value(*p, b.heap(), env.root()));
    EXPECT_GT(b.heap().collections(), 5u);
    EXPECT_EQ(b.heap().verify(), "");
    EXPECT_EQ(encoded(*p, d), words_of(*env.e));
    EXPECT_EQ(b.repr(d), a.repr(a.result()));
    value add = as_list(d)->slots()[2];
    EXPECT_EQ(run(b, add, {value::from_int(2)}), "44");
}

TEST(MessageCodec, TopLevelFunctionsComeBackAsTheFrozenGlobalAndBuiltinsByName) {
    auto p = load("def f(x):\n    return x * 2\n");
    heap h;
    for (value v : {global(*p, "f"), p->builtin_value(p->global_builtin("len")),
                    p->builtin_value(p->global_builtin("ValueError")), p->builtin_value(p->global_builtin("print"))}) {
        rooted d(h);
        round_trip(*p, v, h, d);
        EXPECT_TRUE(identical(d, v));
    }
    EXPECT_EQ(h.bytes_allocated(), 0u);  // nothing was allocated for them
}

TEST(MessageCodec, ClosuresCarryTheirDefaultsAndCapturedValues) {
    auto p = load(
        "def make_adder(n, scale):\n"
        "    items = [n, n]\n"
        "    def add(x, k=10, *, m=2):\n"
        "        return (x + sum(items)) * scale * m + k\n"
        "    return add\n"
        "def make_req():\n"
        "    def need(x, *, req):\n"
        "        return x + req\n"
        "    return need\n"
        "def early(flag):\n"
        "    def g():\n"
        "        return later\n"
        "    if flag:\n"
        "        later = 1\n"
        "    return g\n"
        "def make_lambda():\n"
        "    return lambda x: x + 1\n");
    vm a(*p), b(*p);
    auto moved = [&](value v) {
        pooled env;
        encode_value(*p, v, *env.e);
        return decode_value(*p, b.heap(), env.root());
    };
    EXPECT_EQ(run(a, global(*p, "make_adder"), {value::from_int(3), value::from_int(4)}), "<function add>");
    value add = moved(a.result());
    EXPECT_FALSE(add.as_obj()->frozen());
    EXPECT_EQ(run(b, add, {value::from_int(1)}), "66");  // (1 + 6) * 4 * 2 + 10
    // A required keyword-only parameter stays required.
    run(a, global(*p, "make_req"));
    value need = moved(a.result());
    EXPECT_NE(run(b, need, {value::from_int(1)}).find("req"), std::string::npos);
    // A captured variable not yet assigned stays unbound.
    run(a, global(*p, "early"), {value::false_value()});
    value g = moved(a.result());
    std::string err = run(b, g);
    EXPECT_EQ(err.rfind("NameError", 0), 0u) << err;
    EXPECT_NE(err.find("later"), std::string::npos) << err;
    // The unbound marker is a Function with a null pointer: valid for other nodes and for terms.
    {
        pooled env;
        encode_value(*p, a.result(), *env.e);
        EXPECT_FALSE(validate(env.e->words(), env.e->binaries().size()).has_value());
        term t = weft::decode(*env.e);
        ASSERT_TRUE(t.is_function());
        ASSERT_EQ(t.as_function().captures.size(), 1u);
        EXPECT_EQ(t.as_function().captures[0], term::function("", 0, ""));
    }
    run(a, global(*p, "early"), {value::true_value()});
    EXPECT_EQ(run(b, moved(a.result())), "1");
    run(a, global(*p, "make_lambda"));
    EXPECT_EQ(run(b, moved(a.result()), {value::from_int(41)}), "42");
    EXPECT_EQ(b.heap().verify(), "");
}

TEST(MessageCodec, FunctionsTheProgramDoesNotHaveAreValueErrors) {
    auto p = load("def f(x):\n    return x\n");
    std::uint32_t id = function_proto(global(*p, "f"))->id;
    heap h;
    auto decoded = [&](const term& t) {
        pooled env;
        weft::encode(t, *env.e);
        return error_of([&] { decode_value(*p, h, env.root()); });
    };
    EXPECT_EQ(decoded(term::function("t", 99'999, "f")),  // another version of the program
              "ValueError: function 'f' of module 't' is not in this program");
    EXPECT_EQ(decoded(term::function("t", id, "g")), "ValueError: function 'g' of module 't' is not in this program");
    EXPECT_EQ(decoded(term::function("u", id, "f")), "ValueError: function 'f' of module 'u' is not in this program");
    EXPECT_EQ(decoded(term::function("t", id, "f", {term(1)})),
              "ValueError: function 'f' of module 't' is not in this program");
    EXPECT_EQ(decoded(term::function("builtins", 0, "nosuch")),
              "ValueError: function 'nosuch' of module 'builtins' is not in this program");
    EXPECT_EQ(decoded(term::function("t", id, "f")), "no error");
    // A list key from a native actor's dict.
    EXPECT_EQ(decoded(term::dict({{term::list({}), term(1)}})), "TypeError: unhashable type: 'list'");
    EXPECT_EQ(h.verify(), "");
}

TEST(MessageCodec, ViewEqualsIsPythonsEquality) {
    auto p = load("def f():\n    return 1\n");
    heap h;
    rooted x(h);
    auto check = [&](const term& t, value v, bool expected, int line) {
        x = v;
        pooled env;
        weft::encode(t, *env.e);
        EXPECT_EQ(view_equals(*p, env.root(), x), expected) << "line " << line << ": " << t.repr();
    };
    auto tuple2 = [&](value a, value b) {
        rooted ra(h, a), rb(h, b);
        value t = h.alloc_tuple(2);
        as_tuple(t)->items()[0] = ra;
        as_tuple(t)->items()[1] = rb;
        return t;
    };
    auto list2 = [&](value a, value b) {
        rooted ra(h, a), rb(h, b);
        rooted l(h, h.alloc_list());
        h.list_append(l, ra);
        h.list_append(l, rb);
        return l.get();
    };
    auto big = [&](const char* digits) { return num::parse_int(h, digits); };
    value one = value::from_int(1);
    std::vector<std::byte> two64{0_b, 0_b, 0_b, 0_b, 0_b, 0_b, 0_b, 0_b, 1_b};
    std::vector<std::byte> two100(12, 0_b);
    two100.push_back(0x10_b);
    std::string s64(64, 'a'), s63(63, 'a'), s200(200, 'b');

    check(term(1), one, true, __LINE__);
    check(term(1), value::from_float(1.0), true, __LINE__);
    check(term(1.0), one, true, __LINE__);
    check(term(true), one, true, __LINE__);
    check(term(1), value::true_value(), true, __LINE__);
    check(term(true), value::from_float(1.0), true, __LINE__);
    check(term(0), value::false_value(), true, __LINE__);
    check(term(-0.0), value::from_int(0), true, __LINE__);
    check(term(2), value::true_value(), false, __LINE__);
    check(term(1.5), one, false, __LINE__);
    check(term(std::nan("")), value::from_float(std::nan("")), false, __LINE__);
    check(term(), value::none(), true, __LINE__);
    check(term(), value::from_int(0), false, __LINE__);
    check(term(false), value::none(), false, __LINE__);
    check(term::str("a"), h.alloc_bytes(std::string_view("a")), false, __LINE__);
    check(term::bytes(std::string_view("a")), h.alloc_bytes(std::string_view("a")), true, __LINE__);
    check(term::str("a"), h.alloc_str("a"), true, __LINE__);
    check(term::str("a"), h.alloc_str("b"), false, __LINE__);
    check(term::str(s64), h.alloc_str(s64), true, __LINE__);   // shared on both sides
    check(term::str(s64), h.alloc_str(s63), false, __LINE__);
    check(term::str(s200), h.alloc_str(s200), true, __LINE__);
    check(term::tuple({term(1), term(2)}), list2(one, value::from_int(2)), false, __LINE__);
    check(term::list({term(1), term(2)}), tuple2(one, value::from_int(2)), false, __LINE__);
    check(term::tuple({term(1), term(2)}), tuple2(one, value::from_int(2)), true, __LINE__);
    check(term::list({term(1), term::tuple({term::str("x")})}),
          list2(value::from_float(1.0), tuple2(h.alloc_str("x"), value::none())), false, __LINE__);
    check(term::list({term(1), term::tuple({term::str("x"), term()})}),
          list2(value::from_float(1.0), tuple2(h.alloc_str("x"), value::none())), true, __LINE__);
    check(term::bignum(false, two64), big("18446744073709551616"), true, __LINE__);
    check(term::bignum(false, two64), big("18446744073709551617"), false, __LINE__);
    check(term::bignum(true, two64), big("18446744073709551616"), false, __LINE__);
    check(term::bignum(false, two100), value::from_float(std::ldexp(1.0, 100)), true, __LINE__);
    check(term::bignum(false, two100), value::from_float(std::ldexp(1.0, 100) * (1 + 1e-15)), false, __LINE__);
    check(term(std::ldexp(1.0, 64)), big("18446744073709551616"), true, __LINE__);
    check(term(std::int64_t(1) << 47), big("140737488355328"), true, __LINE__);       // a heap bignum
    check(term(std::numeric_limits<std::int64_t>::min()), big("-9223372036854775808"), true, __LINE__);
    check(term(std::numeric_limits<std::int64_t>::min()), value::from_float(-std::ldexp(1.0, 63)), true, __LINE__);
    check(term(weft::pid{1, 2, 3}), h.alloc_pid({1, 2, 3}), true, __LINE__);
    check(term(weft::pid{1, 2, 3}), h.alloc_pid({1, 2, 4}), false, __LINE__);
    check(term(weft::ref{1, 2, 3}), h.alloc_pid({1, 2, 3}), false, __LINE__);
    check(term(weft::ref{1, 2, 3}), h.alloc_ref({1, 2, 3}), true, __LINE__);
    {
        rooted d(h, h.alloc_dict());
        value kb = h.alloc_str("b");
        h.dict_set(d, kb, value::from_int(2));
        value ka = h.alloc_str("a");
        h.dict_set(d, ka, one);
        check(term::dict({{term::str("a"), term(1.0)}, {term::str("b"), term(2)}}), d, true, __LINE__);
        check(term::dict({{term::str("a"), term(1)}, {term::str("b"), term(3)}}), d, false, __LINE__);
        check(term::dict({{term::str("a"), term(1)}}), d, false, __LINE__);
        check(term::dict({{term::str("a"), term(1)}, {term::str("c"), term(2)}}), d, false, __LINE__);
    }
    check(term::function("t", function_proto(global(*p, "f"))->id, "f"), global(*p, "f"), true, __LINE__);
    check(term::function("builtins", 0, "len"), p->builtin_value(p->global_builtin("len")), true, __LINE__);
    check(term::function("builtins", 0, "len"), p->builtin_value(p->global_builtin("print")), false, __LINE__);
    // Nesting: 50 levels compare; past 100 the answer is false, never a crash.
    term t50, t150;
    rooted v50(h, nested(h, 50, true, &t50));
    check(t50, v50, true, __LINE__);
    rooted v150(h, nested(h, 150, true, &t150));
    check(t150, v150, false, __LINE__);
}

}  // namespace
}  // namespace weft::interp
