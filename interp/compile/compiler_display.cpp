// compiler_display.cpp: displays and comprehensions to instructions: tuples,
// lists, dicts and sets written out (`[a, *b]`, `{**d, "k": v}`, `{1, 2}`),
// and list, dict and set comprehensions, whose targets get registers of
// their own. It must never evaluate an item out of its written order.
#include <algorithm>
#include <climits>

#include "interp/compile/compiler_impl.hpp"

namespace weft::interp::detail {

void compiler::sequence_to(const std::vector<ast::expr_ptr>& elts, int dst, bool tuple) {
    bool starred = false;
    for (const auto& x : elts) starred |= x->is<ast::starred>();
    if (!starred) {
        if (elts.size() > 200) {  // long displays: append one by one, registers stay few
            int list = temp();
            emit_abc(op::BUILDLIST, list, 0, 0);
            for (const auto& x : elts) {
                int mark = f_->top;
                emit_abc(op::LISTAPPEND, list, operand(*x), 0);
                release(mark);
            }
            emit_abc(tuple ? op::LISTTOTUPLE : op::MOVE, dst, list, 0);
            return;
        }
        int first = temps(int(elts.size()));
        for (std::size_t i = 0; i < elts.size(); ++i) expr_to(*elts[i], first + int(i));
        emit_abc(tuple ? op::BUILDTUPLE : op::BUILDLIST, dst, first, int(elts.size()));
        return;
    }
    int list = temp();
    emit_abc(op::BUILDLIST, list, 0, 0);
    for (const auto& x : elts) {
        int mark = f_->top;
        if (x->is<ast::starred>())
            emit_abc(op::LISTEXTEND, list, operand(*x->as<ast::starred>().value), 0);
        else
            emit_abc(op::LISTAPPEND, list, operand(*x), 0);
        release(mark);
    }
    emit_abc(tuple ? op::LISTTOTUPLE : op::MOVE, dst, list, 0);
}

void compiler::dict_to(const ast::dict_expr& d, int dst) {
    int dict = temp();
    emit_abc(op::BUILDDICT, dict, 0, 0);
    for (std::size_t i = 0; i < d.keys.size(); ++i) {
        int mark = f_->top;
        if (!d.keys[i]) {  // {**other}
            emit_abc(op::DICTUPDATE, dict, operand(*d.values[i]), 0);
        } else {
            int k = operand(*d.keys[i]);
            int v = operand(*d.values[i]);
            emit_abc(op::SETITEM, dict, k, v);
        }
        release(mark);
    }
    if (dict != dst) emit_abc(op::MOVE, dst, dict, 0);
}

// A set display adds its items in order, as CPython's BUILD_SET. Three or
// more constants CPython folds into a frozenset constant, which the set is
// then made from in one merge: the table sizes differ, and so may the order
// the set prints in, so Weft builds it the same two-step way.
void compiler::set_to(const std::vector<ast::expr_ptr>& elts, int dst) {
    bool starred = false, constants = elts.size() > 2;
    for (const auto& x : elts) {
        starred |= x->is<ast::starred>();
        std::int64_t k;
        bool literal = x->is<ast::int_lit>() || x->is<ast::float_lit>() || x->is<ast::str_lit>() ||
                       x->is<ast::bytes_lit>() || x->is<ast::bool_lit>() || x->is<ast::none_lit>() ||
                       is_const_int(*x, INT64_MIN, INT64_MAX, k) ||
                       (x->is<ast::unary>() && x->as<ast::unary>().op == ast::unary_op::neg &&
                        x->as<ast::unary>().operand->is<ast::float_lit>());
        constants &= literal;
    }
    if (!starred && elts.size() <= 200) {
        int first = temps(int(elts.size()));
        for (std::size_t i = 0; i < elts.size(); ++i) expr_to(*elts[i], first + int(i));
        if (!constants) {
            emit_abc(op::BUILDSET, dst, first, int(elts.size()));
            return;
        }
        int folded = temp();
        emit_abc(op::BUILDSET, folded, first, int(elts.size()));
        int set = temp();
        emit_abc(op::BUILDSET, set, 0, 0);
        emit_abc(op::SETUPDATE, set, folded, 0);
        emit_abc(op::MOVE, dst, set, 0);
        return;
    }
    int set = temp();
    emit_abc(op::BUILDSET, set, 0, 0);
    for (const auto& x : elts) {
        int mark = f_->top;
        if (x->is<ast::starred>())
            emit_abc(op::SETUPDATE, set, operand(*x->as<ast::starred>().value), 0);
        else
            emit_abc(op::SETADD, set, operand(*x), 0);
        release(mark);
    }
    emit_abc(op::MOVE, dst, set, 0);
}

void compiler::comprehension_to(const void* node, const std::vector<ast::comp_for>& gens, const ast::expr* key,
                                const ast::expr& elt, int dst, built kind) {
    int result = temp();
    emit_abc(kind == built::dict ? op::BUILDDICT : kind == built::set ? op::BUILDSET : op::BUILDLIST, result, 0, 0);
    // The targets live in registers of their own while the comprehension runs.
    const scope_info& sc = scopes_.of(node);
    std::unordered_map<std::string, int> overlay;
    std::vector<std::string> names(sc.assigned.begin(), sc.assigned.end());
    std::sort(names.begin(), names.end());
    auto saved_bound = f_->bound;
    for (const auto& n : names) {
        int r = temp();
        emit_abc(op::LOADEMPTY, r, 0, 0);
        if (sc.cells.count(n)) {
            emit_abc(op::NEWCELL, r, 0, 0);
            overlay.emplace(n, r | 0x1000);
        } else {
            overlay.emplace(n, r);
            f_->bound.insert(n);
        }
    }
    // The first iterable is evaluated outside the comprehension's scope.
    int iter = temps(3);
    expr_to(*gens.front().iter, iter);
    f_->overlays.push_back(std::move(overlay));
    std::uint32_t start;
    emit_abc(op::GETITER, iter, 0, 0);
    jump to_test = emit_jump();
    start = pc();
    assign_to(*gens.front().target, iter + 2);
    {
        std::vector<jump> skip;
        for (const auto& cond : gens.front().ifs) cond_jump(*cond, false, skip);
        comprehension_level(node, gens, 1, key, elt, result, kind);
        patch_all_here(skip);
    }
    patch_here(to_test);
    emit(instr::asbx(op::FORITER, unsigned(iter), std::int32_t(start) - std::int32_t(pc() + 1)));
    f_->overlays.pop_back();
    f_->bound = std::move(saved_bound);
    emit_abc(op::MOVE, dst, result, 0);
}

void compiler::comprehension_level(const void* node, const std::vector<ast::comp_for>& gens, std::size_t i,
                                   const ast::expr* key, const ast::expr& elt, int result, built kind) {
    int mark = f_->top;
    if (i == gens.size()) {
        if (kind == built::dict) {
            int k = operand(*key);
            int v = operand(elt);
            emit_abc(op::SETITEM, result, k, v);
        } else if (kind == built::set) {
            emit_abc(op::SETADD, result, operand(elt), 0);
        } else {
            emit_abc(op::LISTAPPEND, result, operand(elt), 0);
        }
        release(mark);
        return;
    }
    int iter = temps(3);
    expr_to(*gens[i].iter, iter);
    emit_abc(op::GETITER, iter, 0, 0);
    jump to_test = emit_jump();
    std::uint32_t start = pc();
    assign_to(*gens[i].target, iter + 2);
    std::vector<jump> skip;
    for (const auto& cond : gens[i].ifs) cond_jump(*cond, false, skip);
    comprehension_level(node, gens, i + 1, key, elt, result, kind);
    patch_all_here(skip);
    patch_here(to_test);
    emit(instr::asbx(op::FORITER, unsigned(iter), std::int32_t(start) - std::int32_t(pc() + 1)));
    release(mark);
}

}  // namespace weft::interp::detail
