// term.cpp: building, copying, comparing and destroying weft::term values.
//
// Every walk over a tree (copy, ==, destruction) keeps its pending work in an
// explicit stack or an intrusive list, never in C++ recursion, so a value nested
// a million deep is as safe as a flat one on a 64 KiB fiber stack. Destruction
// additionally never allocates: it threads the nodes still to free through
// their own headers. Printing lives in term_repr.cpp.
#include <cmath>
#include <cstring>
#include <new>
#include <ostream>
#include <utility>

#include "serialize/shared_binary.hpp"
#include "serialize/small_stack.hpp"
#include "serialize/term.hpp"
#include "serialize/term_internal.hpp"

namespace weft {

using detail::term_node;
using detail::term_walk;

std::string_view to_string(term_kind k) noexcept {
    switch (k) {
        case term_kind::none: return "None";
        case term_kind::boolean: return "bool";
        case term_kind::integer: return "int";
        case term_kind::bignum: return "bignum";
        case term_kind::floating: return "float";
        case term_kind::str: return "str";
        case term_kind::bytes: return "bytes";
        case term_kind::pid: return "pid";
        case term_kind::ref: return "ref";
        case term_kind::port: return "port";
        case term_kind::tuple: return "tuple";
        case term_kind::list: return "list";
        case term_kind::set: return "set";
        case term_kind::frozenset: return "frozenset";
        case term_kind::dict: return "dict";
        case term_kind::function: return "function";
    }
    return "?";
}

// ---- nodes ---------------------------------------------------------------

term_node* term_walk::make_node(term_kind k, std::size_t count) {
    if (count == 0) return nullptr;
    if (count > 0xffffffffu) throw std::length_error("term: too many items");
    void* mem = ::operator new(sizeof(term_node) + count * sizeof(term));
    auto* n = static_cast<term_node*>(mem);
    n->link = nullptr;
    n->count = static_cast<std::uint32_t>(count);
    n->kind = k;
    // Children start as None: trivially valid, so a half-built tree can always be freed.
    if (k == term_kind::dict) {
        for (std::size_t i = 0; i < count / 2; ++i) new (reinterpret_cast<dict_entry*>(n + 1) + i) dict_entry();
    } else {
        for (std::size_t i = 0; i < count; ++i) new (reinterpret_cast<term*>(n + 1) + i) term();
    }
    return n;
}

namespace {

// Frees a whole tree. The nodes still to visit form a list linked through
// their own headers, so this needs neither recursion nor memory.
void destroy_tree(term_node* root, term_kind k) noexcept {
    root->kind = k;
    root->link = nullptr;
    term_node* head = root;
    while (head) {
        term_node* n = head;
        head = n->link;
        for (std::size_t i = 0; i < n->count; ++i) {
            term& c = term_walk::child(n->kind, n, i);
            if (term_walk::has_children(c)) {
                term_node* cn = term_walk::node(c);
                cn->kind = term_walk::kind(c);
                cn->link = head;
                head = cn;
                term_walk::detach(c);
            }
        }
        // Every child is a leaf now; their destructors only drop binaries.
        if (n->kind == term_kind::dict) {
            for (std::size_t i = 0; i < n->count / 2; ++i) n->entries()[i].~dict_entry();
        } else {
            for (std::size_t i = 0; i < n->count; ++i) n->terms()[i].~term();
        }
        ::operator delete(n);
    }
}

// Gives `dst` (None) a copy of compound `src`'s tree, one level at a time.
void copy_tree(const term& src, term& dst) {
    struct pair {
        term_node* from;
        term_node* to;
        term_kind kind;
    };
    detail::small_stack<pair> work;
    term_node* root = term_walk::make_compound(dst, term_walk::kind(src), term_walk::child_count(src));
    if (!root) return;
    work.push({term_walk::node(src), root, term_walk::kind(src)});
    while (!work.empty()) {
        pair p = work.top();
        work.pop();
        for (std::size_t i = 0; i < p.from->count; ++i) {
            const term& s = term_walk::child(p.kind, p.from, i);
            term& d = term_walk::child(p.kind, p.to, i);
            if (term_walk::has_children(s)) {
                // A failed allocation leaves dst a valid (partial) tree for its destructor.
                term_node* n = term_walk::make_compound(d, term_walk::kind(s), term_walk::child_count(s));
                work.push({term_walk::node(s), n, term_walk::kind(s)});
            } else {
                d = s;  // a leaf: copies bytes or takes a binary reference
            }
        }
    }
}

bool same_float(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Equal as leaves, or compounds of the same kind and size (children not yet compared).
bool shallow_equal(const term& a, const term& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case term_kind::none: return true;
        case term_kind::boolean: return a.as_bool() == b.as_bool();
        case term_kind::integer: return a.as_int() == b.as_int();
        case term_kind::floating: return same_float(a.as_float(), b.as_float());
        case term_kind::pid: return a.as_pid() == b.as_pid();
        case term_kind::ref: return a.as_ref() == b.as_ref();
        case term_kind::port: return a.as_port() == b.as_port();
        case term_kind::bignum:
            if (term_walk::negative(a) != term_walk::negative(b)) return false;
            [[fallthrough]];
        case term_kind::str:
        case term_kind::bytes: {
            auto x = term_walk::payload(a), y = term_walk::payload(b);
            return x.size() == y.size() && (x.empty() || std::memcmp(x.data(), y.data(), x.size()) == 0);
        }
        case term_kind::tuple:
        case term_kind::list:
        case term_kind::set:
        case term_kind::frozenset:
        case term_kind::dict:
        case term_kind::function: return term_walk::child_count(a) == term_walk::child_count(b);
    }
    return false;
}

}  // namespace

void term_walk::detach(term& t) noexcept {
    t.kind_ = term_kind::none;
    t.flags_ = 0;
}

// ---- construction --------------------------------------------------------

term term::from_bytes(term_kind k, std::span<const std::byte> b) {
    term t;
    t.kind_ = k;
    if (b.size() <= inline_bytes) {
        t.len_ = static_cast<std::uint8_t>(b.size());
        if (!b.empty()) std::memcpy(t.u_.small, b.data(), b.size());
    } else {
        t.u_.shared = shared_binary::make(b);
        t.flags_ = shared_flag;
    }
    return t;
}

term term::str(std::string_view s) {
    return from_bytes(term_kind::str, std::as_bytes(std::span<const char>(s.data(), s.size())));
}
term term::bytes(std::span<const std::byte> b) { return from_bytes(term_kind::bytes, b); }
term term::bytes(std::string_view b) {
    return from_bytes(term_kind::bytes, std::as_bytes(std::span<const char>(b.data(), b.size())));
}

term term::shared_str(shared_binary* b) {
    b->acquire();
    term t;
    term_walk::adopt_shared(t, term_kind::str, b);
    return t;
}
term term::shared_bytes(shared_binary* b) {
    b->acquire();
    term t;
    term_walk::adopt_shared(t, term_kind::bytes, b);
    return t;
}

term term::from_uint64(std::uint64_t v) {
    std::byte mag[8];
    for (int i = 0; i < 8; ++i) mag[i] = std::byte(v >> (8 * i));
    return bignum(false, mag);
}

term term::bignum(bool negative, std::span<const std::byte> magnitude_le) {
    std::size_t n = magnitude_le.size();
    while (n > 0 && magnitude_le[n - 1] == std::byte{0}) --n;
    magnitude_le = magnitude_le.first(n);
    if (n <= 8) {
        std::uint64_t m = 0;
        for (std::size_t i = 0; i < n; ++i) m |= std::uint64_t(magnitude_le[i]) << (8 * i);
        constexpr std::uint64_t max = std::uint64_t(std::numeric_limits<std::int64_t>::max());
        if (!negative && m <= max) return term(std::int64_t(m));
        if (negative && m <= max + 1) return term(std::int64_t(0 - m));  // wraps to the negative value
    }
    term t = from_bytes(term_kind::bignum, magnitude_le);
    if (negative) t.flags_ |= negative_flag;
    return t;
}

term term::from_items(term_kind k, std::span<const term> items) {
    term t;
    term_node* n = term_walk::make_compound(t, k, items.size());
    for (std::size_t i = 0; i < items.size(); ++i) n->terms()[i] = items[i];
    return t;
}

term term::from_items(term_kind k, std::vector<term>&& items) {
    term t;
    term_node* n = term_walk::make_compound(t, k, items.size());
    for (std::size_t i = 0; i < items.size(); ++i) n->terms()[i] = std::move(items[i]);
    return t;
}

term term::tuple(std::initializer_list<term> items) { return from_items(term_kind::tuple, std::span(items)); }
term term::tuple(std::vector<term> items) { return from_items(term_kind::tuple, std::move(items)); }
term term::list(std::initializer_list<term> items) { return from_items(term_kind::list, std::span(items)); }
term term::list(std::vector<term> items) { return from_items(term_kind::list, std::move(items)); }
term term::set(std::vector<term> items) { return from_items(term_kind::set, std::move(items)); }
term term::frozenset(std::vector<term> items) { return from_items(term_kind::frozenset, std::move(items)); }

term term::dict(std::initializer_list<dict_entry> entries) {
    term t;
    term_node* n = term_walk::make_compound(t, term_kind::dict, 2 * entries.size());
    std::size_t i = 0;
    for (const dict_entry& e : entries) n->entries()[i++] = e;
    return t;
}

term term::dict(std::vector<dict_entry> entries) {
    term t;
    term_node* n = term_walk::make_compound(t, term_kind::dict, 2 * entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) n->entries()[i] = std::move(entries[i]);
    return t;
}

term term::function(std::string_view module, std::uint32_t index, std::string_view name,
                    std::vector<term> captures) {
    term t;
    term_node* n = term_walk::make_compound(t, term_kind::function,
                                            detail::function_fixed_children + captures.size());
    n->terms()[0] = str(module);
    n->terms()[1] = term(index);
    n->terms()[2] = str(name);
    for (std::size_t i = 0; i < captures.size(); ++i)
        n->terms()[detail::function_fixed_children + i] = std::move(captures[i]);
    return t;
}

// ---- copy, move, destroy ---------------------------------------------------

term::term(const term& other) : kind_(other.kind_), flags_(other.flags_), len_(other.len_), u_(other.u_) {
    if (flags_ & shared_flag) {
        u_.shared->acquire();
    } else if (kind_ >= term_kind::tuple && u_.node) {
        kind_ = term_kind::none;
        u_.node = nullptr;
        try {
            copy_tree(other, *this);
        } catch (...) {
            drop();  // no destructor runs for a constructor that throws
            throw;
        }
    }
}

term& term::operator=(const term& other) {
    if (this != &other) *this = term(other);
    return *this;
}

term& term::operator=(term&& other) noexcept {
    if (this == &other) return *this;
    // `other` may live inside our own tree: take it before freeing the old value.
    term old(std::move(*this));
    kind_ = other.kind_;
    flags_ = other.flags_;
    len_ = other.len_;
    u_ = other.u_;
    other.kind_ = term_kind::none;
    other.flags_ = 0;
    return *this;
}

void term::drop() noexcept {
    if (flags_ & shared_flag) {
        u_.shared->release();
    } else if (kind_ >= term_kind::tuple && u_.node) {
        destroy_tree(u_.node, kind_);
    }
    kind_ = term_kind::none;
    flags_ = 0;
}

// ---- access ----------------------------------------------------------------

void term::throw_bad_access(term_kind wanted) const {
    throw bad_term_access("term: expected " + std::string(to_string(wanted)) + ", got " +
                          std::string(to_string(kind_)));
}

std::span<const std::byte> term::byte_payload() const noexcept {
    if (flags_ & shared_flag) return u_.shared->bytes();
    return {u_.small, len_};
}

std::string_view term::as_str() const {
    auto b = expect(term_kind::str).byte_payload();
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::span<const std::byte> term::as_bytes() const { return expect(term_kind::bytes).byte_payload(); }

bignum_view term::as_bignum() const {
    return {(expect(term_kind::bignum).flags_ & negative_flag) != 0, byte_payload()};
}

function_view term::as_function() const {
    const term_node* n = expect(term_kind::function).u_.node;
    term* c = const_cast<term_node*>(n)->terms();
    return {c[0].as_str(), static_cast<std::uint32_t>(c[1].as_int()), c[2].as_str(),
            std::span<const term>(c + detail::function_fixed_children, n->count - detail::function_fixed_children)};
}

std::span<const term> term::elements() const {
    if (kind_ != term_kind::tuple && kind_ != term_kind::list && !is_set()) throw_bad_access(term_kind::list);
    if (!u_.node) return {};
    return {u_.node->terms(), u_.node->count};
}

std::span<const dict_entry> term::entries() const {
    expect(term_kind::dict);
    if (!u_.node) return {};
    return {u_.node->entries(), u_.node->count / 2};
}

const term* term::find(const term& key) const {
    for (const dict_entry& e : entries())
        if (e.key == key) return &e.value;
    return nullptr;
}

std::size_t term::size() const noexcept {
    switch (kind_) {
        case term_kind::tuple:
        case term_kind::list:
        case term_kind::set:
        case term_kind::frozenset: return u_.node ? u_.node->count : 0;
        case term_kind::dict: return u_.node ? u_.node->count / 2 : 0;
        case term_kind::str:
        case term_kind::bytes: return byte_payload().size();
        default: return 0;
    }
}

// ---- equality ----------------------------------------------------------------

bool operator==(const term& a, const term& b) {
    if (&a == &b) return true;
    if (!shallow_equal(a, b)) return false;
    if (!term_walk::has_children(a)) return true;
    struct frame {
        const term* a;
        const term* b;
        std::uint32_t next;
    };
    detail::small_stack<frame> work;
    work.push({&a, &b, 0});
    while (!work.empty()) {
        frame& f = work.top();
        if (f.next == term_walk::child_count(*f.a)) {
            work.pop();
            continue;
        }
        const term& x = term_walk::child(*f.a, f.next);
        const term& y = term_walk::child(*f.b, f.next);
        ++f.next;  // before push: push may move the frame
        if (!shallow_equal(x, y)) return false;
        if (term_walk::has_children(x)) work.push({&x, &y, 0});
    }
    return true;
}

std::ostream& operator<<(std::ostream& os, const term& t) { return os << t.repr(); }

}  // namespace weft
