// parser_stmt_test.cpp: every statement of LANGUAGE.md through the
// s-expression printer, including blocks, targets and receive's two layouts.
#include <gtest/gtest.h>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

TEST(ParseStmt, Assignment) {
    EXPECT_EQ(parse("x = 1"), "(= x 1)");
    EXPECT_EQ(parse("a, b = b, a"), "(= (tuple a b) (tuple b a))");
    EXPECT_EQ(parse("(a, b) = [c, d] = t"), "(= (tuple a b) (list c d) t)");
    EXPECT_EQ(parse("a = b = 0"), "(= a b 0)");
    EXPECT_EQ(parse("x[i] = v"), "(= (index x i) v)");
    EXPECT_EQ(parse("x[1:2] = v"), "(= (index x (slice 1 2 -)) v)");
    EXPECT_EQ(parse("first, *rest = xs"), "(= (tuple first (* rest)) xs)");
    EXPECT_EQ(parse("[a, (b, c)] = t"), "(= (list a (tuple b c)) t)");
    EXPECT_EQ(parse("x, = t"), "(= (tuple x) t)");
    EXPECT_EQ(parse("x = 1, 2"), "(= x (tuple 1 2))");
    EXPECT_EQ(parse("x = yield_"), "(= x yield_)");
}

TEST(ParseStmt, AugmentedAssignment) {
    EXPECT_EQ(parse("x += 1"), "(+= x 1)");
    EXPECT_EQ(parse("x -= 1"), "(-= x 1)");
    EXPECT_EQ(parse("x *= 2"), "(*= x 2)");
    EXPECT_EQ(parse("x /= 2"), "(/= x 2)");
    EXPECT_EQ(parse("x //= 2"), "(//= x 2)");
    EXPECT_EQ(parse("x %= 2"), "(%= x 2)");
    EXPECT_EQ(parse("x **= 2"), "(**= x 2)");
    EXPECT_EQ(parse("d[k] |= m"), "(|= (index d k) m)");
    EXPECT_EQ(parse("x <<= 1; y >>= 1; z &= 3; w ^= 4"), "(<<= x 1)\n(>>= y 1)\n(&= z 3)\n(^= w 4)");
}

TEST(ParseStmt, ExpressionStatementsAndSemicolons) {
    EXPECT_EQ(parse("f(x)"), "(expr (call f x))");
    EXPECT_EQ(parse("a; b;"), "(expr a)\n(expr b)");
    EXPECT_EQ(parse("pass\nbreak\ncontinue\n"), "(pass)\n(break)\n(continue)");
}

TEST(ParseStmt, If) {
    EXPECT_EQ(parse("if x:\n    a\n"), "(if x (block (expr a)))");
    EXPECT_EQ(parse("if x:\n    a\nelif y:\n    b\nelif z:\n    c\nelse:\n    d\n"),
              "(if x (block (expr a)) (elif y (block (expr b))) (elif z (block (expr c))) "
              "(else (block (expr d))))");
    EXPECT_EQ(parse("if x: return 1\nelse: pass"),
              "(if x (block (return 1)) (else (block (pass))))");
    EXPECT_EQ(parse("if a:\n  if b:\n    c\n  else:\n    d\n"),
              "(if a (block (if b (block (expr c)) (else (block (expr d))))))");
    EXPECT_EQ(parse("if x: a; b\n"), "(if x (block (expr a) (expr b)))");
}

TEST(ParseStmt, WhileAndFor) {
    EXPECT_EQ(parse("while True:\n    x += 1\n"), "(while True (block (+= x 1)))");
    EXPECT_EQ(parse("while x:\n    pass\nelse:\n    done()\n"),
              "(while x (block (pass)) (else (block (expr (call done)))))");
    EXPECT_EQ(parse("for x in range(10):\n    print(x)\n"),
              "(for x (call range 10) (block (expr (call print x))))");
    EXPECT_EQ(parse("for a, b in pairs:\n    pass\n"), "(for (tuple a b) pairs (block (pass)))");
    EXPECT_EQ(parse("for (i, (a, b)) in enumerate(z):\n    pass\n"),
              "(for (tuple i (tuple a b)) (call enumerate z) (block (pass)))");
    EXPECT_EQ(parse("for x in 1, 2:\n    pass\nelse:\n    pass\n"),
              "(for x (tuple 1 2) (block (pass)) (else (block (pass))))");
    EXPECT_EQ(parse("for k in d:\n    if k in s: break\n    continue\n"),
              "(for k d (block (if (cmp k in s) (block (break))) (continue)))");
    EXPECT_EQ(parse("for x[0] in y: pass"), "(for (index x 0) y (block (pass)))");
}

TEST(ParseStmt, Def) {
    EXPECT_EQ(parse("def f():\n    return\n"), "(def f (params) (block (return)))");
    EXPECT_EQ(parse("def f(a, b=1, *args):\n    return a, b\n"),
              "(def f (params a (b = 1) *args) (block (return (tuple a b))))");
    EXPECT_EQ(parse("def f(a, *rest, sep=' ', end):\n    pass\n"),
              "(def f (params a *rest (sep = \" \") end) (block (pass)))");
    EXPECT_EQ(parse("def f(a, *, key=None): pass"),
              "(def f (params a * (key = None)) (block (pass)))");
    EXPECT_EQ(parse("def f(x: int, y: str = 'a',) -> bool: pass"),
              "(def f (params (x : int) (y : str = \"a\")) (-> bool) (block (pass)))");
    EXPECT_EQ(parse("def outer(n):\n    def inner(m):\n        return n + m\n    return inner\n"),
              "(def outer (params n) (block (def inner (params m) (block (return (+ n m)))) "
              "(return inner)))");
}

