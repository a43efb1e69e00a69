// token.hpp: what the lexer hands the parser.
//
// A token is plain data: its kind, where it starts and ends, its raw text and,
// for literals, the decoded value. Tokens never point into anything but the
// source text (which outlives them) and never own AST nodes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interp/syntax/source_pos.hpp"

namespace weft::interp {

enum class token_kind : std::uint8_t {
    // Layout and end.
    end,      // end of input (after the last DEDENT)
    newline,  // end of a logical line
    indent,   // the next line is indented deeper
    dedent,   // one block closes

    // Names and literals.
    name,
    integer,      // value: digits without '_' or prefix; base: 2, 8, 10 or 16
    floating,     // value: the literal without '_'
    string,       // value: the decoded text (UTF-8)
    bytes,        // value: the decoded bytes
    fstring,      // pieces: literal text and replacement fields

    // Keywords, in LANGUAGE.md's order.
    kw_and, kw_after, kw_as, kw_assert, kw_break, kw_case, kw_continue, kw_def, kw_elif,
    kw_else, kw_except, kw_false, kw_finally, kw_for, kw_if, kw_import, kw_in, kw_is,
    kw_lambda, kw_match, kw_none, kw_not, kw_or, kw_pass, kw_raise, kw_receive, kw_return,
    kw_true, kw_try, kw_while, kw_with,

    // Operators and delimiters.
    plus, minus, star, slash, double_slash, percent, double_star, tilde, amp, pipe, caret,
    lshift, rshift, less, greater, less_eq, greater_eq, eq_eq, not_eq_,
    assign, plus_eq, minus_eq, star_eq, slash_eq, double_slash_eq, percent_eq,
    double_star_eq, amp_eq, pipe_eq, caret_eq, lshift_eq, rshift_eq,
    arrow, colon, comma, dot, semicolon, at,
    lparen, rparen, lbracket, rbracket, lbrace, rbrace,
};

// One piece of an f-string token: literal text, or a replacement field
// `{expr!c:spec}` whose expression is left as source text for the parser.
struct fstring_piece {
    bool is_field = false;
    std::string text;  // literal: decoded text; field with '=': the "expr=" text to print first
    source_pos pos;    // literal: its first character; field: the '{'

    // Fields only.
    std::size_t expr_begin = 0, expr_end = 0;  // byte range of the expression in the source
    source_pos expr_pos;                       // where the expression starts
    bool debug = false;                        // `{x=}`: print the text, then the value
    char conversion = 0;                       // 0, 'r', 's' or 'a'
    bool has_spec = false;
    std::vector<fstring_piece> spec;  // the format spec after ':', itself pieces
};

struct token {
    token_kind kind = token_kind::end;
    source_pos pos;          // first character
    source_pos end;          // just past the last character
    std::string_view text;   // the raw source text (empty for layout tokens)
    std::string value;       // see token_kind; names keep their text here too
    int base = 10;           // integer only
    std::vector<fstring_piece> pieces;  // fstring only
};

// "'+'", "keyword 'if'", "name 'x'", "end of line", ...: for error messages.
std::string describe(const token& t);

// The spelling of a keyword or operator kind ("if", "+="); "" for the others.
std::string_view spelling(token_kind k);

inline bool is_keyword(token_kind k) {
    return k >= token_kind::kw_and && k <= token_kind::kw_with;
}

}  // namespace weft::interp

namespace weft::interp {

// The keyword kind spelled `word`, or token_kind::name when it is not one.
token_kind keyword_kind(std::string_view word);

}  // namespace weft::interp
