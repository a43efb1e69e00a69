// errors_test.cpp: every class of bad input gives one clean syntax error
// with the exact message and LINE:COL, and the rendered report is right.
#include <gtest/gtest.h>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

TEST(Errors, UnterminatedStrings) {
    EXPECT_EQ(error("x = 'abc\n"), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("x = \"abc"), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("x = 1\ny = '''abc\n\ndef"),
              "2:5: unterminated triple-quoted string literal (detected at line 4)");
    EXPECT_EQ(error("s = b'abc"), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("s = 'abc\\"), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("s = r'abc\\'"), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("s = f'{x}"), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("s = f'{x"), "1:5: unterminated string literal (detected at line 1)");
}

TEST(Errors, Indentation) {
    EXPECT_EQ(error("x = 1\n    y = 2\n"), "2:5: unexpected indent");
    EXPECT_EQ(error("  x = 1\n"), "1:3: unexpected indent");
    EXPECT_EQ(error("if x:\n    a\n  b\n"),
              "3:3: unindent does not match any outer indentation level");
    EXPECT_EQ(error("if x:\n\ty\n"), "2:1: tab in indentation");
    EXPECT_EQ(error("if x:\n    \ty\n"), "2:5: tab in indentation");
    EXPECT_EQ(error("if x:\ny\n"), "2:1: expected an indented block after 'if' statement on line 1");
    EXPECT_EQ(error("if x:\n    a\n        b\n"), "3:9: unexpected indent");
    EXPECT_EQ(error("def f():\n\n# c\n"),
              "4:1: expected an indented block after function definition on line 1");
    EXPECT_EQ(error("while x:\n"), "2:1: expected an indented block after 'while' statement on line 1");
    EXPECT_EQ(error("for x in y:\npass"),
              "2:1: expected an indented block after 'for' statement on line 1");
    EXPECT_EQ(error("try:\n  a\nexcept E:\nb"),
              "4:1: expected an indented block after 'except' statement on line 3");
}

TEST(Errors, TooManyIndentationLevels) {
    std::string src;
    for (int i = 0; i < 101; ++i) src += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    src += std::string(101, ' ') + "pass\n";
    EXPECT_EQ(error(src), "102:102: too many levels of indentation");
}

TEST(Errors, StrayCharacters) {
    EXPECT_EQ(error("x = $y"), "1:5: invalid character '$' (U+0024)");
    EXPECT_EQ(error("x = a ? b : c"), "1:7: invalid character '?' (U+003F)");
    EXPECT_EQ(error("x = `a`"), "1:5: invalid character '`' (U+0060)");
    EXPECT_EQ(error("x = !a"), "1:5: invalid character '!' (U+0021)");
    EXPECT_EQ(error("x = 1\x01"), "1:6: invalid non-printable character U+0001");
    EXPECT_EQ(error("x = \xE2\x82\xAC"), "1:5: invalid character '\xE2\x82\xAC' (U+20AC)");
    EXPECT_EQ(error("x = 1 \xC2\xA0"), "1:7: invalid non-printable character U+00A0");
    EXPECT_EQ(error("x = 'a'\ny = \xFF"), "2:5: invalid UTF-8 in source (byte 0xFF)");
    EXPECT_EQ(error("# \xC3\x28 in a comment"), "1:3: invalid UTF-8 in source (byte 0xC3)");
    EXPECT_EQ(error("x = '\xED\xA0\x80'"), "1:6: invalid UTF-8 in source (byte 0xED)");
    EXPECT_EQ(error(std::string_view("x = 1\0", 6)), "1:6: source code cannot contain null bytes");
    EXPECT_EQ(error("x = a \\ b"), "1:7: unexpected character after line continuation character");
}

TEST(Errors, Brackets) {
    EXPECT_EQ(error("x = (1, 2"), "1:5: '(' was never closed");
    EXPECT_EQ(error("f(a, [b,\n\nc"), "1:6: '[' was never closed");
    // A later error inside an unclosed bracket is blamed on the bracket, as in Python.
    EXPECT_EQ(error("f(a, [b\n\nc"), "1:6: '[' was never closed");
    EXPECT_EQ(error("x = [1, 2\ny = 3\n"), "1:5: '[' was never closed");
    EXPECT_EQ(error("x = foo(a,\n  b\nprint(x)\n"), "1:8: '(' was never closed");
    EXPECT_EQ(error("x = [1 2]"), "1:8: expected ',' or ']' in list, found number '2'");
    EXPECT_EQ(error("x = 1)"), "1:6: unmatched ')'");
    EXPECT_EQ(error("x = [1, 2)"),
              "1:10: closing parenthesis ')' does not match opening parenthesis '['");
    EXPECT_EQ(error("x = {\n1: 2]"),
              "2:5: closing parenthesis ']' does not match opening parenthesis '{' on line 1");
}

