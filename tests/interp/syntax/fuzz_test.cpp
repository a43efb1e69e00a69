// fuzz_test.cpp: random bytes, random token soups and mutated sample programs
// (fixed seeds, so failures reproduce) must each parse or give a syntax_error:
// never crash, hang, or throw anything else. The error report is rendered too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

// Parses `src`; fails the test on anything but success or a syntax_error.
void survive(const std::string& src) {
    try {
        auto m = parse_module(src, "fuzz.weft");
        (void)to_sexpr(*m);
    } catch (const syntax_error& e) {
        const std::string report = format_syntax_error(e, src);
        ASSERT_FALSE(report.empty());
        ASSERT_GE(e.line(), 1u);
        ASSERT_GE(e.col(), 1u);
    } catch (const std::exception& e) {
        FAIL() << "unexpected exception " << e.what() << " for input: " << src;
    }
}

TEST(Fuzz, RandomBytes) {
    std::mt19937 rng(12345);
    // Mostly the bytes that matter to a lexer, sometimes anything at all.
    const std::string interesting = " \t\n\r\\'\"#()[]{}:,.;=+-*/%<>!&|^~@_0123456789abexfjrunoxX{}";
    for (int i = 0; i < 3000; ++i) {
        std::string src;
        const int len = static_cast<int>(rng() % 120);
        for (int k = 0; k < len; ++k) {
            if (rng() % 4 == 0) {
                src += static_cast<char>(rng() % 256);
            } else {
                src += interesting[rng() % interesting.size()];
            }
        }
        survive(src);
        if (HasFatalFailure()) return;
    }
}

TEST(Fuzz, RandomTokenSoup) {
    std::mt19937 rng(777);
    const std::vector<std::string_view> words{
        "x", "y", "_", "f", "int", "tuple", "1", "0x1f", "2.5", "1e3", "'s'", "\"t\"", "b'b'",
        "f'{x}'", "f'{x!r:>{w}}'", "'''m\nl'''", "None", "True", "False", "and", "or", "not",
        "in", "is", "if", "elif", "else", "while", "for", "def", "return", "lambda", "try",
        "except", "finally", "raise", "assert", "match", "case", "receive", "after", "as",
        "import", "pass", "break", "continue", "(", ")", "[", "]", "{", "}", ":", ",", ".",
        ";", "=", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "**", "/", "//", "%", "|",
        "&", "^", "~", "<<", ">>", "+=", "-=", "->", "@", "\n", "\n", "\n    ", "\n        ",
        "\n  ", "#c\n", "\\\n", "*rest", "(a, b)", "[1, 2]", "{'k': v}", "f(x)", "a[1:2]",
        "\t", "\n\t",
    };
    for (int i = 0; i < 3000; ++i) {
        std::string src;
        const int len = static_cast<int>(rng() % 40);
        for (int k = 0; k < len; ++k) {
            src += words[rng() % words.size()];
            if (rng() % 2) src += ' ';
        }
        survive(src);
        if (HasFatalFailure()) return;
    }
}

TEST(Fuzz, MutatedSamples) {
    std::mt19937 rng(4242);
    std::vector<std::string> samples;
    for (const auto& entry : std::filesystem::directory_iterator(WEFT_INTERP_SAMPLES_DIR)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        samples.push_back(ss.str());
    }
    ASSERT_FALSE(samples.empty());
    const std::string pool = " \n\t()[]{}:,'\"\\#*=.x1f";
    for (int i = 0; i < 1500; ++i) {
        std::string src = samples[rng() % samples.size()];
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits && !src.empty(); ++e) {
            const std::size_t at = rng() % src.size();
            switch (rng() % 3) {
                case 0: src.erase(at, 1 + rng() % 3); break;
                case 1: src.insert(at, 1, pool[rng() % pool.size()]); break;
                default: src[at] = static_cast<char>(rng() % 256); break;
            }
        }
        survive(src);
        if (HasFatalFailure()) return;
    }
}

}  // namespace
}  // namespace weft::interp::test
