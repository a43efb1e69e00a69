// frame_round_trip_test.cpp: every frame kind, encoded and decoded back equal.
//
// Also: libcapnp reads what the encoder writes (its hand-made segment table
// included), and the decoder gives the same frames however the bytes are cut.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "actors/signals.hpp"
#include "tests/cluster/wire_support.hpp"

namespace weft::test {
namespace {

using ::testing::HasSubstr;

frame one_frame(std::span<const std::byte> in, const frame_limits& limits = {}) {
    std::string failure;
    auto frames = decode_all(in, limits, &failure);
    EXPECT_EQ(failure, "");
    EXPECT_EQ(frames.size(), 1u);
    if (frames.empty()) return heartbeat_frame{};
    return std::move(frames.front());
}

void expect_same_envelope(const envelope& got, const envelope& want) {
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.from, want.from);
    EXPECT_EQ(got.tag, want.tag);
    EXPECT_EQ(got.aux, want.aux);
    ASSERT_EQ(got.words().size(), want.words().size());
    EXPECT_TRUE(std::equal(got.words().begin(), got.words().end(), want.words().begin()));
    ASSERT_EQ(got.binaries().size(), want.binaries().size());
    for (std::size_t i = 0; i < got.binaries().size(); ++i) {
        EXPECT_NE(got.binaries()[i], want.binaries()[i]);  // a copy of its own, never the sender's
        auto a = got.binaries()[i]->bytes();
        auto b = want.binaries()[i]->bytes();
        EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << "binary " << i;
    }
}

TEST(FrameRoundTrip, ControlFrames) {
    frame_encoder enc;
    {
        frame f = one_frame(enc.encode(heartbeat_frame{}).bytes());
        EXPECT_TRUE(std::holds_alternative<heartbeat_frame>(f));
    }
    {
        frame f = one_frame(enc.encode(goodbye_frame{"shutting down: SIGTERM"}).bytes());
        ASSERT_TRUE(std::holds_alternative<goodbye_frame>(f));
        EXPECT_EQ(std::get<goodbye_frame>(f).reason, "shutting down: SIGTERM");
    }
    {
        frame f = one_frame(enc.encode(goodbye_frame{""}).bytes());
        ASSERT_TRUE(std::holds_alternative<goodbye_frame>(f));
        EXPECT_EQ(std::get<goodbye_frame>(f).reason, "");
    }
    {
        frame f = one_frame(enc.encode(node_info_frame{0xdeadbeef, "worker@10.0.0.7:4369", 42}).bytes());
        ASSERT_TRUE(std::holds_alternative<node_info_frame>(f));
        auto& n = std::get<node_info_frame>(f);
        EXPECT_EQ(n.node, 0xdeadbeefu);
        EXPECT_EQ(n.name, "worker@10.0.0.7:4369");
        EXPECT_EQ(n.creation, 42u);
    }
}

TEST(FrameRoundTrip, SpawnReplyWithPidAndWithError) {
    frame_encoder enc;
    {
        frame f = one_frame(enc.encode(spawn_reply_frame{77, pid{3, 4, 5}}).bytes());
        ASSERT_TRUE(std::holds_alternative<spawn_reply_frame>(f));
        auto& r = std::get<spawn_reply_frame>(f);
        EXPECT_EQ(r.request_id, 77u);
        EXPECT_EQ(std::get<pid>(r.result), (pid{3, 4, 5}));
    }
    {
        frame f = one_frame(enc.encode(spawn_reply_frame{78, std::string("no module 'nope'")}).bytes());
        auto& r = std::get<spawn_reply_frame>(f);
        EXPECT_EQ(r.request_id, 78u);
        EXPECT_EQ(std::get<std::string>(r.result), "no module 'nope'");
    }
}

TEST(FrameRoundTrip, SpawnRequestWithAndWithoutMonitor) {
    frame_encoder enc;
    for (bool monitored : {false, true}) {
        spawn_request_frame s;
        s.request_id = 9;
        s.module = "workers";
        s.function = "loop";
        s.module_hash = {std::byte{1}, std::byte{2}, std::byte{255}};
        term args = term::tuple({term(1), term::str("two"), term::bytes(std::string(100, 'b'))});
        s.args = make_envelope(args);
        s.parent = pid{1, 2, 3};
        s.link = monitored;
        if (monitored) s.monitor = ref{1, 2, 99};
        frame f = one_frame(stream_of(enc.encode(std::move(s))));
        ASSERT_TRUE(std::holds_alternative<spawn_request_frame>(f));
        auto& r = std::get<spawn_request_frame>(f);
        EXPECT_EQ(r.request_id, 9u);
        EXPECT_EQ(r.module, "workers");
        EXPECT_EQ(r.function, "loop");
        EXPECT_EQ(r.module_hash, (bytes{std::byte{1}, std::byte{2}, std::byte{255}}));
        EXPECT_EQ(r.parent, (pid{1, 2, 3}));
        EXPECT_EQ(r.link, monitored);
        EXPECT_EQ(r.monitor.has_value(), monitored);
        if (monitored) {
            EXPECT_EQ(*r.monitor, (ref{1, 2, 99}));
        }
        ASSERT_TRUE(r.args);
        EXPECT_EQ(r.args->binaries().size(), 1u);
        EXPECT_EQ(decode(*r.args), args);
    }
}

TEST(FrameRoundTrip, SpawnRequestWithoutArgumentsReadsAsNone) {
    frame_encoder enc;
    spawn_request_frame s;
    s.module = "m";
    s.function = "f";
    frame f = one_frame(stream_of(enc.encode(std::move(s))));
    auto& r = std::get<spawn_request_frame>(f);
    ASSERT_TRUE(r.args);
    EXPECT_TRUE(r.args->words().empty());
    EXPECT_EQ(decode(*r.args), term());
}

TEST(FrameRoundTrip, EnvelopeToPidAndToRegisteredName) {
    frame_encoder enc;
    term value = term::tuple({term::str("hello"), term(42), term(pid{1, 1, 9})});
    for (destination to : {destination(pid{5, 6, 7}), destination(std::string("logger"))}) {
        auto e = make_envelope(value, 0, pid{1, 1, 9});
        envelope_ptr copy = make_envelope(value, 0, pid{1, 1, 9});
        frame f = one_frame(stream_of(enc.encode(envelope_frame{to, std::move(e)})));
        ASSERT_TRUE(std::holds_alternative<envelope_frame>(f));
        auto& got = std::get<envelope_frame>(f);
        EXPECT_EQ(got.to, to);
        ASSERT_TRUE(got.env);
        expect_same_envelope(*got.env, *copy);
        EXPECT_EQ(decode(*got.env), value);
    }
}

// A traced message's Lamport clock crosses the wire, in a small frame and in
// a lane's head; an untraced one's stays 0 (the field left at its default).
TEST(FrameRoundTrip, TraceClockTravelsInSmallAndLaneEnvelopes) {
    frame_limits small;
    small.large_threshold = 1000;
    small.fragment_bytes = 1024;
    frame_encoder enc(small);
    for (std::uint64_t clock : {std::uint64_t(0), std::uint64_t(41), std::uint64_t(1) << 60}) {
        for (std::size_t size : {std::size_t(10), std::size_t(5000)}) {
            envelope_ptr e = make_envelope(term::bytes(std::string(size, 'c')));
            e->trace_clock = clock;
            frame f = one_frame(stream_of(enc.encode(envelope_frame{pid{1, 1, 1}, std::move(e)})), small);
            auto* got = std::get_if<envelope_frame>(&f);
            ASSERT_TRUE(got && got->env) << size;
            EXPECT_EQ(got->env->trace_clock, clock) << size << " bytes";
            EXPECT_EQ(decode(*got->env), term::bytes(std::string(size, 'c')));
        }
    }
    // What libcapnp reads: absent when untraced, the clock when traced.
    for (std::uint64_t clock : {std::uint64_t(0), std::uint64_t(7)}) {
        envelope_ptr e = make_envelope(term(1));
        e->trace_clock = clock;
        encoded_message m = enc.encode(envelope_frame{pid{1, 1, 1}, std::move(e)});
        auto b = m.first.bytes();
        capnp::FlatArrayMessageReader reader({reinterpret_cast<const capnp::word*>(b.data()), b.size() / 8});
        auto env = reader.getRoot<wire::Frame>().getEnvelope();
        EXPECT_EQ(env.getTraceClock(), clock);
    }
}

TEST(FrameRoundTrip, EverySignalKindWithAndWithoutPayload) {
    frame_encoder enc;
    const signal_kind kinds[] = {signal_kind::message,   signal_kind::exit,    signal_kind::link_exit,
                                 signal_kind::link,      signal_kind::unlink,  signal_kind::monitor,
                                 signal_kind::demonitor, signal_kind::down,    signal_kind::timeout};
    bytes stream;
    std::vector<envelope_ptr> sent;
    for (signal_kind k : kinds) {
        auto kind = std::uint32_t(k);
        term payload = term::tuple({term::str("EXIT"), term(pid{2, 1, 8}), term::str("normal")});
        sent.push_back(make_envelope(payload, kind, pid{2, 1, 8}, ref{2, 1, 1000 + kind}, untrappable_exit + kind));
        sent.push_back(make_signal(kind, pid{2, 1, 8}, ref{2, 1, 2000 + kind}, kind));
    }
    for (auto& e : sent) {
        envelope_ptr copy(envelope::acquire());
        std::copy(e->words().begin(), e->words().end(), copy->reserve_words(e->words().size()));
        copy->set_size_words(e->words().size());
        copy->kind = e->kind;
        copy->from = e->from;
        copy->tag = e->tag;
        copy->aux = e->aux;
        append(stream, stream_of(enc.encode(envelope_frame{pid{9, 9, 9}, std::move(copy)})));
    }
    std::string failure;
    auto frames = decode_all(stream, {}, &failure);
    EXPECT_EQ(failure, "");
    ASSERT_EQ(frames.size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        auto& got = std::get<envelope_frame>(frames[i]);
        EXPECT_EQ(std::get<pid>(got.to), (pid{9, 9, 9}));
        expect_same_envelope(*got.env, *sent[i]);
        if (i % 2 == 1) {
            EXPECT_TRUE(got.env->words().empty()) << "signal " << i / 2 << " has no payload";
        }
    }
}

TEST(FrameRoundTrip, SharedBinariesArriveWithEqualContents) {
    frame_encoder enc;
    auto* a = shared_binary::make(std::string(1000, 'a'));
    auto* b = shared_binary::make(random_bytes(5000, 1));
    term value = term::list({term::shared_str(a), term::shared_bytes(b), term::shared_str(a), term(7)});
    a->release();
    b->release();
    auto e = make_envelope(value);
    EXPECT_GE(e->binaries().size(), 2u);
    auto sent = make_envelope(value);
    frame f = one_frame(stream_of(enc.encode(envelope_frame{pid{1, 1, 1}, std::move(e)})));
    auto& got = std::get<envelope_frame>(f);
    expect_same_envelope(*got.env, *sent);
    EXPECT_EQ(decode(*got.env), value);
}

TEST(FrameRoundTrip, LibcapnpReadsWhatTheEncoderWrites) {
    frame_encoder enc;
    auto e = make_envelope(term::tuple({term(1), term::bytes(std::string(300, 'z'))}), 7, pid{1, 2, 3}, ref{4, 5, 6}, 8);
    encoded_message m = enc.encode(envelope_frame{std::string("registry"), std::move(e)});
    ASSERT_FALSE(m.rest);
    auto bytes_ = m.first.bytes();
    ASSERT_EQ(bytes_.size() % 8, 0u);
    kj::ArrayPtr<const capnp::word> words(reinterpret_cast<const capnp::word*>(bytes_.data()), bytes_.size() / 8);
    capnp::FlatArrayMessageReader reader(words);
    EXPECT_EQ(reader.getEnd(), words.end()) << "the segment table covers the frame exactly";
    auto root = reader.getRoot<wire::Frame>();
    ASSERT_EQ(root.which(), wire::Frame::ENVELOPE);
    auto env = root.getEnvelope();
    EXPECT_EQ(env.getTo().which(), wire::Envelope::To::NAME);
    EXPECT_EQ(std::string(env.getTo().getName().cStr()), "registry");
    EXPECT_EQ(env.getKind(), 7u);
    EXPECT_EQ(env.getFrom().getSerial(), 3u);
    EXPECT_EQ(env.getTag().getNode(), 4u);
    EXPECT_EQ(env.getAux(), 8u);
    EXPECT_EQ(env.getBinaries().size(), 1u);
    EXPECT_EQ(env.getBinaries()[0].size(), 300u);

    // A lane's head and chunks are canonical frames too.
    frame_limits small;
    small.large_threshold = 1000;
    small.fragment_bytes = 1024;
    frame_encoder lanes(small);
    encoded_message big = lanes.encode(envelope_frame{pid{1, 1, 1}, make_envelope(term::bytes(std::string(5000, 'q')))});
    ASSERT_TRUE(big.rest);
    {
        auto hb = big.first.bytes();
        capnp::FlatArrayMessageReader head({reinterpret_cast<const capnp::word*>(hb.data()), hb.size() / 8});
        auto frag = head.getRoot<wire::Frame>().getFragment();
        EXPECT_EQ(frag.which(), wire::Fragment::HEAD);
        EXPECT_EQ(frag.getIndex(), 0u);
        EXPECT_EQ(frag.getHead().getBinaryCount(), 1u);
        EXPECT_EQ(frag.getHead().getBodyBytes(), frag.getHead().getTermBytes() + 8 + 5000);
    }
    std::uint32_t index = 1;
    while (!big.rest->done()) {
        encoded_frame c = big.rest->next_chunk();
        EXPECT_LE(c.size(), small.fragment_bytes);
        capnp::FlatArrayMessageReader chunk({reinterpret_cast<const capnp::word*>(c.bytes().data()), c.size() / 8});
        auto frag = chunk.getRoot<wire::Frame>().getFragment();
        EXPECT_EQ(frag.which(), wire::Fragment::CHUNK);
        EXPECT_EQ(frag.getLane(), big.rest->lane());
        EXPECT_EQ(frag.getIndex(), index++);
        EXPECT_EQ(frag.getLast(), big.rest->done());
    }
    EXPECT_THROW(big.rest->next_chunk(), std::logic_error);
}

// A stream of every kind, a small lane included.
bytes mixed_stream() {
    frame_limits small;
    small.large_threshold = 200;
    small.fragment_bytes = 1024;
    frame_encoder enc(small);
    bytes out;
    append(out, enc.encode(node_info_frame{3, "a@h:1", 1}));
    append(out, stream_of(enc.encode(envelope_frame{pid{3, 1, 1}, make_envelope(term::str("small"))})));
    append(out, stream_of(enc.encode(
                    envelope_frame{std::string("big"), make_envelope(term::bytes(random_bytes(3000, 5)), 0, {3, 1, 2})})));
    append(out, enc.encode(heartbeat_frame{}));
    append(out, enc.encode(spawn_reply_frame{1, pid{3, 1, 4}}));
    append(out, enc.encode(goodbye_frame{"bye"}));
    return out;
}

std::vector<std::string> describe(const std::vector<frame>& frames) {
    std::vector<std::string> out;
    for (auto& f : frames) {
        std::string s = std::to_string(f.index());
        if (auto* e = std::get_if<envelope_frame>(&f)) s += ":" + decode(*e->env).repr();
        if (auto* g = std::get_if<goodbye_frame>(&f)) s += ":" + g->reason;
        out.push_back(s);
    }
    return out;
}

TEST(FrameRoundTrip, ByteAtATimeAndRandomPiecesGiveTheSameFrames) {
    bytes stream = mixed_stream();
    auto whole = describe(decode_all(stream));
    ASSERT_EQ(whole.size(), 6u);
    {
        frame_decoder d;
        auto frames = decode_in_pieces(d, stream, [] { return std::size_t(1); });
        EXPECT_FALSE(d.failed()) << d.failure();
        EXPECT_EQ(describe(frames), whole);
    }
    std::mt19937 rng(12345);
    for (int round = 0; round < 50; ++round) {
        std::uniform_int_distribution<std::size_t> size(1, std::size_t(1) << (1 + round % 12));
        frame_decoder d;
        auto frames = decode_in_pieces(d, stream, [&] { return size(rng); });
        EXPECT_FALSE(d.failed()) << d.failure();
        EXPECT_EQ(describe(frames), whole) << "round " << round;
        EXPECT_EQ(d.buffered_bytes(), 0u);
        EXPECT_EQ(d.lanes_in_flight(), 0u);
    }
}

TEST(FrameRoundTrip, PrepareAndCommitReadStraightIntoTheDecoder) {
    bytes stream = mixed_stream();
    auto whole = describe(decode_all(stream));
    frame_decoder d;
    std::vector<frame> frames;
    std::span<const std::byte> in = stream;
    std::size_t read = 7;  // an odd read size, so frames straddle reads
    while (!in.empty()) {
        auto area = d.prepare(read);
        ASSERT_GE(area.size(), read);
        std::size_t n = std::min(read, in.size());
        std::memcpy(area.data(), in.data(), n);
        d.commit(n);
        in = in.subspan(n);
        while (auto f = d.pop()) frames.push_back(std::move(*f));
    }
    EXPECT_FALSE(d.failed()) << d.failure();
    EXPECT_EQ(describe(frames), whole);
    EXPECT_THROW(d.commit(d.prepare(8).size() + 1), std::invalid_argument);
}

TEST(FrameRoundTrip, EncoderRefusesWhatAPeerWithTheSameLimitsWouldReject) {
    frame_limits limits;
    limits.max_message_bytes = 100'000;
    limits.max_binaries = 2;
    limits.max_text_bytes = 10;
    frame_encoder enc(limits);
    EXPECT_THROW(enc.encode(envelope_frame{pid{1, 1, 1}, make_envelope(term::bytes(std::string(200'000, 'x')))}),
                 std::length_error);
    term three = term::list({term::str(std::string(70, 'a')), term::str(std::string(70, 'b')), term::str(std::string(70, 'c'))});
    EXPECT_THROW(enc.encode(envelope_frame{pid{1, 1, 1}, make_envelope(three)}), std::length_error);
    EXPECT_THROW(enc.encode(envelope_frame{std::string("a-very-long-name"), make_envelope(term(1))}), std::length_error);
    EXPECT_THROW(enc.encode(goodbye_frame{"far too long a reason"}), std::length_error);
    EXPECT_THROW(enc.encode(node_info_frame{1, "name@a-long-host:1", 1}), std::length_error);
    EXPECT_THROW(enc.encode(envelope_frame{pid{1, 1, 1}, nullptr}), std::invalid_argument);
    frame_limits bad;
    bad.fragment_bytes = 100;
    EXPECT_THROW(frame_encoder{bad}, std::invalid_argument);
}

}  // namespace
}  // namespace weft::test
