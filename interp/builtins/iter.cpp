// iter.cpp: the builtins that walk an iterable: min max sum
// sorted reversed enumerate zip, and the stable sort list.sort shares.
//
// Weft has no iterator objects: reversed(), enumerate() and zip() return
// lists (of items, of (index, item) tuples, of tuples). A for loop over
// them behaves as in Python; only laziness is lost.
//
// Functions that call back into script code (key=) copy what they need
// out of argv first: vm::call may move the register stack argv points into.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "interp/builtins/internal.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

std::uint32_t count_kwargs(value kwargs) noexcept { return kwargs.is_none() ? 0 : heap::dict_len(kwargs); }

// key=None means no key, as in Python.
value key_arg(value kw) noexcept { return kw.is_empty() ? value::none() : kw; }

// Sorts values in place without allocating on the Weft heap (so plain
// pointers and views stay valid). Fast paths for all small ints, all floats
// and all strs; otherwise Python's < through values_less. Sorts a scratch
// copy and writes back only on success: a comparison that raises leaves
// `v` as it was, every item still there.
template <class Key>
void sort_by(heap& h, std::vector<Key>& v, value (*key_of)(const Key&)) {
    std::size_t n = v.size();
    if (n < 2) return;
    bool ints = true, floats = true, strs = true;
    for (const Key& x : v) {
        value k = key_of(x);
        ints &= k.is_int();
        floats &= k.is_float() && k.as_float() == k.as_float();  // NaN orders with nothing
        strs &= is_str(k);
    }
    std::vector<Key> scratch(v);
    if (ints) {
        std::stable_sort(scratch.begin(), scratch.end(),
                         [&](const Key& a, const Key& b) { return key_of(a).as_int() < key_of(b).as_int(); });
    } else if (floats) {
        std::stable_sort(scratch.begin(), scratch.end(),
                         [&](const Key& a, const Key& b) { return key_of(a).as_float() < key_of(b).as_float(); });
    } else if (strs) {
        // UTF-8 byte order is code point order.
        std::stable_sort(scratch.begin(), scratch.end(),
                         [&](const Key& a, const Key& b) { return str_view(key_of(a)) < str_view(key_of(b)); });
    } else {
        std::stable_sort(scratch.begin(), scratch.end(),
                         [&](const Key& a, const Key& b) { return values_less(h, key_of(a), key_of(b)); });
    }
    std::copy(scratch.begin(), scratch.end(), v.begin());  // not swap: `v`'s storage may be a registered root
}

// Small ints alone (no key): sort the numbers themselves, the fastest way.
bool sort_small_ints(std::vector<value>& items) {
    std::vector<std::int64_t> nums;
    nums.reserve(items.size());
    for (value x : items) {
        if (!x.is_int()) return false;
        nums.push_back(x.as_int());
    }
    std::sort(nums.begin(), nums.end());  // equal ints are indistinguishable: stability is moot
    for (std::size_t i = 0; i < nums.size(); ++i) items[i] = value::from_int(nums[i]);
    return true;
}

// min() and max(): `item < best` for min, `item > best` for max (which
// Python evaluates as best < item, and reports as '>').
value min_max(vm& m, value* argv, std::uint32_t argc, value kwargs, bool is_max) {
    const char* name = is_max ? "max" : "min";
    value kw[2];
    parse_kwargs(kwargs, name, {"key", "default"}, kw);
    expected_args(name, argc, 1, UINT32_MAX);
    if (argc > 1 && !kw[1].is_empty())
        type_error(std::string("Cannot specify a default for ") + name + "() with multiple positional arguments");
    heap& h = m.heap();
    rooted key(h, key_arg(kw[0]));
    rooted dflt(h, kw[1]);
    rooted src(h, argc == 1 ? argv[0] : h.alloc_tuple(std::span<const value>(argv, argc)));
    rooted best(h, value::empty()), best_key(h), item(h);
    m.iter_check(src);
    std::uint64_t cursor = 0;
    if (value st = m.resumed(); !st.is_empty()) {  // a trapped call going on: (cursor, best, best_key)
        cursor = std::uint64_t(as_tuple(st)->items()[0].as_int());
        best = as_tuple(st)->items()[1];
        best_key = as_tuple(st)->items()[2];
    }
    value v;
    while (m.iter_next(src, cursor, v)) {
        item = v;
        value k = v;
        if (!key.get().is_none()) {
            value arg[1] = {v};
            k = m.call(key, arg);
        }
        if (best.get().is_empty()) {
            best = item.get();
            best_key = k;
        } else if (is_max ? values_less(h, best_key, k, true) : values_less(h, k, best_key)) {
            best = item.get();
            best_key = k;
        }
        m.charge(1);
        if (m.should_trap()) {
            value st[3] = {value::from_int(std::int64_t(cursor)), best.get(), best_key.get()};
            return m.trap(h.alloc_tuple(std::span<const value>(st, 3)));
        }
    }
    if (!best.get().is_empty()) return best;
    if (!dflt.get().is_empty()) return dflt;
    value_error(std::string(name) + "() arg is an empty sequence");
}

