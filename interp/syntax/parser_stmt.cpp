// parser_stmt.cpp: statements, blocks, assignment targets and parameter lists.
//
// Blocks nest at most max_indent_levels deep (the lexer enforces it), which is
// what bounds the recursion here. Must never accept a target the compiler
// could not assign to (see ast.hpp), and never leave `return` outside a
// function to anyone but the compiler (it is not a syntax question here).
#include <algorithm>
#include <array>
#include <utility>

#include "interp/syntax/parser_impl.hpp"

namespace weft::interp {

namespace {

// Python statements Weft lacks; spotted as `word name ...`, which is never
// valid Weft, so the friendlier message cannot misfire on a real program.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> foreign_statements{{
    {"class", "classes are not supported in Weft: use tuples, lists and dicts"},
    {"global", "'global' is not supported in Weft: module-level names are read-only constants"},
    {"nonlocal", "'nonlocal' is not supported in Weft"},
    {"yield", "'yield' is not supported in Weft: use actors and messages"},
    {"async", "'async' is not supported in Weft: use actors and messages"},
    {"await", "'await' is not supported in Weft: use receive"},
}};

std::pair<bool, ast::binary_op> augmented_op(token_kind k) {
    using k_ = token_kind;
    using op = ast::binary_op;
    switch (k) {
        case k_::plus_eq: return {true, op::add};
        case k_::minus_eq: return {true, op::sub};
        case k_::star_eq: return {true, op::mul};
        case k_::slash_eq: return {true, op::div};
        case k_::double_slash_eq: return {true, op::floor_div};
        case k_::percent_eq: return {true, op::mod};
        case k_::double_star_eq: return {true, op::pow};
        case k_::amp_eq: return {true, op::bit_and};
        case k_::pipe_eq: return {true, op::bit_or};
        case k_::caret_eq: return {true, op::bit_xor};
        case k_::lshift_eq: return {true, op::lshift};
        case k_::rshift_eq: return {true, op::rshift};
        default: return {false, op::add};
    }
}

// What a non-target is called in "cannot assign to ...".
std::string_view describe_expr(const ast::expr& e) {
    using k = ast::expr_kind;
    switch (e.kind) {
        case k::none: return "None";
        case k::boolean: return e.as<ast::bool_lit>().value ? "True" : "False";
        case k::integer:
        case k::floating:
        case k::string:
        case k::bytes: return "literal";
        case k::fstring: return "f-string expression";
        case k::dict: return "dict literal";
        case k::set: return "set display";
        case k::set_comp: return "set comprehension";
        case k::list_comp: return "list comprehension";
        case k::dict_comp: return "dict comprehension";
        case k::gen_exp: return "generator expression";
        case k::compare: return "comparison";
        case k::if_exp: return "conditional expression";
        case k::lambda: return "lambda";
        case k::call: return "function call";
        default: return "expression";
    }
}

}  // namespace

void parser::statement(ast::block& out) {
    const token& t = peek();
    switch (t.kind) {
        case token_kind::kw_if: out.push_back(if_statement()); return;
        case token_kind::kw_while: out.push_back(while_statement()); return;
        case token_kind::kw_for: out.push_back(for_statement()); return;
        case token_kind::kw_def: out.push_back(def_statement()); return;
        case token_kind::kw_try: out.push_back(try_statement()); return;
        case token_kind::kw_with: out.push_back(with_statement()); return;
        case token_kind::kw_match: out.push_back(match_statement()); return;
        case token_kind::kw_receive: out.push_back(receive_statement()); return;
        case token_kind::indent: fail(t.pos, "unexpected indent");
        case token_kind::dedent: fail(t.pos, "unexpected unindent");
        case token_kind::kw_elif: fail(t.pos, "'elif' must follow an 'if' block");
        case token_kind::kw_else:
            fail(t.pos, "'else' must follow an 'if', 'for', 'while' or 'try' block");
        case token_kind::kw_except: fail(t.pos, "'except' must follow a 'try' block");
        case token_kind::kw_finally: fail(t.pos, "'finally' must follow a 'try' block");
        case token_kind::kw_case: fail(t.pos, "'case' must be inside a 'match' or 'receive' block");
        case token_kind::kw_after: fail(t.pos, "'after' must follow the cases of a 'receive'");
        case token_kind::at: fail(t.pos, "decorators are not supported in Weft");
        default: simple_statements(out);
    }
}

