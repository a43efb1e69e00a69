// encode.cpp: heap value -> envelope (see codec.hpp).
//
// serialize/codec.cpp's term encoder reading heap objects instead of terms:
// the same explicit depth-first work stack, the same order of objects in the
// words, so the bytes are the same. It never allocates on a heap and never
// writes to the objects it reads (frozen ones are shared by every thread):
// cycles are found with a side set, and only on deep paths.
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
#include "serialize/word_writer.hpp"

namespace weft::interp {

using namespace weft::layout;
using detail::inline_stack;
using detail::not_in_program;

namespace {

// ---- encode ------------------------------------------------------------------

// Paths deeper than this start tracking their lists, dicts and functions in a
// set: a cycle is then reported within its own length of this depth, and the
// common shallow message pays one compare per container for it.
constexpr std::size_t track_from_depth = 1000;

enum class frame_kind : std::uint8_t { items, entries, captures, keys };

// A container whose children are still to be written.
struct enc_frame {
    const obj* container;
    const value* items;      // items: tuple/list values; captures: the closure's slots
    std::size_t base;        // offset of the first Term (items, captures) or Entry (entries)
    std::uint32_t next;
    std::uint32_t end;       // entries: two children (key, value) per entry
    std::uint32_t aux;       // captures: the default slots (cells follow); entries, keys: dict_next's
                             // or set_next's position
    frame_kind kind;
    bool on_path;            // in the cycle set
    std::uint64_t pending;   // entries: the bits of the value whose key was just written
};

class value_encoder : weft::detail::word_writer {
public:
    value_encoder(const program& prog, envelope& e) : word_writer(e), prog_(prog) {}

    void run(value v) {
        alloc(1 + term_words);
        w_[0] = root_pointer;
        write_value(v, 1);
        while (!work_.empty()) {
            enc_frame& f = work_.top();
            if (f.next == f.end) {
                if (f.on_path) path_->erase(f.container);
                work_.pop();
                continue;
            }
            if (f.kind == frame_kind::items) {
                // Leaves in a tight loop; stop at the first compound, whose children come next.
                const value* items = f.items;
                std::size_t at = f.base + std::size_t(f.next) * term_words;
                while (f.next < f.end) {
                    value c = items[f.next++];
                    if (write_value(c, at)) break;  // it pushed a frame: f is dead
                    at += term_words;
                }
            } else if (f.kind == frame_kind::entries) {
                // Entries are two pointers (no data), to their key and value Terms.
                static_assert(entry_data_words == 0 && entry_pointers == 2);
                std::uint32_t i = f.next++;
                value child = value::from_bits(f.pending);
                if ((i & 1) == 0) {
                    value val;
                    heap::dict_next(value::from_obj(f.container), f.aux, child, val);
                    f.pending = val.bits();
                }
                std::size_t slot = f.base + i;
                std::size_t at = alloc(term_words);
                w_[slot] = struct_pointer(std::int64_t(at - slot - 1), term_data_words, term_pointers);
                write_value(child, at);  // may push: f is dead after
            } else if (f.kind == frame_kind::keys) {  // a set's, in its table's order
                value key;
                std::uint64_t hash = 0;
                heap::set_next(value::from_obj(f.container), f.aux, key, hash);
                std::uint32_t i = f.next++;
                write_value(key, f.base + std::size_t(i) * term_words);  // may push: f is dead after
            } else {
                std::uint32_t i = f.next++;
                value c = f.items[i];
                if (i >= f.aux) c = as_cell(c)->v;  // a captured cell: send what it holds
                write_value(c, f.base + std::size_t(i) * term_words);
            }
        }
        finish();
    }

private:
    // Writes v into the three words of the Term at `at`; true when it pushed a frame.
    bool write_value(value v, std::size_t at) {
        std::uint64_t* s = w_ + at;  // a local pointer: stores through w_ would reload members
        s[1] = 0;
        s[2] = 0;
        if (v.is_float()) {
            s[0] = tag_float;
            s[term_value_word] = v.bits();  // the double itself (NaN canonical)
        } else if (v.is_int()) {
            s[0] = tag_int;
            s[term_value_word] = static_cast<std::uint64_t>(v.as_int());
        } else if (v.is_bool()) {
            s[0] = tag_bool | std::uint64_t(v.as_bool()) << term_bool_bit;
        } else if (v.is_none()) {
            s[0] = tag_none;
        } else if (v.is_obj()) {
            return write_object(v, at);
        } else {
            // empty(): an unbound slot of a closure. A Function with a null
            // pointer (read as empty module and name) is the marker no function has.
            s[0] = tag_function;
        }
        return false;
    }

