// codec.cpp: the encoder and decoder specialized to term.capnp.
//
// The encoder lays objects out depth-first, in the order a recursive libcapnp
// builder would allocate them, so its bytes match libcapnp's for the same
// value (the tests compare them). Both directions keep pending work in an
// explicit stack: never recursion. The decoder checks nothing: it must only
// ever see words from encode() or words that passed validate().
#include "serialize/codec.hpp"

#include <bit>
#include <cstring>
#include <stdexcept>

#include "serialize/layout.hpp"
#include "serialize/small_stack.hpp"
#include "serialize/term.capnp.h"
#include "serialize/term_internal.hpp"
#include "serialize/wire_read.hpp"
#include "serialize/word_writer.hpp"

namespace weft {

using namespace layout;
using detail::term_node;
using detail::term_walk;

// The hand-written layout must be the one capnp's compiler generated.
namespace generated = weft::schema;
static_assert(generated::Term::_capnpPrivate::dataWordSize == term_data_words);
static_assert(generated::Term::_capnpPrivate::pointerCount == term_pointers);
static_assert(generated::Entry::_capnpPrivate::dataWordSize == entry_data_words);
static_assert(generated::Entry::_capnpPrivate::pointerCount == entry_pointers);
static_assert(generated::Pid::_capnpPrivate::dataWordSize == id_data_words);
static_assert(generated::Pid::_capnpPrivate::pointerCount == id_pointers);
static_assert(generated::Ref::_capnpPrivate::dataWordSize == id_data_words);
static_assert(generated::Ref::_capnpPrivate::pointerCount == id_pointers);
static_assert(generated::Function::_capnpPrivate::dataWordSize == function_data_words);
static_assert(generated::Function::_capnpPrivate::pointerCount == function_pointers);
constexpr bool same_tag(generated::Term::Which a, term_tag b) { return std::uint16_t(a) == std::uint16_t(b); }
static_assert(same_tag(generated::Term::NONE, tag_none) && same_tag(generated::Term::BOOL, tag_bool) &&
              same_tag(generated::Term::INT, tag_int) && same_tag(generated::Term::BIGNUM, tag_bignum) &&
              same_tag(generated::Term::FLOAT, tag_float) && same_tag(generated::Term::STR, tag_str) &&
              same_tag(generated::Term::BYTES, tag_bytes) && same_tag(generated::Term::SHARED_STR, tag_shared_str) &&
              same_tag(generated::Term::SHARED_BYTES, tag_shared_bytes) &&
              same_tag(generated::Term::TUPLE, tag_tuple) && same_tag(generated::Term::LIST, tag_list) &&
              same_tag(generated::Term::SET, tag_set) && same_tag(generated::Term::FROZENSET, tag_frozenset) &&
              same_tag(generated::Term::DICT, tag_dict) && same_tag(generated::Term::PID, tag_pid) &&
              same_tag(generated::Term::REF, tag_ref) && same_tag(generated::Term::FUNCTION, tag_function) &&
              same_tag(generated::Term::PORT, tag_port) && tag_count == 18);

// ---- encode ------------------------------------------------------------------

namespace {

class encoder : detail::word_writer {
public:
    encoder(envelope& e, std::size_t share_threshold) : word_writer(e), share_threshold_(share_threshold) {}

    void run(const term& t) {
        alloc(1 + term_words);
        w_[0] = root_pointer;
        write_term(t, 1);
        while (!work_.empty()) {
            frame& f = work_.top();
            if (f.next == f.end) {
                work_.pop();
                continue;
            }
            if (f.kind == term_kind::dict) {
                // Entries are just two pointers (no data), to their key and value Terms.
                static_assert(entry_data_words == 0 && entry_pointers == 2);
                std::uint32_t i = f.next++;
                std::size_t slot = f.base + i;
                std::size_t at = alloc(term_words);
                w_[slot] = struct_pointer(std::int64_t(at - slot - 1), term_data_words, term_pointers);
                write_term(term_walk::child(term_kind::dict, f.node, i), at);  // may push: f is dead after
                continue;
            }
            // Items are Terms inline in the list: write leaves in a tight loop and
            // stop at the first compound, whose children come next (depth first).
            const term* items = f.node->terms();
            std::size_t at = f.base + std::size_t(f.next - f.first) * term_words;
            while (f.next < f.end) {
                const term& c = items[f.next++];
                write_term(c, at);
                if (term_walk::has_children(c)) break;  // it pushed a frame: f is dead
                at += term_words;
            }
        }
        finish();
    }

private:
    // A compound whose children are still to be written. Tuple, list and
    // capture children are Terms inline from `base`; dict children are the
    // key/value pointers of Entries from `base`.
    struct frame {
        term_node* node;
        std::size_t base;
        std::uint32_t next;
        std::uint32_t end;
        std::uint32_t first;
        term_kind kind;
    };

