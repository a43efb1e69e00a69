// pattern_test.cpp: every pattern form of match and receive.
#include <gtest/gtest.h>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

// The pattern of `case PATTERN:` printed alone (guard included if any).
std::string pat(std::string_view p) {
    const std::string src = "match s:\n    case " + std::string(p) + ":\n        pass\n";
    std::string out = parse(src);
    if (out.rfind("error", 0) == 0) return out;
    const std::string head = "(match s (case ";
    const std::string tail = " (block (pass))))";
    if (out.rfind(head, 0) != 0 || out.size() < head.size() + tail.size()) return out;
    return out.substr(head.size(), out.size() - head.size() - tail.size());
}

TEST(Pattern, Literals) {
    EXPECT_EQ(pat("1"), "1");
    EXPECT_EQ(pat("-1"), "(- 1)");
    EXPECT_EQ(pat("-1.5"), "(- 1.5)");
    EXPECT_EQ(pat("0x10"), "16");
    EXPECT_EQ(pat("\"ping\""), "\"ping\"");
    EXPECT_EQ(pat("'a' 'b'"), "\"ab\"");
    EXPECT_EQ(pat("b'x'"), "b\"x\"");
    EXPECT_EQ(pat("None"), "None");
    EXPECT_EQ(pat("True"), "True");
    EXPECT_EQ(pat("False"), "False");
}

TEST(Pattern, CaptureWildcardAndValues) {
    EXPECT_EQ(pat("x"), "x");
    EXPECT_EQ(pat("_"), "_");
    EXPECT_EQ(pat("config.PING"), "(. config PING)");
    EXPECT_EQ(pat("a.b.c"), "(. (. a b) c)");
}

TEST(Pattern, Sequences) {
    EXPECT_EQ(pat("(a, b, \"x\")"), "(seq a b \"x\")");
    EXPECT_EQ(pat("a, b"), "(seq a b)");
    EXPECT_EQ(pat("a,"), "(seq a)");
    EXPECT_EQ(pat("(a,)"), "(seq a)");
    EXPECT_EQ(pat("()"), "(seq)");
    EXPECT_EQ(pat("[]"), "(seq[])");
    EXPECT_EQ(pat("[first, *rest]"), "(seq[] first *rest)");
    EXPECT_EQ(pat("[*_, last]"), "(seq[] *_ last)");
    EXPECT_EQ(pat("(\"reply\", r, value)"), "(seq \"reply\" r value)");
    EXPECT_EQ(pat("(\"EXIT\", pid, (\"error\", kind, msg, tb))"),
              "(seq \"EXIT\" pid (seq \"error\" kind msg tb))");
    EXPECT_EQ(pat("[a, [b, [c]]]"), "(seq[] a (seq[] b (seq[] c)))");
    EXPECT_EQ(pat("*a, b"), "(seq *a b)");
}

TEST(Pattern, Groups) {
    EXPECT_EQ(pat("(x)"), "x");
    EXPECT_EQ(pat("((1))"), "1");
    EXPECT_EQ(pat("(1 | 2)"), "(| 1 2)");
}

TEST(Pattern, Mappings) {
    EXPECT_EQ(pat("{}"), "(map)");
    EXPECT_EQ(pat("{\"k\": v}"), "(map (\"k\" v))");
    EXPECT_EQ(pat("{\"k\": v, 1: [x], None: _, -2: y,}"),
              "(map (\"k\" v) (1 (seq[] x)) (None _) ((- 2) y))");
    EXPECT_EQ(pat("{\"a\": 1, **rest}"), "(map (\"a\" 1) **rest)");
    EXPECT_EQ(pat("{m.K: v}"), "(map ((. m K) v))");
}

TEST(Pattern, Types) {
    EXPECT_EQ(pat("int(n)"), "(type int n)");
    EXPECT_EQ(pat("str(s)"), "(type str s)");
    EXPECT_EQ(pat("float(f)"), "(type float f)");
    EXPECT_EQ(pat("bytes(b)"), "(type bytes b)");
    EXPECT_EQ(pat("pid(p)"), "(type pid p)");
    EXPECT_EQ(pat("tuple(t)"), "(type tuple t)");
    EXPECT_EQ(pat("list(l)"), "(type list l)");
    EXPECT_EQ(pat("dict(d)"), "(type dict d)");
    EXPECT_EQ(pat("bool(b)"), "(type bool b)");
    EXPECT_EQ(pat("ref(r)"), "(type ref r)");
    EXPECT_EQ(pat("int()"), "(type int)");
    EXPECT_EQ(pat("tuple((a, b))"), "(type tuple (seq a b))");
    EXPECT_EQ(pat("list([x, *_])"), "(type list (seq[] x *_))");
    EXPECT_EQ(pat("int(0 | 1)"), "(type int (| 0 1))");
}

TEST(Pattern, AlternativesGuardsAndAs) {
    EXPECT_EQ(pat("1 | 2 | 3"), "(| 1 2 3)");
    EXPECT_EQ(pat("\"a\" | \"b\""), "(| \"a\" \"b\")");
    EXPECT_EQ(pat("(\"ok\", v) | (\"done\", v)"), "(| (seq \"ok\" v) (seq \"done\" v))");
    EXPECT_EQ(pat("x if x > 0"), "x (if (cmp x > 0))");
    EXPECT_EQ(pat("(\"reply\", r, value) if r == ref"),
              "(seq \"reply\" r value) (if (cmp r == ref))");
    EXPECT_EQ(pat("[a, b] as pair"), "(as (seq[] a b) pair)");
    EXPECT_EQ(pat("(1 | 2) as n"), "(as (| 1 2) n)");
    EXPECT_EQ(pat("1 | 2 as n"), "(as (| 1 2) n)");
    EXPECT_EQ(pat("(int(n) as m, _)"), "(seq (as (type int n) m) _)");
}

TEST(Pattern, Positions) {
    EXPECT_EQ(parse("match s:\n  case (a, [b, *c]) | {'k': d}: pass", {.positions = true}),
              "(match@1:1 s@1:7 (case@2:3 (|@2:8 (seq@2:8 a@2:9 (seq[]@2:12 b@2:13 *c@2:16)) "
              "(map@2:23 (\"k\"@2:24 d@2:29))) (block (pass@2:33))))");
}

}  // namespace
}  // namespace weft::interp::test
