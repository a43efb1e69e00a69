// frame_reject_test.cpp: what a bad peer can send, and the decoder's answer.
//
// Each limit of frame_limits violated, malformed frames, lanes misused, term
// words that fail validation: the decoder must end in its failed state with a
// reason naming what was wrong, and never crash or read out of bounds (the
// ASan build runs these too). Garbage and mutated streams check the rest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cluster/wire_support.hpp"

namespace weft::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Feeds `in` to a fresh decoder with `limits`; returns its failure ("" if none).
std::string failure_of(std::span<const std::byte> in, const frame_limits& limits = {}) {
    frame_decoder d(limits);
    d.feed(in);
    while (d.pop()) {
    }
    return d.failure();
}

bytes header(std::uint32_t segments_minus_one, std::initializer_list<std::uint32_t> sizes) {
    bytes out(8);
    std::memcpy(out.data(), &segments_minus_one, 4);
    std::size_t at = 4;
    for (std::uint32_t s : sizes) {
        out.resize(std::max(out.size(), at + 4));
        std::memcpy(out.data() + at, &s, 4);
        at += 4;
    }
    out.resize((out.size() + 7) & ~std::size_t(7));
    return out;
}

bytes words_bytes(std::initializer_list<std::uint64_t> words) {
    bytes out(words.size() * 8);
    std::size_t i = 0;
    for (std::uint64_t w : words) std::memcpy(out.data() + 8 * i++, &w, 8);
    return out;
}

bytes envelope_with_term(std::span<const std::byte> term_bytes, std::size_t binaries = 0, const char* name = nullptr) {
    return craft([&](wire::Frame::Builder f) {
        auto e = f.initEnvelope();
        if (name)
            e.getTo().setName(name);
        else
            put_pid(e.getTo().initPid(), {1, 1, 1});
        if (!term_bytes.empty()) {
            auto t = e.initTerm(unsigned(term_bytes.size()));
            std::memcpy(t.begin(), term_bytes.data(), term_bytes.size());
        }
        if (binaries) {
            auto list = e.initBinaries(unsigned(binaries));
            for (unsigned i = 0; i < binaries; ++i) list.init(i, 3);
        }
    });
}

// ---- sizes and counts ----------------------------------------------------------

TEST(FrameReject, FrameClaimingFourGiBFailsOnItsFirstWord) {
    frame_decoder d;
    d.feed(header(0, {0x20000000}));  // 2^29 words: 4 GiB, and nothing more sent
    EXPECT_TRUE(d.failed());
    EXPECT_EQ(d.failure(), "frame of 4294967304 bytes exceeds the limit of 1048576");
    EXPECT_EQ(d.buffered_bytes(), 0u);
}

TEST(FrameReject, FrameOverTheConfiguredLimit) {
    frame_limits limits;
    limits.max_frame_bytes = 4096;
    limits.fragment_bytes = 4096;
    bytes big = stream_of(frame_encoder().encode(envelope_frame{pid{1, 1, 1}, make_envelope(term::str(std::string(5000, 'x')))}));
    EXPECT_THAT(failure_of(big, limits), StartsWith("frame of "));
    EXPECT_THAT(failure_of(big, limits), HasSubstr("bytes exceeds the limit of 4096"));
    EXPECT_EQ(failure_of(big), "");
}

TEST(FrameReject, TooManySegments) {
    EXPECT_EQ(failure_of(header(16, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})),
              "frame of 17 segments exceeds the limit of 16");
    EXPECT_EQ(failure_of(header(0xffffffff, {})), "frame of 4294967296 segments exceeds the limit of 16");
}

TEST(FrameReject, TooManyLanesInFlight) {
    bytes stream;
    for (std::uint32_t lane = 1; lane <= 17; ++lane) append(stream, craft_head(lane, 8, 8, 0));
    EXPECT_EQ(failure_of(stream), "lane 17 would be more than the limit of 16 lanes in flight");
    stream.resize(stream.size() / 17 * 16);
    EXPECT_EQ(failure_of(stream), "");
}

