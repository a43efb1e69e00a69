// repl_terminal_test.cpp: `weft repl` on a pseudo-terminal, as a person
// uses it: prompts (">>> ", "... "), libedit's echo, expressions, blocks,
// spawn/send/receive, flush(), help(), load(), a crash and a syntax error
// that keep the shell, the history file, tab completion, Ctrl-C and Ctrl-D.
//
// A terminal ends lines with "\r\n". Each step waits for the text it
// expects (generously), never for time to pass.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <termios.h>

#include <fstream>
#include <sstream>

#include "repl_child.hpp"

namespace {

using weft::test::repl_child;

// A shell on a terminal, at its first prompt.
struct terminal_shell : repl_child {
    explicit terminal_shell(std::vector<std::string> args = {"repl", "--threads", "2"}, bool with_home = true)
        : repl_child(mode::terminal, std::move(args), with_home) {
        EXPECT_TRUE(wait_for(">>> ")) << output();
    }
    // Types a line and waits for the output that must follow it.
    bool enter(const std::string& line, const std::string& expected) {
        type(line + "\n");
        return wait_for(expected);
    }
};

TEST(ReplTerminal, ExpressionsPrintTheirReprAndNonePrintsNothing) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("1+1", "\r\n2\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("None", "None\r\n>>> ")) << s.output();  // the echo, then the prompt at once
    EXPECT_TRUE(s.enter("'a' * 3", "'aaa'\r\n>>> ")) << s.output();
    s.type("\x04");  // Ctrl-D on an empty line
    EXPECT_EQ(s.finish(), 0) << s.output();
}

TEST(ReplTerminal, AMultiLineDefUsesTheContinuationPromptAndABlankLineEndsIt) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("def fact(n):", "... ")) << s.output();
    EXPECT_TRUE(s.enter("    if n <= 1:", "... ")) << s.output();
    EXPECT_TRUE(s.enter("        return 1", "... ")) << s.output();
    EXPECT_TRUE(s.enter("    return n * fact(n - 1)", "... ")) << s.output();
    EXPECT_TRUE(s.enter("", ">>> ")) << s.output();
    EXPECT_TRUE(s.enter("fact(20)", "2432902008176640000\r\n>>> ")) << s.output();
}

