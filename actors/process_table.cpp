// process_table.cpp: see process_table.hpp.
#include "actors/process_table.hpp"

#include "actors/actor_cell.hpp"

namespace weft {

process_table::process_table(std::size_t max_actors)
    : max_actors_(max_actors),
      chunks_(new std::atomic<slot*>[(max_actors + 1 + chunk_size - 1) / chunk_size]),
      chunk_count_((max_actors + 1 + chunk_size - 1) / chunk_size) {
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
    }
    slot* s = slot_at(index);
    s->cell = cell;
    std::uint64_t generation = s->state.load(std::memory_order_relaxed) >> 32;
    if (generation == 0) generation = 1;  // serials are never 0
    s->state.store(generation << 32 | alive_bit | 1, std::memory_order_release);
    return generation << 32 | index;
}

process_table::handle process_table::lookup(std::uint64_t serial) {
    slot* s = slot_at(static_cast<std::uint32_t>(serial));
    if (!s) return {};
    std::uint64_t st = s->state.load(std::memory_order_acquire);
    for (;;) {
        if ((st >> 32) != (serial >> 32) || !(st & alive_bit)) return {};
        if (s->state.compare_exchange_weak(st, st + 1, std::memory_order_acquire, std::memory_order_acquire))
            return handle(this, s);
    }
}

void process_table::end_lookups(std::uint64_t serial) {
    slot_at(static_cast<std::uint32_t>(serial))->state.fetch_and(~alive_bit, std::memory_order_acq_rel);
}

void process_table::retire(std::uint64_t serial) {
    end_lookups(serial);
    release(slot_at(static_cast<std::uint32_t>(serial)));  // the owner's own reference
}

void process_table::release(slot* s) {
    std::uint64_t st = s->state.fetch_sub(1, std::memory_order_acq_rel) - 1;
    if (!(st & alive_bit) && (st & ref_mask) == 0) recycle(s, st);
}

void process_table::recycle(slot* s, std::uint64_t state) {
    auto index = static_cast<std::uint32_t>(s->cell->self().serial);
    delete s->cell;
    s->cell = nullptr;
    std::uint64_t next_generation = (state >> 32) + 1;
    if (next_generation > 0xffffffffull) next_generation = 1;
    s->state.store(next_generation << 32, std::memory_order_release);
    std::lock_guard guard(mutex_);
    free_.push_back(index);  // never allocates: insert() reserved the room
}

}  // namespace weft
