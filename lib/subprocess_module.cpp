// subprocess_module.cpp: `import subprocess`, Python's subprocess.run and its
// errors (LANGUAGE.md): run(args, capture_output=False, text=False,
// input=None, timeout=None, cwd=None, env=None, check=False) returns a
// CompletedProcess with args, returncode, stdout and stderr.
//
// The child runs under the runtime's io service (io/process.hpp): the
// calling actor is parked until the child has ended and its output is read,
// and its worker thread runs other actors meanwhile. A timed-out child is
// killed before TimeoutExpired is raised, and a child still running when
// its actor ends (an exit signal, a kill) is killed too.
#include "lib/subprocess_module.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "interp/actor/actor_args.hpp"
#include "interp/actor/file_call.hpp"
#include "interp/builtins/args.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/os_error.hpp"
#include "interp/vm/vm.hpp"
#include "io/process.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_module;
using interp::record_type;
using interp::rooted;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

// -- The exception classes -------------------------------------------------------------

template <const builtin_def* (*Self)()>
value construct(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, Self()->name);
    return m.make_exception(Self(), m.heap().alloc_tuple(std::span<const value>(argv, argc)));
}
const builtin_def* subprocess_error();
const builtin_def* called_process_error();
const builtin_def* timeout_expired();
// Made at load (their base is the builtins' Exception, looked up by name).
const builtin_def def_SubprocessError{"subprocess.SubprocessError", construct<subprocess_error>, interp::type_tag::exception,
                                      interp::find_exception_class("Exception")};
const builtin_def def_CalledProcessError{"subprocess.CalledProcessError", construct<called_process_error>,
                                         interp::type_tag::exception, &def_SubprocessError};
const builtin_def def_TimeoutExpired{"subprocess.TimeoutExpired", construct<timeout_expired>, interp::type_tag::exception,
                                     &def_SubprocessError};
const builtin_def* subprocess_error() { return &def_SubprocessError; }
const builtin_def* called_process_error() { return &def_CalledProcessError; }
const builtin_def* timeout_expired() { return &def_TimeoutExpired; }

