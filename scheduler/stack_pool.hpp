// stack_pool.hpp: fiber stacks for blocking actors, carved from large mmap'd slabs.
//
// A blocking actor owns a fiber stack for its whole life, so a million of them
// must be cheap. Stacks are reserved (not committed) in slabs of many stacks per
// mapping: the kernel commits a page only when a fiber touches it, so an idle
// fiber costs the one page holding its context record and first frames, and a
// million fibers need a few hundred mappings instead of a million (the kernel
// caps mappings per process at ~65,000). Freed stacks are reused, most recently
// freed first, since their touched page is still warm.
//
// Stack sizes are powers of two and every stack starts at a multiple of its size,
// so the bounds of the stack a fiber runs on follow from its stack pointer.
//
// The price: there is no guard page between stacks (a guard per stack would be a
// mapping per stack again). Native code on a blocking actor must stay within its
// stack size; script actors never run on these stacks.
#pragma once
#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "scheduler/spinlock.hpp"

namespace weft {

class stack_pool {
public:
    explicit stack_pool(std::size_t stack_size);
    ~stack_pool();
    stack_pool(const stack_pool&) = delete;
    stack_pool& operator=(const stack_pool&) = delete;

    boost::context::stack_context allocate();
    void deallocate(boost::context::stack_context& sctx) noexcept;
    std::size_t stack_size() const { return stack_size_; }
    // The lowest address of the pool stack that holds `address`.
    const void* stack_bottom(const void* address) const {
        return reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(address) & ~(stack_size_ - 1));
    }

private:
    void add_slab();  // called with lock_ held

    std::size_t stack_size_;
    std::size_t stacks_per_slab_;
    spinlock lock_;
    std::vector<void*> free_;   // stack bottoms (lowest addresses)
    std::vector<void*> slabs_;
};

// The allocator handed to boost::fibers::fiber; a thin, copyable reference to a pool.
class pooled_stack_allocator {
public:
    explicit pooled_stack_allocator(stack_pool& pool) : pool_(&pool) {}
    boost::context::stack_context allocate() { return pool_->allocate(); }
    void deallocate(boost::context::stack_context& sctx) noexcept { pool_->deallocate(sctx); }

private:
    stack_pool* pool_;
};

}  // namespace weft