    // The kinds that point to an object. Every alloc may move the buffer: index w_ afresh.
    bool write_object(value v, std::size_t at) {
        std::size_t ptr = at + term_data_words + term_pointer;
        obj* o = v.as_obj();
        switch (o->kind) {
        case obj_kind::str: w_[at] = tag_str; write_text(ptr, static_cast<str_obj*>(o)->view()); return false;
        case obj_kind::bytes: {
            auto* b = static_cast<bytes_obj*>(o);
            w_[at] = tag_bytes;
            write_data(ptr, std::span<const std::byte>(b->data(), b->len));
            return false;
        }
        case obj_kind::shared_str:
        case obj_kind::shared_bytes:
            w_[at] = o->kind == obj_kind::shared_str ? tag_shared_str : tag_shared_bytes;
            w_[at + term_value_word] = env_.add_binary(static_cast<shared_obj*>(o)->bin);
            return false;
        case obj_kind::bignum: write_bignum(static_cast<bignum_obj*>(o), at); return false;
        case obj_kind::pid:
        case obj_kind::ref: {
            bool is_pid = o->kind == obj_kind::pid;
            weft::pid p = is_pid ? static_cast<pid_obj*>(o)->p : std::bit_cast<weft::pid>(static_cast<ref_obj*>(o)->r);
            w_[at] = is_pid ? tag_pid : tag_ref;
            std::size_t s = write_struct(ptr, id_data_words, id_pointers);
            w_[s] = p.node | std::uint64_t(p.creation) << 32;
            w_[s + 1] = p.serial;
            return false;
        }
        case obj_kind::tuple:
        case obj_kind::list: {
            bool tuple = o->kind == obj_kind::tuple;
            std::uint32_t n = tuple ? static_cast<tuple_obj*>(o)->length() : static_cast<list_obj*>(o)->length;
            const value* items = tuple ? static_cast<tuple_obj*>(o)->items() : static_cast<list_obj*>(o)->slots();
            w_[at] = tuple ? tag_tuple : tag_list;
            std::size_t first = write_list(ptr, n, term_data_words, term_pointers);
            return n && push({o, items, first, 0, n, 0, frame_kind::items, false, 0});
        }
        case obj_kind::dict: {
            std::uint32_t n = static_cast<dict_obj*>(o)->count;
            w_[at] = tag_dict;
            std::size_t first = write_list(ptr, n, entry_data_words, entry_pointers);
            return n && push({o, nullptr, first, 0, 2 * n, 0, frame_kind::entries, false, 0});
        }
        case obj_kind::set: {
            std::uint32_t n = static_cast<set_obj*>(o)->used;
            w_[at] = o->spare == set_frozenset ? tag_frozenset : tag_set;
            std::size_t first = write_list(ptr, n, term_data_words, term_pointers);
            return n && push({o, nullptr, first, 0, n, 0, frame_kind::keys, false, 0});
        }
        case obj_kind::native: return write_native(v, at);
        default: break;  // cells, arrays, dict tables: parts of objects, never values
        }
        throw_script_error("TypeError", std::string("cannot send a '") + kind_name(o->kind) + "' object");
    }

    // Beyond int64 as sign byte and little-endian magnitude (term.capnp's bignum); else an int.
    void write_bignum(bignum_obj* b, std::size_t at) {
        std::uint32_t n = b->limb_count();
        limb top = n ? b->limbs()[n - 1] : 0;
        if (n <= 1 && top <= (b->negative() ? std::uint64_t(1) << 63 : std::uint64_t(INT64_MAX))) {
            w_[at] = tag_int;
            w_[at + term_value_word] = b->negative() ? 0 - top : top;
            return;
        }
        std::size_t bytes = std::size_t(n - 1) * 8 + (std::size_t(std::bit_width(top)) + 7) / 8;
        w_[at] = tag_bignum;
        write_data(at + term_data_words + term_pointer,
                   std::span(reinterpret_cast<const std::byte*>(b->limbs()), bytes), b->negative() ? 1 : 0);
    }

