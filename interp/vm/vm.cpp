// vm.cpp: the dispatch loop, top to bottom, one block per instruction.
//
// Threaded dispatch with GCC's computed goto: each instruction jumps straight
// to the next one's code. The common cases (small ints, floats, lists, plain
// calls) are handled inline; everything else calls ops.cpp, call.cpp
// or the builtins. Register pointer R and frame state are reloaded after
// anything that may push a frame or grow the register stack (calls);
// allocation never moves the register stack, only heap objects, so values
// are re-read from registers after an allocation, never kept in C++ locals.
//
// No instruction block may hold a C++ object with a destructor (a `rooted`,
// a std::string): the computed goto that leaves the block does not run it.
// Such work goes to a function in ops.cpp.
//
// Errors are C++ exceptions (script_error and friends) caught once, around
// the whole loop: the handler records where, unwinds to a script handler and
// re-enters the loop there. The loop never recurses for script calls.
#include <atomic>
#include <limits>

#include "interp/compile/opcodes.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/ops.hpp"
#include "interp/vm/vm.hpp"

#if !defined(__GNUC__)
#error "the dispatch loop uses computed goto (GCC or Clang)"
#endif
// Labels as values are a GNU extension, on purpose: see the header comment.
#pragma GCC diagnostic ignored "-Wpedantic"

