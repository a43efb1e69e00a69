// call.cpp: the VM's life cycle (start, run) and calls: frames for
// script functions with Python's argument binding (defaults, *args,
// keywords), builtins and bound methods, and vm::call for builtins that
// call back into script code.
#include <limits>

#include "interp/objects/natives.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/ops.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {

namespace {

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}
}  // namespace

vm::vm(const program& p, vm_options opts)
    : prog_(p),
      max_depth_(opts.max_depth),
      out_(opts.out),
      heap_(opts.heap),
      stack_root_(heap_, nullptr, 0),  // sized by start(): an idle actor's stack is just its frame
      held_root_(heap_, held_, 4),
      seed_(opts.seed),
      seed_order_(opts.seed ? opts.seed->made.fetch_add(1, std::memory_order_relaxed) : 0) {
    held_[trap_slot] = value::empty();
}

vm::~vm() = default;

resource_table& vm::resources() {
    if (!resources_) resources_ = std::make_unique<resource_table>();
    return *resources_;
}

resource* vm::resource_of(value r) const noexcept {
    if (!resources_) return nullptr;
    resource_ref ref = resource_ref_of(r);
    return ref.type->port ? nullptr : resources_->find(ref.stamp, ref.key);
}

module_state* vm::module_state_of(const void* key) const noexcept {
    for (const auto& [k, s] : module_states_)
        if (k == key) return s.get();
    return nullptr;
}

module_state& vm::set_module_state(const void* key, std::unique_ptr<module_state> s) {
    for (auto& [k, old] : module_states_)
        if (k == key) return *(old = std::move(s));
    return *module_states_.emplace_back(key, std::move(s)).second;
}

void vm::ensure_stack(std::size_t size) {
    if (size <= stack_.size()) return;
    stack_.resize(std::max(size, stack_.size() * 2));
    stack_root_.reset(stack_.data(), stack_.size());
}

void vm::start(value f, std::span<const value> args, std::int64_t site) {
    frames_.clear();
    start_site_ = site;
    ensure_stack(1 + args.size() + 2);
    stack_[0] = f;
    for (std::size_t k = 0; k < args.size(); ++k) stack_[1 + k] = args[k];
    top_ = std::uint32_t(1 + args.size());
    held_[result_slot] = value::none();
}

run_status vm::run(std::int64_t budget) {
    run_budget_ = budget;
    if (wait_ != wait_kind::none) {
        // A receive's wait ends in RECVMATCH, which runs again; a sleep when its time is up.
        if (wait_ == wait_kind::sleep && deadline_ > steady_now_ns()) return run_status::waiting;
        if (wait_ == wait_kind::pause) {
            if (deadline_ > steady_now_ns()) return run_status::waiting;
            if (pause_while_()) {
                deadline_ = steady_now_ns() + pause_poll_ns_;
                return run_status::waiting;
            }
            pause_while_ = nullptr;
        }
        if (wait_ != wait_kind::receive) deadline_ = no_deadline;
        wait_ = wait_kind::none;
        if (ended_in_wait_) {
            ended_in_wait_ = false;
            held_[result_slot] = stack_[0];
            return run_status::done;
        }
    } else if (frames_.empty()) {
        // The first run: enter the task's function.
        try {
            if (!push_call(0, top_ - 1, value::none())) {
                held_[result_slot] = stack_[0];
                return run_status::done;
            }
        } catch (...) {
            catch_current_exception(false);
            if (start_site_ > 0 && std::uint32_t(location_proto(start_site_ - 1)) < prog_.proto_count())
                add_traceback_entry(start_site_ - 1);
            held_[result_slot] = held_[pending_slot];
            return run_status::failed;
        }
    }
    run_status status = execute(budget, 0);
    reductions_ += std::uint64_t(budget - budget_left_);
    return status;
}

void vm::note_long_call() noexcept {
    long_call_noted_ = true;
    if (host_) host_->long_call();
}

std::int64_t vm::current_site() const noexcept {
    if (frames_.empty()) return 0;
    return pack_location(frames_.back().p->id, current_line()) + 1;
}

std::uint32_t vm::current_line() const noexcept {
    if (frames_.empty()) return 0;
    const frame& f = frames_.back();
    std::uint32_t at = f.pc > f.p->code.data() ? std::uint32_t(f.pc - f.p->code.data() - 1) : 0;
    return f.p->line_at(at);
}

