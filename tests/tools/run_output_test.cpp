// run_output_test.cpp: `weft run`'s output promises (LANGUAGE.md,
// "Programs"), tested on the real binary through pipes: printed lines reach
// a pipe while the program still runs; SIGINT and SIGTERM stop it in order
// with status 130 and 143 and every printed line delivered whole; a crash
// report never overtakes the lines printed before it. No timing assertions:
// a test waits (generously) for progress, never for a deadline.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace {

// A program file of the test's own, removed when the test is done.
class program_file {
public:
    explicit program_file(const std::string& text) {
        path_ = ::testing::TempDir() + "weft_run_output_" + std::to_string(::getpid()) + "_" +
                std::to_string(counter_++) + ".weft";
        std::ofstream(path_) << text;
    }
    ~program_file() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    static inline int counter_ = 0;
    std::string path_;
};

// A running `weft run --threads 2 FILE` whose stdout (and stderr, when merged) is a pipe.
class child : program_file, public weft::test::child_process {
public:
    child(const std::string& program_text, bool merge_stderr)
        : program_file(program_text),
          child_process({WEFT_BINARY, "run", "--threads", "2", path()}, merge_stderr) {}
};

// Lines "tick 0", "tick 1" ... with nothing missing, nothing torn.
void expect_whole_ticks(const std::string& out) {
    std::size_t n = 0, pos = 0;
    while (pos < out.size()) {
        std::size_t nl = out.find('\n', pos);
        ASSERT_NE(nl, std::string::npos) << "a torn last line: " << out.substr(pos);
        EXPECT_EQ(out.substr(pos, nl - pos), "tick " + std::to_string(n));
        ++n;
        pos = nl + 1;
    }
    EXPECT_GT(n, 3u);
}

const char* ticker = R"(
def main(args):
    n = 0
    while True:
        print("tick", n)
        n += 1
        sleep(5)
)";

TEST(RunOutput, LinesReachAPipeWhileTheProgramRuns) {
    child c(ticker, false);
    ASSERT_TRUE(c.read_until("tick 3\n")) << c.output();
    EXPECT_TRUE(c.still_running());
    c.signal(SIGINT);
    EXPECT_EQ(c.finish(), 130);
    expect_whole_ticks(c.output());
}

TEST(RunOutput, SigtermStopsInOrderWithEveryLine) {
    child c(ticker, false);
    ASSERT_TRUE(c.read_until("tick 5\n")) << c.output();
    c.signal(SIGTERM);
    EXPECT_EQ(c.finish(), 143);
    expect_whole_ticks(c.output());
}

TEST(RunOutput, StopsWhileActorsKeepEveryWorkerBusy) {
    child c(R"(
def spin():
    while True:
        pass

def main(args):
    for i in range(4):
        spawn(spin)
    n = 0
    while True:
        print("tick", n)
        n += 1
        sleep(5)
)",
            false);
    ASSERT_TRUE(c.read_until("tick 2\n")) << c.output();
    c.signal(SIGINT);
    EXPECT_EQ(c.finish(), 130);
    expect_whole_ticks(c.output());
}

TEST(RunOutput, ASignalWhileLoadingStopsAndKeepsOutput) {
    child c("print('loading', flush=True)\nwhile True:\n    pass\n", false);
    ASSERT_TRUE(c.read_until("loading\n")) << c.output();
    c.signal(SIGINT);
    EXPECT_EQ(c.finish(), 130);
    EXPECT_EQ(c.output(), "loading\n");
}

TEST(RunOutput, CrashReportsComeAfterEarlierLines) {
    child c(R"(
def bad():
    return 1 // 0

def main(args):
    for i in range(3):
        print("line", i)
    p, r = spawn_monitor(bad)
    receive:
        case ("DOWN", _, _, _):
            pass
    spawn(bad)
    sleep(200)
    print("end")
)",
            true);
    EXPECT_EQ(c.finish(), 0);
    const std::string& out = c.output();
    std::size_t last_line = out.find("line 2\n"), report = out.find("crashed:");
    ASSERT_NE(last_line, std::string::npos) << out;
    ASSERT_NE(report, std::string::npos) << out;
    EXPECT_LT(last_line, report) << out;
    EXPECT_NE(out.find("ZeroDivisionError"), std::string::npos) << out;
}

}  // namespace
