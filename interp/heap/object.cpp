// object.cpp: hashing, structural equality and bignum printing for heap
// objects. Nothing here allocates on a Weft heap; nothing recurses.
#include "interp/heap/object.hpp"

#include <cstring>
#include <gmp.h>

#include <cmath>
#include <functional>
#include <vector>

namespace weft::interp {

static_assert(GMP_LIMB_BITS == 64 && sizeof(mp_limb_t) == sizeof(limb), "bignum limbs are GMP limbs");

const char* kind_name(obj_kind k) noexcept {
    switch (k) {
    case obj_kind::str: return "str";
    case obj_kind::bytes: return "bytes";
    case obj_kind::shared_str: return "str";
    case obj_kind::shared_bytes: return "bytes";
    case obj_kind::tuple: return "tuple";
    case obj_kind::list: return "list";
    case obj_kind::array: return "array";
    case obj_kind::dict: return "dict";
    case obj_kind::dict_table: return "dict_table";
    case obj_kind::bignum: return "int";
    case obj_kind::cell: return "cell";
    case obj_kind::pid: return "pid";
    case obj_kind::ref: return "ref";
    case obj_kind::native: return "native";
    case obj_kind::set: return "set";
    case obj_kind::set_table: return "set_table";
    }
    return "?";
}

std::uint64_t hash_string(std::string_view s) noexcept {
    return std::hash<std::string_view>{}(s);  // libstdc++: 64-bit Murmur-style, 8 bytes a step
}

std::size_t count_code_points(std::string_view s) noexcept {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::size_t str_length(value v) noexcept {
    obj* o = v.as_obj();
    if (o->kind == obj_kind::str) return static_cast<str_obj*>(o)->cp_count;
    auto* s = static_cast<shared_obj*>(o);
    if (!(s->flags & obj_flags::counted)) {  // never for frozen objects: counted eagerly
        s->cp_count = count_code_points(s->view());
        s->flags |= obj_flags::counted;
    }
    return s->cp_count;
}

namespace {

// -- Numbers: CPython's scheme, modulo the Mersenne prime 2**61 - 1. --------

constexpr std::uint64_t hash_modulus = (std::uint64_t(1) << 61) - 1;
constexpr int hash_bits = 61;
constexpr std::uint64_t hash_inf = 314159;

std::uint64_t hash_int(std::int64_t n) noexcept {
    std::uint64_t mag = n < 0 ? 0 - std::uint64_t(n) : std::uint64_t(n);
    std::uint64_t m = mag % hash_modulus;
    return n < 0 ? 0 - m : m;
}

std::uint64_t hash_float(double x) noexcept {
    if (std::isinf(x)) return x > 0 ? hash_inf : 0 - hash_inf;
    if (std::isnan(x)) return 0;
    int e = 0;
    double m = std::frexp(x, &e);
    bool negative = false;
    if (m < 0) {
        negative = true;
        m = -m;
    }
    std::uint64_t h = 0;
    while (m != 0.0) {
        h = ((h << 28) & hash_modulus) | h >> (hash_bits - 28);
        m *= 268435456.0;  // 2**28
        e -= 28;
        auto y = std::uint64_t(m);
        m -= double(y);
        h += y;
        if (h >= hash_modulus) h -= hash_modulus;
    }
    e = e >= 0 ? e % hash_bits : hash_bits - 1 - ((-1 - e) % hash_bits);
    h = ((h << e) & hash_modulus) | h >> (hash_bits - e);
    return negative ? 0 - h : h;
}

std::uint64_t hash_bignum(bignum_obj* b) noexcept {
    std::uint32_t n = b->limb_count();
    if (n == 0) return 0;
    std::uint64_t m = mpn_mod_1(reinterpret_cast<mp_limb_t*>(b->limbs()), mp_size_t(n), hash_modulus);
    return b->negative() ? 0 - m : m;
}

std::uint64_t shared_hash(shared_obj* s) noexcept {
    if (!(s->flags & obj_flags::hashed)) {  // never for frozen objects: hashed eagerly
        s->hash = hash_string(s->view());
        s->flags |= obj_flags::hashed;
    }
    return s->hash;
}

// A frozenset's hash, CPython's: the xor of its keys' hashes, each
// shuffled so that small sets of small numbers spread, then mixed with the
// size. Read from the hashes the table keeps: never recurses.
std::uint64_t hash_frozenset(set_obj* s) noexcept {
    auto shuffle = [](std::uint64_t h) { return ((h ^ 89869747ull) ^ (h << 16)) * 3644798167ull; };
    std::uint64_t h = 0;
    if (s->table.is_obj()) {
        set_table_obj* t = as_set_table(s->table);
        for (std::uint32_t i = 0; i < t->size; ++i)
            if (!t->keys()[i].is_empty()) h ^= shuffle(t->hashes()[i]);
    }
    h ^= (std::uint64_t(s->used) + 1) * 1927868237ull;
    h ^= (h >> 11) ^ (h >> 25);
    h = h * 69069u + 907133923ull;
    return h == ~std::uint64_t(0) ? 590923713ull : h;
}

}  // namespace

std::uint64_t frozenset_hash_of(value s) noexcept { return hash_frozenset(as_set(s)); }

namespace {

// CPython keeps -1 for errors: what would hash to -1 hashes to -2, which
// keeps set orders equal to CPython's for keys like -1 (and frees -1 for
// the dummies of set tables).
inline std::uint64_t not_minus_one(std::uint64_t h) noexcept { return h == ~std::uint64_t(0) ? h - 1 : h; }

// The hash of anything but a tuple.
std::uint64_t leaf_hash(value v) {
    if (v.is_int()) return not_minus_one(hash_int(v.as_int()));
    if (v.is_float()) return not_minus_one(hash_float(v.as_float()));
    if (v.is_bool()) return v.as_bool() ? 1 : 0;
    if (v.is_none()) return 0xFCA86420u;  // any constant
    if (!v.is_obj()) throw unhashable_key(obj_kind::native);
    obj* o = v.as_obj();
    switch (o->kind) {
    case obj_kind::str: return static_cast<str_obj*>(o)->hash;
    case obj_kind::bytes: return hash_string(static_cast<bytes_obj*>(o)->view());
    case obj_kind::shared_str:
    case obj_kind::shared_bytes: return shared_hash(static_cast<shared_obj*>(o));
    case obj_kind::bignum: return not_minus_one(hash_bignum(static_cast<bignum_obj*>(o)));
    case obj_kind::set:
        if (o->spare == set_frozenset) return hash_frozenset(static_cast<set_obj*>(o));
        throw unhashable_key(o->kind);
    case obj_kind::pid: return std::hash<weft::pid>{}(static_cast<pid_obj*>(o)->p);
    case obj_kind::ref: return std::hash<weft::ref>{}(static_cast<ref_obj*>(o)->r);
    case obj_kind::native:
        if (o->spare == resource_spare) {  // a file, a socket: by what it names
            auto* n = static_cast<native_obj*>(o);
            return hash_string(std::string_view(reinterpret_cast<const char*>(n->raw()), n->raw_bytes));
        }
        throw unhashable_key(o->kind);
    default: throw unhashable_key(o->kind);
    }
}

// CPython's tuple hash (xxHash's round).
constexpr std::uint64_t xx_prime1 = 11400714785074694791ull;
constexpr std::uint64_t xx_prime2 = 14029467366897019727ull;
constexpr std::uint64_t xx_prime5 = 2870177450012600261ull;
inline std::uint64_t xx_round(std::uint64_t acc, std::uint64_t lane) noexcept {
    acc += lane * xx_prime2;
    acc = (acc << 31) | (acc >> 33);
    return acc * xx_prime1;
}
inline std::uint64_t xx_finish(std::uint64_t acc, std::uint32_t len) noexcept {
    return acc + (std::uint64_t(len) ^ (xx_prime5 ^ 3527539ull));
}

// A stack that lives in the caller's frame while shallow and spills to the
// C++ heap only when tuples nest deeper than `inline_n`.
template <class T, std::size_t inline_n = 16>
class small_stack {
public:
    bool empty() const noexcept { return size_ == 0; }
    T& back() noexcept { return at(size_ - 1); }
    void push(const T& t) {
        if (size_ < inline_n) inline_[size_] = t;
        else spill_.push_back(t);
        ++size_;
    }
    void pop() noexcept {
        --size_;
        if (size_ >= inline_n) spill_.pop_back();
    }

private:
    T& at(std::size_t i) noexcept { return i < inline_n ? inline_[i] : spill_[i - inline_n]; }
    T inline_[inline_n];
    std::vector<T> spill_;
    std::size_t size_ = 0;
};

bool is_number(value v) noexcept {
    return v.is_int() || v.is_float() || v.is_bool() || is_kind(v, obj_kind::bignum);
}

// mpz view of a bignum's limbs, without copying or allocating.
mpz_srcptr mpz_view(bignum_obj* b, mpz_t storage) noexcept {
    return mpz_roinit_n(storage, reinterpret_cast<const mp_limb_t*>(b->limbs()), b->size);
}

bool numbers_equal(value a, value b) noexcept {
    if (a.is_float() && b.is_float()) return a.as_float() == b.as_float();
    if (is_kind(b, obj_kind::bignum)) std::swap(a, b);
    if (is_kind(a, obj_kind::bignum)) {
        mpz_t sa;
        mpz_srcptr za = mpz_view(as_bignum(a), sa);
        if (is_kind(b, obj_kind::bignum)) {
            mpz_t sb;
            return mpz_cmp(za, mpz_view(as_bignum(b), sb)) == 0;
        }
        if (b.is_float()) return !std::isnan(b.as_float()) && mpz_cmp_d(za, b.as_float()) == 0;
        return mpz_cmp_si(za, long(b.is_bool() ? b.as_bool() : b.as_int())) == 0;
    }
    // small ints and bools; a float against one of them (exact: |int| < 2**53)
    auto as_double = [](value v) {
        return v.is_float() ? v.as_float() : double(v.is_bool() ? v.as_bool() : v.as_int());
    };
    if (a.is_float() || b.is_float()) return as_double(a) == as_double(b);
    std::int64_t ia = a.is_bool() ? a.as_bool() : a.as_int();
    std::int64_t ib = b.is_bool() ? b.as_bool() : b.as_int();
    return ia == ib;
}

bool text_equal(std::string_view x, std::string_view y, std::uint64_t hx, std::uint64_t hy, bool hashes_known) {
    if (x.size() != y.size()) return false;
    if (hashes_known && hx != hy) return false;
    return x.size() == 0 || std::memcmp(x.data(), y.data(), x.size()) == 0;
}

bool str_hash_known(obj* o, std::uint64_t& h) noexcept {
    if (o->kind == obj_kind::str) {
        h = static_cast<str_obj*>(o)->hash;
        return true;
    }
    if (o->flags & obj_flags::hashed) {
        h = static_cast<shared_obj*>(o)->hash;
        return true;
    }
    return false;
}

bool sets_equal(set_obj* a, set_obj* b);

// Equality of anything but a pair of tuples.
bool leaf_equal(value a, value b) {
    if (identical(a, b)) return !(a.is_float() && std::isnan(a.as_float()));
    if (is_number(a)) return is_number(b) && numbers_equal(a, b);
    if (!a.is_obj() || !b.is_obj()) return false;
    if (is_str(a)) {
        if (!is_str(b)) return false;
        std::uint64_t ha = 0, hb = 0;
        bool known = unsigned(str_hash_known(a.as_obj(), ha)) & unsigned(str_hash_known(b.as_obj(), hb));
        return text_equal(str_view(a), str_view(b), ha, hb, known);
    }
    if (is_bytes(a)) return is_bytes(b) && text_equal(bytes_view(a), bytes_view(b), 0, 0, false);
    obj* x = a.as_obj();
    obj* y = b.as_obj();
    if (x->kind != y->kind) return false;
    if (x->kind == obj_kind::pid) return static_cast<pid_obj*>(x)->p == static_cast<pid_obj*>(y)->p;
    if (x->kind == obj_kind::ref) return static_cast<ref_obj*>(x)->r == static_cast<ref_obj*>(y)->r;
    if (x->kind == obj_kind::set) return sets_equal(static_cast<set_obj*>(x), static_cast<set_obj*>(y));
    if (x->kind == obj_kind::native && x->spare == resource_spare && y->spare == resource_spare) {
        // Two values of one socket (each actor that got it in a message has its own).
        auto* nx = static_cast<native_obj*>(x);
        auto* ny = static_cast<native_obj*>(y);
        return nx->raw_bytes == ny->raw_bytes && std::memcmp(nx->raw(), ny->raw(), nx->raw_bytes) == 0;
    }
    return false;  // identity, checked above
}

}  // namespace

std::uint64_t default_hash(value v) {
    if (!is_kind(v, obj_kind::tuple)) return leaf_hash(v);
    struct frame {
        tuple_obj* t;
        std::uint32_t i;
        std::uint64_t acc;
    };
    small_stack<frame> stack;
    stack.push({as_tuple(v), 0, xx_prime5});
    for (;;) {
        frame& f = stack.back();
        if (f.i == f.t->length()) {
            std::uint64_t h = xx_finish(f.acc, f.t->length());
            if (h == ~std::uint64_t(0)) h = 1546275796;  // CPython's stand-in for -1
            stack.pop();
            if (stack.empty()) return h;
            frame& parent = stack.back();
            parent.acc = xx_round(parent.acc, h);
            ++parent.i;
            continue;
        }
        value item = f.t->items()[f.i];
        if (is_kind(item, obj_kind::tuple)) {
            stack.push({as_tuple(item), 0, xx_prime5});  // f is dangling from here
            continue;
        }
        f.acc = xx_round(f.acc, leaf_hash(item));
        ++f.i;
    }
}

namespace {
// Same keys: each key of a is in b (found by the hash a keeps). Sets nest
// only as frozensets, whose keys compare here in turn.
bool sets_equal(set_obj* a, set_obj* b) {
    if (a->used != b->used) return false;
    if (!a->table.is_obj()) return true;
    set_table_obj* t = as_set_table(a->table);
    value other = value::from_obj(b);
    for (std::uint32_t i = 0; i < t->size; ++i)
        if (!t->keys()[i].is_empty() && !set_holds(other, t->keys()[i], t->hashes()[i], default_equal)) return false;
    return true;
}
}  // namespace

bool default_equal(value a, value b) {
    if (!is_kind(a, obj_kind::tuple) || !is_kind(b, obj_kind::tuple)) return leaf_equal(a, b);
    struct frame {
        tuple_obj* x;
        tuple_obj* y;
        std::uint32_t i;
    };
    small_stack<frame> stack;
    if (as_tuple(a)->length() != as_tuple(b)->length()) return false;
    stack.push({as_tuple(a), as_tuple(b), 0});
    while (!stack.empty()) {
        frame& f = stack.back();
        if (f.i == f.x->length()) {
            stack.pop();
            continue;
        }
        value p = f.x->items()[f.i];
        value q = f.y->items()[f.i];
        ++f.i;
        if (identical(p, q)) continue;  // as CPython's containers: identity first
        if (is_kind(p, obj_kind::tuple) && is_kind(q, obj_kind::tuple)) {
            if (as_tuple(p)->length() != as_tuple(q)->length()) return false;
            stack.push({as_tuple(p), as_tuple(q), 0});  // f is dangling from here
            continue;
        }
        if (!leaf_equal(p, q)) return false;
    }
    return true;
}

std::string bignum_to_string(value v, int base) {
    bignum_obj* b = as_bignum(v);
    std::uint32_t n = b->limb_count();
    if (n == 0) return "0";
    mpz_t storage;
    std::size_t digits = mpz_sizeinbase(mpz_view(b, storage), base);
    // mpn_get_str clobbers its input: work on a copy (one spare limb, as GMP asks).
    std::vector<mp_limb_t> tmp(n + 1);
    std::memcpy(tmp.data(), b->limbs(), n * sizeof(limb));
    std::string out(digits + 2, '\0');
    auto* first = reinterpret_cast<unsigned char*>(out.data()) + 1;
    std::size_t len = mpn_get_str(first, base, tmp.data(), mp_size_t(n));
    std::size_t skip = 0;
    while (skip + 1 < len && first[skip] == 0) ++skip;  // leading zeros, if any
    static constexpr char digit_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (std::size_t i = skip; i < len; ++i) first[i] = static_cast<unsigned char>(digit_chars[first[i]]);
    std::size_t start = 1 + skip;
    if (b->negative()) out[--start] = '-';
    return out.substr(start, 1 + len - start);
}

}  // namespace weft::interp
