// random_module.cpp: `import random`, CPython 3.11's module-level random
// functions (random randint randrange uniform choice choices shuffle sample
// seed gauss getrandbits), drawing the very numbers CPython draws after the
// same seed: the generator is CPython's Mersenne Twister (random_mt.hpp) and
// every function here follows the Python code of CPython's Lib/random.py
// step by step (the same draws in the same order, the same errors).
//
// One generator per actor, and no state shared between actors, so no lock:
// the generator is per-VM state (vm::module_state_of), plain C++ memory the
// VM owns. It is made on the actor's first call into this module (seeded
// from the system then, which nobody can tell from seeding at spawn), so an
// actor that never draws costs nothing, and it is never copied: a spawned
// actor makes its own. Kept outside the heap on purpose: the 2.5 KB state
// needs no rooting, never moves in a collection and never travels in a
// message. With `weft run --seed N` the generators start from N instead
// (seed_plan): the main actor as random.seed(N), the actor spawned k-th
// after it as random.seed(f"{N}/{k}").
//
// This file must never keep state of its own (a static generator would be
// shared between threads) nor draw in another order than CPython does.
#include "lib/random_module.hpp"

#include <openssl/sha.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numbers>
#include <string>
#include <unordered_set>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/objects/bigint.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/ops.hpp"
#include "interp/vm/vm.hpp"
#include "lib/random_mt.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_module;
using interp::op;
using interp::rooted;
using interp::value;
using interp::vm;
namespace bi = interp::bi;
namespace num = interp::num;
namespace ops = interp::ops;

struct generator final : interp::module_state {
    mersenne_twister mt;
    // gauss() makes two numbers at a time and keeps the second (CPython's
    // Random.gauss_next); seed() forgets it.
    bool has_gauss = false;
    double gauss_next = 0.0;
};

// -- Seeding, as CPython's random_seed and Random.seed ---------------------------------

void seed_abs(mersenne_twister& mt, mpz_srcptr z) {
    num::ztemp a;
    mpz_abs(a, z);
    std::vector<std::uint32_t> key(1, 0);
    if (mpz_sgn(a) != 0) {
        key.resize((mpz_sizeinbase(a, 2) + 31) / 32);
        std::size_t written = 0;
        mpz_export(key.data(), &written, -1, sizeof(std::uint32_t), 0, 0, a);
        key.resize(written);
    }
    mt.seed_by_array(key);
}

void seed_u64(mersenne_twister& mt, std::uint64_t u) {
    num::ztemp z;
    mpz_import(z, 1, -1, sizeof u, 0, 0, &u);
    seed_abs(mt, z);
}

// Version 2 for str and bytes: the int whose big-endian bytes are the text
// followed by its SHA-512.
void seed_text(mersenne_twister& mt, std::string_view data) {
    std::string all(data);
    all.resize(data.size() + SHA512_DIGEST_LENGTH);
    SHA512(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(all.data() + data.size()));
    num::ztemp z;
    mpz_import(z, all.size(), 1, 1, 1, 0, all.data());
    seed_abs(mt, z);
}

// Version 1 for str and bytes: Python 2's string hash of the code points.
std::uint64_t version1_hash(value a) {
    std::vector<std::uint32_t> cps;
    if (interp::is_str(a)) {
        std::string_view s = interp::str_view(a);
        for (std::size_t i = 0; i < s.size();) {
            interp::utf8_char c = interp::decode_utf8(s, i);
            cps.push_back(c.cp);
            i += c.len ? c.len : 1;
        }
    } else {
        for (unsigned char c : interp::bytes_view(a)) cps.push_back(c);
    }
    std::uint64_t x = cps.empty() ? 0 : std::uint64_t(cps[0]) << 7;
    for (std::uint32_t c : cps) x = (1000003U * x) ^ c;
    return x ^ cps.size();
}

// Python compares the version with ==, so True is 1 and 2.0 is 2.
int version_number(value v) {
    if (!num::is_number(v)) return 0;
    if (num::compare(v, value::from_int(1)) == 0) return 1;
    if (num::compare(v, value::from_int(2)) == 0) return 2;
    return 0;
}