TEST(FrameReject, MessageOverTheLimit) {
    EXPECT_EQ(failure_of(craft_head(1, std::uint64_t(1) << 31, 0, 0)),
              "message of 2147483648 bytes on lane 1 exceeds the limit of 1073741824");
    EXPECT_EQ(failure_of(craft_head(1, ~std::uint64_t(0), 0, 0)),
              "message of 18446744073709551615 bytes on lane 1 exceeds the limit of 1073741824");
}

TEST(FrameReject, BytesInFlightOverTheLimit) {
    frame_limits limits;
    limits.max_in_flight_bytes = 1000;
    bytes stream = craft_head(1, 600, 600, 0);
    append(stream, craft_head(2, 600, 600, 0));
    EXPECT_EQ(failure_of(stream, limits), "lane 2 of 600 bytes would put 1200 bytes in flight, over the limit of 1000");
}

TEST(FrameReject, TooManyBinaries) {
    frame_limits limits;
    limits.max_binaries = 2;
    EXPECT_EQ(failure_of(envelope_with_term({}, 3), limits), "term with 3 shared binaries exceeds the limit of 2");
    EXPECT_EQ(failure_of(craft_head(1, 100, 0, 3), limits), "lane 1 declares 3 shared binaries, over the limit of 2");
    EXPECT_EQ(failure_of(craft_head(1, 100, 0, 13)), "lane 1 declares 13 binaries, more than the lengths of its body can hold");
}

TEST(FrameReject, TextsOverTheLimit) {
    frame_limits limits;
    limits.max_text_bytes = 10;
    frame_encoder enc;
    EXPECT_EQ(failure_of(enc.encode(goodbye_frame{std::string(20, 'r')}).bytes(), limits),
              "goodbye reason of 20 bytes exceeds the limit of 10");
    EXPECT_EQ(failure_of(enc.encode(node_info_frame{1, std::string(11, 'n'), 1}).bytes(), limits),
              "node name of 11 bytes exceeds the limit of 10");
    EXPECT_EQ(failure_of(stream_of(enc.encode(envelope_frame{std::string(12, 'x'), make_envelope(term(1))})), limits),
              "registered name of 12 bytes exceeds the limit of 10");
    EXPECT_EQ(failure_of(enc.encode(spawn_reply_frame{1, std::string(30, 'e')}).bytes(), limits),
              "spawn error of 30 bytes exceeds the limit of 10");
}

TEST(FrameReject, NestingAndTraversalLimits) {
    bytes frame = stream_of(frame_encoder().encode(envelope_frame{pid{1, 1, 1}, make_envelope(term(std::int64_t(1)))}));
    frame_limits shallow;
    shallow.max_nesting = 1;  // Frame, Envelope, Pid: three deep
    EXPECT_THAT(failure_of(frame, shallow), HasSubstr("could not be read"));
    EXPECT_THAT(failure_of(frame, shallow), HasSubstr("nested"));

    std::vector<term> many(500, term(7));
    bytes long_frame = stream_of(frame_encoder().encode(envelope_frame{pid{1, 1, 1}, make_envelope(term::list(many))}));
    frame_limits tight;
    tight.traversal_factor = 0;  // 64 words, whatever the frame
    EXPECT_THAT(failure_of(long_frame, tight), HasSubstr("traversal limit"));
    EXPECT_EQ(failure_of(long_frame), "");
}

