// methods_set.cpp: set() and frozenset(), and the methods of sets as
// CPython 3.11's: add remove discard pop clear copy, update union
// intersection(_update) difference(_update) symmetric_difference(_update)
// issubset issuperset isdisjoint. A frozenset has the ones that change
// nothing.
//
// Two sets meet through interp/objects/sets.hpp; what any other iterable
// adds or removes goes through here, in the order CPython walks it (that
// order decides how the result prints). argv[0] is the set. A module-level
// set is frozen: changing it throws frozen_value_error (TypeError).
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/objects/sets.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

bool discard(heap& h, value s, value key) {
    try {
        return h.set_discard(s, key);
    } catch (const unhashable_key&) {
        raise_unhashable(key);
    }
}

bool has(heap& h, value s, value key) {
    try {
        return h.set_contains(s, key);
    } catch (const unhashable_key&) {
        raise_unhashable(key);
    }
}

// A new set of the type of `like` holding the items of any iterable.
value set_of(vm& m, value like, value items) {
    rooted keep(m.heap(), items);
    rooted out(m.heap(), sets::empty_like(m.heap(), like));
    ops::set_update(m, out, keep);
    return out;
}

value intersection_one(vm& m, value so, value other) {
    heap& h = m.heap();
    if (is_any_set(other)) return sets::intersection(h, so, other);
    rooted keep(h, so);
    rooted out(h, sets::empty_like(h, so));
    m.for_each(other, [&](value item) {
        if (has(h, keep, item)) ops::set_add(m, out, item);
    });
    return out;
}

void difference_update_one(vm& m, value so, value other) {
    heap& h = m.heap();
    if (is_any_set(other)) return sets::difference_update(h, so, other);
    rooted keep(h, so);
    m.for_each(other, [&](value item) { discard(h, keep, item); });
    sets::shrink_if_sparse(h, keep);
}

value difference_one(vm& m, value so, value other) {
    heap& h = m.heap();
    if (is_any_set(other)) return sets::difference(h, so, other);
    if (is_kind(other, obj_kind::dict) && (heap::set_len(so) >> 2) <= heap::dict_len(other)) {
        rooted keep(h, so), d(h, other);
        rooted out(h, sets::empty_like(h, so));
        std::uint32_t pos = 0;
        value key;
        std::uint64_t hash = 0;
        while (heap::set_next(keep, pos, key, hash))
            if (!h.dict_get(d, key)) h.set_add_hashed(out, key, hash);
        return out;
    }
    rooted keep(h, other);
    rooted out(h, sets::copy(h, so));
    difference_update_one(m, out, keep);
    return out;
}

void symmetric_difference_update_one(vm& m, value so, value other) {
    heap& h = m.heap();
    if (identical(so, other)) return h.set_clear(so);
    rooted keep(h, so);
    if (is_kind(other, obj_kind::dict)) {
        rooted d(h, other);
        std::uint32_t pos = 0;
        value k, v;
        while (heap::dict_next(d, pos, k, v))
            if (!discard(h, keep, k)) ops::set_add(m, keep, k);
        return;
    }
    value o = is_any_set(other) ? other : set_of(m, keep, other);
    sets::symmetric_difference_update(h, keep, o);
}

value set_add(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.add");
    exactly_one("set.add", argc - 1);
    ops::set_add(m, argv[0], argv[1]);
    return value::none();
}

value set_remove(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.remove");
    exactly_one("set.remove", argc - 1);
    if (!discard(m.heap(), argv[0], argv[1])) key_error(m, argv[1]);
    return value::none();
}

value set_discard(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.discard");
    exactly_one("set.discard", argc - 1);
    discard(m.heap(), argv[0], argv[1]);
    return value::none();
}

value set_pop(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.pop");
    no_args("set.pop", argc - 1);
    if (heap::set_len(argv[0]) == 0) throw_script_error("KeyError", "pop from an empty set");
    return m.heap().set_pop(argv[0]);
}

value set_clear(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.clear");
    no_args("set.clear", argc - 1);
    m.heap().set_clear(argv[0]);
    return value::none();
}

value set_copy(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.copy");
    no_args("set.copy", argc - 1);
    if (is_frozenset(argv[0])) return argv[0];  // immutable: itself, as CPython
    return sets::copy(m.heap(), argv[0]);
}

value set_update(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.update");
    for (std::uint32_t i = 1; i < argc; ++i) ops::set_update(m, argv[0], argv[i]);
    return value::none();
}

value set_union(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.union");
    rooted out(m.heap(), sets::copy(m.heap(), argv[0]));
    for (std::uint32_t i = 1; i < argc; ++i)
        if (!identical(argv[i], argv[0])) ops::set_update(m, out, argv[i]);
    return out;
}

