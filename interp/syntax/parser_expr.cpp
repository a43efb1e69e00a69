// parser_expr.cpp: expressions, by Python's precedence, lowest first:
//
//   lambda, `a if c else b`        test()
//   or, and, not, comparisons       operators(level): one precedence-climbing
//   | ^ & << >> + - * / // %        loop over a table, as Lua's subexpr() does
//   unary - + ~, **                 (** is right-assoc and tighter than a sign
//                                    on its left: -2**2 == -4)
//   calls, indexing, attributes     primary()
//   names, literals, displays       atom()
//
// Every recursion holds a `nesting` guard, and left-leaning chains (a+b+c,
// f()()()) count one level per link, so depth_ bounds the height of the tree
// built, not just the parser's own recursion. Must never build a slice
// anywhere but directly under a subscript.

#include "interp/syntax/parser_impl.hpp"

namespace weft::interp {

namespace {

// Operator levels, loosest first. `not` and the unary signs are prefixes;
// the rest are infix. Lua's subexpr() works the same way: one loop, one table.
enum level : int {
    lvl_none = 0, lvl_or, lvl_and, lvl_not, lvl_compare, lvl_bitor, lvl_bitxor, lvl_bitand,
    lvl_shift, lvl_arith, lvl_term, lvl_unary, lvl_power,
};

enum class shape : std::uint8_t { binary, compare, logic };

struct infix {
    int level = lvl_none;
    shape kind = shape::binary;
    ast::binary_op op = ast::binary_op::add;
};

infix infix_of(token_kind k) {
    using k_ = token_kind;
    using op = ast::binary_op;
    switch (k) {
        case k_::kw_or: return {lvl_or, shape::logic};
        case k_::kw_and: return {lvl_and, shape::logic};
        case k_::less:
        case k_::greater:
        case k_::less_eq:
        case k_::greater_eq:
        case k_::eq_eq:
        case k_::not_eq_:
        case k_::kw_in:
        case k_::kw_is:
        case k_::kw_not: return {lvl_compare, shape::compare};  // `not in` only, see operators()
        case k_::pipe: return {lvl_bitor, shape::binary, op::bit_or};
        case k_::caret: return {lvl_bitxor, shape::binary, op::bit_xor};
        case k_::amp: return {lvl_bitand, shape::binary, op::bit_and};
        case k_::lshift: return {lvl_shift, shape::binary, op::lshift};
        case k_::rshift: return {lvl_shift, shape::binary, op::rshift};
        case k_::plus: return {lvl_arith, shape::binary, op::add};
        case k_::minus: return {lvl_arith, shape::binary, op::sub};
        case k_::star: return {lvl_term, shape::binary, op::mul};
        case k_::slash: return {lvl_term, shape::binary, op::div};
        case k_::double_slash: return {lvl_term, shape::binary, op::floor_div};
        case k_::percent: return {lvl_term, shape::binary, op::mod};
        case k_::double_star: return {lvl_power, shape::binary, op::pow};
        default: return {};
    }
}

}  // namespace

bool parser::starts_expression(const token& t) const {
    switch (t.kind) {
        case token_kind::name:
        case token_kind::integer:
        case token_kind::floating:
        case token_kind::string:
        case token_kind::bytes:
        case token_kind::fstring:
        case token_kind::kw_none:
        case token_kind::kw_true:
        case token_kind::kw_false:
        case token_kind::kw_not:
        case token_kind::kw_lambda:
        case token_kind::lparen:
        case token_kind::lbracket:
        case token_kind::lbrace:
        case token_kind::minus:
        case token_kind::plus:
        case token_kind::tilde:
        case token_kind::star: return true;
        default: return false;
    }
}

// `a, b, *c`: a tuple when there is a comma (a trailing one too), else the
// single expression. Starred elements only where allow_star.
ast::expr_ptr parser::expression_list(bool allow_star) {
    const source_pos pos = peek().pos;
    ast::expr_ptr first = star_or_test(allow_star);
    if (!at(token_kind::comma)) return first;
    auto t = make<ast::tuple_expr>(pos);
    t->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && starts_expression(peek()))
        t->elts.push_back(star_or_test(allow_star));
    return t;
}

