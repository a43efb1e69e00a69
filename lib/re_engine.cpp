// re_engine.cpp: the `re` module's engine: the per-program cache of compiled
// patterns, one match attempt on PCRE2 (with its JIT, under a match limit),
// and the conversion between Python's positions and PCRE2's byte offsets.
//
// It must never let a compiled pattern change after the cache has published
// it (every actor reads it at once, unlocked), never keep PCRE2 match data
// or a thread's scratch across a call back into script code or a suspension
// (a fiber may move to another thread there), and never use the fiber's
// small stack for PCRE2's JIT (it gets a stack of its own, per thread).
#include <algorithm>
#include <cstring>
#include <functional>

#include "interp/heap/object.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"
#include "lib/re_internal.hpp"
#include "lib/re_module.hpp"

namespace weft::lib::re {

// -- The cache -------------------------------------------------------------------------

namespace {

std::uint64_t key_hash(std::string_view source, std::uint32_t flags, bool is_bytes) noexcept {
    return std::hash<std::string_view>{}(source) ^ (std::uint64_t(flags) << 1 | std::uint64_t(is_bytes)) * 0x9E3779B97F4A7C15ull;
}

constexpr std::size_t first_capacity = 64;

// Compiles one pattern (PCRE2's compile uses the heap for its work, not
// deep recursion; the nesting of parentheses is limited all the same, so
// that the C++ stack of a fiber suffices).
std::unique_ptr<compiled> compile_pattern(std::string_view source, std::uint32_t flags, bool is_bytes,
                                          std::uint64_t hash) {
    // Flags that cannot go together are a ValueError in Python, not re.error.
    auto refuse = [](const char* why) { interp::throw_script_error("ValueError", why); };
    if (flags & f_locale) refuse(is_bytes ? "re.LOCALE is not supported" : "cannot use LOCALE flag with a str pattern");
    if (is_bytes && (flags & f_unicode)) refuse("cannot use UNICODE flag with a bytes pattern");
    if ((flags & f_ascii) && (flags & f_unicode)) refuse("ASCII and UNICODE flags are incompatible");
    translated t = translate(source, flags, is_bytes);
    std::uint32_t all = t.flags;
    if (all & f_locale) refuse(is_bytes ? "re.LOCALE is not supported" : "cannot use LOCALE flag with a str pattern");
    if (is_bytes && (all & f_unicode)) refuse("cannot use UNICODE flag with a bytes pattern");
    // Python's ^ with MULTILINE matches after a final newline too; \C could
    // split a code point.
    std::uint32_t options = PCRE2_ALT_CIRCUMFLEX | PCRE2_NEVER_BACKSLASH_C;
    if (!is_bytes) {
        options |= PCRE2_UTF | PCRE2_NO_UTF_CHECK;  // Weft's str is valid UTF-8 always
        if (!(all & f_ascii)) options |= PCRE2_UCP;  // \w \d \s \b and case folding by Unicode, as Python's
    }
    if (all & f_ignorecase) options |= PCRE2_CASELESS;
    if (all & f_multiline) options |= PCRE2_MULTILINE;
    if (all & f_dotall) options |= PCRE2_DOTALL;
    if (all & f_verbose) options |= PCRE2_EXTENDED;
    pcre2_compile_context* cc = pcre2_compile_context_create(nullptr);
    pcre2_set_parens_nest_limit(cc, 200);
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(t.text.data()), t.text.size(), options, &code,
                                   &offset, cc);
    pcre2_compile_context_free(cc);
    if (!re) throw describe_compile_error(source, is_bytes, t, code, offset);
    // The JIT makes matching several times faster; a pattern it cannot
    // handle still runs in the interpreter.
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    auto c = std::make_unique<compiled>();
    c->code = re;
    c->source = std::string(source);
    c->asked = flags;
    c->flags = all | (is_bytes || (all & f_ascii) ? 0u : std::uint32_t(f_unicode));
    c->is_bytes = is_bytes;
    c->hash = hash;
    pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &c->groups);
    std::uint32_t count = 0, entry = 0;
    PCRE2_SPTR name_table = nullptr;
    pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &name_table);
    for (std::uint32_t i = 0; i < count; ++i) {
        const unsigned char* e = name_table + std::size_t(i) * entry;
        std::uint32_t group = std::uint32_t(e[0]) << 8 | e[1];
        c->names.emplace_back(reinterpret_cast<const char*>(e + 2), group);
    }
    // PCRE2 sorts names alphabetically; Python's groupindex follows the groups.
    std::sort(c->names.begin(), c->names.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return c;
}

}  // namespace

