// owned.hpp: something outside the actor world that an actor owns and that
// must end with it (a socket of io/), as an Erlang port linked to its owner.
//
// runtime::hand_over gives one to an actor as a signal, so it is ordered
// with the messages before it and handled by the owner's own thread. The
// owner's cell keeps what it was handed and, when it ends, calls
// owner_ended on each before its links and monitors hear of the end: a
// watcher that gets the DOWN finds the socket closed. A thing handed to an
// actor that has already ended hears owner_ended at once. actors/ knows it
// only through this interface.
#pragma once
#include "serialize/ids.hpp"

namespace weft {

class owned_resource {
public:
    virtual ~owned_resource() = default;
    // `owner` has ended: end too, unless it has been handed on since (it
    // may have been: the owner's cell keeps what it was ever handed).
    // Called on the ending actor's thread; must not block for long.
    virtual void owner_ended(pid owner) noexcept = 0;
    // Whether `p` still owns it: lets a long-lived owner forget what it has
    // closed or handed on.
    virtual bool owned_by(pid p) const noexcept = 0;
};

}  // namespace weft
