// repl_pipe_test.cpp: `weft repl` with its input on a pipe, as scripts use
// it: no prompts, no banner, each expression's repr on a line of its own,
// blocks ended by a blank line or by the next line at the left margin, and
// status 0 at the end of the input.
#include <gtest/gtest.h>

#include <fstream>

#include "repl_child.hpp"

namespace {

using weft::test::repl_child;

// Runs the shell on `input`, returns its output (stdout and stderr) and status.
std::pair<std::string, int> shell(const std::string& input) {
    repl_child c(repl_child::mode::pipes);
    c.type(input);
    c.close_input();
    int status = c.finish();
    return {c.output(), status};
}

TEST(ReplPipe, PrintsAnExpressionsValueAndNothingElse) {
    auto [out, status] = shell("1+1\n");
    EXPECT_EQ(out, "2\n");
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, NonePrintsNothingAndStatementsBind) {
    auto [out, status] = shell("None\nx = 6\nx * 7\nprint('hi')\n'a' + 'b'\n");
    EXPECT_EQ(out, "42\nhi\n'ab'\n");
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, RebindingANameWorks) {
    auto [out, status] = shell("x = [1]\nx = x + [2]\nx\nlen = 3\nlen\n");
    EXPECT_EQ(out, "[1, 2]\n3\n");
}

TEST(ReplPipe, BlocksEndAtABlankLineOrAtTheLeftMargin) {
    auto [out, status] = shell(
        "def double(x):\n"
        "    return 2 * x\n"
        "\n"
        "def quad(x):\n"
        "    return double(double(x))\n"
        "quad(5)\n"
        "for i in range(3):\n"
        "    print(i)\n"
        "if quad(1) == 4:\n"
        "    'yes'\n"
        "else:\n"
        "    'no'\n");
    EXPECT_EQ(out, "20\n0\n1\n2\n'yes'\n");  // inside blocks too, as Python's shell
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, BracketsAndTripleQuotedStringsGoOnAcrossLines) {
    auto [out, status] = shell("(1,\n\n2)\nx = [\n3\n]\nx\ns = \"\"\"a\nb\"\"\"\ns\n");
    EXPECT_EQ(out, "(1, 2)\n[3]\n'a\\nb'\n");
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, SpawnSendReceiveAndFlush) {
    auto [out, status] = shell(
        "def echo():\n"
        "    receive:\n"
        "        case (sender, msg):\n"
        "            send(sender, ('echo', msg))\n"
        "\n"
        "p = spawn(echo)\n"
        "sent = send(p, (self(), 'hello'))\n"
        "receive:\n"
        "    case ('echo', m):\n"
        "        m\n"
        "\n"
        "send(self(), 1)\n"
        "receive:\n"
        "    case x:\n"
        "        x\n"
        "\n"
        "send(self(), ('a', 2))\n"
        "send(self(), 'b')\n"
        "flush()\n"
        "flush()\n"
        "queue_len()\n");
    EXPECT_EQ(out, "'hello'\n"
                   "1\n"
                   "1\n"  // send(self(), 1) is its value too
                   "('a', 2)\n'b'\n"
                   "Shell got ('a', 2)\nShell got 'b'\n"
                   "0\n")
        << out;
}

TEST(ReplPipe, ACrashPrintsTheTracebackAndKeepsTheBindings) {
    auto [out, status] = shell(
        "y = 5\n"
        "def f(d):\n"
        "    return 1 // d\n"
        "f(0)\n"
        "y\n");
    EXPECT_NE(out.find("Traceback (most recent call last):\n"
                       "  File \"<stdin>\", line 1, in <module>\n"
                       "  File \"<stdin>\", line 2, in f\n"
                       "ZeroDivisionError: integer division or modulo by zero\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("<shell>"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("5\n")) << out;
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, ASyntaxErrorIsReportedWithItsCaretAndTheShellGoesOn) {
    auto [out, status] = shell("x = (1 +\n2)\n1 +* 2\nx\n");
    // "x = (1 +" goes on to the next line; "1 +* 2" is an error.
    EXPECT_NE(out.find("<stdin>:1:4: can't use starred expression here"), std::string::npos) << out;
    EXPECT_NE(out.find("\n1 +* 2\n   ^\n"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("3\n")) << out;
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, HelpShowsABuiltinsSignatureAndSentence) {
    auto [out, status] = shell("help(len)\nhelp('spawn')\nimport math\nhelp(math)\n");
    EXPECT_NE(out.find("len(x) -> int\n    The number of items"), std::string::npos) << out;
    EXPECT_NE(out.find("spawn(f, *args) -> pid\n"), std::string::npos) << out;
    EXPECT_NE(out.find("import math\n    Python's math"), std::string::npos) << out;
    EXPECT_NE(out.find(" sqrt"), std::string::npos) << out;
}

TEST(ReplPipe, HelpAloneListsEveryBuiltin) {
    auto [out, status] = shell("help()\n");
    for (const char* sig : {"print(*values", "spawn(f, *args)", "flush()", "load(path)", "import gen_server"})
        EXPECT_NE(out.find(sig), std::string::npos) << sig;
}

TEST(ReplPipe, LoadBindsAProgramsFunctionsAndConstants) {
    std::string path = ::testing::TempDir() + "weft_repl_load_" + std::to_string(::getpid()) + ".weft";
    std::ofstream(path) << "N = 3\n"
                           "def triple(x):\n"
                           "    return N * x\n"
                           "def worker(parent):\n"
                           "    send(parent, triple(N))\n"
                           "def main(args):\n"
                           "    print('main must not run')\n";
    auto [out, status] = shell("load('" + path + "')\ntriple(2)\nspawn(worker, self()) and None\nreceive:\n"
                               "    case n:\n        n\n");
    std::remove(path.c_str());
    EXPECT_EQ(out, "['N', 'triple', 'worker', 'main']\n6\n9\n") << out;
}

TEST(ReplPipe, ExitOfTheShellsActorStartsAnotherWithTheBindings) {
    auto [out, status] = shell("z = 7\nexit('bye')\nz\n");
    EXPECT_NE(out.find("*** the shell's actor ended with 'bye'"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("7\n")) << out;
    EXPECT_EQ(status, 0);
}

TEST(ReplPipe, SysExitEndsTheShellWithItsCode) {
    auto [out, status] = shell("import sys\nsys.exit(3)\n'not reached'\n");
    EXPECT_EQ(out, "");
    EXPECT_EQ(status, 3);
}

TEST(ReplPipe, ValuesBoundAtThePromptAreFrozenLikeModuleLevelValues) {
    auto [out, status] = shell("xs = [1]\nxs.append(2)\nxs\n");
    EXPECT_NE(out.find("TypeError: cannot modify a frozen value"), std::string::npos) << out;
    EXPECT_TRUE(out.ends_with("[1]\n")) << out;
}

TEST(ReplPipe, AloneOnAPipeWeftStillWantsACommand) {
    repl_child c(repl_child::mode::pipes, std::vector<std::string>{});
    c.close_input();
    EXPECT_EQ(c.finish(), 2);
    EXPECT_NE(c.output().find("a command is required"), std::string::npos) << c.output();
}

}  // namespace
