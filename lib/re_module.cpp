// re_module.cpp: `import re`, Python's regular expressions on PCRE2
// (LANGUAGE.md, docs/library.md): the module's functions and flags, the
// pattern type and its methods, re.error, and Python's wording of argument
// errors (the module's functions are Python functions in CPython, the
// pattern's methods are Argument Clinic ones: their messages differ).
//
// It must never hold a compiled pattern but through the program's cache
// (re_engine.cpp), and never keep argv across a call back into script code.
#include "lib/re_module.hpp"

#include <array>
#include <string>

#include "interp/builtins/args.hpp"
#include "interp/builtins/builtins.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/vm/vm.hpp"
#include "lib/re_internal.hpp"
#include "serialize/term_view.hpp"

namespace weft::lib {
namespace re {
namespace {

using interp::builtin_def;
using interp::native_constant;
using interp::record_type;
using interp::rooted;
namespace bi = interp::bi;

// -- Arguments ---------------------------------------------------------------------------

// Reads the arguments of a function with these parameters (the first
// `required` of them required) into out[] (empty when not given), worded as
// CPython words a Python function's errors, or an Argument Clinic one's.
void parse(std::string_view fname, const value* argv, std::uint32_t argc, value kwargs,
           std::initializer_list<const char*> names, std::uint32_t required, bool clinic, value* out) {
    auto n = std::uint32_t(names.size());
    const char* const* name = names.begin();
    std::string f(fname);
    if (argc > n) {
        if (clinic)
            bi::type_error(f + "() takes at most " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + " (" +
                           std::to_string(argc) + " given)");
        std::string takes = required == n ? std::to_string(n) : "from " + std::to_string(required) + " to " + std::to_string(n);
        bi::type_error(f + "() takes " + takes + " positional argument" + (n == 1 && required == n ? "" : "s") +
                       " but " + std::to_string(argc) + (argc == 1 ? " was" : " were") + " given");
    }
    for (std::uint32_t k = 0; k < n; ++k) out[k] = k < argc ? argv[k] : value::empty();
    if (!kwargs.is_none() && interp::is_kind(kwargs, interp::obj_kind::dict)) {
        std::uint32_t pos = 0;
        value key, v;
        while (interp::heap::dict_next(kwargs, pos, key, v)) {
            std::string_view k = interp::str_view(key);
            std::uint32_t at = 0;
            while (at < n && k != name[at]) ++at;
            if (at == n)
                bi::type_error(clinic ? "'" + std::string(k) + "' is an invalid keyword argument for " + f + "()"
                                      : f + "() got an unexpected keyword argument '" + std::string(k) + "'");
            if (at < argc)
                bi::type_error(clinic ? "argument for " + f + "() given by name ('" + std::string(k) + "') and position (" +
                                            std::to_string(at + 1) + ")"
                                      : f + "() got multiple values for argument '" + std::string(k) + "'");
            out[at] = v;
        }
    }
    std::vector<const char*> missing;
    for (std::uint32_t k = 0; k < required; ++k)
        if (out[k].is_empty()) {
            if (clinic)
                bi::type_error(f + "() missing required argument '" + name[k] + "' (pos " + std::to_string(k + 1) + ")");
            missing.push_back(name[k]);
        }
    if (missing.empty()) return;
    std::string list;
    for (std::size_t k = 0; k < missing.size(); ++k) {
        if (k) list += missing.size() == 2 ? " and " : k + 1 == missing.size() ? ", and " : ", ";
        list += "'" + std::string(missing[k]) + "'";
    }
    bi::type_error(f + "() missing " + std::to_string(missing.size()) + " required positional argument" +
                   (missing.size() == 1 ? "" : "s") + ": " + list);
}

std::uint32_t flags_arg(value v) {
    if (v.is_empty()) return 0;
    if (v.is_bool()) return v.as_bool();
    if (!v.is_int())
        bi::type_error(std::string("unsupported operand type(s) for &: '") + interp::type_name_of(v) + "' and 'RegexFlag'");
    return std::uint32_t(v.as_int());
}

// The compiled pattern a module function's first argument stands for.
const compiled& pattern_arg(vm& m, value p, value flags) {
    if (is_pattern(p)) {
        if (flags_arg(flags) != 0) bi::value_error("cannot process flags argument with a compiled pattern");
        return compiled_of(p);
    }
    if (!interp::is_str(p) && !interp::is_bytes(p)) bi::type_error("first argument must be string or compiled pattern");
    bool bytes = interp::is_bytes(p);
    std::uint32_t f = flags_arg(flags);
    try {
        return cache_of(m).get(bytes ? interp::bytes_view(p) : interp::str_view(p), f, bytes);
    } catch (const compile_failure& failure) {
        raise_error(m, failure, p);
    }
}
value pattern_value(value p) { return is_pattern(p) ? p : value::none(); }

// -- The module's functions ----------------------------------------------------------------

value re_compile(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[2];
    parse("compile", argv, argc, kwargs, {"pattern", "flags"}, 1, false, a);
    if (is_pattern(a[0])) {
        if (flags_arg(a[1]) != 0) bi::value_error("cannot process flags argument with a compiled pattern");
        return a[0];
    }
    return make_pattern(m.heap(), pattern_arg(m, a[0], a[1]));
}

template <anchor A>
value re_search(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const char* name = A == anchor::search ? "search" : A == anchor::match ? "match" : "fullmatch";
    value a[3];
    parse(name, argv, argc, kwargs, {"pattern", "string", "flags"}, 2, false, a);
    const compiled& c = pattern_arg(m, a[0], a[2]);
    return op_search(m, c, pattern_value(a[0]), a[1], value::empty(), value::empty(), A);
}

template <bool Iter>
value re_findall(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[3];
    parse(Iter ? "finditer" : "findall", argv, argc, kwargs, {"pattern", "string", "flags"}, 2, false, a);
    const compiled& c = pattern_arg(m, a[0], a[2]);
    return op_findall(m, c, pattern_value(a[0]), a[1], value::empty(), value::empty(), Iter);
}

template <bool Subn>
value re_sub(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[5];
    parse(Subn ? "subn" : "sub", argv, argc, kwargs, {"pattern", "repl", "string", "count", "flags"}, 3, false, a);
    const compiled& c = pattern_arg(m, a[0], a[4]);
    return op_sub(m, c, pattern_value(a[0]), a[1], a[2], a[3], Subn);
}

value re_split(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[4];
    parse("split", argv, argc, kwargs, {"pattern", "string", "maxsplit", "flags"}, 2, false, a);
    const compiled& c = pattern_arg(m, a[0], a[3]);
    return op_split(m, c, pattern_value(a[0]), a[1], a[2]);
}

// Python 3.7's escape: a backslash before the characters that mean
// something in a pattern, and nothing else.
value re_escape(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value a[1];
    parse("escape", argv, argc, kwargs, {"pattern"}, 1, false, a);
    bool bytes = interp::is_bytes(a[0]);
    if (!bytes && !interp::is_str(a[0]))
        bi::type_error(std::string("decoding to str: need a bytes-like object, ") + interp::type_name_of(a[0]) + " found");
    std::string_view s = bytes ? interp::bytes_view(a[0]) : interp::str_view(a[0]);
    static constexpr std::string_view special = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        if (special.find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
    }
    m.charge(s.size() / 64);
    return bytes ? m.heap().alloc_bytes(out) : m.heap().alloc_str(out);
}

// The cache keeps every pattern for the program's life: nothing to purge.
value re_purge(vm&, value* argv, std::uint32_t argc, value kwargs) {
    value a[1];
    parse("purge", argv, argc, kwargs, {}, 0, false, a);
    return value::none();
}

// -- The pattern's methods -------------------------------------------------------------------

const compiled& self_pattern(value* argv, const char* name) {
    if (!is_pattern(argv[0]))
        bi::type_error(std::string("descriptor '") + name + "' for 're.Pattern' objects doesn't apply to a '" +
                       interp::type_name_of(argv[0]) + "' object");
    return compiled_of(argv[0]);
}

template <anchor A>
value p_search(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const char* name = A == anchor::search ? "search" : A == anchor::match ? "match" : "fullmatch";
    const compiled& c = self_pattern(argv, name);
    value a[3];
    parse(name, argv + 1, argc - 1, kwargs, {"string", "pos", "endpos"}, 1, true, a);
    return op_search(m, c, argv[0], a[0], a[1], a[2], A);
}

template <bool Iter>
value p_findall(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const char* name = Iter ? "finditer" : "findall";
    const compiled& c = self_pattern(argv, name);
    value a[3];
    parse(name, argv + 1, argc - 1, kwargs, {"string", "pos", "endpos"}, 1, true, a);
    return op_findall(m, c, argv[0], a[0], a[1], a[2], Iter);
}

template <bool Subn>
value p_sub(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const char* name = Subn ? "subn" : "sub";
    const compiled& c = self_pattern(argv, name);
    value a[3];
    parse(name, argv + 1, argc - 1, kwargs, {"repl", "string", "count"}, 2, true, a);
    return op_sub(m, c, argv[0], a[0], a[1], a[2], Subn);
}

value p_split(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    const compiled& c = self_pattern(argv, "split");
    value a[2];
    parse("split", argv + 1, argc - 1, kwargs, {"string", "maxsplit"}, 1, true, a);
    return op_split(m, c, argv[0], a[0], a[1]);
}

value pattern_attr(vm& m, value self, std::string_view name) {
    const compiled& c = compiled_of(self);
    if (name == "pattern") return interp::resource_slots(self)[0];
    if (name == "flags") return value::from_int(std::int64_t(c.flags));
    if (name == "groups") return value::from_int(std::int64_t(c.groups));
    if (name == "groupindex") {
        rooted d(m.heap(), m.heap().alloc_dict());
        for (const auto& [n, g] : c.names) {
            value key = m.heap().alloc_str(n);
            m.heap().dict_set(d, key, value::from_int(std::int64_t(g)));
        }
        return d;
    }
    return value::empty();
}

// re.compile('a+', re.IGNORECASE|re.MULTILINE), as Python shows it.
std::string pattern_repr(value self, const interp::value_repr&) {
    const compiled& c = compiled_of(self);
    std::string out = "re.compile(" + (c.is_bytes ? interp::repr_bytes(c.source) : interp::repr_str(c.source));
    std::uint32_t f = c.flags;
    if (!c.is_bytes && (f & (f_locale | f_unicode | f_ascii)) == f_unicode) f &= ~std::uint32_t(f_unicode);
    if (f) {
        static const std::pair<std::uint32_t, const char*> names[] = {
            {f_template, "re.TEMPLATE"}, {f_ignorecase, "re.IGNORECASE"}, {f_locale, "re.LOCALE"},
            {f_multiline, "re.MULTILINE"}, {f_dotall, "re.DOTALL"}, {f_unicode, "re.UNICODE"},
            {f_verbose, "re.VERBOSE"}, {f_debug, "re.DEBUG"}, {f_ascii, "re.ASCII"}};
        std::string text;
        for (const auto& [bit, n] : names)
            if (f & bit) {
                text += (text.empty() ? "" : "|") + std::string(n);
                f &= ~bit;
            }
        if (f) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%x", f);
            text += (text.empty() ? "" : "|") + std::string(hex);
        }
        out += ", " + text;
    }
    return out + ")";
}

// A pattern that came in a message: compiled again here, from its source
// and flags (found in this program's cache when it has it already).
value rebuild_pattern(const interp::program& prog, interp::heap& h, const weft::term_view& made_of) {
    weft::term_view source = made_of.capture(0), flags = made_of.capture(1);
    bool bytes = source.kind() == weft::term_kind::bytes;
    if (made_of.capture_count() != 2 || (!bytes && source.kind() != weft::term_kind::str) ||
        flags.kind() != weft::term_kind::integer)
        interp::throw_script_error("ValueError", "a re.Pattern in a message is malformed");
    std::string_view text = bytes ? std::string_view(reinterpret_cast<const char*>(source.as_bytes().data()),
                                                     source.as_bytes().size())
                                  : source.as_str();
    auto& cache = static_cast<pattern_cache&>(*prog.module_state(re_module()));
    try {
        return make_pattern(h, cache.get(text, std::uint32_t(flags.as_int()), bytes));
    } catch (const compile_failure& f) {
        interp::throw_script_error("ValueError", "a re.Pattern in a message does not compile here: " + f.msg);
    }
}

constexpr builtin_def def_p_search{"search", p_search<anchor::search>};
constexpr builtin_def def_p_match{"match", p_search<anchor::match>};
constexpr builtin_def def_p_fullmatch{"fullmatch", p_search<anchor::full>};
constexpr builtin_def def_p_findall{"findall", p_findall<false>};
constexpr builtin_def def_p_finditer{"finditer", p_findall<true>};
constexpr builtin_def def_p_sub{"sub", p_sub<false>};
constexpr builtin_def def_p_subn{"subn", p_sub<true>};
constexpr builtin_def def_p_split{"split", p_split};
constexpr std::array<const builtin_def*, 8> pattern_methods = {&def_p_search, &def_p_match, &def_p_fullmatch,
                                                               &def_p_findall, &def_p_finditer, &def_p_sub,
                                                               &def_p_subn, &def_p_split};

// -- re.error ---------------------------------------------------------------------------------

value construct_error(vm& m, value* argv, std::uint32_t argc, value kwargs);
constexpr std::array<const char*, 5> error_fields = {"msg", "pattern", "pos", "lineno", "colno"};

}  // namespace

const builtin_def def_Pattern{"re.Pattern", nullptr, interp::type_tag::resource};
const interp::resource_type pattern_type{
    &def_Pattern, pattern_methods, pattern_attr, pattern_repr, nullptr, 0, rebuild_pattern};
// Made at load (its base is the builtins' Exception, looked up by name).
const builtin_def def_error{"re.error", construct_error, interp::type_tag::exception,
                            interp::find_exception_class("Exception")};

namespace {
const record_type error_attrs{.cls = &def_error, .fields = error_fields};

value construct_error(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "error");
    return m.make_exception(&def_error, m.heap().alloc_tuple(std::span<const value>(argv, argc)));
}

// re.error(message) with its attributes; `pattern` and `pos` may be None.
[[noreturn]] void raise_with(vm& m, const std::string& msg, value pattern, std::int64_t pos) {
    std::string full = msg;
    value fields[5] = {value::none(), pattern, value::none(), value::none(), value::none()};
    if (pos >= 0 && (interp::is_str(pattern) || interp::is_bytes(pattern))) {
        bool str = interp::is_str(pattern);
        std::string_view text = str ? interp::str_view(pattern) : interp::bytes_view(pattern);
        // Python's lineno and colno, counted in code points for str.
        std::int64_t line = 1, col = 1, index = 0;
        for (std::size_t b = 0; b < text.size() && index < pos; ++b) {
            if (str && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) continue;
            ++index;
            if (text[b] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        full += " at position " + std::to_string(pos);
        if (text.find('\n') != std::string_view::npos)
            full += " (line " + std::to_string(line) + ", column " + std::to_string(col) + ")";
        fields[2] = value::from_int(pos);
        fields[3] = value::from_int(line);
        fields[4] = value::from_int(col);
    }
    interp::root_scope keep(m.heap(), fields, 5);
    fields[0] = m.heap().alloc_str(msg);
    value text = m.heap().alloc_str(full);
    value args = m.heap().alloc_tuple(std::span<const value>(&text, 1));  // copies `text` into a root first
    rooted exc(m.heap(), m.make_exception(&def_error, args));
    value r = interp::alloc_record(m.heap(), error_attrs);
    std::copy(fields, fields + 5, interp::record_fields(r));
    interp::as_native(exc)->slots()[interp::exc_slot::attrs] = r;
    m.raise_exception(exc);
}

}  // namespace

void raise_error(vm& m, const compile_failure& f, value pattern) { raise_with(m, f.msg, pattern, f.pos); }
void raise_error(vm& m, const std::string& msg) { raise_with(m, msg, value::none(), -1); }

namespace {

constexpr builtin_def def_compile{"compile", re_compile};
constexpr builtin_def def_search{"search", re_search<anchor::search>};
constexpr builtin_def def_match{"match", re_search<anchor::match>};
constexpr builtin_def def_fullmatch{"fullmatch", re_search<anchor::full>};
constexpr builtin_def def_findall{"findall", re_findall<false>};
constexpr builtin_def def_finditer{"finditer", re_findall<true>};
constexpr builtin_def def_sub{"sub", re_sub<false>};
constexpr builtin_def def_subn{"subn", re_sub<true>};
constexpr builtin_def def_split{"split", re_split};
constexpr builtin_def def_escape{"escape", re_escape};
constexpr builtin_def def_purge{"purge", re_purge};

const std::array<const builtin_def*, 14> functions = {
    &def_compile, &def_search, &def_match, &def_fullmatch, &def_findall, &def_finditer, &def_sub,
    &def_subn,    &def_split,  &def_escape, &def_purge,    &def_error,   &def_Pattern,  &def_Match};

#define WEFT_RE_FLAG(name, bit) \
    native_constant{name, [](interp::frozen_arena&, const interp::native_context&) { return value::from_int(bit); }}
constexpr std::array<native_constant, 17> constants = {{
    WEFT_RE_FLAG("NOFLAG", 0), WEFT_RE_FLAG("I", f_ignorecase), WEFT_RE_FLAG("IGNORECASE", f_ignorecase),
    WEFT_RE_FLAG("M", f_multiline), WEFT_RE_FLAG("MULTILINE", f_multiline), WEFT_RE_FLAG("S", f_dotall),
    WEFT_RE_FLAG("DOTALL", f_dotall), WEFT_RE_FLAG("X", f_verbose), WEFT_RE_FLAG("VERBOSE", f_verbose),
    WEFT_RE_FLAG("A", f_ascii), WEFT_RE_FLAG("ASCII", f_ascii), WEFT_RE_FLAG("U", f_unicode),
    WEFT_RE_FLAG("UNICODE", f_unicode), WEFT_RE_FLAG("L", f_locale), WEFT_RE_FLAG("LOCALE", f_locale),
    WEFT_RE_FLAG("T", f_template), WEFT_RE_FLAG("TEMPLATE", f_template),
}};
#undef WEFT_RE_FLAG

const std::array<const interp::resource_type*, 1> rebuilt = {&pattern_type};

interp::native_state* make_cache() { return new pattern_cache(); }

const interp::native_module module_def{
    .name = "re", .functions = functions, .constants = constants, .rebuilt = rebuilt, .make_state = make_cache};

}  // namespace
}  // namespace re

const interp::native_module& re_module() noexcept { return re::module_def; }

}  // namespace weft::lib
