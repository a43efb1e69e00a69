// json_module.cpp: `import json`: loads(s), dumps(obj, ...) and
// JSONDecodeError (a ValueError with msg, doc, pos, lineno and colno), as
// CPython 3.11's json module (LANGUAGE.md, docs/library.md).
//
// loads tries simdjson first (json_decode.cpp) and asks the precise parser
// (json_scan.cpp) only when simdjson rejects the document; dumps is
// json_encode.cpp. This file checks arguments and turns a syntax error
// into CPython's message. It keeps no state (lib/README.md) and never
// holds a view of a heap str across an allocation.
#include "lib/json_module.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "interp/builtins/args.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/text_codec.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/vm/vm.hpp"
#include "lib/json_internal.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_module;
using interp::record_type;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

// -- JSONDecodeError --------------------------------------------------------------------

value construct_decode_error(vm& m, value* argv, std::uint32_t argc, value kwargs);
const builtin_def def_JSONDecodeError{"json.JSONDecodeError", construct_decode_error, interp::type_tag::exception,
                                      interp::find_exception_class("ValueError")};
constexpr std::array<const char*, 5> decode_error_fields = {"msg", "doc", "pos", "lineno", "colno"};
const record_type decode_error_attrs{.cls = &def_JSONDecodeError, .fields = decode_error_fields};

// JSONDecodeError(msg, doc, pos): args is the whole message, as Python's
// ("Expecting value: line 1 column 1 (char 0)"); `pos` counts code points,
// `byte_pos` is the same place in doc's UTF-8. `doc` is rooted by the caller.
value make_decode_error(vm& m, std::string_view msg, value doc, std::size_t byte_pos, std::int64_t pos) {
    std::string text(interp::str_view(doc).substr(0, byte_pos));
    std::size_t newline = text.rfind('\n');
    std::int64_t lineno = std::count(text.begin(), text.end(), '\n') + 1;
    std::int64_t colno = newline == std::string::npos
                             ? pos + 1
                             : std::int64_t(interp::count_code_points(std::string_view(text).substr(newline)));
    std::string whole = std::string(msg) + ": line " + std::to_string(lineno) + " column " + std::to_string(colno) +
                        " (char " + std::to_string(pos) + ")";
    value kept[4] = {doc, value::none(), value::none(), value::none()};
    interp::root_scope keep(m.heap(), kept, 4);
    kept[1] = m.heap().alloc_str(msg);
    kept[2] = m.heap().alloc_str(whole);
    kept[3] = m.make_exception(&def_JSONDecodeError, m.heap().alloc_tuple(std::span<const value>(kept + 2, 1)));
    value r = interp::alloc_record(m.heap(), decode_error_attrs);
    value* f = interp::record_fields(r);
    f[0] = kept[1];
    f[1] = kept[0];
    f[2] = m.heap().make_int(pos);  // a small int: never allocates
    f[3] = value::from_int(lineno);
    f[4] = value::from_int(colno);
    interp::as_native(kept[3])->slots()[interp::exc_slot::attrs] = r;
    return kept[3];
}

// `doc` must be current: read from a root after the last allocation.
[[noreturn]] void raise_decode_error(vm& m, const json::syntax_error& e, value doc) {
    interp::rooted keep(m.heap(), doc);
    auto pos = std::int64_t(interp::count_code_points(interp::str_view(keep.get()).substr(0, e.pos)));
    m.raise_exception(make_decode_error(m, e.msg, keep, e.pos, pos));
}

value construct_decode_error(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "JSONDecodeError");
    if (argc != 3) bi::type_error("JSONDecodeError() takes 3 arguments (msg, doc, pos) (" + std::to_string(argc) + " given)");
    if (!interp::is_str(argv[0]) || !interp::is_str(argv[1]))
        bi::type_error(std::string("JSONDecodeError() needs str msg and doc, not ") + interp::type_name_of(argv[0]) +
                       " and " + interp::type_name_of(argv[1]));
    std::int64_t pos = bi::index_arg(argv[2]);
    if (pos < 0) bi::value_error("JSONDecodeError() pos must not be negative");
    // The byte offset of code point `pos` (the end, past the last one).
    std::string_view doc = interp::str_view(argv[1]);
    std::size_t byte_pos = 0;
    for (std::int64_t k = 0; k < pos && byte_pos < doc.size(); ++k) {
        ++byte_pos;
        while (byte_pos < doc.size() && (static_cast<unsigned char>(doc[byte_pos]) & 0xC0) == 0x80) ++byte_pos;
    }
    std::string msg(interp::str_view(argv[0]));
    return make_decode_error(m, msg, argv[1], byte_pos, pos);
}

// -- loads --------------------------------------------------------------------------------

// `doc` is the rooted str being parsed, or null for bytes (`decoded` then).
value parse_text(vm& m, std::string_view text, const interp::rooted* doc, const std::string* decoded) {
    // simdjson's parse cannot stop halfway: tell the scheduler before it starts.
    m.charge(text.size() / 16);
    if (std::optional<value> v = json::parse_fast(m, text)) return *v;
    try {
        return json::parse_precise(m, text);
    } catch (const json::syntax_error& e) {
        // Python's doc is the str it parsed: for bytes, their decoding.
        value s = doc ? doc->get() : m.heap().alloc_str(*decoded);
        raise_decode_error(m, e, s);
    }
}