    bool write_native(value v, std::size_t at) {
        std::size_t ptr = at + term_data_words + term_pointer;
        native_kind k = native_kind_of(v);
        if (k == native_kind::resource && is_port(v)) {  // a socket: by its node-wide name
            weft::port p = port_of(v);
            w_[at] = tag_port;
            std::size_t s = write_struct(ptr, id_data_words, id_pointers);
            w_[s] = p.node | std::uint64_t(p.creation) << 32;
            w_[s + 1] = p.serial;
            return false;
        }
        if (k == native_kind::resource && resource_ref_of(v).type->rebuild) return write_rebuilt(v, at);
        if (k != native_kind::function && k != native_kind::builtin)
            throw_script_error("TypeError", std::string("cannot send a '") + type_name_of(v) + "' object");
        // Functions by proto id (module and name let the receiver check it);
        // builtins by name.
        const proto* p = k == native_kind::function ? function_proto(v) : nullptr;
        native_obj* n = as_native(v);
        std::uint32_t slots = p && !is_module_function(v, p) ? n->traced : 0;
        w_[at] = tag_function;
        std::size_t s = write_struct(ptr, function_data_words, function_pointers);
        w_[s] = p ? p->id : 0;
        std::size_t ptrs = s + function_data_words;
        std::string_view mod = !p        ? std::string_view(prog_.builtin_module(builtin_of(v)))
                               : p->mod ? std::string_view(p->mod->name)
                                        : "?";
        write_text(ptrs + function_module, mod);
        write_text(ptrs + function_name, p ? std::string_view(p->name) : builtin_of(v)->name);
        std::size_t first = write_list(ptrs + function_captures, slots, term_data_words, term_pointers);
        return slots && push({n, n->slots(), first, 0, slots, p->ndefault_slots(), frame_kind::captures, false, 0});
    }

    // A value made again on arrival (a re pattern): a Function term naming
    // its module and class, its traced slots (leaves) as the captures.
    bool write_rebuilt(value v, std::size_t at) {
        const resource_type* type = resource_ref_of(v).type;
        const char* mod = prog_.rebuilt_module(type);
        if (!mod) throw_script_error("TypeError", std::string("cannot send a '") + type->cls->name + "' object");
        native_obj* n = as_native(v);
        std::uint32_t slots = n->traced;
        w_[at] = tag_function;
        std::size_t ptr = at + term_data_words + term_pointer;
        std::size_t s = write_struct(ptr, function_data_words, function_pointers);
        w_[s] = 0;
        std::size_t ptrs = s + function_data_words;
        write_text(ptrs + function_module, mod);
        write_text(ptrs + function_name, type->cls->name);
        std::size_t first = write_list(ptrs + function_captures, slots, term_data_words, term_pointers);
        // aux = slots: none of them is a cell.
        return slots && push({n, n->slots(), first, 0, slots, slots, frame_kind::captures, false, 0});
    }

    // A top-level function (its module's frozen global) travels by name alone,
    // defaults included: the receiver has the very same value.
    static bool is_module_function(value v, const proto* p) {
        if (!v.as_obj()->frozen() || !p->mod) return false;
        std::uint32_t slot = p->mod->slot_of(p->name);  // the shell's module may be adding names meanwhile
        return slot != module::no_slot &&
               identical(std::atomic_ref<value>(p->mod->globals[slot]).load(std::memory_order_acquire), v);
    }

    bool push(const enc_frame& f) {
        work_.push(f);
        if (work_.size() > track_at_) [[unlikely]] track();
        return true;
    }

    // On a deep path: puts the path's lists, dicts and functions in the set
    // (the first time, the whole path), then each new one. A container met
    // twice on one path is a cycle. Tuples need no tracking: every cycle
    // passes through a list, a dict or a closure's cell.
    void track() {
        std::size_t from = track_at_ == 0 ? work_.size() - 1 : 0;
        if (!path_) path_.emplace();
        track_at_ = 0;
        for (std::size_t i = from; i < work_.size(); ++i) {
            enc_frame& f = work_[i];
            obj_kind k = f.container->kind;
            if (k == obj_kind::tuple) continue;
            if (!path_->insert(f.container).second) {
                if (k == obj_kind::list) throw_script_error("ValueError", "cannot send a list that contains itself");
                if (k == obj_kind::dict) throw_script_error("ValueError", "cannot send a dict that contains itself");
                throw_script_error("ValueError", "cannot send a function that refers to itself");
            }
            f.on_path = true;
        }
    }

    std::size_t track_at_ = track_from_depth;  // 0 once tracking
    const program& prog_;
    inline_stack<enc_frame> work_;
    std::optional<std::unordered_set<const obj*>> path_;  // made on the first deep path only
};

}  // namespace

void encode_value(const program& prog, value v, envelope& e) {
    try {
        value_encoder(prog, e).run(v);
    } catch (const std::length_error&) {  // past Cap'n Proto's single-segment limits
        throw_script_error("ValueError", "cannot send a message larger than 4 GiB");
    }
}

}  // namespace weft::interp
