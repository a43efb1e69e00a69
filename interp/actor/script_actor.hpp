// script_actor.hpp: a Weft script actor: one VM with its private heap, run by
// the runtime (actors/) as a stackless actor, and the C++ API to start one.
//
// Each step of the actor runs its VM for one reduction budget. receive,
// sleep and hibernate make the VM return `waiting`, and the step returns
// step_result::wait (with the wait's deadline, if any), so a waiting actor
// holds no stack: only its cell, its VM object and its heap. An exception
// that escapes the actor's function ends it with reason ("error", kind,
// message, traceback); exit(reason) with that reason.
//
// The actor's state belongs to the one thread running its step: nothing here
// is shared but the program and the configuration, which are immutable.
//
//     weft::runtime rt;
//     auto prog = weft::interp::load_program("prog.weft");
//     weft::interp::script_config cfg{prog.get()};
//     weft::pid p = weft::interp::spawn_script(rt, cfg, "worker", {weft::term::integer(1)});
//     ...
//     rt.stop();   // before prog and cfg go
#pragma once
#include <functional>
#include <map>
#include <span>
#include <string_view>
#include <utility>

#include "actors/actor.hpp"
#include "actors/runtime.hpp"
#include "interp/compile/code.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {

// What the script actors of one program in one runtime share. It (and the
// program) must outlive every actor started with it: stop the runtime first.
struct script_config {
    const program* prog = nullptr;
    vm_options vm = actor_defaults();

    // A small first heap block: an idle actor should cost a few hundred
    // bytes, and a busy one grows its heap from its live data anyway.
    static vm_options actor_defaults() {
        vm_options o;
        o.heap.first_block_bytes = 128;
        return o;
    }
};

class script_actor final : public vm_host {
public:
    // `start` holds the call to make, encoded: a tuple (f, arg, ...). The
    // actor owns it, and decodes it into its own heap on its first step.
    // Its heap may grow to `max_heap_bytes` (runtime_options; 0: no limit).
    script_actor(const script_config& cfg, envelope* start, std::size_t max_heap_bytes);
    ~script_actor();
    script_actor(const script_actor&) = delete;
    script_actor& operator=(const script_actor&) = delete;

    // One turn: runs the VM until it waits, yields or ends. Throws actor_exit
    // with the reason when the script failed.
    step_result step(actor& self);

    // During a step: the runtime's view of this actor (send, link, ...).
    weft::actor& api() noexcept override { return *api_; }
    void long_call() noexcept override;
    const script_config& config() const noexcept { return cfg_; }

    // What this actor holds outside its heap (a child process ...): `close`
    // runs when the actor ends, whichever way it ends, unless the resource
    // is let go first (it ended, or was closed). Returns its key.
    std::uint64_t hold(std::function<void()> close);
    void let_go(std::uint64_t key) noexcept;

private:
    void begin();
    term failure_reason();

    const script_config& cfg_;
    envelope* start_;
    weft::actor* api_ = nullptr;
    vm vm_;
    std::map<std::uint64_t, std::function<void()>> held_;
    std::uint64_t next_held_ = 1;
};

// How a spawned actor is tied to the one that spawned it.
enum class spawn_relation { none, link, monitor };

// Starts a script actor for the encoded call `start` (a tuple (f, arg, ...),
// owned from here on). From an actor, `parent` is its view (needed for link
// and monitor); from outside, null. The ref is set for a monitor only.
std::pair<pid, ref> spawn_script(runtime& rt, const script_config& cfg, envelope* start, actor* parent,
                                 spawn_relation relation);

// The C++ API: runs `function`, a top-level function of the program's main
// module, with these arguments, as a new script actor. Throws runtime_error
// when the program has no such function.
pid spawn_script(runtime& rt, const script_config& cfg, std::string_view function, std::span<const term> args = {});
// The same call encoded for the spawn_script above it (e.g. to spawn it from
// a native actor with a link or monitor). The caller owns the envelope.
envelope* encode_call(const program& prog, std::string_view function, std::span<const term> args);

}  // namespace weft::interp
