// actor_detail.hpp: one actor as the observer's detail panel shows it:
// process_info's figures, its links and monitors (with names), and a peek
// at its oldest queued messages, as JSON.
//
// It must never stop the actor: the peek is asked for with
// runtime::peek_messages and its answer arrives later.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "actors/message_peek.hpp"
#include "actors/runtime.hpp"

namespace weft::tools::observe {

// The live local actor whose pid prints as `text` (snapshot.hpp's
// pid_text), or nullopt. O(actors).
std::optional<pid> find_pid(runtime& rt, std::string_view text);

// The detail JSON; `peeked` is the peek's answer. An ended actor gives
// {"pid": ..., "alive": false}.
std::string actor_detail_json(runtime& rt, pid p, const peeked_messages& peeked);

}  // namespace weft::tools::observe