value vm::call(value f, std::span<const value> args, value kwargs) {
    if (callback_depth_ >= max_callback_depth) throw_script_error("RecursionError", "maximum recursion depth exceeded");
    std::uint32_t saved_top = top_;
    std::uint32_t slot = top_;
    ensure_stack(slot + 1 + args.size() + 2);
    stack_[slot] = f;
    for (std::size_t k = 0; k < args.size(); ++k) stack_[slot + 1 + k] = args[k];
    top_ = std::uint32_t(slot + 1 + args.size());
    std::size_t depth = frames_.size();
    ++callback_depth_;
    constexpr std::int64_t unbounded = std::numeric_limits<std::int64_t>::max();
    struct restore {
        vm& m;
        std::uint32_t top;
        std::int64_t trap_budget;
        std::uint64_t charged;
        bool noted;
        ~restore() {
            --m.callback_depth_;
            m.top_ = top;
            m.trap_budget_ = trap_budget;
            // The callback's cost (its code, and the builtins it called,
            // whose charges its CALLs took) is the calling builtin's.
            m.charged_ += charged + std::uint64_t(unbounded - m.budget_left_);
            m.long_call_noted_ = m.long_call_noted_ || noted;
        }
    } guard{*this, saved_top, trap_budget_, charged_, long_call_noted_};
    trap_budget_ = 0;  // what a builtin calls back runs to its end
    charged_ = 0;
    budget_left_ = unbounded;
    if (!push_call(slot, std::uint32_t(args.size()), kwargs)) return stack_[slot];
    if (execute(unbounded, depth) == run_status::failed) throw script_exception{};
    return stack_[slot];
}

// -- frames -------------------------------------------------------------------------

void vm::enter_frame(const proto* p, std::uint32_t base, std::uint32_t nargs) {
    if (frames_.size() >= max_depth_) [[unlikely]]
        throw_script_error("RecursionError", "maximum recursion depth exceeded");
    std::size_t need = std::size_t(base) + p->nregs + 3;  // +3: room for a CALLEX's spread
    if (need > stack_.size()) ensure_stack(need);
    value* r = stack_.data() + base;
    for (std::uint32_t k = nargs; k < p->nregs; ++k) r[k] = value::empty();
    frames_.push_back(frame{p, p->code.data(), base});
}

void vm::call_builtin(const builtin_def* def, std::uint32_t slot, std::uint32_t first, std::uint32_t argc,
                      value kwargs) {
    // A vm::call from the builtin places its callee above the arguments.
    std::uint32_t saved_top = top_;
    top_ = std::max(top_, first + argc);
    value r = def->fn(*this, stack_.data() + first, argc, kwargs);
    top_ = saved_top;
    stack_[slot] = r;
    if (wait_ != wait_kind::none) [[unlikely]] throw vm_suspend{};  // sleep(), hibernate()
}

bool vm::push_call(std::uint32_t slot, std::uint32_t nargs, value kwargs) {
    value f = stack_[slot];
    if (is_native(f, native_kind::function)) {
        const proto* p = function_proto(f);
        bind_arguments(p, slot + 1, nargs, kwargs);
        return true;
    }
    if (is_native(f, native_kind::builtin)) {
        const builtin_def* def = builtin_of(f);
        if (!def->fn)
            throw_script_error("TypeError", std::string("cannot create '") + def->name + "' instances");
        call_builtin(def, slot, slot + 1, nargs, kwargs);
        return false;
    }
    if (is_native(f, native_kind::bound_method)) {
        // The receiver takes the callee's slot: it is the method's argv[0].
        const builtin_def* def = bound_def(f);
        stack_[slot] = bound_receiver(f);
        call_builtin(def, slot, slot, nargs + 1, kwargs);
        return false;
    }
    throw_script_error("TypeError", std::string("'") + type_name(f) + "' object is not callable");
}

// CALLEX: a builtin or a bound method called with *args or **kwargs
// (os.makedirs(p, exist_ok=True), f(*args) where f = conn.recv) may trap as
// from CALL. The call spreads the packed arguments over the registers, so
// they are kept (rooted: the call may move them) and put back when it
// trapped, for CALLEX to run again.
bool vm::call_ex(std::uint32_t slot, std::int64_t budget) {
    if (!is_native(stack_[slot], native_kind::builtin) &&
        !is_native(stack_[slot], native_kind::bound_method)) {  // a script function never traps
        push_call_ex(slot);
        return false;
    }
    value kept[3] = {stack_[slot], stack_[slot + 1], stack_[slot + 2]};  // callee, *args, **kwargs
    root_scope keep(heap_, kept, 3);
    trap_budget_ = budget;
    try {
        push_call_ex(slot);
    } catch (...) {
        trap_budget_ = 0;
        throw;
    }
    trap_budget_ = 0;
    if (!trapped_) return false;
    trapped_ = false;
    for (int k = 0; k < 3; ++k) stack_[slot + k] = kept[k];
    return true;
}

bool vm::push_call_ex(std::uint32_t slot) {
    // Spread the positional tuple onto the stack after the callee.
    rooted tuple(heap_, stack_[slot + 1]);
    rooted kwargs(heap_, stack_[slot + 2]);
    std::uint32_t n = as_tuple(tuple)->length();
    ensure_stack(std::size_t(slot) + 1 + n + 1);
    for (std::uint32_t k = 0; k < n; ++k) stack_[slot + 1 + k] = as_tuple(tuple)->items()[k];
    value kw = kwargs;
    if (kw.is_obj() && interp::heap::dict_len(kw) == 0) kw = value::none();
    return push_call(slot, n, kw);
}

