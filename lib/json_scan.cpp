// json_scan.cpp: json.loads's precise parser: CPython 3.11's grammar and
// error messages (Modules/_json.c's scanner), byte for byte, building values
// straight into the actor's heap.
//
// It runs only when simdjson (json_decode.cpp) rejects a document: either
// the document is wrong, and this parser finds where Python would have
// stopped and why, or it holds what Python accepts and simdjson does not
// (NaN, Infinity, ints beyond 64 bits, 1e400). It must never recurse over
// the document's depth (containers wait on an explicit stack, bounded by
// max_depth) and never hold a pointer into the heap across an allocation
// (the document itself is off the heap; containers and keys are rooted).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/objects/bigint.hpp"
#include "interp/vm/vm.hpp"
#include "lib/json_internal.hpp"

namespace weft::lib::json {
namespace {

using interp::value;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

class scanner {
public:
    scanner(interp::vm& m, std::string_view s) : m_(m), h_(m.heap()), s_(s), n_(s.size()), slots_(m.heap()) {}

    value parse() {
        skip_ws();
        value v = document();
        skip_ws();
        if (i_ != n_) fail("Extra data", i_);
        if (lone_surrogate_ != npos) fail("Lone surrogate in \\u escape: a str cannot hold it", lone_surrogate_);
        return v;
    }

private:
    [[noreturn]] static void fail(const char* msg, std::size_t pos) { throw syntax_error{msg, pos}; }