TEST(Errors, Escapes) {
    EXPECT_EQ(error("s = '\\xZZ'"), "1:6: invalid \\x escape: expected 2 hex digits");
    EXPECT_EQ(error("s = '\\x4'"), "1:6: invalid \\x escape: expected 2 hex digits");
    EXPECT_EQ(error("s = b'\\xg0'"), "1:7: invalid \\x escape: expected 2 hex digits");
    EXPECT_EQ(error("s = 'ab\\u12'"), "1:8: invalid \\u escape: expected 4 hex digits");
    EXPECT_EQ(error("s = '\\U00110000'"), "1:6: invalid \\U escape: code point above U+10FFFF");
    EXPECT_EQ(error("s = '\\ud800'"),
              "1:6: surrogate code point U+D800 is not allowed in a string");
    EXPECT_EQ(error("s = '\\N{DASH}'"), "1:6: \\N{...} escapes are not supported");
    EXPECT_EQ(error("s = b'caf\xC3\xA9'"), "1:10: bytes can only contain ASCII literal characters");
}

TEST(Errors, Numbers) {
    EXPECT_EQ(error("x = 0x"), "1:5: invalid hexadecimal literal");
    EXPECT_EQ(error("x = 0xg"), "1:5: invalid hexadecimal literal");
    EXPECT_EQ(error("x = 0b"), "1:5: invalid binary literal");
    EXPECT_EQ(error("x = 0b102"), "1:5: invalid digit '2' in binary literal");
    EXPECT_EQ(error("x = 0o8"), "1:5: invalid digit '8' in octal literal");
    EXPECT_EQ(error("x = 1__0"), "1:5: invalid decimal literal");
    EXPECT_EQ(error("x = 1_"), "1:5: invalid decimal literal");
    EXPECT_EQ(error("x = 0x_"), "1:5: invalid hexadecimal literal");
    EXPECT_EQ(error("x = 09"),
              "1:5: leading zeros in decimal integer literals are not permitted; use an 0o "
              "prefix for octal integers");
    EXPECT_EQ(error("x = 1abc"), "1:5: invalid decimal literal");
    EXPECT_EQ(error("x = 1e"), "1:5: invalid decimal literal");
    EXPECT_EQ(error("x = 1.5j"), "1:5: imaginary numbers are not supported");
    EXPECT_EQ(error("x = 1._5"), "1:5: invalid decimal literal");
}

TEST(Errors, FStrings) {
    EXPECT_EQ(error("f'{}'"), "1:3: f-string: empty expression not allowed");
    EXPECT_EQ(error("f'{ }'"), "1:3: f-string: empty expression not allowed");
    EXPECT_EQ(error("f'a}'"), "1:4: f-string: single '}' is not allowed");
    EXPECT_EQ(error("f'{x'"), "1:5: f-string: expecting '}'");
    EXPECT_EQ(error("f'{x!z}'"),
              "1:6: f-string: invalid conversion character: expected 's', 'r', or 'a'");
    EXPECT_EQ(error("f'{x!r y}'"), "1:7: f-string: expecting '}'");
    EXPECT_EQ(error("f'{a\\n}'"), "1:5: f-string expression part cannot include a backslash");
    EXPECT_EQ(error("f'{a#}'"), "1:5: f-string expression part cannot include '#'");
    EXPECT_EQ(error("f'{a)}'"), "1:5: f-string: unmatched ')'");
    EXPECT_EQ(error("f'{a b}'"), "1:6: f-string: expecting '}', found name 'b'");
    EXPECT_EQ(error("f'{a +}'"), "1:7: expected an expression");
    EXPECT_EQ(error("f'{x:{y:{z}}}'"), "1:9: f-string: expressions nested too deeply");
    EXPECT_EQ(error("x = 1\nf'''\n{a $ b}'''"), "3:4: invalid character '$' (U+0024)");
}

