// node_numbers_test.cpp: pids print as <N.S.C> with small numbers.
#include "serialize/node_numbers.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "serialize/term.hpp"

namespace weft {
namespace {

constexpr std::uint64_t serial(std::uint64_t spawn_number, std::uint64_t slot) { return spawn_number << 31 | slot; }

TEST(NodeNumbers, ThisNodeIsZeroAndOthersCountInTheOrderMet) {
    node_numbers n(0xabcdef, 0x12345678);
    EXPECT_EQ(n.text(pid{0xabcdef, 0x12345678, serial(5, 77)}), "<0.5.0>");
    EXPECT_EQ(n.text(pid{0x999, 0x42, serial(1, 1)}), "<1.1.0>");
    EXPECT_EQ(n.text(pid{0x777, 0x43, serial(3, 9)}), "<2.3.0>");
    EXPECT_EQ(n.text(pid{0x999, 0x42, serial(8, 2)}), "<1.8.0>") << "a known node keeps its number";
}

TEST(NodeNumbers, ARestartedNodeKeepsItsNumberWithTheNextCreation) {
    node_numbers n(1, 1);
    EXPECT_EQ(n.text(pid{2, 0xdead, serial(4, 4)}), "<1.4.0>");
    EXPECT_EQ(n.text(pid{2, 0xbeef, serial(4, 4)}), "<1.4.1>");
    EXPECT_EQ(n.text(pid{2, 0xdead, serial(4, 4)}), "<1.4.0>") << "the earlier life still prints as before";
}

TEST(NodeNumbers, RenamingSelfKeepsZero) {
    node_numbers n(1, 7);
    n.rename_self(99);
    EXPECT_EQ(n.text(pid{99, 7, serial(2, 2)}), "<0.2.0>");
    EXPECT_EQ(n.text(pid{1, 7, serial(2, 2)}), "<1.2.0>") << "the old id is another node now";
}

TEST(NodeNumbers, RefsAndPortsDropTheirFlagBits) {
    node_numbers n(1, 1);
    EXPECT_EQ(n.text(ref{1, 1, 12 | (std::uint64_t{1} << 63)}), "#Ref<0.12.0>");
    EXPECT_EQ(n.text(port{1, 1, 6 | (std::uint64_t{3} << 56)}), "#Port<0.6.0>");
}

TEST(NodeNumbers, TermsPrintWithTheTable) {
    node_numbers n(5, 6);
    term t = term::tuple({term(pid{5, 6, serial(3, 1)}), term(pid{8, 9, serial(4, 1)})});
    EXPECT_EQ(t.repr(&n), "(<0.3.0>, <1.4.0>)");
}

TEST(NodeNumbers, ManyThreadsAgreeOnEachNodesNumber) {
    node_numbers n(1, 1);
    std::vector<std::thread> threads;
    std::vector<std::string> seen(8);
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (std::uint32_t node = 100; node < 200; ++node) (void)n.of(node, 1);
            seen[t] = n.text(pid{150, 1, serial(1, 1)});
        });
    for (auto& t : threads) t.join();
    for (const std::string& s : seen) EXPECT_EQ(s, seen[0]);
    EXPECT_EQ(n.of(199, 1).node - n.of(100, 1).node, 99u) << "each node got one number";
}

}  // namespace
}  // namespace weft