void seed_value(generator& g, value a, value version) {
    bool v1 = version_number(version) == 1, v2 = version_number(version) == 2;
    bool text = interp::is_str(a) || interp::is_bytes(a);
    if (a.is_none()) g.mt.seed_from_system();
    else if (text && v1) seed_u64(g.mt, version1_hash(a));
    else if (text && v2)
        seed_text(g.mt, interp::is_str(a) ? interp::str_view(a) : interp::bytes_view(a));
    else if (num::is_integer(a)) seed_abs(g.mt, num::zview(a));
    else if (a.is_float() || text)  // CPython seeds with hash(a) taken as an unsigned size_t
        seed_u64(g.mt, std::uint64_t(num::hash(a)));
    else
        bi::type_error("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
    g.has_gauss = false;
}

// This actor's generator, made on first use.
generator& gen(vm& m) {
    const void* key = &random_module();
    if (interp::module_state* s = m.module_state_of(key)) return static_cast<generator&>(*s);
    auto g = std::make_unique<generator>();
    if (const interp::seed_plan* plan = m.seed()) {
        num::ztemp n;
        mpz_set_str(n, plan->n.c_str(), 10);  // digits, checked by the command line
        if (m.seed_order() == 0) {
            seed_abs(g->mt, n);
        } else {
            // N in its plain decimal form ("0042" is "42"), as f"{abs(N)}" writes it.
            std::string digits(mpz_sizeinbase(n, 10) + 2, '\0');
            mpz_get_str(digits.data(), 10, n);
            digits.resize(std::strlen(digits.c_str()));
            seed_text(g->mt, digits + "/" + std::to_string(m.seed_order()));
        }
    } else {
        g->mt.seed_from_system();
    }
    return static_cast<generator&>(m.set_module_state(key, std::move(g)));
}

// -- Arguments, worded as CPython words them for methods written in Python ---------

// Binds the arguments of Random.NAME (after self): the first `positional`
// names may come by position, the others by keyword only; the first
// `required` must come. out[i] is empty() when absent.
void bind(const char* fname, const value* argv, std::uint32_t argc, value kwargs,
          std::initializer_list<const char*> names, unsigned positional, unsigned required, value* out) {
    auto plural = [](std::size_t n, const char* one, const char* many) { return n == 1 ? one : many; };
    if (argc > positional) {
        std::string takes = required < positional
                                ? "from " + std::to_string(required + 1) + " to " + std::to_string(positional + 1)
                                : std::to_string(positional + 1);
        bi::type_error(std::string(fname) + "() takes " + takes + " positional arguments but " +
                       std::to_string(argc + 1) + plural(argc + 1, " was", " were") + " given");
    }
    std::size_t i = 0;
    for (; i < names.size(); ++i) out[i] = i < argc ? argv[i] : value::empty();
    if (!kwargs.is_none()) {
        std::uint32_t pos = 0;
        value k, v;
        while (interp::heap::dict_next(kwargs, pos, k, v)) {
            std::string_view key = interp::str_view(k);
            std::size_t at = 0;
            for (const char* n : names) {
                if (key == n) break;
                ++at;
            }
            if (at == names.size())
                bi::type_error(std::string(fname) + "() got an unexpected keyword argument '" + std::string(key) + "'");
            if (!out[at].is_empty())
                bi::type_error(std::string(fname) + "() got multiple values for argument '" + std::string(key) + "'");
            out[at] = v;
        }
    }
    std::vector<std::string> missing;
    i = 0;
    for (const char* n : names) {
        if (i < required && out[i].is_empty()) missing.push_back(std::string("'") + n + "'");
        ++i;
    }
    if (missing.empty()) return;
    std::string list = missing[0];
    for (std::size_t j = 1; j < missing.size(); ++j)
        list += (missing.size() > 2 ? ", " : " ") + std::string(j + 1 == missing.size() ? "and " : "") + missing[j];
    bi::type_error(std::string(fname) + "() missing " + std::to_string(missing.size()) + " required positional " +
                   plural(missing.size(), "argument", "arguments") + ": " + list);
}

value int_value(interp::heap& h, std::uint64_t u) {
    if (u <= std::uint64_t(value::small_int_max)) return value::from_int(std::int64_t(u));
    interp::limb l = u;
    return num::int_from_limbs(h, false, &l, 1);
}

bool is_zero(value v) { return num::compare(v, value::from_int(0)) == 0; }
bool is_positive(value v) { return num::compare(v, value::from_int(0)) > 0; }

// -- The draws --------------------------------------------------------------------

// _randbelow_with_getrandbits: n > 0.
std::uint64_t randbelow(generator& g, std::uint64_t n) {
    unsigned k = 64 - unsigned(__builtin_clzll(n));
    std::uint64_t r = g.mt.bits64(k);
    while (r >= n) r = g.mt.bits64(k);
    return r;
}

value randbelow(vm& m, generator& g, value n) {
    std::int64_t small;
    if (num::to_int64(n, small)) return int_value(m.heap(), randbelow(g, std::uint64_t(small)));
    num::ztemp bound, r;
    mpz_set(bound, num::zview(n));
    std::vector<std::uint32_t> words;
    do {
        g.mt.bits(mpz_sizeinbase(bound, 2), words);
        mpz_import(r, words.size(), -1, sizeof(std::uint32_t), 0, 0, words.data());
    } while (mpz_cmp(r, bound) >= 0);
    return num::from_mpz(m.heap(), r);
}

// randrange's start, stop and step: operator.index's int, else int(x) when
// it equals x (CPython takes it with a DeprecationWarning, which Weft has
// no way to show, and gives the same number), else ValueError `non_integer`.
value range_arg(vm& m, value v, const char* non_integer) {
    if (num::is_integer(v)) return v.is_bool() ? value::from_int(v.as_bool()) : v;
    if (v.is_float()) {
        double d = v.as_float();
        if (std::isnan(d)) bi::value_error("cannot convert float NaN to integer");
        if (std::isinf(d)) interp::throw_script_error("OverflowError", "cannot convert float infinity to integer");
        if (d != std::trunc(d)) bi::value_error(non_integer);
        return num::int_from_double(m.heap(), d);
    }
    if (interp::is_str(v) || interp::is_bytes(v)) {
        try {
            num::parse_int(m.heap(), interp::is_str(v) ? interp::str_view(v) : interp::bytes_view(v));
        } catch (const interp::script_error&) {
            bi::value_error("invalid literal for int() with base 10: " + m.repr(v));
        }
        bi::value_error(non_integer);  // an int is never equal to a str
    }
    bi::type_error(std::string("int() argument must be a string, a bytes-like object or a real number, not '") +
                   interp::type_name_of(v) + "'");
}

value randrange(vm& m, value start, value stop, value step) {
    generator& g = gen(m);
    interp::heap& h = m.heap();
    rooted istart(h, range_arg(m, start, "non-integer arg 1 for randrange()"));
    if (stop.is_empty() || stop.is_none()) {
        if (!step.is_empty() && !(step.is_int() && step.as_int() == 1))
            bi::type_error("Missing a non-None stop argument");
        if (is_positive(istart)) return randbelow(m, g, istart);
        bi::value_error("empty range for randrange()");
    }
    rooted istop(h, range_arg(m, stop, "non-integer stop for randrange()"));
    rooted width(h, num::sub(h, istop, istart));
    rooted istep(h, step.is_empty() ? value::from_int(1) : range_arg(m, step, "non-integer step for randrange()"));
    if (istep.get().is_int() && istep.get().as_int() == 1) {
        if (is_positive(width)) return num::add(h, istart, randbelow(m, g, width));
        bi::value_error("empty range for randrange() (" + m.repr(istart) + ", " + m.repr(istop) + ", " +
                        m.repr(width) + ")");
    }
    if (is_zero(istep)) bi::value_error("zero step for randrange()");
    value adjust = value::from_int(is_positive(istep) ? -1 : 1);
    rooted n(h, num::add(h, width, istep));
    n = num::add(h, n, adjust);
    n = num::floordiv(h, n, istep);
    if (!is_positive(n)) bi::value_error("empty range for randrange()");
    rooted r(h, randbelow(m, g, n));
    r = num::mul(h, istep, r);
    return num::add(h, istart, r);
}

// -- The module's functions --------------------------------------------------------

value random_random(vm& m, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "Random.random");
    bi::no_args("Random.random", argc);
    return value::from_float(gen(m).mt.random());
}

