// actor_args.cpp: see actor_args.hpp.
#include "interp/actor/actor_args.hpp"

#include <cmath>
#include <string>

#include "interp/objects/script_error.hpp"

namespace weft::interp::bi {

script_actor& running(vm& m, const char* fname) {
    if (!m.host())
        throw_script_error("RuntimeError", std::string(fname) +
                                               "() needs a running actor (module-level code runs when the program loads)");
    return static_cast<script_actor&>(*m.host());  // the only vm_host there is
}

void must_await(vm& m, const char* fname) {
    if (m.in_receive())
        throw_script_error("RuntimeError", std::string(fname) + "() cannot wait inside a receive's guard");
    if (!m.can_await())
        throw_script_error("RuntimeError", std::string(fname) +
                                               "() can wait only when called directly: not from a function that a "
                                               "builtin calls");
}

weft::pid pid_arg(value v, const char* fname) {
    if (!is_kind(v, obj_kind::pid))
        throw_script_error("TypeError", std::string(fname) + "() needs a pid, not '" + type_name(v) + "'");
    return as_pid(v)->p;
}

weft::ref ref_arg(value v, const char* fname) {
    if (!is_kind(v, obj_kind::ref))
        throw_script_error("TypeError", std::string(fname) + "() needs a ref, not '" + type_name(v) + "'");
    return as_ref(v)->r;
}

std::string_view name_arg(value v, const char* fname) {
    if (!is_str(v)) throw_script_error("TypeError", std::string(fname) + "() needs a name (str), not '" + type_name(v) + "'");
    return str_view(v);
}

// Milliseconds as an int or float, never negative.
double millis_arg(value v, const char* fname) {
    double ms;
    if (v.is_int()) ms = double(v.as_int());
    else if (v.is_float()) ms = v.as_float();
    else
        throw_script_error("TypeError", std::string(fname) + "() needs milliseconds (int or float), not '" +
                                            type_name(v) + "'");
    if (std::isnan(ms)) throw_script_error("ValueError", std::string(fname) + "() cannot wait NaN milliseconds");
    return ms < 0 ? 0 : ms;
}

}  // namespace weft::interp::bi
