// receive_match.hpp: matching a receive case (compile/receive_table.hpp)
// against a queued message where it lies, in its envelope.
//
// This must never touch a heap: matching only reads registers and envelopes,
// and says which parts of the message each capture gets; the VM decodes them
// once a case (and its guard) has matched.
#pragma once
#include <cstdint>
#include <vector>

#include "interp/compile/code.hpp"
#include "interp/compile/receive_table.hpp"
#include "interp/heap/value.hpp"
#include "serialize/term_view.hpp"

namespace weft::interp {

// What a capture takes from the message; decoded only once its case matched.
struct recv_capture {
    enum class how : std::uint8_t { whole, slice, dict_rest };
    how h = how::whole;
    std::uint8_t reg = no_register;
    std::uint8_t key_base = 0;  // dict_rest: the keys the pattern named
    std::uint16_t key_count = 0;
    std::uint32_t from = 0, count = 0;  // slice: items [from, from + count)
    term_view v;
};

// Matches one case's pattern against a message. On success `out` holds the
// captures in pattern order; on failure its contents are unspecified.
bool match_receive_case(const program& prog, const recv_case& c, term_view message, const value* registers,
                        std::vector<recv_capture>& out);

}  // namespace weft::interp
