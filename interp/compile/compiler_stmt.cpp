// compiler_stmt.cpp: statements to instructions: assignment and unpacking,
// control flow, functions, try/except/finally, raise, assert, import.
//
// try/finally: the finally body is compiled inline on every way out of the
// protected code (falling off the end, return, break, continue), as CPython
// does, and once more as the handler that runs it and re-raises when an
// exception leaves. Inline copies are excluded from the handler ranges of
// the tries they leave, so an exception inside them is not caught twice.
#include "interp/compile/compiler_impl.hpp"

namespace weft::interp::detail {

void compiler::block(const ast::block& b) {
    for (const auto& s : b) stmt(*s);
}

// Runs `body` (a branch that may or may not execute) and then forgets the
// names it bound: after it, they are not definitely assigned.
void compiler::branch_bound(const std::function<void()>& body) {
    auto saved = f_->bound;
    body();
    f_->bound = std::move(saved);
}

void compiler::stmt(const ast::stmt& s) {
    using K = ast::stmt_kind;
    set_line(s.pos);
    int mark = f_->top;
    switch (s.kind) {
    case K::expr:
        if (!display_.is_empty() && f_->scope->is_module) {
            // The shell shows each expression statement's value outside
            // functions, loops and blocks included (Python's interactive mode).
            int base = temps(2);
            load_const(display_, base);
            expr_to(*s.as<ast::expr_stmt>().value, base + 1);
            emit_abc(op::CALL, base, 1, 0);
            break;
        }
        operand(*s.as<ast::expr_stmt>().value);
        break;
    case K::assign: {
        const auto& a = s.as<ast::assign>();
        // a, b = b, a: every value first, then every target.
        if (a.targets.size() == 1 && a.targets[0]->is<ast::tuple_expr>() && a.value->is<ast::tuple_expr>()) {
            const auto& lhs = a.targets[0]->as<ast::tuple_expr>().elts;
            const auto& rhs = a.value->as<ast::tuple_expr>().elts;
            bool plain = lhs.size() == rhs.size();
            for (const auto& x : lhs) plain &= !x->is<ast::starred>();
            for (const auto& x : rhs) plain &= !x->is<ast::starred>();
            if (plain && !lhs.empty()) {
                int first = temps(int(rhs.size()));
                for (std::size_t i = 0; i < rhs.size(); ++i) expr_to(*rhs[i], first + int(i));
                for (std::size_t i = 0; i < lhs.size(); ++i) assign_to(*lhs[i], first + int(i));
                break;
            }
        }
        // x = value: straight into x's register when x is a plain local.
        if (a.targets.size() == 1 && a.targets[0]->is<ast::name>()) {
            const std::string& n = a.targets[0]->as<ast::name>().id;
            place pl = resolve(n);
            if (pl.w == where::reg) {
                expr_to(*a.value, pl.index);
                if (!f_->scope->deleted.count(n)) f_->bound.insert(n);
                break;
            }
        }
        int r = operand(*a.value);
        for (const auto& t : a.targets) assign_to(*t, r);
        break;
    }
    case K::aug_assign: aug_assign(s.as<ast::aug_assign>()); break;
    case K::del:
        for (const auto& t : s.as<ast::del_stmt>().targets) del_target(*t);
        break;
    case K::if_: if_stmt(s.as<ast::if_stmt>()); break;
    case K::while_: while_stmt(s.as<ast::while_stmt>()); break;
    case K::for_: for_stmt(s.as<ast::for_stmt>()); break;
    case K::break_: loop_exit(true, s.pos); break;
    case K::continue_: loop_exit(false, s.pos); break;
    case K::pass: break;
    case K::return_: return_stmt(s.as<ast::return_stmt>()); break;
    case K::def: def_stmt(s.as<ast::def_stmt>()); break;
    case K::try_: try_stmt(s.as<ast::try_stmt>()); break;
    case K::with: with_stmt(s.as<ast::with_stmt>(), 0); break;
    case K::raise: raise_stmt(s.as<ast::raise_stmt>()); break;
    case K::assert_: assert_stmt(s.as<ast::assert_stmt>()); break;
    case K::match: match_stmt(s.as<ast::match_stmt>()); break;
    case K::receive: receive_stmt(s.as<ast::receive_stmt>()); break;
    case K::import: import_stmt(s.as<ast::import_stmt>()); break;
    }
    release(mark);
}

// -- assignment -------------------------------------------------------------------------

void compiler::assign_to(const ast::expr& target, int src) {
    using K = ast::expr_kind;
    switch (target.kind) {
    case K::name: store_name(target.as<ast::name>().id, src); break;
    case K::subscript: {
        const auto& s = target.as<ast::subscript>();
        if (s.index->is<ast::slice>()) error(s.index->pos, "assigning to a slice is not supported");
        int mark = f_->top;
        int obj = operand(*s.value);
        int index = operand(*s.index);
        set_line(target.pos);
        emit_abc(op::SETITEM, obj, index, src);
        release(mark);
        break;
    }
    case K::tuple: unpack_to(target.as<ast::tuple_expr>().elts, target.pos, src); break;
    case K::list: unpack_to(target.as<ast::list_expr>().elts, target.pos, src); break;
    default: error(target.pos, "cannot assign to this expression");
    }
}

void compiler::unpack_to(const std::vector<ast::expr_ptr>& elts, source_pos pos, int src) {
    int mark = f_->top;
    int n = int(elts.size());
    int star = -1;
    for (int i = 0; i < n; ++i)
        if (elts[i]->is<ast::starred>()) star = i;
    int first = temps(n);
    set_line(pos);
    if (star < 0) {
        emit_abc(op::UNPACK, first, src, n);
    } else {
        emit_abc(op::UNPACKSTAR, first, src, 0);
        emit(unsigned(star) | (unsigned(n - star - 1) << 8));
    }
    for (int i = 0; i < n; ++i) {
        const ast::expr& t = i == star ? *elts[i]->as<ast::starred>().value : *elts[i];
        assign_to(t, first + i);
    }
    release(mark);
}

// `del name` unbinds a name (NameError or UnboundLocalError when it is not
// bound, as Python's); `del x[i]` and `del x[a:b]` remove from a list or dict.
void compiler::del_target(const ast::expr& t) {
    int mark = f_->top;
    if (t.is<ast::tuple_expr>() || t.is<ast::list_expr>()) {
        for (const auto& x : t.is<ast::tuple_expr>() ? t.as<ast::tuple_expr>().elts : t.as<ast::list_expr>().elts)
            del_target(*x);
        return;
    }
    if (t.is<ast::name>()) {
        const std::string& n = t.as<ast::name>().id;
        int r = temp();
        load_name(n, t.pos, r);  // raises when it is not bound
        emit_abc(op::LOADEMPTY, r, 0, 0);
        place pl = resolve(n);
        if (pl.w == where::reg) {
            emit_abc(op::MOVE, pl.index, r, 0);
            f_->bound.erase(n);
        } else {
            store_name(n, r);
        }
        release(mark);
        return;
    }
    const auto& s = t.as<ast::subscript>();
    int obj = operand(*s.value);
    if (s.index->is<ast::slice>()) {
        int bounds = slice_bounds(s.index->as<ast::slice>());
        set_line(t.pos);
        emit_abc(op::DELSLICE, obj, bounds, 0);
    } else {
        int index = operand(*s.index);
        set_line(t.pos);
        emit_abc(op::DELITEM, obj, index, 0);
    }
    release(mark);
}

// The instruction of `x op= y` that changes a list (+=) or a set (-= |= &=
// ^=) in place, as Python does; op::MOVE for the operators that rebind.
static op in_place_op(ast::binary_op o) {
    switch (o) {
    case ast::binary_op::add: return op::IADD;
    case ast::binary_op::sub: return op::ISUB;
    case ast::binary_op::bit_or: return op::IBOR;
    case ast::binary_op::bit_and: return op::IBAND;
    case ast::binary_op::bit_xor: return op::IBXOR;
    default: return op::MOVE;
    }
}

void compiler::aug_binary(const ast::aug_assign& a, int dst) {
    std::int64_t k;
    op o = in_place_op(a.op);
    if (o == op::MOVE || is_const_int(*a.value, -127, 127, k)) return binary_to(a.op, *a.target, *a.value, dst);
    int l = operand(*a.target);
    int r = operand(*a.value);
    set_line(a.pos);
    emit_abc(o, dst, l, r);
}

void compiler::aug_assign(const ast::aug_assign& a) {
    if (a.target->is<ast::name>()) {
        const std::string& n = a.target->as<ast::name>().id;
        place pl = resolve(n);
        if (pl.w == where::reg) {
            name_operand(n, a.target->pos);
            set_line(a.pos);
            aug_binary(a, pl.index);
            return;
        }
        int t = temp();
        set_line(a.pos);
        aug_binary(a, t);
        store_name(n, t);
        return;
    }
    const auto& s = a.target->as<ast::subscript>();
    if (s.index->is<ast::slice>()) error(s.index->pos, "assigning to a slice is not supported");
    int obj = operand(*s.value);
    int index = operand(*s.index);
    int cur = temp();
    set_line(a.pos);
    emit_abc(op::GETITEM, cur, obj, index);
    int mark = f_->top;
    int v = operand(*a.value);
    static constexpr op ops[] = {op::IADD, op::ISUB, op::MUL, op::DIV, op::FLOORDIV, op::MOD, op::POW,
                                 op::LSHIFT, op::RSHIFT, op::IBOR, op::IBXOR, op::IBAND};
    set_line(a.pos);
    emit_abc(ops[int(a.op)], cur, cur, v);
    release(mark);
    emit_abc(op::SETITEM, obj, index, cur);
}

// -- control flow --------------------------------------------------------------------

void compiler::if_stmt(const ast::if_stmt& s) {
    std::vector<jump> done;
    for (const auto& br : s.branches) {
        set_line(br.pos);
        std::vector<jump> next;
        cond_jump(*br.test, false, next);
        branch_bound([&] { block(br.body); });
        done.push_back(emit_jump());
        patch_all_here(next);
    }
    branch_bound([&] { block(s.orelse); });
    patch_all_here(done);
}

void compiler::while_stmt(const ast::while_stmt& s) {
    std::uint32_t start = pc();
    std::vector<jump> exit;
    cond_jump(*s.test, false, exit);
    f_->loops.push_back(loop_context{{}, {}, f_->tries.size()});
    branch_bound([&] { block(s.body); });
    for (jump j : f_->loops.back().continues) patch(j, start);
    jump_back(start);
    std::vector<jump> breaks = std::move(f_->loops.back().breaks);
    f_->loops.pop_back();
    patch_all_here(exit);
    branch_bound([&] { block(s.orelse); });
    patch_all_here(breaks);
}

bool compiler::range_call(const ast::expr& e) {
    if (!e.is<ast::call>()) return false;
    const auto& c = e.as<ast::call>();
    if (!c.func->is<ast::name>() || c.func->as<ast::name>().id != "range") return false;
    if (!simple_call(c) || c.args.empty() || c.args.size() > 3) return false;
    return resolve("range").w == where::builtin;
}

void compiler::for_stmt(const ast::for_stmt& s) {
    int mark = f_->top;
    bool counted = range_call(*s.iter);
    int base = temps(counted ? 4 : 3);
    std::uint32_t start;
    jump to_test;
    if (counted) {
        const auto& c = s.iter->as<ast::call>();
        if (c.args.size() == 1) {
            emit(instr::asbx(op::LOADI, unsigned(base), 0));
            expr_to(*c.args[0], base + 1);
        } else {
            expr_to(*c.args[0], base);
            expr_to(*c.args[1], base + 1);
        }
        if (c.args.size() == 3)
            expr_to(*c.args[2], base + 2);
        else
            emit(instr::asbx(op::LOADI, unsigned(base + 2), 1));
        set_line(s.pos);
        emit(instr::asbx(op::FORPREP, unsigned(base), 0));
        to_test = jump{pc() - 1, jump::sbx};
    } else {
        expr_to(*s.iter, base);
        set_line(s.pos);
        emit_abc(op::GETITER, base, 0, 0);
        to_test = emit_jump();
    }
    start = pc();
    f_->loops.push_back(loop_context{{}, {}, f_->tries.size()});
    branch_bound([&] {
        assign_to(*s.target, counted ? base + 3 : base + 2);
        block(s.body);
    });
    patch_all_here(f_->loops.back().continues);
    patch_here(to_test);
    set_line(s.pos);
    emit(instr::asbx(counted ? op::FORLOOP : op::FORITER, unsigned(base), 0));
    patch(jump{pc() - 1, jump::sbx}, start);
    std::vector<jump> breaks = std::move(f_->loops.back().breaks);
    f_->loops.pop_back();
    branch_bound([&] { block(s.orelse); });
    patch_all_here(breaks);
    release(mark);
}

void compiler::loop_exit(bool is_break, source_pos pos) {
    if (f_->loops.empty()) error(pos, is_break ? "'break' outside loop" : "'continue' not properly in loop");
    run_finally_blocks(f_->loops.back().try_depth);
    jump j = emit_jump();
    (is_break ? f_->loops.back().breaks : f_->loops.back().continues).push_back(j);
}

void compiler::return_stmt(const ast::return_stmt& r) {
    if (f_->scope->is_module) error(r.pos, "'return' outside function");
    if (!r.value) {
        run_finally_blocks(0);
        emit_abc(op::RETURNNONE, 0, 0, 0);
        return;
    }
    // `return f(...)` reuses the frame, except where a handler must stay.
    if (f_->tries.empty() && r.value->is<ast::call>() && !r.value->as<ast::call>().func->is<ast::attribute>()) {
        call_to(r.value->as<ast::call>(), 0, true);
        return;
    }
    int v = operand(*r.value);
    if (!f_->tries.empty() && v < int(f_->regs.size())) {
        // A finally block may assign the local being returned.
        int t = temp();
        emit_abc(op::MOVE, t, v, 0);
        v = t;
    }
    run_finally_blocks(0);
    emit_abc(op::RETURN, v, 0, 0);
}

void compiler::def_stmt(const ast::def_stmt& d) {
    int t = temp();
    closure_to(&d, d.name, d.pos, d.params, &d.body, nullptr, t);
    store_name(d.name, t);
}

// -- exceptions -----------------------------------------------------------------------

void compiler::add_handlers(protected_range& r, std::uint32_t target, int reg) {
    if (r.open && pc() > r.open_start) r.segments.emplace_back(r.open_start, pc());
    r.open = false;
    for (auto [start, end] : r.segments)
        if (end > start) f_->p->handlers.push_back(handler_entry{start, end, target, std::uint8_t(reg)});
}

// Emits the finally body of tries[k] inline. While it is emitted, the tries
// from k up are out of scope (their ranges paused), and so are the loops and
// except clauses opened inside them: the finally body sits outside them.
void compiler::emit_finally(std::size_t k) {
    std::uint32_t here = pc();
    for (std::size_t i = k; i < f_->tries.size(); ++i) {
        auto& r = f_->tries[i].range;
        if (r.open && here > r.open_start) r.segments.emplace_back(r.open_start, here);
        r.open = false;
    }
    std::vector<try_context> tries(std::make_move_iterator(f_->tries.begin() + std::ptrdiff_t(k)),
                                   std::make_move_iterator(f_->tries.end()));
    f_->tries.resize(k);
    std::vector<loop_context> loops(std::make_move_iterator(f_->loops.begin() + std::ptrdiff_t(tries[0].loop_depth)),
                                    std::make_move_iterator(f_->loops.end()));
    f_->loops.resize(tries[0].loop_depth);
    std::vector<int> handled(f_->handled.begin() + std::ptrdiff_t(tries[0].handled_depth), f_->handled.end());
    f_->handled.resize(tries[0].handled_depth);

    branch_bound([&] { finally_body(tries[0]); });

    for (auto& l : loops) f_->loops.push_back(std::move(l));
    for (int h : handled) f_->handled.push_back(h);
    std::uint32_t after = pc();
    for (auto& t : tries) {
        t.range.open_start = after;
        t.range.open = true;
        f_->tries.push_back(std::move(t));
    }
}

void compiler::run_finally_blocks(std::size_t down_to) {
    for (std::size_t k = f_->tries.size(); k-- > down_to;)
        if (f_->tries[k].has_finally()) emit_finally(k);
}

void compiler::try_stmt(const ast::try_stmt& t) {
    bool has_finally = !t.finalbody.empty();
    bool has_handlers = !t.handlers.empty();
    int fin_reg = has_finally ? temp() : -1;
    int exc_reg = has_handlers ? temp() : -1;
    std::size_t depth = f_->tries.size();
    auto open_context = [&](const ast::block* finalbody) {
        try_context c;
        c.range.open_start = pc();
        c.finalbody = finalbody;
        c.loop_depth = f_->loops.size();
        c.handled_depth = f_->handled.size();
        f_->tries.push_back(std::move(c));
    };
    if (has_finally) open_context(&t.finalbody);
    if (has_handlers) open_context(nullptr);

    branch_bound([&] { block(t.body); });

    std::vector<jump> done;
    if (has_handlers) {
        try_context exc = std::move(f_->tries.back());
        f_->tries.pop_back();
        // Pause the except range here: the else block is not covered by it.
        if (exc.range.open && pc() > exc.range.open_start) exc.range.segments.emplace_back(exc.range.open_start, pc());
        exc.range.open = false;
        branch_bound([&] { block(t.orelse); });
        if (has_finally) emit_finally(depth);
        done.push_back(emit_jump());

        add_handlers(exc.range, pc(), exc_reg);
        f_->handled.push_back(exc_reg);
        for (const auto& h : t.handlers) {
            set_line(h.pos);
            std::vector<jump> next;
            if (h.type) {
                int mark = f_->top;
                int cls = operand(*h.type);
                int m = temp();
                emit_abc(op::EXCMATCH, m, exc_reg, cls);
                next.push_back(emit_cond_jump(op::JMPIFNOT, m));
                release(mark);
            }
            branch_bound([&] {
                if (!h.name.empty()) store_name(h.name, exc_reg);
                block(h.body);
            });
            if (has_finally) emit_finally(depth);
            done.push_back(emit_jump());
            patch_all_here(next);
        }
        f_->handled.pop_back();
        emit_abc(op::RERAISE, exc_reg, 0, 0);  // no clause matched
    } else {
        emit_finally(depth);
        done.push_back(emit_jump());
    }
    if (has_finally) {
        try_context fin = std::move(f_->tries.back());
        f_->tries.pop_back();
        add_handlers(fin.range, pc(), fin_reg);
        branch_bound([&] { block(t.finalbody); });
        emit_abc(op::RERAISE, fin_reg, 0, 0);
    }
    patch_all_here(done);
}

void compiler::finally_body(const try_context& t) {
    if (t.finalbody) return block(*t.finalbody);
    // A with item's exit: manager.__exit__(), as a method call, so that a
    // close that must wait (a file's last write) parks like any call.
    int mark = f_->top;
    int base = temp();
    set_line(t.with->pos);
    emit_abc(op::MOVE, base, t.with_manager, 0);
    emit_abc(op::CALLMETHOD, base, 0, 0);
    emit(attr_index("__exit__"));
    release(mark);
}

// with: for each item, its value in a register of its own, entered
// (WITHENTER), and the rest (the later items, then the body) as the body of
// a try whose finally exits it, so that it is exited however the block is
// left: normally, by return, break or continue, or by an exception, which
// then goes on.
void compiler::with_stmt(const ast::with_stmt& s, std::size_t item) {
    if (item == s.items.size()) return block(s.body);
    const ast::with_item& it = s.items[item];
    int mark = f_->top;
    int manager = temp();
    int fin_reg = temp();
    expr_to(*it.context, manager);
    set_line(s.pos);
    int entered = temp();
    emit_abc(op::WITHENTER, entered, manager, 0);
    if (it.target) assign_to(*it.target, entered);
    std::size_t depth = f_->tries.size();
    try_context c;
    c.range.open_start = pc();
    c.with_manager = manager;
    c.with = &s;
    c.loop_depth = f_->loops.size();
    c.handled_depth = f_->handled.size();
    f_->tries.push_back(std::move(c));

    branch_bound([&] { with_stmt(s, item + 1); });

    emit_finally(depth);
    jump done = emit_jump();
    try_context fin = std::move(f_->tries.back());
    f_->tries.pop_back();
    add_handlers(fin.range, pc(), fin_reg);
    branch_bound([&] { finally_body(fin); });
    emit_abc(op::RERAISE, fin_reg, 0, 0);
    patch_here(done);
    release(mark);
}

void compiler::raise_stmt(const ast::raise_stmt& r) {
    if (!r.exc) {
        if (f_->handled.empty())
            emit_abc(op::RAISE, 0, 1, 0);  // RuntimeError: no active exception
        else
            emit_abc(op::RERAISE, f_->handled.back(), 0, 0);
        return;
    }
    int v = operand(*r.exc);
    set_line(r.pos);
    emit_abc(op::RAISE, v, 0, 0);
}

void compiler::assert_stmt(const ast::assert_stmt& a) {
    std::vector<jump> ok;
    cond_jump(*a.test, true, ok);
    set_line(a.pos);
    if (a.msg)
        emit_abc(op::ASSERTFAIL, operand(*a.msg), 1, 0);
    else
        emit_abc(op::ASSERTFAIL, 0, 0, 0);
    patch_all_here(ok);
}

// import m [as n]: the module value, bound. from m import a [as b]: each
// name's value, looked up now (modules are loaded and frozen before the
// code that imports them runs), bound; a name the module lacks is Python's
// ImportError when the statement runs.
void compiler::import_stmt(const ast::import_stmt& i) {
    const module* m = imports_(i.module, i.pos);
    if (!m) {
        emit_abx(op::IMPORTFAIL, 0, str_const(i.module));
        return;
    }
    int t = temp();
    if (!i.from) {
        emit_abx(op::LOADK, t, konst(m->self));
        store_name(i.bind_as, t);
        return;
    }
    for (const auto& n : i.names) {
        auto at = m->global_index.find(n.name);
        if (at == m->global_index.end() || m->globals[at->second].is_empty()) {
            std::string location = m->file.rfind("<native", 0) == 0 ? "unknown location" : m->file;
            emit_abx(op::IMPORTFAIL, 1,
                     str_const("cannot import name '" + n.name + "' from '" + i.module + "' (" + location + ")"));
            continue;
        }
        emit_abx(op::LOADK, t, konst(m->globals[at->second]));
        store_name(n.bind_as, t);
    }
}

}  // namespace weft::interp::detail
