// shared_binary.cpp: allocation and freeing of shared binaries.
//
// One allocation per binary: header and bytes together. Must never keep any
// global list of binaries (no mutable global state anywhere in serialize/).
#include "serialize/shared_binary.hpp"

#include <cstring>
#include <new>

namespace weft {

shared_binary* shared_binary::make_uninitialized(std::size_t size) {
    void* mem = ::operator new(sizeof(shared_binary) + size, std::align_val_t{alignof(shared_binary)});
    return new (mem) shared_binary(size);
}

shared_binary* shared_binary::make(std::span<const std::byte> bytes) {
    void* mem = ::operator new(sizeof(shared_binary) + bytes.size(), std::align_val_t{alignof(shared_binary)});
    auto* b = new (mem) shared_binary(bytes.size());
    if (!bytes.empty()) std::memcpy(b->mutable_data(), bytes.data(), bytes.size());
    return b;
}

shared_binary* shared_binary::make(std::string_view text) {
    return make(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

void shared_binary::destroy(shared_binary* b) noexcept {
    b->~shared_binary();
    ::operator delete(b, std::align_val_t{alignof(shared_binary)});
}

}  // namespace weft
