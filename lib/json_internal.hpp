// json_internal.hpp: what the three parts of `import json` share: the fast
// parser (simdjson, json_decode.cpp), the precise one (json_scan.cpp), the
// encoder (json_encode.cpp) and the module itself (json_module.cpp).
//
// Never include this outside lib/json_*.cpp: it is no interface of lib/.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "interp/heap/value.hpp"

namespace weft::interp {
class vm;
}

namespace weft::lib::json {

// Nesting allowed in loads and dumps. Both walk values with explicit
// stacks, so this bounds memory, not the C++ stack; CPython's own limit
// (its recursion limit, about 1000) is far lower.
inline constexpr std::size_t max_depth = 100000;

// A document Python rejects: its message without the position, and the
// byte offset the message points at (json_module.cpp turns it into
// CPython's "line L column C (char N)", counted in code points).
struct syntax_error {
    std::string msg;
    std::size_t pos;
};

// simdjson's parse, built into m's heap. nullopt when simdjson rejects the
// document: it is stricter than Python (NaN, ints beyond 64 bits, 1e400,
// lone surrogates), so the caller then asks parse_precise, which either
// parses it or says where Python would have stopped. `doc` must not point
// into the heap (an allocation may move it).
std::optional<interp::value> parse_fast(interp::vm& m, std::string_view doc);

// Python's json grammar and error messages exactly, one byte at a time.
// Throws syntax_error. Same rule for `doc`.
interp::value parse_precise(interp::vm& m, std::string_view doc);

struct encode_options {
    std::optional<std::string> indent;  // nullopt: everything on one line
    std::string item_separator = ", ";
    std::string key_separator = ": ";
    bool sort_keys = false;
    bool ensure_ascii = true;
    bool allow_nan = true;
    bool skip_keys = false;
    // default=: a slot the caller roots (the function may move when the
    // script code it runs collects), or null.
    const interp::value* default_fn = nullptr;
};

// json.dumps(v): Python's exact text, as a std::string (UTF-8).
std::string encode(interp::vm& m, interp::value v, const encode_options& o);

}  // namespace weft::lib::json
