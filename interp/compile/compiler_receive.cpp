// compiler_receive.cpp: `receive` statements. Unlike `match`, whose patterns
// compile to test instructions on a heap value, a receive's patterns compile
// to data (receive_table.hpp) that the VM matches against messages still in
// the mailbox, so a message that no case takes is never rebuilt in the heap.
//
//       <values the patterns compare with, into registers>
//       <the after timeout, into a register>
//       RECVBEGIN  timeout, table
//   scan:
//       RECVMATCH  table          -> a case's code, the after block, or wait here
//   case k:
//       <captures stored into their names>
//       <guard: when false, back to scan (the next case, same message)>
//       RECVTAKE
//       <body>
//       JMP done
//   after:
//       <after block>
//   done:
#include "interp/compile/compiler_impl.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp::detail {

std::uint8_t compiler::capture_register(const std::string& name, receive_case_regs& regs) {
    for (const auto& [n, r] : regs.captures)
        if (n == name) return std::uint8_t(r);  // the same name in another alternative
    int r = temp();
    regs.captures.emplace_back(name, r);
    return std::uint8_t(r);
}

void compiler::receive_pattern(const ast::pattern& p, std::vector<recv_node>& out, receive_case_regs& regs) {
    using K = ast::pattern_kind;
    using N = recv_node::kind;
    std::size_t at = out.size();
    out.emplace_back();
    recv_node n;
    switch (p.kind) {
    case K::value: {
        n.k = N::equal;
        int r = temp();
        expr_to(*p.as<ast::value_pattern>().value, r);
        n.reg = std::uint8_t(r);
        break;
    }
    case K::singleton: {
        auto s = p.as<ast::singleton_pattern>().value;
        n.k = s == ast::singleton::none ? N::none : s == ast::singleton::true_ ? N::true_ : N::false_;
        break;
    }
    case K::capture:
        n.k = N::capture;
        n.reg = capture_register(p.as<ast::capture_pattern>().name, regs);
        break;
    case K::wildcard: n.k = N::any; break;
    case K::sequence: {
        const auto& elts = p.as<ast::sequence_pattern>().elts;
        n.k = N::sequence;
        for (const auto& e : elts) {
            if (e->is<ast::star_pattern>()) {
                n.star = std::int16_t(n.count);
                const std::string& name = e->as<ast::star_pattern>().name;
                if (!name.empty()) n.rest_reg = capture_register(name, regs);
                continue;
            }
            ++n.count;
            out[at] = n;  // children may reallocate `out`; keep the parent current
            receive_pattern(*e, out, regs);
        }
        break;
    }
    case K::star: error(p.pos, "a star pattern is only allowed in a sequence pattern");
    case K::mapping: {
        const auto& m = p.as<ast::mapping_pattern>();
        n.k = N::mapping;
        n.count = std::uint16_t(m.keys.size());
        int keys = temps(int(m.keys.size()));
        for (std::size_t k = 0; k < m.keys.size(); ++k) expr_to(*m.keys[k], keys + int(k));
        n.key_base = std::uint8_t(keys);
        if (!m.rest.empty()) n.rest_reg = capture_register(m.rest, regs);
        out[at] = n;
        for (const auto& v : m.values) receive_pattern(*v, out, regs);
        break;
    }
    case K::type: {
        const auto& t = p.as<ast::type_pattern>();
        type_tag tag;
        if (!type_tag_named(t.type_name, tag)) error(p.pos, "'" + t.type_name + "' is not a type a pattern can test");
        n.k = N::type;
        n.tag = std::uint8_t(tag);
        n.count = t.arg ? 1 : 0;
        out[at] = n;
        if (t.arg) receive_pattern(*t.arg, out, regs);
        break;
    }
    case K::or_: {
        const auto& alts = p.as<ast::or_pattern>().alts;
        n.k = N::alt;
        n.count = std::uint16_t(alts.size());
        out[at] = n;
        for (const auto& alt : alts) receive_pattern(*alt, out, regs);
        break;
    }
    case K::as: {
        const auto& a = p.as<ast::as_pattern>();
        n.k = N::as;
        n.reg = capture_register(a.name, regs);
        out[at] = n;
        receive_pattern(*a.pattern, out, regs);
        break;
    }
    }
    n.size = std::uint32_t(out.size() - at);
    out[at] = n;
}

