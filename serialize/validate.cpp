// validate.cpp: the bounds, kinds, limits and shape checks behind validate().
//
// The walk mirrors the decoder's (the same frames over composite lists), so
// everything the decoder will touch is checked first: every pointer's kind,
// target and size, every union tag, every text's NUL, every shared index. It
// keeps its work in an explicit stack and counts the words it visits.
#include "serialize/validate.hpp"

#include <algorithm>
#include <cstring>

#include "serialize/layout.hpp"
#include "serialize/small_stack.hpp"

namespace weft {

using namespace layout;

namespace {

const char* kind_name(std::uint64_t kind) {
    switch (kind) {
        case struct_kind: return "struct";
        case list_kind: return "list";
        case far_kind: return "far";
        default: return "capability";
    }
}

class validator {
public:
    validator(std::span<const std::uint64_t> words, std::size_t binary_count, const validate_limits& limits)
        : w_(words.data()), n_(words.size()), binaries_(binary_count), limits_(limits) {
        std::size_t budget = limits.traversal_factor * n_ + limits.traversal_slack;
        budget_ = n_ != 0 && budget / n_ < limits.traversal_factor ? SIZE_MAX : budget;  // overflow
    }

    std::optional<validate_error> run() {
        if (n_ == 0) return std::nullopt;
        target root;
        if (!follow_struct(0, "root", term_data_words, term_pointers, root)) return error_;
        if (!root.null && !check_term(root.at, root.data_words, 1)) return error_;
        while (!work_.empty()) {
            frame& f = work_.top();
            if (f.next == f.end) {
                work_.pop();
                continue;
            }
            std::uint32_t i = f.next++;
            frame copy = f;  // check_term may push and move f
            if (copy.dict) {
                std::size_t slot = copy.base + std::size_t(i / 2) * copy.stride + copy.data_words + (i & 1);
                target t;
                if (!follow_struct(slot, i & 1 ? "dict value" : "dict key", term_data_words, term_pointers, t))
                    return error_;
                if (!t.null && !check_term(t.at, t.data_words, copy.depth)) return error_;
            } else {
                if (!check_term(copy.base + std::size_t(i) * copy.stride, copy.data_words, copy.depth)) return error_;
            }
        }
        return std::nullopt;
    }

private:
    // The items of a composite list still to check, all at nesting `depth`.
    struct frame {
        std::size_t base;
        std::uint32_t next;
        std::uint32_t end;
        std::uint32_t stride;
        std::uint16_t data_words;
        bool dict;
        std::size_t depth;
    };

    struct target {
        bool null = true;
        std::size_t at = 0;  // first word of the struct, list bytes, or list elements
        std::uint16_t data_words = 0;
        std::uint16_t pointers = 0;
        std::uint64_t count = 0;  // list elements (bytes, or structs for composite lists)
    };

    bool fail(std::size_t word, const std::string& what) {
        error_ = validate_error{word, "word " + std::to_string(word) + ": " + what};
        return false;
    }

    bool spend(std::size_t words, std::size_t at) {
        std::size_t cost = std::max<std::size_t>(words, 1);
        if (cost > budget_)
            return fail(at, "traversal limit exceeded (reading this message visits more than " +
                                std::to_string(limits_.traversal_factor) + "x its " + std::to_string(n_) +
                                " words; pointers alias the same data?)");
        budget_ -= cost;
        return true;
    }

    // Kind check and bounds check of the pointer at `slot`; `at` gets the target.
    bool follow(std::size_t slot, std::uint64_t want, const char* what, std::size_t size_words, std::size_t& at) {
        std::uint64_t p = w_[slot];
        std::uint64_t kind = pointer_kind_of(p);
        if (kind == far_kind)
            return fail(slot, std::string("far pointer for ") + what + " (only single-segment messages are accepted)");
        if (kind != want)
            return fail(slot, std::string(kind_name(kind)) + " pointer where " + what + " needs a " +
                                  kind_name(want) + " pointer");
        std::int64_t t = std::int64_t(slot) + 1 + pointer_offset(p);
        if (t < 0 || std::uint64_t(t) > n_ || size_words > n_ - std::uint64_t(t))
            return fail(slot, std::string(what) + " pointer out of bounds (target word " + std::to_string(t) + ", " +
                                  std::to_string(size_words) + " words; message has " + std::to_string(n_) + ")");
        at = std::size_t(t);
        return spend(size_words, slot);
    }

