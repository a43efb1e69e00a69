// codec.hpp: term <-> envelope words, specialized to term.capnp.
//
// encode() writes the standard single-segment Cap'n Proto message for the value
// (root pointer, then objects depth-first: the bytes libcapnp's builder makes
// when filling the value in the same order), without libcapnp's generic
// machinery: ~4x faster for small messages. Strings and bytes of
// `share_threshold` bytes or more are not copied into the words: the envelope
// takes a reference to their shared_binary and the words hold its index.
//
// decode() trusts its input: words from encode() on this node. Words from the
// network MUST pass validate() (validate.hpp) first; decoding anything else is
// undefined behaviour. Neither function recurses: nesting depth is unbounded.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "serialize/envelope.hpp"
#include "serialize/shared_binary.hpp"
#include "serialize/term.hpp"
#include "serialize/term_view.hpp"

namespace weft {

// Replaces e's words and binaries with the encoding of t. Throws
// std::length_error for a str/bytes/list beyond Cap'n Proto's 2^29 elements
// (and std::bad_alloc); e is then left holding a partial message.
// share_threshold = SIZE_MAX inlines every binary (e.g. for the wire).
void encode(const term& t, envelope& e, std::size_t share_threshold = shared_binary_threshold);

// Rebuilds the value. Long str/bytes come back sharing the envelope's binaries
// (same data pointer, one more reference each), so nothing big is copied.
term decode(const envelope& e);
term decode(std::span<const std::uint64_t> words, std::span<shared_binary* const> binaries);
// Decodes just the part a view points at (e.g. one element of a tuple).
term decode(term_view v);

}  // namespace weft
