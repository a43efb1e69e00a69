// token.cpp: the spellings of keywords and operators, and token descriptions
// for error messages.
//
// This is the single table of Weft's keywords: the lexer and the error
// messages both read it, so the two can never disagree.
#include "interp/syntax/token.hpp"

#include <array>
#include <utility>

namespace weft::interp {

namespace {

using entry = std::pair<token_kind, std::string_view>;

constexpr std::array keywords{
    entry{token_kind::kw_and, "and"},         entry{token_kind::kw_after, "after"},
    entry{token_kind::kw_as, "as"},           entry{token_kind::kw_assert, "assert"},
    entry{token_kind::kw_break, "break"},     entry{token_kind::kw_case, "case"},
    entry{token_kind::kw_continue, "continue"}, entry{token_kind::kw_def, "def"},
    entry{token_kind::kw_elif, "elif"},       entry{token_kind::kw_else, "else"},
    entry{token_kind::kw_except, "except"},   entry{token_kind::kw_false, "False"},
    entry{token_kind::kw_finally, "finally"}, entry{token_kind::kw_for, "for"},
    entry{token_kind::kw_if, "if"},           entry{token_kind::kw_import, "import"},
    entry{token_kind::kw_in, "in"},           entry{token_kind::kw_is, "is"},
    entry{token_kind::kw_lambda, "lambda"},   entry{token_kind::kw_match, "match"},
    entry{token_kind::kw_none, "None"},       entry{token_kind::kw_not, "not"},
    entry{token_kind::kw_or, "or"},           entry{token_kind::kw_pass, "pass"},
    entry{token_kind::kw_raise, "raise"},     entry{token_kind::kw_receive, "receive"},
    entry{token_kind::kw_return, "return"},   entry{token_kind::kw_true, "True"},
    entry{token_kind::kw_try, "try"},         entry{token_kind::kw_while, "while"},
    entry{token_kind::kw_with, "with"},
};

constexpr std::array operators{
    entry{token_kind::plus, "+"},          entry{token_kind::minus, "-"},
    entry{token_kind::star, "*"},          entry{token_kind::slash, "/"},
    entry{token_kind::double_slash, "//"}, entry{token_kind::percent, "%"},
    entry{token_kind::double_star, "**"},  entry{token_kind::tilde, "~"},
    entry{token_kind::amp, "&"},           entry{token_kind::pipe, "|"},
    entry{token_kind::caret, "^"},         entry{token_kind::lshift, "<<"},
    entry{token_kind::rshift, ">>"},       entry{token_kind::less, "<"},
    entry{token_kind::greater, ">"},       entry{token_kind::less_eq, "<="},
    entry{token_kind::greater_eq, ">="},   entry{token_kind::eq_eq, "=="},
    entry{token_kind::not_eq_, "!="},      entry{token_kind::assign, "="},
    entry{token_kind::plus_eq, "+="},      entry{token_kind::minus_eq, "-="},
    entry{token_kind::star_eq, "*="},      entry{token_kind::slash_eq, "/="},
    entry{token_kind::double_slash_eq, "//="}, entry{token_kind::percent_eq, "%="},
    entry{token_kind::double_star_eq, "**="}, entry{token_kind::amp_eq, "&="},
    entry{token_kind::pipe_eq, "|="},      entry{token_kind::caret_eq, "^="},
    entry{token_kind::lshift_eq, "<<="},   entry{token_kind::rshift_eq, ">>="},
    entry{token_kind::arrow, "->"},        entry{token_kind::colon, ":"},
    entry{token_kind::comma, ","},         entry{token_kind::dot, "."},
    entry{token_kind::semicolon, ";"},     entry{token_kind::at, "@"},
    entry{token_kind::lparen, "("},        entry{token_kind::rparen, ")"},
    entry{token_kind::lbracket, "["},      entry{token_kind::rbracket, "]"},
    entry{token_kind::lbrace, "{"},        entry{token_kind::rbrace, "}"},
};

// Long names (a 1 MB identifier) must not make a 1 MB message.
std::string quoted(std::string_view text) {
    constexpr std::size_t limit = 40;
    if (text.size() <= limit) return "'" + std::string(text) + "'";
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return "'" + std::string(text.substr(0, cut)) + "...'";
}

}  // namespace

token_kind keyword_kind(std::string_view word) {
    for (const auto& [kind, text] : keywords)
        if (text == word) return kind;
    return token_kind::name;
}

std::string_view spelling(token_kind k) {
    for (const auto& [kind, text] : keywords)
        if (kind == k) return text;
    for (const auto& [kind, text] : operators)
        if (kind == k) return text;
    return {};
}

std::string describe(const token& t) {
    switch (t.kind) {
        case token_kind::end: return "end of file";
        case token_kind::newline: return "end of line";
        case token_kind::indent: return "indent";
        case token_kind::dedent: return "unindent";
        case token_kind::name: return "name " + quoted(t.text);
        case token_kind::integer:
        case token_kind::floating: return "number " + quoted(t.text);
        case token_kind::string:
        case token_kind::fstring: return "string literal";
        case token_kind::bytes: return "bytes literal";
        default: break;
    }
    if (is_keyword(t.kind)) return "keyword '" + std::string(spelling(t.kind)) + "'";
    return "'" + std::string(spelling(t.kind)) + "'";
}

}  // namespace weft::interp