// acc + item for sum(): numbers through num::add; lists and tuples
// concatenate (a list sum() made itself is extended in place: nobody else
// sees it).
value sum_add(vm& m, value acc, value item, bool& acc_is_ours) {
    heap& h = m.heap();
    if (is_kind(acc, obj_kind::list) && is_kind(item, obj_kind::list)) {
        rooted a(h, acc), b(h, item);
        if (!acc_is_ours) {  // the caller's list (start=): copy it first
            std::uint32_t n = as_list(a)->length;
            value copy = h.alloc_list(std::size_t(n) + as_list(b)->length);
            std::copy_n(as_list(a)->slots(), n, as_list(copy)->slots());
            as_list(copy)->length = n;
            a = copy;
            acc_is_ours = true;
        }
        std::uint32_t nb = as_list(b)->length;
        for (std::uint32_t i = 0; i < nb; ++i) h.list_append(a, as_list(b)->slots()[i]);
        return a;
    }
    if (is_kind(acc, obj_kind::tuple) && is_kind(item, obj_kind::tuple)) {
        rooted a(h, acc), b(h, item);
        std::uint32_t na = as_tuple(a)->length(), nb = as_tuple(b)->length();
        value t = h.alloc_tuple(std::size_t(na) + nb);
        std::copy_n(as_tuple(a)->items(), na, as_tuple(t)->items());
        std::copy_n(as_tuple(b)->items(), nb, as_tuple(t)->items() + na);
        return t;
    }
    return num::add(h, acc, item);
}

}  // namespace

void sort_values(vm& m, std::vector<value>& items, value key, bool reverse) {
    heap& h = m.heap();
    m.charge(items.size());
    // Python sorts reverse=True by reversing, sorting stably and reversing
    // again: equal items keep their order either way.
    if (reverse) std::reverse(items.begin(), items.end());
    if (key.is_none()) {
        if (!sort_small_ints(items)) sort_by<value>(h, items, [](const value& v) { return v; });
    } else {
        rooted k(h, key);
        rooted_values keys(h);
        keys.resize(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            value arg[1] = {items[i]};
            value r = m.call(k, arg);
            keys[i] = r;
        }
        // From here on nothing allocates on the Weft heap until the items
        // are written back: the pairs need no rooting.
        std::vector<std::pair<value, value>> pairs(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) pairs[i] = {keys[i], items[i]};
        sort_by<std::pair<value, value>>(h, pairs, [](const std::pair<value, value>& p) { return p.first; });
        for (std::size_t i = 0; i < items.size(); ++i) items[i] = pairs[i].second;
    }
    if (reverse) std::reverse(items.begin(), items.end());
}

value builtin_min(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return min_max(m, argv, argc, kwargs, false);
}

value builtin_max(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return min_max(m, argv, argc, kwargs, true);
}

// sum(iterable, /, start=0)
value builtin_sum(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (argc == 0) type_error("sum() takes at least 1 positional argument (0 given)");
    value kw[1];
    parse_kwargs(kwargs, "sum", {"start"}, kw);
    takes_args("sum", argc + count_kwargs(kwargs), 1, 2);
    value start = merge_arg("sum", argv, argc, 1, kw[0], "start");
    if (start.is_empty()) start = value::from_int(0);
    if (is_str(start)) type_error("sum() can't sum strings [use ''.join(seq) instead]");
    if (is_bytes(start)) type_error("sum() can't sum bytes [use b''.join(seq) instead]");
    heap& h = m.heap();
    rooted acc(h, start);
    rooted src(h, argv[0]);
    m.iter_check(src);
    bool ours = false;
    std::uint64_t cursor = 0;
    if (value st = m.resumed(); !st.is_empty()) {  // a trapped call going on: (cursor, acc, ours)
        cursor = std::uint64_t(as_tuple(st)->items()[0].as_int());
        acc = as_tuple(st)->items()[1];
        ours = as_tuple(st)->items()[2].is_true();
    }
    value item;
    while (m.iter_next(src, cursor, item)) {
        m.charge(1);
        value r;
        if (num::add_small(acc, item, r)) {  // the common case: no allocation, no call
            acc = r;
        } else {
            acc = sum_add(m, acc, item, ours);
        }
        if (m.should_trap()) [[unlikely]] {
            value st[3] = {value::from_int(std::int64_t(cursor)), acc.get(), value::boolean(ours)};
            return m.trap(h.alloc_tuple(std::span<const value>(st, 3)));
        }
    }
    return acc;
}

