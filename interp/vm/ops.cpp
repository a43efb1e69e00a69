// ops.cpp: operators on any operands (arithmetic on sequences,
// comparisons across types, `in`), truthiness, attributes, exception
// matching and the f-string helpers. Indexing and unpacking are in
// index.cpp.
#include <cstdio>
#include <cstring>
#include <string>

#include "interp/objects/format.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/os_error.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/script_error.hpp"
#include "interp/objects/sets.hpp"
#include "interp/objects/type_of.hpp"
#include "interp/unicode/utf8.hpp"
#include "interp/vm/ops.hpp"

namespace weft::interp::ops {

namespace {

const char* op_symbol(op o) {
    switch (o) {
    case op::ADD: return "+";
    case op::SUB: return "-";
    case op::MUL: return "*";
    case op::DIV: return "/";
    case op::FLOORDIV: return "//";
    case op::MOD: return "%";
    case op::POW: return "** or pow()";
    case op::LSHIFT: return "<<";
    case op::RSHIFT: return ">>";
    case op::BAND: return "&";
    case op::BOR: return "|";
    case op::BXOR: return "^";
    case op::LT: return "<";
    case op::LE: return "<=";
    case op::GT: return ">";
    case op::GE: return ">=";
    default: return "?";
    }
}

bool is_sequence(value v) {
    return is_str(v) || is_bytes(v) || is_kind(v, obj_kind::list) || is_kind(v, obj_kind::tuple);
}

// The items of a tuple or list (valid until the next allocation).
std::span<value> items_of(value v) {
    if (is_kind(v, obj_kind::tuple)) return {as_tuple(v)->items(), as_tuple(v)->length()};
    return {as_list(v)->slots(), as_list(v)->length};
}

// Copying text costs a reduction per 64 bytes; copying items, one per item.
constexpr std::size_t bytes_per_reduction = 64;

value concat(vm& m, value a, value b) {
    heap& h = m.heap();
    if (is_str(a) && is_str(b)) {
        std::string s(str_view(a));
        s += str_view(b);
        m.charge(s.size() / bytes_per_reduction);
        return h.alloc_str(s);
    }
    if (is_bytes(a) && is_bytes(b)) {
        std::string s(bytes_view(a));
        s += bytes_view(b);
        m.charge(s.size() / bytes_per_reduction);
        return h.alloc_bytes(s);
    }
    bool lists = is_kind(a, obj_kind::list) && is_kind(b, obj_kind::list);
    bool tuples = is_kind(a, obj_kind::tuple) && is_kind(b, obj_kind::tuple);
    if (!lists && !tuples) num::binop_error("+", a, b);
    rooted ra(h, a), rb(h, b);
    std::size_t n = items_of(a).size() + items_of(b).size();
    m.charge(n);
    if (tuples) {
        value t = h.alloc_tuple(n);
        auto x = items_of(ra), y = items_of(rb);
        std::copy(x.begin(), x.end(), as_tuple(t)->items());
        std::copy(y.begin(), y.end(), as_tuple(t)->items() + x.size());
        return t;
    }
    rooted l(h, h.alloc_list(n));
    for (std::size_t k = 0; k < items_of(ra).size(); ++k) h.list_append(l, items_of(ra)[k]);
    std::size_t nb = items_of(rb).size();
    for (std::size_t k = 0; k < nb; ++k) h.list_append(l, items_of(rb)[k]);
    return l;
}

value repeat(vm& m, value seq, value count) {
    heap& h = m.heap();
    std::int64_t n;
    if (!num::to_int64(count, n)) throw_script_error("OverflowError", "cannot fit 'int' into an index-sized integer");
    if (n < 0) n = 0;
    if (is_str(seq) || is_bytes(seq)) {
        std::string_view s = is_str(seq) ? str_view(seq) : bytes_view(seq);
        if (!s.empty() && std::uint64_t(n) > (std::uint64_t(1) << 40) / s.size()) throw heap_exhausted(std::size_t(-1), h.limit_bytes());
        std::string out;
        out.reserve(s.size() * std::size_t(n));
        for (std::int64_t k = 0; k < n; ++k) out += s;
        m.charge(out.size() / bytes_per_reduction);
        return is_str(seq) ? h.alloc_str(out) : h.alloc_bytes(out);
    }
    rooted src(h, seq);
    std::size_t len = items_of(seq).size();
    if (len && std::uint64_t(n) > (std::uint64_t(1) << 32) / len) throw heap_exhausted(std::size_t(-1), h.limit_bytes());
    std::size_t total = len * std::size_t(n);
    m.charge(total);
    if (is_kind(seq, obj_kind::tuple)) {
        value t = h.alloc_tuple(total);
        for (std::size_t k = 0; k < total; ++k) as_tuple(t)->items()[k] = items_of(src)[k % len];
        return t;
    }
    rooted l(h, h.alloc_list(total));
    for (std::size_t k = 0; k < total; ++k) h.list_append(l, items_of(src)[k % len]);
    return l;
}

// Which kind of value `<` can order against its own kind.
enum class order_class { number, str, bytes, tuple, list, none };
order_class order_class_of(value v) {
    if (num::is_number(v)) return order_class::number;
    if (is_str(v)) return order_class::str;
    if (is_bytes(v)) return order_class::bytes;
    if (is_kind(v, obj_kind::tuple)) return order_class::tuple;
    if (is_kind(v, obj_kind::list)) return order_class::list;
    return order_class::none;
}

}  // namespace

value arith(vm& m, op o, value a, value b) {
    heap& h = m.heap();
    if (is_any_set(a) && is_any_set(b)) {
        switch (o) {
        case op::BOR: return sets::union_of(h, a, b);
        case op::BAND: return sets::intersection(h, a, b);
        case op::SUB: return sets::difference(h, a, b);
        case op::BXOR: return sets::symmetric_difference(h, a, b);
        default: break;  // the numbers' error names both types
        }
    }
    switch (o) {
    case op::ADD:
        if (is_sequence(a) || is_sequence(b)) return concat(m, a, b);
        return num::add(h, a, b);
    case op::SUB: return num::sub(h, a, b);
    case op::MUL:
        if (is_sequence(a) && num::is_integer(b)) return repeat(m, a, b);
        if (is_sequence(b) && num::is_integer(a)) return repeat(m, b, a);
        return num::mul(h, a, b);
    case op::DIV: return num::truediv(h, a, b);
    case op::FLOORDIV: return num::floordiv(h, a, b);
    case op::MOD:
        if (is_str(a) || is_bytes(a)) return percent_format(m, a, b);
        return num::mod(h, a, b);
    case op::POW: return num::pow(h, a, b);
    case op::LSHIFT: return num::lshift(h, a, b);
    case op::RSHIFT: return num::rshift(h, a, b);
    case op::BAND: return num::and_(h, a, b);
    case op::BOR: return num::or_(h, a, b);
    case op::BXOR: return num::xor_(h, a, b);
    default: throw_script_error("RuntimeError", std::string("internal error: not an arithmetic op: ") + opcode_name(o));
    }
}

bool compare(vm& m, op o, value a, value b) {
    switch (o) {
    case op::EQ: return m.equal(a, b);
    case op::NE: return !m.equal(a, b);
    case op::IS: return identical(a, b);
    case op::ISNOT: return !identical(a, b);
    case op::IN: return contains(m, b, a);
    case op::NOTIN: return !contains(m, b, a);
    default: break;
    }
    if (is_any_set(a) && is_any_set(b)) {  // inclusion, not an order
        heap& h = m.heap();
        switch (o) {
        case op::LT: return heap::set_len(a) < heap::set_len(b) && sets::is_subset(h, a, b);
        case op::LE: return sets::is_subset(h, a, b);
        case op::GT: return heap::set_len(a) > heap::set_len(b) && sets::is_subset(h, b, a);
        default: return sets::is_subset(h, b, a);
        }
    }
    order_class ca = order_class_of(a), cb = order_class_of(b);
    if (ca == order_class::number && cb == order_class::number) {
        std::partial_ordering r = num::compare(a, b);
        switch (o) {
        case op::LT: return r < 0;
        case op::LE: return r <= 0;
        case op::GT: return r > 0;
        default: return r >= 0;
        }
    }
    if (ca != cb || ca == order_class::none) num::compare_error(op_symbol(o), a, b);
    switch (o) {
    case op::LT: return m.less(a, b);
    case op::GT: return m.less(b, a);
    case op::LE: return m.less(a, b) || m.equal(a, b);
    default: return m.less(b, a) || m.equal(a, b);
    }
}

bool contains(vm& m, value container, value item) {
    if (is_str(container)) {
        if (!is_str(item))
            throw_script_error("TypeError", std::string("'in <string>' requires string as left operand, not ") +
                                                type_name(item));
        return str_view(container).find(str_view(item)) != std::string_view::npos;
    }
    if (is_bytes(container)) {
        if (is_bytes(item)) return bytes_view(container).find(bytes_view(item)) != std::string_view::npos;
        std::int64_t byte;
        if (!num::is_integer(item))
            throw_script_error("TypeError", std::string("a bytes-like object is required, not '") + type_name(item) + "'");
        if (!num::to_int64(item, byte) || byte < 0 || byte > 255)
            throw_script_error("ValueError", "byte must be in range(0, 256)");
        return bytes_view(container).find(char(byte)) != std::string_view::npos;
    }
    if (is_kind(container, obj_kind::dict)) return m.heap().dict_get(container, item).has_value();
    if (is_any_set(container)) return m.heap().set_contains(container, item);
    if (is_kind(container, obj_kind::list) || is_kind(container, obj_kind::tuple)) {
        std::size_t n = items_of(container).size();
        for (std::size_t k = 0; k < n; ++k) {
            value x = items_of(container)[k];
            if (identical(x, item) || m.equal(x, item)) return true;
            n = std::min(n, items_of(container).size());
        }
        return false;
    }
    if (is_native(container, native_kind::range)) {
        std::int64_t x;
        if (!num::is_integer(item) || !num::to_int64(item, x)) {
            if (!item.is_float()) return false;
            double d = item.as_float();
            if (d != double(std::int64_t(d))) return false;
            x = std::int64_t(d);
        }
        range_bounds r = range_of(container);
        if (r.step > 0 ? (x < r.start || x >= r.stop) : (x > r.start || x <= r.stop)) return false;
        return (x - r.start) % r.step == 0;
    }
    throw_script_error("TypeError", std::string("argument of type '") + type_name(container) + "' is not iterable");
}

// -- sets -----------------------------------------------------------------------------

void set_add(vm& m, value set, value key) {
    try {
        m.heap().set_add(set, key);
    } catch (const unhashable_key&) {
        raise_unhashable(key);
    }
}

void set_update(vm& m, value set, value iterable) {
    heap& h = m.heap();
    if (is_any_set(iterable)) return h.set_merge(set, iterable);
    rooted into(h, set);
    if (is_kind(iterable, obj_kind::dict)) {
        rooted d(h, iterable);
        h.set_presize(into, heap::dict_len(d));
        std::uint32_t pos = 0;
        value k, v;
        while (heap::dict_next(d, pos, k, v)) set_add(m, into, k);
        return;
    }
    m.for_each(iterable, [&](value item) { set_add(m, into, item); });
}

void set_in_place(vm& m, op o, value s, value t) {
    heap& h = m.heap();
    switch (o) {
    case op::BOR: return h.set_merge(s, t);
    case op::BAND: return sets::intersection_update(h, s, t);
    case op::SUB: return sets::difference_update(h, s, t);
    default: return sets::symmetric_difference_update(h, s, t);
    }
}

// -- attributes and exceptions ------------------------------------------------------

value module_attr(vm&, value mod, const std::string& name) {
    const module* md = module_of(mod);
    auto it = md->global_index.find(name);
    if (it == md->global_index.end() || md->globals[it->second].is_empty())
        throw_script_error("AttributeError", "module '" + md->name + "' has no attribute '" + name + "'");
    return md->globals[it->second];
}

// e.args, and an OSError's errno, strerror and filename (os_error.hpp).
static value exception_attr(vm& m, value e, const std::string& name) {
    value attrs = as_native(e)->slots()[exc_slot::attrs];
    if (is_native(attrs, native_kind::record)) {
        if (value v = record_field(attrs, name); !v.is_empty()) return v;
    }
    value args = exception_args(e);
    const builtin_def* cls = builtin_of(exception_class(e));
    if (name == "code" && exception_class_named(cls, "SystemExit")) return system_exit_code(e);
    bool os = is_os_error(e);
    if (name == "args") {
        if (!os || as_tuple(args)->length() < 3) return args;
        return m.heap().alloc_tuple(std::span<const value>(as_tuple(args)->items(), 2));
    }
    static constexpr std::string_view os_attrs[] = {"errno", "strerror", "filename", "filename2"};
    for (std::uint32_t at = 0; at < 4; ++at) {
        if (name != os_attrs[at] || !exception_class_named(cls, "OSError")) continue;
        return os && at < as_tuple(args)->length() ? as_tuple(args)->items()[at] : value::none();
    }
    no_attribute(e, name);
}

value get_attr(vm& m, value obj, const std::string& name, const builtin_def* method) {
    if (is_native(obj, native_kind::module)) return module_attr(m, obj, name);
    if (is_native(obj, native_kind::exception) && !method) return exception_attr(m, obj, name);
    if (is_native(obj, native_kind::record) && !method) {
        if (value v = record_field(obj, name); !v.is_empty()) return v;
    }
    if (is_native(obj, native_kind::resource) && !method) {
        if (auto attr = resource_ref_of(obj).type->attr)
            if (value v = attr(m, obj, name); !v.is_empty()) return v;
    }
    if (!method) no_attribute(obj, name);
    rooted receiver(m.heap(), obj);
    value b = alloc_native(m.heap(), native_kind::bound_method, 1, sizeof(const builtin_def*));
    as_native(b)->slots()[0] = receiver;
    set_native_raw(b, method);
    return b;
}

value with_enter(vm& m, value* x) {
    bool manager = is_native(*x, native_kind::resource) && resource_method(*x, "__enter__") &&
                   resource_method(*x, "__exit__");
    if (!manager)
        throw_script_error("TypeError",
                           std::string("'") + type_name_of(*x) + "' object does not support the context manager protocol");
    return resource_method(*x, "__enter__")->fn(m, x, 1, value::none());
}

void no_attribute(value obj, const std::string& name) {
    throw_script_error("AttributeError", std::string("'") + type_name_of(obj) + "' object has no attribute '" + name + "'");
}

void unbound_local(value name) {
    throw_script_error("UnboundLocalError", "cannot access local variable '" + std::string(str_view(name)) +
                                        "' where it is not associated with a value");
}

void not_a_range_bound(value v) {
    if (num::is_bignum(v)) throw_script_error("OverflowError", "Python int too large to convert to C ssize_t");
    throw_script_error("TypeError", std::string("'") + type_name(v) + "' object cannot be interpreted as an integer");
}

void unbound_free_variable(value name) {
    throw_script_error("NameError", "cannot access free variable '" + std::string(str_view(name)) +
                                        "' where it is not associated with a value in enclosing scope");
}

bool exception_matches(value e, value cls) {
    if (is_kind(cls, obj_kind::tuple)) {
        for (std::uint32_t k = 0; k < as_tuple(cls)->length(); ++k)
            if (exception_matches(e, as_tuple(cls)->items()[k])) return true;
        return false;
    }
    if (!is_native(cls, native_kind::builtin) || builtin_of(cls)->type != type_tag::exception)
        throw_script_error("TypeError", "catching classes that do not inherit from BaseException is not allowed");
    return exception_class_is(builtin_of(exception_class(e)), builtin_of(cls));
}

bool has_type_tag(value v, type_tag t) {
    if (t == type_tag::int_ && v.is_bool()) return true;
    return type_tag_of(v) == t;
}

// -- f-strings --------------------------------------------------------------------

value format(vm& m, value v, value spec) {
    std::string_view s = str_view(spec);
    if (s.empty()) return is_str(v) ? v : m.heap().alloc_str(m.str(v));
    std::string text = format_value(m.heap(), v, std::string(s));
    return m.heap().alloc_str(text);
}

value to_repr(vm& m, value v, bool ascii) {
    std::string text = m.repr(v);
    if (!ascii) return m.heap().alloc_str(text);
    std::string out;
    for (std::size_t k = 0; k < text.size();) {
        utf8_char c = decode_utf8(text, k);
        if (c.len == 0) c = {static_cast<unsigned char>(text[k]), 1};
        char buf[16];
        if (c.cp < 0x80) out += char(c.cp);
        else if (c.cp < 0x100) out.append(buf, std::size_t(std::snprintf(buf, sizeof buf, "\\x%02x", unsigned(c.cp))));
        else if (c.cp < 0x10000) out.append(buf, std::size_t(std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(c.cp))));
        else out.append(buf, std::size_t(std::snprintf(buf, sizeof buf, "\\U%08x", unsigned(c.cp))));
        k += c.len;
    }
    return m.heap().alloc_str(out);
}

value concat_strs(vm& m, const value* strs, std::uint32_t n) {
    std::string out;
    for (std::uint32_t k = 0; k < n; ++k) out += str_view(strs[k]);
    return m.heap().alloc_str(out);
}

}  // namespace weft::interp::ops
