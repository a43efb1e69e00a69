// code.hpp: compiled Weft code: protos (one per function body), modules and
// the program that owns them.
//
// Everything here is built once by the loader (loader.cpp) and then only
// read, by any number of VMs on any threads at once: compile once, run in
// many heaps. Constants and module globals are frozen values in the program's
// arena; a proto never points into an actor's heap. Nothing here may be
// mutated after program::load returns.
//
// The instruction set is opcodes.hpp; how a frame uses its registers is vm.hpp.
#pragma once
#include <cstdint>
#include <atomic>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interp/compile/receive_table.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

struct module;

// pcs [start, end) are covered by the handler at `target`, which finds the
// exception in register `reg`. Inner handlers come first.
struct handler_entry {
    std::uint32_t start, end, target;
    std::uint8_t reg;
};

// The line of the instructions from `pc` up to the next entry's pc.
struct line_entry {
    std::uint32_t pc, line;
};

// Where a closure's captured cell comes from when CLOSURE makes it: a
// register of the creating frame (which holds a cell) or one of the creating
// function's own captured cells.
struct capture_desc {
    bool from_register;
    std::uint8_t index;
};

struct proto {
    std::string name;         // "f", "<lambda>", "<module>", "<listcomp>"
    const module* mod = nullptr;
    std::uint32_t id = 0;     // index in program::protos (traceback locations)
    std::uint32_t first_line = 0;

    // Parameters take the first registers: positional ones, then the *args
    // tuple when has_vararg, then keyword-only ones, then the **kwargs dict
    // when has_varkw.
    std::uint8_t npositional = 0;
    std::uint8_t ndefaults = 0;    // defaults of the last positional params
    bool has_vararg = false;
    std::uint8_t nkwonly = 0;      // their defaults follow (empty(): required)
    bool has_varkw = false;
    std::uint8_t nregs = 0;        // the frame's size
    std::vector<std::string> param_names;

    std::vector<std::uint32_t> code;
    std::vector<value> consts;     // frozen
    std::vector<line_entry> lines;
    std::vector<handler_entry> handlers;
    std::vector<capture_desc> captures;  // the closure's cells, in slot order
    std::vector<const proto*> children;  // CLOSURE operands
    std::vector<recv_table> receives;    // RECVBEGIN / RECVMATCH operands

    std::uint32_t nparams() const noexcept {
        return npositional + (has_vararg ? 1u : 0u) + nkwonly + (has_varkw ? 1u : 0u);
    }
    // Only positional parameters: a call with as many arguments binds them
    // as they are (the VM's fast path).
    bool plain_params() const noexcept { return !has_vararg && nkwonly == 0 && !has_varkw; }
    // The default slots a closure of this proto has: positional and kw-only.
    std::uint32_t ndefault_slots() const noexcept { return ndefaults + nkwonly; }
    std::uint32_t line_at(std::uint32_t pc) const noexcept;
};

struct module {
    std::string name;    // "prog", "util"
    std::string file;    // as errors show it
    std::string source;  // for traceback lines
    // FNV-1a of the source: a function spawned on another node runs only
    // where its module has the same code (native modules: 0).
    std::uint64_t code_hash = 0;
    const proto* body = nullptr;
    std::vector<std::string> global_names;
    std::unordered_map<std::string, std::uint32_t> global_index;
    // Unbound globals hold value::empty(). Written only while the module's
    // body runs at load time, then frozen (every value in the arena).
    mutable std::vector<value> globals;
    value self;  // the frozen module value scripts see after `import`

    // The shell's module (interp/load/shell_program.hpp) binds names after
    // its program's actors have started, and actors on other threads read
    // its globals (a function defined at the prompt and spawned). So its
    // SETGLOBAL freezes each value into this arena first (a global never
    // points into the shell's heap), its slots are reserved up front (they
    // never move), and its names are added under names_lock. Null for every
    // module a program loads: they change only before any actor runs.
    frozen_arena* live_arena = nullptr;
    mutable std::shared_mutex names_lock;

    // The slot of the global `name`, or no_slot; safe on any thread.
    static constexpr std::uint32_t no_slot = UINT32_MAX;
    std::uint32_t slot_of(std::string_view global) const;
    // The slot of `name`, made (unbound) if new. The compiler's; a live
    // module throws std::length_error when its reserved slots are used up.
    std::uint32_t add_global(std::string_view global);

    // The source line `line` (1-based) without its indentation, or "".
    std::string_view source_line(std::uint32_t line) const noexcept;
};

