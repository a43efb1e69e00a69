// time_module.cpp: `import time`, Python's time module as LANGUAGE.md lists
// it: time() monotonic() perf_counter() sleep(seconds) strftime(fmt, secs).
//
// sleep parks only the calling actor, on the same timer as the actor
// builtin sleep(ms) and receive's `after`. strftime takes seconds since the
// epoch (local time), where Python's takes a struct_time: Weft has no
// struct_time (docs/library.md).
#include "lib/time_module.hpp"

#include <time.h>

#include <array>
#include <chrono>
#include <cmath>
#include <thread>
#include <string>
#include <vector>

#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/vm/vm.hpp"

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_module;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

double clock_seconds(clockid_t clock) {
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

value time_time(vm&, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "time");
    bi::no_args("time", argc);
    return value::from_float(clock_seconds(CLOCK_REALTIME));
}

// monotonic and perf_counter: CPython's clocks on Linux (both
// CLOCK_MONOTONIC, which is the steady clock), read through the runtime so
// that a deterministic run sees its virtual clock.
value time_monotonic(vm&, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "monotonic");
    bi::no_args("monotonic", argc);
    return value::from_float(double(interp::steady_now_ns()) * 1e-9);
}

value time_perf_counter(vm&, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "perf_counter");
    bi::no_args("perf_counter", argc);
    return value::from_float(double(interp::steady_now_ns()) * 1e-9);
}

// Seconds as Python's time functions take them: an int or a float.
double seconds_arg(value v) {
    if (v.is_bool()) return v.as_bool() ? 1.0 : 0.0;
    if (v.is_int()) return double(v.as_int());
    if (v.is_float()) return v.as_float();
    if (interp::num::is_bignum(v)) bi::type_error("timestamp too large to convert to C _PyTime_t");
    bi::type_error(std::string("'") + interp::type_name_of(v) + "' object cannot be interpreted as an integer");
}

value time_sleep(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "sleep");
    bi::exactly_one("sleep", argc);
    double s = seconds_arg(argv[0]);
    if (std::isnan(s)) bi::value_error("Invalid value NaN (not a number)");
    if (s < 0) bi::value_error("sleep length must be non-negative");
    if (!m.host()) {  // module-level code, before any actor: this thread may wait itself
        std::this_thread::sleep_for(std::chrono::nanoseconds(std::int64_t(std::min(s, 1e10) * 1e9)));
        return value::none();
    }
    if (m.in_callback())
        interp::throw_script_error("RuntimeError", "sleep() cannot wait inside a function that a builtin calls");
    m.suspend_after_call(vm::wait_kind::sleep, interp::steady_now_ns() + std::int64_t(std::min(s, 1e10) * 1e9));
    return value::none();
}

// strftime(format, secs=time()): C's strftime on localtime(secs), with
// CPython's growing buffer (an empty result is "").
value time_strftime(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];  // secs may come by name, as LANGUAGE.md writes it
    bi::parse_kwargs(kwargs, "strftime", {"secs"}, kw);
    bi::expected_args("strftime", argc, 1, 2);
    value secs_arg = bi::merge_arg("strftime", argv, argc, 1, kw[0], "secs");
    if (!interp::is_str(argv[0]))
        bi::type_error(std::string("strftime() argument 1 must be str, not ") + interp::type_name_of(argv[0]));
    std::string format(interp::str_view(argv[0]));
    if (format.find('\0') != std::string::npos) bi::value_error("embedded null character");
    double secs = secs_arg.is_empty() ? clock_seconds(CLOCK_REALTIME) : seconds_arg(secs_arg);
    if (!std::isfinite(secs) || std::fabs(secs) > 1e17) bi::value_error("timestamp out of range for platform time_t");
    time_t t = time_t(std::floor(secs));
    tm local{};
    if (!::localtime_r(&t, &local)) bi::value_error("timestamp out of range for platform time_t");
    for (std::size_t size = 256 + format.size() * 2;; size *= 4) {
        std::vector<char> buf(size);
        std::size_t n = std::strftime(buf.data(), buf.size(), format.c_str(), &local);
        if (n > 0 || size > 256 * (format.size() + 1)) return m.heap().alloc_str(std::string_view(buf.data(), n));
    }
}

constexpr builtin_def def_time{"time", time_time};
constexpr builtin_def def_monotonic{"monotonic", time_monotonic};
constexpr builtin_def def_perf_counter{"perf_counter", time_perf_counter};
constexpr builtin_def def_sleep{"sleep", time_sleep};
constexpr builtin_def def_strftime{"strftime", time_strftime};

constexpr std::array<const builtin_def*, 5> functions = {&def_time, &def_monotonic, &def_perf_counter, &def_sleep,
                                                         &def_strftime};

constexpr native_module module_def{"time", functions};

}  // namespace

const native_module& time_module() noexcept { return module_def; }

}  // namespace weft::lib