TEST(FrameReject, FramesHeldBehindAnUnfinishedLaneOverTheLimit) {
    frame_limits limits;
    limits.max_held_bytes = 1000;
    frame_encoder enc;
    bytes stream = craft_head(1, 16, 16, 0, pid{1, 1, 2}, pid{1, 1, 3});  // never finished
    bytes one = stream_of(enc.encode(envelope_frame{pid{1, 1, 2}, make_envelope(term(1), 0, pid{1, 1, 3})}));
    bytes other = stream_of(enc.encode(envelope_frame{pid{1, 1, 2}, make_envelope(term(1), 0, pid{1, 1, 4})}));
    frame_decoder d(limits);
    d.feed(stream);
    std::size_t held = 0;
    for (int i = 0; i < 1000 && !d.failed(); ++i) {
        d.feed(other);  // another pair: never held
        d.feed(one);
        held += one.size();
    }
    EXPECT_EQ(d.failure(), std::to_string(held) + " bytes of frames held behind unfinished lanes exceed the limit of 1000");
    EXPECT_EQ(d.ready(), held / one.size());  // the other pair's, all delivered
    EXPECT_GT(held, 1000u);
}

// ---- malformed frames ----------------------------------------------------------

TEST(FrameReject, Garbage) {
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
        bytes junk = random_bytes(1 + seed * 7, seed);
        frame_decoder d;
        d.feed(junk);
        while (auto f = d.pop()) {
        }
        if (!d.failed()) {
            EXPECT_GT(d.buffered_bytes(), 0u) << "seed " << seed;
        }
    }
    // A root struct of 0x7fff data words in a one-word segment.
    EXPECT_THAT(failure_of(words_bytes({std::uint64_t(1) << 32, std::uint64_t(0x7fff) << 32})),
                StartsWith("frame of 16 bytes could not be read: "));
}

TEST(FrameReject, EmptyAndUnknownFrames) {
    EXPECT_EQ(failure_of(words_bytes({std::uint64_t(1) << 32, 0})), "frame of 16 bytes is empty");
    EXPECT_THAT(failure_of(words_bytes({0})), HasSubstr("frame of 8 bytes could not be read"));

    auto encoded = frame_encoder().encode(heartbeat_frame{});
    bytes beat(encoded.bytes().begin(), encoded.bytes().end());
    beat[16] = std::byte{99};  // the Frame union's discriminant
    EXPECT_EQ(failure_of(beat), "unknown frame kind 99");
}

TEST(FrameReject, TruncatedStreamWaitsTruncatedMessageFails) {
    bytes frame = stream_of(frame_encoder().encode(envelope_frame{pid{1, 1, 1}, make_envelope(term::str("hello there"))}));
    frame_decoder d;
    d.feed(std::span<const std::byte>(frame).first(frame.size() - 1));
    EXPECT_FALSE(d.failed());
    EXPECT_FALSE(d.pop());
    EXPECT_EQ(d.buffered_bytes(), frame.size() - 1);

    // The same frame with its segment cut short: pointers now point past it.
    std::uint32_t words;
    std::memcpy(&words, frame.data() + 4, 4);
    words -= 3;
    std::memcpy(frame.data() + 4, &words, 4);
    frame.resize(frame.size() - 24);
    EXPECT_THAT(failure_of(frame), HasSubstr("could not be read"));
}

TEST(FrameReject, TermWordsFailValidation) {
    EXPECT_THAT(failure_of(envelope_with_term(words_bytes({0xffffffffffffffffull}))),
                StartsWith("term words failed validation: word 0: "));
    EXPECT_EQ(failure_of(envelope_with_term(bytes(13, std::byte{0}))), "term of 13 bytes is not a whole number of words");
}

TEST(FrameReject, BinaryIndexOutOfRange) {
    shared_binary* b = shared_binary::make(std::string(100, 'b'));
    envelope_ptr e = make_envelope(term::shared_bytes(b));
    b->release();
    ASSERT_EQ(e->binaries().size(), 1u);
    auto words = std::as_bytes(e->words());
    EXPECT_THAT(failure_of(envelope_with_term(words)),
                HasSubstr("shared binary index 0 out of range (the envelope has 0)"));
    EXPECT_EQ(failure_of(envelope_with_term(words, 1)), "");
}

TEST(FrameReject, EnvelopeToAnEmptyName) {
    EXPECT_EQ(failure_of(envelope_with_term({}, 0, "")), "envelope to an empty registered name");
}

// ---- lanes ----------------------------------------------------------------------