// A traceback location: which proto and which line, packed in a small int.
inline std::int64_t pack_location(std::uint32_t proto_id, std::uint32_t line) noexcept {
    return (std::int64_t(proto_id) << 28) | std::int64_t(line & 0x0fff'ffff);
}
inline std::uint32_t location_proto(std::int64_t loc) noexcept { return std::uint32_t(loc >> 28); }
inline std::uint32_t location_line(std::int64_t loc) noexcept { return std::uint32_t(loc & 0x0fff'ffff); }

// A loaded program: its modules (the main one first), their protos, the
// constants arena, and one frozen value per builtin. It is built against its
// globals: the native modules whose names every module sees without an
// import (the loader passes the builtins module and the actor builtins; the
// builtins module must be among them).
class program {
public:
    explicit program(std::span<const native_module* const> globals);
    program(const program&) = delete;
    program& operator=(const program&) = delete;

    frozen_arena& arena() noexcept { return arena_; }
    const module& main_module() const noexcept { return *modules_.front(); }
    const module* find_module(std::string_view name) const noexcept;
    const proto& proto_by_id(std::uint32_t id) const noexcept { return *protos_[id]; }
    std::size_t proto_count() const noexcept { return proto_count_.load(std::memory_order_acquire); }

    // The frozen value of a builtin function or type (made once, here).
    value builtin_value(const builtin_def* def) const noexcept;
    // The native module a builtin of this program comes from ("builtins",
    // "math"): how a builtin travels in a message. find_builtin undoes it.
    const char* builtin_module(const builtin_def* def) const noexcept;
    const builtin_def* find_builtin(std::string_view module, std::string_view name) const noexcept;
    // A builtin of the globals by name (len, ValueError, spawn), or null.
    const builtin_def* global_builtin(std::string_view name) const noexcept;
    // The exception class a script_error's kind names ("KeyError"); classes
    // the globals lack (a library's own) fall back to RuntimeError.
    const builtin_def* exception_class_for(std::string_view kind) const noexcept;
    // A str of one code point below 128, shared (iterating ASCII text allocates nothing).
    value ascii_char(unsigned char c) const noexcept { return ascii_[c]; }
    // MemoryError's preallocated instance: raising it must not allocate.
    value memory_error() const noexcept { return memory_error_; }

    // Attribute and method names used by the code, by the index GETATTR and
    // CALLMETHOD carry.
    const std::string& attr_name(std::uint32_t i) const noexcept { return attr_names_[i]; }
    // The method named by attribute i for this receiver (str, bytes, list,
    // dict), or null. Looked up once, when the name was interned.
    const builtin_def* method(std::uint32_t i, value receiver) const noexcept;

    // -- building (the loader and compiler only) --------------------------------
    // A program that grows while its actors run (the shell's): makes room for
    // this many protos, modules and attribute names up front, so that adding
    // one never moves what running actors read (each is written before any
    // actor can learn of it). Past the room, the builders throw
    // std::length_error instead of moving the tables.
    void reserve_for_growth(std::size_t protos, std::size_t modules, std::size_t attrs);
    proto& new_proto();
    module& new_module();
    std::uint32_t intern_attr(std::string_view name);
    // Makes the frozen values of a native module's builtins (for `import`).
    void add_builtins(const native_module& mod);
    // Learns a native module's kinds of port (every module the loader may
    // import, so that a port in a message has its methods anywhere).
    void add_port_types(const native_module& mod);
    // The type of port `kind`, or null when no module has it.
    const resource_type* port_type(std::uint8_t kind) const noexcept;
    // A rebuilt type (native_module::rebuilt) by its module's name and its
    // class's name, as a message names it, or null; and the module's name of
    // one (how it travels).
    const resource_type* rebuilt_type(std::string_view module, std::string_view cls) const noexcept;
    const char* rebuilt_module(const resource_type* type) const noexcept;
    // The state of a native module the program has learned of
    // (native_module::make_state), or null. Made at load and never replaced:
    // reading it needs no lock.
    native_state* module_state(const native_module& mod) const noexcept;

private:
    frozen_arena arena_;
    std::vector<std::unique_ptr<proto>> protos_;
    std::atomic<std::size_t> proto_count_{0};  // protos_.size(), readable while the shell adds one
    bool growing_ = false;                     // reserve_for_growth was called
    std::vector<std::unique_ptr<module>> modules_;
    std::vector<const native_module*> globals_;
    std::unordered_map<std::string_view, const builtin_def*> global_names_;
    struct builtin_entry {
        value v;
        const char* module;
    };
    std::unordered_map<const builtin_def*, builtin_entry> builtins_;
    std::vector<std::string> attr_names_;
    std::unordered_map<std::string, std::uint32_t> attr_index_;
    struct method_row {
        const builtin_def *str, *bytes, *list, *dict, *set, *frozenset;
    };
    std::vector<method_row> methods_;  // by attribute index
    // Receivers for find_method.
    value sample_str_, sample_bytes_, sample_list_, sample_dict_, sample_set_, sample_frozenset_;
    value ascii_[128];
    value memory_error_;
    std::vector<const resource_type*> port_types_;
    struct rebuilt_entry {
        const resource_type* type;
        const char* module;
    };
    std::vector<rebuilt_entry> rebuilt_types_;
    struct state_entry {
        const native_module* mod;
        std::unique_ptr<native_state> state;
    };
    std::vector<state_entry> states_;  // a few at most: a scan is fastest
    void add_state(const native_module& mod);
};

}  // namespace weft::interp