void parser::simple_statements(ast::block& out) {
    for (;;) {
        small_statement(out);
        if (!accept(token_kind::semicolon) || at(token_kind::newline)) break;
    }
    if (!at(token_kind::newline))
        fail(peek().pos, "invalid syntax: unexpected " + describe(peek()));
    skip();
}

void parser::small_statement(ast::block& out) {
    const token& t = peek();
    const source_pos pos = t.pos;
    switch (t.kind) {
        case token_kind::kw_pass: skip(); out.push_back(make<ast::pass_stmt>(pos)); return;
        case token_kind::kw_break: skip(); out.push_back(make<ast::break_stmt>(pos)); return;
        case token_kind::kw_continue: skip(); out.push_back(make<ast::continue_stmt>(pos)); return;
        case token_kind::kw_return: {
            skip();
            auto s = make<ast::return_stmt>(pos);
            if (starts_expression(peek())) s->value = expression_list(true);
            if (s->value && s->value->is<ast::starred>())
                fail(s->value->pos, "can't use starred expression here");
            out.push_back(std::move(s));
            return;
        }
        case token_kind::kw_raise: {
            skip();
            auto s = make<ast::raise_stmt>(pos);
            if (starts_expression(peek())) s->exc = test();
            if (at(token_kind::name) && peek().value == "from")
                fail(peek().pos, "'raise ... from' is not supported in Weft");
            out.push_back(std::move(s));
            return;
        }
        case token_kind::kw_assert: {
            skip();
            auto s = make<ast::assert_stmt>(pos);
            s->test = test();
            if (accept(token_kind::comma)) s->msg = test();
            out.push_back(std::move(s));
            return;
        }
        case token_kind::kw_import: {
            skip();
            do {
                auto s = make<ast::import_stmt>(peek().pos);
                s->module = expect_name("a module name after 'import'");
                if (at(token_kind::dot))
                    fail(peek().pos, "dotted module names are not supported: use 'import name'");
                s->bind_as = accept(token_kind::kw_as) ? expect_name("a name after 'as'") : s->module;
                out.push_back(std::move(s));
            } while (accept(token_kind::comma));
            return;
        }
        case token_kind::kw_if:
        case token_kind::kw_while:
        case token_kind::kw_for:
        case token_kind::kw_def:
        case token_kind::kw_try:
        case token_kind::kw_match:
        case token_kind::kw_receive:
            fail(pos, "'" + std::string(spelling(t.kind)) + "' statement must start on its own line");
        case token_kind::name: {
            // `from` is no keyword (a name may be called so), but `from NAME`
            // can only start a from-import.
            if (t.value == "from" && peek(1).kind == token_kind::name) {
                out.push_back(from_import());
                return;
            }
            // `del` is no keyword either (LANGUAGE.md does not reserve it):
            // followed by what starts an expression, but for an operator
            // that would make `del` an operand, it starts a del statement.
            token_kind next = peek(1).kind;
            bool operand_next = next == token_kind::minus || next == token_kind::plus ||
                                next == token_kind::tilde || next == token_kind::star;
            if (t.value == "del" && starts_expression(peek(1)) && !operand_next) {
                out.push_back(del_statement());
                return;
            }
            // `async def` and `async for` too: never valid Weft either.
            bool foreign_shape = next == token_kind::name ||
                                 (t.value == "async" && (next == token_kind::kw_def || next == token_kind::kw_for));
            if (foreign_shape)
                for (const auto& [word, message] : foreign_statements)
                    if (t.value == word) fail(pos, std::string(message));
            break;
        }
        default: break;
    }
    out.push_back(expression_statement());
}