TEST(Errors, ExpectedTokens) {
    EXPECT_EQ(error("if x\n    pass\n"), "1:5: expected ':' after 'if' condition");
    EXPECT_EQ(error("if x y:\n    pass\n"), "1:6: expected ':' after 'if' condition, found name 'y'");
    EXPECT_EQ(error("while x  # c\n    pass"), "1:8: expected ':' after 'while' condition");
    EXPECT_EQ(error("def f(x)\n  pass"), "1:9: expected ':' after function signature");
    EXPECT_EQ(error("def f:\n  pass"), "1:6: expected '(' after function name, found ':'");
    EXPECT_EQ(error("for x y:\n  pass"), "1:7: expected 'in' after 'for' target, found name 'y'");
    EXPECT_EQ(error("x = "), "1:4: expected an expression");
    EXPECT_EQ(error("x = 1 +\n"), "1:8: expected an expression");
    EXPECT_EQ(error("x = (1 + )"), "1:10: expected an expression, found ')'");
    EXPECT_EQ(error("x = a if b"), "1:11: expected 'else' after 'if' expression");
    EXPECT_EQ(error("f(a b)"), "1:5: expected ',' or ')' in call, found name 'b'");
    EXPECT_EQ(error("x = [1 2]"), "1:8: expected ',' or ']' in list, found number '2'");
    EXPECT_EQ(error("x = 1 2"), "1:7: invalid syntax: unexpected number '2'");
    EXPECT_EQ(error("print 'hi'"), "1:7: invalid syntax: unexpected string literal");
    EXPECT_EQ(error("x = {1: 2, 3}"), "1:13: expected ':' after dict key, found '}'");
    EXPECT_EQ(error("x.if"), "1:3: expected an attribute name after '.', found keyword 'if'");
    EXPECT_EQ(error("match x:\n    pass\n"), "2:5: expected 'case' in 'match' block");
    EXPECT_EQ(error("match x: case 1: pass"),
              "1:10: expected an indented block after 'match' statement on line 1");
    EXPECT_EQ(error("receive:\n    x = 1\n"), "2:5: expected 'case' or 'after' in 'receive' block");
    EXPECT_EQ(error("receive:\n  case 1:\n    pass\n  after 5: pass\n  case 2: pass\n"),
              "5:3: 'case' cannot follow the 'after' clause of 'receive'");
    EXPECT_EQ(error("receive:\n  after 1: pass\nafter 2: pass\n"),
              "3:1: 'receive' already has an 'after' clause");
    EXPECT_EQ(error("receive:\n  case x: pass\n  after 5\n    pass"),
              "3:10: expected ':' after 'after' timeout");
    EXPECT_EQ(error("try:\n  a\nx = 1\n"), "3:1: expected 'except' or 'finally' block");
    EXPECT_EQ(error("try:\n  a\nexcept:\n  b\nexcept E:\n  c\n"),
              "3:1: default 'except:' must be last");
    EXPECT_EQ(error("try:\n  a\nexcept A, B:\n  b\n"),
              "3:8: multiple exception types must be parenthesized");
}

TEST(Errors, KeywordMisuse) {
    EXPECT_EQ(error("def if(): pass"), "1:5: expected a function name after 'def', found keyword 'if'");
    EXPECT_EQ(error("x = else"), "1:5: expected an expression, found keyword 'else'");
    EXPECT_EQ(error("match = 1"), "1:1: 'match' is a keyword in Weft and cannot be used as a name");
    EXPECT_EQ(error("x = receive"), "1:5: 'receive' is a keyword in Weft and cannot be used as a name");
    EXPECT_EQ(error("receive(1)"), "1:1: 'receive' is a keyword in Weft and cannot be used as a name");
    EXPECT_EQ(error("def f(case): pass"),
              "1:7: 'case' is a keyword in Weft and cannot be used as a name");
    EXPECT_EQ(error("after = 3"), "1:1: 'after' must follow the cases of a 'receive'");
    EXPECT_EQ(error("else:\n  pass"), "1:1: 'else' must follow an 'if', 'for', 'while' or 'try' block");
    EXPECT_EQ(error("elif x:\n  pass"), "1:1: 'elif' must follow an 'if' block");
    EXPECT_EQ(error("except:\n  pass"), "1:1: 'except' must follow a 'try' block");
    EXPECT_EQ(error("case 1:\n  pass"), "1:1: 'case' must be inside a 'match' or 'receive' block");
    EXPECT_EQ(error("x = 1; if x: pass"), "1:8: 'if' statement must start on its own line");
    EXPECT_EQ(error("for if in x: pass"), "1:5: expected an expression, found keyword 'if'");
    EXPECT_EQ(error("None = 1"), "1:1: cannot assign to None");
    EXPECT_EQ(error("True += 1"), "1:1: 'True' is an illegal expression for augmented assignment");
    EXPECT_EQ(error("class Foo:\n  pass"),
              "1:1: classes are not supported in Weft: use tuples, lists and dicts");
    EXPECT_EQ(error("global x"),
              "1:1: 'global' is not supported in Weft: module-level names are read-only constants");
    EXPECT_EQ(error("@decorator\ndef f(): pass"), "1:1: decorators are not supported in Weft");
    EXPECT_EQ(error("raise E from e"), "1:9: 'raise ... from' is not supported in Weft");
    EXPECT_EQ(error("from m import *"),
              "1:15: 'from ... import *' is not supported in Weft: name what you import");
    EXPECT_EQ(error("from m"), "1:7: expected 'import' after 'from m'");
    EXPECT_EQ(error("import a.b"), "1:9: dotted module names are not supported: use 'import name'");
    EXPECT_EQ(error("lambda = 1"), "1:8: expected a parameter name or ':', found '='");
}

