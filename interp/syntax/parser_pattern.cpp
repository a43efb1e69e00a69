// parser_pattern.cpp: the patterns of `match` and `receive` cases.
//
//   case_pattern   open sequence `a, b` or one as_pattern
//   as_pattern     or_pattern ['as' name]
//   or_pattern     closed ('|' closed)*
//   closed         literal, -number, None/True/False, capture, _, dotted.name,
//                  type(p), (p), (p, ...), [p, *rest], {"k": p, **rest}
//
// Semantics follow Python 3.11's match, with Weft's closed set of type
// patterns. Must never accept an expression where Python allows only a
// literal (no f-strings, no arithmetic but a leading minus on a number).
#include <array>

#include "interp/syntax/parser_impl.hpp"

namespace weft::interp {

namespace {

// The types a type pattern may name: every Weft value type with a builtin name.
constexpr std::array<std::string_view, 12> pattern_types{
    "int", "float", "str", "bytes", "bool", "tuple", "list", "dict", "set", "frozenset", "pid", "ref",
};

}  // namespace

ast::pattern_ptr parser::case_pattern() {
    const source_pos pos = peek().pos;
    ast::pattern_ptr first = maybe_star_pattern();
    if (!at(token_kind::comma)) {
        if (first->is<ast::star_pattern>())
            fail(first->pos, "a starred pattern must be inside a sequence pattern");
        return first;
    }
    auto seq = make<ast::sequence_pattern>(pos);
    seq->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && !at(token_kind::colon) && !at(token_kind::kw_if))
        seq->elts.push_back(maybe_star_pattern());
    check_stars(*seq);
    return seq;
}

ast::pattern_ptr parser::maybe_star_pattern() {
    if (!at(token_kind::star)) return as_pattern();
    auto s = make<ast::star_pattern>(skip());
    s->name = expect_name("a name after '*' in pattern");
    if (s->name == "_") s->name.clear();
    return s;
}

ast::pattern_ptr parser::as_pattern() {
    const source_pos pos = peek().pos;
    ast::pattern_ptr p = or_pattern();
    if (!at(token_kind::kw_as)) return p;
    skip();
    const source_pos name_pos = peek().pos;
    auto a = make<ast::as_pattern>(pos);
    a->name = expect_name("a name after 'as'");
    if (a->name == "_") fail(name_pos, "cannot use '_' as a target");
    a->pattern = std::move(p);
    return a;
}

ast::pattern_ptr parser::or_pattern() {
    const source_pos pos = peek().pos;
    ast::pattern_ptr first = closed_pattern();
    if (!at(token_kind::pipe)) return first;
    auto o = make<ast::or_pattern>(pos);
    o->alts.push_back(std::move(first));
    while (accept(token_kind::pipe)) o->alts.push_back(closed_pattern());
    return o;
}

ast::pattern_ptr parser::closed_pattern() {
    nesting n(*this, peek().pos);
    const token& t = peek();
    const source_pos pos = t.pos;
    switch (t.kind) {
        case token_kind::integer:
        case token_kind::floating:
        case token_kind::minus:
        case token_kind::string:
        case token_kind::bytes:
        case token_kind::fstring: {
            auto v = make<ast::value_pattern>(pos);
            v->value = pattern_literal("pattern");
            return v;
        }
        case token_kind::kw_none:
        case token_kind::kw_true:
        case token_kind::kw_false: {
            auto s = make<ast::singleton_pattern>(pos);
            s->value = t.kind == token_kind::kw_none   ? ast::singleton::none
                       : t.kind == token_kind::kw_true ? ast::singleton::true_
                                                       : ast::singleton::false_;
            skip();
            return s;
        }
        case token_kind::name: {
            const token_kind next = peek(1).kind;
            if (next == token_kind::lparen) return type_pattern();
            if (next == token_kind::dot) {
                auto v = make<ast::value_pattern>(pos);
                v->value = dotted_name();
                return v;
            }
            if (t.value == "_") {
                skip();
                return make<ast::wildcard_pattern>(pos);
            }
            auto c = make<ast::capture_pattern>(pos);
            c->name = take_value();
            return c;
        }
        case token_kind::lparen: return group_or_sequence_pattern();
        case token_kind::lbracket: return list_pattern();
        case token_kind::lbrace: return mapping_pattern();
        case token_kind::star: fail(pos, "a starred pattern must be inside a sequence pattern");
        case token_kind::kw_match:
        case token_kind::kw_case:
        case token_kind::kw_receive:
        case token_kind::kw_after: fail_keyword_as_name(t.kind, t.pos);
        default: fail_expected("expected a pattern");
    }
}

// A literal where a pattern wants one: a number (maybe negative), or adjacent
// strings or bytes. `where` names the place for the error message.
ast::expr_ptr parser::pattern_literal(std::string_view where) {
    const token& t = peek();
    if (t.kind == token_kind::minus) {
        auto u = make<ast::unary>(skip());
        u->op = ast::unary_op::neg;
        if (!at(token_kind::integer) && !at(token_kind::floating))
            fail_expected("expected a number after '-' in " + std::string(where));
        u->operand = number_atom();
        return u;
    }
    if (t.kind == token_kind::integer || t.kind == token_kind::floating) return number_atom();
    if (t.kind == token_kind::fstring) fail(t.pos, "f-strings are not allowed in patterns");
    ast::expr_ptr s = string_atom();
    if (s->is<ast::fstring>()) fail(s->pos, "f-strings are not allowed in patterns");
    return s;
}

