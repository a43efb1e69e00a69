// support.hpp: helpers for the actor tests: run code as an actor and wait for it.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <string>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"

namespace weft::testing {

// Runs `body` as a blocking actor, waits until it has ended and expects it to
// have ended normally (not killed by a signal); gtest assertions made
// inside are reported normally. Returns the actor's pid.
pid run_as_actor(runtime& rt, std::function<void(actor&)> body);

// Short builders so that tests read like the messages they send.
inline term s(std::string_view text) { return term::str(text); }
inline term tup(std::initializer_list<term> items) { return term::tuple(items); }

// True when `v` is a str equal to `text`.
inline bool is_str(term_view v, std::string_view text) {
    return v.kind() == term_kind::str && v.as_str() == text;
}

}  // namespace weft::testing