// del TARGET, ...   (a trailing comma is allowed, as in Python)
ast::stmt_ptr parser::del_statement() {
    auto s = make<ast::del_stmt>(skip());
    do {
        if (!starts_expression(peek())) break;
        ast::expr_ptr t = single_target();
        check_del_target(*t);
        s->targets.push_back(std::move(t));
    } while (accept(token_kind::comma));
    if (s->targets.empty()) fail_expected("expected a name or a subscript after 'del'");
    return s;
}

// What `del` can remove: a name, an item or a slice, or a tuple or list of them.
void parser::check_del_target(const ast::expr& e) {
    using k = ast::expr_kind;
    switch (e.kind) {
        case k::name:
        case k::subscript: return;
        case k::attribute: fail(e.pos, "cannot delete an attribute: Weft values have no attributes");
        case k::tuple:
        case k::list:
            for (const auto& x : e.kind == k::tuple ? e.as<ast::tuple_expr>().elts : e.as<ast::list_expr>().elts)
                check_del_target(*x);
            return;
        case k::starred: fail(e.pos, "cannot delete starred");
        default: fail(e.pos, "cannot delete " + std::string(describe_expr(e)));
    }
}

// from MODULE import NAME [as NAME], ...   (or the names in parentheses)
ast::stmt_ptr parser::from_import() {
    const source_pos pos = peek().pos;
    skip();  // from
    auto s = make<ast::import_stmt>(pos);
    s->from = true;
    s->module = expect_name("a module name after 'from'");
    if (at(token_kind::dot)) fail(peek().pos, "dotted module names are not supported: use 'from name import ...'");
    if (!accept(token_kind::kw_import)) fail(peek().pos, "expected 'import' after 'from " + s->module + "'");
    if (at(token_kind::star))
        fail(peek().pos, "'from ... import *' is not supported in Weft: name what you import");
    bool parens = accept(token_kind::lparen);
    do {
        if (parens && at(token_kind::rparen)) break;  // a trailing comma
        ast::import_stmt::imported_name n;
        n.pos = peek().pos;
        bool keyword = false;
        source_pos where = peek().pos;
        token_kind kind = peek().kind;
        n.name = expect_attr_name("a name to import", &keyword);  // `from re import match as m`
        if (accept(token_kind::kw_as))
            n.bind_as = expect_name("a name after 'as'");
        else if (keyword)
            fail_keyword_as_name(kind, where);
        else
            n.bind_as = n.name;
        s->names.push_back(std::move(n));
    } while (accept(token_kind::comma));
    if (parens && !accept(token_kind::rparen)) fail(peek().pos, "expected ')' after the imported names");
    if (s->names.empty()) fail(peek().pos, "expected a name to import");
    return s;
}

ast::stmt_ptr parser::expression_statement() {
    const source_pos pos = peek().pos;
    ast::expr_ptr first = expression_list(true);
    if (at(token_kind::assign)) {
        auto s = make<ast::assign>(pos);
        s->targets.push_back(std::move(first));
        while (accept(token_kind::assign)) {
            ast::expr_ptr e = expression_list(true);
            if (at(token_kind::assign)) {
                s->targets.push_back(std::move(e));
            } else {
                s->value = std::move(e);
            }
        }
        for (const auto& t : s->targets) check_target(*t, false);
        if (s->value->is<ast::starred>()) fail(s->value->pos, "can't use starred expression here");
        return s;
    }
    if (const auto [is_aug, op] = augmented_op(peek().kind); is_aug) {
        check_target(*first, true);
        skip();
        auto s = make<ast::aug_assign>(pos);
        s->target = std::move(first);
        s->op = op;
        s->value = expression_list(true);
        if (s->value->is<ast::starred>()) fail(s->value->pos, "can't use starred expression here");
        return s;
    }
    if (at(token_kind::colon) && (first->is<ast::name>() || first->is<ast::subscript>()))
        fail(peek().pos, "variable annotations are not supported in Weft");
    if (first->is<ast::starred>()) fail(first->pos, "can't use starred expression here");
    auto s = make<ast::expr_stmt>(pos);
    s->value = std::move(first);
    return s;
}

