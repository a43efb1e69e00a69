// format.cpp: repr() and str() of every value, as CPython 3.11 writes them.
// The format-spec mini-language is in format_spec.cpp, floats in
// format_float.cpp, the Unicode tables in unicode_format.cpp.
#include "interp/objects/format.hpp"

#include <charconv>
#include <unordered_set>
#include <vector>

#include "interp/heap/object.hpp"
#include "interp/unicode/unicode_format.hpp"
#include "interp/unicode/utf8.hpp"
#include "serialize/node_numbers.hpp"

namespace weft::interp {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint32_t v, int width) {
    for (int shift = (width - 1) * 4; shift >= 0; shift -= 4) out += hex_digits[(v >> shift) & 0xF];
}

// Python's choice: single quotes unless the text has ' and no ".
char pick_quote(std::string_view s) {
    bool single = s.find('\'') != std::string_view::npos;
    bool dbl = s.find('"') != std::string_view::npos;
    return single && !dbl ? '"' : '\'';
}

void append_str_repr(std::string& out, std::string_view s) {
    char quote = pick_quote(s);
    out.reserve(out.size() + s.size() + 2);
    out += quote;
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            if (c == quote || c == '\\') {
                out += '\\';
                out += char(c);
            } else if (c == '\t') {
                out += "\\t";
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (c < ' ' || c == 0x7F) {
                out += "\\x";
                append_hex(out, c, 2);
            } else {
                out += char(c);
            }
            continue;
        }
        utf8_char u = decode_utf8(s, i);
        if (u.len == 0) {  // not UTF-8: never in a str; show the byte
            out += "\\x";
            append_hex(out, c, 2);
            ++i;
            continue;
        }
        if (is_printable(u.cp)) {
            out.append(s, i, u.len);
        } else if (u.cp <= 0xFF) {
            out += "\\x";
            append_hex(out, u.cp, 2);
        } else if (u.cp <= 0xFFFF) {
            out += "\\u";
            append_hex(out, u.cp, 4);
        } else {
            out += "\\U";
            append_hex(out, u.cp, 8);
        }
        i += u.len;
    }
    out += quote;
}

void append_bytes_repr(std::string& out, std::string_view s) {
    char quote = pick_quote(s);
    out += 'b';
    out += quote;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == quote || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c < ' ' || c >= 0x7F) {
            out += "\\x";
            append_hex(out, c, 2);
        } else {
            out += ch;
        }
    }
    out += quote;
}

void append_int(std::string& out, std::int64_t i) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, res.ptr);
}

// Anything that is not a tuple, list or dict.
void append_leaf(std::string& out, value v, const native_repr& natives) {
    if (v.is_int()) return append_int(out, v.as_int());
    if (v.is_float()) {
        out += repr_float(v.as_float());
        return;
    }
    if (v.is_none()) {
        out += "None";
        return;
    }
    if (v.is_bool()) {
        out += v.as_bool() ? "True" : "False";
        return;
    }
    if (!v.is_obj()) {
        out += "<empty>";  // the internal marker: never a script value
        return;
    }
    obj* o = v.as_obj();
    switch (o->kind) {
    case obj_kind::str:
    case obj_kind::shared_str: append_str_repr(out, str_view(v)); return;
    case obj_kind::bytes:
    case obj_kind::shared_bytes: append_bytes_repr(out, bytes_view(v)); return;
    case obj_kind::bignum: out += bignum_to_string(v); return;
    case obj_kind::pid: {
        if (natives) return natives(out, v);
        const weft::pid& p = static_cast<pid_obj*>(o)->p;
        return weft::append_raw(out, "", p.node, weft::printed_serial(p), p.creation);
    }
    case obj_kind::ref: {
        if (natives) return natives(out, v);
        const weft::ref& r = static_cast<ref_obj*>(o)->r;
        return weft::append_raw(out, "#Ref", r.node, r.serial, r.creation);
    }
    case obj_kind::native:
        if (natives) natives(out, v);
        else out += "<function>";
        return;
    default:  // internal objects (cells, arrays, dict tables): never script values
        out += '<';
        out += kind_name(o->kind);
        out += '>';
        return;
    }
}

bool is_container(value v) noexcept {
    if (!v.is_obj()) return false;
    obj_kind k = v.as_obj()->kind;
    return k == obj_kind::tuple || k == obj_kind::list || k == obj_kind::dict || k == obj_kind::set;
}

}  // namespace

