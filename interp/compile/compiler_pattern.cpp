// compiler_pattern.cpp: `match` statements. A pattern compiles to a run of
// tests, each jumping to the case's failure label when it does not hold, and
// moves that bind captured names as it goes (as CPython, a case that fails
// half-way may leave some of its names bound). `receive` patterns share the
// checks here but compile to data (compiler_receive.cpp).
#include <algorithm>

#include "interp/compile/compiler_impl.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp::detail {

bool type_tag_named(const std::string& name, type_tag& out) {
    static constexpr struct {
        const char* name;
        type_tag tag;
    } table[] = {
        {"int", type_tag::int_}, {"float", type_tag::float_}, {"str", type_tag::str},
        {"bytes", type_tag::bytes}, {"bool", type_tag::bool_}, {"tuple", type_tag::tuple},
        {"list", type_tag::list}, {"dict", type_tag::dict}, {"pid", type_tag::pid}, {"ref", type_tag::ref},
        {"set", type_tag::set}, {"frozenset", type_tag::frozenset},
    };
    for (const auto& t : table)
        if (name == t.name) {
            out = t.tag;
            return true;
        }
    return false;
}

std::string irrefutable(const ast::pattern& p) {
    using K = ast::pattern_kind;
    switch (p.kind) {
    case K::capture: return "name capture '" + p.as<ast::capture_pattern>().name + "'";
    case K::wildcard: return "wildcard";
    case K::as: return irrefutable(*p.as<ast::as_pattern>().pattern);
    case K::or_:
        for (const auto& alt : p.as<ast::or_pattern>().alts)
            if (auto why = irrefutable(*alt); !why.empty()) return why;
        return "";
    default: return "";
    }
}

namespace {

// A mapping key as CPython's message shows it: 'k', 1, b'x'.
std::string key_text(const ast::expr& e) {
    if (e.is<ast::str_lit>()) return "'" + e.as<ast::str_lit>().value + "'";
    if (e.is<ast::bytes_lit>()) return "b'" + e.as<ast::bytes_lit>().value + "'";
    if (e.is<ast::int_lit>()) return e.as<ast::int_lit>().big ? e.as<ast::int_lit>().digits : std::to_string(e.as<ast::int_lit>().value);
    if (e.is<ast::none_lit>()) return "None";
    if (e.is<ast::bool_lit>()) return e.as<ast::bool_lit>().value ? "True" : "False";
    return "";  // a dotted name: its value is known only when the program runs
}

}  // namespace

// The checks CPython makes on patterns when it compiles them: every name
// bound once, alternatives binding the same names, no duplicate literal key.
void compiler::check_pattern(const ast::pattern& p, std::vector<std::string>& names) {
    using K = ast::pattern_kind;
    auto bind = [&](const std::string& n, source_pos pos) {
        if (n.empty()) return;
        if (std::find(names.begin(), names.end(), n) != names.end())
            error(pos, "multiple assignments to name '" + n + "' in pattern");
        names.push_back(n);
    };
    switch (p.kind) {
    case K::capture: bind(p.as<ast::capture_pattern>().name, p.pos); break;
    case K::star: bind(p.as<ast::star_pattern>().name, p.pos); break;
    case K::as:
        check_pattern(*p.as<ast::as_pattern>().pattern, names);
        bind(p.as<ast::as_pattern>().name, p.pos);
        break;
    case K::sequence:
        for (const auto& e : p.as<ast::sequence_pattern>().elts) check_pattern(*e, names);
        break;
    case K::type:
        if (p.as<ast::type_pattern>().arg) check_pattern(*p.as<ast::type_pattern>().arg, names);
        break;
    case K::mapping: {
        const auto& m = p.as<ast::mapping_pattern>();
        std::vector<std::string> seen;
        for (const auto& k : m.keys) {
            std::string text = key_text(*k);
            if (text.empty()) continue;
            if (std::find(seen.begin(), seen.end(), text) != seen.end())
                error(p.pos, "mapping pattern checks duplicate key (" + text + ")");
            seen.push_back(text);
        }
        for (const auto& v : m.values) check_pattern(*v, names);
        bind(m.rest, p.pos);
        break;
    }
    case K::or_: {
        std::vector<std::string> first;
        bool have_first = false;
        for (const auto& alt : p.as<ast::or_pattern>().alts) {
            std::vector<std::string> mine;
            check_pattern(*alt, mine);
            std::sort(mine.begin(), mine.end());
            if (have_first && mine != first) error(p.pos, "alternative patterns bind different names");
            first = std::move(mine);
            have_first = true;
        }
        for (const auto& n : first) bind(n, p.pos);
        break;
    }
    default: break;
    }
}

void compiler::check_cases(const std::vector<ast::match_case>& cases) {
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto& c = cases[k];
        std::vector<std::string> names;
        check_pattern(*c.pattern, names);
        if (k + 1 < cases.size() && !c.guard)
            if (auto why = irrefutable(*c.pattern); !why.empty())
                error(c.pattern->pos, why + " makes remaining patterns unreachable");
    }
}