value random_getrandbits(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "Random.getrandbits");
    bi::exactly_one("Random.getrandbits", argc);
    if (!num::is_integer(argv[0]))
        bi::type_error(std::string("'") + interp::type_name_of(argv[0]) + "' object cannot be interpreted as an integer");
    std::int64_t k;
    if (!num::to_int64(argv[0], k) || k > INT_MAX || k < INT_MIN)
        interp::throw_script_error("OverflowError", "Python int too large to convert to C int");
    if (k < 0) bi::value_error("number of bits must be non-negative");
    if (k == 0) return value::from_int(0);
    generator& g = gen(m);
    if (k <= 64) return int_value(m.heap(), g.mt.bits64(unsigned(k)));
    num::check_result_bits(m.heap(), double(k));
    std::vector<std::uint32_t> words;
    g.mt.bits(std::uint64_t(k), words);
    num::ztemp z;
    mpz_import(z, words.size(), -1, sizeof(std::uint32_t), 0, 0, words.data());
    return num::from_mpz(m.heap(), z);
}

value random_seed(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[2];
    bind("Random.seed", argv, argc, kwargs, {"a", "version"}, 2, 0, a);
    seed_value(gen(m), a[0].is_empty() ? value::none() : a[0], a[1].is_empty() ? value::from_int(2) : a[1]);
    return value::none();
}