ast::expr_ptr parser::star_or_test(bool allow_star) {
    if (!allow_star || !at(token_kind::star)) return test();
    nesting n(*this, peek().pos);
    auto s = make<ast::starred>(skip());
    s->value = operators(lvl_bitor);
    return s;
}

ast::expr_ptr parser::test() {
    nesting n(*this, peek().pos);
    if (at(token_kind::kw_lambda)) return lambda_expr();
    const source_pos pos = peek().pos;
    ast::expr_ptr body = operators(lvl_or);
    if (!accept(token_kind::kw_if)) return body;
    auto e = make<ast::if_exp>(pos);
    e->body = std::move(body);
    e->test = operators(lvl_or);
    expect(token_kind::kw_else, "expected 'else' after 'if' expression");
    e->orelse = test();
    return e;
}

ast::expr_ptr parser::or_test() { return operators(lvl_or); }

// A comparison operator at the cursor, taken; false (nothing taken) if none.
bool parser::take_compare_op(ast::compare_op& op) {
    switch (peek().kind) {
        case token_kind::less: op = ast::compare_op::lt; break;
        case token_kind::greater: op = ast::compare_op::gt; break;
        case token_kind::less_eq: op = ast::compare_op::le; break;
        case token_kind::greater_eq: op = ast::compare_op::ge; break;
        case token_kind::eq_eq: op = ast::compare_op::eq; break;
        case token_kind::not_eq_: op = ast::compare_op::ne; break;
        case token_kind::kw_in: op = ast::compare_op::in; break;
        case token_kind::kw_is: op = ast::compare_op::is; break;
        case token_kind::kw_not:
            if (peek(1).kind != token_kind::kw_in) return false;
            skip();
            op = ast::compare_op::not_in;
            break;
        default: return false;
    }
    skip();
    if (op == ast::compare_op::is && accept(token_kind::kw_not)) op = ast::compare_op::is_not;
    return true;
}

// Everything from `or` down to `**`, by precedence climbing: parses an
// operand (with its prefix operators), then every infix operator of level
// min_level or tighter. One function for all levels keeps the C++ stack per
// nesting level small (see limits_test.cpp). Each new node counts one level
// of depth_, so long left-leaning chains (a+b+c...) are bounded too.
ast::expr_ptr parser::operators(int min_level) {
    const source_pos pos = peek().pos;
    const token_kind first = peek().kind;
    ast::expr_ptr left;
    if (first == token_kind::kw_not && min_level <= lvl_not) {
        nesting n(*this, pos);
        auto u = make<ast::unary>(skip());
        u->op = ast::unary_op::not_;
        u->operand = operators(lvl_not);
        left = std::move(u);
    } else if ((first == token_kind::minus || first == token_kind::plus ||
                first == token_kind::tilde) &&
               min_level <= lvl_unary) {
        // The operand includes `**`, which binds tighter: -2**2 is -(2**2).
        nesting n(*this, pos);
        auto u = make<ast::unary>(skip());
        u->op = first == token_kind::minus  ? ast::unary_op::neg
                : first == token_kind::plus ? ast::unary_op::pos
                                            : ast::unary_op::invert;
        u->operand = operators(lvl_unary);
        left = std::move(u);
    } else {
        left = primary();
    }

    int links = 0;
    for (;;) {
        const infix in = infix_of(peek().kind);
        if (in.level == lvl_none || in.level < min_level) break;
        if (peek().kind == token_kind::kw_not && peek(1).kind != token_kind::kw_in) break;
        deeper(peek().pos);
        ++links;
        if (in.kind == shape::logic) {
            // `a and b and c` is one node with three operands.
            const token_kind k = peek().kind;
            auto l = make<ast::logic>(pos);
            l->op = k == token_kind::kw_and ? ast::logic_op::and_ : ast::logic_op::or_;
            l->values.push_back(std::move(left));
            while (accept(k)) l->values.push_back(operators(in.level + 1));
            left = std::move(l);
        } else if (in.kind == shape::compare) {
            // `a < b <= c` is one node: chained, not nested.
            auto c = make<ast::compare>(pos);
            c->left = std::move(left);
            ast::compare_op op;
            while (take_compare_op(op)) {
                c->ops.push_back(op);
                c->comparators.push_back(operators(lvl_compare + 1));
            }
            left = std::move(c);
        } else {
            skip();
            auto b = make<ast::binary>(pos);
            b->op = in.op;
            b->left = std::move(left);
            // Left-associative, except `**`: its right operand may hold
            // another `**` (2**3**2) or a sign (2**-1).
            b->right = operators(in.level == lvl_power ? lvl_unary : in.level + 1);
            left = std::move(b);
        }
    }
    depth_ -= links;
    return left;
}

