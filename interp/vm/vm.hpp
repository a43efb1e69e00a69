// vm.hpp: the Weft virtual machine: one per actor, running compiled code
// (code.hpp) on the actor's own heap.
//
// Stackless: script calls never recurse on the C++ stack. Registers live in
// one growable array (the register stack, a root range of the heap) and call
// records in another; `run(budget)` executes until the task ends, raises out
// of its last frame, or spends its budget of reductions (one per call and per
// backward jump, and what builtins charge for their items), and can be called
// again later, on any thread, to go on.
//
// Frame layout (as Lua's): the callee sits in stack[base - 1] and its
// registers are stack[base .. base + proto->nregs); parameters come first. A
// call `CALL a n` finds the callee in R[a] and its arguments in R[a+1 ..
// a+n], so the new frame's base is the caller's base + a + 1, and the result
// lands in R[a], the callee's slot.
//
// Builtins may call back into script code (sorted(key=f)) with call(): that
// runs a nested dispatch loop on the C++ stack until the callee returns,
// ignoring the budget. Nesting is bounded (max_callback_depth) so it can never
// overflow the native stack: RecursionError instead.
//
// Exceptions: a script exception is a heap value (natives.hpp). C++ code
// raises one by throwing script_error; the loop catches it, makes the value,
// and unwinds frame by frame to the innermost handler, recording one
// traceback location per frame it leaves. A vm never lets a C++ exception of
// ours escape run(): errors end the task as `failed` with error() set.
#pragma once
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "actors/actor.hpp"
#include "interp/compile/code.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/value.hpp"
#include "interp/message/receive_match.hpp"
#include "interp/objects/builtin_def.hpp"
#include "interp/objects/natives.hpp"
#include "interp/vm/resource_table.hpp"
#include "scheduler/scheduler.hpp"

namespace weft::interp {

// Where print() writes: one call per print, its whole text (newline
// included), and whether the script asked for it to be flushed now
// (print(..., flush=True)).
using line_writer = std::function<void(std::string_view text, bool flush)>;

// `weft run --seed N`: where the random generators of a program's actors
// start (lib/random_module.cpp says how). Each vm made with the plan takes
// the next number in `made` when it is constructed, which happens when its
// actor is spawned: the main actor is 0, then spawn order.
struct seed_plan {
    std::string n;  // N in decimal
    mutable std::atomic<std::uint64_t> made{0};
};

struct vm_options {
    // Frames deeper than this raise RecursionError.
    std::uint32_t max_depth = 10'000;
    heap_options heap{};
    // print()'s writer, kept by address (a million idle actors should not
    // carry a copy each): it must outlive the vm. Null: stdout.
    const line_writer* out = nullptr;
    // --seed N, kept by address (it must outlive the vm), or null: each
    // actor's generator is seeded from the system.
    const seed_plan* seed = nullptr;
};

// What a native module keeps per actor (random's generator): plain C++ data
// owned by the vm, so it needs no rooting, never moves in a collection,
// is never copied into a spawned actor or a message, and ends with the vm.
struct module_state {
    virtual ~module_state() = default;
};

// waiting: the task waits for a message (receive), for time to pass
// (sleep), for any message (hibernate) or for a condition to clear (pause);
// wait_deadline() says until when it looks again.
// Calling run() again goes on where it stopped, or waits on.
enum class run_status : std::uint8_t { done, yielded, failed, waiting };

// The actor a vm runs in, as the VM's receive and the actor builtins see it.
// interp/actor/ implements it (script_actor); the VM needs of it only the
// runtime's view of the actor, whose mailbox receive scans.
class vm_host {
public:
    virtual weft::actor& api() noexcept = 0;
    // A builtin call has run longer than a whole budget and cannot stop
    // halfway: the actors queued behind this one should go elsewhere now.
    virtual void long_call() noexcept = 0;

protected:
    ~vm_host() = default;
};

// The runtime's clock in nanoseconds, the unit of wait deadlines: the steady
// clock, or the virtual clock of a deterministic run (scheduler::now()).
inline std::int64_t steady_now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(scheduler::now().time_since_epoch()).count();
}

// Thrown by vm::call when the script code it ran raised: the exception value
// is pending in the vm, and the dispatch loop that catches this unwinds with
// it. Builtins let it pass (they may catch it only to clean up and rethrow).
struct script_exception {};

// Thrown by call_builtin after a builtin asked to suspend the task
// (suspend_after_call); the dispatch loop returns `waiting`. Internal.
struct vm_suspend {};

// The reductions a task gets before it yields (as BEAM's).
inline constexpr std::int64_t default_budget = 4000;

class vm {
public:
    explicit vm(const program& p, vm_options opts = {});
    ~vm();
    vm(const vm&) = delete;
    vm& operator=(const vm&) = delete;

