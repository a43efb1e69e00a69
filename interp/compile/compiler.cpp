// compiler.cpp: the compiler's frame: functions and their registers, names,
// constants, and emitting and patching instructions. The tree walks are in
// compiler_expr.cpp, compiler_stmt.cpp and compiler_pattern.cpp.
#include <algorithm>
#include <cstring>

#include <gmp.h>

#include "interp/compile/compiler_impl.hpp"
#include "interp/objects/builtin_def.hpp"
#include "interp/syntax/syntax_error.hpp"

namespace weft::interp {

void compile_module(program& prog, module& mod, const ast::module& tree, const import_resolver& imports) {
    detail::compiler c(prog, mod, tree, imports);
    c.compile(value::empty());
}

const proto& compile_input(program& prog, module& mod, const ast::module& tree, const import_resolver& imports,
                           value display) {
    detail::compiler c(prog, mod, tree, imports);
    return c.compile(display);
}

namespace detail {

compiler::compiler(program& prog, module& mod, const ast::module& tree, const import_resolver& imports)
    : prog_(prog), mod_(mod), tree_(tree), imports_(imports), scopes_(tree) {}

const proto& compiler::compile(value display) {
    display_ = display;
    function_state fs;
    proto& p = begin_function(fs, &tree_, "<module>", source_pos{1, 1}, nullptr);
    block(tree_.body);
    end_function();
    if (display.is_empty()) mod_.body = &p;
    return p;
}

void compiler::error(source_pos pos, std::string message) const { throw syntax_error(mod_.file, pos, std::move(message)); }

// -- functions ------------------------------------------------------------------

proto& compiler::begin_function(function_state& fs, const void* node, std::string name, source_pos pos,
                                const ast::parameters* params) {
    proto& p = prog_.new_proto();
    p.name = std::move(name);
    p.mod = &mod_;
    p.first_line = pos.line;
    fs.p = &p;
    fs.scope = &scopes_.of(node);
    fs.line = pos.line;
    stack_.push_back(f_);
    f_ = &fs;

    int next = 0;
    auto add_local = [&](const std::string& n) {
        if (fs.regs.emplace(n, next).second) ++next;
    };
    if (params) {
        for (const auto& x : params->positional) add_local(x.name);
        if (params->has_star && !params->vararg.empty()) add_local(params->vararg);
        for (const auto& x : params->kwonly) add_local(x.name);
        if (!params->varkw.empty()) add_local(params->varkw);
        if (next > 255) error(pos, "too many parameters");
        p.npositional = std::uint8_t(params->positional.size());
        p.ndefaults = std::uint8_t(std::count_if(params->positional.begin(), params->positional.end(),
                                                 [](const ast::param& x) { return x.default_value != nullptr; }));
        p.has_vararg = params->has_star && !params->vararg.empty();
        p.nkwonly = std::uint8_t(params->kwonly.size());
        for (const auto& x : params->positional) p.param_names.push_back(x.name);
        if (p.has_vararg) p.param_names.push_back(params->vararg);
        for (const auto& x : params->kwonly) p.param_names.push_back(x.name);
        p.has_varkw = !params->varkw.empty();
        if (p.has_varkw) p.param_names.push_back(params->varkw);
        for (const auto& x : p.param_names) fs.bound.insert(x);
    }
    if (!fs.scope->is_module) {
        std::vector<std::string> others;
        for (const auto& n : fs.scope->assigned)
            if (!fs.regs.count(n)) others.push_back(n);
        std::sort(others.begin(), others.end());  // deterministic registers
        for (const auto& n : others) add_local(n);
    }
    fs.top = next;
    check_registers(next);
    for (const auto& n : fs.scope->cells) {
        auto it = fs.regs.find(n);
        if (it == fs.regs.end()) continue;
        fs.cell_names.insert(n);
        emit_abc(op::NEWCELL, it->second, 0, 0);
    }
    return p;
}

void compiler::end_function() {
    emit_abc(op::RETURNNONE, 0, 0, 0);
    f_ = stack_.back();
    stack_.pop_back();
}

void compiler::check_registers(int n) {
    if (n > max_registers)
        error(source_pos{f_->p->first_line, 1},
              "function '" + f_->p->name + "' is too complex (it needs more than 250 registers)");
    if (n > f_->p->nregs) f_->p->nregs = std::uint8_t(n);
}

int compiler::temp() { return temps(1); }

int compiler::temps(int n) {
    int first = f_->top;
    f_->top += n;
    check_registers(f_->top);
    return first;
}

// -- emitting -----------------------------------------------------------------------

void compiler::emit(instr::word w) {
    proto& p = *f_->p;
    if (p.lines.empty() || p.lines.back().line != f_->line) {
        if (!p.lines.empty() && p.lines.back().pc == p.code.size())
            p.lines.back().line = f_->line;
        else
            p.lines.push_back(line_entry{std::uint32_t(p.code.size()), f_->line});
    }
    p.code.push_back(w);
}

jump compiler::emit_jump() {
    emit(instr::sj(op::JMP, 0));
    return jump{pc() - 1, jump::sj};
}

jump compiler::emit_cond_jump(op o, int a) {
    emit(instr::asbx(o, unsigned(a), 0));
    return jump{pc() - 1, jump::sbx};
}

jump compiler::emit_fused_jump(op o, int b, int c) {
    emit_abc(o, 0, b, c);
    return emit_extra_jump();
}

jump compiler::emit_extra_jump() {
    emit(0);
    return jump{pc() - 1, jump::word};
}

void compiler::patch(jump j, std::uint32_t target) {
    std::int64_t offset = std::int64_t(target) - std::int64_t(j.at + 1);
    auto& code = f_->p->code;
    switch (j.f) {
    case jump::sj:
        if (offset < instr::sj_min || offset > instr::sj_max) error({f_->line, 1}, "function is too large");
        code[j.at] = instr::sj(op::JMP, std::int32_t(offset));
        break;
    case jump::sbx:
        if (offset < instr::sbx_min || offset > instr::sbx_max)
            error({f_->line, 1}, "function is too large (a jump spans more than 32767 instructions)");
        code[j.at] = instr::asbx(instr::opcode(code[j.at]), instr::a(code[j.at]), std::int32_t(offset));
        break;
    case jump::word: code[j.at] = instr::word(std::int32_t(offset)); break;
    }
}

void compiler::patch_all_here(std::vector<jump>& js) {
    for (jump j : js) patch_here(j);
    js.clear();
}

void compiler::jump_back(std::uint32_t target) { patch(emit_jump(), target); }

// -- constants ---------------------------------------------------------------------

unsigned compiler::konst(value v) {
    auto& consts = f_->p->consts;
    if (!v.is_obj()) {
        auto [it, fresh] = f_->word_consts.emplace(v.bits(), int(consts.size()));
        if (!fresh) return unsigned(it->second);
    }
    if (consts.size() > 0xffff) error({f_->line, 1}, "too many constants in one function");
    consts.push_back(v);
    return unsigned(consts.size() - 1);
}

unsigned compiler::str_const(std::string_view s) {
    auto it = f_->str_consts.find(std::string(s));
    if (it != f_->str_consts.end()) return unsigned(it->second);
    unsigned k = konst(prog_.arena().alloc_str(s));
    f_->str_consts.emplace(std::string(s), int(k));
    return k;
}

void compiler::load_const(value v, int dst) {
    if (v.is_none()) return emit_abc(op::LOADNONE, dst, 0, 0);
    if (v.is_true()) return emit_abc(op::LOADTRUE, dst, 0, 0);
    if (v.is_false()) return emit_abc(op::LOADFALSE, dst, 0, 0);
    if (v.is_int() && v.as_int() >= instr::sbx_min && v.as_int() <= instr::sbx_max)
        return emit(instr::asbx(op::LOADI, unsigned(dst), std::int32_t(v.as_int())));
    emit_abx(op::LOADK, dst, konst(v));
}

unsigned compiler::global_slot(const std::string& name) {
    try {
        return mod_.add_global(name);
    } catch (const std::length_error& e) {  // the shell's module is full
        error({f_ ? f_->line : 1, 1}, e.what());
    }
}

// -- names --------------------------------------------------------------------------

namespace {
constexpr int overlay_cell = 0x1000;
}

compiler::place compiler::resolve(const std::string& name) {
    for (auto it = f_->overlays.rbegin(); it != f_->overlays.rend(); ++it) {
        auto found = it->find(name);
        if (found == it->end()) continue;
        int r = found->second;
        return (r & overlay_cell) ? place{where::cell_reg, r & ~overlay_cell} : place{where::reg, r};
    }
    if (auto it = f_->regs.find(name); it != f_->regs.end())
        return place{f_->cell_names.count(name) ? where::cell_reg : where::reg, it->second};
    if (auto it = f_->scope->free_index.find(name); it != f_->scope->free_index.end())
        return place{where::free, it->second};
    // A name an earlier input at the shell's prompt bound (`len = 3`) is a
    // global there, as the module's own assignments are.
    if (!scopes_.module_scope().assigned.count(name) && (!mod_.live_arena || mod_.slot_of(name) == module::no_slot))
        if (const builtin_def* b = prog_.global_builtin(name)) return place{where::builtin, 0, b};
    return place{where::global, int(global_slot(name))};
}

void compiler::load_name(const std::string& name, source_pos pos, int dst) {
    set_line(pos);
    place pl = resolve(name);
    switch (pl.w) {
    case where::reg:
        if (name_operand(name, pos) != dst) emit_abc(op::MOVE, dst, pl.index, 0);
        break;
    case where::cell_reg:
        emit_abc(op::GETCELL, dst, pl.index, 0);
        emit(str_const(name));
        break;
    case where::free:
        emit_abc(op::GETFREE, dst, pl.index, 0);
        emit(str_const(name));
        break;
    case where::global: emit_abx(op::GETGLOBAL, dst, unsigned(pl.index)); break;
    case where::builtin: emit_abx(op::LOADK, dst, konst(prog_.builtin_value(pl.builtin))); break;
    }
}

int compiler::name_operand(const std::string& name, source_pos pos) {
    place pl = resolve(name);
    if (pl.w != where::reg) return -1;
    if (!f_->bound.count(name)) {
        set_line(pos);
        emit_abx(op::CHECKBOUND, pl.index, str_const(name));
        if (!f_->scope->deleted.count(name)) f_->bound.insert(name);  // `del` may unbind it again
    }
    return pl.index;
}

void compiler::store_name(const std::string& name, int src) {
    place pl = resolve(name);
    switch (pl.w) {
    case where::reg:
        if (pl.index != src) emit_abc(op::MOVE, pl.index, src, 0);
        if (!f_->scope->deleted.count(name)) f_->bound.insert(name);
        break;
    case where::cell_reg: emit_abc(op::SETCELL, pl.index, src, 0); break;
    case where::free: emit_abc(op::SETFREE, src, pl.index, 0); break;
    case where::global:
    case where::builtin: emit_abx(op::SETGLOBAL, src, global_slot(name)); break;
    }
}

}  // namespace detail
}  // namespace weft::interp
