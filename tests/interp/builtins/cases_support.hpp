// cases_support.hpp: runs a table of Weft expressions as one program and
// checks what each prints: repr(value), or "ERR " and the exception's repr.
// Used by the builtin and method case tables (*_cases_test.cpp), whose
// expectations come from CPython 3.11.
#pragma once
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "interp/load/loader.hpp"

namespace weft::interp::test {

struct expr_case {
    const char* expr;
    const char* expected;
};

// One try/except per case, so one failing case cannot hide the others.
inline std::string cases_program(std::span<const expr_case> cases) {
    std::string src;
    for (const expr_case& c : cases) {
        src += "try:\n    print(repr(";
        src += c.expr;
        src += "))\nexcept Exception as e:\n    print(\"ERR\", repr(e))\n";
    }
    return src;
}

// `first_block_bytes`: a tiny first heap block makes the heap collect on
// almost every allocation, so a value a builtin forgot to root shows.
inline void check_cases(std::span<const expr_case> cases, std::size_t first_block_bytes = 512) {
    std::string out;
    load_options opts;
    opts.out = [&](std::string_view s, bool) { out += s; };
    opts.heap.first_block_bytes = first_block_bytes;
    try {
        load_program_source("cases.weft", cases_program(cases), opts);
    } catch (const load_error& e) {
        FAIL() << "the case program did not run:\n" << e.report << "\noutput so far:\n" << out;
    }
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < out.size();) {
        std::size_t nl = out.find('\n', start);
        if (nl == std::string::npos) nl = out.size();
        lines.push_back(out.substr(start, nl - start));
        start = nl + 1;
    }
    ASSERT_EQ(lines.size(), cases.size()) << out;
    for (std::size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(lines[i], cases[i].expected) << "for " << cases[i].expr;
}

}  // namespace weft::interp::test
