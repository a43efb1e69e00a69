// lexer_test.cpp: tokens for every literal form, keyword and operator, and
// the layout rules (indentation, blank lines, joining inside brackets).
#include <gtest/gtest.h>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

TEST(Lexer, IndentAndDedent) {
    EXPECT_EQ(tokens("if x:\n    y\nz\n"), "if x : NL INDENT y NL DEDENT z NL END");
    EXPECT_EQ(tokens("a\n  b\n    c\nd\n"),
              "a NL INDENT b NL INDENT c NL DEDENT DEDENT d NL END");
    EXPECT_EQ(tokens("a\n  b\n    c\n  d\ne"),
              "a NL INDENT b NL INDENT c NL DEDENT d NL DEDENT e NL END");
}

TEST(Lexer, BlocksCloseAtEndOfFile) {
    EXPECT_EQ(tokens("a\n  b\n    c"), "a NL INDENT b NL INDENT c NL DEDENT DEDENT END");
    EXPECT_EQ(tokens("a\n  b\n    c\n"), "a NL INDENT b NL INDENT c NL DEDENT DEDENT END");
}

TEST(Lexer, BlankAndCommentLinesAreIgnored) {
    EXPECT_EQ(tokens("a\n\n   \n  # comment at any indent\n# another\nb  # trailing\n"),
              "a NL b NL END");
    EXPECT_EQ(tokens(""), "END");
    EXPECT_EQ(tokens("\n\n# only a comment"), "END");
    EXPECT_EQ(tokens("   \n\t\n"), "END");  // a tab on a blank line is harmless
}

TEST(Lexer, FormFeedAndTabsBetweenTokens) {
    EXPECT_EQ(tokens("x\t=\t1\n"), "x = int:1/10 NL END");
    EXPECT_EQ(tokens("\fx\n"), "x NL END");
}

TEST(Lexer, LineEndings) {
    EXPECT_EQ(tokens("a\r\n  b\r\nc\r\n"), "a NL INDENT b NL DEDENT c NL END");
    EXPECT_EQ(tokens("a\rb\r"), "a NL b NL END");
}

TEST(Lexer, ImplicitLineJoiningInsideBrackets) {
    EXPECT_EQ(tokens("x = (1,\n      2)\n"), "x = ( int:1/10 , int:2/10 ) NL END");
    EXPECT_EQ(tokens("f([\n  1,  # one\n\n  {2:\n3}])\n"),
              "f ( [ int:1/10 , { int:2/10 : int:3/10 } ] ) NL END");
}

TEST(Lexer, BackslashContinuation) {
    EXPECT_EQ(tokens("x = 1 + \\\n    2\n"), "x = int:1/10 + int:2/10 NL END");
}

TEST(Lexer, ByteOrderMarkIsSkipped) {
    EXPECT_EQ(tokens("\xEF\xBB\xBFx\n"), "x NL END");
}

TEST(Lexer, Integers) {
    EXPECT_EQ(tokens("42 0x2a 0X2A 0o52 0O52 0b101010 0B1 1_000_000 0 00 0_0 0x_ff"),
              "int:42/10 int:2a/16 int:2A/16 int:52/8 int:52/8 int:101010/2 int:1/2 "
              "int:1000000/10 int:0/10 int:00/10 int:00/10 int:ff/16 NL END");
    EXPECT_EQ(tokens("123456789012345678901234567890"),
              "int:123456789012345678901234567890/10 NL END");
}

TEST(Lexer, Floats) {
    EXPECT_EQ(tokens("1.5 1e9 .5 1. 1.5e-3 1E+9 1_0.5_0 09.5 0e0"),
              "float:1.5 float:1e9 float:.5 float:1. float:1.5e-3 float:1e+9 float:10.50 "
              "float:09.5 float:0e0 NL END");
}

TEST(Lexer, NumberThenDotThenName) {
    EXPECT_EQ(tokens("x[1:2]"), "x [ int:1/10 : int:2/10 ] NL END");
    EXPECT_EQ(tokens("1 .real"), "int:1/10 . real NL END");
}

