// core.cpp: the builtins that take a value or two and answer:
// print len repr abs hash ord chr divmod round any all isinstance type.
// (Conversions are convert.cpp; those that walk iterables are
// iter.cpp.)
//
// Semantics and error messages are CPython 3.11's. These functions never
// call back into script code except through vm::call-free paths, so argv
// stays valid throughout; values made here are rooted before the next
// allocation.
#include <string>
#include <vector>

#include "interp/builtins/internal.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

// isinstance(v, t) for one type t (a builtin value), or -1 when t is no type.
int instance_of(value v, value t) {
    if (!is_native(t, native_kind::builtin)) return -1;
    const builtin_def* d = builtin_of(t);
    if (d->type == type_tag::not_a_type) return -1;
    if (d->type == type_tag::exception)
        return is_native(v, native_kind::exception) && exception_class_is(builtin_of(exception_class(v)), d);
    const builtin_def* vt = type_def_of(v);
    if (vt == d) return 1;
    return d->type == type_tag::int_ && v.is_bool();  // bool is a subclass of int
}

}  // namespace

// print(*objects, sep=' ', end='\n', file=None, flush=False): one write of
// the whole text, so lines from different actors never mix.
value builtin_print(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[4];
    parse_kwargs(kwargs, "print", {"sep", "end", "file", "flush"}, kw);
    auto text_arg = [](value v, const char* what, const char* dflt) -> std::string {
        if (v.is_empty() || v.is_none()) return dflt;
        if (!is_str(v)) type_error(std::string(what) + " must be None or a string, not " + type_name_of(v));
        return std::string(str_view(v));
    };
    std::string sep = text_arg(kw[0], "sep", " ");
    std::string end = text_arg(kw[1], "end", "\n");
    // There are no files in Weft: any file= but None fails as it would in
    // CPython for an object without a write method.
    if (!kw[2].is_empty() && !kw[2].is_none())
        throw_script_error("AttributeError", std::string("'") + type_name_of(kw[2]) + "' object has no attribute 'write'");
    std::string out;
    for (std::uint32_t i = 0; i < argc; ++i) {
        if (i) out += sep;
        out += m.str(argv[i]);
    }
    out += end;
    m.write_out(out, !kw[3].is_empty() && truthy(kw[3]));
    return value::none();
}

value builtin_len(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "len");
    exactly_one("len", argc);
    value v = argv[0];
    if (v.is_obj()) {
        switch (kind_of(v)) {
        case obj_kind::str:
        case obj_kind::shared_str: return value::from_int(std::int64_t(str_length(v)));
        case obj_kind::bytes:
        case obj_kind::shared_bytes: return m.heap().make_int(std::int64_t(bytes_view(v).size()));
        case obj_kind::tuple: return value::from_int(as_tuple(v)->length());
        case obj_kind::list: return value::from_int(as_list(v)->length);
        case obj_kind::dict: return value::from_int(heap::dict_len(v));
        case obj_kind::set: return value::from_int(heap::set_len(v));
        case obj_kind::native:
            if (native_kind_of(v) == native_kind::range) return m.heap().make_int(range_of(v).length());
            break;
        default: break;
        }
    }
    type_error(std::string("object of type '") + type_name_of(v) + "' has no len()");
}

value builtin_repr(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "repr");
    exactly_one("repr", argc);
    return new_str(m, m.repr(argv[0]));
}

value builtin_abs(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "abs");
    exactly_one("abs", argc);
    if (!num::is_number(argv[0]))
        type_error(std::string("bad operand type for abs(): '") + type_name_of(argv[0]) + "'");
    return num::abs(m.heap(), argv[0]);
}

// Numbers hash as Python's (hash(1) == hash(1.0)); str, bytes, tuples, pids
// and refs by content. Builtins and classes are frozen and never move, so
// they hash by address, as CPython hashes them by identity; other natives
// move with the collector and cannot be hashed.
value builtin_hash(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "hash");
    exactly_one("hash", argc);
    value v = argv[0];
    if (num::is_number(v)) return m.heap().make_int(num::hash(v));
    if (is_native(v, native_kind::builtin))
        return m.heap().make_int(std::int64_t(reinterpret_cast<std::uintptr_t>(v.as_obj()) >> 4));
    std::int64_t h = 0;
    try {
        h = std::int64_t(default_hash(v));
    } catch (const unhashable_key&) {
        raise_unhashable(v);
    }
    return m.heap().make_int(h == -1 ? -2 : h);
}

