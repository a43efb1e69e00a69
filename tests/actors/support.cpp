// support.cpp: see support.hpp.
#include "support.hpp"

#include "actors/exit_reason.hpp"

namespace weft::testing {

// An observer actor monitors the body's actor and reports its DOWN, so that the
// caller resumes only once the actor has fully ended (links and names settled),
// and knows how: a body killed half-way must fail the test, not end it quietly.
pid run_as_actor(runtime& rt, std::function<void(actor&)> body) {
    std::promise<std::pair<pid, term>> ended;
    rt.spawn([&](actor& observer) {
        // Not a structured binding: clang 14 cannot capture one in the lambda below.
        std::pair<pid, ref> watched = observer.spawn_monitor(std::move(body));
        ref r = watched.second;
        message down =
            *observer.receive_if([&](term_view v) { return v.kind() == term_kind::tuple && v[1].as_ref() == r; });
        ended.set_value({watched.first, down.value().elements()[3]});
    });
    auto [p, reason] = ended.get_future().get();
    EXPECT_EQ(reason, exit_reason::normal()) << "the test's actor ended abnormally";
    return p;
}

}  // namespace weft::testing
