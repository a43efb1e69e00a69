// methods_str_case.cpp: the str methods that look at each character's
// Unicode class: upper lower title capitalize swapcase casefold and the
// tests isdigit isalpha isspace isalnum isdecimal isnumeric islower isupper
// istitle isidentifier isprintable isascii, as CPython 3.11's (full case
// mappings: 'ß'.upper() == 'SS'; Greek final sigma wherever CPython lowers
// with it: lower, title, capitalize, swapcase).
//
// ASCII text takes a byte loop; other text decodes to code points first.
// The receiver's text is copied off the heap before anything is allocated.
#include <string>
#include <vector>

#include "interp/builtins/internal.hpp"
#include "interp/objects/format.hpp"
#include "interp/unicode/unicode_case.hpp"
#include "interp/unicode/unicode_format.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

std::u32string code_points(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        utf8_char u = decode_utf8(s, i);
        out += u.cp;
        i += u.len ? u.len : 1;
    }
    return out;
}

// CPython's handle_capital_sigma: U+03A3 lowers to final sigma U+03C2 when
// a cased letter precedes it and none follows (case-ignorable characters
// between do not count); else to U+03C3.
char32_t lower_sigma(const std::u32string& t, std::size_t i) {
    std::size_t j = i;
    char32_t c = 0;
    bool found = false;
    while (j-- > 0) {
        c = t[j];
        if (!is_case_ignorable(c)) {
            found = true;
            break;
        }
    }
    bool final_sigma = found && is_cased(c);
    if (final_sigma && i + 1 < t.size()) {
        std::size_t k = i + 1;
        for (; k < t.size(); ++k) {
            c = t[k];
            if (!is_case_ignorable(c)) break;
        }
        final_sigma = k == t.size() || !is_cased(c);
    }
    return final_sigma ? 0x3C2 : 0x3C3;
}

value change_case(vm& m, value* argv, std::uint32_t argc, value kwargs, bool upper) {
    const char* name = upper ? "str.upper" : "str.lower";
    no_kwargs(kwargs, name);
    no_args(name, argc - 1);
    std::string t(str_view(argv[0]));
    std::string out;
    out.reserve(t.size());
    if (str_length(argv[0]) == t.size()) {  // ASCII
        for (char c : t) {
            if (upper && c >= 'a' && c <= 'z') c = char(c - 32);
            if (!upper && c >= 'A' && c <= 'Z') c = char(c + 32);
            out += c;
        }
        return new_str(m, out);
    }
    std::u32string cps = code_points(t);
    for (std::size_t i = 0; i < cps.size(); ++i) {
        if (upper) append_upper(out, cps[i]);
        else if (cps[i] == 0x3A3) append_utf8(out, lower_sigma(cps, i));
        else append_lower(out, cps[i]);
    }
    return new_str(m, out);
}

// What CPython's lower_ucs4 appends for t[i]: the lowercase mapping, with
// the final-sigma rule.
void append_lower_at(std::string& out, const std::u32string& t, std::size_t i) {
    if (t[i] == 0x3A3) append_utf8(out, lower_sigma(t, i));
    else append_lower(out, t[i]);
}

// title(), capitalize(), swapcase() and casefold(), each as CPython's
// do_title, do_capitalize, do_swapcase and do_casefold.
enum class recase { title, capitalize, swapcase, casefold };

value change_case_by_word(vm& m, value* argv, std::uint32_t argc, value kwargs, recase how, const char* name) {
    no_kwargs(kwargs, name);
    no_args(name, argc - 1);
    std::u32string t = code_points(str_view(argv[0]));
    std::string out;
    out.reserve(t.size());
    bool previous_is_cased = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        char32_t c = t[i];
        switch (how) {
        case recase::title:
            if (previous_is_cased) append_lower_at(out, t, i);
            else append_title(out, c);
            previous_is_cased = is_cased(c);
            break;
        case recase::capitalize:
            if (i == 0) append_title(out, c);
            else append_lower_at(out, t, i);
            break;
        case recase::swapcase:
            if (is_uppercase(c)) append_lower_at(out, t, i);
            else if (is_lowercase(c)) append_upper(out, c);
            else append_utf8(out, c);
            break;
        case recase::casefold: append_casefold(out, c); break;
        }
    }
    return new_str(m, out);
}

value str_title(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return change_case_by_word(m, argv, argc, kwargs, recase::title, "str.title");
}
value str_capitalize(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return change_case_by_word(m, argv, argc, kwargs, recase::capitalize, "str.capitalize");
}
value str_swapcase(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return change_case_by_word(m, argv, argc, kwargs, recase::swapcase, "str.swapcase");
}
value str_casefold(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return change_case_by_word(m, argv, argc, kwargs, recase::casefold, "str.casefold");
}

value str_upper(vm& m, value* argv, std::uint32_t argc, value kwargs) { return change_case(m, argv, argc, kwargs, true); }
value str_lower(vm& m, value* argv, std::uint32_t argc, value kwargs) { return change_case(m, argv, argc, kwargs, false); }

// isdigit(), isalpha(), isspace(): true when the str is not empty and every
// code point is of the class.
value all_of_class(value* argv, std::uint32_t argc, value kwargs, const char* name, bool (*pred)(char32_t)) {
    no_kwargs(kwargs, name);
    no_args(name, argc - 1);
    std::string_view t = str_view(argv[0]);  // nothing allocates here
    if (t.empty()) return value::false_value();
    for (std::size_t i = 0; i < t.size();) {
        utf8_char u = decode_utf8(t, i);
        if (!pred(u.cp)) return value::false_value();
        i += u.len ? u.len : 1;
    }
    return value::true_value();
}

