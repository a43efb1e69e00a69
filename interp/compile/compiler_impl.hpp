// compiler_impl.hpp: the compiler's private state, shared by its parts:
// compiler.cpp (functions, names, constants, emitting), compiler_expr.cpp,
// compiler_display.cpp, compiler_stmt.cpp and compiler_pattern.cpp.
//
// Registers: a function's locals take R[0 .. nlocals) (parameters first);
// temporaries are stacked above (`top`) and released in LIFO order by
// resetting `top` to a mark. A comprehension's targets get fresh registers
// for the comprehension's lifetime (an overlay on the function's names).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "interp/compile/code.hpp"
#include "interp/compile/compiler.hpp"
#include "interp/compile/opcodes.hpp"
#include "interp/compile/receive_table.hpp"
#include "interp/compile/scope.hpp"
#include "interp/syntax/ast.hpp"

namespace weft::interp::detail {

inline constexpr int max_registers = 250;

// compiler_pattern.cpp: the type a type pattern names (`int(n)`), and why a
// pattern always matches ("name capture 'x'", "wildcard"), or "".
bool type_tag_named(const std::string& name, type_tag& out);
std::string irrefutable(const ast::pattern& p);

// A jump whose offset is patched once its target is known.
struct jump {
    enum form : std::uint8_t { sj, sbx, word };
    std::uint32_t at;  // index of the word holding the offset
    form f;
};

// The pcs a try statement's handler covers: closed segments, plus an open one
// from open_start while not suspended (code inlined from a finally block for
// a return or break must not be covered by the handlers it leaves).
struct protected_range {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> segments;
    std::uint32_t open_start = 0;
    bool open = true;
};

struct try_context {
    protected_range range;
    const ast::block* finalbody = nullptr;  // null when there is no finally
    // A with statement's item is a try whose finally exits it: the
    // register holding the value to exit, and the statement (its line).
    int with_manager = -1;
    const ast::with_stmt* with = nullptr;
    bool has_finally() const noexcept { return finalbody || with; }
    std::size_t loop_depth = 0;     // loops open when the try started
    std::size_t handled_depth = 0;  // except clauses open when it started
};

struct loop_context {
    std::vector<jump> breaks;
    std::vector<jump> continues;
    std::size_t try_depth;  // tries open when the loop started
};

struct function_state {
    proto* p = nullptr;
    const scope_info* scope = nullptr;
    std::unordered_map<std::string, int> regs;   // locals (not the module's)
    std::unordered_set<std::string> cell_names;  // locals whose register holds a cell
    std::vector<std::unordered_map<std::string, int>> overlays;  // comprehension targets
    std::unordered_set<std::string> bound;       // definitely assigned here
    int top = 0;
    std::vector<loop_context> loops;
    std::vector<try_context> tries;
    std::vector<int> handled;  // registers of the exceptions being handled (bare raise)
    std::uint32_t line = 0;
    std::unordered_map<std::string, int> str_consts;
    std::unordered_map<std::uint64_t, int> word_consts;
};

class compiler {
public:
    compiler(program& prog, module& mod, const ast::module& tree, const import_resolver& imports);
    // The module's body, or with a `display` function one input of the
    // shell's (see compile_input).
    const proto& compile(value display);

private:
    // -- compiler.cpp ------------------------------------------------------------
    proto& begin_function(function_state& fs, const void* node, std::string name, source_pos pos,
                          const ast::parameters* params);
    void end_function();
    [[noreturn]] void error(source_pos pos, std::string message) const;
    void set_line(source_pos pos) { f_->line = pos.line; }
    std::uint32_t pc() const { return std::uint32_t(f_->p->code.size()); }
    void emit(instr::word w);
    void emit_abc(op o, int a, int b, int c) { emit(instr::abc(o, unsigned(a), unsigned(b), unsigned(c))); }
    void emit_abx(op o, int a, unsigned bx) { emit(instr::abx(o, unsigned(a), bx)); }
    jump emit_jump();                         // JMP, to be patched
    jump emit_cond_jump(op o, int a);         // JMPIF / JMPIFNOT
    jump emit_fused_jump(op o, int b, int c); // JNLT ... with its offset word
    jump emit_extra_jump();                   // the offset word after a TEST* / DICTLOOKUP
    void patch(jump j, std::uint32_t target);
    void patch_here(jump j) { patch(j, pc()); }
    void patch_all_here(std::vector<jump>& js);
    void jump_back(std::uint32_t target);

    int temp();
    int temps(int n);  // n consecutive; returns the first
    void release(int mark) { f_->top = mark; }
    void check_registers(int n);

    unsigned konst(value v);
    unsigned str_const(std::string_view s);
    void load_const(value v, int dst);
    unsigned global_slot(const std::string& name);
    unsigned attr_index(const std::string& name) { return prog_.intern_attr(name); }

