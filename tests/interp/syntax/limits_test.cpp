// limits_test.cpp: hostile sizes and depths give clean errors, legal depth
// just under the limit parses, and the stack that takes is measured.
#include <gtest/gtest.h>
#include <pthread.h>

#include <cstring>
#include <functional>
#include <memory>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// `depth` nested if blocks with `body` innermost.
std::string blocks(int depth, const std::string& body) {
    std::string out;
    for (int i = 0; i < depth; ++i) out += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    return out + std::string(static_cast<std::size_t>(depth), ' ') + body + "\n";
}

const std::string too_deep = "too deeply nested (more than 200 levels)";

TEST(Limits, HundredThousandNestedBrackets) {
    EXPECT_EQ(error("x = " + repeat("(", 100000)), "1:205: " + too_deep);
    EXPECT_EQ(error("x = " + repeat("(", 100000) + "1" + repeat(")", 100000)), "1:205: " + too_deep);
    EXPECT_EQ(error(repeat("[", 100000)), "1:201: " + too_deep);
    EXPECT_EQ(error(repeat("{", 100000)), "1:201: " + too_deep);
    EXPECT_EQ(error(repeat("([{", 40000)), "1:201: " + too_deep);
    EXPECT_EQ(error("f" + repeat("(", 100000)), "1:201: " + too_deep);
}

TEST(Limits, DeepOperatorChains) {
    EXPECT_EQ(error("x = " + repeat("-", 100000) + "1"), "1:204: " + too_deep);
    EXPECT_EQ(error("x = " + repeat("not ", 100000) + "1"), "1:801: " + too_deep);
    EXPECT_EQ(error("x = 1" + repeat(" + 1", 100000)), "1:803: " + too_deep);
    EXPECT_EQ(error("x = a" + repeat(".b", 100000)), "1:" + std::to_string(5 + 2 * 199 + 1) + ": " + too_deep);
    EXPECT_EQ(error("x = f" + repeat("()", 100000)), "1:" + std::to_string(5 + 2 * 199 + 1) + ": " + too_deep);
    EXPECT_EQ(error("x = 2" + repeat("**2", 100000)).find(too_deep) != std::string::npos, true);
    EXPECT_EQ(error("x = " + repeat("lambda: ", 100000) + "1").find(too_deep) != std::string::npos, true);
    EXPECT_EQ(error("x = 1" + repeat(" if c else 1", 100000)).find(too_deep) != std::string::npos, true);
}

TEST(Limits, DeepPatterns) {
    const std::string src = "match s:\n  case " + repeat("[", 100000) + "\n";
    EXPECT_EQ(error(src), "2:208: " + too_deep);
    const std::string ors = "match s:\n  case " + repeat("(", 100000) + "\n";
    EXPECT_EQ(error(ors), "2:208: " + too_deep);
}

TEST(Limits, OneMegabyteLines) {
    const std::size_t mb = 1 << 20;
    // Legal: a 1 MB list literal, a 1 MB string, a 1 MB name.
    EXPECT_EQ(error("x = [" + repeat("1,", mb / 2) + "]"), "no error");
    EXPECT_EQ(error("x = '" + std::string(mb, 'a') + "'"), "no error");
    EXPECT_EQ(error(std::string(mb, 'n') + " = 1"), "no error");
    // Errors somewhere along a 1 MB line.
    EXPECT_EQ(error("x = '" + std::string(mb, 'a')), "1:5: unterminated string literal (detected at line 1)");
    EXPECT_EQ(error("x = [" + repeat("1,", mb / 2) + "$]"),
              "1:" + std::to_string(6 + mb) + ": invalid character '$' (U+0024)");
    EXPECT_EQ(error("x = [" + repeat("1,", mb / 2)), "1:5: '[' was never closed");
    EXPECT_EQ(error("x = " + repeat("(", mb)), "1:205: " + too_deep);
    EXPECT_EQ(error(repeat("x = 1 ", mb / 6)), "1:7: invalid syntax: unexpected name 'x'");
}

