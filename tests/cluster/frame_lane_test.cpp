// frame_lane_test.cpp: large messages cut into lanes and reassembled.
//
// A 100 MB envelope goes out as a head and chunk frames of at most 64 KiB,
// interleaved with small frames that arrive whole and in their order before
// it is done; several lanes interleave; messages of one pair of actors keep
// their order around a large one; chunks straddle the term, the binaries'
// lengths and their bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cluster/wire_support.hpp"

namespace weft::test {
namespace {

frame_limits small_lanes() {
    frame_limits l;
    l.large_threshold = 256;
    l.fragment_bytes = 1024;
    return l;
}

std::int64_t small_value(const frame& f) { return decode(*std::get<envelope_frame>(f).env).as_int(); }

TEST(FrameLanes, HundredMegabyteEnvelopeInterleavedWithSmallFrames) {
    const std::size_t size = std::size_t(100) << 20;
    shared_binary* blob = shared_binary::make_uninitialized(size);
    for (std::size_t i = 0; i + 8 <= size; i += 8) {
        std::uint64_t v = i * 0x9e3779b97f4a7c15ull;
        std::memcpy(blob->mutable_data() + i, &v, 8);
    }
    term value = term::tuple({term::str("blob"), term::shared_bytes(blob)});
    const pid big_from{1, 1, 100}, small_from{1, 1, 200};

    frame_encoder enc;
    encoded_message m = enc.encode(envelope_frame{pid{2, 1, 1}, make_envelope(value, 0, big_from)});
    ASSERT_TRUE(m.rest);
    EXPECT_GT(m.rest->body_bytes(), size);
    bytes stream;
    stream.reserve(size + (size >> 4));
    append(stream, m.first);
    std::int64_t smalls = 0;
    std::size_t chunks = 0;
    while (!m.rest->done()) {
        // The writer's choice: two small frames, then one chunk.
        for (int k = 0; k < 2; ++k)
            append(stream, stream_of(enc.encode(envelope_frame{pid{2, 1, 2}, make_envelope(term(smalls++), 0, small_from)})));
        encoded_frame chunk = m.rest->next_chunk();
        ASSERT_LE(chunk.size(), std::size_t(64) << 10);
        append(stream, chunk);
        ++chunks;
    }
    EXPECT_GE(chunks, size / (std::size_t(64) << 10));

    frame_decoder d;
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::size_t> piece(1, std::size_t(256) << 10);
    std::vector<frame> frames;
    std::uint64_t most_in_flight = 0;
    std::span<const std::byte> in = stream;
    while (!in.empty()) {
        std::size_t n = std::min(in.size(), piece(rng));
        d.feed(in.first(n));
        in = in.subspan(n);
        most_in_flight = std::max(most_in_flight, d.bytes_in_flight());
        while (auto f = d.pop()) frames.push_back(std::move(*f));
    }
    ASSERT_FALSE(d.failed()) << d.failure();
    EXPECT_EQ(most_in_flight, m.rest->body_bytes());
    EXPECT_EQ(d.bytes_in_flight(), 0u);
    ASSERT_EQ(frames.size(), std::size_t(smalls) + 1);
    // Every small frame came out whole, in order, before the big one was done.
    for (std::int64_t i = 0; i < smalls; ++i) EXPECT_EQ(small_value(frames[std::size_t(i)]), i);
    auto& big = std::get<envelope_frame>(frames.back());
    EXPECT_EQ(big.env->from, big_from);
    ASSERT_EQ(big.env->binaries().size(), 1u);
    ASSERT_EQ(big.env->binaries()[0]->size(), size);
    EXPECT_EQ(std::memcmp(big.env->binaries()[0]->data(), blob->data(), size), 0);
    EXPECT_EQ(decode(*big.env), value);
    blob->release();
}

TEST(FrameLanes, ChunksStraddleTermLengthsAndBinaries) {
    // 300 binaries of uneven sizes behind a term of many words, in chunks of
    // under 1 KiB: every boundary falls somewhere odd.
    std::vector<term> items;
    for (int i = 0; i < 300; ++i) {
        shared_binary* b = shared_binary::make(random_bytes(64 + std::size_t(i * 37 % 301), std::uint64_t(i)));
        items.push_back(term::shared_bytes(b));
        items.push_back(term(i));
        b->release();
    }
    term value = term::list(std::move(items));
    frame_encoder enc(small_lanes());
    bytes stream = stream_of(enc.encode(envelope_frame{pid{1, 1, 1}, make_envelope(value)}));
    for (std::size_t piece : {std::size_t(1), std::size_t(13), std::size_t(4096)}) {
        frame_decoder d(small_lanes());
        auto frames = decode_in_pieces(d, stream, [&] { return piece; });
        ASSERT_FALSE(d.failed()) << d.failure();
        ASSERT_EQ(frames.size(), 1u);
        auto& e = *std::get<envelope_frame>(frames[0]).env;
        EXPECT_EQ(e.binaries().size(), 300u);
        EXPECT_EQ(decode(e), value);
    }
}

TEST(FrameLanes, LargeTermWordsTravelInTheBody) {
    std::vector<term> items;
    for (int i = 0; i < 50'000; ++i) items.push_back(term::tuple({term(i), term(-i)}));
    term value = term::list(std::move(items));
    frame_encoder enc;
    encoded_message m = enc.encode(envelope_frame{std::string("sink"), make_envelope(value, 0, pid{4, 4, 4})});
    ASSERT_TRUE(m.rest);
    bytes stream;
    append(stream, m.first);
    while (!m.rest->done()) append(stream, m.rest->next_chunk());
    auto frames = decode_all(stream);
    ASSERT_EQ(frames.size(), 1u);
    auto& got = std::get<envelope_frame>(frames[0]);
    EXPECT_EQ(std::get<std::string>(got.to), "sink");
    EXPECT_EQ(got.env->binaries().size(), 0u);
    EXPECT_EQ(decode(*got.env), value);
}

TEST(FrameLanes, InterleavedLanesEachReassemble) {
    frame_encoder enc(small_lanes());
    std::vector<term> values;
    std::vector<encoded_message> messages;
    bytes stream;
    for (std::uint64_t i = 0; i < 5; ++i) {
        values.push_back(term::tuple({term(std::int64_t(i)), term::bytes(random_bytes(2000 + 500 * i, i))}));
        // Different senders: no order between them.
        messages.push_back(enc.encode(envelope_frame{pid{2, 1, 1}, make_envelope(values.back(), 0, pid{1, 1, 10 + i})}));
        ASSERT_TRUE(messages.back().rest);
        append(stream, messages.back().first);
    }
    EXPECT_NE(messages[0].rest->lane(), messages[1].rest->lane());
    bool any = true;
    while (any) {
        any = false;
        for (auto& m : messages)
            if (!m.rest->done()) {
                append(stream, m.rest->next_chunk());
                any = true;
            }
    }
    frame_decoder d(small_lanes());
    auto frames = decode_in_pieces(d, stream, [] { return std::size_t(100); });
    ASSERT_FALSE(d.failed()) << d.failure();
    ASSERT_EQ(frames.size(), 5u);
    // The shortest finish first.
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(decode(*std::get<envelope_frame>(frames[i]).env), values[i]);
}

TEST(FrameLanes, MessagesOfOnePairKeepTheirOrderAroundLargeOnes) {
    frame_encoder enc(small_lanes());
    const pid a{1, 1, 1}, c{1, 1, 3};
    const pid b{2, 1, 2};
    auto large = [&](std::int64_t n, pid from) {
        return enc.encode(envelope_frame{b, make_envelope(term::tuple({term(n), term::bytes(random_bytes(3000, 1))}), 0, from)});
    };
    auto small = [&](std::int64_t n, pid from) {
        return stream_of(enc.encode(envelope_frame{b, make_envelope(term::tuple({term(n)}), 0, from)}));
    };
    encoded_message l1 = large(1, a);
    encoded_message l2 = large(3, a);
    bytes stream;
    append(stream, l1.first);   // a: 1 (large)
    append(stream, small(2, a));  // a: 2
    append(stream, l2.first);   // a: 3 (large)
    append(stream, small(100, c));  // c is another pair: not held
    while (!l2.rest->done()) append(stream, l2.rest->next_chunk());  // 3 is whole before 1
    append(stream, small(4, a));  // a: 4
    append(stream, small(101, c));
    while (!l1.rest->done()) append(stream, l1.rest->next_chunk());
    append(stream, small(5, a));

    frame_decoder d(small_lanes());
    auto frames = decode_in_pieces(d, stream, [] { return std::size_t(333); });
    ASSERT_FALSE(d.failed()) << d.failure();
    std::vector<std::int64_t> from_a, order;
    for (auto& f : frames) {
        auto& e = std::get<envelope_frame>(f);
        std::int64_t n = decode(*e.env)[0].as_int();
        order.push_back(n);
        if (e.env->from == a) from_a.push_back(n);
    }
    EXPECT_EQ(d.held_bytes(), 0u);
    EXPECT_EQ(from_a, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(order, (std::vector<std::int64_t>{100, 101, 1, 2, 3, 4, 5}));
}

TEST(FrameLanes, LargeSpawnRequest) {
    frame_encoder enc;
    spawn_request_frame s;
    s.request_id = 5;
    s.module = "m";
    s.function = "f";
    term args = term::list({term::bytes(random_bytes(200'000, 3)), term::str("x")});
    s.args = make_envelope(args);
    s.parent = pid{1, 1, 1};
    s.monitor = ref{1, 1, 2};
    encoded_message m = enc.encode(std::move(s));
    ASSERT_TRUE(m.rest);
    auto frames = decode_all(stream_of(std::move(m)));
    ASSERT_EQ(frames.size(), 1u);
    auto& r = std::get<spawn_request_frame>(frames[0]);
    EXPECT_EQ(r.request_id, 5u);
    EXPECT_EQ(r.module, "m");
    EXPECT_EQ(*r.monitor, (ref{1, 1, 2}));
    EXPECT_EQ(decode(*r.args), args);
}

TEST(FrameLanes, HeadWithAnEmptyBodyAndLaneNumbersUsedAgain) {
    bytes stream = craft_head(5, 0, 0, 0, pid{1, 1, 2}, pid{1, 1, 3}, 0, true);
    append(stream, craft_head(5, 8, 0, 1));
    bytes zero_length(8, std::byte{0});
    append(stream, craft_chunk(5, 1, true, zero_length));
    std::string failure;
    auto frames = decode_all(stream, {}, &failure);
    EXPECT_EQ(failure, "");
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_TRUE(std::get<envelope_frame>(frames[0]).env->words().empty());
    ASSERT_EQ(std::get<envelope_frame>(frames[1]).env->binaries().size(), 1u);
    EXPECT_EQ(std::get<envelope_frame>(frames[1]).env->binaries()[0]->size(), 0u);
}

}  // namespace
}  // namespace weft::test
