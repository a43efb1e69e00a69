// index.cpp: indexing, slicing, len() and unpacking of the built-in
// sequences and dicts, with Python's index rules and error messages.
//
// str indexes count code points: ASCII text (byte length == code points) is
// indexed directly, other text is walked. Nothing here calls back into
// script code.
#include <string>
#include <vector>

#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/ops.hpp"

namespace weft::interp::ops {

namespace {

std::span<value> items_of(value v) {
    if (is_kind(v, obj_kind::tuple)) return {as_tuple(v)->items(), as_tuple(v)->length()};
    return {as_list(v)->slots(), as_list(v)->length};
}

// Byte offsets of each code point of s, plus s.size() at the end.
std::vector<std::size_t> code_point_offsets(std::string_view s) {
    std::vector<std::size_t> offs;
    for (std::size_t k = 0; k < s.size(); ++k)
        if (!is_utf8_continuation(static_cast<unsigned char>(s[k]))) offs.push_back(k);
    offs.push_back(s.size());
    return offs;
}

bool is_ascii(value s) { return str_view(s).size() == str_length(s); }

value one_char(vm& m, std::string_view s, std::size_t from, std::size_t to) {
    if (to - from == 1 && static_cast<unsigned char>(s[from]) < 128) return m.prog().ascii_char(static_cast<unsigned char>(s[from]));
    return m.heap().alloc_str(std::string(s.substr(from, to - from)));
}

// Python's slice.indices(len): start, stop, step and the count.
struct slice_spec {
    std::int64_t start, stop, step, count;
};

std::int64_t slice_bound(value v, const char*) {
    std::int64_t x;
    if (v.is_bool()) return v.is_true();
    if (v.is_int()) return v.as_int();
    if (num::is_bignum(v)) return num::to_int64(v, x) ? x : (as_bignum(v)->negative() ? INT64_MIN / 2 : INT64_MAX / 2);
    throw_script_error("TypeError", "slice indices must be integers or None or have an __index__ method");
}

slice_spec adjust(value lower, value upper, value step_v, std::int64_t len) {
    std::int64_t step = step_v.is_none() ? 1 : slice_bound(step_v, "step");
    if (step == 0) throw_script_error("ValueError", "slice step cannot be zero");
    std::int64_t lo_default = step < 0 ? len - 1 : 0;
    std::int64_t hi_default = step < 0 ? -1 : len;
    auto clamp = [&](value v, std::int64_t def) {
        if (v.is_none()) return def;
        std::int64_t x = slice_bound(v, "index");
        if (x < 0) {
            x += len;
            if (x < 0) x = step < 0 ? -1 : 0;
        } else if (x >= len) {
            x = step < 0 ? len - 1 : len;
        }
        return x;
    };
    slice_spec s{clamp(lower, lo_default), clamp(upper, hi_default), step, 0};
    if (step > 0)
        s.count = s.start < s.stop ? (s.stop - s.start - 1) / step + 1 : 0;
    else
        s.count = s.start > s.stop ? (s.start - s.stop - 1) / (-step) + 1 : 0;
    return s;
}

}  // namespace

// KeyError(key), with the key itself as its argument.
[[noreturn]] static void raise_key_error(vm& m, value key) {
    value args = m.heap().alloc_tuple(std::span<const value>(&key, 1));  // roots its copy
    m.raise_exception(m.make_exception(m.prog().exception_class_for("KeyError"), args));
}

std::int64_t normalize_index(vm&, value index, std::int64_t len, const char* what) {
    std::int64_t k;
    if (index.is_int()) k = index.as_int();
    else if (index.is_bool()) k = index.is_true();
    else if (num::is_bignum(index)) throw_script_error("IndexError", std::string("cannot fit 'int' into an index-sized integer"));
    else throw_script_error("TypeError", std::string(what) + " indices must be integers or slices, not " + type_name(index));
    if (k < 0) k += len;
    if (k < 0 || k >= len)
        throw_script_error("IndexError", std::string_view(what) == "index" ? std::string("index out of range")
                                                                           : std::string(what) + " index out of range");
    return k;
}

std::int64_t length(value v) {
    if (is_str(v)) return std::int64_t(str_length(v));
    if (is_bytes(v)) return std::int64_t(bytes_view(v).size());
    if (is_kind(v, obj_kind::tuple)) return as_tuple(v)->length();
    if (is_kind(v, obj_kind::list)) return as_list(v)->length;
    if (is_kind(v, obj_kind::dict)) return as_dict(v)->count;
    if (is_any_set(v)) return heap::set_len(v);
    if (is_native(v, native_kind::range)) return range_of(v).length();
    throw_script_error("TypeError", std::string("object of type '") + type_name(v) + "' has no len()");
}

value getitem(vm& m, value obj, value index) {
    if (is_kind(obj, obj_kind::list) || is_kind(obj, obj_kind::tuple)) {
        bool list = is_kind(obj, obj_kind::list);
        if (is_native(index, native_kind::range) || is_kind(index, obj_kind::tuple) || is_str(index))
            throw_script_error("TypeError", std::string(list ? "list" : "tuple") + " indices must be integers or slices, not " +
                                                type_name(index));
        auto items = items_of(obj);
        return items[std::size_t(normalize_index(m, index, std::int64_t(items.size()), list ? "list" : "tuple"))];
    }
    if (is_kind(obj, obj_kind::dict)) {
        std::optional<value> v = m.heap().dict_get(obj, index);
        if (v) return *v;
        raise_key_error(m, index);
    }
    if (is_str(obj)) {
        std::string_view s = str_view(obj);
        if (is_ascii(obj)) {
            std::int64_t k = normalize_index(m, index, std::int64_t(s.size()), "string");
            return m.prog().ascii_char(static_cast<unsigned char>(s[std::size_t(k)]));
        }
        auto offs = code_point_offsets(s);
        std::int64_t k = normalize_index(m, index, std::int64_t(offs.size() - 1), "string");
        return one_char(m, s, offs[std::size_t(k)], offs[std::size_t(k) + 1]);
    }
    if (is_bytes(obj)) {
        std::string_view s = bytes_view(obj);
        std::int64_t k = normalize_index(m, index, std::int64_t(s.size()), "index");
        return value::from_int(static_cast<unsigned char>(s[std::size_t(k)]));
    }
    if (is_native(obj, native_kind::range)) {
        range_bounds r = range_of(obj);
        std::int64_t k = normalize_index(m, index, r.length(), "range object");
        return m.heap().make_int(r.start + k * r.step);
    }
    throw_script_error("TypeError", std::string("'") + type_name(obj) + "' object is not subscriptable");
}

void setitem(vm& m, value obj, value index, value v) {
    if (is_kind(obj, obj_kind::list)) {
        if (obj.as_obj()->frozen()) throw frozen_value_error();
        std::int64_t k = normalize_index(m, index, as_list(obj)->length, "list");
        as_list(obj)->slots()[k] = v;
        return;
    }
    if (is_kind(obj, obj_kind::dict)) return m.heap().dict_set(obj, index, v);
    throw_script_error("TypeError", std::string("'") + type_name(obj) + "' object does not support item assignment");
}

void delitem(vm& m, value obj, value index) {
    if (is_kind(obj, obj_kind::list)) {
        list_obj* l = as_list(obj);
        if (l->frozen()) throw frozen_value_error();
        if (!index.is_int() && !index.is_bool() && !num::is_bignum(index))
            throw_script_error("TypeError", std::string("list indices must be integers or slices, not ") + type_name(index));
        if (num::is_bignum(index)) throw_script_error("IndexError", "cannot fit 'int' into an index-sized integer");
        std::int64_t k = index.is_bool() ? index.is_true() : index.as_int();
        if (k < 0) k += l->length;
        if (k < 0 || k >= l->length) throw_script_error("IndexError", "list assignment index out of range");
        value* items = l->slots();
        std::copy(items + k + 1, items + l->length, items + k);
        items[--l->length] = value::none();
        return;
    }
    if (is_kind(obj, obj_kind::dict)) {
        if (m.heap().dict_del(obj, index)) return;
        raise_key_error(m, index);
    }
    if (is_kind(obj, obj_kind::tuple) || is_str(obj) || is_bytes(obj) || is_native(obj, native_kind::range))
        throw_script_error("TypeError", std::string("'") + type_name_of(obj) + "' object doesn't support item deletion");
    throw_script_error("TypeError", std::string("'") + type_name_of(obj) + "' object does not support item deletion");
}

void delslice(vm& m, value obj, value lower, value upper, value step) {
    (void)m;
    if (is_kind(obj, obj_kind::dict)) throw_script_error("TypeError", "unhashable type: 'slice'");
    if (!is_kind(obj, obj_kind::list)) {
        throw_script_error("TypeError", std::string("'") + type_name_of(obj) + "' object does not support item deletion");
    }
    list_obj* l = as_list(obj);
    if (l->frozen()) throw frozen_value_error();
    slice_spec s = adjust(lower, upper, step, l->length);
    if (s.count == 0) return;
    // Keep every item the slice does not name, in order (a step may skip some).
    value* items = l->slots();
    std::int64_t kept = 0, next = 0;
    for (std::int64_t k = 0; k < l->length; ++k) {
        bool named = next < s.count && k == (s.step > 0 ? s.start + next * s.step : s.start + (s.count - 1 - next) * s.step);
        if (named) {
            ++next;
            continue;
        }
        items[kept++] = items[k];
    }
    for (std::int64_t k = kept; k < l->length; ++k) items[k] = value::none();
    l->length = std::uint32_t(kept);
}

value slice(vm& m, value obj, value lower, value upper, value step) {
    heap& h = m.heap();
    if (is_kind(obj, obj_kind::list) || is_kind(obj, obj_kind::tuple)) {
        slice_spec s = adjust(lower, upper, step, std::int64_t(items_of(obj).size()));
        m.charge(std::uint64_t(s.count));  // a copy: a reduction per item
        rooted src(h, obj);
        if (is_kind(obj, obj_kind::tuple)) {
            value t = h.alloc_tuple(std::size_t(s.count));
            for (std::int64_t k = 0; k < s.count; ++k) as_tuple(t)->items()[k] = items_of(src)[std::size_t(s.start + k * s.step)];
            return t;
        }
        rooted l(h, h.alloc_list(std::size_t(s.count)));
        for (std::int64_t k = 0; k < s.count; ++k) h.list_append(l, items_of(src)[std::size_t(s.start + k * s.step)]);
        return l;
    }
    if (is_str(obj)) {
        std::string_view text = str_view(obj);
        std::string out;
        if (is_ascii(obj)) {
            slice_spec s = adjust(lower, upper, step, std::int64_t(text.size()));
            if (s.step == 1) return h.alloc_str(std::string(text.substr(std::size_t(s.start), std::size_t(s.count))));
            for (std::int64_t k = 0; k < s.count; ++k) out += text[std::size_t(s.start + k * s.step)];
        } else {
            auto offs = code_point_offsets(text);
            slice_spec s = adjust(lower, upper, step, std::int64_t(offs.size() - 1));
            for (std::int64_t k = 0; k < s.count; ++k) {
                std::size_t c = std::size_t(s.start + k * s.step);
                out.append(text.substr(offs[c], offs[c + 1] - offs[c]));
            }
        }
        return h.alloc_str(out);
    }
    if (is_bytes(obj)) {
        std::string_view b = bytes_view(obj);
        slice_spec s = adjust(lower, upper, step, std::int64_t(b.size()));
        std::string out;
        for (std::int64_t k = 0; k < s.count; ++k) out += b[std::size_t(s.start + k * s.step)];
        return h.alloc_bytes(out);
    }
    if (is_native(obj, native_kind::range)) {
        range_bounds r = range_of(obj);
        slice_spec s = adjust(lower, upper, step, r.length());
        value v = alloc_native(h, native_kind::range, 0, sizeof(range_bounds));
        std::int64_t start = r.start + s.start * r.step;
        set_native_raw(v, range_bounds{start, start + s.count * s.step * r.step, s.step * r.step});
        return v;
    }
    throw_script_error("TypeError", std::string("'") + type_name(obj) + "' object is not subscriptable");
}

value to_list(vm& m, value iterable, bool copy) {
    if (!copy && is_kind(iterable, obj_kind::list)) return iterable;
    heap& h = m.heap();
    rooted src(h, iterable);
    rooted out(h, h.alloc_list());
    m.for_each(src, [&](value item) { h.list_append(out, item); });
    return out;
}

void list_extend(vm& m, value list, value iterable) {
    heap& h = m.heap();
    rooted dst(h, list);
    rooted src(h, to_list(m, iterable, false));
    // Extending a list by itself appends its original items once.
    std::uint32_t n = as_list(src)->length;
    for (std::uint32_t k = 0; k < n; ++k) h.list_append(dst, as_list(src)->slots()[k]);
}

namespace {
// How an error about a call names the function called.
std::string callee_name(value f) {
    if (is_native(f, native_kind::function)) return function_proto(f)->name;
    if (is_native(f, native_kind::builtin) || is_native(f, native_kind::bound_method)) return builtin_of(f)->name;  // a bound method keeps its def there too
    return type_name_of(f);
}
}  // namespace

void keywords_update(vm& m, value keywords, value d, value callee) {
    if (!is_kind(d, obj_kind::dict))
        throw_script_error("TypeError", callee_name(callee) + "() argument after ** must be a mapping, not " +
                                            type_name_of(d));
    heap& h = m.heap();
    rooted dst(h, keywords), src(h, d), f(h, callee);
    std::uint32_t pos = 0;
    value k, v;
    while (heap::dict_next(src, pos, k, v)) {
        if (!is_str(k)) throw_script_error("TypeError", "keywords must be strings");
        if (h.dict_get(dst, k))
            throw_script_error("TypeError", callee_name(f) + "() got multiple values for keyword argument '" +
                                                std::string(str_view(k)) + "'");
        rooted rk(h, k), rv(h, v);
        h.dict_set(dst, rk, rv);
    }
}

void dict_update(vm& m, value dict, value d) {
    if (!is_kind(d, obj_kind::dict))
        throw_script_error("TypeError", std::string("'") + type_name(d) + "' object is not a mapping");
    heap& h = m.heap();
    rooted dst(h, dict), src(h, d);
    std::uint32_t pos = 0;
    value k, v;
    while (heap::dict_next(src, pos, k, v)) {
        rooted rk(h, k), rv(h, v);
        h.dict_set(dst, rk, rv);
    }
}

namespace {
// The items to unpack: src itself when it is a tuple or list, else a list of
// its items ("cannot unpack non-iterable int object" when it has none).
value unpack_source(vm& m, value src) {
    if (is_kind(src, obj_kind::tuple) || is_kind(src, obj_kind::list)) return src;
    if (!is_str(src) && !is_bytes(src) && !is_kind(src, obj_kind::dict) && !is_any_set(src) &&
        !is_native(src, native_kind::range) && !is_native(src, native_kind::iterator))
        throw_script_error("TypeError", std::string("cannot unpack non-iterable ") + type_name(src) + " object");
    return to_list(m, src);
}
}  // namespace

void unpack(vm& m, value src, value* out, std::uint32_t n) {
    rooted items(m.heap(), unpack_source(m, src));
    std::size_t got = items_of(items).size();
    if (got < n)
        throw_script_error("ValueError", "not enough values to unpack (expected " + std::to_string(n) + ", got " +
                                             std::to_string(got) + ")");
    if (got > n) throw_script_error("ValueError", "too many values to unpack (expected " + std::to_string(n) + ")");
    for (std::uint32_t k = 0; k < n; ++k) out[k] = items_of(items)[k];
}

void unpack_star(vm& m, value src, value* out, std::uint32_t before, std::uint32_t after) {
    rooted items(m.heap(), unpack_source(m, src));
    std::size_t got = items_of(items).size();
    if (got < before + after)
        throw_script_error("ValueError", "not enough values to unpack (expected at least " +
                                             std::to_string(before + after) + ", got " + std::to_string(got) + ")");
    value middle = slice_seq(m, items, before, after);
    out[before] = middle;
    for (std::uint32_t k = 0; k < before; ++k) out[k] = items_of(items)[k];
    for (std::uint32_t k = 0; k < after; ++k) out[before + 1 + k] = items_of(items)[got - after + k];
}

value slice_seq(vm& m, value seq, std::uint32_t before, std::uint32_t after) {
    heap& h = m.heap();
    rooted src(h, seq);
    std::size_t len = items_of(seq).size();
    std::size_t n = len >= before + after ? len - before - after : 0;
    rooted l(h, h.alloc_list(n));
    for (std::size_t k = 0; k < n; ++k) h.list_append(l, items_of(src)[before + k]);
    return l;
}

value dict_without(vm& m, value dict, value keys) {
    heap& h = m.heap();
    rooted src(h, dict), ks(h, keys);
    rooted out(h, h.alloc_dict());
    std::uint32_t pos = 0;
    value k, v;
    while (heap::dict_next(src, pos, k, v)) {
        bool skip = false;
        for (std::uint32_t j = 0; j < as_tuple(ks)->length() && !skip; ++j) skip = m.equal(k, as_tuple(ks)->items()[j]);
        if (skip) continue;
        rooted rk(h, k), rv(h, v);
        h.dict_set(out, rk, rv);
    }
    return out;
}

}  // namespace weft::interp::ops
