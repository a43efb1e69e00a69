// json_encode.cpp: json.dumps: CPython 3.11's exact text (its separators,
// ensure_ascii escapes, indent, sort_keys, float repr, key conversions and
// error messages), written into one std::string.
//
// It must never recurse over the value's depth: open containers wait on an
// explicit stack (bounded by max_depth), and a container met again while it
// is still open is Python's "Circular reference detected". The containers
// on that stack are rooted: `default=` runs script code, which may collect.
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/compare.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/vm/vm.hpp"
#include "lib/json_internal.hpp"

namespace weft::lib::json {
namespace {

using interp::obj_kind;
using interp::value;

constexpr char hex_digits[] = "0123456789abcdef";

void append_u_escape(std::string& out, std::uint32_t unit) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex_digits[(unit >> shift) & 0xF];
}

// Python's encode_basestring(_ascii): the str in double quotes.
void append_string(std::string& out, std::string_view s, bool ensure_ascii) {
    out += '"';
    std::size_t i = 0, run = 0, n = s.size();
    while (i < n) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x7F || !ensure_ascii)) {
            ++i;
            continue;
        }
        out.append(s.substr(run, i - run));
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default: append_u_escape(out, c); break;
            }
            run = ++i;
            continue;
        }
        // ensure_ascii and a multibyte sequence (the str is valid UTF-8).
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        std::uint32_t cp = c & (0x7F >> len);
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_u_escape(out, 0xD800 | (cp >> 10));
            append_u_escape(out, 0xDC00 | (cp & 0x3FF));
        } else {
            append_u_escape(out, cp);
        }
        i += std::size_t(len);
        run = i;
    }
    out.append(s.substr(run));
    out += '"';
}

class encoder {
public:
    encoder(interp::vm& m, const encode_options& o)
        : m_(m), h_(m.heap()), o_(o), stack_(m.heap()), collections_(m.heap().collections()) {}

    std::string run(value v) {
        emit(v);
        while (!frames_.empty()) {
            m_.charge(1);
            frame& f = frames_.back();
            value item;
            if (!next_item(f, item)) {
                close();
                continue;
            }
            emit(item);
        }
        return std::move(out_);
    }

private:
    // One open container. Lists are read live (as Python's encoder does);
    // a dict's items are copied onto the stack first (sorted if asked), at
    // [base + 1, base + 1 + 2 * count).
    struct frame {
        obj_kind kind;
        std::size_t base;   // the container's slot in stack_
        std::size_t index;  // the next item
        std::size_t count;  // a dict's items
        bool first;
    };

    void emit(value v) {
        m_.charge(1);
        std::size_t defaults = 0;
        for (;;) {
            if (v.is_none()) {
                out_ += "null";
            } else if (v.is_bool()) {
                out_ += v.as_bool() ? "true" : "false";
            } else if (v.is_int()) {
                out_ += std::to_string(v.as_int());
            } else if (v.is_float()) {
                append_float(v.as_float());
            } else if (interp::num::is_bignum(v)) {
                out_ += interp::bignum_to_string(v);
            } else if (interp::is_str(v)) {
                append_string(out_, interp::str_view(v), o_.ensure_ascii);
            } else if (interp::is_kind(v, obj_kind::list) || interp::is_kind(v, obj_kind::tuple) ||
                       interp::is_kind(v, obj_kind::dict)) {
                open(v);
            } else {
                if (!o_.default_fn || o_.default_fn->is_none())
                    interp::throw_script_error("TypeError", std::string("Object of type ") + interp::type_name_of(v) +
                                                                " is not JSON serializable");
                if (++defaults > max_depth) too_deep();
                interp::rooted given(h_, v);
                value arg = v;
                v = m_.call(*o_.default_fn, std::span<const value>(&arg, 1));
                // default(o) returning o itself: Python's markers catch it.
                if (v.bits() == given.get().bits()) circular();
                refresh_path();
                continue;
            }
            return;
        }
    }

    void append_float(double d) {
        if (d != d || d == INFINITY || d == -INFINITY) {
            if (!o_.allow_nan) interp::throw_script_error("ValueError", "Out of range float values are not JSON compliant");
            out_ += d != d ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
            return;
        }
        out_ += interp::repr_float(d);
    }

    [[noreturn]] static void circular() { interp::throw_script_error("ValueError", "Circular reference detected"); }
    [[noreturn]] static void too_deep() {
        interp::throw_script_error("RecursionError", "maximum depth exceeded while encoding a JSON object (more than " +
                                                         std::to_string(max_depth) + " levels)");
    }

