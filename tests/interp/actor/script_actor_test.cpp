// Script actors through the C++ API: spawning a program's function, talking
// to native actors with the same envelopes and pids, crash reports, and a
// hundred thousand script actors exchanging messages (run under ASan and
// TSan by `make asan` / `make tsan`: no leak, no race).
#include "interp/actor/script_actor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "actors/exit_reason.hpp"
#include "interp/load/loader.hpp"

namespace weft::interp {
namespace {

using namespace std::chrono_literals;

constexpr const char* source = R"(
def echo():
    while True:
        receive:
            case ("echo", sender, value):
                send(sender, ("echoed", value))
            case "stop":
                return

def adder(base, to):
    receive:
        case int(n):
            send(to, base + n)

def fails(to):
    send(to, "about to fail")
    raise ValueError("bad input")

def swarm(n, to):
    me = self()
    for k in range(n):
        p = spawn(child, me, k)
        send(p, ("go", k * 2))
    total = 0
    for k in range(n):
        receive:
            case ("done", v):
                total += v
    send(to, ("swarm", total))

def child(parent, k):
    receive:
        case ("go", v):
            send(parent, ("done", v - k))
)";

std::unique_ptr<program> load() { return load_program_source("actors.weft", source); }

// Runs `body` as a native blocking actor and waits for it.
void as_native(runtime& rt, std::function<void(actor&)> body) {
    std::promise<void> done;
    rt.spawn([&](actor& self) {
        body(self);
        done.set_value();
    });
    done.get_future().wait();
}

TEST(ScriptActor, NativeAndScriptActorsTalkWithTheSameEnvelopes) {
    auto prog = load();
    script_config cfg{prog.get()};
    runtime rt({.threads = 2});
    pid echo = spawn_script(rt, cfg, "echo");
    as_native(rt, [&](actor& self) {
        self.send(echo, term::tuple({term::str("echo"), term(self.self()), term::list({term(std::int64_t(1))})}));
        message m = self.receive();
        EXPECT_EQ(m.value().repr(), "('echoed', [1])");
        EXPECT_EQ(m.sender(), echo);
        self.send(echo, term::str("stop"));
    });
    rt.stop();
}

TEST(ScriptActor, TheCppApiPassesArgumentsAsTerms) {
    auto prog = load();
    script_config cfg{prog.get()};
    runtime rt({.threads = 2});
    as_native(rt, [&](actor& self) {
        term args[2] = {term(std::int64_t(40)), term(self.self())};
        pid adder = spawn_script(rt, cfg, "adder", args);
        self.send(adder, term(std::int64_t(2)));
        message m = self.receive();
        EXPECT_EQ(m.value().repr(), "42");
    });
    rt.stop();
}

TEST(ScriptActor, AnUnknownFunctionIsARuntimeError) {
    auto prog = load();
    script_config cfg{prog.get()};
    runtime rt({.threads = 1});
    EXPECT_THROW(spawn_script(rt, cfg, "no_such_function"), runtime_error);
    rt.stop();
}

TEST(ScriptActor, AnUnwatchedCrashIsReportedWithItsTraceback) {
    auto prog = load();
    script_config cfg{prog.get()};
    std::mutex mu;
    std::string report;
    std::promise<void> reported;
    runtime_options ro{.threads = 2};
    ro.on_crash = [&](pid, const term& reason, const std::string&) {
        std::lock_guard lock(mu);
        report = exit_reason::error_report(reason).value_or("not an error tuple");
        reported.set_value();
    };
    runtime rt(ro);
    as_native(rt, [&](actor& self) {
        term args[1] = {term(self.self())};
        spawn_script(rt, cfg, "fails", args);
        EXPECT_EQ(self.receive().value().repr(), "'about to fail'");
    });
    reported.get_future().wait();
    {
        std::lock_guard lock(mu);
        EXPECT_NE(report.find("Traceback (most recent call last):"), std::string::npos) << report;
        EXPECT_NE(report.find("line 17, in fails"), std::string::npos) << report;
        EXPECT_NE(report.find("ValueError: bad input\n"), std::string::npos) << report;
    }
    rt.stop();
}

TEST(ScriptActor, AMonitorSeesTheErrorReason) {
    auto prog = load();
    script_config cfg{prog.get()};
    runtime rt({.threads = 2});
    as_native(rt, [&](actor& self) {
        term args[1] = {term(self.self())};
        envelope* start = encode_call(*prog, "fails", args);
        auto [p, r] = spawn_script(rt, cfg, start, &self, spawn_relation::monitor);
        EXPECT_EQ(self.receive().value().repr(), "'about to fail'");
        message down = self.receive();
        term v = down.value();
        ASSERT_EQ(v.size(), 4u);
        EXPECT_EQ(v[2].as_pid(), p);
        const term& reason = v[3];
        ASSERT_EQ(reason.size(), 4u);
        EXPECT_EQ(reason[0].as_str(), "error");
        EXPECT_EQ(reason[1].as_str(), "ValueError");
        EXPECT_EQ(reason[2].as_str(), "bad input");
        EXPECT_TRUE(reason[3].as_str().ends_with("ValueError: bad input\n")) << reason[3].as_str();
    });
    rt.stop();
}

TEST(ScriptActor, AHundredThousandScriptActorsEachExchangeMessages) {
    auto prog = load();
    script_config cfg{prog.get()};
    runtime rt({.threads = 2});
    constexpr std::int64_t n = 100'000;
    as_native(rt, [&](actor& self) {
        term args[2] = {term(std::int64_t(n)), term(self.self())};
        spawn_script(rt, cfg, "swarm", args);
        message m = self.receive();
        // Each child answers 2k - k = k: the sum of 0 .. n-1.
        EXPECT_EQ(m.value().repr(), "('swarm', " + std::to_string(n * (n - 1) / 2) + ")");
    });
    rt.run_until_idle();
    EXPECT_EQ(rt.live_actors(), 0u);
    rt.stop();
}

}  // namespace
}  // namespace weft::interp
