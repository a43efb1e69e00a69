// extension.hpp: an object of a layer above actors/ that lives as long as one
// runtime: io/'s service (the asio io_context and its threads), cluster/'s
// node. actors/ knows them only through this interface, so it never
// includes the layers above it.
//
// A runtime makes an extension on the first call for its key
// (runtime::extension), stops its extensions at stop() before it ends the
// actors, newest first, and destroys them before its scheduler.
#pragma once

namespace weft {

class runtime_extension {
public:
    virtual ~runtime_extension() = default;
    // The runtime is stopping: end what would otherwise run on (connections,
    // I/O threads). Called once, from stop(), before the actors are killed.
    virtual void stop() noexcept {}
    // Whether it may still send an actor a message of its own accord (a
    // socket's data in active mode, another node's message): while one
    // may, a run whose actors all wait is not stuck (runtime::stuck).
    virtual bool may_wake_actors() noexcept { return false; }
};

}  // namespace weft
