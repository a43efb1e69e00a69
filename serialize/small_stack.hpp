// small_stack.hpp: the explicit stack that replaces recursion in serialize/.
//
// Walks over terms and messages run on fibers with 64 KiB stacks and may meet
// values nested a million deep, so they keep their pending work here instead of
// on the C++ stack. The first N entries live inline (no allocation for the
// common shallow value); deeper walks spill to the heap. Internal to
// serialize/; T must be trivially copyable, and the stack never calls T's
// constructors or destructors.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

namespace weft::detail {

template <class T, std::size_t N = 32>
class small_stack {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    small_stack() = default;
    small_stack(const small_stack&) = delete;
    small_stack& operator=(const small_stack&) = delete;
    ~small_stack() {
        if (data_ != inline_) std::free(data_);
    }

    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    T& top() { return data_[size_ - 1]; }
    void pop() { --size_; }
    void push(const T& v) {
        if (size_ == capacity_) grow();
        data_[size_++] = v;
    }

private:
    void grow() {
        std::size_t cap = capacity_ * 2;
        auto* p = static_cast<T*>(std::malloc(cap * sizeof(T)));
        if (!p) throw std::bad_alloc();
        std::memcpy(static_cast<void*>(p), data_, size_ * sizeof(T));
        if (data_ != inline_) std::free(data_);
        data_ = p;
        capacity_ = cap;
    }

    T inline_[N];
    T* data_ = inline_;
    std::size_t size_ = 0;
    std::size_t capacity_ = N;
};

}  // namespace weft::detail
