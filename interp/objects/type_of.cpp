// type_of.cpp: a value's type tag and type name, and the unhashable-type
// error. Pure reads of the value: no allocation, no state.
#include "interp/objects/type_of.hpp"

#include <string>
#include <vector>

#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"

namespace weft::interp {

type_tag type_tag_of(value v) noexcept {
    if (v.is_int()) return type_tag::int_;
    if (v.is_float()) return type_tag::float_;
    if (v.is_bool()) return type_tag::bool_;
    if (v.is_none()) return type_tag::none_type;
    if (!v.is_obj()) return type_tag::not_a_type;  // the internal "empty" marker
    switch (kind_of(v)) {
    case obj_kind::str:
    case obj_kind::shared_str: return type_tag::str;
    case obj_kind::bytes:
    case obj_kind::shared_bytes: return type_tag::bytes;
    case obj_kind::tuple: return type_tag::tuple;
    case obj_kind::list: return type_tag::list;
    case obj_kind::dict: return type_tag::dict;
    case obj_kind::set: return v.as_obj()->spare == set_frozenset ? type_tag::frozenset : type_tag::set;
    case obj_kind::bignum: return type_tag::int_;
    case obj_kind::pid: return type_tag::pid;
    case obj_kind::ref: return type_tag::ref;
    case obj_kind::native:
        switch (native_kind_of(v)) {
        case native_kind::range: return type_tag::range;
        case native_kind::exception: return type_tag::exception;
        case native_kind::module: return type_tag::module;
        case native_kind::record: return type_tag::record;
        case native_kind::resource: return type_tag::resource;
        case native_kind::iterator: return type_tag::iterator;
        default: return type_tag::function;  // closures, builtins, bound methods
        }
    default: return type_tag::not_a_type;
    }
}

const char* type_name_of(value v) noexcept {
    if (!is_kind(v, obj_kind::native)) return type_name(v);
    switch (native_kind_of(v)) {
    case native_kind::function: return "function";
    case native_kind::builtin:
        return builtin_of(v)->type == type_tag::not_a_type ? "builtin_function_or_method" : "type";
    case native_kind::bound_method: return "builtin_function_or_method";
    case native_kind::range: return "range";
    case native_kind::exception: return builtin_of(exception_class(v))->name;
    case native_kind::module: return "module";
    case native_kind::record: return record_type_of(v)->cls->name;
    case native_kind::resource: return resource_ref_of(v).type->cls->name;
    case native_kind::iterator: return iterator_type_name(iterator_source(v));
    }
    return "object";
}

// CPython's name for an iterator over `source` (list_iterator ...).
const char* iterator_type_name(value source) noexcept {
    switch (type_tag_of(source)) {
    case type_tag::list: return "list_iterator";
    case type_tag::tuple: return "tuple_iterator";
    case type_tag::str: return str_view(source).size() == str_length(source) ? "str_ascii_iterator" : "str_iterator";
    case type_tag::bytes: return "bytes_iterator";
    case type_tag::dict: return "dict_keyiterator";
    case type_tag::set:
    case type_tag::frozenset: return "set_iterator";
    case type_tag::range: return "range_iterator";
    case type_tag::resource: return type_name_of(source);  // a file is its own iterator
    default: return "iterator";
    }
}

void raise_unhashable(value v) {
    // The first part that cannot be hashed: hash((1, [])) names 'list'.
    std::vector<value> pending{v};  // nothing allocates on the Weft heap here
    while (!pending.empty()) {
        value x = pending.back();
        pending.pop_back();
        if (is_kind(x, obj_kind::tuple)) {
            tuple_obj* t = as_tuple(x);
            for (std::uint32_t i = t->length(); i-- > 0;) pending.push_back(t->items()[i]);
            continue;
        }
        bool hashable = !x.is_obj() || is_str(x) || is_bytes(x) || is_kind(x, obj_kind::bignum) ||
                        is_kind(x, obj_kind::pid) || is_kind(x, obj_kind::ref) || is_frozenset(x);
        if (!hashable) throw_script_error("TypeError", std::string("unhashable type: '") + type_name_of(x) + "'");
    }
    throw_script_error("TypeError", std::string("unhashable type: '") + type_name_of(v) + "'");
}

}  // namespace weft::interp