void parser::check_target(const ast::expr& e, bool augmented) {
    using k = ast::expr_kind;
    switch (e.kind) {
        case k::name:
        case k::subscript: return;
        case k::attribute:
            fail(e.pos, "cannot assign to an attribute: Weft values have no attributes");
        case k::tuple:
        case k::list: {
            if (augmented)
                fail(e.pos, std::string("'") + (e.kind == k::tuple ? "tuple" : "list") +
                                "' is an illegal expression for augmented assignment");
            const auto& elts = e.kind == k::tuple ? e.as<ast::tuple_expr>().elts
                                                  : e.as<ast::list_expr>().elts;
            bool star = false;
            for (const auto& x : elts) {
                if (x->is<ast::starred>()) {
                    if (star) fail(x->pos, "multiple starred expressions in assignment");
                    star = true;
                    check_target(*x->as<ast::starred>().value, false);
                } else {
                    check_target(*x, false);
                }
            }
            return;
        }
        case k::starred:
            fail(e.pos, augmented ? "can't use starred expression here"
                                  : "starred assignment target must be in a list or tuple");
        default:
            if (augmented)
                fail(e.pos, "'" + std::string(describe_expr(e)) +
                                "' is an illegal expression for augmented assignment");
            fail(e.pos, "cannot assign to " + std::string(describe_expr(e)));
    }
}

// After a compound statement's ':': an indented block, or simple statements
// on the same line (`if x: return 1`).
ast::block parser::suite(std::string_view what, source_pos header) {
    ast::block body;
    if (!at(token_kind::newline)) {
        simple_statements(body);
        return body;
    }
    skip();
    if (!at(token_kind::indent))
        fail(peek().pos, "expected an indented block after " + std::string(what) + " on line " +
                             std::to_string(header.line));
    skip();
    while (!at(token_kind::dedent) && !at(token_kind::end)) statement(body);
    accept(token_kind::dedent);
    return body;
}

ast::stmt_ptr parser::if_statement() {
    auto s = make<ast::if_stmt>(peek().pos);
    do {
        const bool is_if = at(token_kind::kw_if);
        const source_pos kw = skip();
        ast::if_branch b;
        b.pos = kw;
        b.test = test();
        expect(token_kind::colon, is_if ? "expected ':' after 'if' condition"
                                        : "expected ':' after 'elif' condition");
        b.body = suite(is_if ? "'if' statement" : "'elif' statement", kw);
        s->branches.push_back(std::move(b));
    } while (at(token_kind::kw_elif));
    if (at(token_kind::kw_else)) {
        const source_pos kw = skip();
        expect(token_kind::colon, "expected ':' after 'else'");
        s->orelse = suite("'else' statement", kw);
    }
    return s;
}

ast::stmt_ptr parser::while_statement() {
    const source_pos kw = skip();
    auto s = make<ast::while_stmt>(kw);
    s->test = test();
    expect(token_kind::colon, "expected ':' after 'while' condition");
    s->body = suite("'while' statement", kw);
    if (at(token_kind::kw_else)) {
        const source_pos e = skip();
        expect(token_kind::colon, "expected ':' after 'else'");
        s->orelse = suite("'else' statement", e);
    }
    return s;
}

ast::stmt_ptr parser::for_statement() {
    const source_pos kw = skip();
    auto s = make<ast::for_stmt>(kw);
    s->target = target_list(token_kind::kw_in);
    check_target(*s->target, false);
    expect(token_kind::kw_in, "expected 'in' after 'for' target");
    s->iter = expression_list(true);
    if (s->iter->is<ast::starred>()) fail(s->iter->pos, "can't use starred expression here");
    expect(token_kind::colon, "expected ':' after 'for' iterable");
    s->body = suite("'for' statement", kw);
    if (at(token_kind::kw_else)) {
        const source_pos e = skip();
        expect(token_kind::colon, "expected ':' after 'else'");
        s->orelse = suite("'else' statement", e);
    }
    return s;
}

ast::stmt_ptr parser::def_statement() {
    const source_pos kw = skip();
    auto s = make<ast::def_stmt>(kw);
    s->name = expect_name("a function name after 'def'");
    expect(token_kind::lparen, "expected '(' after function name");
    s->params = parameter_list(token_kind::rparen, true);
    expect(token_kind::rparen, "expected ',' or ')' in parameters");
    if (accept(token_kind::arrow)) s->returns = test();
    expect(token_kind::colon, "expected ':' after function signature");
    s->body = suite("function definition", kw);
    return s;
}