// The register of a local whose value the guard requires a capture of this
// case to equal (`captured == name`, or `name == captured`, alone or as a
// conjunct of `and`), or no_register. The local must be a plain register
// that no case of the receive captures, so it holds the same value from
// RECVBEGIN through every guard.
std::uint8_t compiler::needed_register(const ast::expr* guard, const std::vector<receive_case_regs>& all,
                                       const receive_case_regs& own) {
    if (!guard) return no_register;
    if (guard->is<ast::logic>()) {
        const auto& l = guard->as<ast::logic>();
        if (l.op != ast::logic_op::and_) return no_register;
        for (const auto& v : l.values)
            if (std::uint8_t r = needed_register(v.get(), all, own); r != no_register) return r;
        return no_register;
    }
    if (!guard->is<ast::compare>()) return no_register;
    const auto& c = guard->as<ast::compare>();
    if (c.ops.size() != 1 || c.ops[0] != ast::compare_op::eq) return no_register;
    const ast::expr* sides[2] = {c.left.get(), c.comparators[0].get()};
    if (!sides[0]->is<ast::name>() || !sides[1]->is<ast::name>()) return no_register;
    auto captured_by = [](const receive_case_regs& regs, const std::string& n) {
        for (const auto& [name, reg] : regs.captures)
            if (name == n) return true;
        return false;
    };
    for (int s = 0; s < 2; ++s) {
        const std::string& mine = sides[s]->as<ast::name>().id;
        const std::string& other = sides[1 - s]->as<ast::name>().id;
        if (!captured_by(own, mine)) continue;
        bool captured_anywhere = false;
        for (const auto& regs : all) captured_anywhere |= captured_by(regs, other);
        if (captured_anywhere) continue;
        place pl = resolve(other);
        if (pl.w == where::reg) return std::uint8_t(pl.index);
    }
    return no_register;
}

void compiler::receive_stmt(const ast::receive_stmt& r) {
    check_cases(r.cases);
    // A table of the proto, reached by index: nested receives in the bodies
    // add tables of their own and may move the vector.
    std::uint32_t table = std::uint32_t(f_->p->receives.size());
    if (table > 0xffff) error(r.pos, "too many receive statements in one function");
    f_->p->receives.emplace_back();

    std::vector<receive_case_regs> regs(r.cases.size());
    for (std::size_t k = 0; k < r.cases.size(); ++k) {
        set_line(r.cases[k].pos);
        recv_case c;
        receive_pattern(*r.cases[k].pattern, c.pattern, regs[k]);
        f_->p->receives[table].cases.push_back(std::move(c));
    }
    bool all_need = true;
    for (std::size_t k = 0; k < r.cases.size(); ++k) {
        std::uint8_t need = needed_register(r.cases[k].guard.get(), regs, regs[k]);
        f_->p->receives[table].cases[k].needs_reg = need;
        all_need &= need != no_register;
    }
    f_->p->receives[table].all_need_values = all_need;
    int timeout = no_register;
    if (r.timeout) {
        set_line(r.after_pos);
        timeout = temp();
        expr_to(*r.timeout, timeout);
    }
    set_line(r.pos);
    emit_abx(op::RECVBEGIN, timeout, table);
    std::uint32_t scan = pc();
    emit_abx(op::RECVMATCH, 0, table);

    std::vector<jump> done;
    for (std::size_t k = 0; k < r.cases.size(); ++k) {
        const auto& c = r.cases[k];
        set_line(c.pos);
        f_->p->receives[table].cases[k].target = pc();
        branch_bound([&] {
            for (const auto& [name, reg] : regs[k].captures) store_name(name, reg);
            if (c.guard) {
                std::vector<jump> fail;
                cond_jump(*c.guard, false, fail);
                for (jump j : fail) patch(j, scan);
            }
            emit_abc(op::RECVTAKE, 0, 0, 0);
            block(c.body);
        });
        done.push_back(emit_jump());
    }
    if (r.timeout) {
        f_->p->receives[table].has_after = true;
        f_->p->receives[table].after = pc();
        set_line(r.after_pos);
        branch_bound([&] { block(r.after_body); });
    }
    patch_all_here(done);
}

}  // namespace weft::interp::detail
