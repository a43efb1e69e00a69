// envelope.cpp: envelope buffers and the per-thread envelope pools.
//
// Sending must not cost a malloc per message, so envelopes are recycled through
// a bounded pool per OS thread. An envelope is often released on another thread
// than the one that acquired it (the receiver's); it then goes back to its home
// pool, not to the releasing thread's: a one-way stream would otherwise drain
// the sender's pool (a malloc per message) and overflow the receiver's (a free
// per message, into the sender's malloc arena, under its lock). Going home is
// one CAS on the home pool's `returned` stack; the home thread takes the whole
// stack with one exchange when its own list runs dry. (mimalloc frees across
// threads the same way.) The releaser only drops the binary references (they
// must go at once); the fields are reset by the home thread when it hands the
// envelope out again, so the releasing core writes no more of the envelope's
// cache lines than the link it pushes with.
//
// A pool outlives its thread while envelopes of it exist: the thread's exit
// closes `returned` (later returns free the envelope instead) and drops the
// thread's reference; the last envelope freed deletes the pool.
//
// This file must never cache a thread_local's address anywhere a fiber could
// carry it to another thread: the pool is looked up afresh, through a function
// the compiler cannot inline, on every acquire and release.
#include "serialize/envelope.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>

#include "serialize/shared_binary.hpp"

namespace weft {

namespace {
// A recycled envelope keeps a heap word buffer up to this size (2 KiB) and a
// binary table up to this many slots; bigger ones are freed on release.
constexpr std::size_t kept_word_capacity = 256;
constexpr std::uint32_t kept_binary_capacity = 64;
// At most this many envelopes wait on a thread's free list, and at most this
// many more on its `returned` stack; beyond that they are freed.
constexpr std::size_t max_pooled = 1024;

// Set when this thread's pool has been closed (thread exit); later envelopes
// made on this thread have no home. Trivially destructible, so still readable then.
thread_local bool pool_gone = false;
}  // namespace

struct envelope_pool {
    // ---- the owning thread only ----
    envelope* head = nullptr;  // free list
    std::size_t count = 0;
    // ---- any thread ----
    // Envelopes of this pool released on other threads: a LIFO stack pushed with
    // CAS (release: the envelope's reset fields travel with it) and taken whole
    // by the owner with one exchange (acquire). closed_tag() once the owner exited.
    std::atomic<envelope*> returned{nullptr};
    // Envelopes on `returned` (an upper bound): keeps the stack bounded. Relaxed:
    // only a size hint; the stack itself carries the envelopes.
    std::atomic<std::size_t> returned_count{0};
    // Envelopes of this pool that exist, plus one for the owning thread until it
    // exits. acq_rel: whoever takes it to zero deletes the pool, after every
    // other user is done with it.
    std::atomic<std::size_t> refs{1};

    static envelope* closed_tag() noexcept { return reinterpret_cast<envelope*>(std::uintptr_t{1}); }

    static envelope* make(envelope_pool* home) {
        auto* e = new envelope();
        e->home_ = home;
        if (home) home->refs.fetch_add(1, std::memory_order_relaxed);
        return e;
    }
    static void destroy(envelope* e) noexcept {
        envelope_pool* home = e->home_;
        delete e;
        if (home) home->unref();
    }

