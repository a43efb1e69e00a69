// decode.cpp: envelope -> heap value (see codec.hpp).
//
// The decoder keeps every container it is filling in a root stack and
// re-reads them after each allocation, since any allocation may move every
// object. It never recurses.
#include "interp/message/codec.hpp"

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "interp/message/codec_stack.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/type_of.hpp"
#include "serialize/codec.hpp"
#include "serialize/layout.hpp"
#include "serialize/shared_binary.hpp"

namespace weft::interp {

using namespace weft::layout;
using detail::inline_stack;
using detail::not_in_program;

namespace {

// A port whose kind no module of this program knows (a program loaded
// without the library): a value that compares, travels and prints, with
// no methods.
std::string unknown_port_repr(value self, const value_repr&) {
    return "<port " + std::to_string(port_of(self).serial & ((std::uint64_t(1) << 56) - 1)) + ">";
}
constexpr builtin_def def_port{"port", nullptr, type_tag::resource};
const resource_type unknown_port{&def_port, {}, nullptr, unknown_port_repr, nullptr, 0xFF};

// Where a decoded value goes: a root slot, an item of the container in root
// slot `root`, a dict's pending key or value, a closure's default or cell.
enum class dest_kind : std::uint8_t { slot, tuple, list, dict, set, function };

struct dest {
    dest_kind kind;
    std::uint32_t root;
    std::uint32_t index;
    std::uint32_t ndef;  // function: default slots before the cells
};

// A container whose children are still to be read.
struct dec_frame {
    term_view src;
    std::uint32_t next;
    std::uint32_t end;
    dest_kind kind;
    std::uint32_t root;  // the container's root slot (a dict's key and value follow it)
    std::uint32_t ndef;
};

// A top-level function travels by name and comes back as the frozen global.
struct found_function {
    const proto* p;
    value global;  // the module's global of that name when it is this function, else None
};

found_function find_function(const program& prog, std::string_view mod, std::uint32_t index, std::string_view name) {
    const module* m = prog.find_module(mod);
    if (!m) not_in_program(name, mod);
    // slot_of: the shell's module may be adding names meanwhile (code.hpp).
    if (std::uint32_t slot = m->slot_of(name); slot != module::no_slot) {
        value g = std::atomic_ref<value>(m->globals[slot]).load(std::memory_order_acquire);
        if (is_native(g, native_kind::function) && function_proto(g)->id == index && function_proto(g)->name == name)
            return {function_proto(g), g};
    }
    // A nested function (closure, lambda): by its id, checked against its module and name.
    if (index < prog.proto_count()) {
        const proto& p = prog.proto_by_id(index);
        if (p.mod == m && p.name == name) return {&p, value::none()};
    }
    not_in_program(name, mod);
}

class value_decoder {
public:
    value_decoder(const program& prog, heap& h) : prog_(prog), h_(h), scope_(h, nullptr, 0) {}

    value run(term_view root) {
        push_root(value::none());  // slot 0: the result
        place(root, {dest_kind::slot, 0, 0, 0});
        while (!work_.empty()) {
            dec_frame& f = work_.top();
            // Both halves of an entry are complete (a compound one's frame has
            // come and gone): insert it. Nothing is pushed meanwhile, so f stays valid.
            if (f.kind == dest_kind::dict && f.next != 0 && (f.next & 1) == 0) set_entry(f.root);
            // Likewise a set's key: added once it is whole (its hash needs all of it).
            if (f.kind == dest_kind::set && !roots_[f.root + 1].is_empty()) add_key(f.root);
            if (f.next == f.end) {
                roots_.resize_down(f.root);
                scope_.reset(roots_.data(), roots_.size());
                work_.pop();
                continue;
            }
            std::uint32_t i = f.next++;
            term_view c = f.kind == dest_kind::dict ? ((i & 1) ? f.src.value(i / 2) : f.src.key(i / 2))
                          : f.kind == dest_kind::function ? f.src.capture(i)
                                                          : f.src[i];
            place(c, {f.kind, f.root, i, f.ndef});  // may push: f is dead after
        }
        return roots_[0];
    }

private:
    std::uint32_t push_root(value v) {
        roots_.push(v);
        scope_.reset(roots_.data(), roots_.size());  // the storage may have moved
        return std::uint32_t(roots_.size() - 1);
    }

