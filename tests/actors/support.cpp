// support.cpp: see support.hpp.
#include "support.hpp"

namespace weft::testing {

// An observer actor monitors the body's actor and reports its DOWN, so that the
// caller resumes only once the actor has fully ended (links and names settled).
pid run_as_actor(runtime& rt, std::function<void(actor&)> body) {
    std::promise<pid> ended;
    rt.spawn([&](actor& observer) {
        auto [p, r] = observer.spawn_monitor(std::move(body));
        observer.receive_if([&](term_view v) { return v.kind() == term_kind::tuple && v[1].as_ref() == r; });
        ended.set_value(p);
    });
    return ended.get_future().get();
}

}  // namespace weft::testing
