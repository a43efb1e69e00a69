// shell_program_test.cpp: the shell's growing program without a terminal or
// an actor: when an input is whole (Python's shell's rule), inputs compiled
// one after another into one module whose names persist, each expression
// statement shown through the display function, values frozen as they are
// bound, a name bound over a builtin, and load() of a file.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "interp/load/shell_program.hpp"
#include "interp/objects/natives.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {
namespace {

using kind = shell_program::input_kind;

TEST(ShellProgram, AnInputIsWholeAsInPythonsShell) {
    EXPECT_EQ(shell_program::classify("\n"), kind::empty);
    EXPECT_EQ(shell_program::classify("1 + 1\n"), kind::complete);
    EXPECT_EQ(shell_program::classify("x = (1,\n"), kind::incomplete);
    EXPECT_EQ(shell_program::classify("x = (1,\n2)\n"), kind::complete);
    EXPECT_EQ(shell_program::classify("s = '''a\n"), kind::incomplete);
    EXPECT_EQ(shell_program::classify("def f():\n"), kind::open_block);
    EXPECT_EQ(shell_program::classify("def f():\n    return 1\n"), kind::open_block);  // a blank line ends it
    EXPECT_EQ(shell_program::classify("def f():\n    return 1\n\n"), kind::complete);
    EXPECT_EQ(shell_program::classify("if x: y\n"), kind::open_block);
    EXPECT_EQ(shell_program::classify("def f():\n\n"), kind::invalid);  // the blank line left the block empty
    EXPECT_EQ(shell_program::classify("x = = 2\n"), kind::invalid);
    EXPECT_EQ(shell_program::classify("(1,\n\n"), kind::incomplete);  // brackets go on past a blank line
}

// Runs inputs in one VM, as the shell's actor does, collecting what they show.
class shell : public ::testing::Test {
protected:
    shell() : sp_(options()), vm_(sp_.prog(), vm_options{10'000, {}, &writer_, nullptr}) {}

    load_options options() {
        load_options o;
        o.out = writer_;
        return o;
    }

    // What the input showed (print() uses the same writer), or its error.
    std::string run(const std::string& text) {
        shown_.clear();
        const proto& body = sp_.compile(text, sp_.prog().builtin_value(sp_.prog().global_builtin("print")));
        value f = alloc_native(vm_.heap(), native_kind::function, 0, sizeof(const proto*));
        set_native_raw(f, &body);
        vm_.start(f, {});
        run_status status;
        do status = vm_.run();
        while (status == run_status::yielded);
        if (status == run_status::failed) return shown_ + vm_.exception_summary(vm_.error());
        return shown_;
    }

    value global(const std::string& name) const {
        const module& m = sp_.inputs();
        return m.globals.at(m.slot_of(name));
    }

    std::string shown_;
    line_writer writer_ = [this](std::string_view s, bool) { shown_.append(s); };
    shell_program sp_;
    vm vm_;
};

TEST_F(shell, NamesPersistBetweenInputsAndExpressionsAreShown) {
    EXPECT_EQ(run("x = 6\n"), "");
    EXPECT_EQ(run("x * 7\n"), "42\n");
    EXPECT_EQ(run("for i in range(2):\n    i\n\n"), "0\n1\n");  // inside blocks too
    EXPECT_EQ(run("def double(n):\n    n * 100\n    return 2 * n\n\n"), "");
    EXPECT_EQ(run("double(x)\n"), "12\n");  // not the expression inside the function
}

TEST_F(shell, FunctionsLookEachOtherUpWhenCalled) {
    EXPECT_EQ(run("def a():\n    return b() + 1\n\n"), "");
    EXPECT_EQ(run("a()\n"), "NameError: name 'b' is not defined");
    EXPECT_EQ(run("def b():\n    return 41\n\n"), "");
    EXPECT_EQ(run("a()\n"), "42\n");
    EXPECT_EQ(run("def b():\n    return 1\n\n"), "");  // rebinding works
    EXPECT_EQ(run("a()\n"), "2\n");
}

TEST_F(shell, AValueIsFrozenAsItIsBound) {
    EXPECT_EQ(run("xs = [1]\n"), "");
    EXPECT_TRUE(global("xs").as_obj()->frozen());
    EXPECT_EQ(run("xs.append(2)\n"), "TypeError: cannot modify a frozen value (module-level values are read-only)");
    EXPECT_EQ(run("xs = xs + [2]\nxs\n"), "[1, 2]\n");
}

TEST_F(shell, ANameBoundAtThePromptHidesTheBuiltin) {
    EXPECT_EQ(run("len('abc')\n"), "3\n");
    EXPECT_EQ(run("len = 7\n"), "");
    EXPECT_EQ(run("len\n"), "7\n");
    std::vector<std::string> names = sp_.names();
    EXPECT_NE(std::find(names.begin(), names.end(), "len"), names.end());
}

TEST_F(shell, LoadBindsAFilesTopLevelNames) {
    std::string path = ::testing::TempDir() + "weft_shell_program_" + std::to_string(::getpid()) + ".weft";
    std::ofstream(path) << "K = 5\ndef times_k(n):\n    return K * n\n";
    std::vector<std::string> bound = sp_.load_file(path);
    std::remove(path.c_str());
    EXPECT_EQ(bound, (std::vector<std::string>{"K", "times_k"}));
    EXPECT_EQ(run("times_k(3)\n"), "15\n");
    EXPECT_THROW(sp_.load_file(path), load_error);  // gone now
}

TEST_F(shell, ASyntaxErrorNamesStdin) {
    try {
        sp_.compile("x = = 2\n", value::none());
        FAIL() << "no syntax error";
    } catch (const syntax_error& e) {
        EXPECT_EQ(e.file(), "<stdin>");
        EXPECT_EQ(e.line(), 1u);
        EXPECT_EQ(e.col(), 5u);
    }
}

}  // namespace
}  // namespace weft::interp
