// node_numbers.hpp: the small numbers that pids, refs and ports print with,
// `<N.S.C>` (LANGUAGE.md, "Programs"): N is the node's place in this node's
// table (0 for itself, then 1, 2 ... in the order this node met the others),
// S the actor's serial, C the node's creation counted here: 0 for the first
// incarnation of that node this node met, 1 for the one after its restart...
//
// A pid itself carries the node's 32-bit id (a hash of its name) and its
// 32-bit random creation: right for routing, unreadable in print. The table
// turns them into numbers a person can compare at a glance. It grows only
// (a node that left keeps its number, so a pid prints the same for the
// whole run) and is only read when something is printed, never on the
// message path: a shared_mutex is enough.
#pragma once
#include <cstdint>
#include <shared_mutex>
#include <string>
#include <vector>

#include "serialize/ids.hpp"

namespace weft {

class node_numbers {
public:
    node_numbers(std::uint32_t self_node, std::uint32_t self_creation);

    // This node's own id changes once, when a runtime becomes a node
    // (before its first actor).
    void rename_self(std::uint32_t self_node);

    // N and C for a node, assigned on first sight.
    struct numbers {
        std::uint32_t node;
        std::uint32_t creation;
    };
    numbers of(std::uint32_t node, std::uint32_t creation);

    // "<N.S.C>" for a pid; "#Ref<N.S.C>" and "#Port<N.S.C>" for the others.
    std::string text(const pid& p);
    std::string text(const ref& r);
    std::string text(const port& p);
    void append(std::string& out, const pid& p);

private:
    struct known_node {
        std::uint32_t id;
        std::vector<std::uint32_t> creations;  // in the order met: C is the index
    };
    std::shared_mutex mutex_;
    std::vector<known_node> nodes_;  // N is the index; [0] is this node
};

// The serial's part that prints: a local serial is (spawn number << 31 |
// table slot) (actors/process_table.hpp), and S is the spawn number. Refs
// print their serial whole, less the timer bit.
constexpr std::uint64_t printed_serial(const pid& p) noexcept { return p.serial >> 31; }

// Without a table (a test's term, a value printed outside any runtime):
// the same shape, with the node's and creation's raw numbers.
void append_raw(std::string& out, const char* prefix, std::uint32_t node, std::uint64_t serial,
                std::uint32_t creation);

}  // namespace weft
