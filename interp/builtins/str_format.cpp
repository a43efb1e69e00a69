// str_format.cpp: str.format(*args, **kwargs), CPython 3.11's parser
// (Objects/stringlib/unicode_format.h) step for step: literal text with
// {{ and }}, fields {}, {0}, {name}, {0[1]}, {name[key]}, conversions !r !s
// !a, format specs with nested fields ({:{width}}), automatic and manual
// numbering, and its messages. Values are formatted by format.hpp's
// format_value (exceptions and other VM objects by vm::str when the spec is
// empty). Weft values have no attributes: {0.x} raises AttributeError.
//
// The format string is copied off the heap first; a field's value is kept
// rooted while its nested spec is expanded (formatting text to a spec
// allocates a str).
#include <cstdio>
#include <string>

#include "interp/builtins/internal.hpp"
#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/unicode/unicode_format.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp::bi {
namespace {

[[noreturn]] void fmt_error(const char* message) { value_error(message); }

struct formatter {
    vm& m;
    const value* args;  // the register stack (rooted): read afresh at each use
    std::uint32_t nargs;
    const rooted& kwargs;
    enum { init, automatic, manual } numbering = init;
    std::int64_t next_auto = 0;

    // CPython's get_integer: the decimal (Unicode digits too) value of the
    // whole text, or -1 when it is not all digits.
    static std::int64_t get_integer(std::string_view s) {
        if (s.empty()) return -1;
        std::int64_t n = 0;
        for (std::size_t i = 0; i < s.size();) {
            utf8_char u = decode_utf8(s, i);
            int d = decimal_value(u.cp);
            if (d < 0) return -1;
            if (n > (INT64_MAX - d) / 10) fmt_error("Too many decimal digits in format string");
            n = n * 10 + d;
            i += u.len ? u.len : 1;
        }
        return n;
    }

    // obj[index] or obj[name] of a field like {0[1]} or {0[key]}.
    value getitem(value obj, std::int64_t index, std::string_view name) {
        if (is_kind(obj, obj_kind::dict)) {
            std::optional<value> v;
            if (index >= 0) {
                v = m.heap().dict_get(obj, value::from_int(index));
                if (!v) key_error(m, value::from_int(index));
            } else {
                for (std::uint32_t pos = 0;;) {  // a lookup by text without allocating a key
                    value k, val;
                    if (!heap::dict_next(obj, pos, k, val)) break;
                    if (is_str(k) && str_view(k) == name) {
                        v = val;
                        break;
                    }
                }
                if (!v) throw_script_error("KeyError", std::string(name));
            }
            return *v;
        }
        bool list = is_kind(obj, obj_kind::list), tuple = is_kind(obj, obj_kind::tuple), str = is_str(obj);
        if (!list && !tuple && !str) type_error(std::string("'") + type_name_of(obj) + "' object is not subscriptable");
        if (index < 0) {
            if (str) type_error("string indices must be integers, not 'str'");
            type_error(std::string(list ? "list" : "tuple") + " indices must be integers or slices, not str");
        }
        if (list) {
            if (index >= as_list(obj)->length) throw_script_error("IndexError", "list index out of range");
            return as_list(obj)->slots()[index];
        }
        if (tuple) {
            if (index >= as_tuple(obj)->length()) throw_script_error("IndexError", "tuple index out of range");
            return as_tuple(obj)->items()[index];
        }
        // One character of a str: returned as the index into it, formatted by the caller.
        throw_script_error("IndexError", "string index out of range");
    }

