// re_internal.hpp: what the parts of the `re` module share (re_module.cpp:
// the module's functions and errors; re_values.cpp: pattern and match
// values; re_engine.cpp: the per-program cache of compiled patterns and the
// matching itself, on PCRE2 with its JIT; re_syntax.cpp: Python's pattern
// syntax and error messages on top of PCRE2's, and sub's templates).
//
// Never include it outside lib/re_*.cpp: it is no interface of lib/.
#pragma once
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"
#include "interp/objects/builtin_def.hpp"
#include "interp/objects/natives.hpp"

namespace weft::interp {
class vm;
}

namespace weft::lib::re {

using interp::value;
using interp::vm;

// Python's flag values (re.I is 2 ...).
enum flag : std::uint32_t {
    f_template = 1,
    f_ignorecase = 2,
    f_locale = 4,
    f_multiline = 8,
    f_dotall = 16,
    f_unicode = 32,
    f_verbose = 64,
    f_debug = 128,
    f_ascii = 256,
};

// A compiled pattern. Immutable once the cache has published it: every actor
// of the program reads it on any thread, with no lock.
struct compiled {
    std::string source;       // as the script wrote it (UTF-8, or any bytes)
    std::uint32_t flags = 0;  // Python's, with the leading inline ones and UNICODE for str, as .flags shows
    std::uint32_t asked = 0;  // the flags compile() was given (the cache's key)
    bool is_bytes = false;
    std::uint64_t hash = 0;
    pcre2_code* code = nullptr;
    std::uint32_t groups = 0;  // capturing groups
    // (name, number) in the order of the groups, as Python's groupindex.
    std::vector<std::pair<std::string, std::uint32_t>> names;
    ~compiled() { pcre2_code_free(code); }
    // A group's name, or "" for an unnamed one.
    std::string_view name_of(std::uint32_t group) const noexcept {
        for (const auto& [n, g] : names)
            if (g == group) return n;
        return {};
    }
};

// What compiling found wrong, as Python's re.error words it: the message
// without its position, and the position (code points; -1: none).
struct compile_failure {
    std::string msg;
    std::int64_t pos;
};

// The pattern source PCRE2 compiles, from Python's (re_syntax.cpp): `\Z` as
// `\z`, `\uXXXX` as `\x{XXXX}`, `{,n}` as `{0,n}`, leading inline flags
// `(?aiLmsux)` taken out into `flags`. origin[i] is the byte of the Python
// source that byte i of `text` comes from (one more entry: the end).
struct translated {
    std::string text;
    std::vector<std::uint32_t> origin;
    std::uint32_t flags;
};
translated translate(std::string_view source, std::uint32_t flags, bool is_bytes);
// Python's message for PCRE2's compile error `code` at `offset` of t.text.
compile_failure describe_compile_error(std::string_view source, bool is_bytes, const translated& t, int code,
                                       std::size_t offset);

// The per-program cache of compiled patterns (native_state: the program
// owns it and frees it last, so a pattern value's raw pointer to a compiled
// entry outlives every heap). Reading an entry that is there takes no lock;
// compiling a new one takes the cache's mutex. Entries are never removed.
class pattern_cache final : public interp::native_state {
public:
    pattern_cache();
    ~pattern_cache() override;
    // The pattern (source, flags, str or bytes) compiled, from the cache or
    // now. Throws compile_failure.
    const compiled& get(std::string_view source, std::uint32_t flags, bool is_bytes);

private:
    // An open-addressing table of entries. Slots go from null to an entry
    // once and never change again; a full table is replaced by a bigger one.
    struct table {
        explicit table(std::size_t capacity) : mask(capacity - 1), slots(new std::atomic<const compiled*>[capacity]) {
            for (std::size_t i = 0; i < capacity; ++i) slots[i].store(nullptr, std::memory_order_relaxed);
        }
        std::size_t mask;
        std::unique_ptr<std::atomic<const compiled*>[]> slots;
    };
    static const compiled* find_in(const table& t, std::uint64_t hash, std::string_view source, std::uint32_t flags,
                                   bool is_bytes) noexcept;
    static void put_in(table& t, const compiled* c) noexcept;