value random_randrange(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[3];
    bind("Random.randrange", argv, argc, kwargs, {"start", "stop", "step"}, 3, 1, a);
    interp::root_scope keep(m.heap(), a, 3);
    return randrange(m, a[0], a[1], a[2]);
}

value random_randint(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[2];
    bind("Random.randint", argv, argc, kwargs, {"a", "b"}, 2, 2, a);
    interp::root_scope keep(m.heap(), a, 2);
    value stop = ops::arith(m, op::ADD, a[1], value::from_int(1));
    return randrange(m, a[0], stop, value::empty());
}

value random_choice(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[1];
    bind("Random.choice", argv, argc, kwargs, {"seq"}, 1, 1, a);
    rooted seq(m.heap(), a[0]);
    std::int64_t n = ops::length(seq);
    if (n == 0) interp::throw_script_error("IndexError", "Cannot choose from an empty sequence");
    return ops::getitem(m, seq, int_value(m.heap(), randbelow(gen(m), std::uint64_t(n))));
}

value random_shuffle(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[1];
    bind("Random.shuffle", argv, argc, kwargs, {"x"}, 1, 1, a);
    interp::heap& h = m.heap();
    rooted x(h, a[0]), xi(h), xj(h);
    std::int64_t n = ops::length(x);
    generator& g = gen(m);
    m.charge(std::uint64_t(n));
    for (std::int64_t i = n - 1; i >= 1; --i) {
        std::int64_t j = std::int64_t(randbelow(g, std::uint64_t(i + 1)));
        xj = ops::getitem(m, x, value::from_int(j));
        xi = ops::getitem(m, x, value::from_int(i));
        ops::setitem(m, x, value::from_int(i), xj);
        ops::setitem(m, x, value::from_int(j), xi);
    }
    return value::none();
}