    // The value a field name stands for, and for str[index] the character's
    // text (a str value would need an allocation).
    value field_value(std::string_view field, std::string& char_text, bool& is_char) {
        std::size_t i = 0;
        while (i < field.size() && field[i] != '[' && field[i] != '.') ++i;
        std::string_view first = field.substr(0, i);
        std::int64_t index = get_integer(first);
        bool empty = first.empty();
        if (empty || index != -1) {
            if (numbering == init) numbering = empty ? automatic : manual;
            if (numbering == manual && empty)
                fmt_error("cannot switch from manual field specification to automatic field numbering");
            if (numbering == automatic && !empty)
                fmt_error("cannot switch from automatic field numbering to manual field specification");
            if (empty) index = next_auto++;
        }
        value obj;
        if (index == -1) {
            std::optional<value> v;
            if (!kwargs.get().is_none()) {
                for (std::uint32_t pos = 0;;) {
                    value k, val;
                    if (!heap::dict_next(kwargs, pos, k, val)) break;
                    if (str_view(k) == first) {
                        v = val;
                        break;
                    }
                }
            }
            if (!v) throw_script_error("KeyError", std::string(first));
            obj = *v;
        } else {
            if (index >= nargs)
                throw_script_error("IndexError",
                                   "Replacement index " + std::to_string(index) + " out of range for positional args tuple");
            obj = args[index];
        }
        // The rest: .attr and [item] accessors.
        while (i < field.size()) {
            char c = field[i++];
            std::string_view name;
            bool attribute = c == '.';
            if (attribute) {
                std::size_t j = i;
                while (j < field.size() && field[j] != '.' && field[j] != '[') ++j;
                name = field.substr(i, j - i);
                i = j;
            } else if (c == '[') {
                std::size_t j = i;
                while (j < field.size() && field[j] != ']') ++j;
                if (j == field.size()) fmt_error("Missing ']' in format string");
                name = field.substr(i, j - i);
                i = j + 1;
            } else {
                fmt_error("Only '.' or '[' may follow ']' in format field specifier");
            }
            if (name.empty()) fmt_error("Empty attribute in format string");
            if (is_char) type_error("'str' object is not subscriptable");  // a char of a char: as str[i][j]
            if (attribute)
                throw_script_error("AttributeError", std::string("'") + type_name_of(obj) + "' object has no attribute '" +
                                                         std::string(name) + "'");
            std::int64_t k = get_integer(name);
            if (is_str(obj) && k >= 0) {
                std::string_view s = str_view(obj);
                std::int64_t at = 0;
                std::size_t b = 0;
                while (b < s.size() && at < k) {
                    ++b;
                    while (b < s.size() && is_utf8_continuation(static_cast<unsigned char>(s[b]))) ++b;
                    ++at;
                }
                if (b >= s.size()) throw_script_error("IndexError", "string index out of range");
                std::size_t e = b + 1;
                while (e < s.size() && is_utf8_continuation(static_cast<unsigned char>(s[e]))) ++e;
                char_text.assign(s.substr(b, e - b));
                is_char = true;
                continue;
            }
            obj = getitem(obj, k, name);
        }
        return obj;
    }

    // ascii(): a repr with every non-ASCII character escaped.
    static std::string ascii_escape(const std::string& r) {
        std::string out;
        for (std::size_t i = 0; i < r.size();) {
            utf8_char u = decode_utf8(r, i);
            std::size_t len = u.len ? u.len : 1;
            if (u.cp < 0x80) {
                out += r[i];
            } else {
                char buf[16];
                if (u.cp < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", unsigned(u.cp));
                else if (u.cp < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(u.cp));
                else std::snprintf(buf, sizeof buf, "\\U%08x", unsigned(u.cp));
                out += buf;
            }
            i += len;
        }
        return out;
    }

    void render_field(std::string& out, std::string_view field, char32_t conversion, std::string_view spec,
                      bool expand, int depth) {
        std::string char_text;
        bool is_char = false;
        rooted obj(m.heap(), field_value(field, char_text, is_char));
        std::string expanded;
        if (expand) {
            expanded = build(spec, depth - 1);
            spec = expanded;
        }
        // A converted value is a str: format its text as a str.
        std::string text;
        bool have_text = false;
        if (conversion) {
            switch (conversion) {
            case 'r': text = is_char ? repr_str(char_text) : m.repr(obj); break;
            case 's': text = is_char ? char_text : m.str(obj); break;
            case 'a': text = ascii_escape(is_char ? repr_str(char_text) : m.repr(obj)); break;
            default: {
                std::string msg = "Unknown conversion specifier ";
                if (conversion > 32 && conversion < 127) {
                    msg += char(conversion);
                } else {
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "\\x%x", unsigned(conversion));
                    msg += buf;
                }
                value_error(msg);
            }
            }
            have_text = true;
        } else if (is_char) {
            text = char_text;
            have_text = true;
        }
        if (have_text) {
            if (spec.empty()) {
                out += text;
                return;
            }
            // Formatting text needs a str value: the only allocation here,
            // after which nothing of the old views is used.
            out += format_value(m.heap(), m.heap().alloc_str(text), spec);
            return;
        }
        if (spec.empty()) {
            out += m.str(obj);
            return;
        }
        if (is_kind(obj, obj_kind::native))
            type_error(std::string("unsupported format string passed to ") + type_name_of(obj) + ".__format__");
        out += format_value(m.heap(), obj, spec);
    }