    // Writes t into all three words of the Term struct at `at`; compounds push a frame.
    void write_term(const term& t, std::size_t at) {
        // Scalars go through a local pointer: stores through w_ could alias our
        // own size_t members, which would make the compiler reload them each time.
        std::uint64_t* s = w_ + at;
        s[1] = 0;
        s[2] = 0;
        switch (t.kind()) {
            case term_kind::none: s[0] = tag_none; return;
            case term_kind::boolean: s[0] = tag_bool | std::uint64_t(t.as_bool()) << term_bool_bit; return;
            case term_kind::integer:
                s[0] = tag_int;
                s[term_value_word] = static_cast<std::uint64_t>(t.as_int());
                return;
            case term_kind::floating:
                s[0] = tag_float;
                s[term_value_word] = std::bit_cast<std::uint64_t>(t.as_float());
                return;
            default: write_object_term(t, at);
        }
    }

    // The kinds that point to an object (or a shared binary). Every alloc may
    // move the buffer, so these index w_ afresh.
    void write_object_term(const term& t, std::size_t at) {
        std::size_t ptr = at + term_data_words + term_pointer;
        switch (t.kind()) {
            case term_kind::none:
            case term_kind::boolean:
            case term_kind::integer:
            case term_kind::floating: return;  // written by write_term
            case term_kind::str:
            case term_kind::bytes: {
                bool is_str = t.is_str();
                shared_binary* b = t.shared();
                if (b && b->size() >= share_threshold_) {
                    w_[at] = is_str ? tag_shared_str : tag_shared_bytes;
                    w_[at + term_value_word] = env_.add_binary(b);
                } else if (is_str) {
                    w_[at] = tag_str;
                    write_text(ptr, t.as_str());
                } else {
                    w_[at] = tag_bytes;
                    write_data(ptr, t.as_bytes());
                }
                return;
            }
            case term_kind::bignum: {
                bignum_view b = t.as_bignum();
                w_[at] = tag_bignum;
                write_data(ptr, b.magnitude, b.negative ? 1 : 0);
                return;
            }
            case term_kind::pid:
            case term_kind::ref:
            case term_kind::port: {
                pid p = t.is_pid() ? t.as_pid() : t.is_ref() ? std::bit_cast<pid>(t.as_ref()) : std::bit_cast<pid>(t.as_port());
                w_[at] = t.is_pid() ? tag_pid : t.is_ref() ? tag_ref : tag_port;
                std::size_t s = write_struct(ptr, id_data_words, id_pointers);
                w_[s] = p.node | std::uint64_t(p.creation) << 32;
                w_[s + 1] = p.serial;
                return;
            }
            case term_kind::tuple:
            case term_kind::list:
            case term_kind::set:
            case term_kind::frozenset: {
                std::uint32_t n = term_walk::child_count(t);
                w_[at] = t.is_tuple() ? tag_tuple
                         : t.is_list() ? tag_list
                         : t.kind() == term_kind::set ? tag_set : tag_frozenset;
                std::size_t first = write_list(ptr, n, term_data_words, term_pointers);
                if (n) work_.push({term_walk::node(t), first, 0, n, 0, t.kind()});
                return;
            }
            case term_kind::dict: {
                std::uint32_t n = term_walk::child_count(t);
                w_[at] = tag_dict;
                std::size_t first = write_list(ptr, n / 2, entry_data_words, entry_pointers);
                if (n) work_.push({term_walk::node(t), first, 0, n, 0, term_kind::dict});
                return;
            }
            case term_kind::function: {
                function_view f = t.as_function();
                w_[at] = tag_function;
                std::size_t s = write_struct(ptr, function_data_words, function_pointers);
                w_[s] = f.index;
                std::size_t ptrs = s + function_data_words;
                write_text(ptrs + function_module, f.module);
                write_text(ptrs + function_name, f.name);
                std::size_t first = write_list(ptrs + function_captures, f.captures.size(), term_data_words,
                                               term_pointers);
                std::uint32_t n = term_walk::child_count(t);
                if (!f.captures.empty())
                    work_.push({term_walk::node(t), first, detail::function_fixed_children, n,
                                detail::function_fixed_children, term_kind::function});
                return;
            }
        }
    }

    std::size_t share_threshold_;
    detail::small_stack<frame> work_;
};

}  // namespace

void encode(const term& t, envelope& e, std::size_t share_threshold) { encoder(e, share_threshold).run(t); }

// ---- decode ------------------------------------------------------------------

namespace {

class decoder {
public:
    explicit decoder(shared_binary* const* binaries) : binaries_(binaries) {}

