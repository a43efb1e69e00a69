// natives.hpp: the VM's own heap objects, all of kind obj_kind::native,
// told apart by the header's `spare` field (native_kind below).
//
//   function     a closure: raw = the proto; traced = its default values, then
//                the cells it captured (proto->ndefaults + proto->nfree slots)
//   builtin      a C++ function or type (len, int, ValueError ...): raw = the
//                builtin_def; no traced slots. Always frozen (program arena).
//   bound_method `xs.append` taken without calling it: traced = the receiver;
//                raw = the method's builtin_def
//   range        range(start, stop, step): raw = three int64
//   exception    an exception value: traced = class (a builtin whose def is an
//                exception type), args (a tuple), traceback (a list of
//                locations, see vm.hpp), attrs (None, or a record of the
//                attributes a library exception has beyond args:
//                CalledProcessError's returncode, cmd, stdout ...)
//   module       an imported module: raw = the module
//   record       a value of a named record type (os.stat_result): traced =
//                its fields in the type's order; raw = the record_type
//                (a static constant of the module that makes it)
//   iterator     iter(x): traced = x; raw = iterator_state (the cursor
//                vm::iter_next keeps for x, and whether it is used up)
//   resource     an open file (a socket ...), which lives outside the heap,
//                in its VM's resource table (vm/resource_table.hpp): raw =
//                a resource_ref; traced = what its repr shows (a file's
//                name, mode, encoding), as its type lays them out
//
// The layouts are plain and visible here; nothing else may assume them. The
// collector sees only native_obj's traced slots and copies the raw bytes, so
// raw parts hold pointers to things that outlive every heap (protos,
// builtin_defs, modules: all owned by the program) and never heap pointers.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/heap/value.hpp"
#include "interp/objects/builtin_def.hpp"
#include "serialize/ids.hpp"

namespace weft {
class term_view;
}

