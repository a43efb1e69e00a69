// replay_test.cpp: deterministic runs on the real binary. The same seed gives
// the same output and the same trace, byte for byte (every example, and 100
// seeds of a racy program); different seeds interleave differently; `weft
// test --explore` finds the account race of docs/debugging.md, and its seed
// replays the failure. No timing assertions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace {

using weft::test::run_to_end;

const std::string weft = WEFT_BINARY;
const std::string examples = WEFT_EXAMPLES;

std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "weft_replay_" + std::to_string(::getpid()) + "_" + name;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string write_program(const std::string& name, const std::string& text) {
    std::string path = temp_path(name);
    std::ofstream(path) << text;
    return path;
}

// One traced deterministic run: its status, its output (stdout and stderr)
// and its trace as JSON lines.
struct traced_run {
    int status = 0;
    std::string output, trace;
    bool operator==(const traced_run&) const = default;
};

traced_run run_traced(const std::string& program, std::uint64_t seed, std::vector<std::string> args = {}) {
    std::string trace = temp_path("trace.jsonl");
    std::vector<std::string> argv = {weft, "trace", "--deterministic", "--seed", std::to_string(seed),
                                     "--format", "jsonl", "-o", trace, program};
    argv.insert(argv.end(), args.begin(), args.end());
    auto [status, output] = run_to_end(argv);
    traced_run r{status, output, slurp(trace)};
    EXPECT_NE(r.trace, "") << program;
    return r;
}

TEST(Replay, EveryExampleRepeatsItsOutputAndTraceUnderTheSameSeed) {
    // Each example with small arguments; observer_demo is left out: it runs
    // until stopped, to be looked at (and --observe is no deterministic run).
    // depscan scans a fixed tree: the one it makes is named by its process id.
    const std::vector<std::vector<std::string>> runs = {
        {"account_race.weft"},
        {"bank.weft", "10", "100", "5"},
        {"bigmsg.weft", "1000", "100", "1000"},
        {"chat.weft", "10", "5"},
        {"depscan.weft", "--root", "/usr/include/asio/ssl", "--workers", "3"},
        {"du.weft", examples, "3"},
        {"parallel_map.weft", "8", "26", "4"},
        {"pingpong.weft", "1000", "2"},
        {"pmap.weft", "8", "20"},
        {"ring.weft", "100", "10"},
        {"supervised.weft", "3"},
    };
    for (const auto& run : runs) {
        std::vector<std::string> args(run.begin() + 1, run.end());
        traced_run first = run_traced(examples + "/" + run[0], 11, args);
        traced_run second = run_traced(examples + "/" + run[0], 11, args);
        EXPECT_EQ(first.status, 0) << run[0] << ":\n" << first.output;
        EXPECT_EQ(first.output, second.output) << run[0];
        // chat talks over TCP: the kernel decides how the bytes come in
        // pieces, so its reads (and the trace) may differ; its output may not.
        if (run[0] != "chat.weft") {
            EXPECT_EQ(first.trace, second.trace) << run[0];
        }
    }
}

TEST(Replay, HundredSeedsOfARacyProgramEachRepeatExactly) {
    std::string race = examples + "/account_race.weft";
    for (std::uint64_t seed = 1; seed <= 100; ++seed) {
        traced_run first = run_traced(race, seed);
        EXPECT_EQ(run_traced(race, seed), first) << "seed " << seed;
    }
}

TEST(Replay, DifferentSeedsInterleaveTheRacyProgramDifferently) {
    std::string race = examples + "/account_race.weft";
    std::set<std::string> traces, outputs;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        traced_run r = run_traced(race, seed);
        traces.insert(r.trace);
        outputs.insert(r.output.substr(0, r.output.find('\n')));
    }
    // A trace is in causal order, so only interleavings that change who
    // received what first tell apart; several must.
    EXPECT_GE(traces.size(), 3u);
    // Both ends of the race: the right balance, and a lost deposit.
    EXPECT_TRUE(outputs.count("balance: 111")) << *outputs.begin();
    EXPECT_GT(outputs.size(), 1u);
}

