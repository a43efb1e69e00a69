// lexer_string.cpp: string, bytes and f-string literals: finding their end,
// decoding escapes, and cutting f-strings into literal text and fields.
//
// Escapes follow CPython 3.11 exactly, including its leniency: an unknown
// escape such as "\q" keeps its backslash. An f-string field's expression is
// only delimited here (never parsed): the parser lexes that range again.
// Must never let a newline end a single-quoted literal silently.
#include <cstdio>

#include "interp/syntax/lexer.hpp"
#include "interp/syntax/syntax_error.hpp"
#include "interp/unicode/utf8.hpp"

namespace weft::interp {

namespace {

bool is_hex_digit(unsigned char c) {
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
int hex_value(unsigned char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

}  // namespace

lexer::quote lexer::open_quote() {
    const char ch = static_cast<char>(cur());
    const bool triple = peek(1) == ch && peek(2) == ch;
    for (int i = 0; i < (triple ? 3 : 1); ++i) bump();
    return {ch, triple};
}

bool lexer::at_closing(const quote& q) const noexcept {
    return cur() == static_cast<unsigned char>(q.ch) &&
           (!q.triple || (peek(1) == cur() && peek(2) == cur()));
}

void lexer::fail_unterminated(source_pos start, const quote& q) const {
    fail(start, std::string(q.triple ? "unterminated triple-quoted string literal"
                                     : "unterminated string literal") +
                    " (detected at line " + std::to_string(line_) + ")");
}

void lexer::append_char(std::string& out) {
    std::size_t len = cur() < 0x80 ? 1 : decode_utf8(src_, p_).len;
    for (; len > 0; --len) {
        out += static_cast<char>(cur());
        bump();
    }
}

token lexer::lex_string(source_pos start, std::size_t start_offset, bool raw, bool is_bytes,
                        bool is_f) {
    const quote q = open_quote();
    std::string value;
    std::vector<fstring_piece> pieces;
    if (is_f) {
        scan_fstring(start, q, raw, 0, pieces);
    } else {
        scan_plain(start, q, raw, is_bytes, value);
    }
    token t = make(is_f ? token_kind::fstring : is_bytes ? token_kind::bytes : token_kind::string,
                   start, start_offset);
    t.value = std::move(value);
    t.pieces = std::move(pieces);
    return t;
}

void lexer::scan_plain(source_pos start, const quote& q, bool raw, bool is_bytes,
                       std::string& out) {
    for (;;) {
        if (at_end()) fail_unterminated(start, q);
        if (at_closing(q)) {
            for (int i = 0; i < (q.triple ? 3 : 1); ++i) bump();
            return;
        }
        const unsigned char c = cur();
        if (c == '\n' || c == '\r') {
            if (!q.triple) fail_unterminated(start, q);
            out += '\n';  // "\r\n" in the file is "\n" in the value, as in Python
            bump_newline();
        } else if (c == '\\' && raw) {
            // A raw literal keeps the backslash and the character after it, which
            // therefore cannot end the literal.
            out += '\\';
            bump();
            if (at_end()) fail_unterminated(start, q);
            if (at_newline()) {
                out += '\n';
                bump_newline();
            } else {
                append_char(out);
            }
        } else if (c == '\\') {
            scan_escape(out, is_bytes);
        } else if (is_bytes && c >= 0x80) {
            fail(here(), "bytes can only contain ASCII literal characters");
        } else {
            append_char(out);
        }
    }
}

std::uint32_t lexer::scan_hex(int digits, source_pos esc, const char* what) {
    std::uint32_t v = 0;
    for (int i = 0; i < digits; ++i) {
        if (!is_hex_digit(cur()))
            fail(esc, std::string("invalid ") + what + " escape: expected " +
                          std::to_string(digits) + " hex digits");
        v = v * 16 + static_cast<std::uint32_t>(hex_value(cur()));
        bump();
    }
    return v;
}

// At a backslash (not raw). Appends what the escape means; an unknown escape
// appends the backslash alone and leaves the next character to the caller.
void lexer::scan_escape(std::string& out, bool is_bytes) {
    const source_pos esc = here();
    bump();
    if (at_end()) return;  // the caller reports the unterminated literal
    const unsigned char c = cur();
    auto simple = [&](char v) {
        out += v;
        bump();
    };
    switch (c) {
        case '\n':
        case '\r': bump_newline(); return;  // backslash-newline: the line continues
        case '\\': return simple('\\');
        case '\'': return simple('\'');
        case '"': return simple('"');
        case 'a': return simple('\a');
        case 'b': return simple('\b');
        case 'f': return simple('\f');
        case 'n': return simple('\n');
        case 'r': return simple('\r');
        case 't': return simple('\t');
        case 'v': return simple('\v');
        case 'x': {
            bump();
            const std::uint32_t v = scan_hex(2, esc, "\\x");
            if (is_bytes) {
                out += static_cast<char>(v);
            } else {
                append_utf8(out, v);
            }
            return;
        }
        default: break;
    }
    if (c >= '0' && c <= '7') {
        std::uint32_t v = 0;
        for (int i = 0; i < 3 && cur() >= '0' && cur() <= '7'; ++i) {
            v = v * 8 + (cur() - '0');
            bump();
        }
        if (is_bytes) {
            if (v > 0xFF) fail(esc, "octal escape value above \\377 in a bytes literal");
            out += static_cast<char>(v);
        } else {
            append_utf8(out, v);
        }
        return;
    }
    if (!is_bytes && (c == 'u' || c == 'U')) {
        bump();
        const std::uint32_t v = c == 'u' ? scan_hex(4, esc, "\\u") : scan_hex(8, esc, "\\U");
        if (v > 0x10FFFF) fail(esc, "invalid \\U escape: code point above U+10FFFF");
        if (v >= 0xD800 && v <= 0xDFFF) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "surrogate code point U+%04X is not allowed in a string",
                          static_cast<unsigned>(v));
            fail(esc, buf);
        }
        append_utf8(out, v);
        return;
    }
    if (!is_bytes && c == 'N') fail(esc, "\\N{...} escapes are not supported");
    out += '\\';  // unknown escape: kept as written, as in Python
}

// Literal text and fields up to the closing quote (spec_depth 0), or up to the
// '}' that ends a format spec (spec_depth > 0, the '}' left unread).
void lexer::scan_fstring(source_pos start, const quote& q, bool raw, int spec_depth,
                         std::vector<fstring_piece>& out) {
    fstring_piece lit;
    lit.pos = here();
    auto flush = [&] {
        if (!lit.text.empty()) out.push_back(std::move(lit));
        lit = fstring_piece{};
        lit.pos = here();
    };
    for (;;) {
        if (at_end()) fail_unterminated(start, q);
        if (at_closing(q)) {
            if (spec_depth > 0) fail(here(), "f-string: expecting '}'");
            flush();
            for (int i = 0; i < (q.triple ? 3 : 1); ++i) bump();
            return;
        }
        const unsigned char c = cur();
        if (lit.text.empty()) lit.pos = here();
        if (c == '\n' || c == '\r') {
            if (!q.triple) fail_unterminated(start, q);
            lit.text += '\n';
            bump_newline();
        } else if (c == '\\' && raw) {
            lit.text += '\\';
            bump();
            if (at_end()) fail_unterminated(start, q);
            if (at_newline()) {
                lit.text += '\n';
                bump_newline();
            } else if (cur() != '{' && cur() != '}') {
                append_char(lit.text);
            }
        } else if (c == '\\') {
            scan_escape(lit.text, false);
        } else if (c == '{' && peek(1) == '{') {
            lit.text += '{';
            bump(), bump();
        } else if (c == '{') {
            flush();
            scan_field(start, q, raw, spec_depth, out);
            lit.pos = here();
        } else if (c == '}' && spec_depth > 0) {
            flush();
            return;
        } else if (c == '}' && peek(1) == '}') {
            lit.text += '}';
            bump(), bump();
        } else if (c == '}') {
            fail(here(), "f-string: single '}' is not allowed");
        } else {
            append_char(lit.text);
        }
    }
}

// At the '{' of a replacement field `{expr[=][!c][:spec]}`.
void lexer::scan_field(source_pos start, const quote& q, bool raw, int spec_depth,
                       std::vector<fstring_piece>& out) {
    fstring_piece f;
    f.is_field = true;
    f.pos = here();
    if (spec_depth >= 2) fail(f.pos, "f-string: expressions nested too deeply");
    bump();
    f.expr_begin = p_;
    f.expr_pos = here();

    // Find where the expression ends: at depth 0, '}', '!' (not "!="), ':' or a
    // lone '='. Nested string literals are skipped whole, so "}" inside one is text.
    int depth = 0;
    bool blank = true;
    for (;;) {
        if (at_end()) fail_unterminated(start, q);
        if (at_closing(q)) fail(here(), "f-string: expecting '}'");
        const unsigned char c = cur();
        if ((c == '\n' || c == '\r') && !q.triple) fail_unterminated(start, q);
        if (c == '\\') fail(here(), "f-string expression part cannot include a backslash");
        if (c == '#') fail(here(), "f-string expression part cannot include '#'");
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && depth == 0 &&
            c != '}' && c != '!' && c != ':' && c != '=')
            blank = false;
        if (c == '\'' || c == '"') {
            blank = false;
            skip_nested_string(start, q);
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0) {
                if (c == '}') break;
                fail(here(), std::string("f-string: unmatched '") + static_cast<char>(c) + "'");
            }
            --depth;
        } else if (depth == 0) {
            const unsigned char n = peek(1);
            if ((c == '!' || c == '<' || c == '>' || c == '=') && n == '=') {
                bump();  // a two-character comparison: skip both characters
            } else if (c == '!' || c == ':' || c == '=') {
                break;
            }
        }
        bump();
    }
    f.expr_end = p_;
    if (blank) fail(f.pos, "f-string: empty expression not allowed");

    if (cur() == '=') {  // `{x=}` prints "x=" and then the value
        f.debug = true;
        bump();
        while (cur() == ' ' || cur() == '\t' || cur() == '\n' || cur() == '\r') bump();
        f.text = std::string(src_.substr(f.expr_begin, p_ - f.expr_begin));
    }
    if (cur() == '!') {
        bump();
        if (cur() != 'r' && cur() != 's' && cur() != 'a')
            fail(here(), "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        f.conversion = static_cast<char>(cur());
        bump();
        if (cur() != ':' && cur() != '}' && !at_closing(q) && !at_end())
            fail(here(), "f-string: expecting '}'");
    }
    if (cur() == ':') {
        bump();
        f.has_spec = true;
        scan_fstring(start, q, raw, spec_depth + 1, f.spec);
    }
    if (at_end()) fail_unterminated(start, q);
    if (cur() != '}') fail(here(), "f-string: expecting '}'");
    bump();
    // Python's `{x=}` shows the repr unless a conversion or a spec says otherwise.
    if (f.debug && f.conversion == 0 && !f.has_spec) f.conversion = 'r';
    out.push_back(std::move(f));
}

// Skips a string literal inside a field's expression (its quote differs from
// the enclosing literal's, or the enclosing one is triple-quoted).
void lexer::skip_nested_string(source_pos start, const quote& outer) {
    const quote q = open_quote();
    for (;;) {
        if (at_end()) fail_unterminated(start, outer);
        if (at_closing(q)) {
            for (int i = 0; i < (q.triple ? 3 : 1); ++i) bump();
            return;
        }
        if (at_closing(outer)) fail(here(), "f-string: unterminated string");
        if (cur() == '\\') fail(here(), "f-string expression part cannot include a backslash");
        if (at_newline() && !q.triple) {
            if (!outer.triple) fail_unterminated(start, outer);
            fail(here(), "f-string: unterminated string");
        }
        bump();
    }
}

}  // namespace weft::interp