pattern_cache::pattern_cache() {
    tables_.push_back(std::make_unique<table>(first_capacity));
    // Relaxed: the cache is made at load, before any actor can read it; the
    // program's hand-over to the actors' threads publishes it.
    current_.store(tables_.back().get(), std::memory_order_relaxed);
}

pattern_cache::~pattern_cache() = default;

const compiled* pattern_cache::find_in(const table& t, std::uint64_t hash, std::string_view source,
                                       std::uint32_t flags, bool is_bytes) noexcept {
    for (std::size_t i = hash & t.mask;; i = (i + 1) & t.mask) {
        // Acquire: pairs with the release store that published the entry,
        // so its fields (written before) are seen complete.
        const compiled* c = t.slots[i].load(std::memory_order_acquire);
        if (!c) return nullptr;  // tables are never full: a null slot ends every probe
        if (c->hash == hash && c->asked == flags && c->is_bytes == is_bytes && c->source == source) return c;
    }
}

void pattern_cache::put_in(table& t, const compiled* c) noexcept {
    std::size_t i = c->hash & t.mask;
    // Relaxed loads: only the writer (holding write_) stores slots, and it
    // sees its own stores.
    while (t.slots[i].load(std::memory_order_relaxed)) i = (i + 1) & t.mask;
    // Release: a reader that sees the pointer sees the entry's fields.
    t.slots[i].store(c, std::memory_order_release);
}

const compiled& pattern_cache::get(std::string_view source, std::uint32_t flags, bool is_bytes) {
    std::uint64_t hash = key_hash(source, flags, is_bytes);
    // Acquire: pairs with the release store of a grown table, whose slots
    // were filled before it was published.
    if (const compiled* c = find_in(*current_.load(std::memory_order_acquire), hash, source, flags, is_bytes)) return *c;
    std::lock_guard<std::mutex> hold(write_);
    // Relaxed: current_ changes only under write_, which we hold.
    table* t = current_.load(std::memory_order_relaxed);
    if (const compiled* c = find_in(*t, hash, source, flags, is_bytes)) return *c;  // another actor was first
    std::unique_ptr<compiled> fresh = compile_pattern(source, flags, is_bytes, hash);  // throws: nothing changed
    const compiled* c = fresh.get();
    entries_.push_back(std::move(fresh));
    if (entries_.size() * 2 > t->mask + 1) {  // at most half full: probes stay short
        tables_.push_back(std::make_unique<table>((t->mask + 1) * 2));
        table* bigger = tables_.back().get();
        for (const auto& e : entries_) put_in(*bigger, e.get());
        // Release: readers that load the new table see its slots filled.
        // Readers still on the old one find no new entry there and come here.
        current_.store(bigger, std::memory_order_release);
    } else {
        put_in(*t, c);
    }
    return *c;
}

pattern_cache& cache_of(vm& m) {
    return static_cast<pattern_cache&>(*m.prog().module_state(re_module()));
}

// -- Matching -----------------------------------------------------------------------------

