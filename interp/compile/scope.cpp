// scope.cpp: the two passes of scope analysis. The first walks the tree and
// records, per scope, the names it assigns and the names it reads; the
// second resolves each read that is not local to the nearest enclosing
// function that assigns it, marking it a cell there and free in every scope
// in between. Recursion follows the tree, whose depth the parser bounds.
#include "interp/compile/scope.hpp"

namespace weft::interp {

namespace {

struct raw_scope {
    const void* node;
    int parent;  // index, -1 for the module
    bool is_module, is_comprehension;
    std::unordered_set<std::string> assigned;
    std::unordered_set<std::string> deleted;
    std::vector<std::string> used;  // in order of first use
    std::unordered_set<std::string> used_set;
};

class collector {
public:
    std::vector<raw_scope> scopes;

    int open(const void* node, int parent, bool is_module, bool is_comp) {
        scopes.push_back(raw_scope{node, parent, is_module, is_comp, {}, {}, {}, {}});
        return int(scopes.size()) - 1;
    }
    void assign(int s, const std::string& name) { scopes[s].assigned.insert(name); }
    void use(int s, const std::string& name) {
        if (scopes[s].used_set.insert(name).second) scopes[s].used.push_back(name);
    }

    void block(int s, const ast::block& b) {
        for (const auto& st : b) stmt(s, *st);
    }

    void target(int s, const ast::expr& e) {
        using K = ast::expr_kind;
        switch (e.kind) {
        case K::name: assign(s, e.as<ast::name>().id); break;
        case K::tuple: for (const auto& x : e.as<ast::tuple_expr>().elts) target(s, *x); break;
        case K::list: for (const auto& x : e.as<ast::list_expr>().elts) target(s, *x); break;
        case K::starred: target(s, *e.as<ast::starred>().value); break;
        default: expr(s, e);  // a subscript: its parts are reads
        }
    }

    void deletes(int s, const ast::expr& e) {
        using K = ast::expr_kind;
        switch (e.kind) {
        case K::name:
            assign(s, e.as<ast::name>().id);
            scopes[s].deleted.insert(e.as<ast::name>().id);
            break;
        case K::tuple: for (const auto& x : e.as<ast::tuple_expr>().elts) deletes(s, *x); break;
        case K::list: for (const auto& x : e.as<ast::list_expr>().elts) deletes(s, *x); break;
        default: expr(s, e);  // a subscript: its parts are reads
        }
    }

    void params(int s, const ast::parameters& p, int outer) {
        for (const auto& x : p.positional) {
            assign(s, x.name);
            if (x.default_value) expr(outer, *x.default_value);
        }
        if (!p.vararg.empty()) assign(s, p.vararg);
        if (!p.varkw.empty()) assign(s, p.varkw);
        for (const auto& x : p.kwonly) {
            assign(s, x.name);
            if (x.default_value) expr(outer, *x.default_value);
        }
    }

    void comprehension(int s, const void* node, const std::vector<ast::comp_for>& gens,
                       const ast::expr* elt, const ast::expr* key) {
        // The first iterable is evaluated outside, as in Python.
        expr(s, *gens.front().iter);
        int c = open(node, s, false, true);
        for (std::size_t i = 0; i < gens.size(); ++i) {
            if (i > 0) expr(c, *gens[i].iter);
            target(c, *gens[i].target);
            for (const auto& cond : gens[i].ifs) expr(c, *cond);
        }
        if (key) expr(c, *key);
        expr(c, *elt);
    }

