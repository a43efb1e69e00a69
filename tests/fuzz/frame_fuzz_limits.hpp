// frame_fuzz_limits.hpp: the limits the frame fuzzer and its seeds use.
//
// Smaller than the defaults so that one input cannot make the decoder take
// more memory than libFuzzer allows (a lane head may declare its whole body
// at once), and small lanes so that seeds of a few KiB hold whole lanes. The
// seed generator, the harness and the corpus test must agree on them.
#pragma once
#include "cluster/frame_limits.hpp"

namespace weft::test {

inline frame_limits fuzz_frame_limits() {
    frame_limits l;
    l.max_frame_bytes = std::size_t(64) << 10;
    l.max_message_bytes = std::size_t(4) << 20;
    l.max_in_flight_bytes = std::size_t(16) << 20;
    l.max_binaries = 4096;
    l.large_threshold = 256;
    l.fragment_bytes = 1024;
    return l;
}

}  // namespace weft::test
