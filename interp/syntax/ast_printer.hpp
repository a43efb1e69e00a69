// ast_printer.hpp: renders an AST as one-line s-expressions, for tests and
// for debugging the compiler (`weft check --ast` may use it).
//
// The format is stable and compact: `(= x (+ 1 2))`, `(call f a (kw key g))`.
// A module prints one top-level statement per line. It is a debugging aid:
// nothing may parse this output back or depend on it at run time.
#pragma once
#include <string>

#include "interp/syntax/ast.hpp"

namespace weft::interp {

struct print_options {
    bool positions = false;  // append @LINE:COL to every node
};

std::string to_sexpr(const ast::expr& e, print_options options = {});
std::string to_sexpr(const ast::stmt& s, print_options options = {});
std::string to_sexpr(const ast::pattern& p, print_options options = {});
std::string to_sexpr(const ast::module& m, print_options options = {});

}  // namespace weft::interp