// Parameters up to (not including) `closer`: ')' for def, ':' for lambda.
ast::parameters parser::parameter_list(token_kind closer, bool annotations) {
    ast::parameters ps;
    bool seen_default = false;
    auto check_duplicate = [&](const std::string& n, source_pos pos) {
        auto same = [&](const ast::param& p) { return p.name == n; };
        if (std::any_of(ps.positional.begin(), ps.positional.end(), same) ||
            std::any_of(ps.kwonly.begin(), ps.kwonly.end(), same) || (!n.empty() && ps.vararg == n) ||
            (!n.empty() && ps.varkw == n))
            fail(pos, "duplicate parameter '" + n + "' in function definition");
    };
    while (!at(closer)) {
        const source_pos pos = peek().pos;
        if (!ps.varkw.empty()) fail(pos, "arguments cannot follow var-keyword argument");
        if (accept(token_kind::star)) {
            if (ps.has_star) fail(pos, "'*' may appear only once in parameters");
            ps.has_star = true;
            ps.vararg_pos = pos;
            if (at(token_kind::name)) {
                std::string n = take_value();
                check_duplicate(n, pos);
                ps.vararg = std::move(n);
                if (annotations && accept(token_kind::colon)) test();  // allowed, not kept
            } else if (at(closer)) {
                fail(pos, "named parameters must follow a bare '*'");
            } else if (!at(token_kind::comma)) {
                fail_expected("expected a parameter name or ',' after '*'");
            }
        } else if (accept(token_kind::double_star)) {
            if (ps.has_star && ps.vararg.empty() && ps.kwonly.empty())
                fail(ps.vararg_pos, "named parameters must follow a bare '*'");
            std::string n = expect_name("a parameter name after '**'");
            check_duplicate(n, pos);
            ps.varkw = std::move(n);
            if (annotations && accept(token_kind::colon)) test();  // allowed, not kept
        } else if (at(token_kind::slash)) {
            fail(pos, "'/' in parameters is not supported in Weft");
        } else {
            ast::param p;
            p.pos = pos;
            p.name = expect_name(closer == token_kind::colon ? "a parameter name or ':'"
                                                             : "a parameter name or ')'");
            check_duplicate(p.name, pos);
            if (annotations && accept(token_kind::colon)) p.annotation = test();
            if (accept(token_kind::assign)) {
                p.default_value = test();
                seen_default = true;
            } else if (seen_default && !ps.has_star) {
                fail(pos, "parameter without a default follows parameter with a default");
            }
            (ps.has_star ? ps.kwonly : ps.positional).push_back(std::move(p));
        }
        if (!accept(token_kind::comma)) break;
    }
    if (ps.has_star && ps.vararg.empty() && ps.kwonly.empty())
        fail(ps.vararg_pos, "named parameters must follow a bare '*'");
    return ps;
}

ast::stmt_ptr parser::try_statement() {
    const source_pos kw = skip();
    auto s = make<ast::try_stmt>(kw);
    expect(token_kind::colon, "expected ':' after 'try'");
    s->body = suite("'try' statement", kw);
    while (at(token_kind::kw_except)) {
        ast::except_handler h;
        h.pos = skip();
        if (!s->handlers.empty() && !s->handlers.back().type)
            fail(s->handlers.back().pos, "default 'except:' must be last");
        if (!at(token_kind::colon)) {
            h.type = test();
            if (at(token_kind::comma))
                fail(h.type->pos, "multiple exception types must be parenthesized");
            if (accept(token_kind::kw_as)) h.name = expect_name("a name after 'as'");
        }
        expect(token_kind::colon, "expected ':' after 'except' clause");
        h.body = suite("'except' statement", h.pos);
        s->handlers.push_back(std::move(h));
    }
    if (at(token_kind::kw_else) && !s->handlers.empty()) {
        const source_pos e = skip();
        expect(token_kind::colon, "expected ':' after 'else'");
        s->orelse = suite("'else' statement", e);
    }
    if (at(token_kind::kw_finally)) {
        const source_pos f = skip();
        expect(token_kind::colon, "expected ':' after 'finally'");
        s->finalbody = suite("'finally' statement", f);
    } else if (s->handlers.empty()) {
        fail(peek().pos, "expected 'except' or 'finally' block");
    }
    return s;
}

