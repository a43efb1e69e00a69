// methods_str_layout.cpp: the str methods that lay text out or cut it in
// three: ljust rjust center zfill expandtabs partition rpartition, as
// CPython 3.11's. Widths and columns count code points, as Python's do.
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

std::int64_t width_arg(value v) {
    if (!v.is_int() && !v.is_bool())
        type_error(std::string("'") + type_name_of(v) + "' object cannot be interpreted as an integer");
    return v.is_bool() ? v.as_bool() : v.as_int();
}

// The fill character, as UTF-8: exactly one code point.
std::string fill_arg(value* argv, std::uint32_t argc) {
    if (argc < 3) return " ";
    value f = argv[2];
    if (!is_str(f)) type_error(std::string("The fill character must be a unicode character, not ") + type_name_of(f));
    if (str_length(f) != 1) type_error("The fill character must be exactly one character long");
    return std::string(str_view(f));
}

std::string repeated(const std::string& piece, std::int64_t n) {
    std::string out;
    for (std::int64_t k = 0; k < n; ++k) out += piece;
    return out;
}

// ljust, rjust, center: `left` of the padding before the text, the rest after.
enum class align { left, right, center };

value pad(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, align how) {
    no_kwargs(kwargs, std::string("str.") + name);
    takes_args(name, argc - 1, 1, 2);
    std::int64_t width = width_arg(argv[1]);
    std::string fill = fill_arg(argv, argc);
    std::int64_t length = std::int64_t(str_length(argv[0]));
    if (width <= length) return argv[0];
    std::int64_t margin = width - length;
    std::int64_t left = how == align::left ? 0 : how == align::right ? margin
                                                                     : margin / 2 + (margin & width & 1);  // CPython's pad()
    std::string out = repeated(fill, left) + std::string(str_view(argv[0])) + repeated(fill, margin - left);
    return new_str(m, out);
}

value str_ljust(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return pad(m, argv, argc, kwargs, "ljust", align::left);
}
value str_rjust(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return pad(m, argv, argc, kwargs, "rjust", align::right);
}
value str_center(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return pad(m, argv, argc, kwargs, "center", align::center);
}

// zfill(width): zeros on the left, after a leading sign.
value str_zfill(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    no_kwargs(kwargs, "str.zfill");
    takes_args("zfill", argc - 1, 1, 1);
    std::int64_t width = width_arg(argv[1]);
    std::int64_t length = std::int64_t(str_length(argv[0]));
    if (width <= length) return argv[0];
    std::string t(str_view(argv[0]));
    std::string zeros(std::size_t(width - length), '0');
    if (!t.empty() && (t[0] == '+' || t[0] == '-')) return new_str(m, t.substr(0, 1) + zeros + t.substr(1));
    return new_str(m, zeros + t);
}

// expandtabs(tabsize=8): each tab becomes the spaces to the next multiple of
// tabsize; "\n" and "\r" start a new column count.
value str_expandtabs(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[1];
    parse_kwargs(kwargs, "expandtabs", {"tabsize"}, kw);
    takes_args("expandtabs", argc - 1, 0, 1);
    value size = merge_arg("expandtabs", argv + 1, argc - 1, 0, kw[0], "tabsize");
    std::int64_t tabsize = size.is_empty() ? 8 : width_arg(size);
    std::string t(str_view(argv[0]));
    std::string out;
    std::int64_t column = 0;
    for (std::size_t i = 0; i < t.size();) {
        char c = t[i];
        if (c == '\t') {
            if (tabsize > 0) {
                std::int64_t spaces = tabsize - column % tabsize;
                out.append(std::size_t(spaces), ' ');
                column += spaces;
            }
            ++i;
            continue;
        }
        std::size_t len = 1;
        while (i + len < t.size() && is_utf8_continuation(static_cast<unsigned char>(t[i + len]))) ++len;
        out.append(t, i, len);
        column = c == '\n' || c == '\r' ? 0 : column + 1;
        i += len;
    }
    return new_str(m, out);
}

// partition(sep) and rpartition(sep): (before, sep, after) around the first
// (last) sep; when there is none, the str and two empty ones.
value partition_like(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* name, bool last) {
    no_kwargs(kwargs, std::string("str.") + name);
    takes_args(name, argc - 1, 1, 1);
    if (!is_str(argv[1])) type_error(std::string("must be str, not ") + type_name_of(argv[1]));
    std::string t(str_view(argv[0]));
    std::string sep(str_view(argv[1]));
    if (sep.empty()) value_error("empty separator");
    std::size_t at = last ? t.rfind(sep) : t.find(sep);
    std::string parts[3];
    if (at == std::string::npos) {
        parts[last ? 2 : 0] = t;
    } else {
        parts[0] = t.substr(0, at);
        parts[1] = sep;
        parts[2] = t.substr(at + sep.size());
    }
    heap& h = m.heap();
    value items[3] = {value::none(), value::none(), value::none()};
    root_scope keep(h, items, 3);
    for (int k = 0; k < 3; ++k) items[k] = new_str(m, parts[k]);
    return h.alloc_tuple(std::span<const value>(items, 3));
}

value str_partition(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return partition_like(m, argv, argc, kwargs, "partition", false);
}
value str_rpartition(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return partition_like(m, argv, argc, kwargs, "rpartition", true);
}

constexpr builtin_def layout_methods[] = {
    {"ljust", str_ljust},         {"rjust", str_rjust},         {"center", str_center},
    {"zfill", str_zfill},         {"expandtabs", str_expandtabs}, {"partition", str_partition},
    {"rpartition", str_rpartition},
};

}  // namespace

const builtin_def* find_str_layout_method(std::string_view name) noexcept {
    for (const builtin_def& d : layout_methods)
        if (name == d.name) return &d;
    return nullptr;
}

}  // namespace weft::interp::bi