// islower(), isupper(), istitle(): CPython's loops over ISLOWER, ISUPPER
// and ISTITLE (an empty str, or one with nothing cased, is neither).
enum class case_test { lower, upper, title };

value case_state(value* argv, std::uint32_t argc, value kwargs, const char* name, case_test test) {
    no_kwargs(kwargs, name);
    no_args(name, argc - 1);
    std::string_view t = str_view(argv[0]);  // nothing allocates here
    bool cased = false, previous_is_cased = false;
    for (std::size_t i = 0; i < t.size();) {
        utf8_char u = decode_utf8(t, i);
        i += u.len ? u.len : 1;
        char32_t c = u.cp;
        bool upper = is_uppercase(c), title = is_titlecase(c), lower = is_lowercase(c);
        switch (test) {
        case case_test::lower:
            if (upper || title) return value::false_value();
            cased = cased || lower;
            break;
        case case_test::upper:
            if (lower || title) return value::false_value();
            cased = cased || upper;
            break;
        case case_test::title:
            if (upper || title) {
                if (previous_is_cased) return value::false_value();
                previous_is_cased = cased = true;
            } else if (lower) {
                if (!previous_is_cased) return value::false_value();
                previous_is_cased = cased = true;
            } else {
                previous_is_cased = false;
            }
            break;
        }
    }
    return value::boolean(cased);
}

value str_islower(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return case_state(argv, argc, kwargs, "str.islower", case_test::lower);
}
value str_isupper(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return case_state(argv, argc, kwargs, "str.isupper", case_test::upper);
}
value str_istitle(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return case_state(argv, argc, kwargs, "str.istitle", case_test::title);
}

// str.isidentifier(): XID_Start or '_' first, XID_Continue after.
value str_isidentifier(vm&, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "str.isidentifier");
    no_args("str.isidentifier", argc - 1);
    std::string_view t = str_view(argv[0]);
    if (t.empty()) return value::false_value();
    bool first = true;
    for (std::size_t i = 0; i < t.size();) {
        utf8_char u = decode_utf8(t, i);
        i += u.len ? u.len : 1;
        char32_t c = u.cp;
        bool ok = c < 0x80 ? (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (!first && c >= '0' && c <= '9'))
                           : (first ? is_unicode_id_start(c) : is_unicode_id_continue(c));
        if (!ok) return value::false_value();
        first = false;
    }
    return value::true_value();
}

// isprintable() and isascii() hold for the empty str too (CPython's).
value str_isprintable(vm&, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "str.isprintable");
    no_args("str.isprintable", argc - 1);
    std::string_view t = str_view(argv[0]);
    for (std::size_t i = 0; i < t.size();) {
        utf8_char u = decode_utf8(t, i);
        if (!is_printable(u.cp)) return value::false_value();
        i += u.len ? u.len : 1;
    }
    return value::true_value();
}
value str_isascii(vm&, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "str.isascii");
    no_args("str.isascii", argc - 1);
    return value::boolean(str_length(argv[0]) == str_view(argv[0]).size());
}

bool space_class(char32_t cp) noexcept { return is_space(cp); }
bool decimal_class(char32_t cp) noexcept { return is_decimal(cp); }
bool numeric_class(char32_t cp) noexcept { return is_numeric(cp); }
// CPython's Py_UNICODE_ISALNUM: alpha, decimal, digit or numeric.
bool alnum_class(char32_t cp) noexcept { return is_alpha(cp) || is_decimal(cp) || is_digit(cp) || is_numeric(cp); }
bool digit_class(char32_t cp) noexcept { return is_digit(cp); }
bool alpha_class(char32_t cp) noexcept { return is_alpha(cp); }

value str_isdigit(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return all_of_class(argv, argc, kwargs, "str.isdigit", digit_class);
}
value str_isalpha(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return all_of_class(argv, argc, kwargs, "str.isalpha", alpha_class);
}
value str_isspace(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return all_of_class(argv, argc, kwargs, "str.isspace", space_class);
}

value str_isalnum(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return all_of_class(argv, argc, kwargs, "str.isalnum", alnum_class);
}
value str_isdecimal(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return all_of_class(argv, argc, kwargs, "str.isdecimal", decimal_class);
}
value str_isnumeric(vm&, value* argv, std::uint32_t argc, value kwargs) {
    return all_of_class(argv, argc, kwargs, "str.isnumeric", numeric_class);
}

constexpr builtin_def case_methods[] = {
    {"upper", str_upper},         {"lower", str_lower},           {"title", str_title},
    {"capitalize", str_capitalize}, {"swapcase", str_swapcase},   {"casefold", str_casefold},
    {"isdigit", str_isdigit},     {"isalpha", str_isalpha},       {"isspace", str_isspace},
    {"isalnum", str_isalnum},     {"isdecimal", str_isdecimal},   {"isnumeric", str_isnumeric},
    {"islower", str_islower},     {"isupper", str_isupper},       {"istitle", str_istitle},
    {"isidentifier", str_isidentifier}, {"isprintable", str_isprintable}, {"isascii", str_isascii},
};

}  // namespace

const builtin_def* find_str_case_method(std::string_view name) noexcept {
    for (const builtin_def& d : case_methods)
        if (name == d.name) return &d;
    return nullptr;
}

}  // namespace weft::interp::bi
