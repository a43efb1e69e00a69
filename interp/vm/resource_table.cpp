// resource_table.cpp: see resource_table.hpp.
#include "interp/vm/resource_table.hpp"

#include <random>

namespace weft::interp {

// One draw from the system's entropy per VM that opens anything (most VMs
// never do, and make no table).
resource_table::resource_table() {
    std::random_device entropy;
    stamp_ = (std::uint64_t(entropy()) << 32) | entropy();
    if (stamp_ == 0) stamp_ = 1;
}

std::uint64_t resource_table::add(std::shared_ptr<resource> r) {
    std::uint64_t key = next_key_++;
    items_.emplace(key, std::move(r));
    return key;
}

resource* resource_table::find(std::uint64_t stamp, std::uint64_t key) const noexcept {
    if (stamp != stamp_) return nullptr;
    auto it = items_.find(key);
    return it == items_.end() ? nullptr : it->second.get();
}

}  // namespace weft::interp
