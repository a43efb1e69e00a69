// ast_printer_stmt.cpp: the s-expression printer's statements, blocks,
// match and receive cases and patterns (the forms are listed in
// ast_printer.cpp). Recursion is bounded by the parser's nesting limits.
#include "interp/syntax/ast_printer_impl.hpp"

namespace weft::interp::detail {

void printer::block(const ast::block& b) {
    out += "(block";
    for (const auto& s : b) sp(), stmt(*s);
    out += ')';
}

void printer::cases(const std::vector<ast::match_case>& cs) {
    for (const auto& c : cs) {
        sp();
        open("case", c.pos);
        sp();
        pattern(*c.pattern);
        if (c.guard) {
            out += " (if ";
            expr(*c.guard);
            out += ')';
        }
        sp();
        block(c.body);
        out += ')';
    }
}

void printer::stmt(const ast::stmt& s) {
    using k = ast::stmt_kind;
    switch (s.kind) {
        case k::expr: open("expr", s.pos); sp(); expr(*s.as<ast::expr_stmt>().value); break;
        case k::assign: {
            const auto& a = s.as<ast::assign>();
            open("=", s.pos);
            for (const auto& t : a.targets) sp(), expr(*t);
            sp();
            expr(*a.value);
            break;
        }
        case k::aug_assign: {
            const auto& a = s.as<ast::aug_assign>();
            open(std::string(binary_symbol(a.op)) + "=", s.pos);
            sp();
            expr(*a.target);
            sp();
            expr(*a.value);
            break;
        }
        case k::if_: {
            const auto& i = s.as<ast::if_stmt>();
            open("if", s.pos);
            for (std::size_t n = 0; n < i.branches.size(); ++n) {
                const auto& b = i.branches[n];
                if (n > 0) out += " (elif";
                sp();
                expr(*b.test);
                sp();
                block(b.body);
                if (n > 0) out += ')';
            }
            if (!i.orelse.empty()) tagged_block("else", i.orelse);
            break;
        }
        case k::while_: {
            const auto& w = s.as<ast::while_stmt>();
            open("while", s.pos);
            sp();
            expr(*w.test);
            sp();
            block(w.body);
            if (!w.orelse.empty()) tagged_block("else", w.orelse);
            break;
        }
        case k::for_: {
            const auto& f = s.as<ast::for_stmt>();
            open("for", s.pos);
            sp();
            expr(*f.target);
            sp();
            expr(*f.iter);
            sp();
            block(f.body);
            if (!f.orelse.empty()) tagged_block("else", f.orelse);
            break;
        }
        case k::break_: open("break", s.pos); break;
        case k::continue_: open("continue", s.pos); break;
        case k::pass: open("pass", s.pos); break;
        case k::return_: {
            open("return", s.pos);
            if (const auto& v = s.as<ast::return_stmt>().value) sp(), expr(*v);
            break;
        }
        case k::def: {
            const auto& d = s.as<ast::def_stmt>();
            open("def", s.pos);
            out += " " + d.name + " ";
            params(d.params);
            if (d.returns) {
                out += " (-> ";
                expr(*d.returns);
                out += ')';
            }
            sp();
            block(d.body);
            break;
        }
        case k::del:
            open("del", s.pos);
            for (const auto& t : s.as<ast::del_stmt>().targets) sp(), expr(*t);
            break;
        case k::with: {
            const auto& w = s.as<ast::with_stmt>();
            open("with", s.pos);
            for (const auto& item : w.items) {
                sp();
                out += "(item ";
                expr(*item.context);
                if (item.target) sp(), expr(*item.target);
                out += ')';
            }
            sp();
            block(w.body);
            break;
        }
        case k::try_: {
            const auto& t = s.as<ast::try_stmt>();
            open("try", s.pos);
            sp();
            block(t.body);
            for (const auto& h : t.handlers) {
                sp();
                open("except", h.pos);
                if (h.type) sp(), expr(*h.type);
                if (!h.name.empty()) out += " " + h.name;
                sp();
                block(h.body);
                out += ')';
            }
            if (!t.orelse.empty()) tagged_block("else", t.orelse);
            if (!t.finalbody.empty()) tagged_block("finally", t.finalbody);
            break;
        }
        case k::raise: {
            open("raise", s.pos);
            if (const auto& v = s.as<ast::raise_stmt>().exc) sp(), expr(*v);
            break;
        }
        case k::assert_: {
            const auto& a = s.as<ast::assert_stmt>();
            open("assert", s.pos);
            sp();
            expr(*a.test);
            if (a.msg) sp(), expr(*a.msg);
            break;
        }
        case k::match: {
            const auto& m = s.as<ast::match_stmt>();
            open("match", s.pos);
            sp();
            expr(*m.subject);
            cases(m.cases);
            break;
        }
        case k::receive: {
            const auto& r = s.as<ast::receive_stmt>();
            open("receive", s.pos);
            cases(r.cases);
            if (r.timeout) {
                sp();
                open("after", r.after_pos);
                sp();
                expr(*r.timeout);
                sp();
                block(r.after_body);
                out += ')';
            }
            break;
        }
        case k::import: {
            const auto& i = s.as<ast::import_stmt>();
            open(i.from ? "from" : "import", s.pos);
            out += " " + i.module;
            if (!i.from && i.bind_as != i.module) out += " as " + i.bind_as;
            for (const auto& n : i.names) out += " " + n.name + (n.bind_as != n.name ? " as " + n.bind_as : "");
            break;
        }
    }
    out += ')';
}

void printer::pattern(const ast::pattern& p) {
    using k = ast::pattern_kind;
    switch (p.kind) {
        case k::value: expr(*p.as<ast::value_pattern>().value); return;
        case k::singleton: {
            static constexpr const char* names[] = {"None", "True", "False"};
            out += names[static_cast<int>(p.as<ast::singleton_pattern>().value)];
            at(p.pos);
            return;
        }
        case k::capture: out += p.as<ast::capture_pattern>().name; at(p.pos); return;
        case k::wildcard: out += '_'; at(p.pos); return;
        case k::star: {
            const auto& n = p.as<ast::star_pattern>().name;
            out += "*" + (n.empty() ? std::string("_") : n);
            at(p.pos);
            return;
        }
        case k::sequence: {
            const auto& s = p.as<ast::sequence_pattern>();
            open(s.brackets ? "seq[]" : "seq", p.pos);
            for (const auto& e : s.elts) sp(), pattern(*e);
            break;
        }
        case k::mapping: {
            const auto& m = p.as<ast::mapping_pattern>();
            open("map", p.pos);
            for (std::size_t i = 0; i < m.keys.size(); ++i) {
                out += " (";
                expr(*m.keys[i]);
                sp();
                pattern(*m.values[i]);
                out += ')';
            }
            if (!m.rest.empty()) out += " **" + m.rest;
            break;
        }
        case k::type: {
            const auto& t = p.as<ast::type_pattern>();
            open("type", p.pos);
            out += " " + t.type_name;
            if (t.arg) sp(), pattern(*t.arg);
            break;
        }
        case k::or_: {
            open("|", p.pos);
            for (const auto& a : p.as<ast::or_pattern>().alts) sp(), pattern(*a);
            break;
        }
        case k::as: {
            const auto& a = p.as<ast::as_pattern>();
            open("as", p.pos);
            sp();
            pattern(*a.pattern);
            out += " " + a.name;
            break;
        }
    }
    out += ')';
}

}  // namespace weft::interp::detail