    // Stores v where d says, re-reading the container from its root (v was
    // made after the container, and making it may have moved it).
    void store(const dest& d, value v) {
        value c = roots_[d.root];
        switch (d.kind) {
        case dest_kind::slot: roots_[d.root] = v; return;
        case dest_kind::tuple: as_tuple(c)->items()[d.index] = v; return;
        case dest_kind::list: as_list(c)->slots()[d.index] = v; return;
        case dest_kind::dict: roots_[d.root + 1 + (d.index & 1)] = v; return;
        case dest_kind::set: roots_[d.root + 1] = v; return;
        case dest_kind::function: {
            value* s = function_slots(c);
            if (d.index < d.ndef)
                s[d.index] = v;
            else
                as_cell(s[d.index])->v = v;
            return;
        }
        }
    }

    void set_entry(std::uint32_t r) {
        try {
            h_.dict_set(roots_[r], roots_[r + 1], roots_[r + 2]);
        } catch (const unhashable_key&) {
            raise_unhashable(roots_[r + 1]);  // a list key, from a native actor's message
        }
    }

    void add_key(std::uint32_t r) {
        try {
            h_.set_add(roots_[r], roots_[r + 1]);
        } catch (const unhashable_key&) {
            raise_unhashable(roots_[r + 1]);  // a list in a set, from a native actor's message
        }
        roots_[r + 1] = value::empty();
    }

    // Makes the value of c and stores it at d; a non-empty container is
    // stored at once and gets a frame for its children.
    void place(term_view c, const dest& d) {
        switch (c.kind()) {
        case term_kind::none: store(d, value::none()); return;
        case term_kind::boolean: store(d, value::boolean(c.as_bool())); return;
        case term_kind::integer: store(d, h_.make_int(c.as_int())); return;
        case term_kind::floating: store(d, value::from_float(c.as_float())); return;
        case term_kind::bignum: store(d, make_bignum(c.as_bignum())); return;
        case term_kind::str: {
            std::string_view s = c.as_str();
            store(d, s.size() >= shared_binary_threshold ? adopt(c, true) : h_.alloc_str(s));
            return;
        }
        case term_kind::bytes: {
            std::span<const std::byte> b = c.as_bytes();
            store(d, b.size() >= shared_binary_threshold ? adopt(c, false) : h_.alloc_bytes(b));
            return;
        }
        case term_kind::pid: store(d, h_.alloc_pid(c.as_pid())); return;
        case term_kind::ref: store(d, h_.alloc_ref(c.as_ref())); return;
        case term_kind::port: {
            weft::port p = c.as_port();
            const resource_type* type = prog_.port_type(std::uint8_t(p.serial >> 56));
            store(d, alloc_port(h_, type ? type : &unknown_port, p));
            return;
        }
        case term_kind::tuple: {
            auto n = std::uint32_t(c.size());
            open(c, d, h_.alloc_tuple(n), dest_kind::tuple, n);
            return;
        }
        case term_kind::list: {
            auto n = std::uint32_t(c.size());
            value l = h_.alloc_list(n);
            as_list(l)->length = n;  // its items are None until their turn comes
            open(c, d, l, dest_kind::list, n);
            return;
        }
        case term_kind::dict: {
            auto n = std::uint32_t(c.size());
            open(c, d, h_.alloc_dict(n), dest_kind::dict, 2 * n);
            return;
        }
        case term_kind::set:
        case term_kind::frozenset:
            open(c, d, h_.alloc_set(c.kind() == term_kind::frozenset), dest_kind::set, std::uint32_t(c.size()));
            return;
        case term_kind::function: place_function(c, d); return;
        }
    }