std::vector<bytes> lane_frames() {
    frame_limits l;
    l.large_threshold = 256;
    l.fragment_bytes = 1024;
    frame_encoder enc(l);
    return split_frames(stream_of(enc.encode(envelope_frame{pid{1, 1, 1}, make_envelope(term::bytes(random_bytes(5000, 9)))})));
}

TEST(FrameReject, FragmentsOutOfOrder) {
    auto frames = lane_frames();
    ASSERT_GE(frames.size(), 4u);
    EXPECT_EQ(failure_of(join(frames)), "");
    std::swap(frames[1], frames[2]);
    EXPECT_EQ(failure_of(join(frames)), "fragment 2 of lane 1 out of order (expected 1)");
    frames.erase(frames.begin());  // no head
    EXPECT_EQ(failure_of(join(frames)), "fragment for unknown lane 1");
}

TEST(FrameReject, FragmentForUnknownLane) {
    bytes data(16, std::byte{1});
    EXPECT_EQ(failure_of(craft_chunk(9, 1, false, data)), "fragment for unknown lane 9");
    bytes stream = craft_head(9, 8, 8, 0, {1, 1, 2}, {1, 1, 3}, 0, false);
    append(stream, craft_chunk(9, 1, true, bytes(8, std::byte{0})));
    append(stream, craft_chunk(9, 2, true, bytes(8, std::byte{0})));  // the lane is over
    EXPECT_EQ(failure_of(stream), "fragment for unknown lane 9");
}

TEST(FrameReject, LaneOpenedTwiceOrWithABadHead) {
    bytes twice = craft_head(3, 16, 16, 0);
    append(twice, craft_head(3, 16, 16, 0));
    EXPECT_EQ(failure_of(twice), "lane 3 opened while already in flight");
    EXPECT_EQ(failure_of(craft_head(1, 16, 16, 0, {1, 1, 2}, {1, 1, 3}, 1)), "head of lane 1 has index 1 (must be 0)");
    EXPECT_EQ(failure_of(craft_head(1, 16, 12, 0)),
              "lane 1 declares a term of 12 bytes in a body of 16 (must be whole words within it)");
    EXPECT_EQ(failure_of(craft_head(1, 16, 24, 0)),
              "lane 1 declares a term of 24 bytes in a body of 16 (must be whole words within it)");

    auto with_inner = [](const std::function<void(wire::Frame::Builder)>& fill) {
        return craft([&](wire::Frame::Builder f) {
            auto frag = f.initFragment();
            frag.setLane(1);
            auto head = frag.initHead();
            head.setBodyBytes(8);
            head.setTermBytes(8);
            fill(head.initFrame());
        });
    };
    EXPECT_EQ(failure_of(with_inner([](wire::Frame::Builder f) { f.initHeartbeat(); })),
              "lane 1 carries a frame of kind 4 (only envelopes and spawn requests go in lanes)");
    EXPECT_EQ(failure_of(with_inner([](wire::Frame::Builder f) { f.initEnvelope().initTerm(8); })),
              "lane head carries a term or binaries (they belong in its body)");
    EXPECT_EQ(failure_of(with_inner([](wire::Frame::Builder f) { f.initSpawnRequest().initBinaries(1); })),
              "lane head carries spawn arguments or binaries (they belong in its body)");
}