    void skip_ws() noexcept {
        while (i_ < n_ && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }

    // One value at i_ (whitespace skipped), with every container in it.
    value document() {
        for (;;) {
            value v = start_value();
            while (!v.is_empty()) {
                if (objects_.empty()) return v;
                v = attach(v);
            }
        }
    }

    // A whole scalar, an empty container, or empty() when a container was
    // opened (its first value, or first key and colon, already read).
    value start_value() {
        m_.charge(1);
        if (i_ >= n_) fail("Expecting value", i_);
        char c = s_[i_];
        switch (c) {
        case '"':
            return string();
        case '[':
        case '{': {
            bool object = c == '{';
            if (objects_.size() >= max_depth) fail("Too deeply nested: more than 100000 levels", i_);
            ++i_;
            skip_ws();
            if (i_ < n_ && s_[i_] == (object ? '}' : ']')) {
                ++i_;
                return object ? h_.alloc_dict() : h_.alloc_list();
            }
            value container = object ? h_.alloc_dict() : h_.alloc_list();
            slots_.push_back(container);
            slots_.push_back(value::none());  // the key a value waits for
            objects_.push_back(object);
            if (object) key_and_colon();
            return value::empty();
        }
        case 'n':
            if (literal("null")) return value::none();
            break;
        case 't':
            if (literal("true")) return value::true_value();
            break;
        case 'f':
            if (literal("false")) return value::false_value();
            break;
        case 'N':
            if (literal("NaN")) return value::from_float(std::nan(""));
            break;
        case 'I':
            if (literal("Infinity")) return value::from_float(INFINITY);
            break;
        case '-':
            if (s_.substr(i_, 9) == "-Infinity") {
                i_ += 9;
                return value::from_float(-INFINITY);
            }
            break;
        default:
            break;
        }
        return number();
    }

    bool literal(std::string_view word) noexcept {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    // Reads `"key" :` into the top frame's key slot.
    void key_and_colon() {
        if (i_ >= n_ || s_[i_] != '"') fail("Expecting property name enclosed in double quotes", i_);
        value key = string();
        slots_[slots_.size() - 1] = key;
        skip_ws();
        if (i_ >= n_ || s_[i_] != ':') fail("Expecting ':' delimiter", i_);
        ++i_;
        skip_ws();
    }

    // Puts v in the open container; then the container is closed (and
    // returned) or the next value is due (empty()).
    value attach(value v) {
        std::size_t top = slots_.size() - 2;
        bool object = objects_.back();
        if (object)
            h_.dict_set(slots_[top], slots_[top + 1], v);
        else
            h_.list_append(slots_[top], v);
        skip_ws();
        if (i_ < n_ && s_[i_] == (object ? '}' : ']')) {
            ++i_;
            value done = slots_[top];
            slots_.resize(top);
            objects_.pop_back();
            return done;
        }
        if (i_ >= n_ || s_[i_] != ',') fail("Expecting ',' delimiter", i_);
        ++i_;
        skip_ws();
        if (object) key_and_colon();
        return value::empty();
    }

    // CPython's _match_number_unicode: "-0", "1.5e3"; "1." and "1e" stop
    // before the dot or the e (what follows is then the caller's error).
    value number() {
        std::size_t start = i_, k = i_;
        if (k < n_ && s_[k] == '-') ++k;
        if (k < n_ && s_[k] >= '1' && s_[k] <= '9') {
            while (k < n_ && is_digit(s_[k])) ++k;
        } else if (k < n_ && s_[k] == '0') {
            ++k;
        } else {
            fail("Expecting value", start);
        }
        bool is_float = false;
        if (k + 1 < n_ && s_[k] == '.' && is_digit(s_[k + 1])) {
            is_float = true;
            k += 2;
            while (k < n_ && is_digit(s_[k])) ++k;
        }
        if (k < n_ && (s_[k] == 'e' || s_[k] == 'E')) {
            std::size_t e = k++;
            if (k < n_ && (s_[k] == '+' || s_[k] == '-')) ++k;
            std::size_t digits = k;
            while (k < n_ && is_digit(s_[k])) ++k;
            if (k > digits)
                is_float = true;
            else
                k = e;
        }
        i_ = k;
        std::string text(s_.substr(start, k - start));
        // strtod is correctly rounded, gives inf past the largest double and
        // 0 below the smallest, as Python's float() does.
        if (is_float) return value::from_float(std::strtod(text.c_str(), nullptr));
        if (text.size() <= 18) return h_.make_int(std::strtoll(text.c_str(), nullptr, 10));
        interp::num::ztemp z;
        mpz_set_str(z, text.c_str(), 10);
        return interp::num::from_mpz(h_, z);
    }

    // CPython's scanstring_unicode (strict): i_ is at the opening quote.
    value string() {
        std::size_t begin = i_;
        std::size_t k = i_ + 1;
        std::size_t run = k;
        while (k < n_ && s_[k] != '"' && s_[k] != '\\' && static_cast<unsigned char>(s_[k]) >= 0x20) ++k;
        if (k < n_ && s_[k] == '"') {  // no escapes: the common case
            i_ = k + 1;
            return h_.alloc_str(s_.substr(run, k - run));
        }
        std::string out;
        for (;;) {
            while (k < n_ && s_[k] != '"' && s_[k] != '\\') {
                if (static_cast<unsigned char>(s_[k]) < 0x20) fail("Invalid control character at", k);
                ++k;
            }
            if (k >= n_) fail("Unterminated string starting at", begin);
            out.append(s_.substr(run, k - run));
            if (s_[k] == '"') {
                i_ = k + 1;
                return h_.alloc_str(out);
            }
            ++k;  // past the backslash
            if (k >= n_) fail("Unterminated string starting at", begin);
            char c = s_[k];
            if (c != 'u') {
                static constexpr std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
                std::size_t at = from.find(c);
                if (at == std::string_view::npos) fail("Invalid \\escape", k - 1);
                out += to[at];
                run = ++k;
                continue;
            }
            std::size_t slash = k - 1;
            ++k;  // past the u
            if (k + 4 >= n_) fail("Invalid \\uXXXX escape", k - 1);
            std::uint32_t cp = hex4(k);
            k += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && k + 6 < n_ && s_[k] == '\\' && s_[k + 1] == 'u') {
                std::uint32_t low = hex4(k + 2);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + (((cp - 0xD800) << 10) | (low - 0xDC00));
                    k += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                // Python makes a str with a lone surrogate; a Weft str cannot
                // hold one. Reading on finds any error Python would report
                // first; the document fails at the end if it had none.
                if (lone_surrogate_ == npos) lone_surrogate_ = slash;
                cp = 0xFFFD;
            }
            append_utf8(out, cp);
            run = k;
        }
    }

    // Four hex digits at k, or Python's error at the `u` before them.
    std::uint32_t hex4(std::size_t k) const {
        std::uint32_t cp = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            int d = hex_digit(s_[k + j]);
            if (d < 0) fail("Invalid \\uXXXX escape", k - 1);
            cp = cp * 16 + std::uint32_t(d);
        }
        return cp;
    }

    interp::vm& m_;
    interp::heap& h_;
    std::string_view s_;
    std::size_t n_;
    std::size_t i_ = 0;
    static constexpr std::size_t npos = std::size_t(-1);
    std::size_t lone_surrogate_ = npos;  // where the first unpaired surrogate escape is
    // Two slots per open container: the container and the key its next
    // value goes under (None in a list).
    interp::bi::rooted_values slots_;
    std::vector<bool> objects_;
};

}  // namespace

value parse_precise(interp::vm& m, std::string_view doc) { return scanner(m, doc).parse(); }

}  // namespace weft::lib::json
