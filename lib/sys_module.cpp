// sys_module.cpp: `import sys`, the parts of Python's sys module LANGUAGE.md
// lists: argv, exit, stdin (read, readline, readlines), stdout and stderr
// (write, flush), and platform.
//
// sys.stdin is a resource value with read, readline, readlines and `for
// line in sys.stdin`, read by the runtime's stdin reader
// (io/stdin_reader.hpp) while the actor is parked. sys.stdout and sys.stderr
// are native submodules, so that sys.stdout.write(s) reads as in Python. sys.stdout writes where print writes, in order with
// it. sys.exit raises SystemExit; in main, `weft run` ends with its code.
#include "lib/sys_module.hpp"

#include <unistd.h>

#include <array>
#include <string>

#include "interp/actor/file_call.hpp"
#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/natives.hpp"
#include "interp/vm/vm.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_constant;
using interp::native_module;
using interp::rooted;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

// sys.exit(code=None): raises SystemExit(code) (SystemExit() for None).
// `code` may come by name, as LANGUAGE.md writes it.
value sys_exit(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];
    bi::parse_kwargs(kwargs, "exit", {"code"}, kw);
    bi::expected_args("exit", argc, 0, 1);
    value code = bi::merge_arg("exit", argv, argc, 0, kw[0], "code");
    std::uint32_t n = !code.is_empty() && !code.is_none() ? 1 : 0;
    value args = m.heap().alloc_tuple(std::span<const value>(&code, n));
    m.raise_exception(m.make_exception(m.prog().exception_class_for("SystemExit"), args));
}

std::string_view text_to_write(value v) {
    if (!interp::is_str(v))
        bi::type_error(std::string("write() argument must be str, not ") + interp::type_name_of(v));
    return interp::str_view(v);
}

// write(s) returns the number of characters written, as Python's.
value stdout_write(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "write");
    bi::exactly_one("write", argc);
    std::string_view text = text_to_write(argv[0]);
    m.write_out(text);
    return value::from_int(std::int64_t(interp::str_length(argv[0])));
}

value stdout_flush(vm& m, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "flush");
    bi::no_args("flush", argc);
    m.write_out("", true);
    return value::none();
}

// stderr is unbuffered, as Python's is in effect for a line at a time.
value stderr_write(vm&, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "write");
    bi::exactly_one("write", argc);
    std::string_view text = text_to_write(argv[0]);
    for (std::size_t done = 0; done < text.size();) {
        ssize_t n = ::write(2, text.data() + done, text.size() - done);
        if (n <= 0) break;  // stderr gone: nothing better to do with the text
        done += std::size_t(n);
    }
    return value::from_int(std::int64_t(interp::str_length(argv[0])));
}

value stderr_flush(vm&, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "flush");
    bi::no_args("flush", argc);
    return value::none();
}

// sys.stdin: read() all that is left, readline() a line with its "\n"
// ("" at the end), readlines() the rest as lines; each parks its actor.
// The text read (None at the end: ""), unless the call still waits.
value text_or_empty(vm& m, value text) { return m.trapped() || !text.is_none() ? text : m.heap().alloc_str(""); }

value stdin_read(vm& m, value*, std::uint32_t argc, value kwargs) {
    if (value text = bi::stdin_answer(m, "read"); !text.is_empty()) return text_or_empty(m, text);
    bi::no_kwargs(kwargs, "read");
    bi::no_args("read", argc);
    return text_or_empty(m, bi::ask_stdin(m, "read", true));
}

value stdin_readline(vm& m, value*, std::uint32_t argc, value kwargs) {
    if (value text = bi::stdin_answer(m, "readline"); !text.is_empty()) return text_or_empty(m, text);
    bi::no_kwargs(kwargs, "readline");
    bi::no_args("readline", argc);
    return text_or_empty(m, bi::ask_stdin(m, "readline", false));
}

// All that is left, split after each "\n".
value lines_of(vm& m, value text) {
    if (m.trapped()) return text;
    rooted all(m.heap(), text);
    rooted lines(m.heap(), m.heap().alloc_list());
    if (all.get().is_none()) return lines;
    std::size_t n = interp::str_view(all).size();
    for (std::size_t at = 0; at < n;) {
        std::string_view rest = interp::str_view(all).substr(at);
        std::size_t end = rest.find('\n');
        end = end == std::string_view::npos ? rest.size() : end + 1;
        std::string line(rest.substr(0, end));
        value s = m.heap().alloc_str(line);
        m.heap().list_append(lines, s);
        at += end;
    }
    return lines;
}

