// frame_corpus_test.cpp: the fuzzer's committed seeds still decode.
//
// The seeds (tests/fuzz/frame_corpus, from frame_corpus_gen) are valid frame
// streams; a change of the schema or the decoder that broke them would leave
// the fuzzer starting from garbage, so each must still decode cleanly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/cluster/wire_support.hpp"
#include "tests/fuzz/frame_fuzz_limits.hpp"

namespace weft::test {
namespace {

TEST(FrameCorpus, EverySeedDecodesCleanly) {
    std::size_t seeds = 0;
    for (const auto& entry : std::filesystem::directory_iterator(WEFT_FRAME_CORPUS_DIR)) {
        std::ifstream f(entry.path(), std::ios::binary);
        std::vector<char> raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        frame_decoder d(fuzz_frame_limits());
        d.feed(std::as_bytes(std::span<const char>(raw)));
        EXPECT_FALSE(d.failed()) << entry.path() << ": " << d.failure();
        EXPECT_GT(d.ready(), 0u) << entry.path();
        EXPECT_EQ(d.buffered_bytes(), 0u) << entry.path();
        EXPECT_EQ(d.lanes_in_flight(), 0u) << entry.path();
        ++seeds;
    }
    EXPECT_GE(seeds, 12u);
}

}  // namespace
}  // namespace weft::test
