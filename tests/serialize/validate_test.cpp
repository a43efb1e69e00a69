// validate_test.cpp: validate() against malformed, hostile and mutated words.
//
// Every rejection must name what is wrong and where; nothing may crash or
// hang; and whatever passes must decode and view without a crash (ASan runs
// this suite too).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serialize/codec.hpp"
#include "serialize/layout.hpp"
#include "serialize/term_view.hpp"
#include "serialize/validate.hpp"
#include "support.hpp"

using namespace weft;
using namespace weft::test;
using namespace weft::layout;
using ::testing::HasSubstr;

namespace {

std::vector<std::uint64_t> encoded(const term& t, std::size_t* binaries = nullptr) {
    scoped_envelope env;
    encode(t, *env);
    if (binaries) *binaries = env->binaries().size();
    return {env->words().begin(), env->words().end()};
}

term ping() { return term::tuple({term::str("ping"), term(pid{1, 2, 3}), term(42)}); }

// ping()'s words: 0 root, 1..3 the tuple Term, 4 list tag, 5..7 "ping" Term,
// 8..10 pid Term, 11..13 int Term, 14 the text, 15..16 the pid.
std::string rejection(const std::vector<std::uint64_t>& w, std::size_t binaries = 0, validate_limits limits = {}) {
    auto err = validate(w, binaries, limits);
    return err ? err->message : std::string("(accepted)");
}

TEST(Validate, AcceptsWhatWeEncode) {
    EXPECT_EQ(rejection(encoded(ping())), "(accepted)");
    EXPECT_EQ(encoded(ping()).size(), 17u);
}

TEST(Validate, RejectsEveryTruncation) {
    auto w = encoded(ping());
    for (std::size_t n = 1; n < w.size(); ++n) {
        std::vector<std::uint64_t> cut(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_THAT(rejection(cut), HasSubstr("out of bounds")) << n << " words";
    }
}

TEST(Validate, RejectsOutOfRangePointers) {
    auto w = encoded(ping());
    w[0] = struct_pointer(1000, 2, 1);
    EXPECT_EQ(rejection(w), "word 0: root pointer out of bounds (target word 1001, 3 words; message has 17)");
    w = encoded(ping());
    w[7] = list_pointer(-100, elem_byte, 5);  // "ping" pointing before the message
    EXPECT_THAT(rejection(w), HasSubstr("word 7: str pointer out of bounds (target word -92"));
    w = encoded(ping());
    w[3] = list_pointer(0, elem_composite, 1u << 28);  // a list longer than the message
    EXPECT_THAT(rejection(w), HasSubstr("word 3: tuple pointer out of bounds"));
}

TEST(Validate, RejectsWrongPointerKinds) {
    auto w = encoded(ping());
    w[3] = struct_pointer(0, 2, 1);  // the tuple's list pointer as a struct pointer
    EXPECT_EQ(rejection(w), "word 3: struct pointer where tuple needs a list pointer");
    w = encoded(ping());
    w[10] = list_pointer(4, elem_byte, 16);  // the pid as a list
    EXPECT_EQ(rejection(w), "word 10: list pointer where pid needs a struct pointer");
    w = encoded(ping());
    w[7] = (w[7] & ~std::uint64_t(3)) | far_kind;
    EXPECT_THAT(rejection(w), HasSubstr("word 7: far pointer for str (only single-segment"));
    w = encoded(ping());
    w[10] = other_kind;  // a capability
    EXPECT_EQ(rejection(w), "word 10: capability pointer where pid needs a struct pointer");
    w = encoded(ping());
    w[7] = list_pointer(6, elem_four, 2);  // str as a list of UInt32
    EXPECT_EQ(rejection(w), "word 7: str must be a list of bytes (element size code 4)");
    w = encoded(ping());
    w[3] = list_pointer(0, elem_eight, 9);  // tuple of Int64s
    EXPECT_EQ(rejection(w), "word 3: tuple must be a list of structs (element size code 5)");
    w = encoded(ping());
    w[4] = list_pointer(0, elem_byte, 3);  // composite tag that is not a struct tag
    EXPECT_EQ(rejection(w), "word 4: tuple list tag is not a struct tag");
}

TEST(Validate, RejectsBadShapes) {
    auto w = encoded(ping());
    w[5] = 99;
    EXPECT_EQ(rejection(w), "word 5: bad Term discriminant 99 (valid: 0..17)");
    w = encoded(ping());
    w[14] = 0x6767676767676767ull;  // "gggggggg" over "ping\0"
    w[7] = list_pointer(6, elem_byte, 8);
    EXPECT_EQ(rejection(w), "word 7: str is not NUL-terminated");
    w = encoded(ping());
    w[7] = list_pointer(6, elem_byte, 0);
    EXPECT_EQ(rejection(w), "word 7: str is not NUL-terminated");
    w = encoded(ping());
    w[4] = composite_tag(4, 2, 1);  // 4 elements in 9 words
    EXPECT_EQ(rejection(w), "word 4: tuple elements overrun the list (4 elements in 9 words)");
    w = encoded(ping());
    w[4] = composite_tag(3, 1, 1);
    EXPECT_THAT(rejection(w), HasSubstr("word 4: tuple elements too small (1 data words, 1 pointers; needs 2 and 1)"));
    w = encoded(ping());
    w[10] = struct_pointer(4, 1, 0);
    EXPECT_THAT(rejection(w), HasSubstr("word 10: pid struct too small"));
    w = encoded(ping());
    w[0] = struct_pointer(0, 1, 1);
    EXPECT_THAT(rejection(w), HasSubstr("word 0: root struct too small"));
}

TEST(Validate, RejectsUnnormalizedBignums) {
    auto bignum_message = [](std::vector<std::uint8_t> data) {
        std::vector<std::uint64_t> w = {root_pointer, tag_bignum, 0, list_pointer(0, elem_byte, data.size()), 0, 0};
        std::memcpy(&w[4], data.data(), data.size());
        return w;
    };
    EXPECT_EQ(rejection(bignum_message({0, 1, 2, 3, 4, 5, 6, 7, 8, 9})), "(accepted)");
    EXPECT_EQ(rejection(bignum_message({0, 5})), "word 3: bignum fits in an int (writers must use int)");
    EXPECT_EQ(rejection(bignum_message({1, 0, 0, 0, 0, 0, 0, 0, 0x80})),
              "word 3: bignum fits in an int (writers must use int)");  // -2^63
    EXPECT_EQ(rejection(bignum_message({0, 0, 0, 0, 0, 0, 0, 0, 0x80})), "(accepted)");  // 2^63
    EXPECT_EQ(rejection(bignum_message({2, 1, 2, 3, 4, 5, 6, 7, 8, 9})), "word 3: bignum sign byte must be 0 or 1");
    EXPECT_EQ(rejection(bignum_message({0, 1, 2, 3, 4, 5, 6, 7, 8, 0})),
              "word 3: bignum magnitude has high zero bytes");
    EXPECT_EQ(rejection(bignum_message({0})), "word 3: bignum needs a sign byte and a magnitude");
}

TEST(Validate, RejectsSharedIndexOutOfRange) {
    std::size_t binaries = 0;
    auto w = encoded(term::list({term::str(std::string(100, 'x')), term::bytes(std::string(64, 'y'))}), &binaries);
    ASSERT_EQ(binaries, 2u);
    EXPECT_EQ(rejection(w, 2), "(accepted)");
    EXPECT_EQ(rejection(w, 1), "word 9: shared binary index 1 out of range (the envelope has 1)");
    EXPECT_EQ(rejection(w, 0), "word 6: shared binary index 0 out of range (the envelope has 0)");
}

// 1000 list Terms all pointing at one 1000-element list: 6 K words that read as 3 M.
TEST(Validate, RejectsATraversalBomb) {
    constexpr std::size_t k = 1000, m = 1000;
    std::vector<std::uint64_t> w(5 + 3 * k + 1 + 3 * m, 0);
    w[0] = root_pointer;
    w[1] = tag_tuple;
    w[3] = list_pointer(0, elem_composite, 3 * k);
    w[4] = composite_tag(k, 2, 1);
    std::size_t inner = 5 + 3 * k;
    for (std::size_t j = 0; j < k; ++j) {
        std::size_t at = 5 + 3 * j;
        w[at] = tag_list;
        w[at + 2] = list_pointer(std::int64_t(inner) - std::int64_t(at + 2) - 1, elem_composite, 3 * m);
    }
    w[inner] = composite_tag(m, 2, 1);
    for (std::size_t j = 0; j < m; ++j) w[inner + 1 + 3 * j] = tag_int;
    EXPECT_THAT(rejection(w), HasSubstr("traversal limit exceeded"));
    validate_limits roomy;
    roomy.traversal_factor = 1000;
    EXPECT_EQ(rejection(w, 0, roomy), "(accepted)");  // the bomb is otherwise well formed
}

TEST(Validate, RejectsCycles) {
    // A list whose only element is a list pointing back at the outer list.
    std::vector<std::uint64_t> w = {root_pointer, tag_list, 0, list_pointer(0, elem_composite, 3),
                                    composite_tag(1, 2, 1), tag_list, 0, list_pointer(-4, elem_composite, 3)};
    EXPECT_THAT(rejection(w), HasSubstr("traversal limit exceeded"));
    // A dict whose key points at its own Term.
    std::vector<std::uint64_t> d = {root_pointer, tag_dict, 0, list_pointer(0, elem_composite, 2),
                                    composite_tag(1, 0, 2), struct_pointer(-5, 2, 1), 0};
    EXPECT_THAT(rejection(d), HasSubstr("traversal limit exceeded"));
}

TEST(Validate, NestingLimit) {
    validate_limits limits;
    limits.max_nesting = 100;
    EXPECT_EQ(rejection(encoded(nested_list(100)), 0, limits), "(accepted)");
    EXPECT_THAT(rejection(encoded(nested_list(101)), 0, limits), HasSubstr("nesting deeper than the limit of 100"));
    EXPECT_EQ(rejection(encoded(nested_list(10'000))), "(accepted)");
    EXPECT_EQ(rejection(encoded(nested_list(100'000))), "(accepted)");
    EXPECT_THAT(rejection(encoded(nested_list(100'001))), HasSubstr("nesting deeper than the limit of 100000"));
}

// Random damage to valid encodings: validate must never crash, and whatever it
// accepts must decode, view and print without a crash.
TEST(Validate, SurvivesRandomMutations) {
    random_terms gen(2024);
    std::mt19937_64& rng = gen.rng();
    std::vector<std::vector<std::uint64_t>> bases;
    std::vector<std::size_t> bin_counts;
    std::vector<scoped_envelope> keep(40);  // keeps the shared binaries alive
    for (auto& env : keep) {
        encode(term::list({gen.make(4), ping()}), *env);
        bases.emplace_back(env->words().begin(), env->words().end());
    }
    int accepted = 0, rejected = 0;
    for (int round = 0; round < 5000; ++round) {
        std::size_t which = rng() % bases.size();
        std::vector<std::uint64_t> w = bases[which];
        for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
            std::size_t i = rng() % w.size();
            switch (rng() % 5) {
                case 0: w[i] ^= std::uint64_t(1) << (rng() % 64); break;  // a bit
                case 1: w[i] = rng(); break;                                // a whole word
                case 2: w[i] += (rng() % 9) - 4; break;                     // a small offset change
                case 3: w[i] ^= std::uint64_t(rng() % 256) << (8 * (rng() % 8)); break;  // a byte
                default: w.resize(rng() % (w.size() + 1)); i = 0; break;               // truncation
            }
            if (w.empty()) break;
        }
        auto binaries = keep[which]->binaries();
        if (validate(w, binaries.size())) {
            ++rejected;
            continue;
        }
        ++accepted;
        term t = decode(w, binaries);
        EXPECT_TRUE(term_view::root(w, binaries) == t);
        (void)t.repr();
    }
    EXPECT_GT(accepted, 100);
    EXPECT_GT(rejected, 1000);
}

}  // namespace
