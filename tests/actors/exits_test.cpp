// Links, monitors and exit signals, with Erlang's rules.
#include <stdexcept>

#include "actors/exit_reason.hpp"
#include "support.hpp"

namespace weft {
namespace {

using namespace std::chrono_literals;
using testing::run_as_actor;
using testing::s;
using testing::tup;

// Runtime options that collect crash reports instead of printing them.
struct crash_log {
    std::mutex m;
    std::vector<term> reasons;
    runtime_options options(unsigned threads = 2) {
        return {.threads = threads, .on_crash = [this](pid, const term& r, const std::string&) {
                    std::lock_guard g(m);
                    reasons.push_back(r);
                }};
    }
};

// Waits for a message the predicate accepts and returns its value.
term await(actor& self, std::function<bool(term_view)> accept) {
    return self.receive_if([&](term_view v) { return accept(v); })->value();
}

bool is_tagged(term_view v, std::string_view tag) {
    return (v.kind() == term_kind::tuple) && v.size() > 0 && testing::is_str(v[0], tag);
}

TEST(Exits, TrappedLinkDeliversExitMessageWithTheReason) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        self.trap_exits(true);
        pid child = self.spawn_link([](actor& c) { c.exit(s("custom")); });
        term msg = await(self, [](term_view v) { return is_tagged(v, "EXIT"); });
        EXPECT_EQ(msg, tup({s("EXIT"), term(child), s("custom")}));
    });
}

TEST(Exits, ExceptionReasonNamesTheErrorAndIsReportedOnlyWhenUnwatched) {
    crash_log log;
    runtime rt(log.options());
    run_as_actor(rt, [&](actor& self) {
        self.trap_exits(true);
        self.spawn_link([](actor&) { throw std::invalid_argument("bad thing"); });
        term msg = await(self, [](term_view v) { return is_tagged(v, "EXIT"); });
        term reason = msg.elements()[2];
        EXPECT_EQ(reason, exit_reason::error("std::invalid_argument", "bad thing", ""));
    });
    EXPECT_TRUE(log.reasons.empty()) << "a linked actor's crash is its linker's business";
    rt.spawn([](actor&) { throw std::runtime_error("nobody watches"); });
    rt.run_until_idle();
    ASSERT_EQ(log.reasons.size(), 1u);
    EXPECT_EQ(log.reasons[0], exit_reason::error("std::runtime_error", "nobody watches", ""));
}

TEST(Exits, AbnormalExitKillsLinkedActorsThatDoNotTrap) {
    runtime rt({.threads = 2, .on_crash = [](pid, const term&, const std::string&) {}});
    run_as_actor(rt, [&](actor& self) {
        self.trap_exits(true);
        // middle is linked to us (trapping) and to a child that fails.
        pid middle = self.spawn_link([](actor& m) {
            m.spawn_link([](actor& c) { c.exit(s("boom")); });
            m.receive();  // ended by the child's exit signal before anything comes
            ADD_FAILURE() << "middle should have been killed by its link";
        });
        term msg = await(self, [](term_view v) { return is_tagged(v, "EXIT"); });
        EXPECT_EQ(msg, tup({s("EXIT"), term(middle), s("boom")}));
    });
}

TEST(Exits, NormalExitDoesNotKillLinks) {
    runtime rt({.threads = 2});
    // The survivor's linked child ends normally; the survivor waits for the
    // child's DOWN (sent after its link exit), then proves it is alive.
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        self.spawn_link([me](actor& m) {
            pid child = m.spawn_link([](actor&) {});
            m.monitor(child);
            m.receive();  // the DOWN: any exit signal has been handled by now
            m.send(me, s("still here"));
        });
        EXPECT_EQ(await(self, [](term_view v) { return testing::is_str(v, "still here"); }), s("still here"));
    });
}

TEST(Exits, KillCannotBeTrappedAndLinksSeeKilled) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        self.trap_exits(true);
        pid victim = self.spawn_link([](actor& v) {
            v.trap_exits(true);
            for (;;) v.receive();  // traps everything but kill
        });
        self.exit(victim, s("please"));  // trapped: becomes a message, victim lives
        EXPECT_FALSE(self.receive(20ms).has_value());
        EXPECT_TRUE(self.rt().alive(victim));
        self.exit(victim, exit_reason::kill());
        term msg = await(self, [](term_view v) { return is_tagged(v, "EXIT"); });
        EXPECT_EQ(msg, tup({s("EXIT"), term(victim), s("killed")}));
    });
}