TEST(Errors, Targets) {
    EXPECT_EQ(error("f() = 1"), "1:1: cannot assign to function call");
    EXPECT_EQ(error("x.y = 1"), "1:1: cannot assign to an attribute: Weft values have no attributes");
    EXPECT_EQ(error("1 = x"), "1:1: cannot assign to literal");
    EXPECT_EQ(error("a + b = 1"), "1:1: cannot assign to expression");
    EXPECT_EQ(error("a, f() = 1, 2"), "1:4: cannot assign to function call");
    EXPECT_EQ(error("*a, *b = c"), "1:5: multiple starred expressions in assignment");
    EXPECT_EQ(error("*a = c"), "1:1: starred assignment target must be in a list or tuple");
    EXPECT_EQ(error("a, b += 1"), "1:1: 'tuple' is an illegal expression for augmented assignment");
    EXPECT_EQ(error("x = *a"), "1:5: can't use starred expression here");
    EXPECT_EQ(error("for f() in x: pass"), "1:5: cannot assign to function call");
    EXPECT_EQ(error("[x for 1 in y]"), "1:8: cannot assign to literal");
    EXPECT_EQ(error("x: int = 1"), "1:2: variable annotations are not supported in Weft");
}

TEST(Errors, CallsParamsAndDisplays) {
    EXPECT_EQ(error("f(a=1, b)"), "1:8: positional argument follows keyword argument");
    EXPECT_EQ(error("f(a=1, a=2)"), "1:8: keyword argument repeated: a");
    EXPECT_EQ(error("f(**a, b)"), "1:8: positional argument follows keyword argument unpacking");
    EXPECT_EQ(error("f(**a, *b)"), "1:8: iterable argument unpacking follows keyword argument unpacking");
    EXPECT_EQ(error("f(x for x in y, 1)"), "1:3: generator expression must be parenthesized");
    EXPECT_EQ(error("f(a.b=1)"), "1:3: expression cannot contain assignment, perhaps you meant \"==\"?");
    EXPECT_EQ(error("def f(a=1, b): pass"),
              "1:12: parameter without a default follows parameter with a default");
    EXPECT_EQ(error("def f(a, a): pass"), "1:10: duplicate parameter 'a' in function definition");
    EXPECT_EQ(error("def f(**kw, a): pass"), "1:13: arguments cannot follow var-keyword argument");
    EXPECT_EQ(error("def f(*, **kw): pass"), "1:7: named parameters must follow a bare '*'");
    EXPECT_EQ(error("def f(*): pass"), "1:7: named parameters must follow a bare '*'");
    EXPECT_EQ(error("def f(*a, *b): pass"), "1:11: '*' may appear only once in parameters");
    EXPECT_EQ(error("x = {1, 2: 3}"), "1:10: expected ',' or '}' in set, found ':'");
    EXPECT_EQ(error("x = {1: 2, 3}"), "1:13: expected ':' after dict key, found '}'");
    EXPECT_EQ(error("x = {*a for a in b}"), "1:6: iterable unpacking cannot be used in comprehension");
    EXPECT_EQ(error("x = {**d for a in b}"), "1:6: dict unpacking cannot be used in dict comprehension");
    EXPECT_EQ(error("x[1:2, 3]"), "1:3: a slice cannot be part of a tuple index");
    EXPECT_EQ(error("[*a for a in b]"), "1:2: iterable unpacking cannot be used in comprehension");
    EXPECT_EQ(error("print(*)"), "1:8: expected an expression, found ')'");
}

