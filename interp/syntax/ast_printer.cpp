// ast_printer.cpp: the s-expression printer behind to_sexpr: expressions
// here, statements and patterns in ast_printer_stmt.cpp.
//
// Recursion here is bounded by the parser's nesting limits. Must stay in step
// with ast.hpp: a node kind it does not know is a bug to fix here, not skip.
//
//   expressions: x  None  True  42  1.5  "s"  b"s"  (tuple a b)  (list a b)
//     (dict (k v) ...)  (listcomp e (for t it (if c)))  (dictcomp k v (for ...))
//     (genexp e (for ...))  (* x)  (- x) (not x) (~ x)  (+ a b)  (and a b)
//     (cmp a < b not-in c)  (ifexp test body orelse)  (lambda (params) body)
//     (call f a (kw k v))  (. x attr)  (index x i)  (slice lo hi step)  (with - for omitted)
//     (fstr "text" (field x !r (spec ...)))
//   statements: (expr e)  (= t1 t2 value)  (+= t v)  (if c (block ...) (elif c (block)) (else (block)))
//     (while c (block) (else ...))  (for t it (block) (else ...))  (break) (continue) (pass)
//     (return e?)  (def f (params a (b = 1) (c : ann) *rest (k = 2)) (-> ann)? (block))
//     (try (block) (except T name? (block)) (else (block)) (finally (block)))
//     (raise e?)  (assert t msg?)  (match s (case p (if g)? (block)))
//     (receive (case ...) (after t (block)))  (import m)
//   patterns: 1 "s" (- 1) a.b  None  x  _  (seq a *rest)  (seq[] a b)  *rest *_
//     (map (k p) **rest)  (type int n)  (| a b)  (as p name)
#include "interp/syntax/ast_printer_impl.hpp"

#include <charconv>
#include <cstdio>

