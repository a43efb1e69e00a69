// parser.cpp: the parser's token stream, error helpers, nesting limit and
// the public entry points.
//
// Must never look further ahead than it needs (the lexer's errors must come
// out in source order) and never report an error at a layout token's odd
// position when the end of the previous token says it better.
#include "interp/syntax/parser_impl.hpp"

namespace weft::interp {

parser::parser(std::string_view source, std::string file)
    : source_(source), file_(file), main_lexer_(source, std::move(file)), lex_(&main_lexer_) {}

parser::nesting::nesting(parser& p, source_pos pos) : p_(p) { p_.deeper(pos); }

void parser::deeper(source_pos pos) {
    if (++depth_ > max_nesting)
        fail(pos, "too deeply nested (more than " + std::to_string(max_nesting) + " levels)");
}

const token& parser::peek(std::size_t k) {
    while (ahead_.size() <= k) {
        // Past the end the lexer keeps answering `end`, so this terminates.
        ahead_.push_back(lex_->next());
    }
    return ahead_[k];
}

token parser::take() {
    peek();
    token t = std::move(ahead_.front());
    ahead_.pop_front();
    switch (t.kind) {
        case token_kind::newline:
        case token_kind::indent:
        case token_kind::dedent:
        case token_kind::end: break;
        default: prev_end_ = t.end;
    }
    return t;
}

source_pos parser::skip() { return take().pos; }

std::string parser::take_value() { return take().value; }

token_kind parser::take_kind() { return take().kind; }

bool parser::accept(token_kind k) {
    if (!at(k)) return false;
    skip();
    return true;
}

void parser::expect(token_kind k, std::string_view message) {
    if (!at(k)) fail_expected(std::string(message));
    skip();
}

std::string parser::expect_name(std::string_view what) {
    const token& t = peek();
    if (t.kind == token_kind::name) return take_value();
    if (t.kind == token_kind::kw_match || t.kind == token_kind::kw_case ||
        t.kind == token_kind::kw_receive || t.kind == token_kind::kw_after)
        fail_keyword_as_name(t.kind, t.pos);
    fail_expected("expected " + std::string(what));
}

std::string parser::expect_attr_name(std::string_view what, bool* keyword) {
    const token& t = peek();
    bool soft = t.kind == token_kind::kw_match || t.kind == token_kind::kw_case ||
                t.kind == token_kind::kw_receive || t.kind == token_kind::kw_after;
    if (keyword) *keyword = soft;
    if (!soft) return expect_name(what);
    std::string name(spelling(t.kind));
    skip();
    return name;
}

void parser::fail(source_pos pos, std::string message) const {
    throw syntax_error(file_, pos, std::move(message));
}

void parser::fail_expected(std::string message) {
    const token& t = peek();
    fail_if_unclosed(t.pos);
    switch (t.kind) {
        case token_kind::newline:
        case token_kind::end:
        case token_kind::dedent: fail(prev_end_, std::move(message));
        default: fail(t.pos, message + ", found " + describe(t));
    }
}

// A bracket left open on an earlier line is the likelier mistake than
// whatever the parser tripped on later (`x = [1, 2` then `y = 3`): report it,
// as Python does.
void parser::fail_if_unclosed(source_pos error_pos) const {
    const lexer::open_bracket* b = lex_->innermost_bracket();
    if (b != nullptr && lex_ == &main_lexer_ && b->pos.line < error_pos.line)
        fail(b->pos, std::string("'") + b->ch + "' was never closed");
}

// `match`, `case`, `receive` and `after` are names in Python but keywords
// here; a Python habit like `match = re.match(...)` deserves a clear word.
void parser::fail_keyword_as_name(token_kind k, source_pos pos) const {
    fail(pos, "'" + std::string(spelling(k)) +
                    "' is a keyword in Weft and cannot be used as a name");
}

std::unique_ptr<ast::module> parser::module() {
    auto m = std::make_unique<ast::module>();
    m->file = file_;
    while (!at(token_kind::end)) statement(m->body);
    return m;
}

ast::expr_ptr parser::whole_expression() {
    ast::expr_ptr e = expression_list(true);
    if (e->is<ast::starred>()) fail(e->pos, "can't use starred expression here");
    accept(token_kind::newline);
    if (!at(token_kind::end)) fail(peek().pos, "invalid syntax: unexpected " + describe(peek()));
    return e;
}

std::unique_ptr<ast::module> parse_module(std::string_view source, std::string file) {
    return parser(source, std::move(file)).module();
}

ast::expr_ptr parse_expression(std::string_view source, std::string file) {
    return parser(source, std::move(file)).whole_expression();
}

}  // namespace weft::interp