TEST(Limits, LongFlatProgramsAreFine) {
    // A 100,000-arm elif chain is flat in the AST, so it parses and is freed
    // without deep recursion.
    std::string src = "if x == 0:\n    pass\n";
    for (int i = 1; i < 100000; ++i) src += "elif x == " + std::to_string(i) + ":\n    pass\n";
    auto m = parse_module(src, "t.weft");
    ASSERT_EQ(m->body.size(), 1u);
    EXPECT_EQ(m->body[0]->as<ast::if_stmt>().branches.size(), 100000u);
    std::string many;
    for (int i = 0; i < 100000; ++i) many += "x = f(x, " + std::to_string(i) + ")\n";
    EXPECT_EQ(parse_module(many, "t.weft")->body.size(), 100000u);
}

// Runs fn on a thread whose 16 MB stack is painted first, and returns how many
// bytes of it fn touched.
std::size_t stack_used_by(const std::function<void()>& fn) {
    constexpr std::size_t size = 16u << 20;
    std::unique_ptr<unsigned char[]> raw(new unsigned char[size + 4096]);
    auto* base = reinterpret_cast<unsigned char*>(
        (reinterpret_cast<std::uintptr_t>(raw.get()) + 4095) & ~std::uintptr_t{4095});
    std::memset(base, 0xA5, size);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, base, size);
    pthread_t t;
    auto trampoline = [](void* arg) -> void* {
        (*static_cast<const std::function<void()>*>(arg))();
        return nullptr;
    };
    if (pthread_create(&t, &attr, trampoline, const_cast<std::function<void()>*>(&fn)) != 0) {
        pthread_attr_destroy(&attr);
        return 0;
    }
    pthread_join(t, nullptr);
    pthread_attr_destroy(&attr);
    std::size_t untouched = 0;
    while (untouched < size && base[untouched] == 0xA5) ++untouched;
    return size - untouched;
}

TEST(Limits, StackUseAtTheNestingLimit) {
    struct shape {
        const char* name;
        std::string src;
    };
    const shape shapes[] = {
        {"parens", "x = " + repeat("(", 199) + "1" + repeat(")", 199)},
        {"lists", "x = " + repeat("[", 199) + repeat("]", 199)},
        {"calls", "x = " + repeat("f(", 99) + repeat(")", 99)},
        {"unary", "x = " + repeat("-", 198) + "1"},
        {"lambdas", "x = " + repeat("lambda: ", 198) + "1"},
        {"patterns", "match s:\n  case " + repeat("[", 199) + repeat("]", 199) + ": pass\n"},
        {"fstring", "x = " + repeat("(", 190) + "f'{" + repeat("(", 5) + "1" + repeat(")", 5) +
                        "}'" + repeat(")", 190)},
        {"blocks", blocks(99, "x = " + repeat("(", 195) + "1" + repeat(")", 195))},
    };
    std::size_t worst = 0;
    for (const shape& s : shapes) {
        std::string result;
        const std::size_t used = stack_used_by([&] { result = error(s.src); });
        EXPECT_EQ(result, "no error") << s.name;
        std::printf("[ stack    ] %-9s %6zu KB at the nesting limit\n", s.name, used / 1024);
        worst = std::max(worst, used);
    }
    // parser.hpp promises at most 512 KB (768 KB under AddressSanitizer; under
    // ThreadSanitizer frames are about twice their size, 2 MB is the bound there).
#if defined(__SANITIZE_ADDRESS__)
    EXPECT_LT(worst, std::size_t{768} << 10);
#elif defined(__SANITIZE_THREAD__)
    EXPECT_LT(worst, std::size_t{2048} << 10);
#else
    EXPECT_LT(worst, std::size_t{512} << 10);
#endif
}

}  // namespace
}  // namespace weft::interp::test