TEST(FrameReject, LaneBodyOverrunsOrEndsEarly) {
    bytes more = craft_head(1, 16, 16, 0);
    append(more, craft_chunk(1, 1, false, bytes(24, std::byte{0})));
    EXPECT_EQ(failure_of(more), "lane 1 sends more than the 16 body bytes it declared");

    bytes early = craft_head(1, 16, 16, 0);
    append(early, craft_chunk(1, 1, true, bytes(8, std::byte{0})));
    EXPECT_EQ(failure_of(early), "lane 1 ended after 8 of its 16 body bytes (0 of 0 binaries)");

    bytes overrun = craft_head(1, 24, 0, 1);
    append(overrun, craft_chunk(1, 1, false, words_bytes({1000})));
    EXPECT_EQ(failure_of(overrun), "binary 0 of 1000 bytes overruns lane 1 (16 body bytes left)");

    bytes no_room = craft_head(1, 24, 0, 2);  // room for the second length is needed too
    append(no_room, craft_chunk(1, 1, false, words_bytes({16})));
    EXPECT_EQ(failure_of(no_room), "binary 0 of 16 bytes overruns lane 1 (16 body bytes left)");

    bytes after = craft_head(1, 24, 0, 1);
    append(after, craft_chunk(1, 1, false, words_bytes({0, 5, 6})));
    EXPECT_EQ(failure_of(after), "lane 1 has body bytes after its last binary");
}

TEST(FrameReject, LaneTermWordsFailValidation) {
    bytes stream = craft_head(1, 16, 16, 0);
    append(stream, craft_chunk(1, 1, true, words_bytes({0xfffffffffffffff0ull, 0})));
    EXPECT_THAT(failure_of(stream), StartsWith("term words failed validation: "));

    // A term that names a binary the lane does not carry.
    shared_binary* b = shared_binary::make(std::string(100, 'b'));
    envelope_ptr e = make_envelope(term::shared_bytes(b));
    b->release();
    auto words = std::as_bytes(e->words());
    bytes missing = craft_head(1, words.size(), words.size(), 0);
    append(missing, craft_chunk(1, 1, true, words));
    EXPECT_THAT(failure_of(missing), HasSubstr("shared binary index 0 out of range"));
}

// ---- after a failure -----------------------------------------------------------

TEST(FrameReject, AFailedDecoderKeepsEarlierFramesAndIgnoresTheRest) {
    frame_encoder enc;
    bytes stream;
    append(stream, enc.encode(heartbeat_frame{}));
    append(stream, craft_head(1, 16, 16, 0));
    append(stream, header(0, {0x20000000}));
    frame_decoder d;
    d.feed(stream);
    EXPECT_TRUE(d.failed());
    EXPECT_EQ(d.lanes_in_flight(), 0u);
    EXPECT_EQ(d.bytes_in_flight(), 0u);
    d.feed(enc.encode(heartbeat_frame{}).bytes());
    EXPECT_EQ(d.ready(), 1u);
    EXPECT_TRUE(d.pop());
    EXPECT_FALSE(d.pop());
}

TEST(FrameReject, MutatedStreamsNeverCrash) {
    frame_limits l;
    l.large_threshold = 256;
    l.fragment_bytes = 1024;
    frame_encoder enc(l);
    bytes stream;
    append(stream, enc.encode(node_info_frame{3, "a@h:1", 1}));
    append(stream, stream_of(enc.encode(envelope_frame{pid{3, 1, 1}, make_envelope(term::tuple({term::str("x"), term(1.5)}))})));
    append(stream, stream_of(enc.encode(envelope_frame{std::string("big"), make_envelope(term::list({term::bytes(random_bytes(2000, 5)), term(ref{1, 2, 3})}))})));
    spawn_request_frame s;
    s.module = "m";
    s.args = make_envelope(term::dict({{term::str("k"), term::list({term(1), term()})}}));
    append(stream, stream_of(enc.encode(std::move(s))));
    std::mt19937_64 rng(99);
    int failed = 0;
    for (int round = 0; round < 3000; ++round) {
        bytes m = stream;
        int flips = 1 + int(rng() % 4);
        for (int i = 0; i < flips; ++i) m[rng() % m.size()] ^= std::byte(1u << (rng() % 8));
        frame_decoder d(l);
        d.feed(m);
        while (auto f = d.pop()) {
            // Whatever got through was validated: decoding it must be safe.
            if (auto* e = std::get_if<envelope_frame>(&*f)) (void)decode(*e->env).repr();
            if (auto* r = std::get_if<spawn_request_frame>(&*f)) (void)decode(*r->args).repr();
        }
        failed += d.failed();
    }
    EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace weft::test
