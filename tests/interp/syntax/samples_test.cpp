// samples_test.cpp: the sample programs under samples/ all parse, and the
// pong example of LANGUAGE.md has the shape it should.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/interp/syntax/test_util.hpp"

namespace weft::interp::test {
namespace {

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Samples, AllParse) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(WEFT_INTERP_SAMPLES_DIR)) {
        if (entry.path().extension() != ".weft") continue;
        ++count;
        const std::string src = read(entry.path());
        try {
            auto m = parse_module(src, entry.path().filename().string());
            EXPECT_FALSE(m->body.empty()) << entry.path();
        } catch (const syntax_error& e) {
            ADD_FAILURE() << format_syntax_error(e, src);
        }
    }
    EXPECT_GE(count, 4);
}

TEST(Samples, PongShape) {
    const std::string src = read(std::filesystem::path(WEFT_INTERP_SAMPLES_DIR) / "pong.weft");
    EXPECT_EQ(parse(src),
              "(def pong (params) (block (while True (block (receive (case (seq \"ping\" sender n) "
              "(block (expr (call send sender (tuple \"pong\" n))))) (case \"stop\" (block "
              "(return))))))))\n"
              "(def main (params args) (block (= p (call spawn pong)) (expr (call send p (tuple "
              "\"ping\" (call self) 1))) (receive (case (seq \"pong\" n) (block (expr (call print "
              "\"got pong\" n)))) (after 1000 (block (expr (call print \"no answer within a "
              "second\"))))) (expr (call send p \"stop\"))))");
}

}  // namespace
}  // namespace weft::interp::test
