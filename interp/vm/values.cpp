// values.cpp: the vm's operations on values that builtins and the
// dispatch loop share: repr/str (with the VM's own objects printed as
// CPython prints functions, classes, exceptions and ranges), == and <,
// iteration, output, and making and describing exceptions.
//
// Never recurses on the C++ stack over a value's depth: == and < walk with
// explicit stacks or loops; repr is format.hpp's iterative printer, and only
// exceptions nested in exceptions' args recurse, bounded by
// max_repr_nesting. The call loop, frames and tracebacks are vm.cpp's.
#include <cstdio>
#include <vector>

#include "interp/compile/code.hpp"
#include "interp/objects/compare.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/os_error.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"
#include "actors/runtime.hpp"
#include "interp/vm/vm.hpp"
#include "serialize/node_numbers.hpp"

namespace weft::interp {
namespace {

// Exceptions whose args hold exceptions print recursively; this deep,
// RecursionError instead of a native stack overflow.
constexpr int max_repr_nesting = 200;

std::string repr_of(value v, weft::node_numbers* numbers);

void append_native(std::string& out, value v, const native_repr& self, int& nesting, weft::node_numbers* numbers) {
    // Pids and refs print with the runtime's numbers (serialize/node_numbers.hpp).
    if (is_kind(v, obj_kind::pid)) {
        const weft::pid& p = static_cast<pid_obj*>(v.as_obj())->p;
        if (numbers) return numbers->append(out, p);
        return weft::append_raw(out, "", p.node, weft::printed_serial(p), p.creation);
    }
    if (is_kind(v, obj_kind::ref)) {
        const weft::ref& r = static_cast<ref_obj*>(v.as_obj())->r;
        if (numbers) out += numbers->text(r);
        else weft::append_raw(out, "#Ref", r.node, r.serial, r.creation);
        return;
    }
    switch (native_kind_of(v)) {
    case native_kind::function:
        out += "<function ";
        out += function_proto(v)->name;
        out += '>';
        return;
    case native_kind::builtin: {
        const builtin_def* d = builtin_of(v);
        if (d->type == type_tag::not_a_type) {
            out += "<built-in function ";
            out += d->name;
            out += '>';
        } else {
            out += "<class '";
            out += d->name;
            out += "'>";
        }
        return;
    }
    case native_kind::bound_method:
        out += "<built-in method ";
        out += bound_def(v)->name;
        out += " of ";
        out += type_name_of(bound_receiver(v));
        out += " object>";
        return;
    case native_kind::range: {
        range_bounds r = range_of(v);
        out += "range(" + std::to_string(r.start) + ", " + std::to_string(r.stop);
        if (r.step != 1) out += ", " + std::to_string(r.step);
        out += ')';
        return;
    }
    case native_kind::exception: {
        out += builtin_of(exception_class(v))->name;
        value args = exception_args(v);
        if (++nesting > max_repr_nesting)
            throw_script_error("RecursionError", "maximum recursion depth exceeded while getting the repr of an object");
        if (is_kind(args, obj_kind::tuple) && as_tuple(args)->length() == 1) {
            out += '(';
            append_repr(out, as_tuple(args)->items()[0], self);
            out += ')';
        } else if (is_kind(args, obj_kind::tuple) && as_tuple(args)->length() >= 3 && is_os_error(v)) {
            // The filename is not one of Python's args (os_error.hpp).
            out += '(';
            append_repr(out, as_tuple(args)->items()[0], self);
            out += ", ";
            append_repr(out, as_tuple(args)->items()[1], self);
            out += ')';
        } else {
            append_repr(out, args, self);
        }
        --nesting;
        return;
    }
    case native_kind::record: {
        const record_type* t = record_type_of(v);
        out += t->repr_name ? t->repr_name : t->cls->name;
        out += '(';
        for (std::size_t k = 0; k < t->fields.size(); ++k) {
            if (k >= t->shown_when_set_from && record_fields(v)[k].is_none()) continue;
            if (k) out += ", ";
            out += t->fields[k];
            out += '=';
            append_repr(out, record_fields(v)[k], self);
        }
        out += ')';
        return;
    }
    case native_kind::module:
        out += "<module '";
        out += module_of(v)->name;
        out += "'>";
        return;
    case native_kind::resource:
        out += resource_ref_of(v).type->repr(v, [numbers](value x) { return repr_of(x, numbers); });
        return;
    case native_kind::iterator:
        out += '<';
        out += type_name_of(v);
        out += " object>";
        return;
    }
    out += "<object>";
}

// repr() of any value, natives, pids and refs included.
std::string repr_of(value v, weft::node_numbers* numbers) {
    std::string out;
    int nesting = 0;
    native_repr printer;
    printer = [&printer, &nesting, numbers](std::string& o, value x) { append_native(o, x, printer, nesting, numbers); };
    append_repr(out, v, printer);
    return out;
}

}  // namespace


// -- repr, str ----------------------------------------------------------------------

// The runtime's table of node numbers, when this VM runs in an actor.
weft::node_numbers* vm::numbers() noexcept { return host_ ? &host_->api().rt().numbers() : nullptr; }

std::string vm::repr(value v) { return repr_of(v, numbers()); }

value_repr vm::printer() {
    return [numbers = numbers()](value x) { return repr_of(x, numbers); };
}

std::string vm::str(value v) {
    if (is_str(v)) return std::string(str_view(v));
    if (is_native(v, native_kind::exception)) return exception_message(v);
    return repr_of(v, numbers());
}

bool vm::equal(value a, value b) { return values_equal(heap_, a, b); }

bool vm::less(value a, value b) { return values_less(heap_, a, b); }

void vm::write_out(std::string_view text, bool flush) {
    if (out_) {
        (*out_)(text, flush);
        return;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (flush) std::fflush(stdout);
}

// -- Iteration ------------------------------------------------------------------------

void vm::iter_check(value src) {
    if (src.is_obj()) {
        switch (kind_of(src)) {
        case obj_kind::list:
        case obj_kind::tuple:
        case obj_kind::str:
        case obj_kind::shared_str:
        case obj_kind::bytes:
        case obj_kind::shared_bytes:
        case obj_kind::dict:
        case obj_kind::set: return;
        case obj_kind::native:
            if (native_kind_of(src) == native_kind::range || native_kind_of(src) == native_kind::iterator) return;
            if (native_kind_of(src) == native_kind::resource && resource_ref_of(src).type->next) return;
            break;
        default: break;
        }
    }
    throw_script_error("TypeError", std::string("'") + type_name_of(src) + "' object is not iterable");
}

namespace {
// A dict's or set's cursor packs the position in its table (low 32 bits)
// and, from the first step on, 1 + its size then modulo 2**15 - 1 (bits 32
// to 46): the VM keeps cursors in small ints, which hold 47 bits. Returns
// the position, having recorded the size or raised `changed` when the size
// is not what it was. A change in size by a multiple of 32767 goes
// unnoticed; Python, too, sees only changes in size, not an insertion after
// a deletion.
std::uint32_t sized_cursor(std::uint64_t& cursor, std::uint32_t size, const char* changed) {
    constexpr std::uint32_t size_mod = 0x7fff;
    std::uint32_t size_then = std::uint32_t(cursor >> 32);
    std::uint32_t size_now = size % size_mod + 1;
    if (size_then == 0) cursor |= std::uint64_t(size_now) << 32;
    else if (size_then != size_now) throw_script_error("RuntimeError", changed);
    return std::uint32_t(cursor);
}
}  // namespace

bool vm::iter_next(value src, std::uint64_t& cursor, value& out) {
    switch (kind_of(src)) {
    case obj_kind::list: {
        list_obj* l = as_list(src);  // its length now: appending while iterating is seen, as in Python
        if (cursor >= l->length) return false;
        out = l->slots()[cursor++];
        return true;
    }
    case obj_kind::tuple: {
        tuple_obj* t = as_tuple(src);
        if (cursor >= t->length()) return false;
        out = t->items()[cursor++];
        return true;
    }
    case obj_kind::str:
    case obj_kind::shared_str: {
        // The cursor is a byte offset; each step gives one code point.
        std::string_view s = str_view(src);
        if (cursor >= s.size()) return false;
        auto c = static_cast<unsigned char>(s[cursor]);
        if (c < 0x80) {
            out = prog_.ascii_char(c);
            ++cursor;
            return true;
        }
        std::size_t len = 1;
        while (cursor + len < s.size() && (static_cast<unsigned char>(s[cursor + len]) & 0xC0) == 0x80) ++len;
        std::size_t at = cursor;
        cursor += len;
        out = heap_.alloc_str(s.substr(at, len));  // copies off the heap before allocating
        return true;
    }
    case obj_kind::bytes:
    case obj_kind::shared_bytes: {
        std::string_view b = bytes_view(src);
        if (cursor >= b.size()) return false;
        out = value::from_int(static_cast<unsigned char>(b[cursor++]));
        return true;
    }
    case obj_kind::dict: {
        std::uint32_t pos = sized_cursor(cursor, heap::dict_len(src), "dictionary changed size during iteration");
        value key, v;
        bool more = heap::dict_next(src, pos, key, v);
        cursor = (cursor & ~std::uint64_t(0xffffffff)) | pos;
        if (more) out = key;
        return more;
    }
    case obj_kind::set: {
        std::uint32_t pos = sized_cursor(cursor, heap::set_len(src), "Set changed size during iteration");
        value key;
        std::uint64_t hash = 0;
        bool more = heap::set_next(src, pos, key, hash);
        cursor = (cursor & ~std::uint64_t(0xffffffff)) | pos;
        if (more) out = key;
        return more;
    }
    case obj_kind::native: {
        if (native_kind_of(src) == native_kind::iterator) return iterator_next(src, out);
        if (native_kind_of(src) == native_kind::resource) {  // a file's lines (its next line is read in place here)
            iter_check(src);
            out = resource_ref_of(src).type->next(*this, src);
            return !out.is_empty();
        }
        if (native_kind_of(src) != native_kind::range) iter_check(src);  // raises
        range_bounds r = range_of(src);
        if (std::int64_t(cursor) >= r.length()) return false;
        out = heap_.make_int(r.start + std::int64_t(cursor) * r.step);
        ++cursor;
        return true;
    }
    default: iter_check(src); return false;
    }
}

// An iterator goes on from where it stands, whoever walks it: the cursor
// lives in the iterator, not in the loop. Used up, it stays used up (a list
// that grows later is not walked again, as in Python).
bool vm::iterator_next(value it, value& out) {
    if (it.as_obj()->frozen()) throw frozen_value_error();  // a module-level iterator cannot move
    iterator_state st = native_raw<iterator_state>(it);
    if (st.used_up) return false;
    rooted keep(heap_, it);
    bool more = iter_next(iterator_source(it), st.cursor, out);  // may allocate: reread it after
    st.used_up = !more;
    set_native_raw(keep.get(), st);
    return more;
}

// -- Exceptions --------------------------------------------------------------------------

value vm::make_exception(const builtin_def* cls, value args) {
    rooted keep(heap_, args);
    value e = alloc_native(heap_, native_kind::exception, exc_slot::count, 0);
    value* slots = as_native(e)->slots();
    slots[exc_slot::cls] = prog_.builtin_value(cls);
    slots[exc_slot::args] = keep;
    slots[exc_slot::traceback] = value::none();
    slots[exc_slot::attrs] = value::none();
    return e;
}

std::string vm::exception_message(value exc) {
    value args = exception_args(exc);
    if (!is_kind(args, obj_kind::tuple)) return str(args);
    value attrs = as_native(exc)->slots()[exc_slot::attrs];
    if (is_native(attrs, native_kind::record) && record_type_of(attrs)->describe)
        return record_type_of(attrs)->describe(attrs, printer());
    tuple_obj* t = as_tuple(args);
    if (is_os_error(exc)) {  // os_error.hpp: [Errno 2] No such file or directory: 'x.txt'
        std::string text = "[Errno " + std::to_string(t->items()[0].as_int()) + "] " + str(t->items()[1]);
        if (t->length() >= 3 && !t->items()[2].is_none()) text += ": " + repr(t->items()[2]);
        if (t->length() >= 4 && !t->items()[3].is_none()) text += " -> " + repr(t->items()[3]);
        return text;
    }
    if (t->length() == 0) return "";
    if (t->length() > 1) return repr(args);
    value arg = t->items()[0];
    // KeyError shows its key as repr: str(KeyError('k')) == "'k'".
    if (builtin_of(exception_class(exc)) == prog_.global_builtin("KeyError")) return repr(arg);
    return str(arg);
}

std::string vm::exception_summary(value exc) {
    std::string name = builtin_of(exception_class(exc))->name;
    std::string message = exception_message(exc);
    return message.empty() ? name : name + ": " + message;
}

}  // namespace weft::interp
