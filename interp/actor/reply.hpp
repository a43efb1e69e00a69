// reply.hpp: how a builtin waits for the world without holding a thread. It
// makes a ref, asks (the cluster, the I/O layer) for the answer to come back
// to its actor as the message ("weft.reply", ref, result), and returns
// vm::await(ref); each time a message arrives the same call starts over and
// takes its answer with take_reply, or awaits again. The ref sets the receive
// marker, so looking costs only the messages that came since the question.
#pragma once
#include <optional>

#include "actors/actor.hpp"
#include "actors/remote.hpp"
#include "interp/heap/value.hpp"
#include "interp/vm/vm.hpp"
#include "serialize/term.hpp"

namespace weft::interp {

// The tag of answers, the first item of the reply tuple.
inline constexpr const char* reply_tag = remote_reply_tag;

// The answer's message for `tag`: ("weft.reply", tag, result).
term reply_message(weft::ref tag, term result);

// Takes ("weft.reply", tag, result) from the actor's mailbox and returns
// result rebuilt in the VM's heap, or empty when it has not arrived. Other
// messages stay where they are, in order.
value take_reply(vm& m, weft::actor& self, weft::ref tag);

}  // namespace weft::interp
