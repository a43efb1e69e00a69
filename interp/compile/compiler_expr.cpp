// compiler_expr.cpp: expressions to instructions. Each is compiled into a
// given register (expr_to) or into whatever register already holds it
// (operand: a local's own register, so `a + b` reads a and b in place).
#include <algorithm>

#include <gmp.h>

#include "interp/compile/compiler_impl.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp::detail {

namespace {

op binary_opcode(ast::binary_op o) {
    using B = ast::binary_op;
    switch (o) {
    case B::add: return op::ADD;
    case B::sub: return op::SUB;
    case B::mul: return op::MUL;
    case B::div: return op::DIV;
    case B::floor_div: return op::FLOORDIV;
    case B::mod: return op::MOD;
    case B::pow: return op::POW;
    case B::lshift: return op::LSHIFT;
    case B::rshift: return op::RSHIFT;
    case B::bit_or: return op::BOR;
    case B::bit_xor: return op::BXOR;
    case B::bit_and: return op::BAND;
    }
    return op::ADD;
}

op compare_opcode(ast::compare_op o) {
    using C = ast::compare_op;
    switch (o) {
    case C::eq: return op::EQ;
    case C::ne: return op::NE;
    case C::lt: return op::LT;
    case C::le: return op::LE;
    case C::gt: return op::GT;
    case C::ge: return op::GE;
    case C::in: return op::IN;
    case C::not_in: return op::NOTIN;
    case C::is: return op::IS;
    case C::is_not: return op::ISNOT;
    }
    return op::EQ;
}

// The fused compare-and-branch taken when the comparison is false.
bool fused_false_jump(ast::compare_op o, op& out) {
    using C = ast::compare_op;
    switch (o) {
    case C::lt: out = op::JNLT; return true;
    case C::le: out = op::JNLE; return true;
    case C::gt: out = op::JNGT; return true;
    case C::ge: out = op::JNGE; return true;
    case C::eq: out = op::JNEQ; return true;
    case C::ne: out = op::JNNE; return true;
    default: return false;
    }
}

}  // namespace

bool compiler::is_const_int(const ast::expr& e, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    if (e.is<ast::int_lit>() && !e.as<ast::int_lit>().big) {
        out = e.as<ast::int_lit>().value;
        return out >= lo && out <= hi;
    }
    if (e.is<ast::unary>() && e.as<ast::unary>().op == ast::unary_op::neg &&
        e.as<ast::unary>().operand->is<ast::int_lit>() && !e.as<ast::unary>().operand->as<ast::int_lit>().big) {
        out = -e.as<ast::unary>().operand->as<ast::int_lit>().value;
        return out >= lo && out <= hi;
    }
    return false;
}

int compiler::operand(const ast::expr& e) {
    if (e.is<ast::name>()) {
        int r = name_operand(e.as<ast::name>().id, e.pos);
        if (r >= 0) return r;
    }
    int t = temp();
    expr_to(e, t);
    return t;
}