    void run(const std::uint64_t* data, std::uint16_t data_words, term& out) {
        read_term(data, data_words, out);
        while (!work_.empty()) {
            frame& f = work_.top();
            if (f.next == f.end) {
                work_.pop();
                continue;
            }
            if (f.kind == term_kind::dict) {
                std::uint32_t i = f.next++;
                const std::uint64_t* entry = f.base + std::size_t(i / 2) * f.stride;
                detail::struct_ref s = detail::read_struct(entry + f.data_words + (i & 1), term_data_words,
                                                           term_pointers);
                read_term(s.data, s.data_words, term_walk::child(term_kind::dict, f.node, i));  // f is dead after
                continue;
            }
            // Items are Terms inline: read leaves in a tight loop, stop when one pushes.
            term* items = f.node->terms();
            const std::uint64_t* d = f.base + std::size_t(f.next - f.first) * f.stride;
            std::uint32_t stride = f.stride;
            std::uint16_t item_data_words = f.data_words;
            std::size_t depth = work_.size();
            while (f.next < f.end) {
                read_term(d, item_data_words, items[f.next++]);
                if (work_.size() != depth) break;  // it pushed a frame: f is dead
                d += stride;
            }
        }
    }

private:
    // A compound whose children are still to be read: the elements of a
    // composite list starting at `base`, `stride` words apart.
    struct frame {
        term_node* node;
        const std::uint64_t* base;
        std::uint32_t next;
        std::uint32_t end;
        std::uint32_t first;
        std::uint32_t stride;
        std::uint16_t data_words;
        term_kind kind;
    };

    static void set_text(term& t, term_kind k, std::string_view s) {
        term_walk::set_bytes(t, k, std::as_bytes(std::span<const char>(s.data(), s.size())));
    }

    void push_list(term& dst, term_kind k, const detail::list_ref& l, std::uint32_t fixed) {
        std::uint32_t per = k == term_kind::dict ? 2 : 1;
        term_node* n = term_walk::make_compound(dst, k, fixed + std::size_t(per) * l.count);
        if (l.count)
            work_.push({n, l.first, fixed, fixed + per * l.count, fixed,
                        std::uint32_t(l.data_words) + l.pointers, l.data_words, k});
    }

    void read_term(const std::uint64_t* d, std::uint16_t data_words, term& dst) {
        const std::uint64_t* ptr = d + data_words + term_pointer;
        switch (detail::read_tag(d)) {
            case tag_none: return;
            case tag_bool: term_walk::set_bool(dst, d[0] >> term_bool_bit & 1); return;
            case tag_int: term_walk::set_int(dst, static_cast<std::int64_t>(d[term_value_word])); return;
            case tag_float: term_walk::set_float(dst, std::bit_cast<double>(d[term_value_word])); return;
            case tag_str: set_text(dst, term_kind::str, detail::read_text(ptr)); return;
            case tag_bytes: term_walk::set_bytes(dst, term_kind::bytes, detail::read_data(ptr)); return;
            case tag_shared_str:
            case tag_shared_bytes: {
                shared_binary* b = binaries_[static_cast<std::uint32_t>(d[term_value_word])];
                b->acquire();
                term_walk::adopt_shared(dst, detail::read_tag(d) == tag_shared_str ? term_kind::str : term_kind::bytes,
                                        b);
                return;
            }
            case tag_bignum: {
                auto b = detail::read_data(ptr);
                dst = term::bignum(b[0] == std::byte{1}, b.subspan(1));
                return;
            }
            case tag_pid:
            case tag_ref:
            case tag_port: {
                detail::struct_ref s = detail::read_struct(ptr, id_data_words, id_pointers);
                auto node = static_cast<std::uint32_t>(s.data[0]);
                auto creation = static_cast<std::uint32_t>(s.data[0] >> 32);
                std::uint16_t tag = detail::read_tag(d);
                if (tag == tag_pid)
                    term_walk::set_pid(dst, pid{node, creation, s.data[1]});
                else if (tag == tag_ref)
                    term_walk::set_ref(dst, ref{node, creation, s.data[1]});
                else
                    term_walk::set_port(dst, port{node, creation, s.data[1]});
                return;
            }
            case tag_tuple: push_list(dst, term_kind::tuple, detail::read_composite(ptr), 0); return;
            case tag_list: push_list(dst, term_kind::list, detail::read_composite(ptr), 0); return;
            case tag_set: push_list(dst, term_kind::set, detail::read_composite(ptr), 0); return;
            case tag_frozenset: push_list(dst, term_kind::frozenset, detail::read_composite(ptr), 0); return;
            case tag_dict: push_list(dst, term_kind::dict, detail::read_composite(ptr), 0); return;
            case tag_function: {
                detail::struct_ref f = detail::read_struct(ptr, function_data_words, function_pointers);
                push_list(dst, term_kind::function, detail::read_composite(f.pointer(function_captures)),
                          detail::function_fixed_children);
                term* fixed = term_walk::node(dst)->terms();
                set_text(fixed[0], term_kind::str, detail::read_text(f.pointer(function_module)));
                term_walk::set_int(fixed[1], static_cast<std::uint32_t>(f.data[0]));
                set_text(fixed[2], term_kind::str, detail::read_text(f.pointer(function_name)));
                return;
            }
        }
    }

    shared_binary* const* binaries_;
    detail::small_stack<frame> work_;
};

}  // namespace

term decode(term_view v) {
    term out;
    decoder(v.binaries_).run(v.data_, v.data_words_, out);
    return out;
}

term decode(std::span<const std::uint64_t> words, std::span<shared_binary* const> binaries) {
    return decode(term_view::root(words, binaries));
}

term decode(const envelope& e) { return decode(term_view::root(e.words(), e.binaries())); }

}  // namespace weft
