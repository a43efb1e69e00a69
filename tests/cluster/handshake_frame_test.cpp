// handshake_frame_test.cpp: the length prefix, and the reader fed in pieces of every size.
#include "cluster/handshake_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace weft::cluster {
namespace {

using namespace std::string_literals;

const std::vector<std::string> bodies = {"first", "", std::string(1024, 'x'), "\x00\x01\x02"s, "last"};

std::string stream_of(const std::vector<std::string>& messages) {
    std::string s;
    for (const std::string& m : messages) s += frame_handshake_message(m);
    return s;
}

std::vector<std::string> drain(handshake_frame_reader& r) {
    std::vector<std::string> out;
    while (auto m = r.next()) out.push_back(*m);
    return out;
}

TEST(HandshakeFrame, LengthIsU32LittleEndian) {
    EXPECT_EQ(frame_handshake_message("abc"), "\x03\x00\x00\x00" "abc"s);
    EXPECT_EQ(frame_handshake_message(""), "\x00\x00\x00\x00"s);
    EXPECT_EQ(frame_handshake_message(std::string(0x0102, 'z')).substr(0, 4), "\x02\x01\x00\x00"s);
}

TEST(HandshakeFrame, WholeStreamAtOnce) {
    handshake_frame_reader r;
    r.feed(stream_of(bodies));
    EXPECT_EQ(drain(r), bodies);
    EXPECT_FALSE(r.failed());
    EXPECT_EQ(r.unread_size(), 0u);
}

TEST(HandshakeFrame, ByteByByte) {
    std::string stream = stream_of(bodies);
    handshake_frame_reader r;
    std::vector<std::string> got;
    for (std::size_t i = 0; i < stream.size(); ++i) {
        r.feed(stream.substr(i, 1));
        for (std::string& m : drain(r)) got.push_back(std::move(m));
        EXPECT_FALSE(r.failed());
    }
    EXPECT_EQ(got, bodies);
}

TEST(HandshakeFrame, EveryPrefixGivesOnlyWholeMessages) {
    const std::vector<std::string> small = {"HELLO-ish", "", "\x05\x01\x00\x01"s, "ok"};
    std::string stream = stream_of(small);
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        handshake_frame_reader r;
        r.feed(stream.substr(0, cut));
        std::vector<std::string> first = drain(r);
        EXPECT_FALSE(r.failed());
        // Exactly the messages that fit whole in the prefix.
        std::size_t whole = 0, end = 0;
        while (whole < small.size() && end + 4 + small[whole].size() <= cut) end += 4 + small[whole++].size();
        ASSERT_EQ(first.size(), whole) << cut;
        EXPECT_EQ(r.unread_size(), cut - end);
        // The rest, fed afterwards, completes the stream.
        r.feed(stream.substr(cut));
        std::vector<std::string> rest = drain(r);
        first.insert(first.end(), rest.begin(), rest.end());
        EXPECT_EQ(first, small) << cut;
    }
}

TEST(HandshakeFrame, OversizeLengthFailsAsSoonAsItIsRead) {
    handshake_frame_reader r;
    r.feed("\x01\x04\x00"s);  // 1025, but only three of its four bytes
    EXPECT_FALSE(r.next());
    EXPECT_FALSE(r.failed());
    r.feed("\x00"s);
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.failed());
    EXPECT_EQ(r.error(), "malformed handshake message: a frame of 1025 bytes, over the limit of 1024 (not a Weft node?)");
    r.feed(frame_handshake_message("ok"));  // ignored once failed
    EXPECT_FALSE(r.next());
}

TEST(HandshakeFrame, TextIsNotAFrame) {
    handshake_frame_reader r;
    r.feed("GET / HTTP/1.1\r\n");
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.error(),
              "malformed handshake message: a frame of 542393671 bytes, over the limit of 1024 (not a Weft node?)");
}

TEST(HandshakeFrame, LimitIsTheReaders) {
    handshake_frame_reader r(8);
    r.feed(frame_handshake_message("12345678") + frame_handshake_message("123456789"));
    EXPECT_EQ(r.next(), "12345678");
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.failed());
}

TEST(HandshakeFrame, UnreadBytesAreHandedOverOnce) {
    handshake_frame_reader r;
    r.feed(frame_handshake_message("a") + "after");
    EXPECT_EQ(r.next(), "a");
    r.feed(" and more");
    EXPECT_EQ(r.take_unread(), "after and more");
    EXPECT_EQ(r.take_unread(), "");
    EXPECT_EQ(r.unread_size(), 0u);
}

}  // namespace
}  // namespace weft::cluster
