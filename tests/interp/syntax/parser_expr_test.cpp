// parser_expr_test.cpp: every expression form, and Python's precedence and
// associativity, checked through the s-expression printer.
#include <gtest/gtest.h>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

TEST(ParseExpr, Atoms) {
    EXPECT_EQ(expr("x"), "x");
    EXPECT_EQ(expr("None"), "None");
    EXPECT_EQ(expr("True"), "True");
    EXPECT_EQ(expr("False"), "False");
    EXPECT_EQ(expr("42"), "42");
    EXPECT_EQ(expr("0x2a"), "42");
    EXPECT_EQ(expr("0o52"), "42");
    EXPECT_EQ(expr("0b101010"), "42");
    EXPECT_EQ(expr("1_000_000"), "1000000");
    EXPECT_EQ(expr("1.5"), "1.5");
    EXPECT_EQ(expr("1e9"), "1e+09");
    EXPECT_EQ(expr(".5"), "0.5");
    EXPECT_EQ(expr("1."), "1.0");
    EXPECT_EQ(expr("'a'"), "\"a\"");
    EXPECT_EQ(expr("b'a\\x00'"), "b\"a\\x00\"");
}

TEST(ParseExpr, BigIntegersKeepTheirDigits) {
    EXPECT_EQ(expr("9223372036854775807"), "9223372036854775807");
    EXPECT_EQ(expr("9223372036854775808"), "9223372036854775808");
    EXPECT_EQ(expr("0xFFFFFFFFFFFFFFFFFF"), "0xFFFFFFFFFFFFFFFFFF");
    auto e = parse_expression("123456789012345678901234567890", "t.weft");
    const auto& i = e->as<ast::int_lit>();
    EXPECT_TRUE(i.big);
    EXPECT_EQ(i.digits, "123456789012345678901234567890");
    EXPECT_EQ(i.base, 10);
    auto small = parse_expression("0x7fff_ffff_ffff_ffff", "t.weft");
    EXPECT_FALSE(small->as<ast::int_lit>().big);
    EXPECT_EQ(small->as<ast::int_lit>().value, INT64_MAX);
}

TEST(ParseExpr, FloatEdges) {
    EXPECT_EQ(expr("1e999"), "inf");
    EXPECT_EQ(expr("1e-999"), "0.0");
    EXPECT_EQ(expr("0.1"), "0.1");
    EXPECT_EQ(parse_expression("2.5e-3", "t")->as<ast::float_lit>().value, 2.5e-3);
}

TEST(ParseExpr, AdjacentStringsJoin) {
    EXPECT_EQ(expr("'a' \"b\" '''c'''"), "\"abc\"");
    EXPECT_EQ(expr("b'a' b'b'"), "b\"ab\"");
    EXPECT_EQ(expr("'a' f'{x}' 'c'"), "(fstr \"a\" (field x) \"c\")");
    EXPECT_EQ(expr("'a' b'b'"), "error 1:5: cannot mix bytes and nonbytes literals");
}

TEST(ParseExpr, FStrings) {
    EXPECT_EQ(expr("f'{x} and {y!r}'"), "(fstr (field x) \" and \" (field y !r))");
    EXPECT_EQ(expr("f'{z:>5}'"), "(fstr (field z (spec \">5\")))");
    EXPECT_EQ(expr("f'{x:{w}.{p}f}'"),
              "(fstr (field x (spec (field w) \".\" (field p) \"f\")))");
    EXPECT_EQ(expr("f'{{{x}}}'"), "(fstr \"{\" (field x) \"}\")");
    EXPECT_EQ(expr("f'{a + b * 2}'"), "(fstr (field (+ a (* b 2))))");
    EXPECT_EQ(expr("f'{d[\"k\"]}'"), "(fstr (field (index d \"k\")))");
    EXPECT_EQ(expr("f'{x=}'"), "(fstr \"x=\" (field x !r))");
    EXPECT_EQ(expr("f'{x = :>4}'"), "(fstr \"x = \" (field x (spec \">4\")))");
    EXPECT_EQ(expr("f'{a, b}'"), "(fstr (field (tuple a b)))");
    EXPECT_EQ(expr("f'{a != b}'"), "(fstr (field (cmp a != b)))");
    EXPECT_EQ(expr("f'{s!s:^{n}}'"), "(fstr (field s !s (spec \"^\" (field n))))");
    EXPECT_EQ(expr("f''"), "(fstr)");
    EXPECT_EQ(expr("f'\\n{x}\\t'"), "(fstr \"\\n\" (field x) \"\\t\")");
    EXPECT_EQ(expr("rf'\\n{x}'"), "(fstr \"\\\\n\" (field x))");
    EXPECT_EQ(expr("f'''{\nx\n}'''"), "(fstr (field x))");
    EXPECT_EQ(expr("f'{f\"{y}\"}'"), "(fstr (field (fstr (field y))))");
    EXPECT_EQ(expr("f'{(lambda q: q)(1)}'"), "(fstr (field (call (lambda (params q) q) 1)))");
}