TEST(ReplTerminal, SpawnSendReceiveAndFlushAtThePrompt) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("def double(parent, x):", "... "));
    EXPECT_TRUE(s.enter("    send(parent, ('double', x * 2))", "... "));
    EXPECT_TRUE(s.enter("", ">>> "));
    EXPECT_TRUE(s.enter("p = spawn(double, self(), 21)", ">>> "));
    EXPECT_TRUE(s.enter("receive:", "... "));
    EXPECT_TRUE(s.enter("    case ('double', n):", "... "));
    EXPECT_TRUE(s.enter("        n", "... "));
    EXPECT_TRUE(s.enter("", "42\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("send(self(), 'one') and send(self(), ('two', 2)) and None", ">>> "));
    EXPECT_TRUE(s.enter("flush()", "Shell got 'one'\r\nShell got ('two', 2)\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("queue_len()", "0\r\n>>> ")) << s.output();
}

TEST(ReplTerminal, HelpShowsDocumentation) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("help(spawn)", "spawn(f, *args) -> pid\r\n    Starts a new actor")) << s.output();
    EXPECT_TRUE(s.wait_for(">>> "));
    EXPECT_TRUE(s.enter("help()", "send(dest, msg) -> msg\r\n")) << s.output();
}

TEST(ReplTerminal, LoadBindsAProgramsNames) {
    std::string path = ::testing::TempDir() + "weft_repl_tload_" + std::to_string(::getpid()) + ".weft";
    std::ofstream(path) << "GREETING = 'hi'\ndef greet(name):\n    return GREETING + ' ' + name\n";
    terminal_shell s;
    EXPECT_TRUE(s.enter("load('" + path + "')", "['GREETING', 'greet']\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("greet('there')", "'hi there'\r\n>>> ")) << s.output();
    std::remove(path.c_str());
}

TEST(ReplTerminal, ACrashPrintsTheTracebackAndKeepsTheShellAndItsBindings) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("kept = 'still here'", ">>> "));
    EXPECT_TRUE(s.enter("{}['missing']", "Traceback (most recent call last):\r\n"
                                         "  File \"<stdin>\", line 1, in <module>\r\n"
                                         "KeyError: 'missing'\r\n>>> "))
        << s.output();
    EXPECT_TRUE(s.enter("kept", "'still here'\r\n>>> ")) << s.output();
}

TEST(ReplTerminal, ASyntaxErrorShowsWhereAndKeepsTheShell) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("x = = 2", "<stdin>:1:5: ")) << s.output();
    EXPECT_TRUE(s.wait_for("x = = 2\r\n    ^\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("6 * 7", "42\r\n>>> ")) << s.output();
}

TEST(ReplTerminal, TheHistoryFileKeepsEachInput) {
    std::filesystem::path history;
    {
        terminal_shell s;
        history = s.home() / ".weft" / "history";
        EXPECT_TRUE(s.enter("40 + 2", "42\r\n>>> "));
        s.type("\x04");
        EXPECT_EQ(s.finish(), 0);
        struct stat st{};
        ASSERT_EQ(::stat((s.home() / ".weft").c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0700u);
        std::ifstream in(history);
        std::stringstream text;
        text << in.rdbuf();
        // libedit writes a space as \040.
        EXPECT_NE(text.str().find("40\\040+\\0402"), std::string::npos) << text.str();
    }
}

TEST(ReplTerminal, WithoutHomeThereIsNoHistoryAndNoError) {
    terminal_shell s({"repl", "--threads", "2"}, false);
    EXPECT_TRUE(s.enter("1 + 2", "3\r\n>>> ")) << s.output();
    s.type("\x04");
    EXPECT_EQ(s.finish(), 0);
    EXPECT_EQ(s.output().find("rror"), std::string::npos) << s.output();
}

TEST(ReplTerminal, TabCompletesNamesAndModuleAttributes) {
    terminal_shell s;
    EXPECT_TRUE(s.enter("my_long_name = 5", ">>> "));
    // libedit writes the completion's rest after the typed part (moving the
    // cursor between them); the value the line then has is the proof.
    s.type("my_lo\t");
    EXPECT_TRUE(s.wait_for("ng_name")) << s.output();
    EXPECT_TRUE(s.enter("", "5\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("import math", ">>> "));
    s.type("math.sq\t");
    EXPECT_TRUE(s.wait_for("rt")) << s.output();
    EXPECT_TRUE(s.enter("(16)", "4.0\r\n>>> ")) << s.output();
}

TEST(ReplTerminal, CtrlCAbandonsTheLineAndInterruptsARunningInput) {
    terminal_shell s;
    s.type("this line is abandoned");
    EXPECT_TRUE(s.wait_for("abandoned"));
    s.type("\x03");
    EXPECT_TRUE(s.wait_for("KeyboardInterrupt\r\n>>> ")) << s.output();
    EXPECT_TRUE(s.enter("keep = 1", ">>> "));
    EXPECT_TRUE(s.enter("while True:", "... "));
    EXPECT_TRUE(s.enter("    print('tick')", "... "));
    EXPECT_TRUE(s.enter("    sleep(50)", "... "));
    EXPECT_TRUE(s.enter("", "tick\r\n")) << s.output();
    s.type("\x03");
    EXPECT_TRUE(s.wait_for("KeyboardInterrupt\r\n")) << s.output();
    EXPECT_TRUE(s.wait_for(">>> ")) << s.output();
    EXPECT_TRUE(s.enter("keep + 1", "2\r\n>>> ")) << s.output();
    s.type("\x04");
    EXPECT_EQ(s.finish(), 0) << s.output();
}

TEST(ReplTerminal, SigtermPutsTheTerminalsSettingsBack) {
    terminal_shell s;
    termios before{};
    ASSERT_EQ(::tcgetattr(s.terminal(), &before), 0);
    EXPECT_EQ(before.c_cc[VEOF], _POSIX_VDISABLE);  // while the shell reads the terminal
    s.signal(SIGTERM);
    EXPECT_EQ(s.finish(), -1);  // ended by the signal, as without a shell
    termios after{};
    ASSERT_EQ(::tcgetattr(s.terminal(), &after), 0);
    EXPECT_EQ(after.c_cc[VEOF], 4);  // Ctrl-D again
}

TEST(ReplTerminal, WeftAloneOnATerminalIsTheShell) {
    terminal_shell s(std::vector<std::string>{});
    EXPECT_TRUE(s.enter("2 ** 10", "1024\r\n>>> ")) << s.output();
    s.type("\x04");
    EXPECT_EQ(s.finish(), 0);
}

}  // namespace
