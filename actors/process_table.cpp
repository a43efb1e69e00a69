// process_table.cpp: see process_table.hpp.
#include "actors/process_table.hpp"

#include <algorithm>

#include "actors/actor_cell.hpp"

namespace weft {

process_table::process_table(std::size_t max_actors)
    : max_actors_(std::min<std::size_t>(max_actors, index_mask)),  // a slot index fits 31 bits
      chunks_(new std::atomic<slot*>[(max_actors_ + 1 + chunk_size - 1) / chunk_size]),
      chunk_count_((max_actors_ + 1 + chunk_size - 1) / chunk_size) {
    for (std::size_t i = 0; i < chunk_count_; ++i) chunks_[i].store(nullptr, std::memory_order_relaxed);
}

process_table::~process_table() {
    for (std::size_t i = 0; i < chunk_count_; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
}

process_table::slot* process_table::slot_at(std::uint32_t index) const {
    std::size_t chunk = index >> chunk_bits;
    if (chunk >= chunk_count_) return nullptr;
    slot* base = chunks_[chunk].load(std::memory_order_acquire);
    return base ? base + (index & (chunk_size - 1)) : nullptr;
}

std::uint64_t process_table::insert(actor_cell* cell) {
    std::uint32_t index;
    std::uint64_t number;
    {
        std::lock_guard guard(mutex_);
        if (!free_.empty()) {
            index = free_.back();
            free_.pop_back();
        } else {
            if (next_fresh_ > max_actors_) return 0;
            std::size_t chunk = next_fresh_ >> chunk_bits;
            if (!chunks_[chunk].load(std::memory_order_relaxed)) {
                // Room for every slot of the chunk on the free list now, so that
                // recycling one (at an actor's end, maybe out of memory) never allocates.
                free_.reserve(std::size_t(chunk + 1) << chunk_bits);
                chunks_[chunk].store(new slot[chunk_size], std::memory_order_release);
            }
            index = next_fresh_++;
        }
        if (++spawns_ == 0) spawns_ = 1;  // wrapped: 0 stays "no number" for readability
        number = spawns_;
    }
    slot* s = slot_at(index);
    s->cell = cell;
    // Release: a lookup that sees this number also sees the cell.
    s->state.store(number << 32 | alive_bit | 1, std::memory_order_release);
    return number << index_bits | index;
}

process_table::handle process_table::lookup(std::uint64_t serial) {
    slot* s = slot_at(static_cast<std::uint32_t>(serial & index_mask));
    if (!s) return {};
    const std::uint64_t number = (serial >> index_bits) & 0xffffffffu;
    std::uint64_t st = s->state.load(std::memory_order_acquire);
    for (;;) {
        if ((st >> 32) != number || !(st & alive_bit)) return {};
        if (s->state.compare_exchange_weak(st, st + 1, std::memory_order_acquire, std::memory_order_acquire))
            return handle(this, s);
    }
}

void process_table::end_lookups(std::uint64_t serial) {
    slot_at(static_cast<std::uint32_t>(serial & index_mask))->state.fetch_and(~alive_bit, std::memory_order_acq_rel);
}

void process_table::retire(std::uint64_t serial) {
    end_lookups(serial);
    release(slot_at(static_cast<std::uint32_t>(serial & index_mask)));  // the owner's own reference
}

void process_table::release(slot* s) {
    std::uint64_t st = s->state.fetch_sub(1, std::memory_order_acq_rel) - 1;
    if (!(st & alive_bit) && (st & ref_mask) == 0) recycle(s);
}

void process_table::recycle(slot* s) {
    auto index = static_cast<std::uint32_t>(s->cell->self().serial & index_mask);
    delete s->cell;
    s->cell = nullptr;
    // Number 0, not alive, no references: no lookup matches until insert()
    // gives the slot its next occupant's number.
    s->state.store(0, std::memory_order_release);
    std::lock_guard guard(mutex_);
    free_.push_back(index);  // never allocates: insert() reserved the room
}

}  // namespace weft