TEST(Lexer, StringQuotes) {
    EXPECT_EQ(tokens(R"('a' "b" '"' "'" '' "")"),
              R"(str:"a" str:"b" str:""" str:"'" str:"" str:"" NL END)");
    EXPECT_EQ(tokens("'''x\ny''' \"\"\"a \"quoted\" b\"\"\""),
              "str:\"x\ny\" str:\"a \"quoted\" b\" NL END");
    EXPECT_EQ(tokens("'''a''''"), "error 1:8: unterminated string literal (detected at line 1)");
}

TEST(Lexer, StringEscapes) {
    auto v = [](std::string_view src) { return lex_all(src)[0].value; };
    EXPECT_EQ(v(R"("\n\t\\\'\"")"), "\n\t\\'\"");
    EXPECT_EQ(v(R"("\r\0\a\b\f\v")"), std::string("\r\0\a\b\f\v", 6));
    EXPECT_EQ(v(R"("\x41\x7e")"), "A~");
    EXPECT_EQ(v(R"("\xe9")"), "\xC3\xA9");  // U+00E9 as UTF-8
    EXPECT_EQ(v(R"("\u00e9\u20AC")"), "\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ(v(R"("\U0001F600")"), "\xF0\x9F\x98\x80");
    EXPECT_EQ(v(R"("\101\60\7")"), "A0\a");
    EXPECT_EQ(v("\"a\\\nb\""), "ab");          // backslash-newline continues the literal
    EXPECT_EQ(v(R"("\q\d")"), "\\q\\d");       // unknown escapes keep the backslash
    EXPECT_EQ(v("'''a\r\nb'''"), "a\nb");       // CRLF in the file is \n in the value
    EXPECT_EQ(v("\"caf\xC3\xA9 \xE2\x82\xAC\""), "caf\xC3\xA9 \xE2\x82\xAC");
}

TEST(Lexer, RawStrings) {
    auto v = [](std::string_view src) { return lex_all(src)[0].value; };
    EXPECT_EQ(v(R"(r"\n\x")"), R"(\n\x)");
    EXPECT_EQ(v(R"(R'\'')"), R"(\')");
    EXPECT_EQ(v(R"(r"a\"b")"), R"(a\"b)");
    EXPECT_EQ(lex_all(R"(rb"\x00")")[0].kind, token_kind::bytes);
    EXPECT_EQ(v(R"(Br"\x00")"), R"(\x00)");
    EXPECT_EQ(v(R"(u"x")"), "x");
}

TEST(Lexer, Bytes) {
    auto t = lex_all(R"(b"ab\x00\xff\n\u1234" B'x')");
    EXPECT_EQ(t[0].kind, token_kind::bytes);
    EXPECT_EQ(t[0].value, std::string("ab\0\xff\n\\u1234", 11));
    EXPECT_EQ(t[1].kind, token_kind::bytes);
    EXPECT_EQ(tokens(R"(b"\777")"), "error 1:3: octal escape value above \\377 in a bytes literal");
}

TEST(Lexer, FStringPieces) {
    auto t = lex_all(R"(f"a{x}b{y!r:>5}{{c}}{z=}")");
    ASSERT_EQ(t[0].kind, token_kind::fstring);
    const auto& p = t[0].pieces;
    ASSERT_EQ(p.size(), 6u);
    EXPECT_FALSE(p[0].is_field);
    EXPECT_EQ(p[0].text, "a");
    EXPECT_TRUE(p[1].is_field);
    EXPECT_EQ(std::string_view(R"(f"a{x}b{y!r:>5}{{c}}{z=}")").substr(p[1].expr_begin, 1), "x");
    EXPECT_EQ(p[1].expr_pos, (source_pos{1, 5}));
    EXPECT_EQ(p[1].pos, (source_pos{1, 4}));
    EXPECT_EQ(p[2].text, "b");
    EXPECT_EQ(p[3].conversion, 'r');
    ASSERT_TRUE(p[3].has_spec);
    ASSERT_EQ(p[3].spec.size(), 1u);
    EXPECT_EQ(p[3].spec[0].text, ">5");
    EXPECT_EQ(p[4].text, "{c}");
    EXPECT_TRUE(p[5].debug);
    EXPECT_EQ(p[5].text, "z=");
    EXPECT_EQ(p[5].conversion, 'r');
}

TEST(Lexer, FStringNestedQuotesAndBraces) {
    auto t = lex_all(R"(f"{d['k']}{'}'}" f'''{x["a"]:{w}}''')");
    ASSERT_EQ(t[0].kind, token_kind::fstring);
    ASSERT_EQ(t[0].pieces.size(), 2u);
    ASSERT_EQ(t[1].kind, token_kind::fstring);
    ASSERT_EQ(t[1].pieces.size(), 1u);
    ASSERT_EQ(t[1].pieces[0].spec.size(), 1u);
    EXPECT_TRUE(t[1].pieces[0].spec[0].is_field);
}

TEST(Lexer, Keywords) {
    EXPECT_EQ(tokens("and after as assert break case continue def elif else except False "
                     "finally for if import in is lambda match None not or pass raise "
                     "receive return True try while"),
              "and after as assert break case continue def elif else except False finally "
              "for if import in is lambda match None not or pass raise receive return True "
              "try while NL END");
    for (const token& t : lex_all("and after while None")) {
        if (t.kind == token_kind::newline || t.kind == token_kind::end) continue;
        EXPECT_TRUE(is_keyword(t.kind)) << render(t);
    }
    // Python keywords Weft lacks are names.
    EXPECT_EQ(lex_all("class")[0].kind, token_kind::name);
    EXPECT_EQ(lex_all("global")[0].kind, token_kind::name);
}

TEST(Lexer, Operators) {
    EXPECT_EQ(tokens("+ - * / // % ** ~ & | ^ << >> < > <= >= == != = += -= *= /= //= %= "
                     "**= &= |= ^= <<= >>= -> : , . ; @ ( ) [ ] { }"),
              "+ - * / // % ** ~ & | ^ << >> < > <= >= == != = += -= *= /= //= %= **= &= |= "
              "^= <<= >>= -> : , . ; @ ( ) [ ] { } NL END");
    EXPECT_EQ(tokens("a**-b"), "a ** - b NL END");
    EXPECT_EQ(tokens("x<<=y>>z"), "x <<= y >> z NL END");
}

TEST(Lexer, UnicodeIdentifiers) {
    EXPECT_EQ(tokens("caf\xC3\xA9 = \xCF\x80"), "caf\xC3\xA9 = \xCF\x80 NL END");
    EXPECT_EQ(tokens("_x1 __y"), "_x1 __y NL END");
}

TEST(Lexer, PositionsCountCodePoints) {
    auto t = lex_all("\"\xC3\xA9\" + x\n  y");
    EXPECT_EQ(t[0].pos, (source_pos{1, 1}));
    EXPECT_EQ(t[0].end, (source_pos{1, 4}));
    EXPECT_EQ(t[1].pos, (source_pos{1, 5}));
    EXPECT_EQ(t[2].pos, (source_pos{1, 7}));
    EXPECT_EQ(t[3].kind, token_kind::newline);
    EXPECT_EQ(t[3].pos, (source_pos{1, 8}));
    EXPECT_EQ(t[4].kind, token_kind::indent);
    EXPECT_EQ(t[4].pos, (source_pos{2, 3}));
    EXPECT_EQ(t[5].pos, (source_pos{2, 3}));
    auto m = lex_all("'''a\nbc''' z");
    EXPECT_EQ(m[0].end, (source_pos{2, 6}));
    EXPECT_EQ(m[1].pos, (source_pos{2, 7}));
}

TEST(Lexer, DedentTokensAreAtTheLine) {
    auto t = lex_all("a\n    b\nc");
    ASSERT_EQ(t[5].kind, token_kind::dedent);
    EXPECT_EQ(t[5].pos, (source_pos{3, 1}));
}

}  // namespace
}  // namespace weft::interp::test
