// wire_support.hpp: helpers of the frame encoder and decoder tests.
//
// Builders of envelopes from terms, the whole byte stream of an encoded
// message, decoding a stream fed in pieces of chosen sizes, and frames crafted
// with libcapnp directly (the oracle, and the way to write frames that our
// encoder never would). Test code only.
#pragma once
#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstring>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "cluster/frame_decoder.hpp"
#include "cluster/frame_encoder.hpp"
#include "cluster/wire.capnp.h"
#include "serialize/codec.hpp"
#include "serialize/envelope.hpp"
#include "serialize/term.hpp"

namespace weft::test {

using bytes = std::vector<std::byte>;

inline envelope_ptr make_envelope(const term& t, std::uint32_t kind = 0, pid from = {1, 1, 7}, ref tag = {},
                                  std::uint64_t aux = 0) {
    envelope_ptr e(envelope::acquire());
    encode(t, *e);
    e->kind = kind;
    e->from = from;
    e->tag = tag;
    e->aux = aux;
    return e;
}

// A signal without a value: no words at all.
inline envelope_ptr make_signal(std::uint32_t kind, pid from, ref tag = {}, std::uint64_t aux = 0) {
    envelope_ptr e(envelope::acquire());
    e->kind = kind;
    e->from = from;
    e->tag = tag;
    e->aux = aux;
    return e;
}

inline void append(bytes& out, std::span<const std::byte> b) { out.insert(out.end(), b.begin(), b.end()); }
inline void append(bytes& out, const encoded_frame& f) { append(out, f.bytes()); }

// The whole message: its first frame, then every chunk.
inline bytes stream_of(encoded_message m) {
    bytes out;
    append(out, m.first);
    if (m.rest)
        while (!m.rest->done()) append(out, m.rest->next_chunk());
    return out;
}

// Feeds `in` in pieces whose sizes `next_size` picks, popping as it goes.
inline std::vector<frame> decode_in_pieces(frame_decoder& d, std::span<const std::byte> in,
                                           const std::function<std::size_t()>& next_size) {
    std::vector<frame> out;
    while (!in.empty()) {
        std::size_t n = std::min(in.size(), std::max<std::size_t>(1, next_size()));
        d.feed(in.first(n));
        in = in.subspan(n);
        while (auto f = d.pop()) out.push_back(std::move(*f));
    }
    while (auto f = d.pop()) out.push_back(std::move(*f));
    return out;
}

inline std::vector<frame> decode_all(std::span<const std::byte> in, const frame_limits& limits = {},
                                     std::string* failure = nullptr) {
    frame_decoder d(limits);
    d.feed(in);
    std::vector<frame> out;
    while (auto f = d.pop()) out.push_back(std::move(*f));
    if (failure) *failure = d.failure();
    return out;
}

// One frame written by libcapnp itself, in the stream framing.
inline bytes craft(const std::function<void(wire::Frame::Builder)>& fill) {
    capnp::MallocMessageBuilder m;
    fill(m.initRoot<wire::Frame>());
    kj::Array<capnp::word> flat = capnp::messageToFlatArray(m);
    auto b = flat.asBytes();
    return bytes(reinterpret_cast<const std::byte*>(b.begin()), reinterpret_cast<const std::byte*>(b.end()));
}

inline void put_pid(schema::Pid::Builder b, pid p) {
    b.setNode(p.node);
    b.setCreation(p.creation);
    b.setSerial(p.serial);
}

// A lane head of an envelope to `to`, from `from`, as libcapnp writes it.
inline bytes craft_head(std::uint32_t lane, std::uint64_t body, std::uint64_t term_bytes, std::uint32_t binaries,
                        pid to = {1, 1, 2}, pid from = {1, 1, 3}, std::uint32_t index = 0, bool last = false) {
    return craft([&](wire::Frame::Builder f) {
        auto frag = f.initFragment();
        frag.setLane(lane);
        frag.setIndex(index);
        frag.setLast(last);
        auto head = frag.initHead();
        head.setBodyBytes(body);
        head.setTermBytes(term_bytes);
        head.setBinaryCount(binaries);
        auto env = head.initFrame().initEnvelope();
        put_pid(env.getTo().initPid(), to);
        put_pid(env.initFrom(), from);
    });
}

inline bytes craft_chunk(std::uint32_t lane, std::uint32_t index, bool last, std::span<const std::byte> chunk) {
    return craft([&](wire::Frame::Builder f) {
        auto frag = f.initFragment();
        frag.setLane(lane);
        frag.setIndex(index);
        frag.setLast(last);
        auto data = frag.initChunk(unsigned(chunk.size()));
        if (!chunk.empty()) std::memcpy(data.begin(), chunk.data(), chunk.size());
    });
}

// Splits a stream into its frames (by their segment tables; trusted input).
inline std::vector<bytes> split_frames(std::span<const std::byte> in) {
    std::vector<bytes> out;
    while (!in.empty()) {
        std::uint32_t count;
        std::memcpy(&count, in.data(), 4);
        std::size_t table = (4 + 4 * (std::size_t(count) + 1) + 7) & ~std::size_t(7);
        std::size_t words = 0;
        for (std::size_t i = 0; i <= count; ++i) {
            std::uint32_t w;
            std::memcpy(&w, in.data() + 4 + 4 * i, 4);
            words += w;
        }
        std::size_t size = table + 8 * words;
        out.emplace_back(in.begin(), in.begin() + std::ptrdiff_t(size));
        in = in.subspan(size);
    }
    return out;
}

inline bytes join(const std::vector<bytes>& frames) {
    bytes out;
    for (auto& f : frames) append(out, f);
    return out;
}

inline bytes random_bytes(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    bytes out(n);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t v = rng();
        std::memcpy(out.data() + i, &v, 8);
    }
    for (; i < n; ++i) out[i] = std::byte(rng());
    return out;
}

}  // namespace weft::test
