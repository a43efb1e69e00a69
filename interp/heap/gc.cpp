// gc.cpp: the heap's copying collector (Cheney) and its blocks.
//
// One pass: copy every object the roots point at into to-space, then walk
// to-space with a scan pointer, copying what each copied object points at,
// until the scan pointer meets the free pointer. No recursion, no mark stack:
// to-space is the queue. A copied object's old header becomes a forwarding
// word (its new address in the upper 48 bits, the forwarded flag set), so
// sharing and cycles are preserved. Pointers outside from-space (frozen
// arena objects) are neither copied nor followed.
//
// Afterwards the list of shared binaries is rebuilt from the forwarding words
// (the old copies are still readable), releasing the binaries of objects that
// died, and from-space is freed in one go.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include "interp/heap/heap.hpp"

namespace weft::interp {

static_assert(std::endian::native == std::endian::little, "the forwarding word overlays the header");

namespace {

// Blocks this big are mmap'd (their tail can be unmapped in place); smaller
// ones come from malloc, so that many small heaps cost no mappings.
constexpr std::size_t map_threshold = 256 * 1024;
// Mapped blocks this big ask for transparent huge pages (fewer page faults
// while copying a large heap).
constexpr std::size_t huge_page_threshold = 8u << 20;

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

std::size_t page_size() {
    static const std::size_t size = std::size_t(::sysconf(_SC_PAGESIZE));
    return size;
}

inline void set_forward(obj* from, const char* to) noexcept {
    std::uint64_t word = std::uint64_t(reinterpret_cast<std::uintptr_t>(to)) << 16 |
                         std::uint64_t(from->flags | obj_flags::forwarded) << 8 | std::uint64_t(from->kind);
    std::memcpy(static_cast<void*>(from), &word, sizeof word);
}

// Most objects are a few words: a word loop saves a call to memcpy. (Each
// word through memcpy, which compiles to one move and, unlike a uint64_t
// store, may alias the obj/value fields read from the copy later.)
inline void copy_words(char* to, const obj* from, std::size_t bytes) noexcept {
    auto* src = reinterpret_cast<const char*>(from);
    if (bytes > 128) {
        std::memcpy(to, src, bytes);
        return;
    }
    for (std::size_t i = 0; i < bytes; i += 8) std::memcpy(to + i, src + i, 8);
}

inline char* forward_address(const obj* from) noexcept {
    std::uint64_t word;
    std::memcpy(&word, static_cast<const void*>(from), sizeof word);
    return reinterpret_cast<char*>(word >> 16);
}

}  // namespace

heap::block heap::alloc_block(std::size_t bytes) {
    bytes = round_up(bytes, 8);
    block b;
    if (bytes >= map_threshold) {
        std::size_t len = round_up(bytes, page_size());
        void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        if (len >= huge_page_threshold) ::madvise(p, len, MADV_HUGEPAGE);
        b = {static_cast<char*>(p), bytes, len};
    } else {
        b = {static_cast<char*>(::operator new(bytes)), bytes, 0};
    }
    // Boxed pointers and forwarding words keep 48 bits of address.
    assert((reinterpret_cast<std::uintptr_t>(b.begin) + b.bytes) >> 48 == 0);
    return b;
}

void heap::free_block(char* begin, std::size_t mapped) noexcept {
    if (!begin) return;
    if (mapped) ::munmap(begin, mapped);
    else ::operator delete(begin);  // unsized: clang before 16 has no sized delete by default
}

void heap::collect() { collect_for(0); }

void heap::collect_for(std::size_t request) {
    if (request > limit_) throw heap_exhausted(request, limit_);
    if (!begin_) {  // the first allocation: no collection yet
        block b = alloc_block(std::max(first_block_, request));
        begin_ = top_ = b.begin;
        end_ = b.begin + b.bytes;
        mapped_ = b.mapped;
        return;
    }
    auto start = std::chrono::steady_clock::now();
    std::size_t used = bytes_allocated();

    // To-space must hold everything in case it all survives. A mapped one is
    // reserved at 2 x used + request (untouched pages cost nothing) and
    // trimmed after, so it never needs a second pass; a malloc'd one is just
    // big enough for what is there now (and a second pass makes room when
    // the request does not fit, or the live data needs a bigger block).
    std::size_t want = 2 * used + request;
    block to = want >= map_threshold ? alloc_block(std::min(want, limit_))
                                     : alloc_block(std::max(used, first_block_));
    total_allocated_ += used - live_after_gc_;
    evacuate(to);

    // Size the block from what survived: about 2 x live + the request.
    std::size_t live = bytes_allocated();
    std::size_t desired = std::min(std::max(first_block_, round_up(2 * live + request, 8)), limit_);
    if (mapped_) {
        if (desired < block_bytes()) {
            std::size_t keep = round_up(desired, page_size());
            if (keep < mapped_) {
                ::munmap(begin_ + keep, mapped_ - keep);
                mapped_ = keep;
            }
            end_ = begin_ + desired;
        }
    } else if (desired > block_bytes() || block_bytes() > 4 * desired) {
        try {
            evacuate(alloc_block(desired));  // cheap: it copies live data only
        } catch (const std::bad_alloc&) {
            // keep the block we have: it already holds everything
        }
    }

    live_after_gc_ = bytes_allocated();
    shared_trigger_ = shared_bytes_ + std::max(shared_trigger_min_, shared_bytes_);
    ++collections_;
    auto pause = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    last_pause_ns_ = pause;
    max_pause_ns_ = std::max(max_pause_ns_, pause);
    total_pause_ns_ += pause;

    if (request > std::size_t(end_ - top_)) throw heap_exhausted(request, limit_);
}

void heap::evacuate(block to) {
    char* const from_begin = begin_;
    char* const from_end = top_;
    char* free = to.begin;

    auto forward = [&](value& v) {
        if (!v.is_obj()) return;
        char* p = reinterpret_cast<char*>(v.as_obj());
        if (p < from_begin || p >= from_end) return;  // frozen, or not a heap pointer
        obj* o = reinterpret_cast<obj*>(p);
        if (o->flags & obj_flags::forwarded) {
            v = value::from_obj(reinterpret_cast<obj*>(forward_address(o)));
            return;
        }
        std::size_t n = o->size_bytes();
        assert(free + n <= to.begin + to.bytes);
        copy_words(free, o, n);
        set_forward(o, free);
        v = value::from_obj(reinterpret_cast<obj*>(free));
        free += n;
    };

    for (root_range* r = roots_; r; r = r->next)
        for (std::size_t i = 0; i < r->count; ++i) forward(r->begin[i]);

    for (char* scan = to.begin; scan < free;) {
        obj* o = reinterpret_cast<obj*>(scan);
        for (value& v : traced_slots(o)) forward(v);
        scan += o->size_bytes();
    }

    // Shared binaries: keep the survivors (at their new address), release the rest.
    shared_obj* old = shared_;
    shared_ = nullptr;
    shared_bytes_ = 0;
    while (old) {
        shared_obj* next = old->next;  // the payload of a forwarded object is intact
        if (old->flags & obj_flags::forwarded) {
            auto* s = reinterpret_cast<shared_obj*>(forward_address(old));
            s->next = shared_;
            shared_ = s;
            shared_bytes_ += s->bin->size();
        } else {
            old->bin->release();
        }
        old = next;
    }

    free_block(begin_, mapped_);
    begin_ = to.begin;
    top_ = free;
    end_ = to.begin + to.bytes;
    mapped_ = to.mapped;
}

std::string heap::verify() const {
    auto bad = [](const char* what, const void* where) {
        char buf[64];
        std::snprintf(buf, sizeof buf, " at %p", where);
        return std::string(what) + buf;
    };
    for (char* p = begin_; p < top_;) {
        obj* o = reinterpret_cast<obj*>(p);
        if (std::uint8_t(o->kind) == 0 || std::uint8_t(o->kind) >= obj_kind_count) return bad("bad kind", o);
        if (o->words == 0 || o->size_bytes() > std::size_t(top_ - p)) return bad("bad size", o);
        if (o->flags & (obj_flags::forwarded | obj_flags::frozen)) return bad("forwarded or frozen in the block", o);
        for (value v : traced_slots(o)) {
            if (!v.is_obj()) continue;
            if (in_block(v.as_obj())) continue;
            if (!v.as_obj()->frozen()) return bad("slot points outside the heap at an unfrozen object", o);
        }
        p += o->size_bytes();
    }
    std::size_t shared = 0;
    for (shared_obj* s = shared_; s; s = s->next) {
        if (!in_block(s)) return bad("shared list entry outside the block", s);
        if (s->kind != obj_kind::shared_str && s->kind != obj_kind::shared_bytes) return bad("shared list entry of another kind", s);
        shared += s->bin->size();
    }
    if (shared != shared_bytes_) return "shared_bytes does not match the list";
    for (root_range* r = roots_; r; r = r->next)
        for (std::size_t i = 0; i < r->count; ++i) {
            value v = r->begin[i];
            if (v.is_obj() && !in_block(v.as_obj()) && !v.as_obj()->frozen())
                return bad("root points outside the heap at an unfrozen object", &r->begin[i]);
        }
    return {};
}

}  // namespace weft::interp