TEST(ParseStmt, Try) {
    EXPECT_EQ(parse("try:\n    a\nexcept ValueError as e:\n    b\n"),
              "(try (block (expr a)) (except ValueError e (block (expr b))))");
    EXPECT_EQ(parse("try:\n    a\nexcept (KeyError, IndexError) as e:\n    b\nexcept:\n    c\n"
                    "else:\n    d\nfinally:\n    f\n"),
              "(try (block (expr a)) (except (tuple KeyError IndexError) e (block (expr b))) "
              "(except (block (expr c))) (else (block (expr d))) (finally (block (expr f))))");
    EXPECT_EQ(parse("try:\n    a\nfinally:\n    b\n"),
              "(try (block (expr a)) (finally (block (expr b))))");
    EXPECT_EQ(parse("try: a\nexcept E: pass"), "(try (block (expr a)) (except E (block (pass))))");
}

TEST(ParseStmt, RaiseAssertReturnImport) {
    EXPECT_EQ(parse("raise ValueError('bad')"), "(raise (call ValueError \"bad\"))");
    EXPECT_EQ(parse("raise"), "(raise)");
    EXPECT_EQ(parse("assert x"), "(assert x)");
    EXPECT_EQ(parse("assert x > 0, 'positive'"), "(assert (cmp x > 0) \"positive\")");
    EXPECT_EQ(parse("return"), "(return)");  // outside def: the compiler's business
    EXPECT_EQ(parse("return 1, *r"), "(return (tuple 1 (* r)))");
    EXPECT_EQ(parse("import util"), "(import util)");
    EXPECT_EQ(parse("import a, b"), "(import a)\n(import b)");
}

TEST(ParseStmt, Match) {
    EXPECT_EQ(parse("match x:\n    case 1:\n        a\n    case _:\n        b\n"),
              "(match x (case 1 (block (expr a))) (case _ (block (expr b))))");
    EXPECT_EQ(parse("match a, b:\n    case (1, y) if y > 0:\n        pass\n"),
              "(match (tuple a b) (case (seq 1 y) (if (cmp y > 0)) (block (pass))))");
    EXPECT_EQ(parse("match m:\n    case 'x': return 1\n"),
              "(match m (case \"x\" (block (return 1))))");
}

TEST(ParseStmt, MatchSubjectsAndStarTargets) {
    EXPECT_EQ(parse("match (x):\n    case _: pass\n"), "(match x (case _ (block (pass))))");
    EXPECT_EQ(parse("match f(x)[0]:\n    case _: pass\n"),
              "(match (index (call f x) 0) (case _ (block (pass))))");
    EXPECT_EQ(parse("for *a, b in x: pass"), "(for (tuple (* a) b) x (block (pass)))");
    EXPECT_EQ(parse("f = lambda: 1 if x else 2"), "(= f (lambda (params) (ifexp x 1 2)))");
}

TEST(ParseStmt, ReceiveWithAfterAtReceiveLevel) {
    // The layout of LANGUAGE.md's example.
    EXPECT_EQ(parse("receive:\n"
                    "    case ('pong', n):\n"
                    "        print('got pong', n)\n"
                    "after 1000:\n"
                    "    print('no answer')\n"),
              "(receive (case (seq \"pong\" n) (block (expr (call print \"got pong\" n)))) "
              "(after 1000 (block (expr (call print \"no answer\")))))");
}

TEST(ParseStmt, ReceiveWithAfterAsLastArm) {
    EXPECT_EQ(parse("receive:\n"
                    "    case 'stop':\n"
                    "        return\n"
                    "    case (tag, x) if tag == t:\n"
                    "        pass\n"
                    "    after timeout * 2:\n"
                    "        pass\n"),
              "(receive (case \"stop\" (block (return))) (case (seq tag x) (if (cmp tag == t)) "
              "(block (pass))) (after (* timeout 2) (block (pass))))");
}

TEST(ParseStmt, ReceiveAfterOnly) {
    EXPECT_EQ(parse("receive:\n    after 0:\n        pass\n"),
              "(receive (after 0 (block (pass))))");
}

TEST(ParseStmt, ReceiveWithoutAfter) {
    EXPECT_EQ(parse("while True:\n    receive:\n        case x:\n            pass\n    n += 1\n"),
              "(while True (block (receive (case x (block (pass)))) (+= n 1)))");
}

TEST(ParseStmt, NestedBlocksCloseTogether) {
    EXPECT_EQ(parse("def f():\n  while a:\n    if b:\n      c\nx = 1\n"),
              "(def f (params) (block (while a (block (if b (block (expr c)))))))\n(= x 1)");
}

TEST(ParseStmt, StatementPositions) {
    EXPECT_EQ(parse("if x:\n  y = 1\nelif z:\n  pass", {.positions = true}),
              "(if@1:1 x@1:4 (block (=@2:3 y@2:3 1@2:7)) (elif z@3:6 (block (pass@4:3))))");
    EXPECT_EQ(parse("def f(a, *r):\n  return", {.positions = true}),
              "(def@1:1 f (params a@1:7 *r@1:10) (block (return@2:3)))");
}

TEST(ParseStmt, ForeignPythonWordsAreNamesInWeft) {
    EXPECT_EQ(parse("class_ = 1\nfrom_ = 2\nclass = 3"), "(= class_ 1)\n(= from_ 2)\n(= class 3)");
    EXPECT_EQ(parse("print(self(), node())"), "(expr (call print (call self) (call node)))");
}

}  // namespace
}  // namespace weft::interp::test