    interp::heap& heap() noexcept { return heap_; }
    const program& prog() const noexcept { return prog_; }

    // Sets up the call f(*args) as the task; run() executes it.
    // `site`, when given (pack_location + 1), is where a spawn asked for the
    // call: the traceback of an error in entering f (arguments that do not
    // bind) names that line, since f itself never ran.
    void start(value f, std::span<const value> args, std::int64_t site = 0);
    // Where the running code stands (pack_location + 1), or 0 outside any frame.
    std::int64_t current_site() const noexcept;
    // Runs the task for at most `budget` reductions.
    run_status run(std::int64_t budget = default_budget);
    // After done: the value the task's function returned.
    value result() const noexcept { return held_[result_slot]; }
    // After failed: the exception value that ended it.
    value error() const noexcept { return held_[result_slot]; }

    // -- For builtins ---------------------------------------------------------
    // Calls a script function or builtin and returns its result. Throws
    // script_exception when it raised. May move the register stack.
    value call(value f, std::span<const value> args, value kwargs = value::none());

    // Pids and refs print `<N.S.C>` with the runtime's numbers (none: raw).
    std::string repr(value v);
    std::string str(value v);
    value_repr printer();  // repr() as a callable, for record and resource types
    weft::node_numbers* numbers() noexcept;
    // Python's == (structural, deep, never recursing) and < (numbers, str,
    // bytes, tuples and lists; TypeError "'<' not supported between ...").
    bool equal(value a, value b);
    bool less(value a, value b);
    void write_out(std::string_view text, bool flush = false);

    // Iteration over list, tuple, str (code points), bytes (ints), dict
    // (keys), range. iter_check raises TypeError "'int' object is not
    // iterable" for anything else. iter_next gives the next item and advances
    // the cursor (start at 0); false at the end. `src` must be rooted by the
    // caller; iter_next may allocate (a str's one-character strings). A dict
    // that changes size while iterated raises RuntimeError.
    void iter_check(value src);
    bool iter_next(value src, std::uint64_t& cursor, value& out);
    // next(it) of an iter() value: false when it is used up.
    bool iterator_next(value it, value& out);
    // Calls f(item) for each item of an iterable (f may allocate; the items
    // and the source stay rooted meanwhile).
    template <class F>
    void for_each(value iterable, F&& f) {
        rooted src(heap_, iterable);
        iter_check(src);
        rooted item(heap_);
        std::uint64_t cursor = 0;
        value v;
        while (iter_next(src, cursor, v)) {
            charge(1);
            item = v;
            f(item.get());
        }
    }

    // Builtins that do long work (sum of a long range, a big sort or copy)
    // charge reductions as they go, one per item, as BEAM charges its BIFs:
    // when the call returns, the task yields if its budget is spent. A call
    // cannot stop halfway, so once one has charged a whole budget, the host
    // moves the other actors queued on this worker to idle ones
    // (vm_host::long_call), and nobody waits behind it.
    void charge(std::uint64_t units) noexcept {
        charged_ += units;
        if (charged_ >= std::uint64_t(default_budget) && !long_call_noted_) [[unlikely]] note_long_call();
    }

    // Resumable builtins (BEAM's trapping BIFs). A builtin that works through
    // many items asks should_trap() as it goes; when its share of the budget
    // is spent it saves where it stands, returns trap(state), and the task
    // yields; when the task runs again, the very same call starts over and
    // resumed() (which it calls first) gives the state back. Only calls made
    // straight from script code trap: never one made by another builtin.
    bool should_trap() const noexcept {
        return can_await() && charged_ >= std::uint64_t(trap_budget_);
    }
    value trap(value state) noexcept {
        held_[trap_slot] = state;
        trapped_ = true;
        return value::none();
    }
    // A builtin that waits for the world (another node's answer, an I/O
    // completion) has the answer sent to this actor as a message, then
    // returns await(state): the task waits, holding no stack, until a message
    // arrives; then the same call starts over, resumed() gives the state back,
    // and the builtin looks for its answer (and awaits again if it has not
    // come). Only calls made straight from script code can wait.
    // (Code a builtin calls back runs its CALLs with a trap budget too, but
    // its task cannot stop there: the builtin is on the C++ stack.)
    bool can_await() const noexcept { return trap_budget_ > 0 && callback_depth_ == 0; }
    // Whether the running builtin has just trapped or awaited (its return
    // value is then no result).
    bool trapped() const noexcept { return trapped_; }
    // Inside a receive (its patterns and guards): waiting for an answer there
    // would move the mailbox scan under the receive's feet.
    bool in_receive() const noexcept { return receiving_; }
    value await(value state) noexcept {
        awaiting_ = true;
        return trap(state);
    }
    // The state a trapped call saved (once), or empty for a fresh call.
    value resumed() noexcept {
        value s = held_[trap_slot];
        held_[trap_slot] = value::empty();
        return s;
    }