value json_loads(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];
    bi::parse_kwargs(kwargs, "loads", {"s"}, kw);
    if (argc > 1) bi::type_error("loads() takes 1 positional argument but " + std::to_string(argc) + " were given");
    value s = bi::merge_arg("loads", argv, argc, 0, kw[0], "s");
    if (s.is_empty()) bi::type_error("loads() missing 1 required positional argument: 's'");
    interp::rooted doc(m.heap(), s);
    if (interp::is_str(s)) {
        std::string_view text = interp::str_view(s);
        if (text.starts_with("\xEF\xBB\xBF"))
            raise_decode_error(m, json::syntax_error{"Unexpected UTF-8 BOM (decode using utf-8-sig)", 0}, doc);
        // An inline str lives in the heap block, which parsing moves: copy
        // it. A long one is off the heap, where nothing moves it.
        if (interp::kind_of(s) == interp::obj_kind::str) {
            std::string copy(text);
            return parse_text(m, copy, &doc, nullptr);
        }
        return parse_text(m, text, &doc, nullptr);
    }
    if (interp::is_bytes(s)) {
        std::string_view data = interp::bytes_view(s);
        if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);  // Python decodes as utf-8-sig
        std::string text = interp::decode_bytes(data, "utf-8");
        return parse_text(m, text, nullptr, &text);
    }
    bi::type_error(std::string("the JSON object must be str, bytes or bytearray, not ") + interp::type_name_of(s));
}

// -- dumps --------------------------------------------------------------------------------

enum dump_arg { d_skipkeys, d_ensure_ascii, d_check_circular, d_allow_nan, d_indent, d_separators, d_default,
                d_sort_keys, d_count };

bool flag(value v, bool otherwise) { return v.is_empty() ? otherwise : interp::num::truthy(v); }

std::string separator_arg(value v) {
    if (!interp::is_str(v))
        bi::type_error(std::string("separators must be a pair of str, not one of ") + interp::type_name_of(v));
    return std::string(interp::str_view(v));
}

value json_dumps(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[d_count];
    bi::parse_kwargs(kwargs, "dumps",
                     {"skipkeys", "ensure_ascii", "check_circular", "allow_nan", "indent", "separators", "default",
                      "sort_keys"},
                     kw);
    interp::root_scope keep(m.heap(), kw, d_count);
    if (argc == 0) bi::type_error("dumps() missing 1 required positional argument: 'obj'");
    if (argc > 1) bi::type_error("dumps() takes 1 positional argument but " + std::to_string(argc) + " were given");
    json::encode_options o;
    o.skip_keys = flag(kw[d_skipkeys], false);
    o.ensure_ascii = flag(kw[d_ensure_ascii], true);
    o.allow_nan = flag(kw[d_allow_nan], true);
    o.sort_keys = flag(kw[d_sort_keys], false);
    if (value indent = kw[d_indent]; !indent.is_empty() && !indent.is_none()) {
        if (interp::is_str(indent)) {
            o.indent = std::string(interp::str_view(indent));
        } else if (interp::num::is_integer(indent)) {
            std::int64_t n = bi::index_arg(indent);  // Python: ' ' * indent
            if (n > (1 << 20)) bi::value_error("indent too large: " + std::to_string(n) + " spaces");
            o.indent = std::string(std::size_t(std::max<std::int64_t>(n, 0)), ' ');
        } else {
            bi::type_error(std::string("can't multiply sequence by non-int of type '") + interp::type_name_of(indent) +
                           "'");
        }
        o.item_separator = ",";
    }
    if (value seps = kw[d_separators]; !seps.is_empty() && !seps.is_none()) {
        bool list = interp::is_kind(seps, interp::obj_kind::list);
        if (!list && !interp::is_kind(seps, interp::obj_kind::tuple))
            bi::type_error(std::string("cannot unpack non-iterable ") + interp::type_name_of(seps) + " object");
        std::size_t n = list ? interp::as_list(seps)->length : interp::as_tuple(seps)->length();
        const value* items = list ? interp::as_list(seps)->slots() : interp::as_tuple(seps)->items();
        if (n != 2)
            bi::value_error(n > 2 ? "too many values to unpack (expected 2)"
                                  : "not enough values to unpack (expected 2, got " + std::to_string(n) + ")");
        o.item_separator = separator_arg(items[0]);
        o.key_separator = separator_arg(items[1]);
    }
    if (!kw[d_default].is_empty()) o.default_fn = &kw[d_default];
    std::string text = json::encode(m, argv[0], o);
    return m.heap().alloc_str(text);
}

constexpr builtin_def def_loads{"loads", json_loads};
constexpr builtin_def def_dumps{"dumps", json_dumps};

const std::array<const builtin_def*, 3> functions = {&def_loads, &def_dumps, &def_JSONDecodeError};

const native_module module_def{"json", functions};

}  // namespace

const native_module& json_module() noexcept { return module_def; }

}  // namespace weft::lib
