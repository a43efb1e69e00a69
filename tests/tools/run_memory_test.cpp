// run_memory_test.cpp: running out of memory ends an actor, never the node.
// `weft run` in a child process whose address space is limited (as `ulimit
// -v`): an actor floods another's mailbox until an allocation fails; the
// flooder ends with MemoryError, its monitor hears of it, the node frees the
// flood and exits normally with all its output.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

const char* flood = R"(
def sink():
    receive:
        case "never":
            pass

def flooder(p):
    i = 0
    while True:
        send(p, ("a small message", i))
        i += 1

def main(args):
    s = spawn(sink)
    f, ref = spawn_monitor(flooder, s)
    receive:
        case ("DOWN", r, _, reason) if r == ref:
            print("flooder ended", reason[1])
    exit(s, "kill")
    print("node alive")
)";

TEST(RunMemory, AFloodUnderAnAddressSpaceLimitEndsTheFlooderOnly) {
#if defined(WEFT_SANITIZE_ADDRESS) || defined(WEFT_SANITIZE_THREAD)
    GTEST_SKIP() << "the sanitizers reserve terabytes of address space: no limit fits them";
#endif
    std::string path = ::testing::TempDir() + "weft_flood_" + std::to_string(::getpid()) + ".weft";
    std::ofstream(path) << flood;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    if (child == 0) {
        rlimit limit{std::size_t{1000} << 20, std::size_t{1000} << 20};  // 1000 MiB, as ulimit -v 1024000
        ::setrlimit(RLIMIT_AS, &limit);
        ::dup2(fds[1], 1);
        ::dup2(fds[1], 2);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(WEFT_BINARY, WEFT_BINARY, "run", "--threads", "2", path.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    std::remove(path.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << "\n" << out;
    EXPECT_EQ(WEXITSTATUS(status), 0) << out;
    EXPECT_EQ(out, "flooder ended MemoryError\nnode alive\n");
}

}  // namespace