ast::stmt_ptr parser::with_statement() {
    const source_pos kw = skip();
    auto s = make<ast::with_stmt>(kw);
    do {
        ast::with_item item;
        item.context = test();
        if (accept(token_kind::kw_as)) {
            item.target = single_target();
            check_target(*item.target, false);
        }
        s->items.push_back(std::move(item));
    } while (accept(token_kind::comma));
    expect(token_kind::colon, "expected ':' after 'with' item");
    s->body = suite("'with' statement", kw);
    return s;
}

// `match` and `receive` hold arms, never plain statements: a new line and an
// indent must follow their ':'.
void parser::indented_arms(std::string_view what, source_pos header) {
    if (!accept(token_kind::newline) || !accept(token_kind::indent))
        fail(peek().pos, "expected an indented block after " + std::string(what) + " on line " +
                             std::to_string(header.line));
}

ast::stmt_ptr parser::match_statement() {
    const source_pos kw = skip();
    const token_kind next = peek().kind;
    if (next == token_kind::assign || next == token_kind::dot || augmented_op(next).first)
        fail_keyword_as_name(token_kind::kw_match, kw);
    auto s = make<ast::match_stmt>(kw);
    s->subject = expression_list(true);
    if (s->subject->is<ast::starred>()) fail(s->subject->pos, "can't use starred expression here");
    expect(token_kind::colon, "expected ':' after 'match' subject");
    indented_arms("'match' statement", kw);
    while (!at(token_kind::dedent) && !at(token_kind::end)) {
        if (!at(token_kind::kw_case)) fail(peek().pos, "expected 'case' in 'match' block");
        s->cases.push_back(case_arm());
    }
    accept(token_kind::dedent);
    return s;
}

ast::stmt_ptr parser::receive_statement() {
    const source_pos kw = skip();
    const token_kind next = peek().kind;
    if (next == token_kind::assign || next == token_kind::dot || next == token_kind::lparen ||
        augmented_op(next).first)
        fail_keyword_as_name(token_kind::kw_receive, kw);
    auto s = make<ast::receive_stmt>(kw);
    expect(token_kind::colon, "expected ':' after 'receive'");
    indented_arms("'receive' statement", kw);
    while (!at(token_kind::dedent) && !at(token_kind::end)) {
        if (at(token_kind::kw_case)) {
            if (s->timeout) fail(peek().pos, "'case' cannot follow the 'after' clause of 'receive'");
            s->cases.push_back(case_arm());
        } else if (at(token_kind::kw_after)) {
            if (s->timeout) fail(peek().pos, "'receive' already has an 'after' clause");
            after_clause(*s);
        } else {
            fail(peek().pos, "expected 'case' or 'after' in 'receive' block");
        }
    }
    accept(token_kind::dedent);
    // LANGUAGE.md writes `after` level with `receive`, like `else` after a loop.
    if (at(token_kind::kw_after)) {
        if (s->timeout) fail(peek().pos, "'receive' already has an 'after' clause");
        after_clause(*s);
    }
    return s;
}

void parser::after_clause(ast::receive_stmt& r) {
    const source_pos kw = skip();
    r.after_pos = kw;
    r.timeout = test();
    expect(token_kind::colon, "expected ':' after 'after' timeout");
    r.after_body = suite("'after' clause", kw);
}

ast::match_case parser::case_arm() {
    ast::match_case c;
    c.pos = skip();
    c.pattern = case_pattern();
    if (accept(token_kind::kw_if)) c.guard = test();
    expect(token_kind::colon, "expected ':' after 'case' pattern");
    c.body = suite("'case' statement", c.pos);
    return c;
}

}  // namespace weft::interp