// Python's bisect.bisect_right(a, x, 0, hi).
std::size_t bisect_right(vm& m, bi::rooted_values& a, value x, std::size_t hi) {
    std::size_t lo = 0;
    while (lo < hi) {
        std::size_t mid = (lo + hi) / 2;
        if (ops::compare(m, op::LT, x, a[mid])) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

// itertools.accumulate(iterable) into out (operator.add, as Python).
void accumulate(vm& m, value iterable, bi::rooted_values& out) {
    bi::collect_items(m, iterable, out);
    for (std::size_t i = 1; i < out.size(); ++i) {
        value sum = ops::arith(m, op::ADD, out[i - 1], out[i]);
        out[i] = sum;
    }
}

bool is_sequence(value v) {
    using interp::obj_kind;
    if (interp::is_str(v) || interp::is_bytes(v)) return true;
    if (!v.is_obj()) return false;
    obj_kind k = interp::kind_of(v);
    return k == obj_kind::tuple || k == obj_kind::list || interp::is_native(v, interp::native_kind::range);
}

// sample's k: an int in [0, n], with the errors Python's comparisons and
// list repetition give anything else.
std::int64_t sample_size(value k, std::int64_t n) {
    if (num::is_integer(k)) {
        std::int64_t v;
        if (num::to_int64(k, v) && v >= 0 && v <= n) return v;
        bi::value_error("Sample larger than population or is negative");
    }
    if (k.is_float()) {
        if (k.as_float() >= 0 && k.as_float() <= double(n))
            bi::type_error("can't multiply sequence by non-int of type 'float'");
        bi::value_error("Sample larger than population or is negative");
    }
    bi::type_error(std::string("'<=' not supported between instances of 'int' and '") + interp::type_name_of(k) + "'");
}

// The k indices of a sample of range(n), in selection order, drawn as
// Random.sample draws them: from a shrinking pool when n is small against
// k, else by drawing again on a repeat.
std::vector<std::int64_t> sample_indices(generator& g, std::int64_t n, std::int64_t k) {
    std::vector<std::int64_t> result(std::size_t(k), 0);
    std::int64_t setsize = 21;  // CPython's estimate of when a set beats a list copy
    if (k > 5) setsize += std::int64_t(std::pow(4.0, std::ceil(std::log(double(k * 3)) / std::log(4.0))));
    if (n <= setsize) {
        std::vector<std::int64_t> pool(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) pool[std::size_t(i)] = i;
        for (std::int64_t i = 0; i < k; ++i) {
            auto j = std::size_t(randbelow(g, std::uint64_t(n - i)));
            result[std::size_t(i)] = pool[j];
            pool[j] = pool[std::size_t(n - i - 1)];
        }
    } else {
        std::unordered_set<std::int64_t> selected;
        for (std::int64_t i = 0; i < k; ++i) {
            auto j = std::int64_t(randbelow(g, std::uint64_t(n)));
            while (selected.count(j)) j = std::int64_t(randbelow(g, std::uint64_t(n)));
            selected.insert(j);
            result[std::size_t(i)] = j;
        }
    }
    return result;
}

value random_sample(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[3];
    bind("Random.sample", argv, argc, kwargs, {"population", "k", "counts"}, 2, 2, a);
    interp::heap& h = m.heap();
    interp::root_scope keep(h, a, 3);
    if (!is_sequence(a[0])) bi::type_error("Population must be a sequence.  For dicts or sets, use sorted(d).");
    std::int64_t n = ops::length(a[0]);
    generator& g = gen(m);
    bi::rooted_values out(h);
    if (!a[2].is_empty() && !a[2].is_none()) {
        bi::rooted_values cum(h);
        accumulate(m, a[2], cum);
        if (std::int64_t(cum.size()) != n) bi::value_error("The number of counts does not match the population");
        if (n == 0) interp::throw_script_error("IndexError", "pop from empty list");
        value total = cum[cum.size() - 1];
        if (!num::is_integer(total)) bi::type_error("Counts must be integers");
        if (!is_positive(total)) bi::value_error("Total of counts must be greater than zero");
        std::int64_t t;
        if (!num::to_int64(total, t)) interp::throw_script_error("OverflowError", "Python int too large to convert to C ssize_t");
        std::int64_t k = sample_size(a[1], t);
        m.charge(std::uint64_t(k));
        for (std::int64_t s : sample_indices(g, t, k)) {
            std::size_t at = bisect_right(m, cum, value::from_int(s), cum.size() - 1);
            value item = ops::getitem(m, a[0], value::from_int(std::int64_t(at)));
            out.push_back(item);
        }
        return bi::make_list(h, out.data(), out.size());
    }
    std::int64_t k = sample_size(a[1], n);
    m.charge(std::uint64_t(k));
    for (std::int64_t j : sample_indices(g, n, k)) {
        value item = ops::getitem(m, a[0], value::from_int(j));
        out.push_back(item);
    }
    return bi::make_list(h, out.data(), out.size());
}

value random_choices(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[4];
    bind("Random.choices", argv, argc, kwargs, {"population", "weights", "cum_weights", "k"}, 2, 1, a);
    interp::heap& h = m.heap();
    interp::root_scope keep(h, a, 4);
    value population = a[0];
    bool no_weights = a[1].is_empty() || a[1].is_none(), no_cum = a[2].is_empty() || a[2].is_none();
    std::int64_t n = ops::length(population);
    generator& g = gen(m);
    bi::rooted_values out(h);
    auto count = [&] { return a[3].is_empty() ? std::int64_t(1) : bi::index_arg(a[3]); };
    if (no_cum && no_weights) {
        std::int64_t k = count();
        m.charge(std::uint64_t(k > 0 ? k : 0));
        for (std::int64_t i = 0; i < k; ++i) {
            auto at = std::int64_t(std::floor(g.mt.random() * double(n)));
            value item = ops::getitem(m, a[0], value::from_int(at));
            out.push_back(item);
        }
        return bi::make_list(h, out.data(), out.size());
    }
    bi::rooted_values cum(h);
    if (no_cum) {
        try {
            accumulate(m, a[1], cum);
        } catch (const interp::script_error& e) {
            if (e.kind != std::string_view("TypeError") || !num::is_integer(a[1])) throw;
            bi::type_error("The number of choices must be a keyword argument: k=" + m.repr(a[1]));
        }
        if (std::int64_t(cum.size()) == n && n == 0) interp::throw_script_error("IndexError", "list index out of range");
    } else {
        if (!no_weights) bi::type_error("Cannot specify both weights and cumulative weights");
        std::int64_t len = ops::length(a[2]);
        if (len == n && n == 0) ops::getitem(m, a[2], value::from_int(-1));
        bi::collect_items(m, a[2], cum);
    }
    if (std::int64_t(cum.size()) != n) bi::value_error("The number of weights does not match the population");
    value total = ops::arith(m, op::ADD, cum[cum.size() - 1], value::from_float(0.0));
    if (ops::compare(m, op::LE, total, value::from_float(0.0)))
        bi::value_error("Total of weights must be greater than zero");
    if (!std::isfinite(num::to_double(total))) bi::value_error("Total of weights must be finite");
    double t = num::to_double(total);
    std::int64_t k = count();
    m.charge(std::uint64_t(k > 0 ? k : 0));
    for (std::int64_t i = 0; i < k; ++i) {
        std::size_t at = bisect_right(m, cum, value::from_float(g.mt.random() * t), std::size_t(n - 1));
        value item = ops::getitem(m, a[0], value::from_int(std::int64_t(at)));
        out.push_back(item);
    }
    return bi::make_list(h, out.data(), out.size());
}

value random_uniform(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[2];
    bind("Random.uniform", argv, argc, kwargs, {"a", "b"}, 2, 2, a);
    interp::heap& h = m.heap();
    interp::root_scope keep(h, a, 2);
    rooted d(h, ops::arith(m, op::SUB, a[1], a[0]));
    d = ops::arith(m, op::MUL, d, value::from_float(gen(m).mt.random()));
    return ops::arith(m, op::ADD, a[0], d);
}

value random_gauss(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[2];
    bind("Random.gauss", argv, argc, kwargs, {"mu", "sigma"}, 2, 0, a);
    interp::heap& h = m.heap();
    interp::root_scope keep(h, a, 2);
    generator& g = gen(m);
    double z = g.gauss_next;
    bool had = g.has_gauss;
    g.has_gauss = false;
    if (!had) {
        double x2pi = g.mt.random() * (2.0 * std::numbers::pi);
        double g2rad = std::sqrt(-2.0 * std::log(1.0 - g.mt.random()));
        z = std::cos(x2pi) * g2rad;
        g.gauss_next = std::sin(x2pi) * g2rad;
        g.has_gauss = true;
    }
    rooted zs(h, ops::arith(m, op::MUL, value::from_float(z), a[1].is_empty() ? value::from_float(1.0) : a[1]));
    return ops::arith(m, op::ADD, a[0].is_empty() ? value::from_float(0.0) : a[0], zs);
}

constexpr builtin_def random_def{"random", random_random};
constexpr builtin_def getrandbits_def{"getrandbits", random_getrandbits};
constexpr builtin_def seed_def{"seed", random_seed};
constexpr builtin_def randrange_def{"randrange", random_randrange};
constexpr builtin_def randint_def{"randint", random_randint};
constexpr builtin_def choice_def{"choice", random_choice};
constexpr builtin_def choices_def{"choices", random_choices};
constexpr builtin_def shuffle_def{"shuffle", random_shuffle};
constexpr builtin_def sample_def{"sample", random_sample};
constexpr builtin_def uniform_def{"uniform", random_uniform};
constexpr builtin_def gauss_def{"gauss", random_gauss};

constexpr const builtin_def* functions[] = {&random_def, &getrandbits_def, &seed_def, &randrange_def,
                                            &randint_def, &choice_def, &choices_def, &shuffle_def,
                                            &sample_def, &uniform_def, &gauss_def};

}  // namespace

const native_module& random_module() noexcept {
    static constexpr native_module module{"random", functions};
    return module;
}

}  // namespace weft::lib