// Binds nargs positional values at stack_[base ..] and the keywords to p's
// parameters, with Python's rules and messages, then enters the frame.
namespace {

// Python's TypeErrors for a call that does not fit the function's parameters.
[[noreturn]] void too_many_positional(const proto* p, std::uint32_t nargs) {
    std::uint32_t npos = p->npositional;
    std::string takes = p->ndefaults ? "from " + std::to_string(npos - p->ndefaults) + " to " + std::to_string(npos)
                                     : std::to_string(npos);
    throw_script_error("TypeError", p->name + "() takes " + takes + " positional argument" +
                                        (npos == 1 && !p->ndefaults ? "" : "s") + " but " + std::to_string(nargs) +
                                        (nargs == 1 ? " was" : " were") + " given");
}

[[noreturn]] void missing_positional(const proto* p, const std::vector<std::string>& missing) {
    std::string names;
    for (std::size_t k = 0; k < missing.size(); ++k) {
        if (k) names += missing.size() == 2 ? " and " : (k + 1 == missing.size() ? ", and " : ", ");
        names += "'" + missing[k] + "'";
    }
    throw_script_error("TypeError",
                       p->name + "() missing " + plural(missing.size(), "required positional argument") + ": " + names);
}

[[noreturn]] void missing_keyword_only(const proto* p, const std::string& name) {
    throw_script_error("TypeError", p->name + "() missing 1 required keyword-only argument: '" + name + "'");
}

}  // namespace

void vm::bind_arguments(const proto* p, std::uint32_t base, std::uint32_t nargs, value kwargs_value) {
    rooted kwargs(heap_, kwargs_value);
    const std::string& fname = p->name;
    std::uint32_t npos = p->npositional;
    std::uint32_t nparams = p->nparams();
    ensure_stack(std::size_t(base) + std::max<std::uint32_t>(p->nregs, nargs) + 3);
    value* r = stack_.data() + base;

    if (nargs > npos && !p->has_vararg) too_many_positional(p, nargs);
    // *args: the extra positional values as a tuple.
    value extra = value::none();
    if (p->has_vararg) {
        std::uint32_t n_extra = nargs > npos ? nargs - npos : 0;
        extra = heap_.alloc_tuple(std::span<const value>(stack_.data() + base + npos, n_extra));
        r = stack_.data() + base;
    }
    std::uint32_t bound = std::min(nargs, npos);
    for (std::uint32_t k = bound; k < p->nregs; ++k) r[k] = value::empty();
    if (p->has_vararg) r[npos] = extra;
    // **kwargs: the keywords no parameter takes, in a dict of their own (a
    // register, so it stays rooted while it fills).
    std::uint32_t varkw = nparams - 1;
    if (p->has_varkw) r[varkw] = heap_.alloc_dict();

    if (kwargs.get().is_obj()) {
        std::uint32_t pos = 0;
        value key, v;
        while (interp::heap::dict_next(kwargs, pos, key, v)) {
            std::string_view name = str_view(key);
            std::uint32_t k = 0;
            for (; k < nparams; ++k)
                if (p->param_names[k] == name && !(p->has_vararg && k == npos) && !(p->has_varkw && k == varkw))
                    break;
            if (k == nparams && p->has_varkw) {
                heap_.dict_set(r[varkw], key, v);  // roots key and v while it grows
                r = stack_.data() + base;
                continue;
            }
            if (k == nparams)
                throw_script_error("TypeError",
                                   fname + "() got an unexpected keyword argument '" + std::string(name) + "'");
            if (!r[k].is_empty())
                throw_script_error("TypeError",
                                   fname + "() got multiple values for argument '" + std::string(name) + "'");
            r[k] = v;
        }
    }
    // Defaults for what is still unbound, then the missing ones.
    value f = stack_[base - 1];
    const value* defaults = function_slots(f);
    std::vector<std::string> missing;
    for (std::uint32_t k = 0; k < npos; ++k) {
        if (!r[k].is_empty()) continue;
        std::uint32_t first_default = npos - p->ndefaults;
        if (k >= first_default) r[k] = defaults[k - first_default];
        else missing.push_back(p->param_names[k]);
    }
    if (!missing.empty()) missing_positional(p, missing);
    std::uint32_t kw0 = npos + (p->has_vararg ? 1 : 0);
    for (std::uint32_t k = 0; k < p->nkwonly; ++k) {
        if (!r[kw0 + k].is_empty()) continue;
        value d = defaults[p->ndefaults + k];
        if (d.is_empty()) missing_keyword_only(p, p->param_names[kw0 + k]);
        r[kw0 + k] = d;
    }
    if (frames_.size() >= max_depth_) throw_script_error("RecursionError", "maximum recursion depth exceeded");
    frames_.push_back(frame{p, p->code.data(), base});
}

}  // namespace weft::interp
