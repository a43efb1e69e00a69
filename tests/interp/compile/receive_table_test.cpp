// receive_table_test.cpp: the receive tables the compiler leaves for the VM,
// in particular which cases need a value a message must carry (the receive
// marker's condition: `case (..., r, ...) if r == ref` for a local `ref`).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "interp/compile/code.hpp"
#include "interp/load/loader.hpp"

namespace weft::interp {
namespace {

const recv_table& table_of(const program& p, const std::string& function) {
    for (std::size_t i = 0; i < p.proto_count(); ++i)
        if (p.proto_by_id(std::uint32_t(i)).name == function) return p.proto_by_id(std::uint32_t(i)).receives.at(0);
    throw std::runtime_error("no function " + function);
}

std::unique_ptr<program> load(const std::string& body) {
    return load_program_source("t.weft", "def f(ref, other):\n" + body, {});
}

TEST(ReceiveTable, ACallsReplyNeedsItsRef) {
    auto p = load("    receive:\n"
                  "        case (\"reply\", r, v) if r == ref:\n            return v\n"
                  "        case (\"DOWN\", m, _, why) if ref == m and why != 1:\n            return why\n"
                  "    after 10:\n        return None\n");
    const recv_table& t = table_of(*p, "f");
    EXPECT_TRUE(t.all_need_values);
    EXPECT_EQ(t.cases[0].needs_reg, 0);  // `ref` is the first parameter's register
    EXPECT_EQ(t.cases[1].needs_reg, 0);
}

TEST(ReceiveTable, WhatDoesNotProveTheValueIsInTheMessage) {
    const char* cases[] = {
        // a case without a guard
        "        case (\"reply\", r, v) if r == ref:\n            pass\n        case x:\n            pass\n",
        // `or`, `!=`, and a comparison with something that is not a local name
        "        case (\"reply\", r) if r == ref or r == other:\n            pass\n",
        "        case (\"reply\", r) if r != ref:\n            pass\n",
        "        case (\"reply\", r) if r == 1:\n            pass\n",
        // the local is a capture of another case: its value may change before the guard
        "        case (\"reply\", r) if r == ref:\n            pass\n        case (\"ref\", ref):\n            pass\n",
        // both sides are captures
        "        case (\"pair\", a, b) if a == b:\n            pass\n",
    };
    for (const char* c : cases) {
        auto p = load(std::string("    receive:\n") + c);
        EXPECT_FALSE(table_of(*p, "f").all_need_values) << c;
    }
}

}  // namespace
}  // namespace weft::interp
