// repl_remote_test.cpp: `weft repl --remote NODE` against a `weft node`
// child: the shell runs on the node (node() names it, load() reads the
// node's files), its output and prompts come back, Ctrl-C interrupts a
// running input there, Ctrl-D ends it with status 0; a node that cannot be
// reached is an error with status 2.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "repl_child.hpp"

namespace {

using weft::test::repl_child;

std::string temp_file(const std::string& stem, const std::string& text, unsigned mode = 0644) {
    std::string path = ::testing::TempDir() + "weft_repl_remote_" + std::to_string(::getpid()) + "_" + stem;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
}

// A `weft node` serving a small program, and the cookie to reach it.
struct node {
    std::string cookie = temp_file("cookie", "repl-test-cookie\n", 0600);
    std::string program = temp_file("prog.weft", "def hello():\n    return 'hi from the node'\n");
    repl_child child{repl_child::mode::pipes,
                     {"node", "--threads", "2", "--name", "n1@127.0.0.1:0", "--cookie-file", cookie, program}};
    std::string name;

    node() {
        EXPECT_TRUE(child.wait_for("\n")) << child.output();  // the node prints its name first
        name = child.output().substr(0, child.output().find('\n'));
    }
    ~node() {
        std::remove(cookie.c_str());
        std::remove(program.c_str());
    }
    std::vector<std::string> shell_args() const {
        return {"repl", "--threads", "2", "--remote", name, "--cookie-file", cookie};
    }
};

TEST(ReplRemote, TheShellRunsOnTheNode) {
    node n;
    repl_child c(repl_child::mode::pipes, n.shell_args());
    c.type("node()\nx = 2\nx * 21\nload('" + n.program + "')\nhello()\nprint('printed there')\n{}[0]\nx\n");
    c.close_input();
    EXPECT_EQ(c.finish(), 0) << c.output();
    const std::string& out = c.output();
    EXPECT_NE(out.find("'" + n.name + "'\n42\n['hello']\n'hi from the node'\nprinted there\n"), std::string::npos)
        << out;
    EXPECT_NE(out.find("KeyError: 0\n"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("2\n")) << out;
}

TEST(ReplRemote, OnATerminalCtrlCInterruptsTheNodesInputAndCtrlDLeaves) {
    node n;
    repl_child c(repl_child::mode::terminal, n.shell_args());
    ASSERT_TRUE(c.wait_for("shell on " + n.name)) << c.output();
    ASSERT_TRUE(c.wait_for(">>> ")) << c.output();
    c.type("kept = 'yes'\n");
    ASSERT_TRUE(c.wait_for(">>> ")) << c.output();
    c.type("while True:\n");
    ASSERT_TRUE(c.wait_for("... ")) << c.output();
    c.type("    print('tick')\n");
    ASSERT_TRUE(c.wait_for("... ")) << c.output();
    c.type("    sleep(50)\n");
    ASSERT_TRUE(c.wait_for("... ")) << c.output();
    c.type("\n");
    ASSERT_TRUE(c.wait_for("tick\r\n")) << c.output();
    c.type("\x03");
    EXPECT_TRUE(c.wait_for("KeyboardInterrupt\r\n")) << c.output();
    EXPECT_TRUE(c.wait_for(">>> ")) << c.output();
    c.type("kept\n");
    EXPECT_TRUE(c.wait_for("'yes'\r\n>>> ")) << c.output();
    c.type("\x04");
    EXPECT_EQ(c.finish(), 0) << c.output();
}

TEST(ReplRemote, ANodeThatCannotBeReachedIsAnError) {
    std::string cookie = temp_file("cookie2", "repl-test-cookie\n", 0600);
    // Port 1 on the loopback: nothing listens there.
    repl_child c(repl_child::mode::pipes, {"repl", "--remote", "nobody@127.0.0.1:1", "--cookie-file", cookie});
    c.close_input();
    EXPECT_EQ(c.finish(), 2) << c.output();
    EXPECT_NE(c.output().find("weft: node nobody@127.0.0.1:1 opened no shell"), std::string::npos) << c.output();
    std::remove(cookie.c_str());
}

}  // namespace
