// message_peek.hpp: a look at the oldest messages queued for an actor,
// without taking them (the observer's actor detail).
//
// Only the actor's own thread may walk its queue, so the look is a signal
// (runtime::peek_messages): it is ordered after the messages sent before it,
// and the owner answers it between two turns, never in the middle of a
// receive. The answer arrives through the request object on the owner's
// thread; a request that is never answered (the actor ended first, or the
// signal could not be delivered) answers `ended` when its last owner lets
// go of it, so a waiter always hears back.
//
// It must never block the owner: answer() is called on a worker thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace weft {

struct peeked_messages {
    bool ended = false;               // the actor had ended: nothing was seen
    std::int64_t queue_len = 0;       // messages queued when it looked
    std::vector<std::string> reprs;   // the oldest ones' repr, oldest first
};

class message_peek {
public:
    explicit message_peek(std::size_t how_many) : how_many_(how_many) {}
    virtual ~message_peek() = default;
    std::size_t how_many() const noexcept { return how_many_; }
    // Called once, on the thread that answers (the owner's, or whoever drops
    // an unanswered request). Must not block.
    virtual void answer(peeked_messages result) noexcept = 0;

private:
    std::size_t how_many_;
};

// What a peek signal carries (its aux points to one, new'd): whoever ends
// up with it without answering (an ended actor's mailbox, a failed route)
// deletes it, and the request hears `ended`.
struct peek_holder {
    std::shared_ptr<message_peek> request;
    ~peek_holder() {
        if (request) request->answer(peeked_messages{.ended = true, .queue_len = 0, .reprs = {}});
    }
};

}  // namespace weft