    void expr(int s, const ast::expr& e) {
        using K = ast::expr_kind;
        switch (e.kind) {
        case K::name: use(s, e.as<ast::name>().id); break;
        case K::none: case K::boolean: case K::integer: case K::floating: case K::string: case K::bytes: break;
        case K::fstring:
            for (const auto& part : e.as<ast::fstring>().parts) {
                if (part.value) expr(s, *part.value);
                if (part.spec) expr(s, *part.spec);
            }
            break;
        case K::tuple: for (const auto& x : e.as<ast::tuple_expr>().elts) expr(s, *x); break;
        case K::list: for (const auto& x : e.as<ast::list_expr>().elts) expr(s, *x); break;
        case K::set: for (const auto& x : e.as<ast::set_expr>().elts) expr(s, *x); break;
        case K::dict: {
            const auto& d = e.as<ast::dict_expr>();
            for (std::size_t i = 0; i < d.keys.size(); ++i) {
                if (d.keys[i]) expr(s, *d.keys[i]);
                expr(s, *d.values[i]);
            }
            break;
        }
        case K::list_comp: {
            const auto& c = e.as<ast::list_comp>();
            comprehension(s, &e, c.generators, c.elt.get(), nullptr);
            break;
        }
        case K::gen_exp: {
            const auto& c = e.as<ast::gen_exp>();
            comprehension(s, &e, c.generators, c.elt.get(), nullptr);
            break;
        }
        case K::set_comp: {
            const auto& c = e.as<ast::set_comp>();
            comprehension(s, &e, c.generators, c.elt.get(), nullptr);
            break;
        }
        case K::dict_comp: {
            const auto& c = e.as<ast::dict_comp>();
            comprehension(s, &e, c.generators, c.value.get(), c.key.get());
            break;
        }
        case K::starred: expr(s, *e.as<ast::starred>().value); break;
        case K::unary: expr(s, *e.as<ast::unary>().operand); break;
        case K::binary: expr(s, *e.as<ast::binary>().left); expr(s, *e.as<ast::binary>().right); break;
        case K::logic: for (const auto& x : e.as<ast::logic>().values) expr(s, *x); break;
        case K::compare: {
            const auto& c = e.as<ast::compare>();
            expr(s, *c.left);
            for (const auto& x : c.comparators) expr(s, *x);
            break;
        }
        case K::if_exp: {
            const auto& c = e.as<ast::if_exp>();
            expr(s, *c.test); expr(s, *c.body); expr(s, *c.orelse);
            break;
        }
        case K::lambda: {
            const auto& l = e.as<ast::lambda>();
            int f = open(&e, s, false, false);
            params(f, l.params, s);
            expr(f, *l.body);
            break;
        }
        case K::call: {
            const auto& c = e.as<ast::call>();
            expr(s, *c.func);
            for (const auto& x : c.args) expr(s, *x);
            for (const auto& k : c.keywords) expr(s, *k.value);
            break;
        }
        case K::attribute: expr(s, *e.as<ast::attribute>().value); break;
        case K::subscript: expr(s, *e.as<ast::subscript>().value); expr(s, *e.as<ast::subscript>().index); break;
        case K::slice: {
            const auto& sl = e.as<ast::slice>();
            if (sl.lower) expr(s, *sl.lower);
            if (sl.upper) expr(s, *sl.upper);
            if (sl.step) expr(s, *sl.step);
            break;
        }
        }
    }

    void pattern(int s, const ast::pattern& p) {
        using K = ast::pattern_kind;
        switch (p.kind) {
        case K::value: expr(s, *p.as<ast::value_pattern>().value); break;
        case K::singleton: case K::wildcard: break;
        case K::capture: assign(s, p.as<ast::capture_pattern>().name); break;
        case K::sequence: for (const auto& x : p.as<ast::sequence_pattern>().elts) pattern(s, *x); break;
        case K::star:
            if (!p.as<ast::star_pattern>().name.empty()) assign(s, p.as<ast::star_pattern>().name);
            break;
        case K::mapping: {
            const auto& m = p.as<ast::mapping_pattern>();
            for (const auto& k : m.keys) expr(s, *k);
            for (const auto& v : m.values) pattern(s, *v);
            if (!m.rest.empty()) assign(s, m.rest);
            break;
        }
        case K::type:
            if (p.as<ast::type_pattern>().arg) pattern(s, *p.as<ast::type_pattern>().arg);
            break;
        case K::or_: for (const auto& x : p.as<ast::or_pattern>().alts) pattern(s, *x); break;
        case K::as:
            pattern(s, *p.as<ast::as_pattern>().pattern);
            assign(s, p.as<ast::as_pattern>().name);
            break;
        }
    }

    void cases(int s, const std::vector<ast::match_case>& cs) {
        for (const auto& c : cs) {
            pattern(s, *c.pattern);
            if (c.guard) expr(s, *c.guard);
            block(s, c.body);
        }
    }

