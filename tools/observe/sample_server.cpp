// sample_server.cpp: see sample_server.hpp.
#include "tools/observe/sample_server.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "actors/actor.hpp"
#include "tools/observe/snapshot.hpp"

namespace weft::tools::observe {

namespace {

// Askers remembered at most; past it the oldest state is dropped (an asker
// that comes back gets a first sample again, with no rates).
constexpr std::size_t max_askers = 16;

struct server_state {
    explicit server_state(runtime& r) : rt(r) {}
    runtime& rt;
    std::unordered_map<pid, std::unique_ptr<sampler>> samplers;

    sampler& for_asker(pid p) {
        auto it = samplers.find(p);
        if (it != samplers.end()) return *it->second;
        if (samplers.size() >= max_askers) samplers.clear();
        return *samplers.emplace(p, std::make_unique<sampler>(rt)).first->second;
    }
};

}  // namespace

pid start_sample_server(runtime& rt) {
    auto state = std::make_shared<server_state>(rt);
    pid p = rt.spawn(stackless, [state](actor& self) {
        while (std::optional<message> m = self.try_receive()) {
            term_view v = m->view();
            // ("sample", reply_to, sort, limit); anything else is dropped.
            if (v.kind() != term_kind::tuple || v.size() != 4 || v[0].kind() != term_kind::str ||
                v[0].as_str() != "sample" || v[1].kind() != term_kind::pid || v[2].kind() != term_kind::str ||
                v[3].kind() != term_kind::integer)
                continue;
            sample_options options;
            options.sort = parse_sort_key(v[2].as_str()).value_or(sort_key::reductions);
            options.limit = std::size_t(std::max<std::int64_t>(0, v[3].as_int()));
            pid asker = v[1].as_pid();
            self.hand_off_queued_work();  // a long call: nobody waits behind it
            std::string json = to_json(state->for_asker(asker).take(options));
            self.send(asker, term::tuple({term::str("sample"), term::str(json)}));
        }
        return step_result::wait;
    });
    rt.set_initial_call(p, "weft_observer");
    rt.register_name(sample_server_name, p);
    return p;
}

}  // namespace weft::tools::observe
