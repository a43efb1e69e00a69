// script_actor.cpp: see script_actor.hpp.
#include "interp/actor/script_actor.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "actors/exit_reason.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "serialize/codec.hpp"
#include "serialize/term_view.hpp"

namespace weft::interp {

namespace {
// The VM options of one actor: the config's, under the runtime's heap limit.
vm_options with_heap_limit(vm_options o, std::size_t max_heap_bytes) {
    if (max_heap_bytes) o.heap.limit_bytes = std::min(o.heap.limit_bytes, max_heap_bytes);
    return o;
}
}  // namespace

script_actor::script_actor(const script_config& cfg, envelope* start, std::size_t max_heap_bytes)
    : cfg_(cfg), start_(start), vm_(*cfg.prog, with_heap_limit(cfg.vm, max_heap_bytes)) {
    vm_.set_host(this);
}

script_actor::~script_actor() {
    if (start_) envelope::release(start_);
    for (auto& [key, close] : held_) close();
}

std::uint64_t script_actor::hold(std::function<void()> close) {
    held_.emplace(next_held_, std::move(close));
    return next_held_++;
}

void script_actor::let_go(std::uint64_t key) noexcept { held_.erase(key); }

// Rebuilds the call (f, arg, ...) in this actor's heap and sets it up.
void script_actor::begin() {
    message start(std::exchange(start_, nullptr));  // released when the call is in the heap
    term_view call = start.view();
    std::vector<value> items(call.size());
    root_scope keep(vm_.heap(), items.data(), items.size());
    for (std::size_t k = 0; k < items.size(); ++k) {
        value v = decode_value(*cfg_.prog, vm_.heap(), call[k]);
        items[k] = v;
    }
    // A spawn from script code said where it stands in the start envelope's
    // aux (actor_builtins.cpp): an error in entering the function names it.
    vm_.start(items[0], std::span<const value>(items.data() + 1, items.size() - 1), std::int64_t(start.aux()));
    // The proto's name lives as long as the program, which outlives the actor.
    if (is_native(items[0], native_kind::function)) api_->set_initial_call(function_proto(items[0])->name.c_str());
    else if (is_native(items[0], native_kind::builtin)) api_->set_initial_call(builtin_of(items[0])->name);
}

term script_actor::failure_reason() {
    value exc = vm_.error();
    const char* kind = is_native(exc, native_kind::exception) ? builtin_of(exception_class(exc))->name : "Exception";
    return exit_reason::error(kind, vm_.exception_message(exc), vm_.format_exception(exc));
}

void script_actor::long_call() noexcept { api_->hand_off_queued_work(); }

step_result script_actor::step(actor& self) {
    api_ = &self;
    if (start_) {
        try {
            begin();
        } catch (const script_error& e) {
            throw actor_exit{exit_reason::error(e.kind, e.message, "")};
        } catch (const heap_exhausted&) {
            throw actor_exit{exit_reason::error("MemoryError", "", "")};
        }
    }
    run_status status = vm_.run(default_budget);
    self.publish(vm_.reductions(), vm_.heap().block_bytes(), vm_.current_line());
    self.awaiting_answer(status == run_status::waiting && vm_.awaits_answer());
    switch (status) {
    case run_status::done: return step_result::done;
    case run_status::yielded: return step_result::yield;
    case run_status::failed: throw actor_exit{failure_reason()};
    case run_status::waiting: break;
    }
    std::int64_t deadline = vm_.wait_deadline();
    if (deadline == vm::no_deadline) return step_result::wait;
    return self.wait_for(std::chrono::nanoseconds(std::max<std::int64_t>(0, deadline - steady_now_ns())));
}

namespace {

// The name of the script function a start call (f, arg, ...) runs, from the
// program (it outlives the actor), or null (a builtin: the actor says it).
const char* function_named_in(const program& prog, const envelope& start) {
    term_view f = term_view::root(start)[0];
    if (f.kind() != term_kind::function || f.function_index() >= prog.proto_count()) return nullptr;
    const proto& p = prog.proto_by_id(f.function_index());
    return p.name == f.function_name() ? p.name.c_str() : nullptr;
}

std::pair<pid, ref> start_script(runtime& rt, step_function step, actor* parent, spawn_relation relation,
                                 const char* initial_call) {
    if (!parent) return {rt.spawn(stackless, std::move(step), initial_call), ref{}};
    switch (relation) {
    case spawn_relation::none: break;
    case spawn_relation::link: return {parent->spawn_link(stackless, std::move(step), initial_call), ref{}};
    case spawn_relation::monitor: return parent->spawn_monitor(stackless, std::move(step), initial_call);
    }
    return {parent->spawn(stackless, std::move(step), initial_call), ref{}};
}

}  // namespace

std::pair<pid, ref> spawn_script(runtime& rt, const script_config& cfg, envelope* start, actor* parent,
                                 spawn_relation relation) {
    const char* initial_call = function_named_in(*cfg.prog, *start);
    std::shared_ptr<script_actor> sa;
    try {
        sa = std::make_shared<script_actor>(cfg, start, rt.options().max_heap_bytes);
    } catch (...) {
        envelope::release(start);
        throw;
    }
    step_function step = [sa = std::move(sa)](actor& self) { return sa->step(self); };
    // Named before it can run, so that process_info() and a trace's spawn see it at once.
    return start_script(rt, std::move(step), parent, relation, initial_call);
}

envelope* encode_call(const program& prog, std::string_view function, std::span<const term> args) {
    const module& m = prog.main_module();
    std::uint32_t slot = m.slot_of(function);
    value f = slot == module::no_slot ? value::empty() : m.globals[slot];
    if (!is_native(f, native_kind::function))
        throw runtime_error("spawn_script: the program has no top-level function '" + std::string(function) + "'");
    const proto* p = function_proto(f);
    std::vector<term> call;
    call.reserve(args.size() + 1);
    call.push_back(term::function(m.name, p->id, p->name, {}));
    call.insert(call.end(), args.begin(), args.end());
    envelope* e = envelope::acquire();
    try {
        encode(term::tuple(std::move(call)), *e);
    } catch (...) {
        envelope::release(e);
        throw;
    }
    return e;
}

pid spawn_script(runtime& rt, const script_config& cfg, std::string_view function, std::span<const term> args) {
    return spawn_script(rt, cfg, encode_call(*cfg.prog, function, args), nullptr, spawn_relation::none).first;
}

}  // namespace weft::interp
