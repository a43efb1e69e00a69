// functional.cpp: the builtins map, filter, callable, pow, hex, oct and bin,
// as CPython 3.11's, except that map and filter return lists (LANGUAGE.md:
// as zip does), since Weft has no lazy iterators.
#include <gmp.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "interp/builtins/internal.hpp"
#include "interp/heap/heap.hpp"
#include "interp/objects/bigint.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/type_of.hpp"

namespace weft::interp::bi {

namespace {

bool is_callable(value v) {
    return is_native(v, native_kind::function) || is_native(v, native_kind::builtin) ||
           is_native(v, native_kind::bound_method);
}

bool is_integer(value v) { return v.is_int() || v.is_bool() || is_kind(v, obj_kind::bignum); }

// pow(base, exp, mod) for ints: GMP's powm, with Python's rules for a
// negative exponent (the inverse, which must exist) and for the sign (the
// result has the modulus's sign).
value modular_pow(heap& h, value base, value exp, value mod) {
    num::ztemp b, e, m, r;
    {
        num::zview vb(base), ve(exp), vm(mod);  // views die at the next allocation: copy first
        mpz_set(b, vb);
        mpz_set(e, ve);
        mpz_set(m, vm);
    }
    if (mpz_sgn(m) == 0) value_error("pow() 3rd argument cannot be 0");
    bool negative_mod = mpz_sgn(m) < 0;
    mpz_abs(m, m);
    if (mpz_sgn(e) < 0) {
        if (!mpz_invert(b, b, m)) value_error("base is not invertible for the given modulus");
        mpz_neg(e, e);
    }
    mpz_powm(r, b, e, m);
    if (negative_mod && mpz_sgn(r) != 0) mpz_sub(r, r, m);
    return num::from_mpz(h, r);
}

// hex, oct, bin: the prefix after the sign, as Python's.
value int_in_base(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* fname, int base,
                  const char* prefix) {
    no_kwargs(kwargs, fname);
    expected_args(fname, argc, 1, 1);
    if (!is_integer(argv[0]))
        type_error(std::string("'") + type_name_of(argv[0]) + "' object cannot be interpreted as an integer");
    std::string digits = int_to_string(argv[0].is_bool() ? value::from_int(argv[0].as_bool()) : argv[0], base);
    bool negative = !digits.empty() && digits[0] == '-';
    std::string text = std::string(negative ? "-" : "") + prefix + (negative ? digits.substr(1) : digits);
    return m.heap().alloc_str(text);
}

}  // namespace

// map(function, iterable, *iterables): [f(x) for x in iterable], or with
// several iterables f of their items side by side, to the shortest.
value builtin_map(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "map");
    if (argc < 2) type_error("map() must have at least two arguments.");
    heap& h = m.heap();
    rooted f(h, argv[0]);
    std::vector<std::unique_ptr<rooted_values>> sources;
    std::size_t n = SIZE_MAX;
    for (std::uint32_t k = 1; k < argc; ++k) {
        sources.push_back(std::make_unique<rooted_values>(h));
        collect_items(m, argv[k], *sources.back());
        n = std::min(n, sources.back()->size());
    }
    rooted_values out(h);
    std::vector<value> args(argc - 1);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < sources.size(); ++k) args[k] = (*sources[k])[i];
        value r = m.call(f, std::span<const value>(args.data(), args.size()));
        out.push_back(r);
    }
    return make_list(h, out.data(), out.size());
}

// filter(function, iterable): the items for which function(item) is true
// (with None: the items that are true themselves).
value builtin_filter(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "filter");
    expected_args("filter", argc, 2, 2);
    heap& h = m.heap();
    rooted f(h, argv[0]);
    rooted_values items(h);
    collect_items(m, argv[1], items);
    rooted_values out(h);
    for (std::size_t i = 0; i < items.size(); ++i) {
        value item = items[i];
        bool keep;
        if (f.get().is_none()) {
            keep = truthy(item);
        } else {
            value arg[1] = {item};
            keep = truthy(m.call(f, arg));
        }
        if (keep) out.push_back(items[i]);
    }
    return make_list(h, out.data(), out.size());
}

value builtin_callable(vm&, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "callable");
    expected_args("callable", argc, 1, 1);
    return value::boolean(is_callable(argv[0]));
}

// iter(iterable): an iterator that walks it from where it stands on each
// next() (the form iter(callable, sentinel) is not provided). An iterator
// is its own iterator.
value builtin_iter(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "iter");
    expected_args("iter", argc, 1, 2);
    if (argc == 2) type_error("iter(callable, sentinel) is not supported in Weft: loop until the sentinel");
    if (is_native(argv[0], native_kind::iterator)) return argv[0];
    m.iter_check(argv[0]);  // "'int' object is not iterable"
    rooted source(m.heap(), argv[0]);
    value it = alloc_native(m.heap(), native_kind::iterator, 1, sizeof(iterator_state));  // zeroed: at the start
    as_native(it)->slots()[0] = source;
    return it;
}

// next(iterator[, default]): its next item; at the end the default, or StopIteration.
value builtin_next(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "next");
    expected_args("next", argc, 1, 2);
    if (!is_native(argv[0], native_kind::iterator))
        type_error(std::string("'") + type_name_of(argv[0]) + "' object is not an iterator");
    value out;
    if (m.iterator_next(argv[0], out)) return out;
    if (argc == 2) return argv[1];
    value no_args = m.heap().alloc_tuple(0);
    m.raise_exception(m.make_exception(m.prog().exception_class_for("StopIteration"), no_args));
}

// pow(base, exp, mod=None): base ** exp, or for ints (base ** exp) % mod
// without the power's size.
value builtin_pow(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[3];
    parse_kwargs(kwargs, "pow", {"base", "exp", "mod"}, kw);
    takes_args("pow", argc + (kwargs.is_none() ? 0 : heap::dict_len(kwargs)), 2, 3);
    static constexpr const char* names[] = {"base", "exp", "mod"};
    value a[3];
    for (std::uint32_t k = 0; k < 3; ++k) a[k] = merge_arg("pow", argv, argc, k, kw[k], names[k]);
    if (a[0].is_empty()) type_error("pow() missing required argument 'base' (pos 1)");
    if (a[1].is_empty()) type_error("pow() missing required argument 'exp' (pos 2)");
    if (a[2].is_empty() || a[2].is_none()) return num::pow(m.heap(), a[0], a[1]);
    if (!is_integer(a[0]) || !is_integer(a[1]) || !is_integer(a[2]))
        type_error("pow() 3rd argument not allowed unless all arguments are integers");
    return modular_pow(m.heap(), a[0], a[1], a[2]);
}

value builtin_hex(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return int_in_base(m, argv, argc, kwargs, "hex", 16, "0x");
}

value builtin_oct(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return int_in_base(m, argv, argc, kwargs, "oct", 8, "0o");
}

value builtin_bin(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return int_in_base(m, argv, argc, kwargs, "bin", 2, "0b");
}

}  // namespace weft::interp::bi