void compiler::match_stmt(const ast::match_stmt& m) {
    check_cases(m.cases);
    int subject = temp();
    expr_to(*m.subject, subject);
    std::vector<jump> done;
    for (const auto& c : m.cases) {
        set_line(c.pos);
        std::vector<jump> fail;
        branch_bound([&] {
            pattern(*c.pattern, subject, fail);
            if (c.guard) cond_jump(*c.guard, false, fail);
            block(c.body);
        });
        done.push_back(emit_jump());
        patch_all_here(fail);
    }
    patch_all_here(done);
}

void compiler::bind_capture(const std::string& name, int src) { store_name(name, src); }

void compiler::pattern(const ast::pattern& p, int subject, std::vector<jump>& fail) {
    using K = ast::pattern_kind;
    int mark = f_->top;
    set_line(p.pos);
    switch (p.kind) {
    case K::value: {
        int v = operand(*p.as<ast::value_pattern>().value);
        fail.push_back(emit_fused_jump(op::JNEQ, subject, v));
        break;
    }
    case K::singleton: {
        int t = temp();
        auto s = p.as<ast::singleton_pattern>().value;
        load_const(s == ast::singleton::none ? value::none() : value::boolean(s == ast::singleton::true_), t);
        emit_abc(op::IS, t, subject, t);
        fail.push_back(emit_cond_jump(op::JMPIFNOT, t));
        break;
    }
    case K::capture: bind_capture(p.as<ast::capture_pattern>().name, subject); break;
    case K::wildcard: break;
    case K::sequence: {
        const auto& elts = p.as<ast::sequence_pattern>().elts;
        int n = int(elts.size());
        int star = -1;
        for (int i = 0; i < n; ++i)
            if (elts[i]->is<ast::star_pattern>()) star = i;
        int fixed = star < 0 ? n : n - 1;
        if (fixed > 255) error(p.pos, "too many elements in a sequence pattern");
        emit_abc(op::TESTSEQ, subject, fixed, star >= 0 ? 1 : 0);
        fail.push_back(emit_extra_jump());
        for (int i = 0; i < n; ++i) {
            const ast::pattern& e = *elts[i];
            int item_mark = f_->top;
            if (i == star) {
                const std::string& name = e.as<ast::star_pattern>().name;
                if (name.empty()) continue;
                int t = temp();
                emit_abc(op::SLICESEQ, t, subject, 0);
                emit(unsigned(star) | (unsigned(n - star - 1) << 8));
                bind_capture(name, t);
            } else if (!e.is<ast::wildcard_pattern>()) {
                int t = temp();
                if (star < 0 || i < star)
                    emit_abc(op::INDEXSEQ, t, subject, i);
                else
                    emit_abc(op::INDEXSEQEND, t, subject, n - i);
                pattern(e, t, fail);
            }
            release(item_mark);
        }
        break;
    }
    case K::star: error(p.pos, "a star pattern is only allowed in a sequence pattern");
    case K::mapping: {
        const auto& m = p.as<ast::mapping_pattern>();
        emit_abc(op::TESTDICT, subject, 0, 0);
        fail.push_back(emit_extra_jump());
        int keys = temps(int(m.keys.size()));
        for (std::size_t i = 0; i < m.keys.size(); ++i) expr_to(*m.keys[i], keys + int(i));
        for (std::size_t i = 0; i < m.keys.size(); ++i) {
            int item_mark = f_->top;
            int t = temp();
            emit_abc(op::DICTLOOKUP, t, subject, keys + int(i));
            fail.push_back(emit_extra_jump());
            pattern(*m.values[i], t, fail);
            release(item_mark);
        }
        if (!m.rest.empty()) {
            int t = temp();
            emit_abc(op::BUILDTUPLE, t, keys, int(m.keys.size()));
            emit_abc(op::DICTREST, t, subject, t);
            bind_capture(m.rest, t);
        }
        break;
    }
    case K::type: {
        const auto& t = p.as<ast::type_pattern>();
        type_tag tag;
        if (!type_tag_named(t.type_name, tag)) error(p.pos, "'" + t.type_name + "' is not a type a pattern can test");
        emit_abc(op::TESTTYPE, subject, int(tag), 0);
        fail.push_back(emit_extra_jump());
        if (t.arg) pattern(*t.arg, subject, fail);
        break;
    }
    case K::or_: {
        const auto& alts = p.as<ast::or_pattern>().alts;
        std::vector<jump> matched;
        for (std::size_t i = 0; i + 1 < alts.size(); ++i) {
            std::vector<jump> next;
            pattern(*alts[i], subject, next);
            matched.push_back(emit_jump());
            patch_all_here(next);
        }
        pattern(*alts.back(), subject, fail);
        patch_all_here(matched);
        break;
    }
    case K::as: {
        const auto& a = p.as<ast::as_pattern>();
        pattern(*a.pattern, subject, fail);
        bind_capture(a.name, subject);
        break;
    }
    }
    release(mark);
}

}  // namespace weft::interp::detail
