// validate.hpp: checking untrusted words before anything reads them.
//
// Words from the network (or any other process) may be truncated, malicious or
// written by a buggy peer. validate() proves they form a well-formed
// single-segment term.capnp message that decode() and term_view can read
// without going out of bounds, and that reading it costs at most a bounded
// amount of work. It must never trust a word it has not checked, never
// recurse, and never crash, whatever the input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace weft {

struct validate_limits {
    // Deepest allowed value: the root is depth 1, its items depth 2, ...
    std::size_t max_nesting = 100'000;
    // At most traversal_factor * size + traversal_slack words may be visited,
    // so that pointers aliasing one big list (an "amplification bomb") fail.
    std::size_t traversal_factor = 8;
    std::size_t traversal_slack = 64;
};

struct validate_error {
    std::size_t word = 0;  // offset of the offending word in the message
    std::string message;   // says what is wrong and where, e.g. "word 7: far pointer ..."
};

// Checks a message's words (root pointer first, no segment table) whose
// envelope carries `binary_count` shared binaries. nullopt means valid. An empty
// message is valid (it reads as None).
std::optional<validate_error> validate(std::span<const std::uint64_t> words, std::size_t binary_count,
                                       const validate_limits& limits = {});

}  // namespace weft
