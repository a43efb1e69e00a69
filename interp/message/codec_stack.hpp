// codec_stack.hpp: what the parts of the message codec share
// (encode.cpp, decode.cpp): a work stack that needs no malloc
// for small messages, and the error for a function this program lacks.
// Internal to the codec.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>

#include "interp/objects/script_error.hpp"

namespace weft::interp::detail {

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

[[noreturn]] inline void not_in_program(std::string_view name, std::string_view mod) {
    throw_script_error("ValueError", "function '" + std::string(name) + "' of module '" + std::string(mod) +
                                         "' is not in this program");
}

}  // namespace weft::interp::detail