TEST(Errors, Patterns) {
    auto in_case = [](std::string_view p) {
        return error("match s:\n    case " + std::string(p) + ":\n        pass\n");
    };
    EXPECT_EQ(in_case("Foo(x)"),
              "2:10: unknown type 'Foo' in pattern (types: int float str bytes bool tuple list "
              "dict set frozenset pid ref)");
    EXPECT_EQ(in_case("int(a, b)"), "2:17: a type pattern takes at most one sub-pattern, as in 'int(x)'");
    EXPECT_EQ(in_case("int(x=1)"), "2:14: keyword sub-patterns are not supported in Weft");
    EXPECT_EQ(in_case("[*a, *b]"), "2:15: multiple starred names in sequence pattern");
    EXPECT_EQ(in_case("*a"), "2:10: a starred pattern must be inside a sequence pattern");
    EXPECT_EQ(in_case("f'{x}'"), "2:10: f-strings are not allowed in patterns");
    EXPECT_EQ(in_case("1 + 2"), "2:12: expected ':' after 'case' pattern, found '+'");
    EXPECT_EQ(in_case("-x"), "2:11: expected a number after '-' in pattern, found name 'x'");
    EXPECT_EQ(in_case("{k: v}"), "2:11: mapping pattern keys may only match literals and attribute lookups");
    EXPECT_EQ(in_case("{**r, 'a': 1}"), "2:16: '**' rest pattern must come last in a mapping pattern");
    EXPECT_EQ(in_case("x as _"), "2:15: cannot use '_' as a target");
    EXPECT_EQ(in_case("(a b)"), "2:13: expected ',' or ')' in pattern, found name 'b'");
    EXPECT_EQ(in_case(")"), "2:10: unmatched ')'");
    EXPECT_EQ(in_case("if"), "2:10: expected a pattern, found keyword 'if'");
}

TEST(Errors, CaretReport) {
    const std::string src = "def f():\n    x = \"abc\n";
    try {
        parse_module(src, "prog.weft");
        FAIL() << "no error";
    } catch (const syntax_error& e) {
        EXPECT_STREQ(e.what(), "prog.weft:2:9: unterminated string literal (detected at line 2)");
        EXPECT_EQ(format_syntax_error(e, src),
                  "prog.weft:2:9: unterminated string literal (detected at line 2)\n"
                  "    x = \"abc\n"
                  "        ^\n");
    }
}

TEST(Errors, CaretReportLeavesOutAByteOrderMark) {
    const std::string src = "\xEF\xBB\xBFx = $\n";
    try {
        parse_module(src, "prog.weft");
        FAIL() << "no error";
    } catch (const syntax_error& e) {
        EXPECT_EQ(format_syntax_error(e, src),
                  "prog.weft:1:5: invalid character '$' (U+0024)\n"
                  "x = $\n"
                  "    ^\n");
    }
}

TEST(Errors, CaretReportCountsCodePointsAndKeepsTabs) {
    const std::string src = "x = '\xC3\xA9\xC3\xA9'\t$";
    try {
        parse_module(src, "p.weft");
        FAIL() << "no error";
    } catch (const syntax_error& e) {
        EXPECT_EQ(format_syntax_error(e, src),
                  "p.weft:1:10: invalid character '$' (U+0024)\n"
                  "x = '\xC3\xA9\xC3\xA9'\t$\n"
                  "        \t^\n");
    }
}

TEST(Errors, CaretReportAtEndOfLineAndOnControlBytes) {
    const std::string src = "if x\n";
    try {
        parse_module(src, "p.weft");
        FAIL();
    } catch (const syntax_error& e) {
        EXPECT_EQ(format_syntax_error(e, src),
                  "p.weft:1:5: expected ':' after 'if' condition\nif x\n    ^\n");
    }
    const std::string bad = "y = 1\r\nx = \x01\r\n";
    try {
        parse_module(bad, "p.weft");
        FAIL();
    } catch (const syntax_error& e) {
        EXPECT_EQ(format_syntax_error(e, bad),
                  "p.weft:2:5: invalid non-printable character U+0001\nx = ?\n    ^\n");
    }
}

TEST(Errors, CaretReportOnAHugeLineShowsAWindow) {
    std::string src = "x = " + std::string(100000, 'a') + " $";
    try {
        parse_module(src, "p.weft");
        FAIL();
    } catch (const syntax_error& e) {
        EXPECT_EQ(e.col(), 100006u);
        const std::string report = format_syntax_error(e, src);
        EXPECT_LT(report.size(), 400u);
        EXPECT_NE(report.find("...aaaa"), std::string::npos);
        EXPECT_NE(report.find("a $\n"), std::string::npos);
        // The caret sits under the '$'.
        const std::size_t line2 = report.find('\n') + 1;
        const std::size_t line3 = report.find('\n', line2) + 1;
        EXPECT_EQ(report.find('$', line2) - line2, report.find('^', line3) - line3);
    }
}

}  // namespace
}  // namespace weft::interp::test
