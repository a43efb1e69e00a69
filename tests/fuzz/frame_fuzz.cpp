// frame_fuzz.cpp: libFuzzer harness for the frame decoder.
//
// Arbitrary bytes go to two decoders: one fed all at once, one fed in pieces
// whose size the input's length picks. Both must agree (frames out, failure
// or not, and why), and neither may crash, leak or read out of bounds; every
// envelope that gets through is decoded to a term, since validation promised
// that this is safe. Built only with clang (-fsanitize=fuzzer,address).
#include <cstddef>
#include <cstdint>
#include <span>

#include "cluster/frame_decoder.hpp"
#include "serialize/codec.hpp"
#include "tests/fuzz/frame_fuzz_limits.hpp"

namespace {

std::size_t drain(weft::frame_decoder& d) {
    std::size_t n = 0;
    while (auto f = d.pop()) {
        ++n;
        if (auto* e = std::get_if<weft::envelope_frame>(&*f)) (void)weft::decode(*e->env);
        if (auto* s = std::get_if<weft::spawn_request_frame>(&*f)) (void)weft::decode(*s->args);
    }
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const weft::frame_limits limits = weft::test::fuzz_frame_limits();
    std::span<const std::byte> in(reinterpret_cast<const std::byte*>(data), size);

    weft::frame_decoder whole(limits);
    whole.feed(in);
    std::size_t whole_frames = drain(whole);

    weft::frame_decoder pieces(limits);
    std::size_t piece = 1 + size % 61;
    std::size_t piece_frames = 0;
    for (std::size_t at = 0; at < size; at += piece) {
        pieces.feed(in.subspan(at, std::min(piece, size - at)));
        piece_frames += drain(pieces);
    }
    if (whole_frames != piece_frames || whole.failed() != pieces.failed() || whole.failure() != pieces.failure())
        __builtin_trap();
    return 0;
}