    void stmt(int s, const ast::stmt& st) {
        using K = ast::stmt_kind;
        switch (st.kind) {
        case K::expr: expr(s, *st.as<ast::expr_stmt>().value); break;
        case K::assign: {
            const auto& a = st.as<ast::assign>();
            expr(s, *a.value);
            for (const auto& t : a.targets) target(s, *t);
            break;
        }
        case K::del:
            // `del x` binds x here, as an assignment does (Python's rule).
            for (const auto& t : st.as<ast::del_stmt>().targets) deletes(s, *t);
            break;
        case K::aug_assign: {
            const auto& a = st.as<ast::aug_assign>();
            expr(s, *a.value);
            if (a.target->is<ast::name>()) use(s, a.target->as<ast::name>().id);
            target(s, *a.target);
            break;
        }
        case K::if_:
            for (const auto& b : st.as<ast::if_stmt>().branches) {
                expr(s, *b.test);
                block(s, b.body);
            }
            block(s, st.as<ast::if_stmt>().orelse);
            break;
        case K::while_:
            expr(s, *st.as<ast::while_stmt>().test);
            block(s, st.as<ast::while_stmt>().body);
            block(s, st.as<ast::while_stmt>().orelse);
            break;
        case K::for_: {
            const auto& f = st.as<ast::for_stmt>();
            expr(s, *f.iter);
            target(s, *f.target);
            block(s, f.body);
            block(s, f.orelse);
            break;
        }
        case K::break_: case K::continue_: case K::pass: break;
        case K::return_:
            if (st.as<ast::return_stmt>().value) expr(s, *st.as<ast::return_stmt>().value);
            break;
        case K::def: {
            const auto& d = st.as<ast::def_stmt>();
            assign(s, d.name);
            int f = open(&st, s, false, false);
            params(f, d.params, s);
            block(f, d.body);
            break;
        }
        case K::try_: {
            const auto& t = st.as<ast::try_stmt>();
            block(s, t.body);
            for (const auto& h : t.handlers) {
                if (h.type) expr(s, *h.type);
                if (!h.name.empty()) assign(s, h.name);
                block(s, h.body);
            }
            block(s, t.orelse);
            block(s, t.finalbody);
            break;
        }
        case K::with: {
            const auto& w = st.as<ast::with_stmt>();
            for (const auto& item : w.items) {
                expr(s, *item.context);
                if (item.target) target(s, *item.target);
            }
            block(s, w.body);
            break;
        }
        case K::raise:
            if (st.as<ast::raise_stmt>().exc) expr(s, *st.as<ast::raise_stmt>().exc);
            break;
        case K::assert_:
            expr(s, *st.as<ast::assert_stmt>().test);
            if (st.as<ast::assert_stmt>().msg) expr(s, *st.as<ast::assert_stmt>().msg);
            break;
        case K::match:
            expr(s, *st.as<ast::match_stmt>().subject);
            cases(s, st.as<ast::match_stmt>().cases);
            break;
        case K::receive: {
            const auto& r = st.as<ast::receive_stmt>();
            cases(s, r.cases);
            if (r.timeout) expr(s, *r.timeout);
            block(s, r.after_body);
            break;
        }
        case K::import: {
            const auto& i = st.as<ast::import_stmt>();
            if (!i.from) assign(s, i.bind_as);
            for (const auto& n : i.names) assign(s, n.bind_as);
            break;
        }
        }
    }
};

}  // namespace

scope_table::scope_table(const ast::module& m) : module_(&m) {
    collector c;
    int top = c.open(&m, -1, true, false);
    c.block(top, m.body);

    // A comprehension's targets are its own; everything else it touches
    // belongs to the function it sits in (it is compiled inline there).
    auto owner = [&](int s) {
        while (c.scopes[s].is_comprehension) s = c.scopes[s].parent;
        return s;
    };

    for (const auto& rs : c.scopes) {
        scope_info info;
        info.is_module = rs.is_module;
        info.is_comprehension = rs.is_comprehension;
        info.assigned = rs.assigned;
        info.deleted = rs.deleted;
        scopes_.emplace(rs.node, std::move(info));
    }

    for (std::size_t i = 0; i < c.scopes.size(); ++i) {
        for (const std::string& name : c.scopes[i].used) {
            // Find the scope that binds the name, walking outwards.
            int s = int(i);
            bool found = false;
            while (s >= 0 && !c.scopes[s].is_module) {
                if (c.scopes[s].assigned.count(name)) {
                    found = true;
                    break;
                }
                s = c.scopes[s].parent;
            }
            if (!found || s == int(i)) continue;  // global/builtin, or local here
            // Bound in s, used in i: every real function from i up to (not
            // including) s's owner captures it.
            int binder_fn = owner(s);
            int f = owner(int(i));
            if (f == binder_fn) continue;  // same frame (comprehension inline)
            scopes_.at(c.scopes[s].node).cells.insert(name);
            for (int x = f; x != binder_fn; x = owner(c.scopes[x].parent)) {
                auto& info = scopes_.at(c.scopes[x].node);
                if (info.free_index.emplace(name, int(info.frees.size())).second) info.frees.push_back(name);
            }
        }
    }
}

}  // namespace weft::interp