namespace weft::interp {

// repr() of any value as the VM prints it (natives, pids and refs included):
// what record and resource types get to print their fields with.
using value_repr = std::function<std::string(value)>;

struct proto;
struct module;
class vm;
class program;

enum class native_kind : std::uint16_t { function = 1, builtin, bound_method, range, exception, module, record, resource, iterator };

static_assert(std::uint16_t(native_kind::resource) == resource_spare);
inline native_kind native_kind_of(value v) noexcept { return native_kind(v.as_obj()->spare); }
inline bool is_native(value v, native_kind k) noexcept {
    return v.is_obj() && v.as_obj()->kind == obj_kind::native && v.as_obj()->spare == std::uint16_t(k);
}

// Reads / writes a trivially copyable T at the start of a native's raw bytes.
template <class T>
T native_raw(value v) noexcept {
    T t;
    std::memcpy(&t, as_native(v)->raw(), sizeof(T));
    return t;
}
template <class T>
void set_native_raw(value v, const T& t) noexcept {
    std::memcpy(as_native(v)->raw(), &t, sizeof(T));
}

// A native object of kind k on heap h.
inline value alloc_native(heap& h, native_kind k, std::uint32_t traced, std::uint32_t raw_bytes) {
    value v = h.alloc_native(traced, raw_bytes);
    v.as_obj()->spare = std::uint16_t(k);
    return v;
}

// -- function -----------------------------------------------------------------
inline const proto* function_proto(value f) noexcept { return native_raw<const proto*>(f); }
inline value* function_slots(value f) noexcept { return as_native(f)->slots(); }

// -- builtin --------------------------------------------------------------------
inline const builtin_def* builtin_of(value b) noexcept { return native_raw<const builtin_def*>(b); }

// -- bound method ---------------------------------------------------------------
inline value bound_receiver(value m) noexcept { return as_native(m)->slots()[0]; }
inline const builtin_def* bound_def(value m) noexcept { return native_raw<const builtin_def*>(m); }

// -- range ----------------------------------------------------------------------
struct range_bounds {
    std::int64_t start, stop, step;
    // The number of values (0 when empty).
    std::int64_t length() const noexcept {
        if (step > 0) return start < stop ? (stop - start - 1) / step + 1 : 0;
        return start > stop ? (start - stop - 1) / (-step) + 1 : 0;
    }
};
inline range_bounds range_of(value r) noexcept { return native_raw<range_bounds>(r); }

// -- iterator -------------------------------------------------------------------
struct iterator_state {
    std::uint64_t cursor;
    std::uint64_t used_up;  // once at the end it stays there, as Python's iterators
};
inline value iterator_source(value it) noexcept { return as_native(it)->slots()[0]; }

// -- exception ------------------------------------------------------------------
namespace exc_slot {
inline constexpr int cls = 0;        // the class: a builtin value
inline constexpr int args = 1;       // a tuple
inline constexpr int traceback = 2;  // a list of locations (vm.hpp), or None
inline constexpr int attrs = 3;      // a record, or None
inline constexpr int count = 4;
}  // namespace exc_slot
inline value exception_class(value e) noexcept { return as_native(e)->slots()[exc_slot::cls]; }
inline value exception_args(value e) noexcept { return as_native(e)->slots()[exc_slot::args]; }
// A SystemExit's code, as Python's: None, its one argument, or all of them.
inline value system_exit_code(value e) noexcept {
    value args = exception_args(e);
    std::uint32_t n = as_tuple(args)->length();
    return n == 0 ? value::none() : n == 1 ? as_tuple(args)->items()[0] : args;
}

// -- module ---------------------------------------------------------------------
inline const module* module_of(value m) noexcept { return native_raw<const module*>(m); }

// -- record ---------------------------------------------------------------------
// A record's type: its class (a builtin_def of type_tag::record, which the
// module lists among its functions so that type() can return it) and its
// field names. Read-only attributes, and Python's repr "os.stat_result(st_mode=
// 33188, ...)"; compared by identity; never sent in a message.
struct record_type {
    const builtin_def* cls;
    std::span<const char* const> fields;
    const char* repr_name = nullptr;  // the name repr() shows, when not cls->name
    // repr() shows the fields from this one on only when they are not None
    // (CompletedProcess's stdout and stderr).
    std::size_t shown_when_set_from = std::size_t(-1);
    // As an exception's attrs: its str(), when not args' (Python's __str__).
    std::string (*describe)(value record, const value_repr& repr) = nullptr;
};
inline const record_type* record_type_of(value r) noexcept { return native_raw<const record_type*>(r); }
inline value* record_fields(value r) noexcept { return as_native(r)->slots(); }
// The field named `name`, or empty when the record has none.
inline value record_field(value r, std::string_view name) noexcept {
    const record_type* t = record_type_of(r);
    for (std::size_t k = 0; k < t->fields.size(); ++k)
        if (name == t->fields[k]) return record_fields(r)[k];
    return value::empty();
}
// A new record with every field None; the caller fills record_fields (allocates).
inline value alloc_record(heap& h, const record_type& t) {
    value r = alloc_native(h, native_kind::record, std::uint32_t(t.fields.size()), sizeof(const record_type*));
    for (std::size_t k = 0; k < t.fields.size(); ++k) record_fields(r)[k] = value::none();
    set_native_raw(r, &t);
    return r;
}

// -- resource ---------------------------------------------------------------------
// What a kind of resource (a text file, a binary file ...) shows to scripts.
// The methods may park their actor (file_call.hpp); the VM calls them so
// that they can (a CALLMETHOD, a for loop's next item).
struct resource_type {
    const builtin_def* cls;                       // what type() gives: _io.TextIOWrapper ...
    std::span<const builtin_def* const> methods;  // read, write, close, __enter__, __exit__ ...
    // An attribute (f.name, f.closed), or empty when there is none (allocates).
    value (*attr)(vm& m, value self, std::string_view name);
    // repr(r), from its traced slots (`repr` prints a value).
    std::string (*repr)(value self, const value_repr& repr);
    // `for x in r`: the next item, or empty at the end (allocates; may park).
    // Null: not iterable.
    value (*next)(vm& m, value self);
    // Non-zero for a port's type (io/tcp.hpp's port_kind): its values name
    // a node-wide thing, not an entry of the VM's table, and travel in
    // messages as port terms (native_module::ports lists the types).
    std::uint8_t port = 0;
    // Non-null for a type whose values travel in messages by what they are
    // made of, as Python pickles them (a re pattern: its source and flags),
    // listed in its module's native_module::rebuilt. Such a value keeps those
    // parts, leaves only (None, bool, int, str, bytes), as its traced slots,
    // and travels as a Function term named (its module, cls->name) whose
    // captures are those slots; the receiver makes it again with rebuild
    // (which reads the captures of `made_of`, allocates on `h`, and throws
    // script_error when they make no value). Its raw part beyond the
    // resource_ref must then be derived from the traced slots alone.
    value (*rebuild)(const program& prog, heap& h, const weft::term_view& made_of) = nullptr;
};
// Which entry of which VM's table: a value frozen at module level, or sent
// (never: the encoder refuses resources but ports), names a table whose
// stamp is not the reader's, and so finds nothing there: it reads as
// closed. A port's value keeps its node and creation in the stamp and its
// serial in the key, and no traced slots.
struct resource_ref {
    const resource_type* type;
    std::uint64_t stamp;
    std::uint64_t key;
};
inline resource_ref resource_ref_of(value r) noexcept { return native_raw<resource_ref>(r); }
inline value* resource_slots(value r) noexcept { return as_native(r)->slots(); }
// A new resource value whose `traced` slots are None; the caller fills them.
inline value alloc_resource(heap& h, const resource_ref& ref, std::uint32_t traced) {
    value r = alloc_native(h, native_kind::resource, traced, sizeof(resource_ref));
    for (std::uint32_t k = 0; k < traced; ++k) resource_slots(r)[k] = value::none();
    set_native_raw(r, ref);
    return r;
}
inline bool is_port(value r) noexcept { return resource_ref_of(r).type->port != 0; }
inline weft::port port_of(value r) noexcept {
    resource_ref ref = resource_ref_of(r);
    return weft::port{std::uint32_t(ref.stamp >> 32), std::uint32_t(ref.stamp), ref.key};
}
inline value alloc_port(heap& h, const resource_type* type, weft::port p) {
    return alloc_resource(h, resource_ref{type, std::uint64_t(p.node) << 32 | p.creation, p.serial}, 0);
}
// A method of the resource's type by name, or null.
inline const builtin_def* resource_method(value r, std::string_view name) noexcept {
    for (const builtin_def* d : resource_ref_of(r).type->methods)
        if (name == d->name) return d;
    return nullptr;
}

}  // namespace weft::interp
