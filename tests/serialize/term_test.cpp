// term_test.cpp: weft::term construction, access, equality, repr, ownership,
// and that deep values never recurse on the C++ stack.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "serialize/shared_binary.hpp"
#include "serialize/term.hpp"
#include "support.hpp"

using namespace weft;
using weft::test::nested_list;

namespace {

// A literal's full length, embedded NULs included.
template <std::size_t N>
std::string_view lit(const char (&s)[N]) {
    return {s, N - 1};
}

std::span<const std::byte> bytes_of(std::string_view s) {
    return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

TEST(Term, ScalarsReadBack) {
    EXPECT_TRUE(term().is_none());
    EXPECT_TRUE(term(true).as_bool());
    EXPECT_EQ(term(42).as_int(), 42);
    EXPECT_EQ(term(std::int64_t{-7}).as_int(), -7);
    EXPECT_EQ(term(1.5).as_float(), 1.5);
    EXPECT_EQ(term::str("x").as_str(), "x");
    EXPECT_EQ(term::bytes("a\0b").size(), 1u);  // a string_view of a literal stops at NUL
    EXPECT_EQ(term::bytes(bytes_of(lit("a\0b"))).size(), 3u);
    pid p{0x1a2b, 3, 17};
    ref r{1, 2, 3};
    EXPECT_EQ(term(p).as_pid(), p);
    EXPECT_EQ(term(r).as_ref(), r);
    static_assert(!std::is_constructible_v<term, const char*>, "term(\"x\") must not become a bool");
}

TEST(Term, KindsAndBadAccess) {
    term t = term::str("hello");
    EXPECT_EQ(t.kind(), term_kind::str);
    EXPECT_TRUE(t.is_str());
    EXPECT_FALSE(t.is_bytes());
    EXPECT_THROW((void)t.as_int(), bad_term_access);
    EXPECT_THROW((void)term(1).elements(), bad_term_access);
    try {
        (void)term(1).as_str();
        FAIL();
    } catch (const bad_term_access& e) {
        EXPECT_STREQ(e.what(), "term: expected str, got int");
    }
}

TEST(Term, Compounds) {
    term t = term::tuple({term::str("ping"), term(pid{1, 0, 2}), term(42)});
    ASSERT_TRUE(t.is_tuple());
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].as_str(), "ping");
    EXPECT_EQ(t[2].as_int(), 42);
    EXPECT_EQ(term::tuple({}).size(), 0u);
    EXPECT_TRUE(term::list({}).elements().empty());

    term d = term::dict({{term::str("k"), term(2)}, {term(3), term::list({term(), term(true)})}});
    ASSERT_EQ(d.entries().size(), 2u);
    EXPECT_EQ(d.entries()[1].key, term(3));
    ASSERT_NE(d.find(term::str("k")), nullptr);
    EXPECT_EQ(d.find(term::str("k"))->as_int(), 2);
    EXPECT_EQ(d.find(term::str("nope")), nullptr);

    term f = term::function("m", 5, "go", {term(1), term::str("c")});
    function_view fv = f.as_function();
    EXPECT_EQ(fv.module, "m");
    EXPECT_EQ(fv.index, 5u);
    EXPECT_EQ(fv.name, "go");
    ASSERT_EQ(fv.captures.size(), 2u);
    EXPECT_EQ(fv.captures[1].as_str(), "c");
}

TEST(Term, BignumIsNormalized) {
    std::byte small[] = {std::byte{5}, std::byte{0}, std::byte{0}};
    EXPECT_EQ(term::bignum(false, small), term(5));
    EXPECT_EQ(term::bignum(true, small), term(-5));
    EXPECT_EQ(term::bignum(true, {}), term(0));
    std::byte min[] = {std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
                       std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0x80}};
    EXPECT_EQ(term::bignum(true, min), term(std::numeric_limits<std::int64_t>::min()));
    term big = term::bignum(false, min);  // 2^63
    ASSERT_TRUE(big.is_bignum());
    EXPECT_EQ(big.repr(), "9223372036854775808");
    term u = term(std::numeric_limits<std::uint64_t>::max());
    ASSERT_TRUE(u.is_bignum());
    EXPECT_EQ(u.repr(), "18446744073709551615");
    std::byte m70[9] = {};
    m70[8] = std::byte{0x40};  // 2^70
    EXPECT_EQ(term::bignum(false, m70).repr(), "1180591620717411303424");
    std::byte m64[9] = {};
    m64[8] = std::byte{1};  // 2^64
    EXPECT_EQ(term::bignum(true, m64).repr(), "-18446744073709551616");
}