    void open(term_view c, const dest& d, value container, dest_kind k, std::uint32_t children) {
        store(d, container);
        if (!children) return;
        std::uint32_t r = push_root(container);
        if (k == dest_kind::dict) {  // the entry being read: key, value
            push_root(value::none());
            push_root(value::none());
        }
        if (k == dest_kind::set) push_root(value::empty());  // the key being read
        work_.push({c, 0, children, k, r, 0});
    }

    void place_function(term_view c, const dest& d) {
        std::string_view mod = c.function_module(), name = c.function_name();
        if (mod.empty() && name.empty()) {  // an unbound slot: only a closure has those
            if (d.kind != dest_kind::function) not_in_program(name, mod);
            store(d, value::empty());
            return;
        }
        if (c.capture_count() != 0)  // a value made again here (a re pattern), by what it is made of
            if (const resource_type* t = prog_.rebuilt_type(mod, name)) return store(d, t->rebuild(prog_, h_, c));
        if (const builtin_def* def = prog_.find_builtin(mod, name)) return store(d, prog_.builtin_value(def));
        found_function f = find_function(prog_, mod, c.function_index(), name);
        std::uint32_t ndef = f.p->ndefault_slots();
        auto slots = std::uint32_t(ndef + f.p->captures.size());
        // By name (no slots sent): the top-level function itself, defaults and all.
        if (c.capture_count() == 0 && !f.global.is_none()) return store(d, f.global);
        if (c.capture_count() != slots) not_in_program(name, mod);  // another version of it
        value fn = alloc_native(h_, native_kind::function, slots, sizeof(const proto*));
        set_native_raw(fn, f.p);
        if (!slots) return store(d, fn);
        std::uint32_t r = push_root(fn);
        for (std::uint32_t k = ndef; k < slots; ++k) {
            value cell = h_.alloc_cell(value::none());
            function_slots(roots_[r])[k] = cell;
        }
        store(d, roots_[r]);
        work_.push({c, 0, slots, dest_kind::function, r, ndef});
    }

    // 64 bytes or more: the envelope's binary itself, not a copy (an inline
    // one, from the wire, is copied into a new binary, as alloc_str would).
    value adopt(term_view c, bool is_str) {
        shared_binary* b = c.shared();
        if (!b) return is_str ? h_.alloc_str(c.as_str()) : h_.alloc_bytes(c.as_bytes());
        b->acquire();  // the heap's own reference
        return is_str ? h_.adopt_shared_str(b) : h_.adopt_shared_bytes(b);
    }

    value make_bignum(bignum_view b) {
        std::span<const std::byte> m = b.magnitude;
        while (!m.empty() && m.back() == std::byte{0}) m = m.first(m.size() - 1);
        if (m.size() <= 8) {  // writers send these as ints; normalize anyway
            std::uint64_t u = 0;
            if (!m.empty()) std::memcpy(&u, m.data(), m.size());
            if (!b.negative && u <= std::uint64_t(INT64_MAX)) return h_.make_int(std::int64_t(u));
            if (b.negative && u <= std::uint64_t(1) << 63) return h_.make_int(std::int64_t(0 - u));
        }
        std::size_t n = (m.size() + 7) / 8;
        limb small[8];
        std::vector<limb> big;
        limb* l = small;
        if (n > 8) {
            big.resize(n);
            l = big.data();
        }
        l[n - 1] = 0;
        std::memcpy(l, m.data(), m.size());
        return h_.alloc_bignum(b.negative, std::span<const limb>(l, n));
    }

    const program& prog_;
    heap& h_;
    inline_stack<value> roots_;
    root_scope scope_;  // after roots_: removed from the heap before they go
    inline_stack<dec_frame> work_;
};

}  // namespace

value decode_value(const program& prog, heap& h, term_view v) { return value_decoder(prog, h).run(v); }

}  // namespace weft::interp
