// registry.cpp: the registry of builtins: which names scripts see (len,
// int, ValueError ...), the type of every value, the exception classes and
// their hierarchy, and the methods of str, bytes, list and dict.
//
// Everything here is a static constant: a builtin_def is shared by every
// program and every VM on every thread, so nothing here may ever hold state
// or be written after static initialization (all of it is constant-
// initialized). The functions themselves live in builtins_*.cpp and
// methods_*.cpp.
#include <algorithm>
#include <array>

#include "interp/builtins/builtins.hpp"
#include "interp/builtins/internal.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/os_error.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {
namespace {

// -- Exception classes ---------------------------------------------------------------
// Indexes into exception_defs (the order of the table below).
enum exc_index : int {
    exc_Exception, exc_ArithmeticError, exc_LookupError, exc_ValueError, exc_TypeError, exc_KeyError,
    exc_IndexError, exc_ZeroDivisionError, exc_OverflowError, exc_RuntimeError, exc_RecursionError,
    exc_NameError, exc_AssertionError, exc_MemoryError, exc_TimeoutError, exc_AttributeError,
    exc_ImportError, exc_OSError, exc_FileNotFoundError, exc_FileExistsError, exc_PermissionError,
    exc_IsADirectoryError, exc_NotADirectoryError, exc_ConnectionError, exc_ConnectionRefusedError,
    exc_ConnectionResetError, exc_BrokenPipeError, exc_SystemExit, exc_EOFError, exc_UnicodeError,
    exc_UnicodeDecodeError, exc_UnicodeEncodeError, exc_UnboundLocalError, exc_StopIteration, exc_count
};
extern const builtin_def exception_defs[exc_count];

// Calling an exception class makes an exception whose args are the call's
// positional arguments: ValueError("bad").args == ("bad",). One instance
// per class, because a native_fn is not told which def it was called as.
template <int I>
value construct_exception(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const builtin_def* cls = &exception_defs[I];
    bi::no_kwargs(kwargs, cls->name);
    value args = m.heap().alloc_tuple(std::span<const value>(argv, argc));
    return m.make_exception(cls, args);
}

// OSError and its family: OSError(errno, strerror[, filename]) is made as
// the subclass that errno names, as in Python (OSError(2, "x") is a
// FileNotFoundError); the filename rides as a third item of args
// (interp/objects/os_error.hpp says how it reads back).
template <int I>
value construct_os_error(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const builtin_def* cls = &exception_defs[I];
    bi::no_kwargs(kwargs, cls->name);
    if (argc >= 2 && argv[0].is_int()) {
        if (I == exc_OSError) cls = m.prog().exception_class_for(os_error_kind(int(argv[0].as_int())));
        value args = m.heap().alloc_tuple(std::span<const value>(argv, std::min<std::uint32_t>(argc, 3)));
        return m.make_exception(cls, args);
    }
    value args = m.heap().alloc_tuple(std::span<const value>(argv, argc));
    return m.make_exception(cls, args);
}

constexpr type_tag exc = type_tag::exception;
const builtin_def exception_defs[exc_count] = {
    {"Exception", construct_exception<exc_Exception>, exc, nullptr},
    {"ArithmeticError", construct_exception<exc_ArithmeticError>, exc, &exception_defs[exc_Exception]},
    {"LookupError", construct_exception<exc_LookupError>, exc, &exception_defs[exc_Exception]},
    {"ValueError", construct_exception<exc_ValueError>, exc, &exception_defs[exc_Exception]},
    {"TypeError", construct_exception<exc_TypeError>, exc, &exception_defs[exc_Exception]},
    {"KeyError", construct_exception<exc_KeyError>, exc, &exception_defs[exc_LookupError]},
    {"IndexError", construct_exception<exc_IndexError>, exc, &exception_defs[exc_LookupError]},
    {"ZeroDivisionError", construct_exception<exc_ZeroDivisionError>, exc, &exception_defs[exc_ArithmeticError]},
    {"OverflowError", construct_exception<exc_OverflowError>, exc, &exception_defs[exc_ArithmeticError]},
    {"RuntimeError", construct_exception<exc_RuntimeError>, exc, &exception_defs[exc_Exception]},
    {"RecursionError", construct_exception<exc_RecursionError>, exc, &exception_defs[exc_RuntimeError]},
    {"NameError", construct_exception<exc_NameError>, exc, &exception_defs[exc_Exception]},
    {"AssertionError", construct_exception<exc_AssertionError>, exc, &exception_defs[exc_Exception]},
    {"MemoryError", construct_exception<exc_MemoryError>, exc, &exception_defs[exc_Exception]},
    {"TimeoutError", construct_os_error<exc_TimeoutError>, exc, &exception_defs[exc_OSError]},
    {"AttributeError", construct_exception<exc_AttributeError>, exc, &exception_defs[exc_Exception]},
    {"ImportError", construct_exception<exc_ImportError>, exc, &exception_defs[exc_Exception]},
    {"OSError", construct_os_error<exc_OSError>, exc, &exception_defs[exc_Exception]},
    {"FileNotFoundError", construct_os_error<exc_FileNotFoundError>, exc, &exception_defs[exc_OSError]},
    {"FileExistsError", construct_os_error<exc_FileExistsError>, exc, &exception_defs[exc_OSError]},
    {"PermissionError", construct_os_error<exc_PermissionError>, exc, &exception_defs[exc_OSError]},
    {"IsADirectoryError", construct_os_error<exc_IsADirectoryError>, exc, &exception_defs[exc_OSError]},
    {"NotADirectoryError", construct_os_error<exc_NotADirectoryError>, exc, &exception_defs[exc_OSError]},
    {"ConnectionError", construct_os_error<exc_ConnectionError>, exc, &exception_defs[exc_OSError]},
    {"ConnectionRefusedError", construct_os_error<exc_ConnectionRefusedError>, exc,
     &exception_defs[exc_ConnectionError]},
    {"ConnectionResetError", construct_os_error<exc_ConnectionResetError>, exc, &exception_defs[exc_ConnectionError]},
    {"BrokenPipeError", construct_os_error<exc_BrokenPipeError>, exc, &exception_defs[exc_ConnectionError]},
    // sys.exit's; under Exception, where Python has it under BaseException.
    {"SystemExit", construct_exception<exc_SystemExit>, exc, &exception_defs[exc_Exception]},
    {"EOFError", construct_exception<exc_EOFError>, exc, &exception_defs[exc_Exception]},
    // Text that is not valid in its encoding; args are the message alone
    // (Python's are encoding, object, start, end, reason).
    {"UnicodeError", construct_exception<exc_UnicodeError>, exc, &exception_defs[exc_ValueError]},
    {"UnicodeDecodeError", construct_exception<exc_UnicodeDecodeError>, exc, &exception_defs[exc_UnicodeError]},
    {"UnicodeEncodeError", construct_exception<exc_UnicodeEncodeError>, exc, &exception_defs[exc_UnicodeError]},
    {"UnboundLocalError", construct_exception<exc_UnboundLocalError>, exc, &exception_defs[exc_NameError]},
    {"StopIteration", construct_exception<exc_StopIteration>, exc, &exception_defs[exc_Exception]},
};

// -- Types ---------------------------------------------------------------------------
// Types scripts can name and call. `range` is both the type of range objects
// and their constructor.
constexpr builtin_def def_bool{"bool", bi::construct_bool, type_tag::bool_};
constexpr builtin_def def_int{"int", bi::construct_int, type_tag::int_};
constexpr builtin_def def_float{"float", bi::construct_float, type_tag::float_};
constexpr builtin_def def_str{"str", bi::construct_str, type_tag::str};
constexpr builtin_def def_bytes{"bytes", bi::construct_bytes, type_tag::bytes};
constexpr builtin_def def_tuple{"tuple", bi::construct_tuple, type_tag::tuple};
constexpr builtin_def def_list{"list", bi::construct_list, type_tag::list};
constexpr builtin_def def_dict{"dict", bi::construct_dict, type_tag::dict};
constexpr builtin_def def_set{"set", bi::construct_set, type_tag::set};
constexpr builtin_def def_frozenset{"frozenset", bi::construct_frozenset, type_tag::frozenset};
constexpr builtin_def def_range{"range", bi::construct_range, type_tag::range};
// Types that only type() shows: not callable, not visible by name (as in
// Python, where NoneType and function are no builtins either).
constexpr builtin_def def_none_type{"NoneType", nullptr, type_tag::none_type};
constexpr builtin_def def_function{"function", nullptr, type_tag::function};
constexpr builtin_def def_pid{"pid", nullptr, type_tag::pid};
constexpr builtin_def def_ref{"ref", nullptr, type_tag::ref};
constexpr builtin_def def_module{"module", nullptr, type_tag::module};

// -- Functions -----------------------------------------------------------------------
constexpr builtin_def def_print{"print", bi::builtin_print};
constexpr builtin_def def_len{"len", bi::builtin_len};
constexpr builtin_def def_repr{"repr", bi::builtin_repr};
constexpr builtin_def def_abs{"abs", bi::builtin_abs};
constexpr builtin_def def_min{"min", bi::builtin_min};
constexpr builtin_def def_max{"max", bi::builtin_max};
constexpr builtin_def def_sum{"sum", bi::builtin_sum};
constexpr builtin_def def_sorted{"sorted", bi::builtin_sorted};
constexpr builtin_def def_reversed{"reversed", bi::builtin_reversed};
constexpr builtin_def def_enumerate{"enumerate", bi::builtin_enumerate};
constexpr builtin_def def_zip{"zip", bi::builtin_zip};
constexpr builtin_def def_isinstance{"isinstance", bi::builtin_isinstance};
constexpr builtin_def def_type{"type", bi::builtin_type};
constexpr builtin_def def_hash{"hash", bi::builtin_hash};
constexpr builtin_def def_ord{"ord", bi::builtin_ord};
constexpr builtin_def def_chr{"chr", bi::builtin_chr};
constexpr builtin_def def_divmod{"divmod", bi::builtin_divmod};
constexpr builtin_def def_round{"round", bi::builtin_round};
constexpr builtin_def def_any{"any", bi::builtin_any};
constexpr builtin_def def_all{"all", bi::builtin_all};
constexpr builtin_def def_map{"map", bi::builtin_map};
constexpr builtin_def def_filter{"filter", bi::builtin_filter};
constexpr builtin_def def_callable{"callable", bi::builtin_callable};
constexpr builtin_def def_iter{"iter", bi::builtin_iter};
constexpr builtin_def def_next{"next", bi::builtin_next};
constexpr builtin_def def_iterator{"iterator", nullptr, type_tag::iterator};
constexpr builtin_def def_pow{"pow", bi::builtin_pow};
constexpr builtin_def def_hex{"hex", bi::builtin_hex};
constexpr builtin_def def_oct{"oct", bi::builtin_oct};
constexpr builtin_def def_bin{"bin", bi::builtin_bin};
// What scripts see by name.
constexpr std::array<const builtin_def*, 74> visible = {
    &def_print, &def_len, &def_range, &def_str, &def_int, &def_float, &def_bool, &def_repr, &def_abs,
    &def_min, &def_max, &def_sum, &def_sorted, &def_reversed, &def_enumerate, &def_zip, &def_list,
    &def_dict, &def_tuple, &def_bytes, &def_isinstance, &def_type, &def_hash, &def_ord, &def_chr,
    &def_divmod, &def_round, &def_any, &def_all, &def_map, &def_filter, &def_callable, &def_pow,
    &def_hex, &def_oct, &def_bin, &def_set, &def_frozenset, &def_iter, &def_next,
    &exception_defs[0], &exception_defs[1], &exception_defs[2], &exception_defs[3], &exception_defs[4],
    &exception_defs[5], &exception_defs[6], &exception_defs[7], &exception_defs[8], &exception_defs[9],
    &exception_defs[10], &exception_defs[11], &exception_defs[12], &exception_defs[13],
    &exception_defs[14], &exception_defs[15], &exception_defs[16], &exception_defs[17], &exception_defs[18],
    &exception_defs[19], &exception_defs[20], &exception_defs[21], &exception_defs[22], &exception_defs[23],
    &exception_defs[24], &exception_defs[25], &exception_defs[26], &exception_defs[27], &exception_defs[28],
    &exception_defs[29], &exception_defs[30], &exception_defs[31], &exception_defs[32], &exception_defs[33],
};
static_assert(exc_count == 34, "list every exception class in `visible`");

// The types only type() returns (type(None) is a value too).
constexpr std::array<const builtin_def*, 6> unnamed = {&def_none_type, &def_function, &def_pid, &def_ref,
                                                       &def_module, &def_iterator};

// The def of each type_tag (type_def_of), but exceptions, whose def is their class.
constexpr std::array<const builtin_def*, std::size_t(type_tag::not_a_type) + 1> def_of_tag = [] {
    std::array<const builtin_def*, std::size_t(type_tag::not_a_type) + 1> a{};
    a[std::size_t(type_tag::none_type)] = &def_none_type;
    a[std::size_t(type_tag::bool_)] = &def_bool;
    a[std::size_t(type_tag::int_)] = &def_int;
    a[std::size_t(type_tag::float_)] = &def_float;
    a[std::size_t(type_tag::str)] = &def_str;
    a[std::size_t(type_tag::bytes)] = &def_bytes;
    a[std::size_t(type_tag::tuple)] = &def_tuple;
    a[std::size_t(type_tag::list)] = &def_list;
    a[std::size_t(type_tag::dict)] = &def_dict;
    a[std::size_t(type_tag::set)] = &def_set;
    a[std::size_t(type_tag::frozenset)] = &def_frozenset;
    a[std::size_t(type_tag::iterator)] = &def_iterator;
    a[std::size_t(type_tag::function)] = &def_function;
    a[std::size_t(type_tag::pid)] = &def_pid;
    a[std::size_t(type_tag::ref)] = &def_ref;
    a[std::size_t(type_tag::range)] = &def_range;
    a[std::size_t(type_tag::module)] = &def_module;
    return a;
}();

constexpr native_module module_def{"builtins", visible, {}, unnamed, find_method};

}  // namespace