TEST(Term, EqualityIsStructural) {
    EXPECT_EQ(term::list({term(1), term::str("a")}), term::list({term(1), term::str("a")}));
    EXPECT_NE(term::list({term(1)}), term::tuple({term(1)}));
    EXPECT_NE(term(1), term(1.0));
    EXPECT_EQ(term(NAN), term(NAN));
    EXPECT_NE(term(0.0), term::str(""));
    EXPECT_EQ(term::str(std::string(100, 'x')), term::str(std::string(100, 'x')));
    EXPECT_NE(term::str(std::string(100, 'x')), term::bytes(std::string(100, 'x')));
    EXPECT_NE(term::dict({{term(1), term(2)}, {term(3), term(4)}}),
              term::dict({{term(3), term(4)}, {term(1), term(2)}}));  // ordered
    EXPECT_NE(term::function("m", 1, "f"), term::function("m", 2, "f"));
}

TEST(Term, ReprMatchesPython) {
    // Expected strings come from CPython 3's repr().
    EXPECT_EQ(term().repr(), "None");
    EXPECT_EQ(term(true).repr(), "True");
    EXPECT_EQ(term(false).repr(), "False");
    EXPECT_EQ(term(-12).repr(), "-12");
    EXPECT_EQ(term(1.5).repr(), "1.5");
    EXPECT_EQ(term(1e20).repr(), "1e+20");
    EXPECT_EQ(term(1e16).repr(), "1e+16");
    EXPECT_EQ(term(1e15).repr(), "1000000000000000.0");
    EXPECT_EQ(term(0.0001).repr(), "0.0001");
    EXPECT_EQ(term(0.00001).repr(), "1e-05");
    EXPECT_EQ(term(1.5e-7).repr(), "1.5e-07");
    EXPECT_EQ(term(-0.0).repr(), "-0.0");
    EXPECT_EQ(term(5e-324).repr(), "5e-324");
    EXPECT_EQ(term(1e308).repr(), "1e+308");
    EXPECT_EQ(term(123456789.123).repr(), "123456789.123");
    EXPECT_EQ(term(NAN).repr(), "nan");
    EXPECT_EQ(term(-INFINITY).repr(), "-inf");
    EXPECT_EQ(term::str("it's").repr(), "\"it's\"");
    EXPECT_EQ(term::str("say \"hi\"").repr(), "'say \"hi\"'");
    EXPECT_EQ(term::str("both ' and \"").repr(), "'both \\' and \"'");
    EXPECT_EQ(term::str(lit("\x00\x7f\xc2\x80\xc2\xa0\xc2\xad \xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac "
                                 "\xf0\x9f\x98\x80 \xe2\x80\xa8 \xef\xbb\xbf \xf3\xb0\x80\x80 \\ \t\n\r"))
                  .repr(),
              "'\\x00\\x7f\\x80\\xa0\\xad \xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \\u2028 \\ufeff "
              "\\U000f0000 \\\\ \\t\\n\\r'");
    EXPECT_EQ(term::str("\xff").repr(), "'\\udcff'");  // not UTF-8: surrogate-escape style
    EXPECT_EQ(term::bytes(bytes_of(lit("it's \x00\xff\\ \""))).repr(), "b'it\\'s \\x00\\xff\\\\ \"'");
    EXPECT_EQ(term::bytes("\"").repr(), "b'\"'");
    EXPECT_EQ(term::tuple({}).repr(), "()");
    EXPECT_EQ(term::tuple({term(1)}).repr(), "(1,)");
    EXPECT_EQ(term::tuple({term(1), term(2)}).repr(), "(1, 2)");
    EXPECT_EQ(term::list({}).repr(), "[]");
    EXPECT_EQ(term::dict({}).repr(), "{}");
    EXPECT_EQ(term::dict({{term::str("k"), term(2)}, {term(3), term::list({term(), term(true)})}}).repr(),
              "{'k': 2, 3: [None, True]}");
    EXPECT_EQ(term::list({term::tuple({}), term::tuple({term::list({})})}).repr(), "[(), ([],)]");
    // Without a node table: the node's raw id, the spawn number, the raw creation.
    EXPECT_EQ(term(pid{0x1a2b, 9, 17ull << 31 | 5}).repr(), "<6699.17.9>");
    EXPECT_EQ(term(ref{1, 2, 3}).repr(), "#Ref<1.3.2>");
    EXPECT_EQ(term(port{1, 2, 3}).repr(), "#Port<1.3.2>");
    EXPECT_NE(term(port{1, 2, 3}), term(ref{1, 2, 3}));
    EXPECT_EQ(term::function("mod", 0, "fn").repr(), "<function mod.fn>");
}

