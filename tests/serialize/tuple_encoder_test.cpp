// tuple_of(...) must write exactly the words encode(term) writes for the same value.
#include "serialize/tuple_encoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "serialize/codec.hpp"
#include "serialize/term.hpp"

namespace weft {
namespace {

std::vector<std::uint64_t> words_of(const envelope& e) { return {e.words().begin(), e.words().end()}; }

struct envelopes {
    envelope* a = envelope::acquire();
    envelope* b = envelope::acquire();
    ~envelopes() {
        envelope::release(a);
        envelope::release(b);
    }
};

template <class... Args>
void expect_same_words(const term& expected, const Args&... args) {
    envelopes env;
    encode(expected, *env.a);
    encode(tuple_of(args...), *env.b);
    EXPECT_EQ(words_of(*env.a), words_of(*env.b)) << expected.repr();
    EXPECT_EQ(decode(*env.b), expected);
}

TEST(TupleEncoder, SameWordsAsTheTermCodec) {
    pid p{0x1234, 7, 99};
    ref r{0x1234, 7, 100};
    expect_same_words(term::tuple({term::str("ping"), term(p), term(42)}), "ping", p, 42);
    expect_same_words(term::tuple({term(-5), term(true), term(false), term(2.5)}), -5, true, false, 2.5);
    expect_same_words(term::tuple({term(), term(r), term::str("")}), nullptr, r, std::string_view(""));
    expect_same_words(term::tuple({term::str("exactly8"), term::str("sixteen chars!!!")}), std::string("exactly8"),
                      "sixteen chars!!!");
    expect_same_words(term::tuple({term(std::int64_t{1} << 62)}), std::int64_t{1} << 62);
}

TEST(TupleEncoder, LongStringsGoByReference) {
    std::string long_text(100, 'z');
    envelopes env;
    encode(tuple_of("data", long_text), *env.b);
    ASSERT_EQ(env.b->binaries().size(), 1u);
    EXPECT_EQ(env.b->binaries()[0]->use_count(), 1) << "only the envelope holds it";
    EXPECT_EQ(decode(*env.b), term::tuple({term::str("data"), term::str(long_text)}));
}

TEST(TupleEncoder, ReusedEnvelopeStartsClean) {
    envelopes env;
    encode(tuple_of(std::string(200, 'a')), *env.b);
    encode(tuple_of(1, 2), *env.b);
    EXPECT_EQ(env.b->binaries().size(), 0u);
    EXPECT_EQ(decode(*env.b), term::tuple({term(1), term(2)}));
}

}  // namespace
}  // namespace weft
