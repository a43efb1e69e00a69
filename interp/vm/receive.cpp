// receive.cpp: the VM's side of `receive` (RECVBEGIN, RECVMATCH,
// RECVTAKE; see compiler_receive.cpp for the code around them).
//
// The scan walks the actor's queued messages oldest first and, for each,
// tries the cases in order, matching in place (receive_pattern.hpp). A
// message no case takes is passed and stays queued; only a matching case's
// captures are decoded into the heap. When every message has been passed the
// task waits (run() returns `waiting`) with its pc on RECVMATCH, so the next
// run() scans just the messages that arrived meanwhile. A failed guard comes
// back to RECVMATCH, which goes on with the next case for the same message.
#include <cmath>

#include "interp/message/codec.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {

namespace {

constexpr std::int64_t poll_deadline = INT64_MIN;  // `after 0`: look once, never wait

// The deadline of `after timeout` (milliseconds, int or float; None: never).
std::int64_t deadline_after(value timeout) {
    double ms;
    if (timeout.is_none()) return vm::no_deadline;
    if (timeout.is_int()) ms = double(timeout.as_int());
    else if (timeout.is_float()) ms = timeout.as_float();
    else if (is_kind(timeout, obj_kind::bignum)) ms = 1e300;  // longer than any program runs
    else
        throw_script_error("TypeError", std::string("receive's after needs a number of milliseconds, not '") +
                                            type_name(timeout) + "'");
    if (std::isnan(ms)) throw_script_error("ValueError", "receive's after cannot be NaN");
    if (ms <= 0) return poll_deadline;
    if (ms > 1e13) return vm::no_deadline - 1;  // centuries: clamp rather than overflow
    return steady_now_ns() + std::int64_t(ms * 1e6);
}

}  // namespace

void vm::receive_begin(value timeout, const recv_table& t, const value* registers) {
    if (!host_)
        throw_script_error("RuntimeError", "receive needs a running actor (module-level code runs when the program loads)");
    if (receiving_ && frames_.size() > receive_depth_)
        throw_script_error("RuntimeError", "receive inside the guard of another receive");
    deadline_ = timeout.is_empty() ? no_deadline : deadline_after(timeout);
    receiving_ = true;
    receive_depth_ = std::uint32_t(frames_.size());
    next_case_ = 0;
    // Every case needs a value from its registers: when all those are refs of
    // this node, no message queued before the oldest of them can match, and
    // the scan starts at the receive marker if that ref set it.
    if (t.all_need_values) {
        weft::ref oldest{};
        bool refs = true;
        for (const recv_case& c : t.cases) {
            value v = registers[c.needs_reg];
            if (!is_kind(v, obj_kind::ref)) {
                refs = false;
                break;
            }
            weft::ref r = as_ref(v)->r;
            if (oldest && (r.node != oldest.node || r.creation != oldest.creation)) {
                refs = false;  // serials order refs of one node only
                break;
            }
            if (!oldest || r.serial < oldest.serial) oldest = r;
        }
        if (refs) return host_->api().restart_scan_after(oldest);
    }
    host_->api().restart_scan();
}

std::int64_t vm::receive_match(const proto* p, std::uint32_t table, std::uint32_t base) {
    const recv_table& t = p->receives[table];
    weft::actor& self = host_->api();
    // Twice: the queue as the step found it, then (before giving up or
    // waiting) with what arrived during the step.
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1) self.take_arrivals();
        for (const envelope* e = self.peek(); e; e = self.peek()) {
            term_view message = term_view::root(*e);
            for (std::size_t k = next_case_; k < t.cases.size(); ++k) {
                if (match_receive_case(prog_, t.cases[k], message, stack_.data() + base, captures_)) {
                    next_case_ = std::uint16_t(k + 1);  // where a failed guard goes on
                    bind_captures(base);
                    return t.cases[k].target;
                }
            }
            next_case_ = 0;
            self.skip();
        }
    }
    if (deadline_ != no_deadline && (deadline_ == poll_deadline || steady_now_ns() >= deadline_)) {
        receiving_ = false;
        return t.after;
    }
    if (in_callback())
        throw_script_error("RuntimeError",
                           "receive cannot wait inside a function that a builtin calls (such as sorted's key)");
    wait_ = wait_kind::receive;
    return -1;
}

// Decodes what the matching case captured into its registers. Decoding
// allocates; the register stack is a root and does not move meanwhile, and
// the message stays queued (the views stay valid) until RECVTAKE.
void vm::bind_captures(std::uint32_t base) {
    for (const recv_capture& c : captures_) {
        std::uint32_t slot = base + c.reg;
        switch (c.h) {
        case recv_capture::how::whole: {
            value v = decode_value(prog_, heap_, c.v);
            stack_[slot] = v;
            break;
        }
        case recv_capture::how::slice: {
            value list = heap_.alloc_list(c.count);
            stack_[slot] = list;
            for (std::uint32_t k = 0; k < c.count; ++k) {
                value item = decode_value(prog_, heap_, c.v[c.from + k]);
                heap_.list_append(stack_[slot], item);
            }
            break;
        }
        case recv_capture::how::dict_rest: {
            value d = decode_value(prog_, heap_, c.v);
            stack_[slot] = d;
            for (std::uint16_t k = 0; k < c.key_count; ++k) heap_.dict_del(stack_[slot], stack_[base + c.key_base + k]);
            break;
        }
        }
    }
}

void vm::receive_take() {
    receiving_ = false;
    message taken = host_->api().take();  // released here: its captures are in the heap
}

}  // namespace weft::interp
