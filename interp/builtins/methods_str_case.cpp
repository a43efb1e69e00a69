// methods_str_case.cpp: the str methods that look at each character's
// Unicode class: upper lower isdigit isalpha isspace, as CPython 3.11's
// (full case mappings: 'ß'.upper() == 'SS'; Greek final sigma in lower()).
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

bool space_class(char32_t cp) noexcept { return is_space(cp); }
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

constexpr builtin_def case_methods[] = {
    {"upper", str_upper},     {"lower", str_lower},     {"isdigit", str_isdigit},
    {"isalpha", str_isalpha}, {"isspace", str_isspace},
};

}  // namespace

const builtin_def* find_str_case_method(std::string_view name) noexcept {
    for (const builtin_def& d : case_methods)
        if (name == d.name) return &d;
    return nullptr;
}

}  // namespace weft::interp::bi
