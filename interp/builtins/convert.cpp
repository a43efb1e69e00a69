// convert.cpp: the type constructors: bool int float str bytes
// tuple list dict range, called as functions (int("12"), list(xs),
// dict(pairs, **kw)), with CPython 3.11's rules and messages.
//
// Text passed to the parsers is copied off the heap first: a parser that
// allocates a bignum would otherwise read moved memory.
#include <limits>
#include <new>
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/text_codec.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

std::uint32_t count_kwargs(value kwargs) noexcept { return kwargs.is_none() ? 0 : heap::dict_len(kwargs); }

// A str argument given to a codec parameter ("str() argument 'encoding'
// must be str, not int").
std::string codec_arg(value v, const char* fname, const char* pname, const char* dflt) {
    if (v.is_empty()) return dflt;
    if (!is_str(v))
        type_error(std::string(fname) + "() argument '" + pname + "' must be str, not " + type_name_of(v));
    return std::string(str_view(v));
}

// bytes(n): n zero bytes (OverflowError / MemoryError as CPython).
value zero_bytes(vm& m, value n) {
    std::int64_t count = 0;
    if (!num::to_int64(n, count)) throw_script_error("OverflowError", "cannot fit 'int' into an index-sized integer");
    if (count < 0) value_error("negative count");
    // Large bytes live off the heap (shared binaries): hold them to the
    // heap's limit all the same, and never let the C++ allocator throw.
    if (std::uint64_t(count) > m.heap().limit_bytes()) throw heap_exhausted(std::size_t(count), m.heap().limit_bytes());
    try {
        return m.heap().alloc_bytes(std::string(std::size_t(count), '\0'));
    } catch (const std::bad_alloc&) {
        throw heap_exhausted(std::size_t(count), m.heap().limit_bytes());
    }
}

// bytes(iterable of ints).
value bytes_from_ints(vm& m, value source) {
    std::string out;
    m.for_each(source, [&](value item) {
        if (!num::is_integer(item))
            type_error(std::string("'") + type_name_of(item) + "' object cannot be interpreted as an integer");
        std::int64_t b = -1;
        if (!num::to_int64(item, b) || b < 0 || b > 255) value_error("bytes must be in range(0, 256)");
        out += char(b);
    });
    return m.heap().alloc_bytes(out);
}

bool iterable(value v) noexcept {
    if (!v.is_obj()) return false;
    switch (kind_of(v)) {
    case obj_kind::list:
    case obj_kind::tuple:
    case obj_kind::dict:
    case obj_kind::set:
    case obj_kind::str:
    case obj_kind::shared_str:
    case obj_kind::bytes:
    case obj_kind::shared_bytes: return true;
    case obj_kind::native: return native_kind_of(v) == native_kind::range || native_kind_of(v) == native_kind::iterator;
    default: return false;
    }
}

}  // namespace

value construct_bool(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "bool");
    expected_args("bool", argc, 0, 1);
    return value::boolean(argc == 1 && truthy(argv[0]));
}

// int(x=0, /, base=10)
value construct_int(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];
    parse_kwargs(kwargs, "int", {"base"}, kw);
    takes_args("int", argc + count_kwargs(kwargs), 0, 2);
    value base_arg = merge_arg("int", argv, argc, 1, kw[0], "base");
    if (argc == 0) {
        if (!base_arg.is_empty()) type_error("int() missing string argument");
        return value::from_int(0);
    }
    value x = argv[0];
    if (!base_arg.is_empty()) {
        std::int64_t base = index_arg(base_arg);
        if (!is_str(x) && !is_bytes(x)) type_error("int() can't convert non-string with explicit base");
        if (base < std::numeric_limits<int>::min() || base > std::numeric_limits<int>::max())
            value_error("int() base must be >= 2 and <= 36, or 0");
        if (is_str(x)) return num::parse_int(m.heap(), std::string(str_view(x)), int(base));
        std::string text(bytes_view(x));
        try {
            return num::parse_int(m.heap(), text, int(base));
        } catch (const script_error& e) {
            if (e.kind != "ValueError" || e.message.rfind("invalid literal", 0) != 0) throw;
            value_error("invalid literal for int() with base " + std::to_string(base) + ": " + repr_bytes(text));
        }
    }
    if (x.is_bool()) return value::from_int(x.as_bool());
    if (num::is_integer(x)) return x;
    if (x.is_float()) return num::int_from_double(m.heap(), x.as_float());
    if (is_str(x)) return num::parse_int(m.heap(), std::string(str_view(x)), 10);
    if (is_bytes(x)) {
        std::string text(bytes_view(x));
        try {
            return num::parse_int(m.heap(), text, 10);
        } catch (const script_error& e) {
            if (e.kind != "ValueError") throw;
            value_error("invalid literal for int() with base 10: " + repr_bytes(text));
        }
    }
    type_error(std::string("int() argument must be a string, a bytes-like object or a real number, not '") +
               type_name_of(x) + "'");
}