// Their attributes beyond args, and their str() as Python's __str__.
std::string describe_called(value r, const interp::value_repr& repr) {
    value* f = interp::record_fields(r);  // returncode, cmd, output, stdout, stderr
    std::int64_t code = f[0].as_int();
    if (code < 0) {
        static const char* const names[] = {"",        "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGILL",  "SIGTRAP",
                                            "SIGABRT", "SIGBUS",  "SIGFPE",  "SIGKILL", "SIGUSR1", "SIGSEGV",
                                            "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
        std::int64_t sig = -code;
        std::string name = sig < 16 ? names[sig] : "";
        if (!name.empty())
            return "Command '" + repr(f[1]) + "' died with <Signals." + name + ": " + std::to_string(sig) + ">.";
        return "Command '" + repr(f[1]) + "' died with unknown signal " + std::to_string(sig) + ".";
    }
    return "Command '" + repr(f[1]) + "' returned non-zero exit status " + std::to_string(code) + ".";
}
constexpr std::array<const char*, 5> called_fields = {"returncode", "cmd", "output", "stdout", "stderr"};
const record_type called_attrs{.cls = &def_CalledProcessError, .fields = called_fields, .describe = describe_called};

std::string describe_timeout(value r, const interp::value_repr& repr) {
    value* f = interp::record_fields(r);  // cmd, timeout, output, stdout, stderr
    return "Command '" + repr(f[0]) + "' timed out after " + repr(f[1]) + " seconds";
}
constexpr std::array<const char*, 5> timeout_fields = {"cmd", "timeout", "output", "stdout", "stderr"};
const record_type timeout_attrs{.cls = &def_TimeoutExpired, .fields = timeout_fields, .describe = describe_timeout};

// CompletedProcess(args=..., returncode=..., stdout=..., stderr=...).
constexpr builtin_def def_CompletedProcess{"subprocess.CompletedProcess", nullptr, interp::type_tag::record};
constexpr std::array<const char*, 4> completed_fields = {"args", "returncode", "stdout", "stderr"};
const record_type completed_type{
    .cls = &def_CompletedProcess, .fields = completed_fields, .repr_name = "CompletedProcess", .shown_when_set_from = 2};

// -- run ------------------------------------------------------------------------------

// The child's output as the script sees it: bytes, or str with text=True
// (UTF-8, a bad byte shown as U+FFFD).
term output_term(const std::string& bytes, bool text) {
    return text ? term::str(bi::utf8_or_replacement(bytes)) : term::bytes(bytes);
}

std::vector<std::string> args_of(value a) {
    std::vector<std::string> out;
    if (interp::is_str(a)) {
        out.emplace_back(interp::str_view(a));
    } else if (interp::is_kind(a, interp::obj_kind::list) || interp::is_kind(a, interp::obj_kind::tuple)) {
        bool tuple = interp::is_kind(a, interp::obj_kind::tuple);
        std::span<const value> items = tuple ? std::span<const value>(interp::as_tuple(a)->items(), interp::as_tuple(a)->length())
                                             : std::span<const value>(interp::as_list(a)->slots(), interp::as_list(a)->length);
        for (value v : items) {
            if (!interp::is_str(v))
                bi::type_error(std::string("expected str, bytes or os.PathLike object, not ") + interp::type_name_of(v));
            out.emplace_back(interp::str_view(v));
        }
    } else {
        bi::type_error(std::string("expected str, bytes or os.PathLike object, not ") + interp::type_name_of(a));
    }
    if (out.empty()) bi::value_error("args must not be empty");  // Python: IndexError from the empty list
    for (const std::string& s : out)
        if (s.find('\0') != std::string::npos) bi::value_error("embedded null byte");
    return out;
}

// The answer, as ("done", returncode, stdout, stderr), ("timeout", stdout,
// stderr) or ("err", errno, argv[0]): rebuilt in the actor's heap.
enum arg { a_args, a_capture, a_text, a_input, a_timeout, a_cwd, a_env, a_check, a_count };

// `kw` is rooted by the caller.
// Raises `cls` with args (first, second) and, as its attributes, a record
// of `attrs` holding `fields` (subprocess's exceptions have five).
[[noreturn]] void raise_with_attrs(vm& m, const builtin_def* cls, value first, value second, const record_type& attrs,
                                   std::array<value, 5> fields) {
    value kept[7] = {first, second, fields[0], fields[1], fields[2], fields[3], fields[4]};
    interp::root_scope keep(m.heap(), kept, 7);
    rooted exc(m.heap(), m.make_exception(cls, m.heap().alloc_tuple(std::span<const value>(kept, 2))));
    value r = interp::alloc_record(m.heap(), attrs);
    std::copy(kept + 2, kept + 7, interp::record_fields(r));
    interp::as_native(exc)->slots()[interp::exc_slot::attrs] = r;
    m.raise_exception(exc);
}

value finish_run(vm& m, value* argv, std::uint32_t argc, value* kw, value answer) {
    rooted got(m.heap(), answer);
    rooted args(m.heap(), bi::merge_arg("run", argv, argc, 0, kw[a_args], "args"));
    interp::tuple_obj* t = interp::as_tuple(got);
    std::string_view kind = interp::str_view(t->items()[0]);
    if (kind == "err") {
        value name = t->items()[2];
        interp::throw_os_error(int(t->items()[1].as_int()), std::string(interp::str_view(name)));
    }
    value* g = interp::as_tuple(got)->items();
    if (kind == "timeout")  // ("timeout", stdout, stderr)
        raise_with_attrs(m, &def_TimeoutExpired, args, kw[a_timeout], timeout_attrs,
                         {args, kw[a_timeout], g[1], g[1], g[2]});
    value code = t->items()[1];  // ("done", code, stdout, stderr)
    bool check = !kw[a_check].is_empty() && interp::num::truthy(kw[a_check]);
    if (check && code.as_int() != 0)
        raise_with_attrs(m, &def_CalledProcessError, code, args, called_attrs, {code, args, g[2], g[2], g[3]});
    value r = interp::alloc_record(m.heap(), completed_type);
    value* f = interp::record_fields(r);
    f[0] = args;
    f[1] = interp::as_tuple(got)->items()[1];
    f[2] = interp::as_tuple(got)->items()[2];
    f[3] = interp::as_tuple(got)->items()[3];
    return r;
}

value subprocess_run(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    // The keywords first, rooted: kwargs itself is not, and the answer's
    // decoding allocates.
    value kw[a_count];
    bi::parse_kwargs(kwargs, "run", {"args", "capture_output", "text", "input", "timeout", "cwd", "env", "check"}, kw);
    interp::root_scope keep(m.heap(), kw, a_count);
    if (value state = m.resumed(); !state.is_empty()) {  // (tag, the child's key in the actor's holdings)
        std::uint64_t key = std::uint64_t(interp::as_tuple(state)->items()[1].as_int());
        value answer = bi::answer_or_wait(m, "run", state, interp::as_ref(interp::as_tuple(state)->items()[0])->r);
        if (m.trapped()) return answer;
        bi::running(m, "run").let_go(key);
        return finish_run(m, argv, argc, kw, answer);
    }
    if (argc > 1) bi::type_error("run() takes 1 positional argument but " + std::to_string(argc) + " were given");
    value a = bi::merge_arg("run", argv, argc, 0, kw[a_args], "args");
    if (a.is_empty()) bi::type_error("run() missing 1 required positional argument: 'popenargs'");

    io::process_request r;
    r.argv = args_of(a);
    r.capture = !kw[a_capture].is_empty() && interp::num::truthy(kw[a_capture]);
    bool text = !kw[a_text].is_empty() && interp::num::truthy(kw[a_text]);
    if (value in = kw[a_input]; !in.is_empty() && !in.is_none()) {
        if (text ? !interp::is_str(in) : !interp::is_bytes(in))
            // CPython's words differ by the path its communicate() takes.
            bi::type_error(text      ? std::string("write() argument must be str, not ") + interp::type_name_of(in)
                           : r.capture ? std::string("memoryview: a bytes-like object is required, not '") +
                                             interp::type_name_of(in) + "'"
                                       : std::string("a bytes-like object is required, not '") +
                                             interp::type_name_of(in) + "'");
        r.input = std::string(text ? interp::str_view(in) : interp::bytes_view(in));
    }
    if (value to = kw[a_timeout]; !to.is_empty() && !to.is_none()) {
        if (!interp::num::is_number(to))
            bi::type_error(std::string("'<' not supported between instances of '") + interp::type_name_of(to) +
                           "' and 'int'");
        double s = interp::num::to_double(to);
        if (!std::isfinite(s)) bi::value_error("timeout must be a finite number");
        r.timeout = std::chrono::milliseconds(s <= 0 ? 0 : std::int64_t(std::min(s, 1e9) * 1000));
    }
    if (value cwd = kw[a_cwd]; !cwd.is_empty() && !cwd.is_none()) {
        if (!interp::is_str(cwd))
            bi::type_error(std::string("expected str, bytes or os.PathLike object, not ") + interp::type_name_of(cwd));
        r.cwd = std::string(interp::str_view(cwd));
    }
    if (value env = kw[a_env]; !env.is_empty() && !env.is_none()) {
        if (!interp::is_kind(env, interp::obj_kind::dict))
            bi::type_error(std::string("'") + interp::type_name_of(env) + "' object has no attribute 'keys'");
        std::vector<std::string> entries;
        std::uint32_t pos = 0;
        value k, v;
        while (interp::heap::dict_next(env, pos, k, v)) {
            if (!interp::is_str(k) || !interp::is_str(v))
                bi::type_error(std::string("expected str, bytes or os.PathLike object, not ") +
                               interp::type_name_of(interp::is_str(k) ? v : k));
            entries.push_back(std::string(interp::str_view(k)) + "=" + std::string(interp::str_view(v)));
        }
        r.env = std::move(entries);
    }
    std::string program = r.argv[0];
    bool capture = r.capture;
    auto answer = [program, capture, text](const io::process_outcome& o) {
        if (o.spawn_errno) return bi::file_error(o.spawn_errno, program);
        term out = capture ? output_term(o.out, text) : term();
        term err = capture ? output_term(o.err, text) : term();
        if (o.timed_out) return term::tuple({term::str("timeout"), out, err});
        return term::tuple({term::str("done"), term(o.exit_code), out, err});
    };
    if (!m.host())  // module-level code, before any actor: this thread waits for the child
        return finish_run(m, argv, argc, kw, bi::value_of(m, answer(io::run_process_now(std::move(r)))));
    interp::script_actor& self = bi::running(m, "run");
    bi::must_await(m, "run");
    weft::ref tag = self.api().make_ref();
    std::function<void()> kill = io::run_process(self.api().rt(), self.api().self(), tag, std::move(r), answer);
    // The child is the actor's: killed if the actor ends before it does.
    std::uint64_t key = self.hold(std::move(kill));
    value state[2] = {m.heap().alloc_ref(tag), value::from_int(std::int64_t(key))};
    interp::root_scope keep_state(m.heap(), state, 2);
    return m.await(m.heap().alloc_tuple(std::span<const value>(state, 2)));
}

constexpr builtin_def def_run{"run", subprocess_run};

const std::array<const builtin_def*, 5> functions = {&def_run, &def_SubprocessError, &def_CalledProcessError,
                                                     &def_TimeoutExpired, &def_CompletedProcess};

const native_module module_def{"subprocess", functions};

}  // namespace

const native_module& subprocess_module() noexcept { return module_def; }

}  // namespace weft::lib