    void unref() noexcept {
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    // Owner: refills the free list from `returned`, keeping at most max_pooled.
    void take_returned() noexcept {
        if (returned.load(std::memory_order_relaxed) == nullptr) return;
        envelope* e = returned.exchange(nullptr, std::memory_order_acquire);
        std::size_t taken = 0;
        while (e) {
            envelope* next = e->next;
            ++taken;
            if (count < max_pooled) {
                e->next = head;
                head = e;
                ++count;
            } else {
                destroy(e);
            }
            e = next;
        }
        returned_count.fetch_sub(taken, std::memory_order_relaxed);
    }

    // Any other thread: sends `e` home, or frees it when home is closed or full.
    void give_back(envelope* e) noexcept {
        if (returned_count.fetch_add(1, std::memory_order_relaxed) >= max_pooled) {
            returned_count.fetch_sub(1, std::memory_order_relaxed);
            return destroy(e);
        }
        envelope* top = returned.load(std::memory_order_relaxed);
        do {
            if (top == closed_tag()) {
                returned_count.fetch_sub(1, std::memory_order_relaxed);
                return destroy(e);
            }
            e->next = top;
        } while (!returned.compare_exchange_weak(top, e, std::memory_order_release, std::memory_order_relaxed));
    }

    // The owning thread exits: frees what is pooled, closes `returned`, and
    // drops the thread's reference.
    void close() noexcept {
        while (head) {
            envelope* e = head;
            head = e->next;
            destroy(e);
        }
        count = 0;
        for (envelope* e = returned.exchange(closed_tag(), std::memory_order_acquire); e;) {
            envelope* next = e->next;
            destroy(e);
            e = next;
        }
        unref();
    }
};

namespace {
// Owns this thread's pool; heap-allocated so that it can outlive the thread.
struct pool_owner {
    // Out of memory when a thread makes its first envelope: that thread has
    // no pool, and its envelopes are freed on release (this_thread_pool() is
    // noexcept: it is called from release(), and from acquire() on any path).
    envelope_pool* pool = new (std::nothrow) envelope_pool();
    pool_owner() = default;
    pool_owner(const pool_owner&) = delete;
    pool_owner& operator=(const pool_owner&) = delete;
    ~pool_owner() {
        pool_gone = true;
        if (pool) pool->close();
    }
};

[[gnu::noinline]] envelope_pool* this_thread_pool() noexcept {
    if (pool_gone) return nullptr;
    thread_local pool_owner owner;
    return owner.pool;
}
}  // namespace

envelope* envelope::acquire(std::size_t capacity_words) {
    envelope* e = nullptr;
    envelope_pool* p = this_thread_pool();
    if (p && !p->head) p->take_returned();
    if (p && p->head) {
        e = p->head;
        p->head = e->next;
        --p->count;
        e->recycle();
    } else {
        e = envelope_pool::make(p);
    }
    if (capacity_words > e->capacity_words_) {
        try {
            e->reserve_words(capacity_words);
        } catch (...) {
            envelope_pool::destroy(e);
            throw;
        }
    }
    return e;
}

void envelope::release(envelope* e) noexcept {
    if (!e) return;
    e->drop_binaries();
    e->trim_buffers();
    envelope_pool* home = e->home_;
    if (!home) return envelope_pool::destroy(e);
    if (home != this_thread_pool()) return home->give_back(e);
    if (home->count < max_pooled) {
        e->next = home->head;
        home->head = e;
        ++home->count;
    } else {
        envelope_pool::destroy(e);
    }
}

envelope::~envelope() {
    clear();
    if (words_ != inline_words_) ::operator delete(words_);
    if (binaries_ != inline_binaries_) ::operator delete(binaries_);
}

void envelope::clear() noexcept {
    drop_binaries();
    size_words_ = 0;
}

// drop_binaries and trim_buffers are what must go at release, wherever that
// is. Each writes nothing when there is nothing to drop: the envelope's lines
// may be on their way back to another core's cache.
void envelope::drop_binaries() noexcept {
    if (binary_count_ == 0) return;
    for (std::uint32_t i = 0; i < binary_count_; ++i) binaries_[i]->release();
    binary_count_ = 0;
}

void envelope::trim_buffers() noexcept {
    if (words_ != inline_words_ && capacity_words_ > kept_word_capacity) {
        ::operator delete(words_);
        words_ = inline_words_;
        capacity_words_ = inline_word_capacity;
        size_words_ = 0;
    }
    if (binaries_ != inline_binaries_ && binary_capacity_ > kept_binary_capacity) {
        ::operator delete(binaries_);
        binaries_ = inline_binaries_;
        binary_capacity_ = inline_binary_capacity;
    }
}

void envelope::recycle() noexcept {
    clear();
    next = nullptr;  // home_ stays: the envelope goes back where it came from
    kind = 0;
    flags = 0;
    from = {};
    aux = 0;
    tag = {};
    trace_clock = 0;
}

std::uint64_t* envelope::reserve_words(std::size_t n) {
    if (n <= capacity_words_) return words_;
    std::size_t cap = std::max(n, capacity_words_ * 2);
    auto* w = static_cast<std::uint64_t*>(::operator new(cap * sizeof(std::uint64_t)));
    if (size_words_) std::memcpy(w, words_, size_words_ * sizeof(std::uint64_t));
    if (words_ != inline_words_) ::operator delete(words_);
    words_ = w;
    capacity_words_ = cap;
    return w;
}

std::uint32_t envelope::add_binary(shared_binary* b) {
    if (binary_count_ == binary_capacity_) {
        std::uint32_t cap = binary_capacity_ * 2;
        auto* t = static_cast<shared_binary**>(::operator new(cap * sizeof(shared_binary*)));
        std::memcpy(t, binaries_, binary_count_ * sizeof(shared_binary*));
        if (binaries_ != inline_binaries_) ::operator delete(binaries_);
        binaries_ = t;
        binary_capacity_ = cap;
    }
    b->acquire();
    binaries_[binary_count_] = b;
    return binary_count_++;
}

std::size_t envelope::payload_bytes() const noexcept {
    std::size_t n = size_words_ * 8;
    for (const shared_binary* b : binaries()) n += b->size();
    return n;
}

}  // namespace weft
