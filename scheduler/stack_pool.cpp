// stack_pool.cpp: see stack_pool.hpp.
#include "scheduler/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <new>

#if defined(WEFT_SANITIZE_ADDRESS)
#include <sanitizer/asan_interface.h>
#endif

namespace weft {

namespace {
constexpr std::size_t slab_bytes = 16u << 20;  // 16 MiB of address space per mapping

std::size_t round_to_power_of_two(std::size_t n) {
    std::size_t p = 16384;
    while (p < n) p *= 2;
    return p;
}
}  // namespace

stack_pool::stack_pool(std::size_t stack_size)
    : stack_size_(round_to_power_of_two(stack_size)),
      stacks_per_slab_(slab_bytes / stack_size_ ? slab_bytes / stack_size_ : 1) {}

stack_pool::~stack_pool() {
    // One extra stack of address space per slab was reserved for the alignment.
    for (void* slab : slabs_) munmap(slab, (stacks_per_slab_ + 1) * stack_size_);
}

void stack_pool::add_slab() {
    std::size_t bytes = (stacks_per_slab_ + 1) * stack_size_;
    void* slab = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slab == MAP_FAILED) throw std::bad_alloc();
    slabs_.push_back(slab);
    auto first = (reinterpret_cast<std::uintptr_t>(slab) + stack_size_ - 1) & ~(stack_size_ - 1);
    // Push in reverse so that allocation walks the slab upwards.
    for (std::size_t i = stacks_per_slab_; i-- > 0;)
        free_.push_back(reinterpret_cast<char*>(first) + i * stack_size_);
}

boost::context::stack_context stack_pool::allocate() {
    void* bottom;
    {
        std::lock_guard guard(lock_);
        if (free_.empty()) add_slab();
        bottom = free_.back();
        free_.pop_back();
    }
#if defined(WEFT_SANITIZE_ADDRESS)
    // A fiber that switched away from its frames for good (its last switch out)
    // leaves their redzones poisoned; the next fiber on this stack starts clean.
    ASAN_UNPOISON_MEMORY_REGION(bottom, stack_size_);
#endif
    boost::context::stack_context sctx;
    sctx.size = stack_size_;
    sctx.sp = static_cast<char*>(bottom) + stack_size_;  // stacks grow down
    return sctx;
}

void stack_pool::deallocate(boost::context::stack_context& sctx) noexcept {
    void* bottom = static_cast<char*>(sctx.sp) - sctx.size;
    std::lock_guard guard(lock_);
    free_.push_back(bottom);
}

}  // namespace weft
