// envelope.cpp: envelope buffers and the per-thread envelope pools.
//
// Sending must not cost a malloc per message, so envelopes are recycled through
// a bounded free list per OS thread. An envelope is often released on another
// thread than the one that acquired it; it then simply joins that thread's list.
// This file must never cache a thread_local's address anywhere a fiber could
// carry it to another thread: the pool is looked up afresh, through a function
// the compiler cannot inline, on every acquire and release.
#include "serialize/envelope.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "serialize/shared_binary.hpp"

namespace weft {

namespace {
// A recycled envelope keeps a heap word buffer up to this size (2 KiB) and a
// binary table up to this many slots; bigger ones are freed on release.
constexpr std::size_t kept_word_capacity = 256;
constexpr std::uint32_t kept_binary_capacity = 64;
// Envelopes beyond this many on one thread's free list are freed.
constexpr std::size_t max_pooled = 1024;

// Set when this thread's pool has been destroyed (thread exit); later releases on
// this thread free directly. Trivially destructible, so still readable then.
thread_local bool pool_gone = false;
}  // namespace

struct envelope_pool {
    envelope* head = nullptr;
    std::size_t count = 0;

    envelope_pool() = default;
    envelope_pool(const envelope_pool&) = delete;
    envelope_pool& operator=(const envelope_pool&) = delete;
    ~envelope_pool() {
        pool_gone = true;
        while (head) {
            envelope* e = head;
            head = e->next;
            delete e;
        }
    }

    static envelope* make() { return new envelope(); }
    static void destroy(envelope* e) noexcept { delete e; }
    static void recycle(envelope* e) noexcept { e->recycle(); }
};

namespace {
[[gnu::noinline]] envelope_pool* this_thread_pool() noexcept {
    if (pool_gone) return nullptr;
    thread_local envelope_pool pool;
    return &pool;
}
}  // namespace

envelope* envelope::acquire(std::size_t capacity_words) {
    envelope* e = nullptr;
    if (envelope_pool* p = this_thread_pool(); p && p->head) {
        e = p->head;
        p->head = e->next;
        --p->count;
        e->next = nullptr;
    } else {
        e = envelope_pool::make();
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
    envelope_pool::recycle(e);
    envelope_pool* p = this_thread_pool();
    if (p && p->count < max_pooled) {
        e->next = p->head;
        p->head = e;
        ++p->count;
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
    for (std::uint32_t i = 0; i < binary_count_; ++i) binaries_[i]->release();
    binary_count_ = 0;
    size_words_ = 0;
}

void envelope::recycle() noexcept {
    clear();
    next = nullptr;
    kind = 0;
    flags = 0;
    from = {};
    aux = 0;
    tag = {};
    if (words_ != inline_words_ && capacity_words_ > kept_word_capacity) {
        ::operator delete(words_);
        words_ = inline_words_;
        capacity_words_ = inline_word_capacity;
    }
    if (binaries_ != inline_binaries_ && binary_capacity_ > kept_binary_capacity) {
        ::operator delete(binaries_);
        binaries_ = inline_binaries_;
        binary_capacity_ = inline_binary_capacity;
    }
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

}  // namespace weft
