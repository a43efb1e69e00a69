// vm_test.cpp: the VM as the runtime will drive it: the step interface
// (run with a budget, yield, resume), limits (recursion depth, heap limit),
// script calls that never recurse on the C++ stack, and one loaded program
// shared by VMs on many threads. What scripts print is the script tests' job
// (tests/scripts/run/); these test the machine.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "interp/load/loader.hpp"
#include "interp/objects/natives.hpp"
#include "interp/vm/vm.hpp"
#include "tests/support/small_stack.hpp"

namespace weft::interp {
namespace {

std::unique_ptr<program> load(const std::string& source, std::string* module_output = nullptr) {
    load_options opts;
    if (module_output) opts.out = [module_output](std::string_view s, bool) { module_output->append(s); };
    return load_program_source("t.weft", source, opts);
}

value global(const program& p, const std::string& name) {
    const module& m = p.main_module();
    return m.globals.at(m.global_index.at(name));
}

struct outcome {
    run_status status;
    std::string text;  // the result's repr, or the exception's summary
    int runs = 0;      // how many run() calls it took
};

outcome run_to_end(vm& m, value f, std::vector<value> args, std::int64_t budget = default_budget) {
    m.start(f, args);
    outcome o{run_status::yielded, {}, 0};
    while (o.status == run_status::yielded) {
        o.status = m.run(budget);
        ++o.runs;
    }
    o.text = o.status == run_status::done ? m.repr(m.result()) : m.exception_summary(m.error());
    return o;
}

TEST(Vm, ModuleBodyRunsOnceAtLoadAndItsGlobalsAreFrozen) {
    std::string printed;
    auto p = load("xs = [1, 2]\nprint('loaded', len(xs))\n", &printed);
    EXPECT_EQ(printed, "loaded 2\n");
    value xs = global(*p, "xs");
    ASSERT_TRUE(xs.is_obj());
    EXPECT_TRUE(xs.as_obj()->frozen());
}

TEST(Vm, MutatingAFrozenGlobalRaisesTypeError) {
    auto p = load("xs = [1]\ndef f():\n    xs.append(2)\n");
    vm m(*p);
    outcome o = run_to_end(m, global(*p, "f"), {});
    EXPECT_EQ(o.status, run_status::failed);
    EXPECT_NE(o.text.find("TypeError: cannot modify a frozen value"), std::string::npos) << o.text;
}

TEST(Vm, BusyLoopYieldsWhenItsBudgetIsSpentAndResumesWhereItStopped) {
    auto p = load("def f(n):\n    t = 0\n    i = 0\n    while i < n:\n        t += i\n        i += 1\n    return t\n");
    vm m(*p);
    outcome o = run_to_end(m, global(*p, "f"), {value::from_int(100000)}, 1000);
    EXPECT_EQ(o.status, run_status::done);
    EXPECT_EQ(o.text, "4999950000");
    EXPECT_GE(o.runs, 100);  // one reduction per backward jump
}

TEST(Vm, CallsSpendReductionsToo) {
    auto p = load("def g(x):\n    return x\ndef f(n):\n    for i in range(n):\n        g(i)\n    return n\n");
    vm m(*p);
    outcome o = run_to_end(m, global(*p, "f"), {value::from_int(10000)}, 100);
    EXPECT_EQ(o.status, run_status::done);
    EXPECT_GE(o.runs, 200);
}

TEST(Vm, ScriptRecursionNeverUsesTheNativeStack) {
    // 9,000 nested script calls on a 256 KiB native stack: each script frame
    // lives in the VM's register stack, not in a C++ frame.
    auto p = load("def d(n):\n    if n == 0:\n        return 0\n    return 1 + d(n - 1)\n");
    outcome o;
    test::run_with_stack(256 * 1024, [&] {
        vm m(*p);
        o = run_to_end(m, global(*p, "d"), {value::from_int(9000)});
    });
    EXPECT_EQ(o.status, run_status::done);
    EXPECT_EQ(o.text, "9000");
}

TEST(Vm, RecursionDepthIsConfigurable) {
    auto p = load("def d(n):\n    if n == 0:\n        return 0\n    return 1 + d(n - 1)\n");
    vm_options opts;
    opts.max_depth = 100;
    vm m(*p, opts);
    EXPECT_EQ(run_to_end(m, global(*p, "d"), {value::from_int(98)}).text, "98");
    outcome o = run_to_end(m, global(*p, "d"), {value::from_int(100)});
    EXPECT_EQ(o.status, run_status::failed);
    EXPECT_EQ(o.text, "RecursionError: maximum recursion depth exceeded");
    // The VM is usable afterwards.
    EXPECT_EQ(run_to_end(m, global(*p, "d"), {value::from_int(10)}).text, "10");
}

TEST(Vm, TailCallsRunInConstantSpace) {
    auto p = load("def loop(n, acc):\n    if n == 0:\n        return acc\n    return loop(n - 1, acc + 1)\n");
    vm_options opts;
    opts.max_depth = 50;
    vm m(*p, opts);
    outcome o = run_to_end(m, global(*p, "loop"), {value::from_int(1000000), value::from_int(0)});
    EXPECT_EQ(o.status, run_status::done);
    EXPECT_EQ(o.text, "1000000");
}

TEST(Vm, HeapLimitRaisesMemoryErrorThatScriptsCanCatch) {
    auto p = load(
        "def grow():\n    xs = []\n    while True:\n        xs.append([0] * 1000)\n"
        "def f():\n    try:\n        grow()\n    except MemoryError:\n        return 'caught'\n");
    vm_options opts;
    opts.heap.limit_bytes = 4 << 20;
    vm m(*p, opts);
    outcome o = run_to_end(m, global(*p, "f"), {});
    EXPECT_EQ(o.status, run_status::done);
    EXPECT_EQ(o.text, "'caught'");
    // Uncaught, it ends the task with MemoryError, and the VM goes on.
    outcome u = run_to_end(m, global(*p, "grow"), {});
    EXPECT_EQ(u.status, run_status::failed);
    EXPECT_EQ(u.text, "MemoryError");
    EXPECT_LE(m.heap().block_bytes(), std::size_t(4) << 20);
}

TEST(Vm, CallbacksFromBuiltinsPropagateExceptionsWithTheirTraceback) {
    auto p = load("def key(x):\n    return 1 // x\ndef f():\n    return sorted([1, 0], key=key)\n");
    vm m(*p);
    outcome o = run_to_end(m, global(*p, "f"), {});
    ASSERT_EQ(o.status, run_status::failed);
    std::string tb = m.format_exception(m.error());
    EXPECT_NE(tb.find("line 4, in f"), std::string::npos) << tb;
    EXPECT_NE(tb.find("line 2, in key"), std::string::npos) << tb;
    EXPECT_NE(tb.find("ZeroDivisionError: integer division or modulo by zero"), std::string::npos) << tb;
}

TEST(Vm, OneProgramRunsInManyVmsOnManyThreadsAtOnce) {
    auto p = load(
        "table = {'a': 1, 'b': 2}\n"
        "def work(n):\n    t = 0\n    for i in range(n):\n        t += table['a'] + len([i, i])\n    return t\n");
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            vm m(*p);
            results[t] = run_to_end(m, global(*p, "work"), {value::from_int(20000)}, 500).text;
        });
    for (auto& th : threads) th.join();
    for (const auto& r : results) EXPECT_EQ(r, "60000");
}

TEST(Vm, SyntaxErrorsAndBodyErrorsAreLoadErrors) {
    try {
        load("x = (1,\n");
        FAIL() << "no error";
    } catch (const load_error& e) {
        EXPECT_EQ(e.status, 2);
        EXPECT_NE(e.report.find("t.weft:1:"), std::string::npos) << e.report;
    }
    try {
        load("x = 1\ny = x / 0\n");
        FAIL() << "no error";
    } catch (const load_error& e) {
        EXPECT_EQ(e.status, 1);
        EXPECT_NE(e.report.find("File \"t.weft\", line 2, in <module>"), std::string::npos) << e.report;
        EXPECT_NE(e.report.find("ZeroDivisionError: division by zero"), std::string::npos) << e.report;
    }
}

}  // namespace
}  // namespace weft::interp
