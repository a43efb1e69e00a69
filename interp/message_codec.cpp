// message_codec.cpp: heap values <-> term.capnp messages (see message_codec.hpp).
//
// The encoder is serialize/codec.cpp's term encoder reading heap objects
// instead of terms: the same explicit depth-first work stack, the same order
// of objects in the words, so the bytes are the same. It never allocates on a
// heap and never writes to the objects it reads (frozen ones are shared by
// every thread): cycles are found with a side set, and only on deep paths.
// The decoder keeps every container it is filling in a root stack and re-reads
// them after each allocation, since any allocation may move every object.
// Neither direction recurses; view_equals recurses, bounded at 100 levels.
#include "interp/message_codec.hpp"

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

#include "interp/builtins_internal.hpp"
#include "interp/natives.hpp"
#include "interp/script_error.hpp"
#include "serialize/codec.hpp"
#include "serialize/layout.hpp"
#include "serialize/shared_binary.hpp"

namespace weft::interp {

using namespace weft::layout;

// Bignum limbs are written as the message's little-endian magnitude bytes as they are.
static_assert(std::endian::native == std::endian::little);

namespace {

// A stack whose first N entries live inline, so a small message costs no
// malloc; deeper walks spill to malloc'd memory. Indexed (the cycle check
// reads the whole path). T must be trivially copyable; the inline part is raw
// storage, so creating a stack constructs nothing.
template <class T, std::size_t N = 32>
class inline_stack {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    inline_stack() = default;
    inline_stack(const inline_stack&) = delete;
    inline_stack& operator=(const inline_stack&) = delete;
    ~inline_stack() {
        if (data_ != inline_data()) std::free(data_);
    }

    bool empty() const noexcept { return size_ == 0; }
    std::size_t size() const noexcept { return size_; }
    T& top() noexcept { return data_[size_ - 1]; }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    T* data() noexcept { return data_; }
    void pop() noexcept { --size_; }
    void resize_down(std::size_t n) noexcept { size_ = n; }
    void push(const T& v) {
        if (size_ == capacity_) grow();
        ::new (static_cast<void*>(data_ + size_)) T(v);
        ++size_;
    }

private:
    T* inline_data() noexcept { return std::launder(reinterpret_cast<T*>(inline_)); }
    void grow() {
        std::size_t cap = capacity_ * 2;
        auto* p = static_cast<T*>(std::malloc(cap * sizeof(T)));
        if (!p) throw std::bad_alloc();
        std::memcpy(static_cast<void*>(p), data_, size_ * sizeof(T));
        if (data_ != inline_data()) std::free(data_);
        data_ = p;
        capacity_ = cap;
    }

    alignas(T) std::byte inline_[N * sizeof(T)];
    T* data_ = inline_data();
    std::size_t size_ = 0;
    std::size_t capacity_ = N;
};

[[noreturn]] void not_in_program(std::string_view name, std::string_view mod) {
    throw_script_error("ValueError", "function '" + std::string(name) + "' of module '" + std::string(mod) +
                                         "' is not in this program");
}

// ---- encode ------------------------------------------------------------------

// Paths deeper than this start tracking their lists, dicts and functions in a
// set: a cycle is then reported within its own length of this depth, and the
// common shallow message pays one compare per container for it.
constexpr std::size_t track_from_depth = 1000;

enum class frame_kind : std::uint8_t { items, entries, captures };

// A container whose children are still to be written.
struct enc_frame {
    const obj* container;
    const value* items;      // items: tuple/list values; captures: the closure's slots
    std::size_t base;        // offset of the first Term (items, captures) or Entry (entries)
    std::uint32_t next;
    std::uint32_t end;       // entries: two children (key, value) per entry
    std::uint32_t aux;       // captures: the default slots (cells follow); entries: dict_next's position
    frame_kind kind;
    bool on_path;            // in the cycle set
    std::uint64_t pending;   // entries: the bits of the value whose key was just written
};

class value_encoder {
public:
    explicit value_encoder(envelope& e) : env_(e) {
        e.clear();
        w_ = e.reserve_words(1 + term_words);
        cap_ = e.capacity_words();
    }

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
            } else {
                std::uint32_t i = f.next++;
                value c = f.items[i];
                if (i >= f.aux) c = as_cell(c)->v;  // a captured cell: send what it holds
                write_value(c, f.base + std::size_t(i) * term_words);
            }
        }
        env_.set_size_words(used_);
    }

