// support.hpp: shared helpers of the serialize tests.
//
// Random terms for property tests, libcapnp-side builders and comparers (the
// oracle: these use only libcapnp's generated code, never our codec). Test
// code may recurse on the C++ stack for shallow values; the code under test
// must not (tests/support/small_stack.hpp runs it on a small stack).
#pragma once
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "serialize/codec.hpp"
#include "serialize/envelope.hpp"
#include "serialize/shared_binary.hpp"
#include "serialize/term.capnp.h"
#include "serialize/term.hpp"
#include "tests/support/small_stack.hpp"

namespace weft::test {

using schema_term = weft::schema::Term;

// [[[...[leaf]...]]] nested `depth` lists deep (depth 1 is the leaf itself).
inline term nested_list(std::size_t depth, term leaf = term(7)) {
    term t = std::move(leaf);
    for (std::size_t i = 1; i < depth; ++i) {
        std::vector<term> v;
        v.push_back(std::move(t));
        t = term::list(std::move(v));
    }
    return t;
}

inline std::span<const std::byte> as_span(const std::string& s) {
    return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

// ---- random values --------------------------------------------------------

class random_terms {
public:
    explicit random_terms(std::uint64_t seed) : rng_(seed) {}

    term make(int depth = 4) {
        // Half of the values above the leaves are compounds, so trees get big.
        int k = depth > 0 && pick(2) == 0 ? 11 + pick(7) : pick(11);
        switch (k) {
            case 0: return term();
            case 1: return term(pick(2) == 1);
            case 2: return term(random_int());
            case 3: return random_bignum();
            case 4: return term(random_float());
            case 5: return term::str(random_text());
            case 6: return term::bytes(as_span(random_bytes()));
            case 7: return term(pid{u32(), u32(), rng_()});
            case 8: return term(ref{u32(), u32(), rng_()});
            case 9: return term::str(std::string(64 + pick(200), char('a' + pick(26))));  // shared
            case 10: return term::bytes(as_span(std::string(64 + pick(300), '\0')));
            case 11: return term::tuple(items(depth));
            case 12: return term::list(items(depth));
            case 13: {
                std::vector<dict_entry> es;
                for (int i = pick(5); i > 0; --i) es.push_back({make(depth - 1), make(depth - 1)});
                return term::dict(std::move(es));
            }
            case 14:
                return term::function(random_text(), u32(), random_text(), items(depth));
            case 15: return term::set(items(depth));
            case 16: return term::frozenset(items(depth));
            default: return term::list(items(depth));
        }
    }

    std::mt19937_64& rng() { return rng_; }
    int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

private:
    std::uint32_t u32() { return static_cast<std::uint32_t>(rng_()); }

    std::vector<term> items(int depth) {
        std::vector<term> v;
        int n = pick(4) == 0 ? 0 : pick(8);
        for (int i = 0; i < n; ++i) v.push_back(make(depth - 1));
        return v;
    }

    std::int64_t random_int() {
        static constexpr std::int64_t edges[] = {0, 1, -1, INT64_MAX, INT64_MIN, 255, -129, 1 << 30};
        if (pick(3) == 0) return edges[pick(8)];
        return static_cast<std::int64_t>(rng_()) >> pick(64);
    }

    term random_bignum() {
        std::vector<std::byte> mag(9 + static_cast<std::size_t>(pick(24)));
        for (auto& b : mag) b = std::byte(rng_());
        mag.back() = std::byte(1 + pick(255));
        return term::bignum(pick(2) == 1, mag);
    }

    double random_float() {
        static const double edges[] = {0.0, -0.0, 1.5, 1e20, 1e-5, NAN, INFINITY, -INFINITY, 5e-324, 1e308};
        if (pick(3) == 0) return edges[pick(10)];
        std::uint64_t bits = rng_();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }

    std::string random_text() {
        static const char* pieces[] = {"a", "ping", "'", "\"", "\\", "\n", "é", "日本", "😀", " ", "\x01", "z"};
        std::string s;
        for (int i = pick(30); i > 0; --i) s += pieces[pick(12)];
        return s;
    }

    std::string random_bytes() {
        std::string s(static_cast<std::size_t>(pick(40)), '\0');
        for (char& c : s) c = static_cast<char>(rng_());
        return s;
    }

    std::mt19937_64 rng_;
};

// ---- the libcapnp side ------------------------------------------------------

// libcapnp wants text NUL-terminated in memory; our strings are not.
inline capnp::Text::Reader text(std::string_view s) {
    thread_local std::string copy;
    copy.assign(s);
    return capnp::Text::Reader(copy.c_str(), copy.size());
}

// Fills a libcapnp builder with t, the way straightforward user code would:
// depth first, fields in schema order. With `shared`, str/bytes that our codec
// would share (a binary of >= 64 bytes) become sharedStr/sharedBytes indexes
// into *shared, which receives one reference per use.
inline void fill(schema_term::Builder b, const term& t, std::vector<shared_binary*>* shared = nullptr) {
    auto bytes_of = [](std::span<const std::byte> s) {
        return capnp::Data::Reader(reinterpret_cast<const kj::byte*>(s.data()), s.size());
    };
    switch (t.kind()) {
        case term_kind::none: b.setNone(); return;
        case term_kind::boolean: b.setBool(t.as_bool()); return;
        case term_kind::integer: b.setInt(t.as_int()); return;
        case term_kind::floating: b.setFloat(t.as_float()); return;
        case term_kind::bignum: {
            auto big = t.as_bignum();
            auto d = b.initBignum(static_cast<unsigned>(big.magnitude.size() + 1));
            d[0] = big.negative ? 1 : 0;
            std::memcpy(d.begin() + 1, big.magnitude.data(), big.magnitude.size());
            return;
        }
        case term_kind::str:
        case term_kind::bytes:
            if (shared && t.shared() && t.shared()->size() >= shared_binary_threshold) {
                t.shared()->acquire();
                shared->push_back(t.shared());
                auto index = static_cast<std::uint32_t>(shared->size() - 1);
                if (t.is_str())
                    b.setSharedStr(index);
                else
                    b.setSharedBytes(index);
            } else if (t.is_str()) {
                b.setStr(text(t.as_str()));
            } else {
                b.setBytes(bytes_of(t.as_bytes()));
            }
            return;
        case term_kind::pid: {
            auto p = b.initPid();
            p.setNode(t.as_pid().node);
            p.setCreation(t.as_pid().creation);
            p.setSerial(t.as_pid().serial);
            return;
        }
        case term_kind::ref: {
            auto r = b.initRef();
            r.setNode(t.as_ref().node);
            r.setCreation(t.as_ref().creation);
            r.setSerial(t.as_ref().serial);
            return;
        }
        case term_kind::port: {
            auto r = b.initPort();
            r.setNode(t.as_port().node);
            r.setCreation(t.as_port().creation);
            r.setSerial(t.as_port().serial);
            return;
        }
        case term_kind::tuple:
        case term_kind::list:
        case term_kind::set:
        case term_kind::frozenset: {
            auto items = t.elements();
            auto n = static_cast<unsigned>(items.size());
            auto l = t.is_tuple() ? b.initTuple(n)
                     : t.is_list() ? b.initList(n)
                     : t.kind() == term_kind::set ? b.initSet(n) : b.initFrozenset(n);
            for (unsigned i = 0; i < items.size(); ++i) fill(l[i], items[i], shared);
            return;
        }
        case term_kind::dict: {
            auto es = t.entries();
            auto l = b.initDict(static_cast<unsigned>(es.size()));
            for (unsigned i = 0; i < es.size(); ++i) {
                fill(l[i].initKey(), es[i].key, shared);
                fill(l[i].initValue(), es[i].value, shared);
            }
            return;
        }
        case term_kind::function: {
            auto fv = t.as_function();
            auto f = b.initFunction();
            f.setModule(text(fv.module));
            f.setIndex(fv.index);
            f.setName(text(fv.name));
            auto c = f.initCaptures(static_cast<unsigned>(fv.captures.size()));
            for (unsigned i = 0; i < fv.captures.size(); ++i) fill(c[i], fv.captures[i], shared);
            return;
        }
    }
}

// Field-by-field comparison of a libcapnp reader with a term. Returns the path
// and nature of the first difference, or nullopt when they agree.
inline std::optional<std::string> differ(schema_term::Reader r, const term& t,
                                         std::span<shared_binary* const> shared, const std::string& path = "$") {
    auto bad = [&](const std::string& what) { return std::optional<std::string>(path + ": " + what); };
    auto same_bytes = [](capnp::Data::Reader d, std::span<const std::byte> b) {
        return d.size() == b.size() && (b.empty() || std::memcmp(d.begin(), b.data(), b.size()) == 0);
    };
    switch (r.which()) {
        case schema_term::NONE: return t.is_none() ? std::nullopt : bad("None vs " + t.repr());
        case schema_term::BOOL:
            return t.is_bool() && t.as_bool() == r.getBool() ? std::nullopt : bad("bool vs " + t.repr());
        case schema_term::INT: return t.is_int() && t.as_int() == r.getInt() ? std::nullopt : bad("int vs " + t.repr());
        case schema_term::FLOAT: {
            // Bit for bit: NaN payloads and -0.0 must survive too.
            bool ok = t.is_float() && std::bit_cast<std::uint64_t>(r.getFloat()) ==
                                          std::bit_cast<std::uint64_t>(t.as_float());
            return ok ? std::nullopt : bad("float vs " + t.repr());
        }
        case schema_term::BIGNUM: {
            if (!t.is_bignum()) return bad("bignum vs " + t.repr());
            auto d = r.getBignum();
            auto big = t.as_bignum();
            if (d.size() < 1 || d[0] != (big.negative ? 1 : 0)) return bad("bignum sign");
            return same_bytes(capnp::Data::Reader(d.begin() + 1, d.size() - 1), big.magnitude)
                       ? std::nullopt
                       : bad("bignum magnitude");
        }
        case schema_term::STR: {
            auto s = r.getStr();
            return t.is_str() && std::string_view(s.begin(), s.size()) == t.as_str() ? std::nullopt
                                                                                    : bad("str vs " + t.repr());
        }
        case schema_term::BYTES:
            return t.is_bytes() && same_bytes(r.getBytes(), t.as_bytes()) ? std::nullopt : bad("bytes vs " + t.repr());
        case schema_term::SHARED_STR:
        case schema_term::SHARED_BYTES: {
            std::uint32_t i = r.isSharedStr() ? r.getSharedStr() : r.getSharedBytes();
            if (i >= shared.size()) return bad("shared index out of range");
            if (r.isSharedStr() ? !t.is_str() : !t.is_bytes()) return bad("shared kind vs " + t.repr());
            if (t.shared() != shared[i]) return bad("shared binary is a different buffer");
            return std::nullopt;
        }
        case schema_term::PID: {
            auto p = r.getPid();
            return t.is_pid() && t.as_pid() == pid{p.getNode(), p.getCreation(), p.getSerial()}
                       ? std::nullopt
                       : bad("pid vs " + t.repr());
        }
        case schema_term::REF: {
            auto p = r.getRef();
            return t.is_ref() && t.as_ref() == ref{p.getNode(), p.getCreation(), p.getSerial()}
                       ? std::nullopt
                       : bad("ref vs " + t.repr());
        }
        case schema_term::PORT: {
            auto p = r.getPort();
            return t.is_port() && t.as_port() == port{p.getNode(), p.getCreation(), p.getSerial()}
                       ? std::nullopt
                       : bad("port vs " + t.repr());
        }
        case schema_term::TUPLE:
        case schema_term::LIST:
        case schema_term::SET:
        case schema_term::FROZENSET: {
            term_kind want = r.isTuple() ? term_kind::tuple
                             : r.isList() ? term_kind::list
                             : r.isSet() ? term_kind::set : term_kind::frozenset;
            if (t.kind() != want) return bad("sequence kind vs " + t.repr());
            auto l = r.isTuple() ? r.getTuple() : r.isList() ? r.getList() : r.isSet() ? r.getSet() : r.getFrozenset();
            if (l.size() != t.size()) return bad("length");
            for (unsigned i = 0; i < l.size(); ++i)
                if (auto d = differ(l[i], t[i], shared, path + "[" + std::to_string(i) + "]")) return d;
            return std::nullopt;
        }
        case schema_term::DICT: {
            if (!t.is_dict()) return bad("dict vs " + t.repr());
            auto l = r.getDict();
            if (l.size() != t.size()) return bad("dict length");
            for (unsigned i = 0; i < l.size(); ++i) {
                auto p = path + "{" + std::to_string(i) + "}";
                if (auto d = differ(l[i].getKey(), t.entries()[i].key, shared, p + ".key")) return d;
                if (auto d = differ(l[i].getValue(), t.entries()[i].value, shared, p + ".value")) return d;
            }
            return std::nullopt;
        }
        case schema_term::FUNCTION: {
            if (!t.is_function()) return bad("function vs " + t.repr());
            auto f = r.getFunction();
            auto fv = t.as_function();
            if (std::string_view(f.getModule().begin(), f.getModule().size()) != fv.module) return bad("module");
            if (std::string_view(f.getName().begin(), f.getName().size()) != fv.name) return bad("name");
            if (f.getIndex() != fv.index) return bad("index");
            auto c = f.getCaptures();
            if (c.size() != fv.captures.size()) return bad("captures length");
            for (unsigned i = 0; i < c.size(); ++i)
                if (auto d = differ(c[i], fv.captures[i], shared, path + ".captures[" + std::to_string(i) + "]"))
                    return d;
            return std::nullopt;
        }
    }
    return bad("unknown discriminant");
}

// A libcapnp message's single segment as plain words (fails on several segments).
inline std::vector<std::uint64_t> single_segment(capnp::MessageBuilder& mb) {
    auto segs = mb.getSegmentsForOutput();
    if (segs.size() != 1) return {};
    std::vector<std::uint64_t> w(segs[0].size());
    std::memcpy(w.data(), segs[0].begin(), w.size() * sizeof(std::uint64_t));
    return w;
}

// Reader options that let libcapnp follow our deepest test values.
inline capnp::ReaderOptions generous() {
    capnp::ReaderOptions o;
    o.traversalLimitInWords = std::uint64_t(1) << 40;
    o.nestingLimit = 1 << 30;
    return o;
}

// Our words framed as a standard one-segment flat message, for libcapnp to read.
inline std::vector<capnp::word> framed(std::span<const std::uint64_t> words) {
    std::vector<capnp::word> out(words.size() + 1);
    std::uint64_t table = std::uint64_t(words.size()) << 32;  // segment count - 1 = 0, then size
    std::memcpy(static_cast<void*>(out.data()), &table, sizeof table);
    std::memcpy(static_cast<void*>(out.data() + 1), words.data(), words.size() * sizeof(std::uint64_t));
    return out;
}

// An envelope released when the test scope ends.
struct scoped_envelope {
    envelope* e = envelope::acquire();
    scoped_envelope() = default;
    scoped_envelope(const scoped_envelope&) = delete;
    scoped_envelope& operator=(const scoped_envelope&) = delete;
    ~scoped_envelope() { envelope::release(e); }
    envelope* operator->() const { return e; }
    envelope& operator*() const { return *e; }
};

struct binaries_holder {
    std::vector<shared_binary*> v;
    binaries_holder() = default;
    binaries_holder(const binaries_holder&) = delete;
    binaries_holder& operator=(const binaries_holder&) = delete;
    ~binaries_holder() {
        for (auto* b : v) b->release();
    }
};

}  // namespace weft::test