// float(x=0.0, /)
value construct_float(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "float");
    expected_args("float", argc, 0, 1);
    if (argc == 0) return value::from_float(0.0);
    value x = argv[0];
    if (x.is_float()) return x;
    if (num::is_integer(x)) return value::from_float(num::to_double(x));
    if (is_str(x)) return value::from_float(num::parse_float(std::string(str_view(x))));
    if (is_bytes(x)) {
        std::string text(bytes_view(x));
        try {
            return value::from_float(num::parse_float(text));
        } catch (const script_error& e) {
            if (e.kind != "ValueError") throw;
            value_error("could not convert string to float: " + repr_bytes(text));
        }
    }
    type_error(std::string("float() argument must be a string or a real number, not '") + type_name_of(x) + "'");
}

// str(object=''), str(object=b'', encoding='utf-8', errors='strict')
value construct_str(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[3];
    parse_kwargs(kwargs, "str", {"object", "encoding", "errors"}, kw);
    takes_args("str", argc + count_kwargs(kwargs), 0, 3);
    value object = merge_arg("str", argv, argc, 0, kw[0], "object");
    value encoding = merge_arg("str", argv, argc, 1, kw[1], "encoding");
    value errors = merge_arg("str", argv, argc, 2, kw[2], "errors");
    if (encoding.is_empty() && errors.is_empty()) {
        if (object.is_empty()) return new_str(m, "");
        if (is_str(object)) return object;
        return new_str(m, m.str(object));
    }
    std::string enc = codec_arg(encoding, "str", "encoding", "utf-8");
    std::string err = codec_arg(errors, "str", "errors", "strict");
    if (object.is_empty()) return new_str(m, "");
    if (is_str(object)) type_error("decoding str is not supported");
    if (!is_bytes(object))
        type_error(std::string("decoding to str: need a bytes-like object, ") + type_name_of(object) + " found");
    return new_str(m, decode_bytes(bytes_view(object), enc, err));
}

// bytes(), bytes(int), bytes(iterable of ints), bytes(bytes),
// bytes(str, encoding, errors='strict')
value construct_bytes(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[3];
    parse_kwargs(kwargs, "bytes", {"source", "encoding", "errors"}, kw);
    takes_args("bytes", argc + count_kwargs(kwargs), 0, 3);
    value source = merge_arg("bytes", argv, argc, 0, kw[0], "source");
    value encoding = merge_arg("bytes", argv, argc, 1, kw[1], "encoding");
    value errors = merge_arg("bytes", argv, argc, 2, kw[2], "errors");
    if (!source.is_empty() && is_str(source)) {
        if (encoding.is_empty()) type_error("string argument without an encoding");
        std::string enc = codec_arg(encoding, "bytes", "encoding", "utf-8");
        std::string err = codec_arg(errors, "bytes", "errors", "strict");
        return m.heap().alloc_bytes(encode_text(str_view(source), enc, err));
    }
    if (!encoding.is_empty()) type_error("encoding without a string argument");
    if (!errors.is_empty()) type_error("errors without a string argument");
    if (source.is_empty()) return m.heap().alloc_bytes(std::string_view());
    if (is_bytes(source)) return source;  // immutable: the same value will do
    if (num::is_integer(source)) return zero_bytes(m, source);
    if (!iterable(source)) type_error(std::string("cannot convert '") + type_name_of(source) + "' object to bytes");
    return bytes_from_ints(m, source);
}

// tuple(iterable=(), /)
value construct_tuple(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "tuple");
    expected_args("tuple", argc, 0, 1);
    if (argc == 0) return m.heap().alloc_tuple(std::size_t(0));
    if (is_kind(argv[0], obj_kind::tuple)) return argv[0];
    rooted_values items(m.heap());
    collect_items(m, argv[0], items);
    return m.heap().alloc_tuple(std::span<const value>(items.data(), items.size()));
}

// list(iterable=(), /)
value construct_list(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list");
    expected_args("list", argc, 0, 1);
    if (argc == 0) return m.heap().alloc_list();
    rooted_values items(m.heap());
    collect_items(m, argv[0], items);
    return make_list(m.heap(), items.data(), items.size());
}

// dict(**kw), dict(mapping, **kw), dict(iterable of pairs, **kw)
value construct_dict(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    expected_args("dict", argc, 0, 1);
    rooted source(m.heap(), argc ? argv[0] : value::empty());
    rooted kw(m.heap(), kwargs);
    rooted d(m.heap(), m.heap().alloc_dict());
    dict_merge(m, d, source, kw);
    return d;
}

// range(stop), range(start, stop[, step]): int64 bounds whose distance
// fits int64 too, so a range's length and items never overflow.
value construct_range(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "range");
    expected_args("range", argc, 1, 3);
    std::int64_t start = 0, stop = 0, step = 1;
    if (argc == 1) {
        stop = index_arg(argv[0]);
    } else {
        start = index_arg(argv[0]);
        stop = index_arg(argv[1]);
        if (argc == 3) step = index_arg(argv[2]);
    }
    if (step == 0) value_error("range() arg 3 must not be zero");
    std::int64_t distance = 0;
    constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
    if (__builtin_sub_overflow(stop, start, &distance) || distance == lowest || step == lowest)
        throw_script_error("OverflowError", "Python int too large to convert to C ssize_t");
    value r = alloc_native(m.heap(), native_kind::range, 0, sizeof(range_bounds));
    set_native_raw(r, range_bounds{start, stop, step});
    return r;
}

}  // namespace weft::interp::bi