    // An exception of class `cls` with these args (a tuple).
    value make_exception(const builtin_def* cls, value args);
    // Raises an exception value (as `raise e`): for exceptions whose args are
    // not a message, such as KeyError(key).
    [[noreturn]] void raise_exception(value exc);
    // "Traceback (most recent call last):\n  File ..." through "Kind: message\n".
    // The innermost frames a traceback keeps (LANGUAGE.md: an exit reason
    // keeps at most 50), after folding repeated lines as CPython does.
    static constexpr std::size_t max_traceback_frames = 50;
    std::string format_exception(value exc);
    // "ValueError: bad" (the last line of a traceback, without the newline).
    std::string exception_summary(value exc);
    // str(e) of an exception value.
    std::string exception_message(value exc);

    // The current depth of script frames (tests, RecursionError).
    std::size_t depth() const noexcept { return frames_.size(); }
    // Reductions spent by run() so far (calls and backward jumps), and the
    // source line the task is at (0 before it starts): for process_info.
    std::uint64_t reductions() const noexcept { return reductions_; }
    // The same, counting the turn under way, for a builtin that reports its
    // own task's figures (process_info(self())): what the running CALL's
    // budget has spent so far, and what builtins charged meanwhile.
    std::uint64_t live_reductions() const noexcept {
        std::uint64_t spent = trap_budget_ > 0 && run_budget_ > trap_budget_ ? std::uint64_t(run_budget_ - trap_budget_) : 0;
        return reductions_ + spent + charged_;
    }
    std::uint32_t current_line() const noexcept;

    // What the task holds outside its heap (files, sockets), made on first
    // use; closed when the vm ends, if the script did not close them.
    resource_table& resources();
    // The resource a resource value names, or null when it is closed (or
    // names another VM's table).
    resource* resource_of(value r) const noexcept;

    // The state module `key` (its native_module) keeps in this vm, or null
    // before the module first made it (set_module_state). Only the vm's own
    // thread touches it: no lock.
    module_state* module_state_of(const void* key) const noexcept;
    module_state& set_module_state(const void* key, std::unique_ptr<module_state> s);
    // --seed N: the plan and this vm's number in it (seed_plan), or null.
    const seed_plan* seed() const noexcept { return seed_; }
    std::uint64_t seed_order() const noexcept { return seed_order_; }

    // -- For the actor builtins (actor/script_actor.hpp) -----------------------
    // The actor this vm runs in, or null (module bodies at load time, tests).
    vm_host* host() const noexcept { return host_; }
    void set_host(vm_host* h) noexcept { host_ = h; }
    // Inside a builtin's call back into script code (sorted's key ...), where
    // the task cannot wait.
    bool in_callback() const noexcept { return callback_depth_ > 0; }
    // After `waiting`: when the wait ends by itself, in steady_clock
    // nanoseconds, or no_deadline.
    static constexpr std::int64_t no_deadline = INT64_MAX;
    std::int64_t wait_deadline() const noexcept { return deadline_; }
    // For a builtin: when it returns, the task waits, `sleep` until the
    // deadline or `hibernate` until the next message, and then goes on after
    // the call. The caller must check in_callback() first.
    // answer: a builtin awaits an answer from the world (await()), which
    // comes as a message as a receive's would.
    enum class wait_kind : std::uint8_t { none, receive, answer, sleep, hibernate, pause };
    bool awaits_answer() const noexcept { return wait_ == wait_kind::answer; }
    void suspend_after_call(wait_kind k, std::int64_t deadline_ns) noexcept {
        wait_ = k;
        deadline_ = deadline_ns;
    }
    // For a builtin: when it returns, the task pauses while `still()` holds,
    // looking again every `poll_ns` (messages do not end the pause). Used by
    // send() to a congested node; the caller must check in_callback() first.
    void pause_after_call(std::function<bool()> still, std::int64_t poll_ns) {
        pause_while_ = std::move(still);
        pause_poll_ns_ = poll_ns;
        suspend_after_call(wait_kind::pause, steady_now_ns() + poll_ns);
    }

