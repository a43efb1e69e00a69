// parser_impl.hpp: the recursive-descent parser's class, shared by its four
// source files (private to interp/; users include parser.hpp).
//
//   parser.cpp          token stream, errors, nesting limit, entry points
//   parser_stmt.cpp     statements and blocks, assignment targets, parameters
//   parser_expr.cpp     expressions by precedence, displays, comprehensions, calls
//   parser_literal.cpp  numbers, strings and f-strings (re-lexing their fields)
//   parser_pattern.cpp  match/receive patterns
//
// Every function that can recurse into itself, directly or through others,
// holds a `nesting` guard or counts into depth_, so no input, however deep,
// can overflow the C++ stack. The parser never recovers from an error: it
// throws syntax_error at the first one.
#pragma once
#include <deque>
#include <string>
#include <string_view>

#include "interp/syntax/ast.hpp"
#include "interp/syntax/lexer.hpp"
#include "interp/syntax/parser.hpp"
#include "interp/syntax/token.hpp"

namespace weft::interp {

class parser {
public:
    parser(std::string_view source, std::string file);

    std::unique_ptr<ast::module> module();
    ast::expr_ptr whole_expression();

private:
    // Counts one level of nesting for as long as it lives.
    class nesting {
    public:
        nesting(parser& p, source_pos pos);
        ~nesting() { --p_.depth_; }
        nesting(const nesting&) = delete;
        nesting& operator=(const nesting&) = delete;

    private:
        parser& p_;
    };

    // ---- parser.cpp: tokens and errors
    // The token API avoids returning whole tokens (~150 bytes) by value on the
    // recursive paths: each such temporary is a slot in a frame that can be
    // on the stack 200 times over.
    const token& peek(std::size_t k = 0);
    token take();                // the current token, consumed
    source_pos skip();           // consumes the current token, gives its position
    std::string take_value();    // consumes the current token, gives its value
    token_kind take_kind();      // consumes the current token, gives its kind
    bool at(token_kind k) { return peek().kind == k; }
    bool accept(token_kind k);
    void expect(token_kind k, std::string_view message);
    std::string expect_name(std::string_view what);
    // A name after '.' or in `from m import NAME as x`: the keywords that are
    // names in Python (match case receive after) are names there too
    // (`re.match`). `keyword` tells whether it was one.
    std::string expect_attr_name(std::string_view what, bool* keyword = nullptr);
    [[noreturn]] void fail(source_pos pos, std::string message) const;
    // "message" at the current token, with ", found X"; at the end of the
    // previous token when the current one is a newline or the end of input.
    [[noreturn]] void fail_expected(std::string message);
    void fail_if_unclosed(source_pos error_pos) const;
    [[noreturn]] void fail_keyword_as_name(token_kind k, source_pos pos) const;
    void deeper(source_pos pos);  // one more level of depth_, checked
    template <class T>
    static std::unique_ptr<T> make(source_pos pos) {
        return std::make_unique<T>(pos);
    }

    // ---- parser_stmt.cpp
    void statement(ast::block& out);
    void simple_statements(ast::block& out);
    void small_statement(ast::block& out);
    ast::stmt_ptr expression_statement();
    ast::stmt_ptr from_import();
    ast::block suite(std::string_view what, source_pos header);
    void indented_arms(std::string_view what, source_pos header);
    ast::stmt_ptr if_statement();
    ast::stmt_ptr while_statement();
    ast::stmt_ptr for_statement();
    ast::stmt_ptr def_statement();
    ast::stmt_ptr try_statement();
    ast::stmt_ptr with_statement();
    ast::stmt_ptr match_statement();
    ast::stmt_ptr receive_statement();
    void after_clause(ast::receive_stmt& r);
    ast::match_case case_arm();
    ast::parameters parameter_list(token_kind closer, bool annotations);
    void check_target(const ast::expr& e, bool augmented);
    ast::stmt_ptr del_statement();
    void check_del_target(const ast::expr& e);

    // ---- parser_expr.cpp
    ast::expr_ptr expression_list(bool allow_star);
    ast::expr_ptr star_or_test(bool allow_star);
    ast::expr_ptr test();
    ast::expr_ptr or_test();
    ast::expr_ptr operators(int min_level);
    bool take_compare_op(ast::compare_op& op);
    ast::expr_ptr primary();
    ast::expr_ptr atom();
    ast::expr_ptr paren_atom();
    ast::expr_ptr list_atom();
    ast::expr_ptr dict_atom();
    ast::expr_ptr set_atom(source_pos pos, ast::expr_ptr first);
    ast::expr_ptr lambda_expr();
    ast::expr_ptr call_trailer(ast::expr_ptr func);
    ast::expr_ptr subscript_trailer(ast::expr_ptr value);
    ast::expr_ptr slice_or_test();
    ast::expr_ptr target_list(token_kind stop);
    ast::expr_ptr single_target();
    void comprehension_clauses(std::vector<ast::comp_for>& out);
    bool starts_expression(const token& t) const;

    // ---- parser_literal.cpp
    ast::expr_ptr number_atom();
    ast::expr_ptr string_atom();
    void add_fstring_pieces(ast::fstring& f, const std::vector<fstring_piece>& pieces);
    ast::expr_ptr field_expression(const fstring_piece& piece);

    // ---- parser_pattern.cpp
    ast::pattern_ptr case_pattern();
    ast::pattern_ptr maybe_star_pattern();
    ast::pattern_ptr as_pattern();
    ast::pattern_ptr or_pattern();
    ast::pattern_ptr closed_pattern();
    ast::pattern_ptr group_or_sequence_pattern();
    ast::pattern_ptr list_pattern();
    ast::pattern_ptr mapping_pattern();
    ast::pattern_ptr type_pattern();
    ast::expr_ptr pattern_literal(std::string_view where);
    ast::expr_ptr dotted_name();
    void check_stars(const ast::sequence_pattern& seq) const;

    std::string_view source_;
    std::string file_;
    lexer main_lexer_;
    lexer* lex_;                // main_lexer_, or an f-string field's lexer
    std::deque<token> ahead_;   // lookahead; references stay valid on push_back
    source_pos prev_end_;       // end of the last real (non-layout) token taken
    int depth_ = 0;             // current nesting, see `nesting`
};

}  // namespace weft::interp