// `a.b.c` in a pattern: a value looked up, never a capture.
ast::expr_ptr parser::dotted_name() {
    const token first = take();
    auto n = make<ast::name>(first.pos);
    n->id = first.value;
    ast::expr_ptr e = std::move(n);
    int links = 0;
    while (at(token_kind::dot)) {
        deeper(peek().pos);
        ++links;
        skip();
        auto a = make<ast::attribute>(first.pos);
        a->attr = expect_name("a name after '.' in pattern");
        a->value = std::move(e);
        e = std::move(a);
    }
    depth_ -= links;
    return e;
}

ast::pattern_ptr parser::group_or_sequence_pattern() {
    const source_pos pos = skip();  // (
    auto seq = make<ast::sequence_pattern>(pos);
    if (accept(token_kind::rparen)) return seq;
    ast::pattern_ptr first = maybe_star_pattern();
    if (accept(token_kind::rparen)) {
        if (first->is<ast::star_pattern>())
            fail(first->pos, "a starred pattern must be inside a sequence pattern");
        return first;  // just parentheses
    }
    if (!at(token_kind::comma)) fail_expected("expected ',' or ')' in pattern");
    seq->elts.push_back(std::move(first));
    while (accept(token_kind::comma) && !at(token_kind::rparen))
        seq->elts.push_back(maybe_star_pattern());
    expect(token_kind::rparen, "expected ',' or ')' in pattern");
    check_stars(*seq);
    return seq;
}

ast::pattern_ptr parser::list_pattern() {
    auto seq = make<ast::sequence_pattern>(skip());
    seq->brackets = true;
    while (!at(token_kind::rbracket)) {
        seq->elts.push_back(maybe_star_pattern());
        if (!accept(token_kind::comma)) break;
    }
    expect(token_kind::rbracket, "expected ',' or ']' in pattern");
    check_stars(*seq);
    return seq;
}

ast::pattern_ptr parser::mapping_pattern() {
    auto m = make<ast::mapping_pattern>(skip());
    while (!at(token_kind::rbrace)) {
        if (accept(token_kind::double_star)) {
            const source_pos name_pos = peek().pos;
            m->rest = expect_name("a name after '**' in pattern");
            if (m->rest == "_") fail(name_pos, "cannot use '_' as a target");
            accept(token_kind::comma);
            if (!at(token_kind::rbrace))
                fail(peek().pos, "'**' rest pattern must come last in a mapping pattern");
            break;
        }
        const token& k = peek();
        ast::expr_ptr key;
        if (k.kind == token_kind::kw_none) {
            key = make<ast::none_lit>(skip());
        } else if (k.kind == token_kind::kw_true || k.kind == token_kind::kw_false) {
            auto b = make<ast::bool_lit>(k.pos);
            b->value = take_kind() == token_kind::kw_true;
            key = std::move(b);
        } else if (k.kind == token_kind::name && peek(1).kind == token_kind::dot) {
            key = dotted_name();
        } else if (k.kind == token_kind::name) {
            fail(k.pos, "mapping pattern keys may only match literals and attribute lookups");
        } else if (k.kind == token_kind::integer || k.kind == token_kind::floating ||
                   k.kind == token_kind::minus || k.kind == token_kind::string ||
                   k.kind == token_kind::bytes || k.kind == token_kind::fstring) {
            key = pattern_literal("mapping pattern key");
        } else {
            fail_expected("expected a key in mapping pattern");
        }
        expect(token_kind::colon, "expected ':' after key in mapping pattern");
        m->keys.push_back(std::move(key));
        m->values.push_back(as_pattern());
        if (!accept(token_kind::comma)) break;
    }
    expect(token_kind::rbrace, "expected ',' or '}' in mapping pattern");
    return m;
}

ast::pattern_ptr parser::type_pattern() {
    const source_pos pos = peek().pos;
    auto p = make<ast::type_pattern>(pos);
    p->type_name = take_value();
    bool known = false;
    for (std::string_view t : pattern_types) known = known || t == p->type_name;
    if (!known)
        fail(pos, "unknown type '" + p->type_name +
                      "' in pattern (types: int float str bytes bool tuple list dict set frozenset pid ref)");
    skip();  // (
    if (!at(token_kind::rparen)) {
        if (at(token_kind::name) && peek(1).kind == token_kind::assign)
            fail(peek().pos, "keyword sub-patterns are not supported in Weft");
        p->arg = as_pattern();
        if (accept(token_kind::comma) && !at(token_kind::rparen))
            fail(peek().pos, "a type pattern takes at most one sub-pattern, as in '" + p->type_name +
                                 "(x)'");
    }
    expect(token_kind::rparen, "expected ')' after type pattern");
    return p;
}

void parser::check_stars(const ast::sequence_pattern& seq) const {
    bool star = false;
    for (const auto& e : seq.elts) {
        if (!e->is<ast::star_pattern>()) continue;
        if (star) fail(e->pos, "multiple starred names in sequence pattern");
        star = true;
    }
}

}  // namespace weft::interp