TEST(Replay, TheExplorerFindsTheAccountRaceAndItsSeedReplaysIt) {
    std::string race = examples + "/account_race.weft";
    weft::test::child_process explore({weft, "test", "--explore", "1000", race}, false);
    int status = explore.finish();
    std::smatch m;
    std::regex found("weft test: seed ([0-9]+) fails: exit status 1");
    ASSERT_TRUE(std::regex_search(explore.output(), m, found)) << explore.output();
    EXPECT_EQ(status, 1);
    std::string seed = m[1];
    EXPECT_LE(std::stoul(seed), 1000u);
    EXPECT_NE(explore.output().find("run it again with: weft run --deterministic --seed " + seed + " " + race),
              std::string::npos)
        << explore.output();
    // Replayed twice: the same lost deposit each time, and the report's output.
    auto [replay_status, replay] = run_to_end({weft, "run", "--deterministic", "--seed", seed, race});
    EXPECT_EQ(replay_status, 1);
    EXPECT_NE(replay.find("a deposit was lost"), std::string::npos) << replay;
    EXPECT_EQ(run_to_end({weft, "run", "--deterministic", "--seed", seed, race}).second, replay);
    std::string balance = replay.substr(0, replay.find('\n'));
    EXPECT_NE(explore.output().find("  " + balance + "\n"), std::string::npos) << explore.output();
}

TEST(Replay, TheExplorerReportsASeedWhoseOutputDiffersFromTheMajority) {
    std::string program = write_program("first.weft", R"(
def answer(parent, name):
    send(parent, name)

def main(args):
    spawn(answer, self(), "a")
    spawn(answer, self(), "b")
    spawn(answer, self(), "c")
    receive:
        case first:
            print("first:", first)
)");
    weft::test::child_process explore({weft, "test", "--explore", "30", program}, false);
    EXPECT_EQ(explore.finish(), 1);
    EXPECT_TRUE(std::regex_search(explore.output(),
                                  std::regex("weft test: seed [0-9]+ passes, but its output differs from [0-9]+ of "
                                             "the 30 seeds")))
        << explore.output();
    EXPECT_NE(explore.output().find("the majority's output:\n  first: "), std::string::npos) << explore.output();
}

TEST(Replay, TheExplorerPassesAProgramThatAlwaysAgrees) {
    auto [status, output] = run_to_end({weft, "test", "--explore", "20", examples + "/pingpong.weft", "100", "2"});
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("weft test: 20 seeds of " + examples + "/pingpong.weft (1 to 20): every run passed"),
              std::string::npos)
        << output;
}

TEST(Replay, TheExplorerStopsARunThatNeverEnds) {
    std::string program = write_program("forever.weft", "def main(args):\n    while True:\n        pass\n");
    auto [status, output] = run_to_end({weft, "test", "--explore", "3", "--timeout", "1", program});
    EXPECT_EQ(status, 1);
    EXPECT_NE(output.find("weft test: seed 1 fails: no end within 1 s (0 seeds passed before it)"),
              std::string::npos)
        << output;
}

TEST(Replay, TheExplorerReportsAProgramThatDoesNotCompileOnce) {
    std::string program = write_program("broken.weft", "def main(args):\n    print(\n");
    auto [status, output] = run_to_end({weft, "test", "--explore", "50", program});
    EXPECT_EQ(status, 2);
    EXPECT_NE(output.find("broken.weft:2:"), std::string::npos) << output;
    EXPECT_EQ(output.find("broken.weft:2:"), output.rfind("broken.weft:2:")) << output;
}

TEST(Replay, AFailedRunWithoutASeedPrintsTheOneItDrewAndThatSeedReplaysIt) {
    std::string race = examples + "/account_race.weft";
    // Some drawn seed fails within a few runs (most fail: see the explorer's test).
    for (int attempt = 0; attempt < 200; ++attempt) {
        auto [status, output] = run_to_end({weft, "run", "--deterministic", race});
        if (status == 0) continue;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(output, m,
                                      std::regex("weft: deterministic run with seed ([0-9]+); run it again with: "
                                                 "weft run --deterministic --seed ([0-9]+) ")))
            << output;
        EXPECT_EQ(m[1], m[2]);
        EXPECT_EQ(run_to_end({weft, "run", "--deterministic", "--seed", m[1], race}), std::make_pair(status, output));
        return;
    }
    FAIL() << "no drawn seed failed in 200 runs";
}

TEST(Replay, CtrlCStopsADeterministicRunThatNeverWaits) {
    // The stop's kills come from outside the pool, and an actor that never
    // waits would never let outside work in: stopping lets them through.
    std::string program = write_program("busy.weft", R"(
def main(args):
    print("busy", flush=True)
    while True:
        pass
)");
    weft::test::child_process run({weft, "run", "--deterministic", "--seed", "1", program});
    ASSERT_TRUE(run.read_until("busy\n")) << run.output();
    run.signal(SIGINT);
    EXPECT_EQ(run.finish(), 130) << run.output();
}

}  // namespace