    bool follow_struct(std::size_t slot, const char* what, std::uint16_t min_data, std::uint16_t min_pointers,
                       target& out) {
        out = target{};
        std::uint64_t p = w_[slot];
        if (p == 0) return true;
        out.null = false;
        out.data_words = struct_data_words(p);
        out.pointers = struct_pointers(p);
        if (!follow(slot, struct_kind, what, std::size_t(out.data_words) + out.pointers, out.at)) return false;
        if (out.data_words < min_data || out.pointers < min_pointers)
            return fail(slot, std::string(what) + " struct too small (" + std::to_string(out.data_words) +
                                  " data words, " + std::to_string(out.pointers) + " pointers; needs " +
                                  std::to_string(min_data) + " and " + std::to_string(min_pointers) + ")");
        return true;
    }

    bool follow_bytes(std::size_t slot, const char* what, target& out) {
        out = target{};
        std::uint64_t p = w_[slot];
        if (p == 0) return true;
        out.null = false;
        if (pointer_kind_of(p) == list_kind && list_element_size(p) != elem_byte)
            return fail(slot, std::string(what) + " must be a list of bytes (element size code " +
                                  std::to_string(list_element_size(p)) + ")");
        out.count = list_count(p);
        return follow(slot, list_kind, what, std::size_t((out.count + 7) / 8), out.at);
    }

    bool follow_composite(std::size_t slot, const char* what, std::uint16_t min_data, std::uint16_t min_pointers,
                          target& out) {
        out = target{};
        std::uint64_t p = w_[slot];
        if (p == 0) return true;
        out.null = false;
        if (pointer_kind_of(p) == list_kind && list_element_size(p) != elem_composite)
            return fail(slot, std::string(what) + " must be a list of structs (element size code " +
                                  std::to_string(list_element_size(p)) + ")");
        std::uint64_t words = list_count(p);
        std::size_t tag_at;
        if (!follow(slot, list_kind, what, std::size_t(words) + 1, tag_at)) return false;
        std::uint64_t tag = w_[tag_at];
        if (pointer_kind_of(tag) != struct_kind)
            return fail(tag_at, std::string(what) + " list tag is not a struct tag");
        out.at = tag_at + 1;
        out.count = composite_count(tag);
        out.data_words = struct_data_words(tag);
        out.pointers = struct_pointers(tag);
        if (out.count == 0) return true;
        if (out.data_words < min_data || out.pointers < min_pointers)
            return fail(tag_at, std::string(what) + " elements too small (" + std::to_string(out.data_words) +
                                    " data words, " + std::to_string(out.pointers) + " pointers; needs " +
                                    std::to_string(min_data) + " and " + std::to_string(min_pointers) + ")");
        if (out.count * (std::uint64_t(out.data_words) + out.pointers) > words)
            return fail(tag_at, std::string(what) + " elements overrun the list (" + std::to_string(out.count) +
                                    " elements in " + std::to_string(words) + " words)");
        return true;
    }

    bool check_text(std::size_t slot, const char* what) {
        target t;
        if (!follow_bytes(slot, what, t)) return false;
        if (t.null) return true;
        auto* bytes = reinterpret_cast<const unsigned char*>(w_ + t.at);
        if (t.count == 0 || bytes[t.count - 1] != 0) return fail(slot, std::string(what) + " is not NUL-terminated");
        return true;
    }

