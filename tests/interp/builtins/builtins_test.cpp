// builtins_test.cpp: the builtin registry and the vm's value operations,
// called directly: names and types, argument errors as script_error, print's
// single write, repr of the VM's objects, == and < on deep and cyclic
// values, iteration, exceptions, sorting speed and frozen values. (The
// builtins' and methods' behaviour case by case is in *_cases_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "interp/builtins/builtins.hpp"
#include "interp/compile/code.hpp"
#include "interp/load/loader.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::test {
namespace {

class Builtins : public ::testing::Test {
protected:
    program prog{script_globals()};
    std::vector<std::string> writes;
    line_writer writer = [this](std::string_view s, bool) { writes.emplace_back(s); };
    vm m{prog, options()};

    vm_options options() {
        vm_options o;
        o.out = &writer;
        return o;
    }
    heap& h() { return m.heap(); }
    value fn(const char* name) {
        const builtin_def* d = find_builtin(name);
        EXPECT_NE(d, nullptr) << name;
        return prog.builtin_value(d);
    }
    // repr of the result, or "Kind: message" of the error.
    std::string call(const char* name, std::vector<value> args, value kwargs = value::none()) {
        root_scope keep(h(), args);
        try {
            return m.repr(m.call(fn(name), args, kwargs));
        } catch (const script_error& e) {
            return e.kind + ": " + e.message;
        }
    }
    value str(std::string_view s) { return h().alloc_str(s); }
    // A list of small ints.
    value int_list(const std::vector<std::int64_t>& xs) {
        rooted l(h(), h().alloc_list(xs.size()));
        for (std::int64_t x : xs) h().list_append(l, value::from_int(x));
        return l;
    }
};

TEST_F(Builtins, EveryLanguageBuiltinHasAName) {
    for (const char* name : {"print", "len", "range", "str", "int", "float", "bool", "repr", "abs", "min", "max",
                             "sum", "sorted", "reversed", "enumerate", "zip", "list", "dict", "tuple", "bytes",
                             "isinstance", "type", "hash", "ord", "chr", "divmod", "round", "any", "all", "set",
                             "frozenset", "iter", "next", "map", "filter"})
        EXPECT_NE(find_builtin(name), nullptr) << name;
    for (const char* name : {"NoneType", "function", "pid", "ref", "module", "object", "iterator", "print2"})
        EXPECT_EQ(find_builtin(name), nullptr) << name;
    // The program has a value for every def of its globals, the unnamed types included,
    // and sees the names of both the builtins module and the actor builtins.
    for (const native_module* mod : script_globals()) {
        for (const builtin_def* d : mod->functions) {
            EXPECT_FALSE(prog.builtin_value(d).is_none()) << d->name;
            EXPECT_EQ(prog.global_builtin(d->name), d) << d->name;
            EXPECT_EQ(prog.find_builtin("builtins", d->name), d) << d->name;
        }
        for (const builtin_def* d : mod->unnamed) {
            EXPECT_FALSE(prog.builtin_value(d).is_none()) << d->name;
            EXPECT_EQ(prog.global_builtin(d->name), nullptr) << d->name;
        }
    }
    EXPECT_NE(prog.global_builtin("spawn"), nullptr);
    EXPECT_EQ(find_builtin("spawn"), nullptr);  // an actor builtin, not the builtins module's
    EXPECT_EQ(find_builtin("range")->type, type_tag::range);
    EXPECT_NE(find_builtin("range")->fn, nullptr);
}

TEST_F(Builtins, ExceptionClassesAndTheirHierarchy) {
    for (const char* name : {"Exception", "ArithmeticError", "LookupError", "ValueError", "TypeError", "KeyError",
                             "IndexError", "ZeroDivisionError", "OverflowError", "RuntimeError", "RecursionError",
                             "NameError", "AssertionError", "MemoryError", "TimeoutError", "AttributeError",
                             "ImportError"}) {
        const builtin_def* c = find_exception_class(name);
        ASSERT_NE(c, nullptr) << name;
        EXPECT_EQ(c->type, type_tag::exception);
        EXPECT_EQ(find_builtin(name), c);
        EXPECT_TRUE(exception_class_is(c, find_exception_class("Exception"))) << name;
    }
    auto is = [](const char* c, const char* base) {
        return exception_class_is(find_exception_class(c), find_exception_class(base));
    };
    EXPECT_TRUE(is("KeyError", "LookupError"));
    EXPECT_TRUE(is("IndexError", "LookupError"));
    EXPECT_TRUE(is("ZeroDivisionError", "ArithmeticError"));
    EXPECT_TRUE(is("OverflowError", "ArithmeticError"));
    EXPECT_TRUE(is("RecursionError", "RuntimeError"));
    EXPECT_FALSE(is("KeyError", "ValueError"));
    EXPECT_FALSE(is("Exception", "ValueError"));
    EXPECT_EQ(find_exception_class("len"), nullptr);
}

TEST_F(Builtins, TypeOfEveryValue) {
    auto name = [](value v) { return std::string(type_def_of(v)->name); };
    EXPECT_EQ(name(value::from_int(1)), "int");
    EXPECT_EQ(name(value::true_value()), "bool");
    EXPECT_EQ(name(value::none()), "NoneType");
    EXPECT_EQ(name(value::from_float(1.5)), "float");
    EXPECT_EQ(name(h().alloc_bignum(std::int64_t(1) << 60)), "int");
    EXPECT_EQ(name(str("x")), "str");
    EXPECT_EQ(name(h().alloc_bytes(std::string_view("x"))), "bytes");
    EXPECT_EQ(name(h().alloc_tuple(std::size_t(0))), "tuple");
    EXPECT_EQ(name(h().alloc_list()), "list");
    EXPECT_EQ(name(h().alloc_dict()), "dict");
    EXPECT_EQ(name(fn("len")), "function");
    EXPECT_EQ(name(fn("int")), "function");
    rooted args(h(), h().alloc_tuple(std::size_t(0)));
    EXPECT_EQ(name(m.make_exception(find_exception_class("KeyError"), args)), "KeyError");
    EXPECT_EQ(call("type", {value::from_int(3)}), "<class 'int'>");
    EXPECT_EQ(call("type", {value::none()}), "<class 'NoneType'>");
}

TEST_F(Builtins, MethodsByReceiver) {
    rooted s(h(), str("x")), b(h(), h().alloc_bytes(std::string_view("x")));
    rooted l(h(), h().alloc_list()), d(h(), h().alloc_dict());
    for (const char* name : {"append", "pop", "insert", "extend", "index", "remove", "sort", "reverse", "copy",
                             "count", "clear"})
        EXPECT_NE(find_method(l, name), nullptr) << name;
    for (const char* name : {"get", "keys", "values", "items", "pop", "setdefault", "update", "copy", "clear",
                             "popitem"})
        EXPECT_NE(find_method(d, name), nullptr) << name;
    for (const char* name : {"split", "join", "strip", "lstrip", "rstrip", "startswith", "endswith", "upper", "lower",
                             "find", "replace", "encode", "format", "count", "index", "isdigit", "isalpha",
                             "isspace", "rfind", "splitlines", "title", "capitalize", "swapcase", "casefold",
                             "isalnum", "isdecimal", "isnumeric", "islower", "isupper", "istitle", "isidentifier"})
        EXPECT_NE(find_method(s, name), nullptr) << name;
    EXPECT_NE(find_method(b, "decode"), nullptr);
    EXPECT_EQ(find_method(b, "split"), nullptr);
    EXPECT_EQ(find_method(s, "decode"), nullptr);
    EXPECT_EQ(find_method(l, "get"), nullptr);
    EXPECT_EQ(find_method(s, "translate"), nullptr);
    EXPECT_EQ(find_method(value::from_int(1), "append"), nullptr);
    EXPECT_EQ(std::string(find_method(l, "append")->name), "append");
}

TEST_F(Builtins, ArgumentErrorsAreCPythons) {
    EXPECT_EQ(call("len", {}), "TypeError: len() takes exactly one argument (0 given)");
    EXPECT_EQ(call("len", {value::from_int(1), value::from_int(2)}),
              "TypeError: len() takes exactly one argument (2 given)");
    EXPECT_EQ(call("len", {value::from_int(5)}), "TypeError: object of type 'int' has no len()");
    EXPECT_EQ(call("chr", {value::from_int(-1)}), "ValueError: chr() arg not in range(0x110000)");
    EXPECT_EQ(call("divmod", {value::from_int(1)}), "TypeError: divmod expected 2 arguments, got 1");
    EXPECT_EQ(call("range", {}), "TypeError: range expected at least 1 argument, got 0");
    EXPECT_EQ(call("min", {h().alloc_list()}), "ValueError: min() arg is an empty sequence");
    EXPECT_EQ(call("sorted", {}), "TypeError: sorted expected 1 argument, got 0");
    rooted kw(h(), h().alloc_dict());
    value k = str("x");
    h().dict_set(kw, k, value::from_int(1));
    EXPECT_EQ(call("print", {}, kw), "TypeError: 'x' is an invalid keyword argument for print()");
    EXPECT_EQ(call("len", {h().alloc_list()}, kw), "TypeError: len() takes no keyword arguments");
    EXPECT_TRUE(writes.empty());
}

TEST_F(Builtins, PrintWritesEachCallOnce) {
    rooted kw(h(), h().alloc_dict());
    value k = str("sep");
    rooted keep(h(), k);
    value v = str("-");
    h().dict_set(kw, keep, v);
    EXPECT_EQ(call("print", {value::from_int(1), str("a"), value::none()}), "None");
    EXPECT_EQ(call("print", {value::from_int(1), value::from_int(2)}, kw), "None");
    EXPECT_EQ(call("print", {}), "None");
    ASSERT_EQ(writes.size(), 3u);
    EXPECT_EQ(writes[0], "1 a None\n");
    EXPECT_EQ(writes[1], "1-2\n");
    EXPECT_EQ(writes[2], "\n");
}

TEST_F(Builtins, ReprOfTheVmsObjects) {
    EXPECT_EQ(m.repr(fn("len")), "<built-in function len>");
    EXPECT_EQ(m.repr(fn("dict")), "<class 'dict'>");
    EXPECT_EQ(m.repr(prog.builtin_value(find_exception_class("ValueError"))), "<class 'ValueError'>");
    EXPECT_EQ(call("range", {value::from_int(3)}), "range(0, 3)");
    EXPECT_EQ(call("range", {value::from_int(1), value::from_int(9), value::from_int(2)}), "range(1, 9, 2)");
    rooted args(h(), h().alloc_tuple(std::size_t(0)));
    rooted e(h(), m.make_exception(find_exception_class("ValueError"), args));
    EXPECT_EQ(m.repr(e), "ValueError()");
    EXPECT_EQ(m.str(e), "");
    EXPECT_EQ(m.exception_summary(e), "ValueError");
    value items[2] = {str("bad"), value::from_int(1)};
    root_scope keep(h(), items, 2);
    rooted two(h(), h().alloc_tuple(std::span<const value>(items, 2)));
    rooted e2(h(), m.make_exception(find_exception_class("ValueError"), two));
    EXPECT_EQ(m.repr(e2), "ValueError('bad', 1)");
    EXPECT_EQ(m.exception_message(e2), "('bad', 1)");
    rooted one(h(), h().alloc_tuple(std::span<const value>(items, 1)));
    rooted ke(h(), m.make_exception(find_exception_class("KeyError"), one));
    EXPECT_EQ(m.exception_message(ke), "'bad'");
    EXPECT_EQ(m.exception_summary(ke), "KeyError: 'bad'");
    rooted ve(h(), m.make_exception(find_exception_class("ValueError"), one));
    EXPECT_EQ(m.exception_summary(ve), "ValueError: bad");
    EXPECT_EQ(m.repr(ve), "ValueError('bad')");
}

TEST_F(Builtins, FunctionsAndModulesPrintTheirNames) {
    std::string out;
    load_options opts;
    opts.out = [&](std::string_view s, bool) { out += s; };
    load_program_source("t.weft", "def f():\n    pass\nprint(f, lambda: 0, [].append, type(f), type(len))\n", opts);
    EXPECT_EQ(out,
              "<function f> <function <lambda>> <built-in method append of list object> <class 'function'> "
              "<class 'function'>\n");
}

TEST_F(Builtins, EqualityIsDeepAndNeverRecursesNatively) {
    constexpr int depth = 200'000;
    rooted a(h(), h().alloc_list()), b(h(), h().alloc_list());
    for (int i = 0; i < depth; ++i) {
        rooted na(h(), h().alloc_list());
        h().list_append(na, a);
        a = na.get();
        rooted nb(h(), h().alloc_list());
        h().list_append(nb, b);
        b = nb.get();
    }
    EXPECT_TRUE(m.equal(a, b));
    h().list_append(b, value::from_int(1));
    EXPECT_FALSE(m.equal(a, b));
    EXPECT_EQ(m.repr(a).size(), std::size_t(2 * (depth + 1)));
    // Lists that contain themselves: equal to themselves, and RecursionError
    // (not a hang) against a twin.
    rooted x(h(), h().alloc_list()), y(h(), h().alloc_list());
    h().list_append(x, x);
    h().list_append(y, y);
    EXPECT_TRUE(m.equal(x, x));
    try {
        m.equal(x, y);
        ADD_FAILURE() << "no RecursionError";
    } catch (const script_error& e) {
        EXPECT_EQ(e.kind, "RecursionError");
    }
}

TEST_F(Builtins, OrderingOfSequences) {
    rooted a(h(), int_list({1, 2, 3})), b(h(), int_list({1, 2, 4})), c(h(), int_list({1, 2}));
    EXPECT_TRUE(m.less(a, b));
    EXPECT_FALSE(m.less(b, a));
    EXPECT_TRUE(m.less(c, a));
    EXPECT_FALSE(m.less(a, a));
    rooted s(h(), str("é")), z(h(), str("z"));
    EXPECT_TRUE(m.less(z, s));  // code point order: U+00E9 > U+007A
    try {
        m.less(a, s);
        ADD_FAILURE() << "no TypeError";
    } catch (const script_error& e) {
        EXPECT_EQ(e.message, "'<' not supported between instances of 'list' and 'str'");
    }
}

TEST_F(Builtins, IterationOverEveryIterable) {
    auto items = [&](value v) {
        rooted src(h(), v);
        std::string out;
        m.for_each(src, [&](value item) { out += m.repr(item) + ","; });
        return out;
    };
    EXPECT_EQ(items(str("aé€😀")), "'a','é','€','😀',");
    EXPECT_EQ(items(h().alloc_bytes(std::string_view("\x01\xff"))), "1,255,");
    rooted r(h());
    {
        std::vector<value> args{value::from_int(5), value::from_int(-1), value::from_int(-2)};
        root_scope keep(h(), args);
        r = m.call(fn("range"), args);
    }
    EXPECT_EQ(items(r), "5,3,1,");
    try {
        m.iter_check(value::from_int(1));
        ADD_FAILURE() << "no TypeError";
    } catch (const script_error& e) {
        EXPECT_EQ(e.message, "'int' object is not iterable");
    }
    // A dict that changes size while iterated.
    rooted d(h(), h().alloc_dict());
    h().dict_set(d, value::from_int(1), value::from_int(1));
    std::uint64_t cursor = 0;
    value key;
    ASSERT_TRUE(m.iter_next(d, cursor, key));
    h().dict_set(d, value::from_int(2), value::from_int(2));
    try {
        m.iter_next(d, cursor, key);
        ADD_FAILURE() << "no RuntimeError";
    } catch (const script_error& e) {
        EXPECT_EQ(e.kind + ": " + e.message, "RuntimeError: dictionary changed size during iteration");
    }
}

TEST_F(Builtins, SortingAMillionIntsIsFast) {
    constexpr std::int64_t n = 1'000'000;
    rooted l(h(), h().alloc_list(n));
    for (std::int64_t i = 0; i < n; ++i) h().list_append(l, value::from_int((i * 7919) % 1'000'003 - 500'000));
    std::vector<value> args{l.get()};
    root_scope keep(h(), args);
    auto t0 = std::chrono::steady_clock::now();
    rooted sorted(h(), m.call(fn("sorted"), args));
    auto elapsed = std::chrono::steady_clock::now() - t0;
    list_obj* s = as_list(sorted);
    ASSERT_EQ(s->length, std::uint32_t(n));
    for (std::int64_t i = 1; i < n; ++i) ASSERT_LE(s->slots()[i - 1].as_int(), s->slots()[i].as_int());
    // Generous: a debug build with sanitizers; a release build takes ~0.05 s.
    EXPECT_LT(std::chrono::duration<double>(elapsed).count(), 5.0);
}

TEST_F(Builtins, FrozenValuesRefuseMutation) {
    rooted l(h(), int_list({3, 1, 2}));
    rooted frozen(h(), prog.arena().freeze(l));
    rooted d(h(), prog.arena().freeze(h().alloc_dict()));
    for (const char* name : {"append", "sort", "reverse", "clear", "pop"}) {
        const builtin_def* def = find_method(frozen, name);
        std::vector<value> argv{frozen.get(), value::from_int(0)};
        std::uint32_t argc = std::string_view(name) == "append" ? 2 : 1;
        EXPECT_THROW(def->fn(m, argv.data(), argc, value::none()), frozen_value_error) << name;
    }
    std::vector<value> argv{d.get()};
    EXPECT_THROW(find_method(d, "clear")->fn(m, argv.data(), 1, value::none()), frozen_value_error);
    EXPECT_EQ(m.repr(frozen), "[3, 1, 2]");
}

TEST_F(Builtins, SurvivesCollectionsEverywhere) {
    // A tiny heap collects on almost every allocation: every builtin must
    // keep its values rooted. The expected lines are CPython's.
    std::string out;
    load_options opts;
    opts.out = [&](std::string_view s, bool) { out += s; };
    opts.heap.first_block_bytes = 64;
    load_program_source("t.weft",
                        "words = 'the quick brown fox jumps over the lazy dog'.split()\n"
                        "print(sorted(words, key=lambda w: (len(w), w.upper())))\n"
                        "print(list(zip(words, range(3), 'abc')), list(enumerate(words, 10))[:2])\n"
                        "print(dict([(w, w.upper()) for w in words[:3]]), ' '.join(reversed(words)))\n"
                        "print('{0}-{1!r}-{w:>5}'.format(words[0], words[1], w=words[2]), max(words, key=len))\n",
                        opts);
    EXPECT_EQ(out,
              "['dog', 'fox', 'the', 'the', 'lazy', 'over', 'brown', 'jumps', 'quick']\n"
              "[('the', 0, 'a'), ('quick', 1, 'b'), ('brown', 2, 'c')] [(10, 'the'), (11, 'quick')]\n"
              "{'the': 'THE', 'quick': 'QUICK', 'brown': 'BROWN'} dog lazy the over jumps fox brown quick the\n"
              "the-'quick'-brown quick\n");
}

}  // namespace
}  // namespace weft::interp::test