void compiler::expr_to(const ast::expr& e, int dst) {
    using K = ast::expr_kind;
    set_line(e.pos);
    int mark = f_->top;
    switch (e.kind) {
    case K::name: load_name(e.as<ast::name>().id, e.pos, dst); break;
    case K::none: emit_abc(op::LOADNONE, dst, 0, 0); break;
    case K::boolean: emit_abc(e.as<ast::bool_lit>().value ? op::LOADTRUE : op::LOADFALSE, dst, 0, 0); break;
    case K::integer: {
        const auto& lit = e.as<ast::int_lit>();
        if (!lit.big && value::fits_small_int(lit.value)) {
            load_const(value::from_int(lit.value), dst);
            break;
        }
        mpz_t z;
        mpz_init_set_str(z, lit.digits.c_str(), lit.base);
        std::size_t n = mpz_size(z);
        std::vector<limb> limbs(n);
        for (std::size_t i = 0; i < n; ++i) limbs[i] = mpz_getlimbn(z, mp_size_t(i));
        mpz_clear(z);
        emit_abx(op::LOADK, dst, konst(prog_.arena().alloc_bignum(false, limbs)));
        break;
    }
    case K::floating: emit_abx(op::LOADK, dst, konst(value::from_float(e.as<ast::float_lit>().value))); break;
    case K::string: emit_abx(op::LOADK, dst, str_const(e.as<ast::str_lit>().value)); break;
    case K::bytes: emit_abx(op::LOADK, dst, konst(prog_.arena().alloc_bytes(e.as<ast::bytes_lit>().value))); break;
    case K::fstring: fstring_to(e.as<ast::fstring>(), dst); break;
    case K::tuple: sequence_to(e.as<ast::tuple_expr>().elts, dst, true); break;
    case K::list: sequence_to(e.as<ast::list_expr>().elts, dst, false); break;
    case K::dict: dict_to(e.as<ast::dict_expr>(), dst); break;
    case K::set: set_to(e.as<ast::set_expr>().elts, dst); break;
    case K::list_comp: {
        const auto& c = e.as<ast::list_comp>();
        comprehension_to(&e, c.generators, nullptr, *c.elt, dst, built::list);
        break;
    }
    case K::gen_exp: {  // built eagerly, as a list
        const auto& c = e.as<ast::gen_exp>();
        comprehension_to(&e, c.generators, nullptr, *c.elt, dst, built::list);
        break;
    }
    case K::dict_comp: {
        const auto& c = e.as<ast::dict_comp>();
        comprehension_to(&e, c.generators, c.key.get(), *c.value, dst, built::dict);
        break;
    }
    case K::set_comp: {
        const auto& c = e.as<ast::set_comp>();
        comprehension_to(&e, c.generators, nullptr, *c.elt, dst, built::set);
        break;
    }
    case K::starred: error(e.pos, "can't use starred expression here");
    case K::unary: {
        const auto& u = e.as<ast::unary>();
        std::int64_t k;
        if (u.op == ast::unary_op::neg && is_const_int(e, value::small_int_min, value::small_int_max, k)) {
            load_const(value::from_int(k), dst);
            break;
        }
        if (u.op == ast::unary_op::neg && u.operand->is<ast::float_lit>()) {
            emit_abx(op::LOADK, dst, konst(value::from_float(-u.operand->as<ast::float_lit>().value)));
            break;
        }
        int r = operand(*u.operand);
        op o = u.op == ast::unary_op::neg ? op::NEG
             : u.op == ast::unary_op::pos ? op::POS
             : u.op == ast::unary_op::invert ? op::INVERT : op::NOT;
        emit_abc(o, dst, r, 0);
        break;
    }
    case K::binary: {
        const auto& b = e.as<ast::binary>();
        binary_to(b.op, *b.left, *b.right, dst);
        break;
    }
    case K::logic: logic_to(e.as<ast::logic>(), dst); break;
    case K::compare: compare_to(e.as<ast::compare>(), dst); break;
    case K::if_exp: {
        const auto& c = e.as<ast::if_exp>();
        std::vector<jump> to_else;
        cond_jump(*c.test, false, to_else);
        expr_to(*c.body, dst);
        jump done = emit_jump();
        patch_all_here(to_else);
        expr_to(*c.orelse, dst);
        patch_here(done);
        break;
    }
    case K::lambda: lambda_to(e.as<ast::lambda>(), dst); break;
    case K::call: call_to(e.as<ast::call>(), dst, false); break;
    case K::attribute: {
        const auto& a = e.as<ast::attribute>();
        int r = operand(*a.value);
        set_line(e.pos);
        emit_abc(op::GETATTR, dst, r, 0);
        emit(attr_index(a.attr));
        break;
    }
    case K::subscript: subscript_to(e.as<ast::subscript>(), dst); break;
    case K::slice: error(e.pos, "a slice is only allowed inside []");
    }
    release(mark);
}

void compiler::binary_to(ast::binary_op o, const ast::expr& l, const ast::expr& r, int dst) {
    std::int64_t k;
    if ((o == ast::binary_op::add || o == ast::binary_op::sub) && is_const_int(r, -127, 127, k)) {
        int a = operand(l);
        emit_abc(op::ADDI, dst, a, unsigned(std::uint8_t(std::int8_t(o == ast::binary_op::add ? k : -k))));
        return;
    }
    int a = operand(l);
    int b = operand(r);
    emit_abc(binary_opcode(o), dst, a, b);
}

void compiler::compare_to(const ast::compare& c, int dst) {
    // a < b < c: each link is evaluated once; the chain stops at a false link.
    int mark = f_->top;
    int left = operand(*c.left);
    std::vector<jump> done;
    for (std::size_t i = 0; i < c.ops.size(); ++i) {
        int right = operand(*c.comparators[i]);
        emit_abc(compare_opcode(c.ops[i]), dst, left, right);
        if (i + 1 < c.ops.size()) {
            done.push_back(emit_cond_jump(op::JMPIFNOT, dst));
            // Keep the right operand: the next link compares it again.
            if (right == dst) {
                int t = temp();
                emit_abc(op::MOVE, t, right, 0);
                right = t;
            }
            left = right;
        }
    }
    patch_all_here(done);
    release(mark);
}