ast::expr_ptr parser::primary() {
    const source_pos pos = peek().pos;
    ast::expr_ptr e = atom();
    int links = 0;
    for (;;) {
        const token_kind k = peek().kind;
        if (k != token_kind::dot && k != token_kind::lparen && k != token_kind::lbracket) break;
        deeper(peek().pos);
        ++links;
        if (k == token_kind::dot) {
            skip();
            auto a = make<ast::attribute>(pos);
            a->attr = expect_attr_name("an attribute name after '.'");
            a->value = std::move(e);
            e = std::move(a);
        } else if (k == token_kind::lparen) {
            e = call_trailer(std::move(e));
        } else {
            e = subscript_trailer(std::move(e));
        }
    }
    depth_ -= links;
    return e;
}

ast::expr_ptr parser::atom() {
    const token& t = peek();
    const source_pos pos = t.pos;
    switch (t.kind) {
        case token_kind::name: {
            auto n = make<ast::name>(pos);
            n->id = take_value();
            return n;
        }
        case token_kind::kw_none: skip(); return make<ast::none_lit>(pos);
        case token_kind::kw_true:
        case token_kind::kw_false: {
            auto b = make<ast::bool_lit>(pos);
            b->value = take_kind() == token_kind::kw_true;
            return b;
        }
        case token_kind::integer:
        case token_kind::floating: return number_atom();
        case token_kind::string:
        case token_kind::bytes:
        case token_kind::fstring: return string_atom();
        case token_kind::lparen: return paren_atom();
        case token_kind::lbracket: return list_atom();
        case token_kind::lbrace: return dict_atom();
        case token_kind::kw_match:
        case token_kind::kw_case:
        case token_kind::kw_receive:
        case token_kind::kw_after: fail_keyword_as_name(t.kind, t.pos);
        case token_kind::star: fail(pos, "can't use starred expression here");
        default: fail_expected("expected an expression");
    }
}

ast::expr_ptr parser::paren_atom() {
    const source_pos pos = skip();
    if (accept(token_kind::rparen)) return make<ast::tuple_expr>(pos);
    ast::expr_ptr first = star_or_test(true);
    if (at(token_kind::kw_for)) {
        if (first->is<ast::starred>())
            fail(first->pos, "iterable unpacking cannot be used in comprehension");
        auto g = make<ast::gen_exp>(pos);
        g->elt = std::move(first);
        comprehension_clauses(g->generators);
        expect(token_kind::rparen, "expected ')' after generator expression");
        return g;
    }
    if (accept(token_kind::rparen)) {
        if (first->is<ast::starred>()) fail(first->pos, "can't use starred expression here");
        return first;  // just parentheses
    }
    if (!at(token_kind::comma)) fail_expected("expected ',' or ')'");
    auto t = make<ast::tuple_expr>(pos);
    t->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && !at(token_kind::rparen))
        t->elts.push_back(star_or_test(true));
    expect(token_kind::rparen, "expected ',' or ')' in tuple");
    return t;
}