const native_module& builtins_module() noexcept { return module_def; }

const builtin_def* find_builtin(std::string_view name) noexcept {
    for (const builtin_def* d : visible)
        if (name == d->name) return d;
    return nullptr;
}

const builtin_def* find_method(value receiver, std::string_view name) noexcept {
    if (!receiver.is_obj()) return nullptr;
    switch (kind_of(receiver)) {
    case obj_kind::str:
    case obj_kind::shared_str: return bi::find_str_method(name);
    case obj_kind::bytes:
    case obj_kind::shared_bytes: return bi::find_bytes_method(name);
    case obj_kind::list: return bi::find_list_method(name);
    case obj_kind::dict: return bi::find_dict_method(name);
    case obj_kind::set: return bi::find_set_method(receiver, name);
    default: return nullptr;
    }
}

const builtin_def* find_exception_class(std::string_view name) noexcept {
    for (const builtin_def& d : exception_defs)
        if (name == d.name) return &d;
    return nullptr;
}

const builtin_def* type_def_of(value v) noexcept {
    type_tag t = type_tag_of(v);
    if (t == type_tag::exception) return builtin_of(exception_class(v));
    if (t == type_tag::record) return record_type_of(v)->cls;
    if (t == type_tag::resource) return resource_ref_of(v).type->cls;
    return def_of_tag[std::size_t(t)];  // null for not_a_type: the internal "empty" marker, cells ...
}

}  // namespace weft::interp