value stdin_readlines(vm& m, value*, std::uint32_t argc, value kwargs) {
    if (value text = bi::stdin_answer(m, "readlines"); !text.is_empty()) return lines_of(m, text);
    bi::no_kwargs(kwargs, "readlines");
    bi::no_args("readlines", argc);
    return lines_of(m, bi::ask_stdin(m, "readlines", true));
}

// As methods of the sys.stdin value: its argv[0] is itself.
template <value (*F)(vm&, value*, std::uint32_t, value)>
value method(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return F(m, argv + 1, argc - 1, kwargs);
}

// `for line in sys.stdin`: the next line; "" is the end.
value stdin_next(vm& m, value) {
    value line = stdin_readline(m, nullptr, 0, value::none());
    if (m.trapped()) return line;
    return interp::str_view(line).empty() ? value::empty() : line;
}

value stdin_attr(vm& m, value, std::string_view name) {
    if (name == "name") return m.heap().alloc_str("<stdin>");
    if (name == "mode") return m.heap().alloc_str("r");
    if (name == "encoding") return m.heap().alloc_str("utf-8");
    if (name == "closed") return value::boolean(false);
    return value::empty();
}

std::string stdin_repr(value, const interp::value_repr&) {
    return "<_io.TextIOWrapper name='<stdin>' mode='r' encoding='utf-8'>";
}

value stdin_iter(vm&, value* argv, std::uint32_t, value) { return argv[0]; }

constexpr builtin_def def_stdin_read{"read", method<stdin_read>};
constexpr builtin_def def_stdin_readline{"readline", method<stdin_readline>};
constexpr builtin_def def_stdin_readlines{"readlines", method<stdin_readlines>};
constexpr builtin_def def_stdin_iter{"__iter__", stdin_iter};
constexpr std::array<const builtin_def*, 4> stdin_methods = {&def_stdin_read, &def_stdin_readline,
                                                             &def_stdin_readlines, &def_stdin_iter};
// Its own class of the same name as a file's: a stdin is no file of the
// program's (it is never closed; no actor owns it).
constexpr builtin_def def_stdin_class{"_io.TextIOWrapper", nullptr, interp::type_tag::resource};
const interp::resource_type stdin_type{&def_stdin_class, stdin_methods, stdin_attr, stdin_repr, stdin_next};

// sys.stdin: a resource value that names no entry of any table (its methods
// need none), frozen as a module constant.
value make_stdin(interp::frozen_arena& arena, const interp::native_context&) {
    interp::heap scratch;
    rooted v(scratch, interp::alloc_resource(scratch, interp::resource_ref{&stdin_type, 0, 0}, 0));
    return arena.freeze(v);
}

constexpr builtin_def def_stdout_write{"write", stdout_write};
constexpr builtin_def def_stdout_flush{"flush", stdout_flush};
constexpr builtin_def def_stderr_write{"write", stderr_write};
constexpr builtin_def def_stderr_flush{"flush", stderr_flush};
constexpr std::array<const builtin_def*, 2> stdout_functions = {&def_stdout_write, &def_stdout_flush};
constexpr std::array<const builtin_def*, 2> stderr_functions = {&def_stderr_write, &def_stderr_flush};
constexpr native_module stdout_module{"sys.stdout", stdout_functions};
constexpr native_module stderr_module{"sys.stderr", stderr_functions};

constexpr builtin_def def_exit{"exit", sys_exit};
constexpr std::array<const builtin_def*, 1> functions = {&def_exit};

// sys.argv: the program's file as given, then its arguments (frozen).
value make_argv(interp::frozen_arena& arena, const interp::native_context& context) {
    interp::heap scratch;
    rooted list(scratch, scratch.alloc_list(context.argv.size()));
    for (const std::string& word : context.argv) {
        value s = scratch.alloc_str(word);
        scratch.list_append(list, s);
    }
    return arena.freeze(list);
}

constexpr std::array<native_constant, 3> constants = {{
    {"argv", make_argv},
    {"stdin", make_stdin},
    {"platform", [](interp::frozen_arena& a, const interp::native_context&) { return a.alloc_str("linux"); }},
}};

constexpr std::array<const native_module*, 2> submodules = {&stdout_module, &stderr_module};

constexpr native_module module_def{"sys", functions, constants, {}, nullptr, submodules};

}  // namespace

const native_module& sys_module() noexcept { return module_def; }

}  // namespace weft::lib