private:
    std::size_t alloc(std::size_t n) {  // n zeroed words at the end; returns their offset
        if (n > cap_ - used_) grow(n);
        std::size_t at = used_;
        std::memset(w_ + at, 0, n * sizeof(std::uint64_t));
        used_ += n;
        return at;
    }
    std::size_t alloc_uninit(std::size_t n) {  // the caller writes every word
        if (n > cap_ - used_) grow(n);
        std::size_t at = used_;
        used_ += n;
        return at;
    }
    void grow(std::size_t n) {
        // Pointer offsets have 30 signed bits: one segment tops out at 2^29 words.
        if (used_ + n > max_list_count) throw_script_error("ValueError", "cannot send a message larger than 4 GiB");
        env_.set_size_words(used_);  // what reserve_words keeps
        w_ = env_.reserve_words(used_ + n);
        cap_ = env_.capacity_words();
    }

    void write_text(std::size_t slot, std::string_view s) {
        std::size_t at = alloc((s.size() + 1 + 7) / 8);  // zeroed: the NUL and padding come free
        if (!s.empty()) std::memcpy(w_ + at, s.data(), s.size());
        w_[slot] = list_pointer(std::int64_t(at - slot - 1), elem_byte, s.size() + 1);
    }
    void write_data(std::size_t slot, const void* data, std::size_t size, int sign = -1) {
        std::size_t prefix = sign >= 0 ? 1 : 0;
        std::size_t n = size + prefix;
        std::size_t at = alloc((n + 7) / 8);
        auto* dst = reinterpret_cast<std::byte*>(w_ + at);
        if (prefix) dst[0] = std::byte(sign);
        if (size) std::memcpy(dst + prefix, data, size);
        w_[slot] = list_pointer(std::int64_t(at - slot - 1), elem_byte, n);
    }
    // A composite list of `count` elements; returns the offset of the first one.
    std::size_t write_list(std::size_t slot, std::size_t count, std::uint16_t data_words, std::uint16_t pointers) {
        std::size_t words = count * (std::size_t(data_words) + pointers);
        if (words > max_list_count) throw_script_error("ValueError", "cannot send a message larger than 4 GiB");
        std::size_t at = alloc_uninit(1 + words);  // every element will be written
        w_[at] = composite_tag(count, data_words, pointers);
        w_[slot] = list_pointer(std::int64_t(at - slot - 1), elem_composite, words);
        return at + 1;
    }
    std::size_t write_struct(std::size_t slot, std::uint16_t data_words, std::uint16_t pointers) {
        std::size_t at = alloc(std::size_t(data_words) + pointers);
        w_[slot] = struct_pointer(std::int64_t(at - slot - 1), data_words, pointers);
        return at;
    }

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
            write_data(ptr, b->data(), b->len);
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
        write_data(at + term_data_words + term_pointer, b->limbs(), bytes, b->negative() ? 1 : 0);
    }

    bool write_native(value v, std::size_t at) {
        std::size_t ptr = at + term_data_words + term_pointer;
        native_kind k = native_kind_of(v);
        if (k != native_kind::function && k != native_kind::builtin)
            throw_script_error("TypeError", std::string("cannot send a '") + bi::type_name_of(v) + "' object");
        // Functions by proto id (module and name let the receiver check it);
        // builtins by name.
        const proto* p = k == native_kind::function ? function_proto(v) : nullptr;
        native_obj* n = as_native(v);
        std::uint32_t slots = p && !is_module_function(v, p) ? n->traced : 0;
        w_[at] = tag_function;
        std::size_t s = write_struct(ptr, function_data_words, function_pointers);
        w_[s] = p ? p->id : 0;
        std::size_t ptrs = s + function_data_words;
        std::string_view mod = !p ? std::string_view("builtins") : p->mod ? std::string_view(p->mod->name) : "?";
        write_text(ptrs + function_module, mod);
        write_text(ptrs + function_name, p ? std::string_view(p->name) : builtin_of(v)->name);
        std::size_t first = write_list(ptrs + function_captures, slots, term_data_words, term_pointers);
        return slots && push({n, n->slots(), first, 0, slots, p->ndefault_slots(), frame_kind::captures, false, 0});
    }

    // A top-level function (its module's frozen global) travels by name alone,
    // defaults included: the receiver has the very same value.
    static bool is_module_function(value v, const proto* p) {
        if (!v.as_obj()->frozen() || !p->mod) return false;
        auto it = p->mod->global_index.find(p->name);
        return it != p->mod->global_index.end() && identical(p->mod->globals[it->second], v);
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

    envelope& env_;
    std::uint64_t* w_ = nullptr;
    std::size_t cap_ = 0;
    std::size_t used_ = 0;
    std::size_t track_at_ = track_from_depth;  // 0 once tracking
    inline_stack<enc_frame> work_;
    std::optional<std::unordered_set<const obj*>> path_;  // made on the first deep path only
};

}  // namespace