void compiler::logic_to(const ast::logic& l, int dst) {
    // `a or b` is a when a is true, else b (and the other way for `and`).
    std::vector<jump> done;
    op o = l.op == ast::logic_op::or_ ? op::JMPIF : op::JMPIFNOT;
    for (std::size_t i = 0; i < l.values.size(); ++i) {
        expr_to(*l.values[i], dst);
        if (i + 1 < l.values.size()) done.push_back(emit_cond_jump(o, dst));
    }
    patch_all_here(done);
}

void compiler::cond_jump(const ast::expr& e, bool jump_if, std::vector<jump>& out) {
    int mark = f_->top;
    if (e.is<ast::unary>() && e.as<ast::unary>().op == ast::unary_op::not_) {
        cond_jump(*e.as<ast::unary>().operand, !jump_if, out);
        return;
    }
    if (e.is<ast::bool_lit>()) {
        if (e.as<ast::bool_lit>().value == jump_if) out.push_back(emit_jump());
        return;
    }
    if (e.is<ast::logic>()) {
        const auto& l = e.as<ast::logic>();
        bool is_and = l.op == ast::logic_op::and_;
        if (is_and != jump_if) {
            // `a and b`, jump when false: any false operand jumps. (`or`,
            // jump when true: any true operand jumps.)
            for (const auto& v : l.values) cond_jump(*v, jump_if, out);
        } else {
            // `a and b`, jump when true: a false operand skips the rest.
            std::vector<jump> skip;
            for (std::size_t i = 0; i + 1 < l.values.size(); ++i) cond_jump(*l.values[i], !jump_if, skip);
            cond_jump(*l.values.back(), jump_if, out);
            patch_all_here(skip);
        }
        return;
    }
    if (e.is<ast::compare>() && e.as<ast::compare>().ops.size() == 1 && !jump_if) {
        const auto& c = e.as<ast::compare>();
        op fused;
        if (fused_false_jump(c.ops[0], fused)) {
            int a = operand(*c.left);
            int b = operand(*c.comparators[0]);
            set_line(e.pos);
            out.push_back(emit_fused_jump(fused, a, b));
            release(mark);
            return;
        }
    }
    int r = operand(e);
    out.push_back(emit_cond_jump(jump_if ? op::JMPIF : op::JMPIFNOT, r));
    release(mark);
}

void compiler::fstring_to(const ast::fstring& f, int dst) {
    if (f.parts.empty()) return (void)emit_abx(op::LOADK, dst, str_const(""));
    int first = temps(int(f.parts.size()));
    for (std::size_t i = 0; i < f.parts.size(); ++i) {
        const auto& part = f.parts[i];
        int r = first + int(i);
        if (!part.value) {
            emit_abx(op::LOADK, r, str_const(part.literal));
            continue;
        }
        expr_to(*part.value, r);
        if (part.conversion == 'r' || part.conversion == 'a') emit_abc(op::TOREPR, r, r, part.conversion == 'a');
        else if (part.conversion == 's') emit_abc(op::TOSTR, r, r, 0);
        if (part.spec) {
            int mark = f_->top;
            int spec = temp();
            expr_to(*part.spec, spec);
            emit_abc(op::FORMAT, r, r, spec);
            release(mark);
        } else if (part.conversion == 0) {
            emit_abc(op::TOSTR, r, r, 0);
        }
    }
    if (f.parts.size() == 1)
        emit_abc(op::MOVE, dst, first, 0);
    else
        emit_abc(op::CONCAT, dst, first, int(f.parts.size()));
}

// Three registers holding a slice's lower, upper and step (None when absent).
int compiler::slice_bounds(const ast::slice& sl) {
    int bounds = temps(3);
    const ast::expr* parts[3] = {sl.lower.get(), sl.upper.get(), sl.step.get()};
    for (int i = 0; i < 3; ++i) {
        if (parts[i])
            expr_to(*parts[i], bounds + i);
        else
            emit_abc(op::LOADNONE, bounds + i, 0, 0);
    }
    return bounds;
}

void compiler::subscript_to(const ast::subscript& s, int dst) {
    int obj = operand(*s.value);
    if (s.index->is<ast::slice>()) {
        int bounds = slice_bounds(s.index->as<ast::slice>());
        set_line(s.pos);
        emit_abc(op::SLICE, dst, obj, bounds);
        return;
    }
    int index = operand(*s.index);
    set_line(s.pos);
    emit_abc(op::GETITEM, dst, obj, index);
}

// -- functions and calls --------------------------------------------------------------

void compiler::lambda_to(const ast::lambda& l, int dst) {
    closure_to(&l, "<lambda>", l.pos, l.params, nullptr, l.body.get(), dst);
}