value builtin_ord(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "ord");
    exactly_one("ord", argc);
    value v = argv[0];
    if (is_str(v)) {
        std::size_t n = str_length(v);
        if (n != 1)
            type_error("ord() expected a character, but string of length " + std::to_string(n) + " found");
        std::string_view s = str_view(v);
        auto b0 = static_cast<unsigned char>(s[0]);
        char32_t cp = b0 < 0x80 ? b0 : b0 < 0xE0 ? b0 & 0x1F : b0 < 0xF0 ? b0 & 0x0F : b0 & 0x07;
        for (std::size_t i = 1; i < s.size(); ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
        return value::from_int(cp);
    }
    if (is_bytes(v)) {
        std::string_view b = bytes_view(v);
        if (b.size() != 1)
            type_error("ord() expected a character, but string of length " + std::to_string(b.size()) + " found");
        return value::from_int(static_cast<unsigned char>(b[0]));
    }
    type_error(std::string("ord() expected string of length 1, but ") + type_name_of(v) + " found");
}

value builtin_chr(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "chr");
    exactly_one("chr", argc);
    value v = argv[0];
    if (!num::is_integer(v))
        type_error(std::string("'") + type_name_of(v) + "' object cannot be interpreted as an integer");
    std::int64_t i = 0;
    if (!num::to_int64(v, i) || i < INT32_MIN || i > INT32_MAX)
        throw_script_error("OverflowError", "Python int too large to convert to C int");
    if (i < 0 || i > 0x10FFFF) value_error("chr() arg not in range(0x110000)");
    if (i < 0x80) return m.prog().ascii_char(static_cast<unsigned char>(i));
    // Surrogates (U+D800..U+DFFF) are valid in Python's str but not in UTF-8,
    // which every Weft str is: they cannot be made.
    if (i >= 0xD800 && i <= 0xDFFF) value_error("chr() arg is a surrogate, which Weft strings cannot hold");
    std::string out;
    append_utf8(out, char32_t(i));
    return new_str(m, out);
}

value builtin_divmod(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "divmod");
    expected_args("divmod", argc, 2, 2);
    return num::divmod(m.heap(), argv[0], argv[1]);
}

// round(number, ndigits=None)
value builtin_round(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    // As CPython's argument parser: a missing `number` is reported before
    // an unknown keyword.
    if (argc == 0) {
        bool named = false;
        std::uint32_t pos = 0;
        value k, v;
        while (!kwargs.is_none() && heap::dict_next(kwargs, pos, k, v)) named |= str_view(k) == "number";
        if (!named) type_error("round() missing required argument 'number' (pos 1)");
    }
    value kw[2];
    parse_kwargs(kwargs, "round", {"number", "ndigits"}, kw);
    takes_args("round", argc, 0, 2);
    value number = merge_arg("round", argv, argc, 0, kw[0], "number");
    value ndigits = merge_arg("round", argv, argc, 1, kw[1], "ndigits");
    if (number.is_empty()) type_error("round() missing required argument 'number' (pos 1)");
    return num::round(m.heap(), number, ndigits.is_empty() ? value::none() : ndigits);
}

namespace {
// any() and all(): stop at the first item whose truth is `stop_at`.
value any_all(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, bool stop_at) {
    no_kwargs(kwargs, name);
    exactly_one(name, argc);
    rooted src(m.heap(), argv[0]);
    m.iter_check(src);
    std::uint64_t cursor = 0;
    if (value st = m.resumed(); !st.is_empty()) cursor = std::uint64_t(st.as_int());  // a trapped call going on
    value item;
    while (m.iter_next(src, cursor, item)) {
        m.charge(1);
        if (truthy(item) == stop_at) return value::boolean(stop_at);
        if (m.should_trap()) [[unlikely]] return m.trap(value::from_int(std::int64_t(cursor)));
    }
    return value::boolean(!stop_at);
}
}  // namespace

value builtin_any(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return any_all(m, argv, argc, kwargs, "any", true);
}

value builtin_all(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return any_all(m, argv, argc, kwargs, "all", false);
}

// isinstance(obj, class_or_tuple): tuples may nest; the first element that
// is no type raises, unless an earlier one matched (as CPython).
value builtin_isinstance(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "isinstance");
    expected_args("isinstance", argc, 2, 2);
    value v = argv[0];
    std::vector<value> pending{argv[1]};  // nothing allocates on the Weft heap here
    while (!pending.empty()) {
        value t = pending.back();
        pending.pop_back();
        if (is_kind(t, obj_kind::tuple)) {
            tuple_obj* tt = as_tuple(t);
            for (std::uint32_t i = tt->length(); i-- > 0;) pending.push_back(tt->items()[i]);
            continue;
        }
        int r = instance_of(v, t);
        if (r < 0) type_error("isinstance() arg 2 must be a type, a tuple of types, or a union");
        if (r) return value::true_value();
    }
    return value::false_value();
}

value builtin_type(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (argc == 1 && (kwargs.is_none() || heap::dict_len(kwargs) == 0)) {
        const builtin_def* d = type_def_of(argv[0]);
        if (!d) type_error("type() of an internal object");
        return m.prog().builtin_value(d);
    }
    if (argc == 3) type_error("type() cannot make classes: Weft has no classes");
    type_error("type() takes 1 or 3 arguments");
}

}  // namespace weft::interp::bi
