// methods_list.cpp: the methods of list: append pop insert extend index
// remove sort reverse copy, and count and clear, as CPython 3.11's.
//
// argv[0] is the list. Mutating a frozen list (a module constant) throws
// frozen_value_error, which the VM raises as TypeError; each mutator checks
// before it changes anything. Items are moved in place with the list's
// own array; growth goes through heap::list_append.
#include <algorithm>
#include <cstring>
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

void check_mutable(value list) {
    if (as_list(list)->frozen()) throw frozen_value_error();
}

// The index of the first item == x in [start, stop), or -1. Never allocates.
std::int64_t find_item(heap& h, value list, value x, std::int64_t start, std::int64_t stop) {
    for (std::int64_t i = start; i < stop && i < std::int64_t(as_list(list)->length); ++i)
        if (values_equal(h, as_list(list)->slots()[i], x)) return i;
    return -1;
}

// Removes the item at i (precondition: in range).
void erase_at(value list, std::uint32_t i) {
    list_obj* l = as_list(list);
    value* s = l->slots();
    std::memmove(s + i, s + i + 1, (l->length - i - 1) * sizeof(value));
    s[--l->length] = value::none();  // no stale reference for the collector
}

value list_append(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.append");
    exactly_one("list.append", argc - 1);
    m.heap().list_append(argv[0], argv[1]);
    return value::none();
}

value list_pop(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "list.pop");
    expected_args("pop", argc - 1, 0, 1);
    std::int64_t i = argc > 1 ? index_arg(argv[1]) : -1;
    check_mutable(argv[0]);
    std::int64_t n = as_list(argv[0])->length;
    if (n == 0) throw_script_error("IndexError", "pop from empty list");
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw_script_error("IndexError", "pop index out of range");
    value v = as_list(argv[0])->slots()[i];
    erase_at(argv[0], std::uint32_t(i));
    return v;
}

value list_insert(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.insert");
    expected_args("insert", argc - 1, 2, 2);
    std::int64_t i = index_arg(argv[1]);
    check_mutable(argv[0]);
    std::int64_t n = as_list(argv[0])->length;
    if (i < 0) i = std::max<std::int64_t>(i + n, 0);
    if (i > n) i = n;
    m.heap().list_append(argv[0], value::none());  // grows (argv is rooted: re-read below)
    list_obj* l = as_list(argv[0]);
    value* s = l->slots();
    std::memmove(s + i + 1, s + i, std::size_t(n - i) * sizeof(value));
    s[i] = argv[2];
    return value::none();
}

value list_extend(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.extend");
    exactly_one("list.extend", argc - 1);
    check_mutable(argv[0]);
    rooted_values items(m.heap());
    collect_items(m, argv[1], items);  // a snapshot: xs.extend(xs) doubles xs once
    for (std::size_t i = 0; i < items.size(); ++i) m.heap().list_append(argv[0], items[i]);
    return value::none();
}

// index(value, start=0, stop=sys.maxsize)
value list_index(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.index");
    expected_args("index", argc - 1, 1, 3);
    std::int64_t n = as_list(argv[0])->length;
    std::int64_t start = 0, stop = n;
    if (argc > 2) slice_bound(argv[2], start, slice_msg);
    if (argc > 3) slice_bound(argv[3], stop, slice_msg);
    clamp_slice(start, stop, n);
    std::int64_t i = find_item(m.heap(), argv[0], argv[1], start, stop);
    if (i < 0) value_error(m.repr(argv[1]) + " is not in list");
    return value::from_int(i);
}

value list_remove(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.remove");
    exactly_one("list.remove", argc - 1);
    check_mutable(argv[0]);
    std::int64_t i = find_item(m.heap(), argv[0], argv[1], 0, as_list(argv[0])->length);
    if (i < 0) value_error("list.remove(x): x not in list");
    erase_at(argv[0], std::uint32_t(i));
    return value::none();
}

value list_count(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.count");
    exactly_one("list.count", argc - 1);
    std::int64_t count = 0;
    for (std::uint32_t i = 0; i < as_list(argv[0])->length; ++i)
        count += values_equal(m.heap(), as_list(argv[0])->slots()[i], argv[1]);
    return value::from_int(count);
}

// sort(*, key=None, reverse=False). While key functions run, the list looks
// empty (as in CPython): its array is detached and held here, and a list
// that was changed meanwhile raises ValueError after the sorted items are
// put back.
value list_sort(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (argc > 1) type_error("sort() takes no positional arguments");
    value kw[2];
    parse_kwargs(kwargs, "sort", {"key", "reverse"}, kw);
    bool reverse = !kw[1].is_empty() && reverse_flag(kw[1]);
    heap& h = m.heap();
    rooted list(h, argv[0]);  // vm::call below may move the register stack argv is in
    rooted key(h, kw[0].is_empty() ? value::none() : kw[0]);
    check_mutable(list);
    list_obj* l = as_list(list);
    std::uint32_t n = l->length;
    rooted_values items(h);
    items.resize(n);
    std::copy_n(l->slots(), n, items.data());
    if (key.get().is_none()) {  // no script code runs: sort and write back
        sort_values(m, items.vec(), key, reverse);
        std::copy_n(items.data(), n, as_list(list)->slots());
        return value::none();
    }
    rooted array(h, l->items);
    std::uint32_t capacity = l->capacity;
    l->items = value::none();
    l->capacity = 0;
    l->length = 0;
    auto put_back = [&] {
        list_obj* ll = as_list(list);
        bool modified = ll->length != 0 || ll->items.is_obj();
        ll->items = array;
        ll->capacity = capacity;
        ll->length = n;
        std::copy_n(items.data(), n, ll->slots());
        return modified;
    };
    try {
        sort_values(m, items.vec(), key, reverse);
    } catch (...) {
        put_back();
        throw;
    }
    if (put_back()) value_error("list modified during sort");
    return value::none();
}

value list_reverse(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "list.reverse");
    no_args("list.reverse", argc - 1);
    check_mutable(argv[0]);
    list_obj* l = as_list(argv[0]);
    std::reverse(l->slots(), l->slots() + l->length);
    return value::none();
}

value list_copy(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "list.copy");
    no_args("list.copy", argc - 1);
    std::uint32_t n = as_list(argv[0])->length;
    value copy = m.heap().alloc_list(n);  // argv is rooted: re-read after
    std::copy_n(as_list(argv[0])->slots(), n, as_list(copy)->slots());
    as_list(copy)->length = n;
    return copy;
}

value list_clear(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    (void)m;
    no_kwargs(kwargs, "list.clear");
    no_args("list.clear", argc - 1);
    check_mutable(argv[0]);
    list_obj* l = as_list(argv[0]);
    l->items = value::none();  // the array becomes garbage
    l->capacity = 0;
    l->length = 0;
    return value::none();
}

constexpr builtin_def list_methods[] = {
    {"append", list_append}, {"pop", list_pop},         {"insert", list_insert},   {"extend", list_extend},
    {"index", list_index},   {"remove", list_remove},   {"sort", list_sort},       {"reverse", list_reverse},
    {"copy", list_copy},     {"count", list_count},     {"clear", list_clear},
};

}  // namespace

const builtin_def* find_list_method(std::string_view name) noexcept {
    for (const builtin_def& d : list_methods)
        if (name == d.name) return &d;
    return nullptr;
}

}  // namespace weft::interp::bi
