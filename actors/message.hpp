// message.hpp: a received message, owned by the native actor that took it.
//
// Wraps the envelope so that it goes back to its pool when the message is
// dropped. view() reads the value in place (no copy, no allocation); value()
// rebuilds it as a weft::term. Move-only.
#pragma once
#include <utility>

#include "serialize/codec.hpp"
#include "serialize/envelope.hpp"
#include "serialize/term_view.hpp"

namespace weft {

class message {
public:
    explicit message(envelope* e) noexcept : e_(e) {}
    message(message&& o) noexcept : e_(std::exchange(o.e_, nullptr)) {}
    message& operator=(message&& o) noexcept {
        if (this != &o) {
            reset();
            e_ = std::exchange(o.e_, nullptr);
        }
        return *this;
    }
    message(const message&) = delete;
    message& operator=(const message&) = delete;
    ~message() { reset(); }

    term_view view() const { return term_view::root(*e_); }
    term value() const { return decode(*e_); }
    // The actor that sent it (no pid for sends from outside any actor).
    pid sender() const { return e_->from; }
    // For a DOWN: the serial of the local linked actor whose end (an exit
    // signal, not trapped) ended the watched actor; 0 when it ended otherwise.
    std::uint64_t ended_by_link() const { return e_->aux; }
    // The envelope's aux word, for envelopes that are no signal (a script
    // actor's start call carries its spawn's site there).
    std::uint64_t aux() const { return e_->aux; }
    // Gives the envelope back to the caller, who then owns it.
    envelope* release() noexcept { return std::exchange(e_, nullptr); }

private:
    void reset() noexcept {
        if (e_) envelope::release(std::exchange(e_, nullptr));
    }
    envelope* e_;
};

}  // namespace weft