TEST(Term, LongStringsAreSharedNotCopied) {
    std::string big(1000, 'q');
    term a = term::str(big);
    shared_binary* b = a.shared();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->use_count(), 1u);
    {
        term copy = a;
        EXPECT_EQ(copy.shared(), b);
        EXPECT_EQ(copy.as_str().data(), a.as_str().data());
        EXPECT_EQ(b->use_count(), 2u);
        term in_list = term::list({a, a});
        EXPECT_EQ(b->use_count(), 4u);
    }
    EXPECT_EQ(b->use_count(), 1u);
    EXPECT_EQ(term::str("short").shared(), nullptr);

    shared_binary* own = shared_binary::make(big);
    term s = term::shared_bytes(own);
    EXPECT_EQ(own->use_count(), 2u);
    EXPECT_EQ(s.as_bytes().data(), own->data());
    own->release();
    EXPECT_EQ(s.shared()->use_count(), 1u);
}

TEST(Term, CopyIsDeepAndMoveSteals) {
    term a = term::list({term::tuple({term(1), term::str(std::string(40, 'z'))}), term::dict({{term(1), term(2)}})});
    term b = a;
    EXPECT_EQ(a, b);
    EXPECT_NE(&a[0], &b[0]);
    term c = std::move(b);
    EXPECT_TRUE(b.is_none());  // NOLINT(bugprone-use-after-move): moved-from terms are None
    EXPECT_EQ(c, a);
    c = c[0];  // assigning a piece of itself
    EXPECT_EQ(c.repr(), "(1, '" + std::string(40, 'z') + "')");
    term d = term::list({term::list({term(5)})});
    d = std::move(const_cast<term&>(d[0]));  // moving a piece of itself
    EXPECT_EQ(d.repr(), "[5]");
    term e = d;
    term& same = e;  // through a reference, so that compilers do not flag the test itself
    e = same;        // self-assignment
    EXPECT_EQ(e.repr(), "[5]");
}

// A million levels on a 64 KiB stack: build, copy, compare, print, destroy.
TEST(Term, MillionDeepNeverRecurses) {
    weft::test::run_with_stack(64 * 1024, [] {
        term deep = nested_list(1'000'000);
        term copy = deep;
        EXPECT_TRUE(copy == deep);
        std::string r = deep.repr();
        EXPECT_EQ(r.size(), 2 * 999'999 + 1);
        EXPECT_EQ(r.substr(0, 3), "[[[");
        term other = nested_list(1'000'000, term(8));
        EXPECT_FALSE(other == deep);
    });
}

TEST(Term, WideValues) {
    std::vector<term> items;
    for (int i = 0; i < 100'000; ++i) items.push_back(term(i));
    term t = term::list(std::move(items));
    EXPECT_EQ(t.size(), 100'000u);
    EXPECT_EQ(t[99'999].as_int(), 99'999);
    EXPECT_EQ(term(t), t);
}

// A limited repr is a prefix of the whole one, a little past the limit,
// however big the value: a trace labels 1 MiB messages at the cost of 60 bytes.
TEST(Term, ReprWithALimitIsAShortPrefixOfTheWholeRepr) {
    term big = term::tuple({term::str("blob"), term::bytes(std::string(1 << 20, 'x')), term::list({term(1)})});
    std::string whole = big.repr();
    std::string cut = big.repr(nullptr, 40);
    EXPECT_GE(cut.size(), 40u);
    EXPECT_LT(cut.size(), 60u);
    EXPECT_EQ(whole.substr(0, cut.size()), cut);
    term many = term::list(std::vector<term>(100'000, term::str("it's")));
    std::string short_list = many.repr(nullptr, 30);
    EXPECT_LT(short_list.size(), 40u);
    EXPECT_EQ(many.repr().substr(0, short_list.size()), short_list);
    EXPECT_EQ(term::str("short").repr(nullptr, 40), "'short'");
}

}  // namespace