// Containers with an explicit stack. A frame is one open container: the next
// item to print (for a dict: the entry position, and whether its key has been
// printed and its value is next). `active` holds the containers being printed
// (CPython's Py_ReprEnter): meeting one again prints "[...]", "{...}" or
// "(...)". Nothing allocates on a Weft heap here, so the obj* stay valid.
void append_repr(std::string& out, value v, const native_repr& natives) {
    if (!is_container(v)) return append_leaf(out, v, natives);
    struct frame {
        obj* o;
        std::uint32_t next;     // item index, or the dict's entry position
        std::uint32_t printed;  // dict: entries printed
        bool value_next;        // dict: the key of the current entry is out
        value pending;          // dict: that entry's value
    };
    std::vector<frame> stack;
    std::unordered_set<obj*> active;

    // Prints a leaf, a "..." for a container being printed, or opens one.
    auto emit = [&](value item) {
        if (!is_container(item)) return append_leaf(out, item, natives);
        obj* o = item.as_obj();
        obj_kind k = o->kind;
        if (active.count(o)) {
            out += k == obj_kind::list ? "[...]" : k == obj_kind::dict ? "{...}" : "(...)";
            return;
        }
        if (k == obj_kind::set) {  // {1, 2}, set(), frozenset({1}), frozenset()
            bool frozenset = o->spare == set_frozenset;
            if (static_cast<set_obj*>(o)->used == 0) {
                out += frozenset ? "frozenset()" : "set()";
                return;
            }
            out += frozenset ? "frozenset({" : "{";
            active.insert(o);
            stack.push_back({o, 0, 0, false, value()});
            return;
        }
        active.insert(o);
        out += k == obj_kind::list ? '[' : k == obj_kind::dict ? '{' : '(';
        stack.push_back({o, 0, 0, false, value()});
    };

    emit(v);
    while (!stack.empty()) {
        std::size_t top = stack.size() - 1;
        obj* o = stack[top].o;
        switch (o->kind) {
        case obj_kind::tuple: {
            auto* t = static_cast<tuple_obj*>(o);
            std::uint32_t i = stack[top].next;
            if (i < t->length()) {
                if (i > 0) out += ", ";
                stack[top].next = i + 1;
                emit(t->items()[i]);  // may push: no references into stack across this
                continue;
            }
            if (t->length() == 1) out += ',';
            out += ')';
            break;
        }
        case obj_kind::list: {
            auto* l = static_cast<list_obj*>(o);
            std::uint32_t i = stack[top].next;
            if (i < l->length) {
                if (i > 0) out += ", ";
                stack[top].next = i + 1;
                emit(l->slots()[i]);
                continue;
            }
            out += ']';
            break;
        }
        case obj_kind::set: {
            std::uint32_t pos = stack[top].next;
            value key;
            std::uint64_t hash = 0;
            if (heap::set_next(value::from_obj(o), pos, key, hash)) {
                if (stack[top].printed++ > 0) out += ", ";
                stack[top].next = pos;
                emit(key);
                continue;
            }
            out += o->spare == set_frozenset ? "})" : "}";
            break;
        }
        default: {  // dict
            value d = value::from_obj(o);
            if (stack[top].value_next) {
                out += ": ";
                stack[top].value_next = false;
                emit(stack[top].pending);
                continue;
            }
            std::uint32_t pos = stack[top].next;
            value key, val;
            if (heap::dict_next(d, pos, key, val)) {
                if (stack[top].printed++ > 0) out += ", ";
                stack[top].next = pos;
                stack[top].value_next = true;
                stack[top].pending = val;
                emit(key);
                continue;
            }
            out += '}';
            break;
        }
        }
        active.erase(o);
        stack.pop_back();
    }
}

std::string repr(value v, const native_repr& natives) {
    std::string out;
    append_repr(out, v, natives);
    return out;
}

std::string str(value v, const native_repr& natives) {
    if (is_str(v)) return std::string(str_view(v));
    return repr(v, natives);
}

std::string repr_str(std::string_view utf8) {
    std::string out;
    append_str_repr(out, utf8);
    return out;
}

std::string repr_bytes(std::string_view bytes) {
    std::string out;
    append_bytes_repr(out, bytes);
    return out;
}

std::string int_to_string(value v, int base) {
    if (is_kind(v, obj_kind::bignum)) return bignum_to_string(v, base);
    std::int64_t i = v.is_bool() ? std::int64_t(v.as_bool()) : v.as_int();
    char buf[72];
    auto res = std::to_chars(buf, buf + sizeof buf, i, base);
    return std::string(buf, res.ptr);
}

}  // namespace weft::interp
