// methods_dict.cpp: the methods of dict: get keys values items pop
// setdefault update copy, and clear and popitem, as CPython 3.11's; and
// dict_merge, the work of dict.update() and dict().
//
// keys(), values() and items() return lists (Weft has no view objects): a
// snapshot, which iterates and prints like the view as long as the dict is
// not changed meanwhile.
//
// argv[0] is the dict. Mutating a frozen dict throws frozen_value_error
// (the heap's helpers check; clear and popitem check here). Keys that
// cannot be hashed raise TypeError "unhashable type: 'list'".
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/objects/natives.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

void check_mutable(value d) {
    if (as_dict(d)->frozen()) throw frozen_value_error();
}

std::optional<value> lookup(heap& h, value d, value key) {
    try {
        return h.dict_get(d, key);
    } catch (const unhashable_key&) {
        raise_unhashable(key);
    }
}

void store(heap& h, value d, value key, value v) {
    try {
        h.dict_set(d, key, v);
    } catch (const unhashable_key&) {
        raise_unhashable(key);
    }
}

// One element of dict(iterable): a pair, or any iterable of two items.
void merge_pair(vm& m, value d, value element, std::size_t index) {
    heap& h = m.heap();
    rooted_values kv(h);
    bool seq = is_kind(element, obj_kind::tuple) || is_kind(element, obj_kind::list) || is_str(element) ||
               is_bytes(element) || is_kind(element, obj_kind::dict) || is_any_set(element) ||
               is_native(element, native_kind::range) || is_native(element, native_kind::iterator);
    if (!seq)
        type_error("cannot convert dictionary update sequence element #" + std::to_string(index) + " to a sequence");
    rooted keep(h, d);
    collect_items(m, element, kv);
    if (kv.size() != 2)
        value_error("dictionary update sequence element #" + std::to_string(index) + " has length " +
                    std::to_string(kv.size()) + "; 2 is required");
    store(h, keep, kv[0], kv[1]);
}

value dict_get(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "dict.get");
    expected_args("get", argc - 1, 1, 2);
    std::optional<value> v = lookup(m.heap(), argv[0], argv[1]);
    if (v) return *v;
    return argc > 2 ? argv[2] : value::none();
}

// keys(), values(), items(): which = 0, 1, 2.
value dict_list(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, int which) {
    no_kwargs(kwargs, name);
    no_args(name, argc - 1);
    heap& h = m.heap();
    rooted out(h, h.alloc_list(heap::dict_len(argv[0])));
    std::uint32_t pos = 0;
    value k, v;
    while (heap::dict_next(argv[0], pos, k, v)) {
        value item = which == 0 ? k : which == 1 ? v : value();
        if (which == 2) {
            value pair[2] = {k, v};
            item = h.alloc_tuple(std::span<const value>(pair, 2));  // argv is rooted: dict_next re-reads it
        }
        h.list_append(out, item);  // room reserved: no allocation
    }
    return out;
}

value dict_keys(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return dict_list(m, argv, argc, kwargs, "dict.keys", 0);
}
value dict_values(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return dict_list(m, argv, argc, kwargs, "dict.values", 1);
}
value dict_items(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return dict_list(m, argv, argc, kwargs, "dict.items", 2);
}

value dict_pop(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "dict.pop");
    expected_args("pop", argc - 1, 1, 2);
    heap& h = m.heap();
    // An empty dict answers without hashing the key, as CPython's.
    std::optional<value> v = heap::dict_len(argv[0]) ? lookup(h, argv[0], argv[1]) : std::nullopt;
    if (!v) {
        if (argc > 2) return argv[2];
        key_error(m, argv[1]);
    }
    check_mutable(argv[0]);
    h.dict_del(argv[0], argv[1]);
    return *v;
}

value dict_setdefault(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "dict.setdefault");
    expected_args("setdefault", argc - 1, 1, 2);
    heap& h = m.heap();
    std::optional<value> v = lookup(h, argv[0], argv[1]);
    if (v) return *v;
    value dflt = argc > 2 ? argv[2] : value::none();
    store(h, argv[0], argv[1], dflt);
    return argc > 2 ? argv[2] : value::none();  // argv is rooted: re-read after storing
}

value dict_update(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    expected_args("update", argc - 1, 0, 1);
    heap& h = m.heap();
    rooted d(h, argv[0]), kw(h, kwargs);
    check_mutable(d);
    dict_merge(m, d, argc > 1 ? argv[1] : value::empty(), kw);
    return value::none();
}

value dict_copy(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "dict.copy");
    no_args("dict.copy", argc - 1);
    heap& h = m.heap();
    rooted out(h, h.alloc_dict(heap::dict_len(argv[0])));
    dict_merge(m, out, argv[0], value::none());
    return out;
}

value dict_clear(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "dict.clear");
    no_args("dict.clear", argc - 1);
    check_mutable(argv[0]);
    dict_obj* d = as_dict(argv[0]);
    d->table = value::none();  // the table becomes garbage
    d->count = 0;
    d->used = 0;
    return value::none();
}

// popitem(): the last inserted pair, removed.
value dict_popitem(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "dict.popitem");
    no_args("dict.popitem", argc - 1);
    check_mutable(argv[0]);
    if (heap::dict_len(argv[0]) == 0) throw_script_error("KeyError", "popitem(): dictionary is empty");
    dict_obj* d = as_dict(argv[0]);
    dict_table_obj* t = as_dict_table(d->table);
    std::uint32_t e = d->used;
    while (t->kv()[2 * std::size_t(e - 1)].is_empty()) --e;
    value pair[2] = {t->kv()[2 * std::size_t(e - 1)], t->kv()[2 * std::size_t(e - 1) + 1]};
    value result = m.heap().alloc_tuple(std::span<const value>(pair, 2));
    rooted keep(m.heap(), result);
    m.heap().dict_del(argv[0], as_tuple(keep)->items()[0]);
    // The popped entry and the tombstones before it are the table's tail:
    // drop them from `used` so that popping every item stays linear (as
    // CPython does). No index slot refers to a tombstone, so this is safe.
    d = as_dict(argv[0]);
    t = as_dict_table(d->table);
    while (d->used > 0 && t->kv()[2 * std::size_t(d->used - 1)].is_empty()) --d->used;
    return keep;
}

constexpr builtin_def dict_methods[] = {
    {"get", dict_get},     {"keys", dict_keys}, {"values", dict_values},   {"items", dict_items},
    {"pop", dict_pop},     {"setdefault", dict_setdefault},                {"update", dict_update},
    {"copy", dict_copy},   {"clear", dict_clear}, {"popitem", dict_popitem},
};

}  // namespace

void dict_merge(vm& m, value d, value source, value kwargs) {
    heap& h = m.heap();
    rooted dest(h, d), src(h, source), kw(h, kwargs);
    if (is_kind(src, obj_kind::dict)) {
        std::uint32_t pos = 0;
        value k, v;
        while (heap::dict_next(src, pos, k, v)) store(h, dest, k, v);  // re-reads the rooted dicts each step
    } else if (!src.get().is_empty()) {
        std::size_t index = 0;
        m.for_each(src, [&](value element) { merge_pair(m, dest, element, index++); });
    }
    if (!kw.get().is_none()) {
        std::uint32_t pos = 0;
        value k, v;
        while (heap::dict_next(kw, pos, k, v)) store(h, dest, k, v);
    }
}

const builtin_def* find_dict_method(std::string_view name) noexcept {
    for (const builtin_def& d : dict_methods)
        if (name == d.name) return &d;
    return nullptr;
}

}  // namespace weft::interp::bi