ast::expr_ptr parser::list_atom() {
    const source_pos pos = skip();
    auto l = make<ast::list_expr>(pos);
    if (accept(token_kind::rbracket)) return l;
    ast::expr_ptr first = star_or_test(true);
    if (at(token_kind::kw_for)) {
        if (first->is<ast::starred>())
            fail(first->pos, "iterable unpacking cannot be used in comprehension");
        auto c = make<ast::list_comp>(pos);
        c->elt = std::move(first);
        comprehension_clauses(c->generators);
        expect(token_kind::rbracket, "expected ']' after list comprehension");
        return c;
    }
    l->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && !at(token_kind::rbracket))
        l->elts.push_back(star_or_test(true));
    expect(token_kind::rbracket, "expected ',' or ']' in list");
    return l;
}

// `{` starts a dict (`{}` too), a dict comprehension, a set or a set
// comprehension: the first item tells which (a `:` after it: a dict).
ast::expr_ptr parser::dict_atom() {
    const source_pos pos = skip();
    auto d = make<ast::dict_expr>(pos);
    if (accept(token_kind::rbrace)) return d;
    if (at(token_kind::star)) return set_atom(pos, star_or_test(true));
    for (bool first = true;; first = false) {
        if (at(token_kind::double_star)) {  // {**other, ...}
            const source_pos star = skip();
            d->keys.push_back(nullptr);
            d->values.push_back(operators(lvl_bitor));
            if (first && at(token_kind::kw_for)) fail(star, "dict unpacking cannot be used in dict comprehension");
        } else {
            ast::expr_ptr key = test();
            if (!at(token_kind::colon)) {
                if (first) return set_atom(pos, std::move(key));
                fail_expected("expected ':' after dict key");
            }
            skip();
            ast::expr_ptr value = test();
            if (first && at(token_kind::kw_for)) {
                auto c = make<ast::dict_comp>(pos);
                c->key = std::move(key);
                c->value = std::move(value);
                comprehension_clauses(c->generators);
                expect(token_kind::rbrace, "expected '}' after dict comprehension");
                return c;
            }
            d->keys.push_back(std::move(key));
            d->values.push_back(std::move(value));
        }
        if (!accept(token_kind::comma) || at(token_kind::rbrace)) break;
    }
    expect(token_kind::rbrace, "expected ',' or '}' in dict");
    return d;
}

ast::expr_ptr parser::set_atom(source_pos pos, ast::expr_ptr first) {
    if (at(token_kind::kw_for)) {
        if (first->is<ast::starred>()) fail(first->pos, "iterable unpacking cannot be used in comprehension");
        auto c = make<ast::set_comp>(pos);
        c->elt = std::move(first);
        comprehension_clauses(c->generators);
        expect(token_kind::rbrace, "expected '}' after set comprehension");
        return c;
    }
    auto s = make<ast::set_expr>(pos);
    s->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && !at(token_kind::rbrace)) s->elts.push_back(star_or_test(true));
    expect(token_kind::rbrace, "expected ',' or '}' in set");
    return s;
}

void parser::comprehension_clauses(std::vector<ast::comp_for>& out) {
    while (at(token_kind::kw_for)) {
        ast::comp_for c;
        c.pos = skip();
        c.target = target_list(token_kind::kw_in);
        check_target(*c.target, false);
        expect(token_kind::kw_in, "expected 'in' after comprehension target");
        c.iter = or_test();
        while (accept(token_kind::kw_if)) c.ifs.push_back(or_test());
        out.push_back(std::move(c));
    }
}

// The targets of `for` (stops before `in`): bitwise-or level expressions, so
// `in` is never taken for a comparison.
ast::expr_ptr parser::target_list(token_kind stop) {
    const source_pos pos = peek().pos;
    auto element = [&]() -> ast::expr_ptr {
        if (!at(token_kind::star)) return operators(lvl_bitor);
        nesting n(*this, peek().pos);
        auto s = make<ast::starred>(skip());
        s->value = operators(lvl_bitor);
        return s;
    };
    ast::expr_ptr first = element();
    if (!at(token_kind::comma)) return first;
    auto t = make<ast::tuple_expr>(pos);
    t->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && !at(stop)) t->elts.push_back(element());
    return t;
}

// One target, no bare tuple (after `with ... as`, where a comma starts the next item).
ast::expr_ptr parser::single_target() { return operators(lvl_bitor); }

