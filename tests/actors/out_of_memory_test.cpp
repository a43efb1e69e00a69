// out_of_memory_test.cpp: allocation failures on the message path end the one
// actor they happen for (with MemoryError), never the node; its links and
// monitors still hear of it (the runtime's memory reserve), and the other
// actors finish. Failures are injected with this executable's own
// operator new: the calling thread's n-th allocation from now fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "actors/exit_reason.hpp"
#include "tests/actors/support.hpp"

namespace {
thread_local long allocations_until_failure = -1;  // -1: never fail
}  // namespace

void* operator new(std::size_t n) {
    if (allocations_until_failure >= 0 && allocations_until_failure-- == 0) throw std::bad_alloc();
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return ::operator new(n);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace weft {
namespace {

using testing::run_as_actor;
using testing::s;
using testing::tup;

bool is_memory_error(const term& reason) {
    return reason.is_tuple() && reason.size() == 4 && reason[1].is_str() && reason[1].as_str() == "MemoryError";
}

// For each k, an actor whose k-th allocation from its send on fails: it ends
// normally (the send needed fewer) or with MemoryError, its monitor hears of
// it either way, and a ping through a fresh actor still works afterwards.
TEST(OutOfMemory, EachAllocationOfASendEndsOnlyTheSender) {
    runtime rt(runtime_options{.threads = 2});
    int memory_errors = 0;
    for (long k = 0; k < 40; ++k) {
        run_as_actor(rt, [&](actor& self) {
            pid sink = self.spawn([](actor& a) { (void)a.receive(); });
            self.spawn_monitor([sink, k](actor& a) {
                // Bigger each time, so that no pooled envelope already has room for it.
                std::vector<term> items(std::size_t(k + 1) * 2000, term(k));
                term payload = tup({s("a message with a string long enough to be a shared binary, 64 bytes+"),
                                    term(k), term::list(std::move(items))});
                allocations_until_failure = k;
                a.send(sink, payload);
                a.send(sink, payload);
                allocations_until_failure = -1;
            });
            std::optional<message> down = self.receive(std::chrono::seconds(60));
            ASSERT_TRUE(down) << "no DOWN for k = " << k;
            term reason = decode(down->view()[3]);
            EXPECT_TRUE(exit_reason::is_normal(reason) || is_memory_error(reason)) << k << ": " << reason.repr();
            memory_errors += is_memory_error(reason);
            self.exit(sink, s("kill"));
            // The node goes on: a new actor answers.
            pid echo = self.spawn([](actor& a) {
                message m = a.receive();
                a.send(m.view().as_pid(), s("pong"));
            });
            self.send(echo, term(self.self()));
            std::optional<message> pong = self.receive(std::chrono::seconds(60));
            ASSERT_TRUE(pong);
            EXPECT_TRUE(testing::is_str(pong->view(), "pong"));
        });
    }
    EXPECT_GT(memory_errors, 0);  // some k hit an allocation of the sends
}

// A stackless step that runs out of memory ends its actor, not the worker.
TEST(OutOfMemory, AStacklessStepEndsWithMemoryError) {
    runtime rt(runtime_options{.threads = 1});
    run_as_actor(rt, [&](actor& self) {
        self.spawn_monitor(stackless, [](actor&) {
            allocations_until_failure = 0;
            std::string big(1000, 'x');  // fails
            allocations_until_failure = -1;
            return step_result::done;
        });
        allocations_until_failure = -1;
        std::optional<message> down = self.receive(std::chrono::seconds(60));
        ASSERT_TRUE(down);
        EXPECT_TRUE(is_memory_error(decode(down->view()[3]))) << down->value().repr();
    });
}

}  // namespace
}  // namespace weft