void encode_value(const program&, value v, envelope& e) { value_encoder(e).run(v); }

// ---- decode ------------------------------------------------------------------

namespace {

// Where a decoded value goes: a root slot, an item of the container in root
// slot `root`, a dict's pending key or value, a closure's default or cell.
enum class dest_kind : std::uint8_t { slot, tuple, list, dict, function };

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
    auto it = m->global_index.find(std::string(name));
    if (it != m->global_index.end()) {
        value g = m->globals[it->second];
        if (is_native(g, native_kind::function) && function_proto(g)->id == index && function_proto(g)->name == name)
            return {function_proto(g), g};
    }
    // A nested function (closure, lambda): search the module's protos, which
    // also proves the index is one of this program's.
    inline_stack<const proto*> todo;
    todo.push(m->body);
    while (!todo.empty()) {
        const proto* p = todo.top();
        todo.pop();
        if (!p) continue;
        if (p->id == index && p->mod == m && p->name == name) return {p, value::none()};
        for (const proto* c : p->children) todo.push(c);
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
            bi::raise_unhashable(roots_[r + 1]);  // a list key, from a native actor's message
        }
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
        work_.push({c, 0, children, k, r, 0});
    }

    void place_function(term_view c, const dest& d) {
        std::string_view mod = c.function_module(), name = c.function_name();
        if (mod.empty() && name.empty()) {  // an unbound slot: only a closure has those
            if (d.kind != dest_kind::function) not_in_program(name, mod);
            store(d, value::empty());
            return;
        }
        if (mod == "builtins") {
            for (const builtin_def* def : builtin_functions())
                if (name == def->name) return store(d, prog_.builtin_value(def));
            not_in_program(name, mod);
        }
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

    // 64 bytes or more: the envelope's binary itself, not a copy. weft::decode
    // of the leaf hands it over with a reference of its own (an inline one,
    // from the wire, comes back copied into a new binary, as alloc_str would).
    value adopt(term_view c, bool is_str) {
        term t = weft::decode(c);
        shared_binary* b = t.shared();
        if (!b) return is_str ? h_.alloc_str(c.as_str()) : h_.alloc_bytes(c.as_bytes());
        b->acquire();  // the heap's; the term drops its own
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

// ---- view_equals -------------------------------------------------------------

namespace {

constexpr int max_equal_depth = 100;

// An integer as sign and magnitude bytes, little-endian, no high zero bytes.
struct int_mag {
    bool negative = false;
    std::span<const std::byte> mag;
    friend bool operator==(const int_mag& a, const int_mag& b) {
        return a.negative == b.negative && a.mag.size() == b.mag.size() &&
               (a.mag.empty() || std::memcmp(a.mag.data(), b.mag.data(), a.mag.size()) == 0);
    }
};

int_mag trimmed(bool negative, std::span<const std::byte> m) {
    while (!m.empty() && m.back() == std::byte{0}) m = m.first(m.size() - 1);
    return {negative && !m.empty(), m};
}

int_mag from_int64(std::int64_t i, std::byte (&buf)[8]) {
    std::uint64_t u = i < 0 ? 0 - std::uint64_t(i) : std::uint64_t(i);
    std::memcpy(buf, &u, 8);
    return trimmed(i < 0, buf);
}

// Python compares int and float exactly: the float must be integral, and
// then its integer (up to 2^1024, 129 bytes) must be the int.
bool int_equals_float(const int_mag& i, double d) {
    if (!std::isfinite(d) || d != std::trunc(d)) return false;
    std::byte buf[144] = {};
    double m = std::fabs(d);
    if (m < 18446744073709551616.0) {  // 2^64
        auto u = static_cast<std::uint64_t>(m);
        std::memcpy(buf, &u, 8);
    } else {
        int e;
        double f = std::frexp(m, &e);  // m = f * 2^e, f in [0.5, 1)
        auto mant = static_cast<std::uint64_t>(std::ldexp(f, 53));
        int shift = e - 53;
        std::uint64_t part = mant << (shift % 8);
        std::memcpy(buf + shift / 8, &part, 8);
    }
    return i == trimmed(d < 0, buf);
}

bool view_integer(term_view v, int_mag& out, std::byte (&buf)[8]) {
    switch (v.kind()) {
    case term_kind::boolean: out = from_int64(v.as_bool(), buf); return true;
    case term_kind::integer: out = from_int64(v.as_int(), buf); return true;
    case term_kind::bignum: {
        bignum_view b = v.as_bignum();
        out = trimmed(b.negative, b.magnitude);
        return true;
    }
    default: return false;
    }
}

bool heap_integer(value x, int_mag& out, std::byte (&buf)[8]) {
    if (x.is_int() || x.is_bool()) {
        out = from_int64(x.is_int() ? x.as_int() : x.as_bool(), buf);
        return true;
    }
    if (!is_kind(x, obj_kind::bignum)) return false;
    bignum_obj* b = as_bignum(x);
    out = trimmed(b->negative(), {reinterpret_cast<const std::byte*>(b->limbs()), b->limb_count() * sizeof(limb)});
    return true;
}

bool numbers_equal(term_view v, value x) {
    term_kind k = v.kind();
    if (k == term_kind::integer && x.is_int()) return v.as_int() == x.as_int();  // the common case
    std::byte vb[8], xb[8];
    int_mag vi, xi;
    bool v_int = view_integer(v, vi, vb), x_int = heap_integer(x, xi, xb);
    bool v_float = k == term_kind::floating;
    if (v_int && x_int) return vi == xi;
    if (v_float && x.is_float()) return v.as_float() == x.as_float();
    if (v_int && x.is_float()) return int_equals_float(vi, x.as_float());
    if (v_float && x_int) return int_equals_float(xi, v.as_float());
    return false;
}

// A function in a message equals x when it decodes to x: the same builtin,
// or the same top-level function (frozen, no defaults or captures).
bool function_equals(term_view v, value x) {
    if (is_native(x, native_kind::builtin))
        return v.function_module() == "builtins" && v.function_name() == builtin_of(x)->name;
    if (!is_native(x, native_kind::function) || !x.as_obj()->frozen() || as_native(x)->traced != 0 ||
        v.capture_count() != 0)
        return false;
    const proto* p = function_proto(x);
    return p->mod && v.function_module() == p->mod->name && v.function_index() == p->id &&
           v.function_name() == p->name;
}

bool equal_at(term_view v, value x, int depth) {
    term_kind k = v.kind();
    switch (k) {
    case term_kind::none: return x.is_none();
    case term_kind::boolean:
    case term_kind::integer:
    case term_kind::bignum:
    case term_kind::floating: return numbers_equal(v, x);
    case term_kind::str: return is_str(x) && v.as_str() == str_view(x);
    case term_kind::bytes: {
        if (!is_bytes(x)) return false;
        std::span<const std::byte> a = v.as_bytes();
        std::string_view b = bytes_view(x);
        return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
    }
    case term_kind::pid: return is_kind(x, obj_kind::pid) && as_pid(x)->p == v.as_pid();
    case term_kind::ref: return is_kind(x, obj_kind::ref) && as_ref(x)->r == v.as_ref();
    case term_kind::function: return function_equals(v, x);
    case term_kind::tuple:
    case term_kind::list: {
        obj_kind want = k == term_kind::tuple ? obj_kind::tuple : obj_kind::list;
        if (depth >= max_equal_depth || !is_kind(x, want)) return false;
        std::size_t n = want == obj_kind::tuple ? as_tuple(x)->length() : as_list(x)->length;
        const value* items = want == obj_kind::tuple ? as_tuple(x)->items() : as_list(x)->slots();
        if (v.size() != n) return false;
        for (std::size_t i = 0; i < n; ++i)
            if (!equal_at(v[i], items[i], depth + 1)) return false;
        return true;
    }
    case term_kind::dict: {
        if (depth >= max_equal_depth || !is_kind(x, obj_kind::dict)) return false;
        std::size_t n = v.size();
        if (n != heap::dict_len(x)) return false;
        // Order does not matter. Hashing a view as the heap hashes values
        // would duplicate default_hash; pattern constants are small, so scan.
        for (std::size_t i = 0; i < n; ++i) {
            term_view key = v.key(i);
            std::uint32_t pos = 0;
            value hk, hv;
            bool found = false;
            while (!found && heap::dict_next(x, pos, hk, hv)) found = equal_at(key, hk, depth + 1);
            if (!found || !equal_at(v.value(i), hv, depth + 1)) return false;
        }
        return true;
    }
    }
    return false;
}

}  // namespace

bool view_equals(term_view v, value x) { return equal_at(v, x, 0); }

}  // namespace weft::interp