void compiler::closure_to(const void* node, const std::string& name, source_pos pos, const ast::parameters& params,
                          const ast::block* body, const ast::expr* expr_body, int dst) {
    // Defaults are evaluated now, in the enclosing function, into the
    // registers after the new function's.
    int mark = f_->top;
    int base = temp();
    std::vector<const ast::expr*> defaults;
    for (const auto& x : params.positional)
        if (x.default_value) defaults.push_back(x.default_value.get());
    int ndefault_regs = int(defaults.size() + params.kwonly.size());
    int first = temps(ndefault_regs);
    for (std::size_t i = 0; i < defaults.size(); ++i) expr_to(*defaults[i], first + int(i));
    for (std::size_t i = 0; i < params.kwonly.size(); ++i) {
        int r = first + int(defaults.size() + i);
        if (params.kwonly[i].default_value)
            expr_to(*params.kwonly[i].default_value, r);
        else
            emit_abc(op::LOADEMPTY, r, 0, 0);
    }

    function_state* outer = f_;
    function_state fs;
    proto& p = begin_function(fs, node, name, pos, &params);
    if (body) {
        block(*body);
    } else {
        set_line(expr_body->pos);
        int r = operand(*expr_body);
        emit_abc(op::RETURN, r, 0, 0);
    }
    end_function();

    // Where each captured name comes from, in the creating function.
    for (const std::string& n : fs.scope->frees) {
        place pl = resolve(n);
        if (pl.w == where::cell_reg)
            p.captures.push_back(capture_desc{true, std::uint8_t(pl.index)});
        else if (pl.w == where::free)
            p.captures.push_back(capture_desc{false, std::uint8_t(pl.index)});
        else
            error(pos, "internal error: captured name '" + n + "' is not a cell");
    }
    auto& kids = outer->p->children;
    kids.push_back(&p);
    set_line(pos);
    emit_abx(op::CLOSURE, base, unsigned(kids.size() - 1));
    if (base != dst) emit_abc(op::MOVE, dst, base, 0);
    release(mark);
}

bool compiler::simple_call(const ast::call& c) const {
    if (!c.keywords.empty()) return false;
    for (const auto& a : c.args)
        if (a->is<ast::starred>()) return false;
    return c.args.size() < 200;
}

// The keywords of a call to R[callee], in a dict. After a **mapping, a
// named keyword goes through KWUPDATE too, so that a name given twice is
// an error however it came.
void compiler::kwargs_dict(const ast::call& c, int dst, int callee) {
    if (c.keywords.empty()) return emit_abc(op::LOADNONE, dst, 0, 0);
    emit_abc(op::BUILDDICT, dst, 0, 0);
    bool spread = false;
    for (const auto& k : c.keywords) {
        int mark = f_->top;
        if (k.name.empty()) {  // **mapping
            spread = true;
            int m = operand(*k.value);
            set_line(k.pos);
            emit_abc(op::KWUPDATE, dst, m, callee);
        } else if (spread) {
            int one = temps(3);
            emit_abx(op::LOADK, one + 1, str_const(k.name));
            expr_to(*k.value, one + 2);
            emit_abc(op::BUILDDICT, one, one + 1, 1);
            emit_abc(op::KWUPDATE, dst, one, callee);
        } else {
            int key = temp();
            emit_abx(op::LOADK, key, str_const(k.name));
            int v = operand(*k.value);
            emit_abc(op::SETITEM, dst, key, v);
        }
        release(mark);
    }
}

void compiler::call_to(const ast::call& c, int dst, bool tail) {
    int mark = f_->top;
    int base = temp();
    bool method = c.func->is<ast::attribute>();
    if (simple_call(c)) {
        if (method) expr_to(*c.func->as<ast::attribute>().value, base);
        else expr_to(*c.func, base);
        int first = temps(int(c.args.size()));
        for (std::size_t i = 0; i < c.args.size(); ++i) expr_to(*c.args[i], first + int(i));
        set_line(c.pos);
        if (method) {
            emit_abc(op::CALLMETHOD, base, int(c.args.size()), 0);
            emit(attr_index(c.func->as<ast::attribute>().attr));
        } else {
            emit_abc(tail ? op::TAILCALL : op::CALL, base, int(c.args.size()), 0);
            // A builtin is not tail-called (the VM calls it as CALL would, so
            // that it can wait or yield): this returns its result.
            if (tail) emit_abc(op::RETURN, base, 0, 0);
        }
    } else {
        expr_to(*c.func, base);
        int args = temps(2);
        sequence_to(c.args, args, true);
        kwargs_dict(c, args + 1, base);
        set_line(c.pos);
        emit_abc(op::CALLEX, base, 0, 0);
        if (tail) emit_abc(op::RETURN, base, 0, 0);  // keyword calls are not tail calls
    }
    if (base != dst && !tail) emit_abc(op::MOVE, dst, base, 0);
    release(mark);
}

}  // namespace weft::interp::detail