    // MarkupIterator over the whole format string.
    std::string build(std::string_view s, int depth) {
        if (depth <= 0) fmt_error("Max string recursion exceeded");
        std::string out;
        std::size_t i = 0;
        while (i < s.size()) {
            std::size_t start = i;
            char c = 0;
            bool markup = false;
            while (i < s.size()) {
                c = s[i++];
                if (c == '{' || c == '}') {
                    markup = true;
                    break;
                }
            }
            bool at_end = i >= s.size();
            std::size_t len = i - start;
            if (markup && c == '}' && (at_end || s[i] != '}')) fmt_error("Single '}' encountered in format string");
            if (markup && at_end && c == '{') fmt_error("Single '{' encountered in format string");
            if (markup && !at_end) {
                if (s[i] == c) {  // {{ or }}: the first one is literal text
                    ++i;
                    markup = false;
                } else {
                    --len;
                }
            }
            out.append(s.substr(start, len));
            if (!markup) continue;
            // parse_field
            std::size_t name_start = i;
            c = 0;
            while (i < s.size()) {
                c = s[i++];
                if (c == '{') fmt_error("unexpected '{' in field name");
                if (c == '[') {
                    while (i < s.size() && s[i] != ']') ++i;
                    continue;
                }
                if (c == '}' || c == ':' || c == '!') break;
            }
            std::string_view field = s.substr(name_start, i - 1 - name_start);
            char32_t conversion = 0;
            std::string_view spec;
            bool expand = false;
            if (c == '!' || c == ':') {
                if (c == '!') {
                    if (i >= s.size()) fmt_error("end of string while looking for conversion specifier");
                    utf8_char u = decode_utf8(s, i);
                    conversion = u.cp;
                    i += u.len ? u.len : 1;
                    if (i < s.size()) {
                        char d = s[i++];
                        if (d == '}') {
                            render_field(out, field, conversion, spec, false, depth);
                            continue;
                        }
                        if (d != ':') fmt_error("expected ':' after conversion specifier");
                    }
                }
                std::size_t spec_start = i;
                int count = 1;
                bool closed = false;
                while (i < s.size()) {
                    char d = s[i++];
                    if (d == '{') {
                        expand = true;
                        ++count;
                    } else if (d == '}' && --count == 0) {
                        spec = s.substr(spec_start, i - 1 - spec_start);
                        closed = true;
                        break;
                    }
                }
                if (!closed) fmt_error("unmatched '{' in format spec");
            } else if (c != '}') {
                fmt_error("expected '}' before end of string");
            }
            render_field(out, field, conversion, spec, expand, depth);
        }
        return out;
    }
};

value str_format(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    rooted kw(m.heap(), kwargs);
    formatter f{m, argv + 1, argc - 1, kw};
    std::string text(str_view(argv[0]));
    std::string out = f.build(text, 2);
    return new_str(m, out);
}

}  // namespace

const builtin_def str_format_def{"format", str_format};

}  // namespace weft::interp::bi