namespace {

// A pattern that backtracks more than this gives up with re.error: `(a+)+$`
// on 30 a's and a b stops in milliseconds instead of hanging its worker.
// (PCRE2's start-up optimizations make most searches far cheaper than
// Python's backtracking, so honest patterns stay far below it.)
constexpr std::uint32_t match_limit = 10'000'000;

// What pcre2_match needs besides the pattern, made once per thread: match
// data (grown to the most groups seen) and the JIT's own stack, on the heap,
// since a fiber's stack is small.
struct scratch {
    pcre2_match_context* context = pcre2_match_context_create(nullptr);
    pcre2_jit_stack* jit_stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr);
    pcre2_match_data* data = nullptr;
    std::uint32_t pairs = 0;
    scratch() {
        pcre2_jit_stack_assign(context, nullptr, jit_stack);
        pcre2_set_match_limit(context, match_limit);
        pcre2_set_heap_limit(context, 512 * 1024);  // KiB: the interpreter's backtracking frames
    }
    ~scratch() {
        pcre2_match_data_free(data);
        pcre2_jit_stack_free(jit_stack);
        pcre2_match_context_free(context);
    }
    scratch(const scratch&) = delete;
    scratch& operator=(const scratch&) = delete;
};

// Not inlined: its callers must not keep the thread's address across a
// suspension (none happens inside a call of it, and it is read afresh each time).
[[gnu::noinline]] scratch& thread_scratch() {
    thread_local scratch s;
    return s;
}

}  // namespace

bool run_match(vm& m, const compiled& c, std::string_view subject, std::size_t start, std::uint32_t options,
               std::vector<PCRE2_SIZE>& ov) {
    scratch& s = thread_scratch();
    std::uint32_t pairs = c.groups + 1;
    if (s.pairs < pairs) {
        pcre2_match_data_free(s.data);
        s.data = pcre2_match_data_create(std::max<std::uint32_t>(pairs, 16), nullptr);
        s.pairs = std::max<std::uint32_t>(pairs, 16);
    }
    if (!c.is_bytes) options |= PCRE2_NO_UTF_CHECK;  // valid UTF-8, and start is at a code point
    int rc = pcre2_match(c.code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, options, s.data,
                         s.context);
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return false;
    if (rc < 0) {
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT ||
            rc == PCRE2_ERROR_JIT_STACKLIMIT)
            raise_error(m, "pattern backtracked too much (match limit exceeded)");
        PCRE2_UCHAR text[256];
        pcre2_get_error_message(rc, text, sizeof text);
        raise_error(m, std::string("matching failed: ") + reinterpret_cast<const char*>(text));
    }
    const PCRE2_SIZE* got = pcre2_get_ovector_pointer(s.data);
    ov.assign(got, got + 2 * std::size_t(pairs));
    // Groups above the highest that took part are left unset by PCRE2's
    // contract, but only rc pairs are written: say so.
    for (std::size_t g = std::size_t(rc); g < pairs; ++g) ov[2 * g] = ov[2 * g + 1] = PCRE2_UNSET;
    return true;
}

// -- Positions --------------------------------------------------------------------------------

namespace {
inline bool starts_code_point(char b) noexcept { return (static_cast<unsigned char>(b) & 0xC0) != 0x80; }
}  // namespace

std::int64_t positions::to_index(std::size_t byte) noexcept {
    if (identity_) return std::int64_t(byte);
    if (byte >= byte_) {
        const char* p = text_.data();
        std::int64_t n = 0;
        for (std::size_t i = byte_; i < byte; ++i) n += starts_code_point(p[i]);
        index_ += n;
    } else if (byte * 2 < byte_) {  // nearer the start: count from there
        index_ = 0;
        for (std::size_t i = 0; i < byte; ++i) index_ += starts_code_point(text_[i]);
    } else {
        for (std::size_t i = byte; i < byte_; ++i) index_ -= starts_code_point(text_[i]);
    }
    byte_ = byte;
    return index_;
}

std::size_t positions::to_byte(std::int64_t index) noexcept {
    if (identity_) return std::size_t(index);
    if (index < index_) {
        byte_ = 0;
        index_ = 0;
    }
    while (index_ < index && byte_ < text_.size()) {
        ++byte_;
        while (byte_ < text_.size() && !starts_code_point(text_[byte_])) ++byte_;
        ++index_;
    }
    return byte_;
}

}  // namespace weft::lib::re
