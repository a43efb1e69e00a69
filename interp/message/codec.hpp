// codec.hpp: the codec between script heap values and message
// envelopes: what send() writes and receive() rebuilds.
//
// encode_value writes a value of an actor's heap (or a frozen value of the
// program's arena) straight into an envelope, in the standard single-segment
// Cap'n Proto layout of serialize/term.capnp: byte for byte what
// weft::encode(term, e) (serialize/codec.hpp) writes for the equivalent term,
// so native C++ actors and other nodes read script messages as terms. str and
// bytes of 64 bytes or more (shared_str / shared_bytes) are not copied: the
// envelope takes a reference to their shared_binary.
//
// decode_value rebuilds a message (or a part of one: a term_view) in a heap.
// view_equals is Python's == between a part of a message and a heap value,
// for receive patterns, without decoding anything.
//
// Nothing here may recurse on the C++ stack over a value's depth (fibers have
// 64 KiB stacks; values may be nested a million deep), keep an obj* across an
// allocation, write to a frozen object (frozen values are read by every
// thread at once), or leave a pointer into a heap in an envelope.
//
// Functions travel as term.capnp's Function {module, index, name, captures}:
// index is the proto's id in the program, captures are the closure's default
// values then the contents of its captured cells. Top-level functions come
// back as the very frozen global; builtins travel by name (module "builtins",
// index 0). An unbound slot (a required keyword-only parameter's default, a
// captured variable not yet assigned) travels as a Function term whose pointer
// is null (read as empty module and name, which no real function has):
// term.capnp has no field for it.
#pragma once
#include "interp/compile/code.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"
#include "serialize/envelope.hpp"
#include "serialize/term_view.hpp"

namespace weft::interp {

// Replaces e's words and binaries with the message for v (a value of any heap,
// or frozen). Never allocates on a heap. Throws script_error (leaving e
// holding a partial message, to be cleared or released):
//   TypeError  "cannot send a 'range' object" (also 'builtin_function_or_method'
//              for bound methods, 'module', and an exception's class name such
//              as 'ValueError' for exception values)
//   ValueError "cannot send a list that contains itself" (also "a dict that
//              contains itself", "a function that refers to itself")
//   ValueError "cannot send a message larger than 4 GiB"
void encode_value(const program& prog, value v, envelope& e);

// The value a view points at, rebuilt in h. May allocate (and so collect) any
// number of times. Shared str/bytes come back sharing the envelope's binary.
// Throws script_error ValueError "function 'NAME' of module 'M' is not in this
// program" (also for an unknown builtin, with module 'builtins'), TypeError
// "unhashable type: 'list'" for a dict key that cannot be one (a message from
// a native actor), and heap_exhausted.
value decode_value(const program& prog, heap& h, term_view v);

// Python's == between a part of a message and a heap value: 1 == 1.0 == True,
// str/bytes by content (shared or not), tuple never equals list, dicts
// regardless of order, pids/refs by id, functions when the message's is that
// very function (top-level, or a builtin). Never allocates. Compound values
// nested deeper than 100 levels compare false.
bool view_equals(const program& prog, term_view v, value x);

}  // namespace weft::interp
