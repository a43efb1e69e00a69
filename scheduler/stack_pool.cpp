// stack_pool.cpp: see stack_pool.hpp.
#include "scheduler/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <new>

namespace weft {

namespace {
constexpr std::size_t slab_bytes = 16u << 20;  // 16 MiB of address space per mapping

std::size_t round_to_pages(std::size_t n) {
    std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return (n + page - 1) / page * page;
}
}  // namespace

stack_pool::stack_pool(std::size_t stack_size)
    : stack_size_(round_to_pages(stack_size < 16384 ? 16384 : stack_size)),
      stacks_per_slab_(slab_bytes / stack_size_ ? slab_bytes / stack_size_ : 1) {}

stack_pool::~stack_pool() {
    for (void* slab : slabs_) munmap(slab, stacks_per_slab_ * stack_size_);
}

void stack_pool::add_slab() {
    std::size_t bytes = stacks_per_slab_ * stack_size_;
    void* slab = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slab == MAP_FAILED) throw std::bad_alloc();
    slabs_.push_back(slab);
    // Push in reverse so that allocation walks the slab upwards.
    for (std::size_t i = stacks_per_slab_; i-- > 0;)
        free_.push_back(static_cast<char*>(slab) + i * stack_size_);
}

boost::context::stack_context stack_pool::allocate() {
    void* bottom;
    {
        std::lock_guard guard(lock_);
        if (free_.empty()) add_slab();
        bottom = free_.back();
        free_.pop_back();
    }
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
