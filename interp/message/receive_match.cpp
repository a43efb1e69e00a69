// receive_match.cpp: matching a receive case against a message in place.
// See receive_match.hpp. Recursion follows the pattern's nesting, which
// the source bounds (the parser limits nesting), never the message's.
#include "interp/message/receive_match.hpp"

#include "interp/message/codec.hpp"
#include "interp/objects/builtin_def.hpp"

namespace weft::interp {

namespace {

bool has_tag(term_view v, type_tag t) {
    switch (v.kind()) {
    case term_kind::none: return t == type_tag::none_type;
    case term_kind::boolean: return t == type_tag::bool_ || t == type_tag::int_;  // bool is an int, as in Python
    case term_kind::integer:
    case term_kind::bignum: return t == type_tag::int_;
    case term_kind::floating: return t == type_tag::float_;
    case term_kind::str: return t == type_tag::str;
    case term_kind::bytes: return t == type_tag::bytes;
    case term_kind::pid: return t == type_tag::pid;
    case term_kind::ref: return t == type_tag::ref;
    case term_kind::port: return t == type_tag::resource;
    case term_kind::tuple: return t == type_tag::tuple;
    case term_kind::list: return t == type_tag::list;
    case term_kind::dict: return t == type_tag::dict;
    case term_kind::set: return t == type_tag::set;
    case term_kind::frozenset: return t == type_tag::frozenset;
    case term_kind::function: return t == type_tag::function;
    }
    return false;
}

bool is_sequence(term_view v) { return v.kind() == term_kind::tuple || v.kind() == term_kind::list; }

class matcher {
public:
    matcher(const program& prog, const value* registers, std::vector<recv_capture>& out)
        : prog_(prog), regs_(registers), out_(out) {}

    // Matches the subtree at n; returns whether it matched.
    bool match(const recv_node* n, term_view v) {
        using K = recv_node::kind;
        switch (n->k) {
        case K::any: return true;
        case K::capture: capture(n->reg, v); return true;
        case K::equal: return view_equals(prog_, v, regs_[n->reg]);
        case K::none: return v.kind() == term_kind::none;
        case K::true_: return v.kind() == term_kind::boolean && v.as_bool();
        case K::false_: return v.kind() == term_kind::boolean && !v.as_bool();
        case K::sequence: return sequence(n, v);
        case K::mapping: return mapping(n, v);
        case K::type: return has_tag(v, type_tag(n->tag)) && (n->count == 0 || match(n + 1, v));
        case K::alt: {
            const recv_node* alt = n + 1;
            std::size_t mark = out_.size();
            for (std::uint16_t k = 0; k < n->count; ++k, alt += alt->size) {
                if (match(alt, v)) return true;
                out_.resize(mark);  // a failed alternative binds nothing
            }
            return false;
        }
        case K::as:
            if (!match(n + 1, v)) return false;
            capture(n->reg, v);
            return true;
        }
        return false;
    }

private:
    void capture(std::uint8_t reg, term_view v) {
        recv_capture c;
        c.reg = reg;
        c.v = v;
        out_.push_back(c);
    }

    bool sequence(const recv_node* n, term_view v) {
        if (!is_sequence(v)) return false;
        std::size_t len = v.size();
        std::size_t fixed = n->count;
        if (n->star < 0 ? len != fixed : len < fixed) return false;
        const recv_node* child = n + 1;
        for (std::size_t k = 0; k < fixed; ++k, child += child->size) {
            std::size_t index = n->star < 0 || k < std::size_t(n->star) ? k : len - (fixed - k);
            if (!match(child, v[index])) return false;
        }
        if (n->star >= 0 && n->rest_reg != no_register) {
            recv_capture c;
            c.h = recv_capture::how::slice;
            c.reg = n->rest_reg;
            c.v = v;
            c.from = std::uint32_t(n->star);
            c.count = std::uint32_t(len - fixed);
            out_.push_back(c);
        }
        return true;
    }

    bool mapping(const recv_node* n, term_view v) {
        if (v.kind() != term_kind::dict) return false;
        std::size_t entries = v.size();
        const recv_node* child = n + 1;
        for (std::uint16_t k = 0; k < n->count; ++k, child += child->size) {
            value key = regs_[n->key_base + k];
            std::size_t e = 0;
            while (e < entries && !view_equals(prog_, v.key(e), key)) ++e;
            if (e == entries || !match(child, v.value(e))) return false;
        }
        if (n->rest_reg != no_register) {
            recv_capture c;
            c.h = recv_capture::how::dict_rest;
            c.reg = n->rest_reg;
            c.v = v;
            c.key_base = n->key_base;
            c.key_count = n->count;
            out_.push_back(c);
        }
        return true;
    }

    const program& prog_;
    const value* regs_;
    std::vector<recv_capture>& out_;
};

}  // namespace

bool match_receive_case(const program& prog, const recv_case& c, term_view message, const value* registers,
                        std::vector<recv_capture>& out) {
    out.clear();
    return matcher(prog, registers, out).match(c.pattern.data(), message);
}

}  // namespace weft::interp
