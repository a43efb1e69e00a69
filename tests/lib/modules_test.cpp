// modules_test.cpp: the one interface through which native modules reach
// scripts (objects/builtin_def.hpp's native_module, load_options::natives):
// a module defined here, outside interp/, is imported, called, read and sent
// like lib/'s own; and lib/'s list is well formed.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "interp/builtins/args.hpp"
#include "interp/load/loader.hpp"
#include "interp/message/codec.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"
#include "lib/modules.hpp"
#include "serialize/codec.hpp"
#include "serialize/envelope.hpp"

namespace weft::lib {
namespace {

using namespace weft::interp;

// A module as a library author writes one: functions, a constant, errors.
value twice(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "demo.twice");
    bi::exactly_one("demo.twice", argc);
    if (!argv[0].is_int()) throw_script_error("TypeError", "twice() needs an int");
    return value::from_int(argv[0].as_int() * 2);
}
value greeting(vm& m, value*, std::uint32_t argc, value) {
    bi::no_args("demo.greeting", argc);
    return m.heap().alloc_str("hello from C++");
}
constexpr builtin_def twice_def{"twice", twice};
constexpr builtin_def greeting_def{"greeting", greeting};
constexpr std::array<const builtin_def*, 2> demo_functions = {&twice_def, &greeting_def};
constexpr std::array<native_constant, 2> demo_constants = {{
    {"ANSWER", [](frozen_arena&, const native_context&) { return value::from_int(42); }},
    {"NAME", [](frozen_arena& a, const native_context&) { return a.alloc_str("demo"); }},
}};
constexpr native_module demo{"demo", demo_functions, demo_constants};

std::unique_ptr<program> load(const std::string& source, std::string* printed) {
    load_options opts;
    opts.natives = {&demo};
    opts.out = [printed](std::string_view s, bool) { printed->append(s); };
    return load_program_source("t.weft", source, opts);
}

TEST(NativeModules, ImportCallAndReadConstants) {
    std::string out;
    load("import demo\n"
         "print(demo.twice(21), demo.ANSWER, demo.NAME, demo.greeting())\n"
         "print(demo.twice, demo)\n"
         "try:\n    demo.twice('x')\nexcept TypeError as e:\n    print('TypeError:', e)\n"
         "try:\n    demo.twice(1, 2)\nexcept TypeError as e:\n    print('TypeError:', e)\n"
         "try:\n    demo.missing\nexcept AttributeError as e:\n    print('AttributeError:', e)\n",
         &out);
    EXPECT_EQ(out,
              "42 42 demo hello from C++\n"
              "<built-in function twice> <module 'demo'>\n"
              "TypeError: twice() needs an int\n"
              "TypeError: demo.twice() takes exactly one argument (2 given)\n"
              "AttributeError: module 'demo' has no attribute 'missing'\n");
}

TEST(NativeModules, UnlistedModuleIsAnImportError) {
    try {
        load_program_source("t.weft", "import nosuchmodule\n", {});
        FAIL() << "loaded";
    } catch (const load_error& e) {
        EXPECT_NE(e.report.find("nosuchmodule"), std::string::npos) << e.report;
    }
}

TEST(NativeModules, FunctionsTravelUnderTheirModulesName) {
    std::string out;
    auto p = load("import demo\nf = demo.twice\n", &out);
    const module& m = p->main_module();
    value f = m.globals.at(m.global_index.at("f"));
    envelope* e = envelope::acquire();
    encode_value(*p, f, *e);
    EXPECT_EQ(decode(*e).repr(), weft::term::function("demo", 0, "twice").repr());
    heap h;
    EXPECT_TRUE(identical(decode_value(*p, h, term_view::root(*e)), f));
    EXPECT_TRUE(view_equals(*p, term_view::root(*e), f));
    // A program that never imported demo has no such function: a clear error.
    auto other = load_program_source("u.weft", "x = 1\n", {});
    try {
        decode_value(*other, h, term_view::root(*e));
        ADD_FAILURE() << "decoded";
    } catch (const script_error& err) {
        EXPECT_EQ(err.message, "function 'twice' of module 'demo' is not in this program");
    }
    envelope::release(e);
}

TEST(StandardModules, EveryModuleIsWellFormed) {
    ASSERT_FALSE(standard_modules().empty());
    for (const native_module* mod : standard_modules()) {
        EXPECT_NE(std::string_view(mod->name), "builtins");
        EXPECT_EQ(mod->method, nullptr) << mod->name;  // methods are the builtins module's
        for (const builtin_def* d : mod->functions) {
            // A record type (os.stat_result) or a resource type (tcp.conn) is
            // there for type() and cannot be called.
            if (d->type != interp::type_tag::record && d->type != interp::type_tag::resource) {
                EXPECT_NE(d->fn, nullptr) << mod->name << "." << d->name;
            }
            EXPECT_NE(std::string_view(d->name), "") << mod->name;
        }
        std::string out;
        load_options opts;
        opts.natives.assign(standard_modules().begin(), standard_modules().end());
        opts.out = [&out](std::string_view s, bool) { out.append(s); };
        load_program_source("t.weft", std::string("import ") + mod->name + "\nprint(" + mod->name + ")\n", opts);
        EXPECT_EQ(out, std::string("<module '") + mod->name + "'>\n");
    }
}

}  // namespace
}  // namespace weft::lib
