// parser.hpp: Weft source text to an AST (ast.hpp), or a syntax_error.
//
// This is the front end's whole public surface: the lexer, the token stream
// and the parser's helpers stay private (parser_impl.hpp). Parsing is pure: no
// global state, no I/O, safe to run on many threads at once.
//
// Stack use is bounded whatever the input: nesting deeper than max_nesting
// levels (brackets, operators, patterns) or max_indent_levels blocks is a
// syntax error ("too deeply nested"), never a crash. At the limits the parser
// needs about 200 KB of stack optimized, 320 KB in Debug and 670 KB under
// AddressSanitizer (measured by tests/interp/syntax/limits_test.cpp, which fails
// above 512 KB, 768 KB with ASan). Run it on a thread's stack or a fiber
// stack of at least 1 MB, never on a small pooled fiber stack.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "interp/syntax/ast.hpp"
#include "interp/syntax/syntax_error.hpp"

namespace weft::interp {

// How deeply expressions and patterns may nest. Python's parser stops at 200 too.
inline constexpr int max_nesting = 200;

// Parses a whole module. `file` is the name errors report (e.g. "prog.weft").
// Throws syntax_error at the first error.
std::unique_ptr<ast::module> parse_module(std::string_view source, std::string file);

// Parses one expression (tuples allowed) that makes up the whole of `source`,
// for a REPL or a debugger. Throws syntax_error.
ast::expr_ptr parse_expression(std::string_view source, std::string file);

}  // namespace weft::interp
