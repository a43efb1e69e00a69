// code.cpp: the program's tables: protos, modules, builtin values, interned
// attribute names, and the small lookups tracebacks need.
#include "interp/compile/code.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "interp/compile/opcodes.hpp"
#include "interp/objects/natives.hpp"

namespace weft::interp {

const char* opcode_name(op o) noexcept {
    static constexpr const char* names[] = {
#define WEFT_OPCODE_NAME(name, doc) #name,
        WEFT_OPCODES(WEFT_OPCODE_NAME)
#undef WEFT_OPCODE_NAME
    };
    return unsigned(o) < std::size(names) ? names[unsigned(o)] : "?";
}

std::uint32_t proto::line_at(std::uint32_t pc) const noexcept {
    auto it = std::upper_bound(lines.begin(), lines.end(), pc,
                               [](std::uint32_t x, const line_entry& e) { return x < e.pc; });
    return it == lines.begin() ? first_line : std::prev(it)->line;
}

std::string_view module::source_line(std::uint32_t line) const noexcept {
    std::string_view s = source;
    for (std::uint32_t i = 1; i < line; ++i) {
        auto nl = s.find('\n');
        if (nl == std::string_view::npos) return {};
        s.remove_prefix(nl + 1);
    }
    s = s.substr(0, s.find('\n'));
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\f')) s.remove_prefix(1);
    return s;
}

namespace {

value make_builtin_value(frozen_arena& arena, const builtin_def* def) {
    // A native object in the arena: built on a scratch heap, then frozen
    // (frozen_arena::freeze copies natives whole, raw bytes included).
    heap scratch;
    value v = alloc_native(scratch, native_kind::builtin, 0, sizeof(const builtin_def*));
    set_native_raw(v, def);
    return arena.freeze(v);
}

}  // namespace

program::program(std::span<const native_module* const> globals) : globals_(globals.begin(), globals.end()) {
    for (const native_module* mod : globals_) {
        add_builtins(*mod);
        for (const builtin_def* def : mod->functions) global_names_.emplace(def->name, def);
    }
    const builtin_def* memory_error = global_builtin("MemoryError");
    if (!memory_error || !exception_class_for("RuntimeError"))
        throw std::logic_error("a program needs the builtins module among its globals");
    for (unsigned c = 0; c < 128; ++c) {
        char ch = char(c);
        ascii_[c] = arena_.alloc_str(std::string_view(&ch, 1));
    }
    // MemoryError() with no traceback: raising it must not need the heap.
    heap scratch;
    rooted cls(scratch, builtin_value(memory_error));
    rooted args(scratch, scratch.alloc_tuple(0));
    value e = alloc_native(scratch, native_kind::exception, exc_slot::count, 0);
    as_native(e)->slots()[exc_slot::cls] = cls;
    as_native(e)->slots()[exc_slot::args] = args;
    as_native(e)->slots()[exc_slot::traceback] = value::none();
    as_native(e)->slots()[exc_slot::attrs] = value::none();
    memory_error_ = arena_.freeze(e);
    sample_str_ = arena_.alloc_str("");
    sample_bytes_ = arena_.alloc_bytes(std::string_view());
    sample_list_ = arena_.freeze(scratch.alloc_list());
    sample_dict_ = arena_.freeze(scratch.alloc_dict());
    sample_set_ = arena_.freeze(scratch.alloc_set(false));
    sample_frozenset_ = arena_.freeze(scratch.alloc_set(true));
}

const module* program::find_module(std::string_view name) const noexcept {
    for (const auto& m : modules_)
        if (m->name == name) return m.get();
    return nullptr;
}

value program::builtin_value(const builtin_def* def) const noexcept {
    auto it = builtins_.find(def);
    return it == builtins_.end() ? value::none() : it->second.v;
}

const char* program::builtin_module(const builtin_def* def) const noexcept {
    auto it = builtins_.find(def);
    return it == builtins_.end() ? "?" : it->second.module;
}

const builtin_def* program::find_builtin(std::string_view module, std::string_view name) const noexcept {
    for (const auto& [def, entry] : builtins_)  // rare (a builtin in a message): a scan will do
        if (name == def->name && module == entry.module) return def;
    return nullptr;
}

void program::add_builtins(const native_module& mod) {
    add_state(mod);
    for (auto defs : {mod.functions, mod.unnamed})
        for (const builtin_def* def : defs)
            if (!builtins_.count(def)) builtins_.emplace(def, builtin_entry{make_builtin_value(arena_, def), mod.name});
}

void program::add_port_types(const native_module& mod) {
    for (const resource_type* t : mod.ports) port_types_.push_back(t);
    // A value rebuilt here may raise its module's errors (re.error) even
    // where the module was never imported: its classes must have values.
    if (!mod.rebuilt.empty()) add_builtins(mod);
    add_state(mod);
}

const resource_type* program::port_type(std::uint8_t kind) const noexcept {
    for (const resource_type* t : port_types_)
        if (t->port == kind) return t;
    return nullptr;
}

const resource_type* program::rebuilt_type(std::string_view module, std::string_view cls) const noexcept {
    for (const rebuilt_entry& e : rebuilt_types_)
        if (module == e.module && cls == e.type->cls->name) return e.type;
    return nullptr;
}

const char* program::rebuilt_module(const resource_type* type) const noexcept {
    for (const rebuilt_entry& e : rebuilt_types_)
        if (e.type == type) return e.module;
    return nullptr;
}

// What a native module needs of the program beyond its builtins: its
// rebuilt types and its state (made once).
void program::add_state(const native_module& mod) {
    for (const resource_type* t : mod.rebuilt)
        if (!rebuilt_module(t)) rebuilt_types_.push_back({t, mod.name});
    if (!mod.make_state || module_state(mod)) return;
    states_.push_back({&mod, std::unique_ptr<native_state>(mod.make_state())});
}

native_state* program::module_state(const native_module& mod) const noexcept {
    for (const state_entry& e : states_)
        if (e.mod == &mod) return e.state.get();
    return nullptr;
}

const builtin_def* program::global_builtin(std::string_view name) const noexcept {
    auto it = global_names_.find(name);
    return it == global_names_.end() ? nullptr : it->second;
}

const builtin_def* program::exception_class_for(std::string_view kind) const noexcept {
    const builtin_def* d = global_builtin(kind);
    if (d && d->type == type_tag::exception) return d;
    return kind == "RuntimeError" ? nullptr : exception_class_for("RuntimeError");
}

void program::reserve_for_growth(std::size_t protos, std::size_t modules, std::size_t attrs) {
    protos_.reserve(protos);
    modules_.reserve(modules);
    attr_names_.reserve(attrs);
    methods_.reserve(attrs);
    growing_ = true;
}

namespace {
// In a growing program a table at its reserved size must not move.
template <class Table>
void check_room(const Table& t, bool growing, const char* what) {
    if (growing && t.size() == t.capacity())
        throw std::length_error(std::string("the shell's program is full: too many ") + what);
}
}  // namespace

proto& program::new_proto() {
    check_room(protos_, growing_, "functions");
    protos_.push_back(std::make_unique<proto>());
    protos_.back()->id = std::uint32_t(protos_.size() - 1);
    proto_count_.store(protos_.size(), std::memory_order_release);
    return *protos_.back();
}

module& program::new_module() {
    check_room(modules_, growing_, "modules");
    modules_.push_back(std::make_unique<module>());
    return *modules_.back();
}

std::uint32_t module::slot_of(std::string_view global) const {
    std::shared_lock<std::shared_mutex> lock(names_lock, std::defer_lock);
    if (live_arena) lock.lock();
    auto it = global_index.find(std::string(global));
    return it == global_index.end() ? no_slot : it->second;
}

std::uint32_t module::add_global(std::string_view global) {
    std::unique_lock<std::shared_mutex> lock(names_lock, std::defer_lock);
    if (live_arena) lock.lock();
    auto it = global_index.find(std::string(global));
    if (it != global_index.end()) return it->second;
    if (live_arena && globals.size() == globals.capacity())
        throw std::length_error("the shell's program is full: too many names");
    global_names.emplace_back(global);
    globals.push_back(value::empty());
    std::uint32_t slot = std::uint32_t(globals.size() - 1);
    global_index.emplace(std::string(global), slot);
    return slot;
}

std::uint32_t program::intern_attr(std::string_view name) {
    auto found = attr_index_.find(std::string(name));
    if (found != attr_index_.end()) return found->second;
    check_room(attr_names_, growing_, "attribute names");
    auto [it, fresh] = attr_index_.emplace(std::string(name), std::uint32_t(attr_names_.size()));
    if (fresh) {
        attr_names_.emplace_back(name);
        auto find = [&](value receiver) -> const builtin_def* {
            for (const native_module* mod : globals_)
                if (mod->method)
                    if (const builtin_def* d = mod->method(receiver, name)) return d;
            return nullptr;
        };
        methods_.push_back(method_row{find(sample_str_), find(sample_bytes_), find(sample_list_), find(sample_dict_),
                                      find(sample_set_), find(sample_frozenset_)});
    }
    return it->second;
}

const builtin_def* program::method(std::uint32_t i, value receiver) const noexcept {
    if (!receiver.is_obj()) return nullptr;
    const method_row& row = methods_[i];
    switch (receiver.as_obj()->kind) {
    case obj_kind::str: case obj_kind::shared_str: return row.str;
    case obj_kind::bytes: case obj_kind::shared_bytes: return row.bytes;
    case obj_kind::list: return row.list;
    case obj_kind::dict: return row.dict;
    case obj_kind::set: return receiver.as_obj()->spare == set_frozenset ? row.frozenset : row.set;
    case obj_kind::native:  // a file's methods, looked up by name: they wait on I/O anyway
        return is_native(receiver, native_kind::resource) ? resource_method(receiver, attr_names_[i]) : nullptr;
    default: return nullptr;
    }
}

}  // namespace weft::interp
