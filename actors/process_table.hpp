// process_table.hpp: finds the live actor behind a local pid, without a lock.
//
// A pid's serial is (spawn number << 31 | slot index). The spawn number counts
// this table's inserts from 1, so that pids print small and in spawn order
// (`<0.42.0>`, serialize/node_numbers.hpp); it is 32 bits and wraps after four
// billion spawns, as Erlang's pid numbers do. Each slot holds one state word
// (its occupant's spawn number, an alive bit and a reference count) and the
// actor's cell. Looking up is one CAS that adds a reference if the number
// matches and the actor is alive; the reference keeps the cell from being
// freed until released. An ending actor clears the alive bit (no new lookups
// succeed); whoever drops the last reference frees the cell and recycles the
// slot, which its next occupant gets with a later number, so an old pid never
// reaches a new actor (short of four billion spawns between the two). Slots
// live in chunks that are never freed while the table lives, so a racing
// lookup always reads valid memory. Inserting and recycling take a mutex:
// spawning and ending, never sending.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace weft {

class actor_cell;

class process_table {
public:
    struct slot {
        std::atomic<std::uint64_t> state{0};  // spawn number:32 | alive:1 | refs:31
        actor_cell* cell = nullptr;
    };

    // A counted reference to a live cell (or empty).
    class handle {
    public:
        handle() = default;
        handle(handle&& o) noexcept : table_(o.table_), slot_(std::exchange(o.slot_, nullptr)) {}
        handle& operator=(handle&& o) noexcept {
            if (this != &o) {
                reset();
                table_ = o.table_;
                slot_ = std::exchange(o.slot_, nullptr);
            }
            return *this;
        }
        ~handle() { reset(); }
        explicit operator bool() const { return slot_ != nullptr; }
        actor_cell* get() const { return slot_->cell; }
        actor_cell* operator->() const { return slot_->cell; }
        void reset() {
            if (slot_) table_->release(std::exchange(slot_, nullptr));
        }

    private:
        friend class process_table;
        handle(process_table* t, slot* s) : table_(t), slot_(s) {}
        process_table* table_ = nullptr;
        slot* slot_ = nullptr;
    };

    explicit process_table(std::size_t max_actors);
    ~process_table();
    process_table(const process_table&) = delete;
    process_table& operator=(const process_table&) = delete;

    // Registers a cell as alive with one reference (its own); returns its serial,
    // or 0 when the table is full.
    std::uint64_t insert(actor_cell* cell);
    handle lookup(std::uint64_t serial);
    // The actor is ending: no lookup succeeds from now on, but the cell stays
    // (its owner still sends its exit signals). Idempotent.
    void end_lookups(std::uint64_t serial);
    // The owner's end: no lookup succeeds afterwards; the owner's own reference is
    // dropped, so the cell is freed now or when the last handle goes.
    void retire(std::uint64_t serial);

    std::size_t capacity() const { return max_actors_; }
    // Calls f(serial) for every live actor at some moment during the walk.
    template <class F>
    void for_each_live(F&& f);

private:
    static constexpr int index_bits = 31;  // so max_actors < 2^31
    static constexpr std::uint64_t index_mask = (std::uint64_t{1} << index_bits) - 1;
    static constexpr std::uint64_t alive_bit = 1ull << 31;
    static constexpr std::uint64_t ref_mask = alive_bit - 1;
    static constexpr std::size_t chunk_bits = 16;
    static constexpr std::size_t chunk_size = std::size_t{1} << chunk_bits;

    slot* slot_at(std::uint32_t index) const;
    void release(slot* s);
    void recycle(slot* s);

    std::size_t max_actors_;
    std::unique_ptr<std::atomic<slot*>[]> chunks_;
    std::size_t chunk_count_;
    std::mutex mutex_;  // guards free_, next_fresh_ and chunk creation
    std::vector<std::uint32_t> free_;
    std::uint32_t next_fresh_ = 1;  // index 0 is never used: serial 0 means "no pid"
    std::uint32_t spawns_ = 0;      // the last spawn number given
};

template <class F>
void process_table::for_each_live(F&& f) {
    std::uint32_t end;
    {
        std::lock_guard guard(mutex_);
        end = next_fresh_;
    }
    for (std::uint32_t i = 1; i < end; ++i) {
        std::uint64_t st = slot_at(i)->state.load(std::memory_order_acquire);
        if (st & alive_bit) f((st >> 32) << index_bits | i);
    }
}

}  // namespace weft