value intersection_all(vm& m, value* argv, std::uint32_t argc) {
    if (argc == 1) return sets::copy(m.heap(), argv[0]);
    rooted out(m.heap(), argv[0]);
    for (std::uint32_t i = 1; i < argc; ++i) out = intersection_one(m, out, argv[i]);
    return out;
}

value set_intersection(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.intersection");
    return intersection_all(m, argv, argc);
}

value set_intersection_update(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.intersection_update");
    value kept = intersection_all(m, argv, argc);
    if (as_set(argv[0])->frozen()) throw frozen_value_error();
    sets::take_keys(argv[0], identical(kept, argv[0]) ? sets::copy(m.heap(), kept) : kept);
    return value::none();
}

value set_difference(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.difference");
    if (argc == 1) return sets::copy(m.heap(), argv[0]);
    if (argc == 2) return difference_one(m, argv[0], argv[1]);
    rooted out(m.heap(), sets::copy(m.heap(), argv[0]));
    for (std::uint32_t i = 1; i < argc; ++i) difference_update_one(m, out, argv[i]);
    return out;
}

value set_difference_update(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.difference_update");
    for (std::uint32_t i = 1; i < argc; ++i) difference_update_one(m, argv[0], argv[i]);
    return value::none();
}

value set_symmetric_difference(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.symmetric_difference");
    exactly_one("set.symmetric_difference", argc - 1);
    rooted out(m.heap(), set_of(m, argv[0], argv[1]));
    sets::symmetric_difference_update(m.heap(), out, argv[0]);
    return out;
}

value set_symmetric_difference_update(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.symmetric_difference_update");
    exactly_one("set.symmetric_difference_update", argc - 1);
    symmetric_difference_update_one(m, argv[0], argv[1]);
    return value::none();
}

value set_issubset(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.issubset");
    exactly_one("set.issubset", argc - 1);
    value other = is_any_set(argv[1]) ? argv[1] : set_of(m, argv[0], argv[1]);
    return value::boolean(sets::is_subset(m.heap(), argv[0], other));
}

value set_issuperset(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.issuperset");
    exactly_one("set.issuperset", argc - 1);
    if (is_any_set(argv[1])) return value::boolean(sets::is_subset(m.heap(), argv[1], argv[0]));
    bool all = true;
    m.for_each(argv[1], [&](value item) { all = all && has(m.heap(), argv[0], item); });
    return value::boolean(all);
}

value set_isdisjoint(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "set.isdisjoint");
    exactly_one("set.isdisjoint", argc - 1);
    if (is_any_set(argv[1])) return value::boolean(sets::is_disjoint(m.heap(), argv[0], argv[1]));
    bool none = true;
    m.for_each(argv[1], [&](value item) { none = none && !has(m.heap(), argv[0], item); });
    return value::boolean(none);
}

// The methods of frozenset first: a set has these and the rest.
constexpr builtin_def set_methods[] = {
    {"copy", set_copy},
    {"union", set_union},
    {"intersection", set_intersection},
    {"difference", set_difference},
    {"symmetric_difference", set_symmetric_difference},
    {"issubset", set_issubset},
    {"issuperset", set_issuperset},
    {"isdisjoint", set_isdisjoint},
    {"add", set_add},
    {"remove", set_remove},
    {"discard", set_discard},
    {"pop", set_pop},
    {"clear", set_clear},
    {"update", set_update},
    {"intersection_update", set_intersection_update},
    {"difference_update", set_difference_update},
    {"symmetric_difference_update", set_symmetric_difference_update},
};
constexpr std::size_t frozenset_method_count = 8;

value construct(vm& m, value* argv, std::uint32_t argc, value kwargs, bool frozen) {
    const char* name = frozen ? "frozenset" : "set";
    no_kwargs(kwargs, name);
    expected_args(name, argc, 0, 1);
    if (frozen && argc == 1 && is_frozenset(argv[0])) return argv[0];  // immutable: itself
    rooted out(m.heap(), m.heap().alloc_set(frozen));
    if (argc == 1) ops::set_update(m, out, argv[0]);
    return out;
}

}  // namespace

value construct_set(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return construct(m, argv, argc, kwargs, false);
}

value construct_frozenset(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return construct(m, argv, argc, kwargs, true);
}

const builtin_def* find_set_method(value receiver, std::string_view name) noexcept {
    std::size_t n = is_frozenset(receiver) ? frozenset_method_count : std::size(set_methods);
    for (std::size_t i = 0; i < n; ++i)
        if (name == set_methods[i].name) return &set_methods[i];
    return nullptr;
}

}  // namespace weft::interp::bi
