// resource_table.hpp: what a VM holds outside its heap: its open files (and
// sockets ...), each a C++ object that a heap value (natives.hpp: resource)
// names by key. The table owns them, so nothing a script opens can leak: a
// resource ends when the script closes it, or when the VM ends (its actor
// ended, whichever way; module-level code finished), by its destructor.
//
// Entries are shared_ptrs because a job on the file pool may still hold one
// (its descriptor) after the script closed it or the actor ended: the
// descriptor is closed by whoever lets go last, never under a running job.
//
// Only the VM's own thread touches the table; it is never shared.
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace weft::interp {

// One thing a VM holds; its destructor releases it (closes the descriptor).
struct resource {
    virtual ~resource() = default;
};

class resource_table {
public:
    // The table's stamp, which every resource_ref it hands out carries: a
    // random 64-bit number, so that a ref that travelled to another VM (a
    // value frozen at module level) never finds an entry there.
    std::uint64_t stamp() const noexcept { return stamp_; }
    // Keeps `r`; returns its key (never 0).
    std::uint64_t add(std::shared_ptr<resource> r);
    // The entry for (stamp, key), or null: closed, or another VM's.
    resource* find(std::uint64_t stamp, std::uint64_t key) const noexcept;
    // Removes the entry (closing it unless a job still holds it).
    void remove(std::uint64_t key) noexcept { items_.erase(key); }
    std::size_t size() const noexcept { return items_.size(); }

    resource_table();

private:
    std::uint64_t stamp_;
    std::uint64_t next_key_ = 1;
    std::unordered_map<std::uint64_t, std::shared_ptr<resource>> items_;
};

}  // namespace weft::interp