namespace weft::interp {

run_status vm::execute(std::int64_t budget, std::size_t stop_depth) {
    static void* const dispatch_table[] = {
#define WEFT_OPCODE_LABEL(name, doc) &&op_##name,
        WEFT_OPCODES(WEFT_OPCODE_LABEL)
#undef WEFT_OPCODE_LABEL
    };
    const proto* p;
    const std::uint32_t* pc = nullptr;
    value* R;
    const value* K;
    instr::word i;
    unsigned a, nargs;
    bool may_trap = false;
    int call_words = 1;  // the call instruction's length, to run it again after a trap
    value ret;

#define LOAD_FRAME()                                  \
    do {                                              \
        const frame& f_ = frames_.back();             \
        p = f_.p;                                     \
        pc = f_.pc;                                   \
        R = stack_.data() + f_.base;                  \
        K = p->consts.data();                         \
        top_ = f_.base + p->nregs;                    \
    } while (0)
#define SAVE_PC() (frames_.back().pc = pc)
#define DISPATCH()                              \
    do {                                        \
        i = *pc++;                              \
        goto* dispatch_table[i & 0xff];         \
    } while (0)
#define CASE(name) op_##name:
#define RA R[instr::a(i)]
#define RB R[instr::b(i)]
#define RC R[instr::c(i)]
// A backward jump or a call spends a reduction.
#define SPEND()                                     \
    do {                                            \
        if (--budget <= 0) [[unlikely]] {           \
            SAVE_PC();                              \
            LEAVE(run_status::yielded);             \
        }                                           \
    } while (0)
// Every way out says how much of the budget is left, for run()'s count.
#define LEAVE(status)                  \
    do {                               \
        budget_left_ = budget;         \
        return status;                 \
    } while (0)
// A builtin trapped (vm.hpp): with pc back on its call, wait for a message
// (any message ends the wait: the call looks for its answer) or yield.
#define LEAVE_TRAPPED()                              \
    do {                                             \
        SAVE_PC();                                   \
        if (awaiting_) {                             \
            awaiting_ = false;                       \
            wait_ = wait_kind::answer;               \
            deadline_ = no_deadline;                 \
            LEAVE(run_status::waiting);              \
        }                                            \
        LEAVE(run_status::yielded);                  \
    } while (0)
#define JUMP_IF(cond)                                  \
    do {                                               \
        std::int32_t off_ = std::int32_t(*pc++);       \
        if (cond) pc += off_;                          \
    } while (0)

resume:
    try {
        LOAD_FRAME();
        DISPATCH();

        CASE(MOVE) { RA = RB; DISPATCH(); }
        CASE(LOADK) { RA = K[instr::bx(i)]; DISPATCH(); }
        CASE(LOADI) { RA = value::from_int(instr::sbx(i)); DISPATCH(); }
        CASE(LOADNONE) { RA = value::none(); DISPATCH(); }
        CASE(LOADTRUE) { RA = value::true_value(); DISPATCH(); }
        CASE(LOADFALSE) { RA = value::false_value(); DISPATCH(); }
        CASE(LOADEMPTY) { RA = value::empty(); DISPATCH(); }
        CASE(CHECKBOUND) {
            if (RA.is_empty()) [[unlikely]] ops::unbound_local(K[instr::bx(i)]);
            DISPATCH();
        }
        CASE(GETGLOBAL) {
            // Acquire: the shell's module rebinds globals while other actors
            // read them (code.hpp, module::live_arena); a plain load elsewhere.
            value g = std::atomic_ref<value>(p->mod->globals[instr::bx(i)]).load(std::memory_order_acquire);
            if (g.is_empty()) [[unlikely]]
                throw_script_error("NameError", "name '" + p->mod->global_names[instr::bx(i)] + "' is not defined");
            RA = g;
            DISPATCH();
        }
        CASE(SETGLOBAL) {
            if (frozen_arena* arena = p->mod->live_arena) [[unlikely]] {
                // The shell's module: other actors may read the global at once.
                std::atomic_ref<value>(p->mod->globals[instr::bx(i)]).store(arena->freeze(RA), std::memory_order_release);
            } else {
                p->mod->globals[instr::bx(i)] = RA;
            }
            DISPATCH();
        }
        CASE(NEWCELL) { RA = heap_.alloc_cell(RA); DISPATCH(); }
        CASE(GETCELL) {
            value v = as_cell(RB)->v;
            unsigned name = *pc++;
            if (v.is_empty()) [[unlikely]] ops::unbound_free_variable(K[name]);
            RA = v;
            DISPATCH();
        }
        CASE(SETCELL) { as_cell(RA)->v = RB; DISPATCH(); }
        CASE(GETFREE) {
            value cell = function_slots(R[-1])[p->ndefault_slots() + instr::b(i)];
            value v = as_cell(cell)->v;
            unsigned name = *pc++;
            if (v.is_empty()) [[unlikely]] ops::unbound_free_variable(K[name]);
            RA = v;
            DISPATCH();
        }
        CASE(SETFREE) {
            value cell = function_slots(R[-1])[p->ndefault_slots() + instr::b(i)];
            as_cell(cell)->v = RA;
            DISPATCH();
        }
        CASE(CLOSURE) {
            const proto* child = p->children[instr::bx(i)];
            std::uint32_t ndef = child->ndefault_slots();
            value f = alloc_native(heap_, native_kind::function, ndef + std::uint32_t(child->captures.size()),
                                   sizeof(const proto*));
            set_native_raw(f, child);
            value* slots = function_slots(f);
            for (std::uint32_t k = 0; k < ndef; ++k) slots[k] = R[instr::a(i) + 1 + k];
            for (std::size_t k = 0; k < child->captures.size(); ++k) {
                capture_desc c = child->captures[k];
                slots[ndef + k] = c.from_register ? R[c.index] : function_slots(R[-1])[p->ndefault_slots() + c.index];
            }
            RA = f;
            DISPATCH();
        }

#define ARITH(name, small_fn, float_expr)                                           \
    CASE(name) {                                                                    \
        value b = RB, c = RC, r;                                                    \
        if (num::small_fn(b, c, r)) [[likely]] {                                    \
            RA = r;                                                                 \
            DISPATCH();                                                             \
        }                                                                           \
        if (both_floats(b, c)) {                                                    \
            double x = b.as_float(), y = c.as_float();                              \
            (void)x; (void)y;                                                       \
            float_expr;                                                             \
        }                                                                           \
        RA = ops::arith(*this, op::name, b, c);                                     \
        DISPATCH();                                                                 \
    }
        ARITH(ADD, add_small, { RA = value::from_float(x + y); DISPATCH(); })
        ARITH(SUB, sub_small, { RA = value::from_float(x - y); DISPATCH(); })
        ARITH(MUL, mul_small, { RA = value::from_float(x * y); DISPATCH(); })
        ARITH(FLOORDIV, floordiv_small, {})
        ARITH(MOD, mod_small, {})
        ARITH(LSHIFT, lshift_small, {})
        ARITH(RSHIFT, rshift_small, {})
        ARITH(BAND, and_small, {})
        ARITH(BOR, or_small, {})
        ARITH(BXOR, xor_small, {})
#undef ARITH
        CASE(DIV) { RA = num::truediv(heap_, RB, RC); DISPATCH(); }
        CASE(POW) { RA = ops::arith(*this, op::POW, RB, RC); DISPATCH(); }
        CASE(ADDI) {
            value b = RB, r;
            if (num::add_small(b, value::from_int(instr::sc(i)), r)) [[likely]] {
                RA = r;
                DISPATCH();
            }
            RA = ops::arith(*this, op::ADD, b, value::from_int(instr::sc(i)));
            DISPATCH();
        }
        CASE(IADD) {
            value b = RB, c = RC, r;
            if (num::add_small(b, c, r)) [[likely]] {
                RA = r;
                DISPATCH();
            }
            if (is_kind(b, obj_kind::list)) {
                ops::list_extend(*this, b, c);
                RA = RB;
                DISPATCH();
            }
            RA = ops::arith(*this, op::ADD, b, c);
            DISPATCH();
        }
        // s -= t, s |= t, s &= t, s ^= t change a set in place (another
        // name for it sees the change, as in Python); anything else rebinds.
#define INPLACE(name, base, small_fn)                                               \
    CASE(name) {                                                                    \
        value b = RB, c = RC, r;                                                    \
        if (num::small_fn(b, c, r)) [[likely]] {                                    \
            RA = r;                                                                 \
            DISPATCH();                                                             \
        }                                                                           \
        if (is_any_set(b) && !is_frozenset(b) && is_any_set(c)) {                   \
            ops::set_in_place(*this, op::base, b, c);                               \
            RA = RB;                                                                \
            DISPATCH();                                                             \
        }                                                                           \
        RA = ops::arith(*this, op::base, b, c);                                     \
        DISPATCH();                                                                 \
    }
        INPLACE(ISUB, SUB, sub_small)
        INPLACE(IBOR, BOR, or_small)
        INPLACE(IBAND, BAND, and_small)
        INPLACE(IBXOR, BXOR, xor_small)
#undef INPLACE
        CASE(NEG) { RA = num::neg(heap_, RB); DISPATCH(); }
        CASE(POS) { RA = num::pos(heap_, RB); DISPATCH(); }
        CASE(INVERT) { RA = num::invert(heap_, RB); DISPATCH(); }
        CASE(NOT) { RA = value::boolean(!ops::truthy(RB)); DISPATCH(); }

#define COMPARE(name, small_expr)                                                   \
    CASE(name) {                                                                    \
        value b = RB, c = RC;                                                       \
        if (both_ints(b, c)) [[likely]] {                                           \
            std::int64_t x = b.as_int(), y = c.as_int();                            \
            RA = value::boolean(small_expr);                                        \
            DISPATCH();                                                             \
        }                                                                           \
        RA = value::boolean(ops::compare(*this, op::name, b, c));                   \
        DISPATCH();                                                                 \
    }
        COMPARE(EQ, x == y)
        COMPARE(NE, x != y)
        COMPARE(LT, x < y)
        COMPARE(LE, x <= y)
        COMPARE(GT, x > y)
        COMPARE(GE, x >= y)
#undef COMPARE
        CASE(IN) { RA = value::boolean(ops::contains(*this, RC, RB)); DISPATCH(); }
        CASE(NOTIN) { RA = value::boolean(!ops::contains(*this, RC, RB)); DISPATCH(); }
        CASE(IS) { RA = value::boolean(identical(RB, RC)); DISPATCH(); }
        CASE(ISNOT) { RA = value::boolean(!identical(RB, RC)); DISPATCH(); }

        CASE(JMP) {
            std::int32_t off = instr::sj(i);
            pc += off;
            if (off < 0) SPEND();
            DISPATCH();
        }
        CASE(JMPIF) {
            if (ops::truthy(RA)) pc += instr::sbx(i);
            DISPATCH();
        }
        CASE(JMPIFNOT) {
            if (!ops::truthy(RA)) pc += instr::sbx(i);
            DISPATCH();
        }
#define FUSED(name, cmp_op, small_expr)                                             \
    CASE(name) {                                                                    \
        value b = RB, c = RC;                                                       \
        if (both_ints(b, c)) [[likely]] {                                           \
            std::int64_t x = b.as_int(), y = c.as_int();                            \
            JUMP_IF(!(small_expr));                                                 \
            DISPATCH();                                                             \
        }                                                                           \
        bool holds = ops::compare(*this, op::cmp_op, b, c);                        \
        JUMP_IF(!holds);                                                            \
        DISPATCH();                                                                 \
    }
        FUSED(JNLT, LT, x < y)
        FUSED(JNLE, LE, x <= y)
        FUSED(JNGT, GT, x > y)
        FUSED(JNGE, GE, x >= y)
        FUSED(JNEQ, EQ, x == y)
        FUSED(JNNE, NE, x != y)
#undef FUSED

        CASE(BUILDTUPLE) { RA = heap_.alloc_tuple(std::span<const value>(&RB, instr::c(i))); DISPATCH(); }
        CASE(BUILDLIST) {
            unsigned n = instr::c(i);
            RA = heap_.alloc_list(n);
            for (unsigned k = 0; k < n; ++k) heap_.list_append(RA, R[instr::b(i) + k]);
            DISPATCH();
        }
        CASE(BUILDDICT) {
            unsigned n = instr::c(i);
            RA = heap_.alloc_dict(n);
            for (unsigned k = 0; k < n; ++k) heap_.dict_set(RA, R[instr::b(i) + 2 * k], R[instr::b(i) + 2 * k + 1]);
            DISPATCH();
        }
        CASE(BUILDSET) {
            unsigned n = instr::c(i);
            RA = heap_.alloc_set();
            for (unsigned k = 0; k < n; ++k) ops::set_add(*this, RA, R[instr::b(i) + k]);
            DISPATCH();
        }
        CASE(SETADD) { ops::set_add(*this, RA, RB); DISPATCH(); }
        CASE(SETUPDATE) { ops::set_update(*this, RA, RB); DISPATCH(); }
        CASE(LISTAPPEND) { heap_.list_append(RA, RB); DISPATCH(); }
        CASE(DELITEM) { ops::delitem(*this, RA, RB); DISPATCH(); }
        CASE(DELSLICE) {
            value* bounds = &R[instr::b(i)];
            ops::delslice(*this, RA, bounds[0], bounds[1], bounds[2]);
            DISPATCH();
        }
        CASE(LISTEXTEND) { ops::list_extend(*this, RA, RB); DISPATCH(); }
        CASE(LISTTOTUPLE) {
            value t = heap_.alloc_tuple(as_list(RB)->length);
            list_obj* l = as_list(RB);
            for (std::uint32_t k = 0; k < l->length; ++k) as_tuple(t)->items()[k] = l->slots()[k];
            RA = t;
            DISPATCH();
        }
        CASE(DICTUPDATE) { ops::dict_update(*this, RA, RB); DISPATCH(); }
        CASE(KWUPDATE) { ops::keywords_update(*this, RA, RB, RC); DISPATCH(); }
        CASE(GETITEM) {
            value b = RB, c = RC;
            if (is_kind(b, obj_kind::list) && c.is_int()) [[likely]] {
                list_obj* l = as_list(b);
                std::int64_t k = c.as_int();
                if (k < 0) k += l->length;
                if (std::uint64_t(k) < l->length) {
                    RA = l->slots()[k];
                    DISPATCH();
                }
            }
            RA = ops::getitem(*this, b, c);
            DISPATCH();
        }
        CASE(SETITEM) {
            value a_ = RA, b = RB;
            if (is_kind(a_, obj_kind::list) && b.is_int() && !a_.as_obj()->frozen()) [[likely]] {
                list_obj* l = as_list(a_);
                std::int64_t k = b.as_int();
                if (k < 0) k += l->length;
                if (std::uint64_t(k) < l->length) {
                    l->slots()[k] = RC;
                    DISPATCH();
                }
            }
            ops::setitem(*this, a_, b, RC);
            DISPATCH();
        }
        CASE(SLICE) {
            unsigned c = instr::c(i);
            RA = ops::slice(*this, RB, R[c], R[c + 1], R[c + 2]);
            DISPATCH();
        }
        CASE(UNPACK) { ops::unpack(*this, RB, &RA, instr::c(i)); DISPATCH(); }
        CASE(UNPACKSTAR) {
            unsigned w = *pc++;
            ops::unpack_star(*this, RB, &RA, w & 0xff, w >> 8);
            DISPATCH();
        }

        CASE(GETITER) {
            iter_check(RA);
            R[instr::a(i) + 1] = value::from_int(0);
            DISPATCH();
        }
        CASE(FORITER) {
            a = instr::a(i);
            value src = R[a];
            if (is_kind(src, obj_kind::list)) [[likely]] {
                std::int64_t k = R[a + 1].as_int();
                list_obj* l = as_list(src);
                if (std::uint64_t(k) < l->length) {
                    R[a + 2] = l->slots()[k];
                    R[a + 1] = value::from_int(k + 1);
                    pc += instr::sbx(i);
                    SPEND();
                }
                DISPATCH();
            }
            if (is_native(src, native_kind::resource)) {
                // A file's next line, which may wait for the disk: as a
                // CALL's builtin, it parks the actor, and this FORITER runs
                // again when the answer is in.
                SAVE_PC();
                trap_budget_ = budget;
                value line = resource_ref_of(src).type->next(*this, src);
                trap_budget_ = 0;
                budget -= take_charged();
                if (trapped_) [[unlikely]] {
                    trapped_ = false;
                    pc -= 1;
                    LEAVE_TRAPPED();
                }
                if (!line.is_empty()) {
                    R[a + 2] = line;
                    pc += instr::sbx(i);
                    SPEND();
                }
                DISPATCH();
            }
            std::uint64_t cursor = std::uint64_t(R[a + 1].as_int());
            value item;
            if (iter_next(src, cursor, item)) {
                R[a + 2] = item;
                R[a + 1] = value::from_int(std::int64_t(cursor));
                pc += instr::sbx(i);
                SPEND();
            }
            DISPATCH();
        }
        CASE(FORPREP) {
            a = instr::a(i);
            for (unsigned k = 0; k < 3; ++k) {
                value v = R[a + k];
                if (v.is_bool()) R[a + k] = value::from_int(v.is_true() ? 1 : 0);
                else if (!v.is_int()) [[unlikely]] ops::not_a_range_bound(v);
            }
            if (R[a + 2].as_int() == 0) throw_script_error("ValueError", "range() arg 3 must not be zero");
            pc += instr::sbx(i);
            DISPATCH();
        }
        CASE(FORLOOP) {
            a = instr::a(i);
            std::int64_t k = R[a].as_int(), stop = R[a + 1].as_int(), step = R[a + 2].as_int();
            if (step > 0 ? k < stop : k > stop) {
                R[a + 3] = value::from_int(k);
                R[a] = value::from_int(k + step);  // |k + step| < 2**48: stop and step are small ints
                pc += instr::sbx(i);
                SPEND();
            }
            DISPATCH();
        }

        CASE(CALL) {
            a = instr::a(i);
            nargs = instr::b(i);
            may_trap = true;  // a builtin called from here may trap (vm.hpp)
            call_words = 1;
        do_call: {
            value f = R[a];
            std::uint32_t slot = std::uint32_t(R - stack_.data()) + a;
            SAVE_PC();
            if (is_native(f, native_kind::function)) {
                const proto* np = function_proto(f);
                if (nargs == np->npositional && np->plain_params()) [[likely]]
                    enter_frame(np, slot + 1, nargs);
                else
                    push_call(slot, nargs, value::none());
                LOAD_FRAME();
                SPEND();
                DISPATCH();
            }
            // A bound method (r = f.read; r()) is a heap value that the
            // call may move and that a trapped call puts back: kept rooted.
            bool bound = is_native(f, native_kind::bound_method);
            if (bound) [[unlikely]] held_[callee_slot] = f;
            trap_budget_ = may_trap ? budget : 0;
            push_call(slot, nargs, value::none());  // a builtin: it ran already
            trap_budget_ = 0;
            LOAD_FRAME();
            budget -= take_charged();
            if (trapped_) [[unlikely]] {  // it saved its state: yield or wait, then run this CALL again
                trapped_ = false;
                R[a] = bound ? held_[callee_slot] : f;
                pc -= call_words;
                LEAVE_TRAPPED();
            }
            SPEND();  // a builtin call is a reduction too, as on BEAM
            DISPATCH();
        }
        }
        CASE(CALLEX) {
            a = instr::a(i);
            SAVE_PC();
            bool trapped = call_ex(std::uint32_t(R - stack_.data()) + a, budget);
            LOAD_FRAME();
            budget -= take_charged();
            if (trapped) [[unlikely]] {  // as CALL's: wait or yield, then run this CALLEX again
                pc -= 1;
                LEAVE_TRAPPED();
            }
            SPEND();
            DISPATCH();
        }
        CASE(TAILCALL) {
            a = instr::a(i);
            nargs = instr::b(i);
            if (is_native(R[a], native_kind::builtin)) {
                // As CALL, in this frame, so that it can charge, yield or
                // wait (connect(), sum() ...); the RETURN after this
                // instruction returns its result.
                may_trap = true;
                call_words = 1;
                goto do_call;
            }
            value f = R[a];
            std::uint32_t base = frames_.back().base;
            // Move the callee and its arguments down over this frame, which
            // ends here: the callee returns straight to our caller.
            R[-1] = f;
            for (unsigned k = 0; k < nargs; ++k) R[k] = R[a + 1 + k];
            frames_.pop_back();
            pc = frames_.empty() ? nullptr : frames_.back().pc;  // errors belong to the caller now
            if (is_native(f, native_kind::function)) {
                const proto* np = function_proto(f);
                if (nargs == np->npositional && np->plain_params()) [[likely]]
                    enter_frame(np, base, nargs);
                else
                    push_call(base - 1, nargs, value::none());
                LOAD_FRAME();
                SPEND();
                DISPATCH();
            }
            if (push_call(base - 1, nargs, value::none())) {
                LOAD_FRAME();
                DISPATCH();
            }
            if (frames_.size() == stop_depth) {
                held_[result_slot] = stack_[base - 1];
                LEAVE(run_status::done);
            }
            LOAD_FRAME();
            DISPATCH();
        }
        CASE(CALLMETHOD) {
            a = instr::a(i);
            nargs = instr::b(i);
            unsigned attr = *pc++;
            value self = R[a];
            // m.f(...) for a module's function, which may trap as from CALL:
            // it runs this instruction again with the function in R[a] and
            // its saved state pending (vm.hpp: trap), and goes straight to
            // the call.
            bool module = is_native(self, native_kind::module);
            if (module || (!held_[trap_slot].is_empty() && is_native(self, native_kind::builtin))) {
                if (module) R[a] = ops::module_attr(*this, self, prog_.attr_name(attr));
                may_trap = true;
                call_words = 2;
                goto do_call;
            }
            const builtin_def* def = prog_.method(attr, self);
            if (!def) [[unlikely]] ops::no_attribute(self, prog_.attr_name(attr));
            SAVE_PC();
            if (is_native(self, native_kind::resource)) {
                // A file's method may wait for the disk: as a CALL's builtin,
                // it parks the actor, and this CALLMETHOD runs again (the
                // receiver still in R[a]) when the answer is in.
                trap_budget_ = budget;
                value r = def->fn(*this, &R[a], nargs + 1, value::none());
                trap_budget_ = 0;
                R = stack_.data() + frames_.back().base;
                budget -= take_charged();
                if (trapped_) [[unlikely]] {
                    trapped_ = false;
                    pc -= 2;
                    LEAVE_TRAPPED();
                }
                R[a] = r;
                SPEND();
                DISPATCH();
            }
            value r = def->fn(*this, &R[a], nargs + 1, value::none());
            R = stack_.data() + frames_.back().base;
            R[a] = r;
            budget -= take_charged();
            SPEND();
            DISPATCH();
        }
        CASE(GETATTR) {
            unsigned attr = *pc++;
            RA = ops::get_attr(*this, RB, prog_.attr_name(attr), prog_.method(attr, RB));
            DISPATCH();
        }
        CASE(RETURN) {
            ret = RA;
        do_return:
            value r = ret;
            std::uint32_t base = frames_.back().base;
            frames_.pop_back();
            stack_[base - 1] = r;
            if (frames_.size() == stop_depth) {
                held_[result_slot] = r;
                LEAVE(run_status::done);
            }
            LOAD_FRAME();
            DISPATCH();
        }
        CASE(RETURNNONE) {
            ret = value::none();
            goto do_return;
        }

        CASE(RAISE) {
            SAVE_PC();
            if (instr::b(i)) throw_script_error("RuntimeError", "No active exception to reraise");
            raise_value(RA, false);
        }
        CASE(RERAISE) {
            SAVE_PC();
            raise_value(RA, true);
        }
        CASE(WITHENTER) {
            SAVE_PC();
            RA = ops::with_enter(*this, &RB);
            DISPATCH();
        }
        CASE(EXCMATCH) { RA = value::boolean(ops::exception_matches(RB, RC)); DISPATCH(); }
        CASE(ASSERTFAIL) {
            if (instr::b(i)) throw_script_error("AssertionError", str(RA));
            throw_script_error("AssertionError", "");
        }
        CASE(IMPORTFAIL) {
            if (instr::a(i) == 1)  // from m import name: the message is whole
                throw_script_error("ImportError", std::string(str_view(K[instr::bx(i)])));
            throw_script_error("ImportError", "No module named '" + std::string(str_view(K[instr::bx(i)])) + "'");
        }
        CASE(TOSTR) {
            if (!is_str(RB)) RA = heap_.alloc_str(str(RB));
            else RA = RB;
            DISPATCH();
        }
        CASE(TOREPR) { RA = ops::to_repr(*this, RB, instr::c(i) == 1); DISPATCH(); }
        CASE(FORMAT) { RA = ops::format(*this, RB, RC); DISPATCH(); }
        CASE(CONCAT) { RA = ops::concat_strs(*this, &RB, instr::c(i)); DISPATCH(); }

        CASE(TESTSEQ) {
            value s = RA;
            std::int64_t len = is_kind(s, obj_kind::tuple) ? std::int64_t(as_tuple(s)->length())
                             : is_kind(s, obj_kind::list)  ? std::int64_t(as_list(s)->length)
                                                           : -1;  // not a sequence pattern's subject
            JUMP_IF(!(len >= 0 && (instr::c(i) ? len >= instr::b(i) : len == instr::b(i))));
            DISPATCH();
        }
        CASE(TESTTYPE) {
            JUMP_IF(!ops::has_type_tag(RA, type_tag(instr::b(i))));
            DISPATCH();
        }
        CASE(TESTDICT) {
            JUMP_IF(!is_kind(RA, obj_kind::dict));
            DISPATCH();
        }
        CASE(INDEXSEQ) {
            value s = RB;
            RA = is_kind(s, obj_kind::tuple) ? as_tuple(s)->items()[instr::c(i)] : as_list(s)->slots()[instr::c(i)];
            DISPATCH();
        }
        CASE(INDEXSEQEND) {
            value s = RB;
            RA = is_kind(s, obj_kind::tuple) ? as_tuple(s)->items()[as_tuple(s)->length() - instr::c(i)]
                                              : as_list(s)->slots()[as_list(s)->length - instr::c(i)];
            DISPATCH();
        }
        CASE(SLICESEQ) {
            unsigned w = *pc++;
            RA = ops::slice_seq(*this, RB, w & 0xff, w >> 8);
            DISPATCH();
        }
        CASE(DICTLOOKUP) {
            std::optional<value> v = heap_.dict_get(RB, RC);
            JUMP_IF(!v);
            if (v) RA = *v;
            DISPATCH();
        }
        CASE(DICTREST) { RA = ops::dict_without(*this, RB, RC); DISPATCH(); }
        CASE(RECVBEGIN) {
            receive_begin(instr::a(i) == no_register ? value::empty() : RA, p->receives[instr::bx(i)], R);
            DISPATCH();
        }
        CASE(RECVMATCH) {
            SAVE_PC();
            std::int64_t target = receive_match(p, instr::bx(i), std::uint32_t(R - stack_.data()));
            if (target < 0) {
                frames_.back().pc = pc - 1;  // wait here: run() scans again
                LEAVE(run_status::waiting);
            }
            pc = p->code.data() + target;
            DISPATCH();
        }
        CASE(RECVTAKE) { receive_take(); DISPATCH(); }
    } catch (const vm_suspend&) {
        // A builtin (sleep, hibernate) finished its call and the task waits:
        // run() goes on after that call. pc was saved before the call.
        if (frames_.size() == stop_depth) ended_in_wait_ = true;  // `return sleep(t)` ended the task
        LEAVE(run_status::waiting);
    } catch (...) {
        trap_budget_ = 0;  // a builtin that may trap raised instead
        bool ours = frames_.size() > stop_depth;
        if (ours && pc) SAVE_PC();
        catch_current_exception(ours);
        if (unwind(stop_depth)) goto resume;
        held_[result_slot] = held_[pending_slot];
        LEAVE(run_status::failed);
    }
#undef LOAD_FRAME
#undef SAVE_PC
#undef DISPATCH
#undef CASE
#undef RA
#undef RB
#undef RC
#undef SPEND
#undef JUMP_IF
#undef LEAVE_TRAPPED
#undef LEAVE
    return run_status::failed;  // not reached
}

}  // namespace weft::interp