    // Names: find, read, write.
    enum class where { reg, cell_reg, free, global, builtin };
    struct place {
        where w;
        int index;
        const builtin_def* builtin = nullptr;
    };
    place resolve(const std::string& name);
    void load_name(const std::string& name, source_pos pos, int dst);
    int name_operand(const std::string& name, source_pos pos);  // -1: not a plain register
    void store_name(const std::string& name, int src);

    // -- compiler_expr.cpp -------------------------------------------------------
    void expr_to(const ast::expr& e, int dst);
    int operand(const ast::expr& e);  // a register holding e (a local's own, or a new temp)
    void binary_to(ast::binary_op o, const ast::expr& l, const ast::expr& r, int dst);
    void compare_to(const ast::compare& c, int dst);
    void logic_to(const ast::logic& l, int dst);
    void call_to(const ast::call& c, int dst, bool tail);  // tail: TAILCALL, no result
    bool simple_call(const ast::call& c) const;
    void kwargs_dict(const ast::call& c, int dst, int callee);
    void fstring_to(const ast::fstring& f, int dst);
    void lambda_to(const ast::lambda& l, int dst);
    void closure_to(const void* node, const std::string& name, source_pos pos, const ast::parameters& params,
                    const ast::block* body, const ast::expr* expr_body, int dst);
    void subscript_to(const ast::subscript& s, int dst);
    int slice_bounds(const ast::slice& sl);
    static bool is_const_int(const ast::expr& e, std::int64_t lo, std::int64_t hi, std::int64_t& out);
    // Conditions: jumps taken when e is (jump_if) true or false.
    void cond_jump(const ast::expr& e, bool jump_if, std::vector<jump>& out);

    // -- compiler_display.cpp ----------------------------------------------------
    void sequence_to(const std::vector<ast::expr_ptr>& elts, int dst, bool tuple);
    void dict_to(const ast::dict_expr& d, int dst);
    void set_to(const std::vector<ast::expr_ptr>& elts, int dst);
    // What a comprehension builds.
    enum class built { list, dict, set };
    void comprehension_to(const void* node, const std::vector<ast::comp_for>& gens, const ast::expr* key,
                          const ast::expr& elt, int dst, built kind);
    void comprehension_level(const void* node, const std::vector<ast::comp_for>& gens, std::size_t i,
                             const ast::expr* key, const ast::expr& elt, int result, built kind);

    // -- compiler_stmt.cpp -------------------------------------------------------
    void block(const ast::block& b);
    void stmt(const ast::stmt& s);
    void assign_to(const ast::expr& target, int src);
    void unpack_to(const std::vector<ast::expr_ptr>& elts, source_pos pos, int src);
    void aug_assign(const ast::aug_assign& a);
    void del_target(const ast::expr& t);
    void aug_binary(const ast::aug_assign& a, int dst);
    void if_stmt(const ast::if_stmt& s);
    void while_stmt(const ast::while_stmt& s);
    void for_stmt(const ast::for_stmt& s);
    bool range_call(const ast::expr& e);  // a call of the builtin range()
    void loop_exit(bool is_break, source_pos pos);
    void return_stmt(const ast::return_stmt& r);
    void def_stmt(const ast::def_stmt& d);
    void try_stmt(const ast::try_stmt& t);
    void with_stmt(const ast::with_stmt& s, std::size_t item);
    void finally_body(const try_context& t);
    void run_finally_blocks(std::size_t down_to);
    void emit_finally(std::size_t k);
    void add_handlers(protected_range& r, std::uint32_t target, int reg);
    void raise_stmt(const ast::raise_stmt& r);
    void assert_stmt(const ast::assert_stmt& a);
    void import_stmt(const ast::import_stmt& i);
    void branch_bound(const std::function<void()>& body);

    // -- compiler_pattern.cpp ----------------------------------------------------
    void match_stmt(const ast::match_stmt& m);
    // CPython's checks on a statement's patterns (names, reachability).
    void check_cases(const std::vector<ast::match_case>& cases);
    void check_pattern(const ast::pattern& p, std::vector<std::string>& names);
    void pattern(const ast::pattern& p, int subject, std::vector<jump>& fail);
    void bind_capture(const std::string& name, int src);

    // -- compiler_receive.cpp ----------------------------------------------------
    struct receive_case_regs {
        std::vector<std::pair<std::string, int>> captures;  // name -> register, in pattern order
    };
    void receive_stmt(const ast::receive_stmt& r);
    void receive_pattern(const ast::pattern& p, std::vector<recv_node>& out, receive_case_regs& regs);
    std::uint8_t capture_register(const std::string& name, receive_case_regs& regs);
    std::uint8_t needed_register(const ast::expr* guard, const std::vector<receive_case_regs>& all,
                                 const receive_case_regs& own);

    program& prog_;
    module& mod_;
    const ast::module& tree_;
    const import_resolver& imports_;
    scope_table scopes_;
    function_state* f_ = nullptr;
    std::vector<function_state*> stack_;  // enclosing functions, innermost last
    value display_ = value::empty();      // the shell's: called with each module-level expression's value
};

}  // namespace weft::interp::detail