    void open(value v) {
        obj_kind kind = interp::kind_of(v);
        bool is_dict = kind == obj_kind::dict;
        std::size_t length = is_dict ? interp::heap::dict_len(v)
                           : kind == obj_kind::list ? interp::as_list(v)->length
                                                    : interp::as_tuple(v)->length();
        if (length == 0) {
            out_ += is_dict ? "{}" : "[]";
            return;
        }
        if (!path_.insert(v.bits()).second) circular();
        if (frames_.size() >= max_depth) too_deep();
        std::size_t base = stack_.size();
        stack_.push_back(v);
        std::size_t count = 0;
        if (is_dict) count = copy_items(base);
        frames_.push_back(frame{kind, base, 0, count, true});
        out_ += is_dict ? '{' : '[';
        newline();
    }

    // The dict at stack_[base]'s items, after it on the stack, sorted by key
    // when sort_keys (Python's sorted(d.items()): TypeError for keys that
    // do not compare).
    std::size_t copy_items(std::size_t base) {
        std::uint32_t pos = 0;
        value k, v;
        std::size_t count = 0;
        while (interp::heap::dict_next(stack_[base], pos, k, v)) {
            stack_.push_back(k);
            stack_.push_back(v);
            ++count;
        }
        if (o_.sort_keys && count > 1) {
            std::vector<std::pair<value, value>> items(count);
            for (std::size_t j = 0; j < count; ++j) items[j] = {stack_[base + 1 + 2 * j], stack_[base + 2 + 2 * j]};
            // No allocation happens while the pairs are off the stack.
            std::stable_sort(items.begin(), items.end(), [this](const auto& a, const auto& b) {
                return interp::values_less(h_, a.first, b.first);
            });
            for (std::size_t j = 0; j < count; ++j) {
                stack_[base + 1 + 2 * j] = items[j].first;
                stack_[base + 2 + 2 * j] = items[j].second;
            }
        }
        return count;
    }

    bool next_item(frame& f, value& item) {
        if (f.kind != obj_kind::dict) {
            value c = stack_[f.base];
            std::size_t length = f.kind == obj_kind::list ? interp::as_list(c)->length : interp::as_tuple(c)->length();
            if (f.index >= length) return false;
            item = f.kind == obj_kind::list ? interp::as_list(c)->slots()[f.index] : interp::as_tuple(c)->items()[f.index];
            ++f.index;
            separator(f);
            return true;
        }
        while (f.index < f.count) {
            value key = stack_[f.base + 1 + 2 * f.index];
            item = stack_[f.base + 2 + 2 * f.index];
            ++f.index;
            std::string text;
            if (!key_text(key, text)) continue;  // skipkeys
            separator(f);
            append_string(out_, text, o_.ensure_ascii);
            out_ += o_.key_separator;
            return true;
        }
        return false;
    }

    // A key as Python converts it: str as is, floats, ints, True, False and
    // None as their JSON text; false for a key skipkeys drops.
    bool key_text(value key, std::string& text) {
        if (interp::is_str(key)) {
            text = interp::str_view(key);
        } else if (key.is_float()) {
            std::size_t mark = out_.size();
            append_float(key.as_float());
            text = out_.substr(mark);
            out_.resize(mark);
        } else if (key.is_bool()) {
            text = key.as_bool() ? "true" : "false";
        } else if (key.is_none()) {
            text = "null";
        } else if (key.is_int()) {
            text = std::to_string(key.as_int());
        } else if (interp::num::is_bignum(key)) {
            text = interp::bignum_to_string(key);
        } else if (o_.skip_keys) {
            return false;
        } else {
            interp::throw_script_error("TypeError", std::string("keys must be str, int, float, bool or None, not ") +
                                                        interp::type_name_of(key));
        }
        return true;
    }

    void separator(frame& f) {
        if (f.first) {
            f.first = false;
            return;
        }
        out_ += o_.item_separator;
        newline();
    }

    void newline() {
        if (!o_.indent) return;
        out_ += '\n';
        for (std::size_t k = 0; k < frames_.size(); ++k) out_ += *o_.indent;
    }

    void close() {
        frame f = frames_.back();
        frames_.pop_back();
        newline();
        out_ += f.kind == obj_kind::dict ? '}' : ']';
        path_.erase(stack_[f.base].bits());
        stack_.resize(f.base);
    }

    // After script code ran (default=), the open containers may have moved.
    void refresh_path() {
        if (h_.collections() == collections_) return;
        collections_ = h_.collections();
        path_.clear();
        for (const frame& f : frames_) path_.insert(stack_[f.base].bits());
    }

    interp::vm& m_;
    interp::heap& h_;
    const encode_options& o_;
    std::string out_;
    interp::bi::rooted_values stack_;
    std::vector<frame> frames_;
    std::unordered_set<std::uint64_t> path_;  // the open containers, by address
    std::uint64_t collections_;
};

}  // namespace

std::string encode(interp::vm& m, value v, const encode_options& o) {
    interp::rooted keep(m.heap(), v);
    return encoder(m, o).run(keep);
}

}  // namespace weft::lib::json