ast::expr_ptr parser::lambda_expr() {
    auto l = make<ast::lambda>(skip());
    l->params = parameter_list(token_kind::colon, false);
    expect(token_kind::colon, "expected ':' after lambda parameters");
    l->body = test();
    return l;
}

ast::expr_ptr parser::call_trailer(ast::expr_ptr func) {
    auto c = make<ast::call>(func->pos);
    c->func = std::move(func);
    skip();  // (
    bool double_star = false;  // a **mapping came: no positional argument may follow
    while (!at(token_kind::rparen)) {
        const token& t = peek();
        const source_pos pos = t.pos;
        if (t.kind == token_kind::star) {
            if (double_star) fail(pos, "iterable argument unpacking follows keyword argument unpacking");
            if (!c->keywords.empty())
                fail(pos, "iterable argument unpacking follows keyword argument");
            skip();
            auto s = make<ast::starred>(pos);
            s->value = test();
            c->args.push_back(std::move(s));
        } else if (t.kind == token_kind::double_star) {  // **mapping: a keyword without a name
            skip();
            ast::keyword k;
            k.pos = pos;
            k.value = test();
            c->keywords.push_back(std::move(k));
            double_star = true;
        } else if (t.kind == token_kind::name && peek(1).kind == token_kind::assign) {
            ast::keyword k;
            k.pos = pos;
            k.name = take_value();
            skip();  // =
            for (const auto& other : c->keywords)
                if (other.name == k.name) fail(pos, "keyword argument repeated: " + k.name);
            k.value = test();
            c->keywords.push_back(std::move(k));
        } else {
            if (double_star) fail(pos, "positional argument follows keyword argument unpacking");
            if (!c->keywords.empty()) fail(pos, "positional argument follows keyword argument");
            ast::expr_ptr arg = test();
            if (at(token_kind::kw_for)) {
                // `sum(x for x in xs)`: a bare generator only as the sole argument.
                auto g = make<ast::gen_exp>(arg->pos);
                g->elt = std::move(arg);
                comprehension_clauses(g->generators);
                if (!c->args.empty() || !at(token_kind::rparen))
                    fail(g->pos, "generator expression must be parenthesized");
                arg = std::move(g);
            } else if (at(token_kind::assign)) {
                fail(arg->pos, "expression cannot contain assignment, perhaps you meant \"==\"?");
            }
            c->args.push_back(std::move(arg));
        }
        if (!accept(token_kind::comma)) break;
    }
    expect(token_kind::rparen, "expected ',' or ')' in call");
    return c;
}

ast::expr_ptr parser::subscript_trailer(ast::expr_ptr value) {
    auto s = make<ast::subscript>(value->pos);
    s->value = std::move(value);
    skip();  // [
    ast::expr_ptr first = slice_or_test();
    if (at(token_kind::comma)) {
        // `d[1, 2]` indexes with the tuple (1, 2).
        auto t = make<ast::tuple_expr>(first->pos);
        t->elts.push_back(std::move(first));
        while (accept(token_kind::comma) && !at(token_kind::rbracket))
            t->elts.push_back(slice_or_test());
        for (const auto& e : t->elts)
            if (e->is<ast::slice>()) fail(e->pos, "a slice cannot be part of a tuple index");
        first = std::move(t);
    }
    expect(token_kind::rbracket, "expected ']' after index");
    s->index = std::move(first);
    return s;
}

ast::expr_ptr parser::slice_or_test() {
    const source_pos pos = peek().pos;
    ast::expr_ptr lower;
    if (!at(token_kind::colon)) {
        lower = test();
        if (!at(token_kind::colon)) return lower;
    }
    skip();  // :
    auto s = make<ast::slice>(pos);
    s->lower = std::move(lower);
    auto open = [&] {
        return !at(token_kind::colon) && !at(token_kind::rbracket) && !at(token_kind::comma);
    };
    if (open()) s->upper = test();
    if (accept(token_kind::colon) && open()) s->step = test();
    return s;
}

}  // namespace weft::interp