    bool check_bignum(std::size_t slot) {
        target t;
        if (!follow_bytes(slot, "bignum", t)) return false;
        if (t.null || t.count < 2) return fail(slot, "bignum needs a sign byte and a magnitude");
        auto* bytes = reinterpret_cast<const unsigned char*>(w_ + t.at);
        if (bytes[0] > 1) return fail(slot, "bignum sign byte must be 0 or 1");
        std::size_t mag = std::size_t(t.count - 1);
        if (bytes[mag] == 0) return fail(slot, "bignum magnitude has high zero bytes");
        if (mag <= 8) {
            std::uint64_t m = 0;
            for (std::size_t i = 0; i < mag; ++i) m |= std::uint64_t(bytes[1 + i]) << (8 * i);
            std::uint64_t max = std::uint64_t(INT64_MAX) + bytes[0];  // -2^63 fits too
            if (m <= max) return fail(slot, "bignum fits in an int (writers must use int)");
        }
        return true;
    }

    // Items of a list found at `slot`, checked later at nesting depth+1.
    bool push_items(std::size_t slot, const char* what, bool dict, std::size_t depth) {
        target t;
        bool ok = dict ? follow_composite(slot, what, entry_data_words, entry_pointers, t)
                       : follow_composite(slot, what, term_data_words, term_pointers, t);
        if (!ok) return false;
        if (t.null || t.count == 0) return true;
        if (depth + 1 > limits_.max_nesting)
            return fail(slot, "nesting deeper than the limit of " + std::to_string(limits_.max_nesting));
        if (t.count > UINT32_MAX / 2) return fail(slot, std::string(what) + " has too many elements");
        auto count = std::uint32_t(t.count);
        work_.push({t.at, 0, dict ? 2 * count : count, std::uint32_t(t.data_words) + t.pointers, t.data_words, dict,
                    depth + 1});
        return true;
    }

    // The Term struct at `at` (its size already checked) at nesting `depth`.
    bool check_term(std::size_t at, std::uint16_t data_words, std::size_t depth) {
        std::size_t slot = at + data_words + term_pointer;
        std::uint16_t tag = static_cast<std::uint16_t>(w_[at]);
        target t;
        switch (tag) {
            case tag_none:
            case tag_bool:
            case tag_int:
            case tag_float: return true;
            case tag_shared_str:
            case tag_shared_bytes: {
                auto index = static_cast<std::uint32_t>(w_[at + term_value_word]);
                if (index >= binaries_)
                    return fail(at + term_value_word, "shared binary index " + std::to_string(index) +
                                                          " out of range (the envelope has " +
                                                          std::to_string(binaries_) + ")");
                return true;
            }
            case tag_str: return check_text(slot, "str");
            case tag_bytes: return follow_bytes(slot, "bytes", t);
            case tag_bignum: return check_bignum(slot);
            case tag_pid: return follow_struct(slot, "pid", id_data_words, id_pointers, t);
            case tag_ref: return follow_struct(slot, "ref", id_data_words, id_pointers, t);
            case tag_port: return follow_struct(slot, "port", id_data_words, id_pointers, t);
            case tag_tuple: return push_items(slot, "tuple", false, depth);
            case tag_list: return push_items(slot, "list", false, depth);
            case tag_set: return push_items(slot, "set", false, depth);
            case tag_frozenset: return push_items(slot, "frozenset", false, depth);
            case tag_dict: return push_items(slot, "dict", true, depth);
            case tag_function: {
                if (!follow_struct(slot, "function", function_data_words, function_pointers, t)) return false;
                if (t.null) return true;
                std::size_t ptrs = t.at + t.data_words;
                return check_text(ptrs + function_module, "function module") &&
                       check_text(ptrs + function_name, "function name") &&
                       push_items(ptrs + function_captures, "function captures", false, depth);
            }
            default:
                return fail(at, "bad Term discriminant " + std::to_string(tag) + " (valid: 0.." +
                                    std::to_string(tag_count - 1) + ")");
        }
    }

    const std::uint64_t* w_;
    std::size_t n_;
    std::size_t binaries_;
    validate_limits limits_;
    std::size_t budget_;
    std::optional<validate_error> error_;
    detail::small_stack<frame> work_;
};

}  // namespace

std::optional<validate_error> validate(std::span<const std::uint64_t> words, std::size_t binary_count,
                                       const validate_limits& limits) {
    return validator(words, binary_count, limits).run();
}

}  // namespace weft