namespace weft::interp {
namespace detail {

const char* binary_symbol(ast::binary_op op) {
    switch (op) {
        case ast::binary_op::add: return "+";
        case ast::binary_op::sub: return "-";
        case ast::binary_op::mul: return "*";
        case ast::binary_op::div: return "/";
        case ast::binary_op::floor_div: return "//";
        case ast::binary_op::mod: return "%";
        case ast::binary_op::pow: return "**";
        case ast::binary_op::lshift: return "<<";
        case ast::binary_op::rshift: return ">>";
        case ast::binary_op::bit_or: return "|";
        case ast::binary_op::bit_xor: return "^";
        case ast::binary_op::bit_and: return "&";
    }
    return "?";
}

namespace {

const char* compare_symbol(ast::compare_op op) {
    switch (op) {
        case ast::compare_op::eq: return "==";
        case ast::compare_op::ne: return "!=";
        case ast::compare_op::lt: return "<";
        case ast::compare_op::le: return "<=";
        case ast::compare_op::gt: return ">";
        case ast::compare_op::ge: return ">=";
        case ast::compare_op::in: return "in";
        case ast::compare_op::not_in: return "not-in";
        case ast::compare_op::is: return "is";
        case ast::compare_op::is_not: return "is-not";
    }
    return "?";
}

}  // namespace

void printer::quoted(std::string_view s, bool bytes) {
    if (bytes) out += 'b';
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (c < 0x20 || c == 0x7F || (bytes && c >= 0x80)) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02x", c);
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

void printer::params(const ast::parameters& ps) {
    out += "(params";
    auto one = [&](const ast::param& p) {
        sp();
        if (!p.default_value && !p.annotation) {
            out += p.name;
            at(p.pos);
            return;
        }
        open(p.name, p.pos);
        if (p.annotation) {
            out += " : ";
            expr(*p.annotation);
        }
        if (p.default_value) {
            out += " = ";
            expr(*p.default_value);
        }
        out += ')';
    };
    for (const auto& p : ps.positional) one(p);
    if (ps.has_star) {
        out += " *" + ps.vararg;
        at(ps.vararg_pos);
    }
    for (const auto& p : ps.kwonly) one(p);
    out += ')';
}

void printer::generators(const std::vector<ast::comp_for>& gens) {
    for (const auto& g : gens) {
        sp();
        open("for", g.pos);
        sp();
        expr(*g.target);
        sp();
        expr(*g.iter);
        for (const auto& c : g.ifs) {
            out += " (if ";
            expr(*c);
            out += ')';
        }
        out += ')';
    }
}

void printer::fstring_parts(const ast::fstring& f) {
    for (const auto& p : f.parts) {
        sp();
        if (!p.value) {
            quoted(p.literal, false);
            at(p.pos);
            continue;
        }
        open("field", p.pos);
        sp();
        expr(*p.value);
        if (p.conversion) {
            out += " !";
            out += p.conversion;
        }
        if (p.spec) {
            out += " (spec";
            fstring_parts(p.spec->as<ast::fstring>());
            out += ')';
        }
        out += ')';
    }
}

void printer::expr(const ast::expr& e) {
    using k = ast::expr_kind;
    switch (e.kind) {
        case k::name: out += e.as<ast::name>().id; at(e.pos); return;
        case k::none: out += "None"; at(e.pos); return;
        case k::boolean: out += e.as<ast::bool_lit>().value ? "True" : "False"; at(e.pos); return;
        case k::integer: {
            const auto& i = e.as<ast::int_lit>();
            if (!i.big) {
                out += std::to_string(i.value);
            } else {
                out += i.base == 16 ? "0x" : i.base == 8 ? "0o" : i.base == 2 ? "0b" : "";
                out += i.digits;
            }
            at(e.pos);
            return;
        }
        case k::floating: {
            char buf[64];
            const auto r = std::to_chars(buf, buf + sizeof buf, e.as<ast::float_lit>().value);
            std::string text(buf, r.ptr);
            if (text.find_first_of(".eni") == std::string::npos) text += ".0";
            out += text;
            at(e.pos);
            return;
        }
        case k::string: quoted(e.as<ast::str_lit>().value, false); at(e.pos); return;
        case k::bytes: quoted(e.as<ast::bytes_lit>().value, true); at(e.pos); return;
        case k::fstring: open("fstr", e.pos); fstring_parts(e.as<ast::fstring>()); break;
        case k::tuple:
        case k::list: {
            open(e.kind == k::tuple ? "tuple" : "list", e.pos);
            const auto& elts = e.kind == k::tuple ? e.as<ast::tuple_expr>().elts
                                                  : e.as<ast::list_expr>().elts;
            for (const auto& x : elts) sp(), expr(*x);
            break;
        }
        case k::dict: {
            const auto& d = e.as<ast::dict_expr>();
            open("dict", e.pos);
            for (std::size_t i = 0; i < d.keys.size(); ++i) {
                out += " (";
                if (d.keys[i]) expr(*d.keys[i]);
                else out += "**";
                sp();
                expr(*d.values[i]);
                out += ')';
            }
            break;
        }
        case k::set: {
            open("set", e.pos);
            for (const auto& x : e.as<ast::set_expr>().elts) sp(), expr(*x);
            break;
        }
        case k::set_comp: {
            const auto& c = e.as<ast::set_comp>();
            open("setcomp", e.pos);
            sp();
            expr(*c.elt);
            generators(c.generators);
            break;
        }
        case k::list_comp: {
            const auto& c = e.as<ast::list_comp>();
            open("listcomp", e.pos);
            sp();
            expr(*c.elt);
            generators(c.generators);
            break;
        }
        case k::gen_exp: {
            const auto& c = e.as<ast::gen_exp>();
            open("genexp", e.pos);
            sp();
            expr(*c.elt);
            generators(c.generators);
            break;
        }
        case k::dict_comp: {
            const auto& c = e.as<ast::dict_comp>();
            open("dictcomp", e.pos);
            sp();
            expr(*c.key);
            sp();
            expr(*c.value);
            generators(c.generators);
            break;
        }
        case k::starred: open("*", e.pos); sp(); expr(*e.as<ast::starred>().value); break;
        case k::unary: {
            const auto& u = e.as<ast::unary>();
            static constexpr const char* names[] = {"-", "+", "~", "not"};
            open(names[static_cast<int>(u.op)], e.pos);
            sp();
            expr(*u.operand);
            break;
        }
        case k::binary: {
            const auto& b = e.as<ast::binary>();
            open(binary_symbol(b.op), e.pos);
            sp();
            expr(*b.left);
            sp();
            expr(*b.right);
            break;
        }
        case k::logic: {
            const auto& l = e.as<ast::logic>();
            open(l.op == ast::logic_op::and_ ? "and" : "or", e.pos);
            for (const auto& v : l.values) sp(), expr(*v);
            break;
        }
        case k::compare: {
            const auto& c = e.as<ast::compare>();
            open("cmp", e.pos);
            sp();
            expr(*c.left);
            for (std::size_t i = 0; i < c.ops.size(); ++i) {
                sp();
                out += compare_symbol(c.ops[i]);
                sp();
                expr(*c.comparators[i]);
            }
            break;
        }
        case k::if_exp: {
            const auto& i = e.as<ast::if_exp>();
            open("ifexp", e.pos);
            sp();
            expr(*i.test);
            sp();
            expr(*i.body);
            sp();
            expr(*i.orelse);
            break;
        }
        case k::lambda: {
            const auto& l = e.as<ast::lambda>();
            open("lambda", e.pos);
            sp();
            params(l.params);
            sp();
            expr(*l.body);
            break;
        }
        case k::call: {
            const auto& c = e.as<ast::call>();
            open("call", e.pos);
            sp();
            expr(*c.func);
            for (const auto& a : c.args) sp(), expr(*a);
            for (const auto& kw : c.keywords) {
                sp();
                open("kw", kw.pos);
                out += " " + kw.name + " ";
                expr(*kw.value);
                out += ')';
            }
            break;
        }
        case k::attribute: {
            const auto& a = e.as<ast::attribute>();
            open(".", e.pos);
            sp();
            expr(*a.value);
            out += " " + a.attr;
            break;
        }
        case k::subscript: {
            const auto& s = e.as<ast::subscript>();
            open("index", e.pos);
            sp();
            expr(*s.value);
            sp();
            expr(*s.index);
            break;
        }
        case k::slice: {
            const auto& s = e.as<ast::slice>();
            open("slice", e.pos);
            opt_expr(s.lower);
            opt_expr(s.upper);
            opt_expr(s.step);
            break;
        }
    }
    out += ')';
}

}  // namespace detail

std::string to_sexpr(const ast::expr& e, print_options options) {
    detail::printer p(options);
    p.expr(e);
    return std::move(p.out);
}

std::string to_sexpr(const ast::stmt& s, print_options options) {
    detail::printer p(options);
    p.stmt(s);
    return std::move(p.out);
}

std::string to_sexpr(const ast::pattern& pat, print_options options) {
    detail::printer p(options);
    p.pattern(pat);
    return std::move(p.out);
}

std::string to_sexpr(const ast::module& m, print_options options) {
    detail::printer p(options);
    for (const auto& s : m.body) {
        if (!p.out.empty()) p.out += '\n';
        p.stmt(*s);
    }
    return std::move(p.out);
}

}  // namespace weft::interp