// The untrappable flag is the runtime's, for an actor ending itself; an exit
// signal that carries it from another pid (another node sets the field as it
// likes) is an ordinary, trappable one.
TEST(Exits, TheUntrappableFlagFromAnotherPidIsTrapped) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        pid target = self.spawn([me](actor& t) {
            t.trap_exits(true);
            t.send(me, s("trapping"));
            t.send(me, t.receive().value());
        });
        EXPECT_EQ(self.receive().value(), s("trapping"));
        term reason = s("forged");
        self.rt().send_signal(target, signal_kind::exit, me, {}, &reason, untrappable_exit);
        EXPECT_EQ(self.receive().value(), tup({s("EXIT"), term(me), s("forged")}));
    });
}

TEST(Exits, ExitSignalWithNormalReasonIsIgnoredUnlessTrapping) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        pid me = self.self();
        pid target = self.spawn([me](actor& t) {
            t.receive();
            t.send(me, s("alive after normal exit signal"));
        });
        self.exit(target, exit_reason::normal());
        self.send(target, s("go"));
        EXPECT_EQ(self.receive().value(), s("alive after normal exit signal"));
    });
}

TEST(Exits, MonitorDeliversDownWithReason) {
    runtime rt({.threads = 2, .on_crash = [](pid, const term&, const std::string&) {}});
    run_as_actor(rt, [&](actor& self) {
        auto [child, r] = self.spawn_monitor([](actor& c) { c.exit(s("done for")); });
        term msg = await(self, [](term_view v) { return is_tagged(v, "DOWN"); });
        EXPECT_EQ(msg, tup({s("DOWN"), term(r), term(child), s("done for")}));
    });
}

TEST(Exits, MonitorOfDeadPidGivesNoproc) {
    runtime rt({.threads = 2});
    pid gone = rt.spawn([](actor&) {});
    rt.run_until_idle();
    run_as_actor(rt, [&](actor& self) {
        ref r = self.monitor(gone);
        term msg = await(self, [](term_view v) { return is_tagged(v, "DOWN"); });
        EXPECT_EQ(msg, tup({s("DOWN"), term(r), term(gone), s("noproc")}));
        pid never{self.rt().node_id(), self.rt().creation(), 999999};
        ref r2 = self.monitor(never);
        EXPECT_EQ(await(self, [](term_view v) { return is_tagged(v, "DOWN"); }),
                  tup({s("DOWN"), term(r2), term(never), s("noproc")}));
    });
}

TEST(Exits, DemonitorMeansNoDown) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        pid target = self.spawn([](actor& t) { t.receive(); });
        ref r = self.monitor(target);
        self.demonitor(r);
        self.send(target, s("end now"));
        ref r2 = self.monitor(target);  // a second monitor still reports
        term msg = await(self, [](term_view v) { return is_tagged(v, "DOWN"); });
        EXPECT_EQ(msg.elements()[1], term(r2));
        EXPECT_FALSE(self.receive(20ms).has_value()) << "no DOWN for the removed monitor";
    });
}

TEST(Exits, LinkToDeadPidGivesNoprocExit) {
    runtime rt({.threads = 2});
    pid gone = rt.spawn([](actor&) {});
    rt.run_until_idle();
    run_as_actor(rt, [&](actor& self) {
        self.trap_exits(true);
        self.link(gone);
        EXPECT_EQ(await(self, [](term_view v) { return is_tagged(v, "EXIT"); }),
                  tup({s("EXIT"), term(gone), s("noproc")}));
    });
}

TEST(Exits, UnlinkPreventsPropagation) {
    runtime rt({.threads = 2, .on_crash = [](pid, const term&, const std::string&) {}});
    // run_as_actor fails the test if the child's failure reached (killed) us.
    // The child sends its link exits before its DOWNs, so once the DOWN is here
    // an exit signal would have been too.
    run_as_actor(rt, [&](actor& self) {
        pid child = self.spawn_link([](actor& c) {
            c.receive();
            c.exit(s("failing alone"));
        });
        self.unlink(child);
        self.send(child, s("fail now"));
        ref r = self.monitor(child);
        term msg = await(self, [](term_view v) { return is_tagged(v, "DOWN"); });
        EXPECT_EQ(msg.elements()[1], term(r));
    });
}

TEST(Exits, ExitSelfEndsWithThatReason) {
    runtime rt({.threads = 2});
    run_as_actor(rt, [&](actor& self) {
        auto [child, r] = self.spawn_monitor([](actor& c) {
            c.exit(c.self(), s("by my own hand"));
            c.receive();
        });
        EXPECT_EQ(await(self, [](term_view v) { return is_tagged(v, "DOWN"); }),
                  tup({s("DOWN"), term(r), term(child), s("by my own hand")}));
    });
}

}  // namespace
}  // namespace weft