    std::atomic<table*> current_;
    std::mutex write_;                          // compiling and inserting
    std::vector<std::unique_ptr<table>> tables_;  // every table ever current: a reader may still probe an old one
    std::vector<std::unique_ptr<compiled>> entries_;
};

// The cache of the running program.
pattern_cache& cache_of(vm& m);

// One match attempt of c on subject[0, end) from byte `start`; PCRE2
// options (PCRE2_ANCHORED, PCRE2_ENDANCHORED, PCRE2_NOTEMPTY_ATSTART).
// True when it matched: ov then holds 2 * (groups + 1) byte offsets
// (PCRE2_UNSET for a group that took no part). Throws re.error when the
// match gives up (it backtracked too much).
bool run_match(vm& m, const compiled& c, std::string_view subject, std::size_t start, std::uint32_t options,
               std::vector<PCRE2_SIZE>& ov);

// Positions: Python's are code points in a str, bytes in bytes; PCRE2's are
// bytes. A converter walks from where it last stood, so offsets met in
// increasing order cost the text between them once; ASCII text costs nothing.
class positions {
public:
    positions(std::string_view text, bool is_bytes, std::size_t code_points) noexcept
        : text_(text), identity_(is_bytes || code_points == text.size()) {}
    std::int64_t to_index(std::size_t byte) noexcept;
    std::size_t to_byte(std::int64_t index) noexcept;  // index within [0, length]
    bool identity() const noexcept { return identity_; }

private:
    std::string_view text_;
    bool identity_;
    std::size_t byte_ = 0;
    std::int64_t index_ = 0;
};

// -- sub's replacement templates (re_syntax.cpp) -------------------------------------
// A template: literal pieces and group references, in order.
struct template_piece {
    std::string literal;      // used when group < 0
    std::int64_t group = -1;
};
// Parses a replacement template as Python's: \1 .. \99, \g<n>, \g<name>,
// the escapes \a \b \f \n \r \t \v \\, octal \0nn; other ASCII-letter escapes
// are errors. Throws compile_failure (Python raises re.error), or
// interp::script_error IndexError "unknown group name 'x'" as Python does.
std::vector<template_piece> parse_template(const compiled& c, std::string_view repl);

// -- the values (re_values.cpp; the pattern's type and methods: re_module.cpp) -------
extern const interp::resource_type pattern_type;
extern const interp::resource_type match_type;
extern const interp::builtin_def def_Pattern;
extern const interp::builtin_def def_Match;
extern const interp::builtin_def def_error;
bool is_pattern(value v) noexcept;
const compiled& compiled_of(value pattern) noexcept;
// A new pattern value for c (allocates).
value make_pattern(interp::heap& h, const compiled& c);
// A new match value: subject and pattern values, pos/endpos (indexes), the
// groups' byte offsets (converted to indexes here). Allocates.
value make_match(vm& m, value subject, value pattern, std::int64_t pos, std::int64_t endpos,
                 const std::vector<PCRE2_SIZE>& ov, positions& at);

// -- the operations (re_ops.cpp), for the module's functions and the pattern's
// methods alike. `pattern` is c's value, or None (made when a match needs
// it); pos, endpos, count and maxsplit are empty when not given. The
// arguments need not be rooted: the operations root what they keep.
enum class anchor { search, match, full };
value op_search(vm& m, const compiled& c, value pattern, value subject, value pos, value endpos, anchor a);
value op_findall(vm& m, const compiled& c, value pattern, value subject, value pos, value endpos, bool iter);
value op_sub(vm& m, const compiled& c, value pattern, value repl, value subject, value count, bool subn);
value op_split(vm& m, const compiled& c, value pattern, value subject, value maxsplit);

// -- errors (re_module.cpp) ----------------------------------------------------------
// Raises re.error(msg) with Python's attributes msg, pattern, pos.
[[noreturn]] void raise_error(vm& m, const compile_failure& f, value pattern);
[[noreturn]] void raise_error(vm& m, const std::string& msg);

}  // namespace weft::lib::re