    // -- The machine (plain data: vm.cpp and its parts use it) ------------------
    struct frame {
        const proto* p;
        const std::uint32_t* pc;  // the next instruction
        std::uint32_t base;       // R[0] is stack_[base]; the callee is stack_[base - 1]
    };

private:
    // vm.cpp: the dispatch loop. Runs until the frame count drops to
    // stop_depth by a return (done), an exception leaves it (failed), or
    // the budget is spent (yielded).
    run_status execute(std::int64_t budget, std::size_t stop_depth);
    // call.cpp
    void ensure_stack(std::size_t size);
    // Calls the callee in stack_[slot] with the nargs values after it: a
    // script function gets a new frame (true); a builtin runs now, its
    // result in stack_[slot] (false). Keyword arguments: a dict or None.
    bool push_call(std::uint32_t slot, std::uint32_t nargs, value kwargs);
    // The same for CALLEX: the positional tuple in stack_[slot + 1], the
    // keywords (dict or None) in stack_[slot + 2].
    bool push_call_ex(std::uint32_t slot);
    // CALLEX: push_call_ex, letting a builtin trap; true when it did (call.cpp).
    bool call_ex(std::uint32_t slot, std::int64_t budget);
    // Runs a builtin on argv = stack_[first .. first + argc); its result goes to stack_[slot].
    void call_builtin(const builtin_def* def, std::uint32_t slot, std::uint32_t first, std::uint32_t argc,
                      value kwargs);
    void bind_arguments(const proto* p, std::uint32_t base, std::uint32_t nargs, value kwargs);
    void enter_frame(const proto* p, std::uint32_t base, std::uint32_t nargs);
    // receive.cpp: RECVBEGIN, RECVMATCH (the pc of the matching case, or
    // after block, or -1: wait), RECVTAKE.
    void receive_begin(value timeout, const recv_table& t, const value* registers);
    std::int64_t receive_match(const proto* p, std::uint32_t table, std::uint32_t base);
    void receive_take();
    void bind_captures(std::uint32_t base);
    // What builtins charged since the last call, taken by the dispatch loop.
    std::int64_t take_charged() noexcept {
        std::uint64_t c = charged_;
        charged_ = 0;
        long_call_noted_ = false;
        return c > std::uint64_t(INT64_MAX / 2) ? INT64_MAX / 2 : std::int64_t(c);
    }
    void note_long_call() noexcept;
    // error.cpp
    // Turns the C++ exception being handled into the pending exception value.
    // `locate`: record the running frame's location in the traceback.
    void catch_current_exception(bool locate);
    [[noreturn]] void raise_value(value exc_or_class, bool keep_traceback);
    void add_location(const frame& f, const std::uint32_t* pc);
    void add_traceback_entry(std::int64_t location);  // a pack_location
    // Unwinds to a handler (true: the top frame resumes there) or below
    // stop_depth (false: the exception leaves).
    bool unwind(std::size_t stop_depth);

    const program& prog_;
    std::uint32_t max_depth_;
    const line_writer* out_;
    interp::heap heap_;
    std::vector<value> stack_;
    std::vector<frame> frames_;
    root_scope stack_root_;
    std::uint32_t top_ = 0;  // the first stack slot above the running frame's registers
    // The task's result, or the exception that ended it; the exception
    // being raised; a trapped builtin's state; a bound method being called
    // (do_call). One root range for all.
    enum : int { result_slot, pending_slot, trap_slot, callee_slot };
    value held_[4];
    root_scope held_root_;
    std::uint32_t callback_depth_ = 0;
    std::uint64_t reductions_ = 0;
    std::int64_t run_budget_ = 0;   // the budget run() was given, for live_reductions()
    std::uint64_t charged_ = 0;     // reductions builtins charged since the loop last took them
    bool long_call_noted_ = false;  // the host heard of this call already
    std::int64_t trap_budget_ = 0;  // what the running builtin may spend before it traps (0: it may not)
    bool trapped_ = false;
    bool awaiting_ = false;  // the trapped call waits for a message, not just its turn
    std::int64_t budget_left_ = 0;  // what execute() left of its budget
    bool reraising_ = false;  // the pending exception keeps its traceback as it is
    // The actor side: what the task waits for, and the receive being scanned
    // (its table's case to try next on the current message; the frame depth
    // of the receive statement, so a receive in a guard can be refused).
    wait_kind wait_ = wait_kind::none;
    bool receiving_ = false;
    bool ended_in_wait_ = false;  // `return sleep(t)` in the task's own function
    std::uint16_t next_case_ = 0;
    std::uint32_t receive_depth_ = 0;
    std::int64_t deadline_ = no_deadline;
    std::int64_t start_site_ = 0;  // start()'s site
    std::function<bool()> pause_while_;  // wait_kind::pause
    std::int64_t pause_poll_ns_ = 0;
    vm_host* host_ = nullptr;
    std::vector<recv_capture> captures_;
    const seed_plan* seed_;
    std::uint64_t seed_order_;
    // Few modules keep state (random alone so far): a short list beats a map.
    std::vector<std::pair<const void*, std::unique_ptr<module_state>>> module_states_;
    std::unique_ptr<resource_table> resources_;  // last: its resources close first
};

// How many vm::call levels may nest before RecursionError.
inline constexpr std::uint32_t max_callback_depth = 200;

}  // namespace weft::interp
