// parser_literal.cpp: number and string atoms, adjacent-literal joining, and
// f-strings, whose fields are lexed and parsed here from their source range.
//
// Must never lose a digit of a big int (the digits are kept for bignums) and
// never let bytes and str literals join.
#include <algorithm>
#include <charconv>
#include <limits>

#include "interp/syntax/parser_impl.hpp"

namespace weft::interp {

namespace {

// The int64 value of `digits` in `base`, or false when it does not fit.
bool small_int(const std::string& digits, int base, std::int64_t& out) {
    std::uint64_t v = 0;
    const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    for (char ch : digits) {
        const int d = ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10;
        if (v > (limit - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
            return false;
        v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    }
    out = static_cast<std::int64_t>(v);
    return true;
}

// Python's float(): correctly rounded, inf on overflow, 0 on underflow.
// from_chars rather than strtod, which would follow the process locale.
double parse_float(const std::string& text) {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    (void)ptr;
    if (ec != std::errc::result_out_of_range) return v;
    // Out of range: decide the direction from the decimal exponent of the
    // first significant digit.
    const std::size_t e = text.find_first_of("eE");
    const std::string mantissa = text.substr(0, e);
    long long exp = 0;
    if (e != std::string::npos) {
        const std::string ex = text.substr(e + 1);
        std::from_chars(ex.data() + (ex[0] == '+'), ex.data() + ex.size(), exp);
        if (exp == 0 && ex.size() > 18) exp = ex[0] == '-' ? -1000000 : 1000000;
    }
    const std::size_t dot = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t first = mantissa.find_first_of("123456789");
    if (first == std::string::npos) return 0.0;
    const long long magnitude = first < dot ? static_cast<long long>(dot - first - 1)
                                            : -static_cast<long long>(first - dot);
    return magnitude + exp > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

ast::expr_ptr parser::number_atom() {
    const token t = take();
    if (t.kind == token_kind::floating) {
        auto f = make<ast::float_lit>(t.pos);
        f->value = parse_float(t.value);
        return f;
    }
    auto i = make<ast::int_lit>(t.pos);
    i->base = t.base;
    i->big = !small_int(t.value, t.base, i->value);
    i->digits = t.value;
    return i;
}

// One or more adjacent string, bytes or f-string literals, joined as Python
// joins them at compile time.
ast::expr_ptr parser::string_atom() {
    const source_pos pos = peek().pos;
    const bool is_bytes = at(token_kind::bytes);
    std::vector<token> parts;
    bool any_f = false;
    while (at(token_kind::string) || at(token_kind::bytes) || at(token_kind::fstring)) {
        if (at(token_kind::bytes) != is_bytes)
            fail(peek().pos, "cannot mix bytes and nonbytes literals");
        any_f = any_f || at(token_kind::fstring);
        parts.push_back(take());
    }
    if (is_bytes) {
        auto b = make<ast::bytes_lit>(pos);
        for (const auto& p : parts) b->value += p.value;
        return b;
    }
    if (!any_f) {
        auto s = make<ast::str_lit>(pos);
        for (const auto& p : parts) s->value += p.value;
        return s;
    }
    auto f = make<ast::fstring>(pos);
    for (const auto& p : parts) {
        if (p.kind == token_kind::fstring) {
            add_fstring_pieces(*f, p.pieces);
        } else if (!p.value.empty()) {
            fstring_piece lit;
            lit.pos = p.pos;
            lit.text = p.value;
            add_fstring_pieces(*f, {lit});
        }
    }
    return f;
}

void parser::add_fstring_pieces(ast::fstring& f, const std::vector<fstring_piece>& pieces) {
    auto add_literal = [&](const std::string& text, source_pos pos) {
        if (!f.parts.empty() && !f.parts.back().value) {
            f.parts.back().literal += text;  // neighbouring literal text is one part
            return;
        }
        ast::fstring_part part;
        part.pos = pos;
        part.literal = text;
        f.parts.push_back(std::move(part));
    };
    for (const fstring_piece& piece : pieces) {
        if (!piece.is_field) {
            add_literal(piece.text, piece.pos);
            continue;
        }
        if (piece.debug) add_literal(piece.text, piece.expr_pos);
        ast::fstring_part part;
        part.pos = piece.pos;
        part.value = field_expression(piece);
        part.conversion = piece.conversion;
        if (piece.has_spec) {
            auto spec = make<ast::fstring>(piece.pos);
            add_fstring_pieces(*spec, piece.spec);
            part.spec = std::move(spec);
        }
        f.parts.push_back(std::move(part));
    }
}

// Parses a field's expression with a lexer over its source range, so its
// nodes carry their true positions in the file.
ast::expr_ptr parser::field_expression(const fstring_piece& piece) {
    nesting n(*this, piece.expr_pos);
    lexer field(source_, file_, piece.expr_begin, piece.expr_end, piece.expr_pos);
    lexer* const outer = lex_;
    std::deque<token> outer_ahead = std::move(ahead_);
    const source_pos outer_prev = prev_end_;
    ahead_.clear();
    lex_ = &field;

    ast::expr_ptr e = expression_list(true);
    if (e->is<ast::starred>()) fail(e->pos, "can't use starred expression here");
    if (!at(token_kind::end)) fail_expected("f-string: expecting '}'");

    lex_ = outer;
    ahead_ = std::move(outer_ahead);
    prev_end_ = outer_prev;
    return e;
}

}  // namespace weft::interp
