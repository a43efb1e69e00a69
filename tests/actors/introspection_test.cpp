// introspection_test.cpp: what runtime::info, processes and registered show
// of running actors, and the receive marker that make_ref() and monitor() set.
#include <gtest/gtest.h>

#include <algorithm>

#include "actors/exit_reason.hpp"
#include "tests/actors/support.hpp"

namespace weft {
namespace {

using testing::run_as_actor;
using testing::s;

// Waits (generously, without timing anything) until `p` waits in receive,
// sleeping a millisecond at a time so that p gets a worker.
process_info waiting_info(actor& self, pid p) {
    for (int i = 0; i < 60'000; ++i) {
        std::optional<process_info> info = self.rt().info(p);
        if (info && info->status == run_state::waiting && !info->links.empty()) return *info;
        EXPECT_FALSE(self.receive(std::chrono::milliseconds(1)));  // nothing is sent to us meanwhile
    }
    ADD_FAILURE() << "the actor never waited";
    return {};
}

TEST(Introspection, ASnapshotOfAWaitingActor) {
    runtime rt(runtime_options{.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        pid child = self.spawn_link([](actor& a) {
            a.set_initial_call("child");
            (void)a.receive();  // "stop"
        });
        rt.register_name("kid", child);
        ref mon = self.monitor(child);
        process_info info = waiting_info(self, child);
        EXPECT_EQ(info.initial_call, "child");
        EXPECT_EQ(info.name, "kid");
        EXPECT_EQ(info.queue_len, 0);
        EXPECT_EQ(info.links, std::vector<pid>{me});
        EXPECT_TRUE(info.monitors.empty());

        std::optional<process_info> mine = rt.info(me);
        ASSERT_TRUE(mine);
        EXPECT_EQ(mine->status, run_state::running);
        EXPECT_EQ(mine->monitors, std::vector<pid>{child});
        EXPECT_EQ(mine->links, std::vector<pid>{child});
        auto procs = rt.processes();
        EXPECT_NE(std::find(procs.begin(), procs.end(), child), procs.end());
        EXPECT_EQ(rt.registered(), std::vector<std::string>{"kid"});

        self.unlink(child);
        self.send(child, s("stop"));
        std::optional<message> down = self.receive_if(
            [&](term_view v) { return v.kind() == term_kind::tuple && v[1].as_ref() == mon; });
        ASSERT_TRUE(down);
        // Whoever hears of the end finds the actor gone.
        EXPECT_FALSE(rt.info(child));
        EXPECT_FALSE(rt.alive(child));
        EXPECT_TRUE(rt.registered().empty());
    });
}

TEST(Introspection, TheMarkerSkipsMessagesOlderThanTheRef) {
    runtime rt(runtime_options{.threads = 1});
    run_as_actor(rt, [&](actor& self) {
        for (int i = 0; i < 100'000; ++i) self.send(self.self(), term(i));
        self.take_arrivals();
        ref older = rt.make_ref();  // made without the actor: sets no marker
        ref r = self.make_ref();
        self.send(self.self(), term::tuple({s("reply"), term(r)}));
        self.take_arrivals();
        self.restart_scan_after(r);
        ASSERT_NE(self.peek(), nullptr);
        EXPECT_EQ(term_view::root(*self.peek()).kind(), term_kind::tuple);
        // A ref older than the marker's: the scan starts at the oldest message.
        self.restart_scan_after(older);
        EXPECT_EQ(term_view::root(*self.peek()).as_int(), 0);
        EXPECT_EQ(self.queue_length(), 100'001);
    });
}

}  // namespace
}  // namespace weft