// sorted(iterable, /, *, key=None, reverse=False)
value builtin_sorted(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[2];
    parse_kwargs(kwargs, "sort", {"key", "reverse"}, kw);  // CPython names sort() here too
    expected_args("sorted", argc, 1, 1);
    bool reverse = !kw[1].is_empty() && reverse_flag(kw[1]);
    heap& h = m.heap();
    rooted key(h, key_arg(kw[0]));
    rooted_values items(h);
    collect_items(m, argv[0], items);
    sort_values(m, items.vec(), key, reverse);
    return make_list(h, items.data(), items.size());
}

// reversed(seq): a list of the items, last first.
value builtin_reversed(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "reversed");
    expected_args("reversed", argc, 1, 1);
    value seq = argv[0];
    bool ok = is_kind(seq, obj_kind::list) || is_kind(seq, obj_kind::tuple) || is_str(seq) || is_bytes(seq) ||
              is_kind(seq, obj_kind::dict) || is_native(seq, native_kind::range);
    if (!ok) type_error(std::string("'") + type_name_of(seq) + "' object is not reversible");
    rooted_values items(m.heap());
    collect_items(m, seq, items);
    std::reverse(items.vec().begin(), items.vec().end());
    return make_list(m.heap(), items.data(), items.size());
}

// enumerate(iterable, start=0): a list of (index, item) tuples.
value builtin_enumerate(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[2];
    parse_kwargs(kwargs, "enumerate", {"iterable", "start"}, kw);
    takes_args("enumerate", argc + count_kwargs(kwargs), 0, 2);
    value iterable = merge_arg("enumerate", argv, argc, 0, kw[0], "iterable");
    value start = merge_arg("enumerate", argv, argc, 1, kw[1], "start");
    if (iterable.is_empty()) type_error("enumerate() missing required argument 'iterable'");
    if (start.is_empty()) start = value::from_int(0);
    if (!num::is_integer(start))
        type_error(std::string("'") + type_name_of(start) + "' object cannot be interpreted as an integer");
    heap& h = m.heap();
    rooted src(h, iterable);
    rooted index(h, start.is_bool() ? value::from_int(start.as_bool()) : start);
    rooted out(h, h.alloc_list());
    m.for_each(src, [&](value item) {
        value pair[2] = {index.get(), item};
        value t = h.alloc_tuple(std::span<const value>(pair, 2));  // roots its items while allocating
        h.list_append(out, t);
        index = num::add(h, index, value::from_int(1));
    });
    return out;
}

// zip(*iterables, strict=False): a list of tuples.
value builtin_zip(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];
    parse_kwargs(kwargs, "zip", {"strict"}, kw);
    bool strict = !kw[0].is_empty() && truthy(kw[0]);
    heap& h = m.heap();
    rooted_values sources(h);
    for (std::uint32_t i = 0; i < argc; ++i) sources.push_back(argv[i]);
    for (std::uint32_t i = 0; i < argc; ++i) m.iter_check(sources[i]);
    rooted out(h, h.alloc_list());
    if (argc == 0) return out;
    std::vector<std::uint64_t> cursors(argc, 0);
    rooted_values row(h);
    row.resize(argc);
    auto args_text = [](std::uint32_t n) {
        return n == 1 ? std::string("argument 1") : "arguments 1-" + std::to_string(n);
    };
    for (;;) {
        for (std::uint32_t i = 0; i < argc; ++i) {
            value v;
            if (m.iter_next(sources[i], cursors[i], v)) {
                row[i] = v;
                continue;
            }
            if (!strict) return out;
            if (i > 0)
                value_error("zip() argument " + std::to_string(i + 1) + " is shorter than " + args_text(i));
            for (std::uint32_t j = 1; j < argc; ++j)
                if (m.iter_next(sources[j], cursors[j], v))
                    value_error("zip() argument " + std::to_string(j + 1) + " is longer than " + args_text(j));
            return out;
        }
        value t = h.alloc_tuple(std::span<const value>(row.data(), argc));
        h.list_append(out, t);
        m.charge(1);
    }
}

}  // namespace weft::interp::bi