TEST(ParseExpr, FStringFieldPositions) {
    EXPECT_EQ(expr("f'ab{x}{ yy }'", {.positions = true}),
              "(fstr@1:1 \"ab\"@1:3 (field@1:5 x@1:6) (field@1:8 yy@1:10))");
    EXPECT_EQ(expr("f'''\n  {x}'''", {.positions = true}),
              "(fstr@1:1 \"\\n  \"@1:5 (field@2:3 x@2:4))");
}

TEST(ParseExpr, ArithmeticPrecedence) {
    EXPECT_EQ(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
    EXPECT_EQ(expr("(1 + 2) * 3"), "(* (+ 1 2) 3)");
    EXPECT_EQ(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
    EXPECT_EQ(expr("a / b // c % d * e"), "(* (% (// (/ a b) c) d) e)");
    EXPECT_EQ(expr("a + b << c"), "(<< (+ a b) c)");
    EXPECT_EQ(expr("a << b & c"), "(& (<< a b) c)");
    EXPECT_EQ(expr("a & b ^ c"), "(^ (& a b) c)");
    EXPECT_EQ(expr("a ^ b | c"), "(| (^ a b) c)");
    EXPECT_EQ(expr("a | b ^ c & d << e + f * g"), "(| a (^ b (& c (<< d (+ e (* f g))))))");
    EXPECT_EQ(expr("a >> b >> c"), "(>> (>> a b) c)");
}

TEST(ParseExpr, PowerAndUnary) {
    EXPECT_EQ(expr("-2**2"), "(- (** 2 2))");
    EXPECT_EQ(expr("2**-1"), "(** 2 (- 1))");
    EXPECT_EQ(expr("2**3**2"), "(** 2 (** 3 2))");
    EXPECT_EQ(expr("-x * y"), "(* (- x) y)");
    EXPECT_EQ(expr("~-+x"), "(~ (- (+ x)))");
    EXPECT_EQ(expr("- - x"), "(- (- x))");
    EXPECT_EQ(expr("a.b ** c[0]"), "(** (. a b) (index c 0))");
    EXPECT_EQ(expr("-f(x)**2"), "(- (** (call f x) 2))");
}

TEST(ParseExpr, Comparisons) {
    EXPECT_EQ(expr("a < b"), "(cmp a < b)");
    EXPECT_EQ(expr("a < b < c"), "(cmp a < b < c)");
    EXPECT_EQ(expr("a == b != c <= d >= e > f"), "(cmp a == b != c <= d >= e > f)");
    EXPECT_EQ(expr("x in xs"), "(cmp x in xs)");
    EXPECT_EQ(expr("x not in xs"), "(cmp x not-in xs)");
    EXPECT_EQ(expr("x is None"), "(cmp x is None)");
    EXPECT_EQ(expr("x is not None"), "(cmp x is-not None)");
    EXPECT_EQ(expr("a + 1 < b * 2"), "(cmp (+ a 1) < (* b 2))");
    EXPECT_EQ(expr("a | b == c"), "(cmp (| a b) == c)");
}

TEST(ParseExpr, BooleanOperators) {
    EXPECT_EQ(expr("a and b and c"), "(and a b c)");
    EXPECT_EQ(expr("a or b or c"), "(or a b c)");
    EXPECT_EQ(expr("a or b and c"), "(or a (and b c))");
    EXPECT_EQ(expr("a and b or c and d"), "(or (and a b) (and c d))");
    EXPECT_EQ(expr("not a == b"), "(not (cmp a == b))");
    EXPECT_EQ(expr("not a and not b"), "(and (not a) (not b))");
    EXPECT_EQ(expr("not not a"), "(not (not a))");
}

TEST(ParseExpr, ConditionalAndLambda) {
    EXPECT_EQ(expr("a if c else b"), "(ifexp c a b)");
    EXPECT_EQ(expr("a if c else b if d else e"), "(ifexp c a (ifexp d b e))");
    EXPECT_EQ(expr("a or b if c and d else e"), "(ifexp (and c d) (or a b) e)");
    EXPECT_EQ(expr("lambda: 0"), "(lambda (params) 0)");
    EXPECT_EQ(expr("lambda x, y=1, *r: x + y"), "(lambda (params x (y = 1) *r) (+ x y))");
    EXPECT_EQ(expr("lambda x: a if x else b"), "(lambda (params x) (ifexp x a b))");
    EXPECT_EQ(expr("lambda x: lambda y: x + y"),
              "(lambda (params x) (lambda (params y) (+ x y)))");
    EXPECT_EQ(expr("(lambda: 1) if c else 2"), "(ifexp c (lambda (params) 1) 2)");
}

TEST(ParseExpr, Calls) {
    EXPECT_EQ(expr("f()"), "(call f)");
    EXPECT_EQ(expr("f(x, key=g)"), "(call f x (kw key g))");
    EXPECT_EQ(expr("f(*args)"), "(call f (* args))");
    EXPECT_EQ(expr("f(a, *b, c, d=1, e=2,)"), "(call f a (* b) c (kw d 1) (kw e 2))");
    EXPECT_EQ(expr("print(a, b, sep=', ', end='')"),
              "(call print a b (kw sep \", \") (kw end \"\"))");
    EXPECT_EQ(expr("sorted(xs, key=lambda p: p[1], reverse=True)"),
              "(call sorted xs (kw key (lambda (params p) (index p 1))) (kw reverse True))");
    EXPECT_EQ(expr("f(x)(y)"), "(call (call f x) y)");
    EXPECT_EQ(expr("sum(x * x for x in xs)"), "(call sum (genexp (* x x) (for x xs)))");
    EXPECT_EQ(expr("f(a == b)"), "(call f (cmp a == b))");
}

TEST(ParseExpr, AttributesAndMethods) {
    EXPECT_EQ(expr("s.split(',')"), "(call (. s split) \",\")");
    EXPECT_EQ(expr("', '.join(parts)"), "(call (. \", \" join) parts)");
    EXPECT_EQ(expr("d.get(k, 0).bit"), "(. (call (. d get) k 0) bit)");
    EXPECT_EQ(expr("mod.func"), "(. mod func)");
}

TEST(ParseExpr, IndexingAndSlicing) {
    EXPECT_EQ(expr("x[i]"), "(index x i)");
    EXPECT_EQ(expr("x[a:b]"), "(index x (slice a b -))");
    EXPECT_EQ(expr("x[a:b:c]"), "(index x (slice a b c))");
    EXPECT_EQ(expr("x[:]"), "(index x (slice - - -))");
    EXPECT_EQ(expr("x[::]"), "(index x (slice - - -))");
    EXPECT_EQ(expr("x[::-1]"), "(index x (slice - - (- 1)))");
    EXPECT_EQ(expr("x[1:]"), "(index x (slice 1 - -))");
    EXPECT_EQ(expr("x[:n]"), "(index x (slice - n -))");
    EXPECT_EQ(expr("x[a::2]"), "(index x (slice a - 2))");
    EXPECT_EQ(expr("d[1, 2]"), "(index d (tuple 1 2))");
    EXPECT_EQ(expr("m[i][j]"), "(index (index m i) j)");
}

TEST(ParseExpr, Displays) {
    EXPECT_EQ(expr("()"), "(tuple)");
    EXPECT_EQ(expr("(1,)"), "(tuple 1)");
    EXPECT_EQ(expr("(1, 2)"), "(tuple 1 2)");
    EXPECT_EQ(expr("1, 2"), "(tuple 1 2)");
    EXPECT_EQ(expr("1,"), "(tuple 1)");
    EXPECT_EQ(expr("(1)"), "1");
    EXPECT_EQ(expr("[]"), "(list)");
    EXPECT_EQ(expr("[1, 2,]"), "(list 1 2)");
    EXPECT_EQ(expr("[*a, b]"), "(list (* a) b)");
    EXPECT_EQ(expr("(*a, b)"), "(tuple (* a) b)");
    EXPECT_EQ(expr("{}"), "(dict)");
    EXPECT_EQ(expr("{'k': 2, 1: [3],}"), "(dict (\"k\" 2) (1 (list 3)))");
    EXPECT_EQ(expr("[('a', 1)]"), "(list (tuple \"a\" 1))");
}

TEST(ParseExpr, Comprehensions) {
    EXPECT_EQ(expr("[x for x in xs]"), "(listcomp x (for x xs))");
    EXPECT_EQ(expr("[x * y for x in xs if x for y in ys if y > x if y]"),
              "(listcomp (* x y) (for x xs (if x)) (for y ys (if (cmp y > x)) (if y)))");
    EXPECT_EQ(expr("[a for a, b in pairs]"), "(listcomp a (for (tuple a b) pairs))");
    EXPECT_EQ(expr("[(a, b) for (a, b) in pairs]"),
              "(listcomp (tuple a b) (for (tuple a b) pairs))");
    EXPECT_EQ(expr("{k: v for k, v in d.items()}"),
              "(dictcomp k v (for (tuple k v) (call (. d items))))");
    EXPECT_EQ(expr("[x if x else 0 for x in xs]"), "(listcomp (ifexp x x 0) (for x xs))");
    EXPECT_EQ(expr("[x for x in a or b]"), "(listcomp x (for x (or a b)))");
    EXPECT_EQ(expr("(x for x in xs)"), "(genexp x (for x xs))");
    EXPECT_EQ(expr("[[y for y in x] for x in xss]"),
              "(listcomp (listcomp y (for y x)) (for x xss))");
}

TEST(ParseExpr, Positions) {
    EXPECT_EQ(expr("a + b * c", {.positions = true}),
              "(+@1:1 a@1:1 (*@1:5 b@1:5 c@1:9))");
    EXPECT_EQ(expr("f(x, k=1)", {.positions = true}), "(call@1:1 f@1:1 x@1:3 (kw@1:6 k 1@1:8))");
    EXPECT_EQ(expr("-x", {.positions = true}), "(-@1:1 x@1:2)");
    EXPECT_EQ(expr("'\xC3\xA9\xC3\xA9' + z", {.positions = true}),
              "(+@1:1 \"\xC3\xA9\xC3\xA9\"@1:1 z@1:8)");
}

}  // namespace
}  // namespace weft::interp::test
