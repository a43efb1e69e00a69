// ast_printer_impl.hpp: the s-expression printer's class, shared by its
// two source files (private to syntax/; users include ast_printer.hpp):
//
//   ast_printer.cpp        expressions, parameters, f-strings, the entry points
//   ast_printer_stmt.cpp   statements, blocks, match and receive cases, patterns
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "interp/syntax/ast.hpp"
#include "interp/syntax/ast_printer.hpp"

namespace weft::interp::detail {

class printer {
public:
    explicit printer(print_options o) : opt_(o) {}
    std::string out;

    void expr(const ast::expr& e);
    void stmt(const ast::stmt& s);
    void pattern(const ast::pattern& p);
    void block(const ast::block& b);

private:
    void at(source_pos p) {
        if (opt_.positions) out += "@" + std::to_string(p.line) + ":" + std::to_string(p.col);
    }
    void open(std::string_view head, source_pos p) {
        out += '(';
        out += head;
        at(p);
    }
    void sp() { out += ' '; }
    void opt_expr(const ast::expr_ptr& e) {
        sp();
        if (e) {
            expr(*e);
        } else {
            out += '-';
        }
    }
    void quoted(std::string_view s, bool bytes);
    void params(const ast::parameters& ps);
    void generators(const std::vector<ast::comp_for>& gens);
    void fstring_parts(const ast::fstring& f);
    void cases(const std::vector<ast::match_case>& cs);
    void tagged_block(std::string_view tag, const ast::block& b) {
        out += " (";
        out += tag;
        sp();
        block(b);
        out += ')';
    }

    print_options opt_;
};

// "+" for ast::binary_op::add ... (augmented assignments print "+=").
const char* binary_symbol(ast::binary_op op);

}  // namespace weft::interp::detail
