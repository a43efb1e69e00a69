// test_util.hpp: helpers shared by the front-end tests: lex or parse a
// snippet and render the result (tokens, s-expressions or "LINE:COL: message").
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "interp/syntax/ast_printer.hpp"
#include "interp/syntax/lexer.hpp"
#include "interp/syntax/parser.hpp"
#include "interp/syntax/syntax_error.hpp"

namespace weft::interp::test {

// Tokens as a space-separated string: names and operators as written, layout
// as NL INDENT DEDENT, literals as int:VALUE/BASE float:TEXT str:"..." bytes:"...".
inline std::string render(const token& t) {
    switch (t.kind) {
        case token_kind::end: return "END";
        case token_kind::newline: return "NL";
        case token_kind::indent: return "INDENT";
        case token_kind::dedent: return "DEDENT";
        case token_kind::name: return t.value;
        case token_kind::integer: return "int:" + t.value + "/" + std::to_string(t.base);
        case token_kind::floating: return "float:" + t.value;
        case token_kind::string: return "str:\"" + t.value + "\"";
        case token_kind::bytes: return "bytes:\"" + t.value + "\"";
        case token_kind::fstring: return "fstr";
        default: return std::string(spelling(t.kind));
    }
}

inline std::vector<token> lex_all(std::string_view src) {
    lexer lx(src, "t.weft");
    std::vector<token> out;
    for (;;) {
        out.push_back(lx.next());
        if (out.back().kind == token_kind::end) return out;
    }
}

// The rendered tokens, or "error LINE:COL: message".
inline std::string tokens(std::string_view src) {
    try {
        std::string out;
        for (const token& t : lex_all(src)) {
            if (!out.empty()) out += ' ';
            out += render(t);
        }
        return out;
    } catch (const syntax_error& e) {
        return "error " + std::to_string(e.line()) + ":" + std::to_string(e.col()) + ": " +
               e.message();
    }
}

// The module as s-expressions, or "error LINE:COL: message".
inline std::string parse(std::string_view src, print_options o = {}) {
    try {
        return to_sexpr(*parse_module(src, "t.weft"), o);
    } catch (const syntax_error& e) {
        return "error " + std::to_string(e.line()) + ":" + std::to_string(e.col()) + ": " +
               e.message();
    }
}

inline std::string expr(std::string_view src, print_options o = {}) {
    try {
        return to_sexpr(*parse_expression(src, "t.weft"), o);
    } catch (const syntax_error& e) {
        return "error " + std::to_string(e.line()) + ":" + std::to_string(e.col()) + ": " +
               e.message();
    }
}

// "LINE:COL: message" of the syntax error, or "no error".
inline std::string error(std::string_view src) {
    try {
        parse_module(src, "t.weft");
        return "no error";
    } catch (const syntax_error& e) {
        return std::to_string(e.line()) + ":" + std::to_string(e.col()) + ": " + e.message();
    }
}

}  // namespace weft::interp::test
