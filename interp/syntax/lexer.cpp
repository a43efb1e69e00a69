// lexer.cpp: layout (indentation, newlines, brackets), names, keywords,
// numbers and operators. String literals live in lexer_string.cpp.
//
// Must never emit layout tokens inside brackets or f-string fields, never
// accept a tab in indentation, and never let a malformed number through as
// two tokens (`1__0`, `0x`, `09` are errors, as in Python).
#include "interp/syntax/lexer.hpp"

#include <cstdio>

#include "interp/syntax/syntax_error.hpp"
#include "interp/unicode/utf8.hpp"

namespace weft::interp {

namespace {

bool is_ascii_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
int digit_value(unsigned char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

std::string hex_code(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

}  // namespace

lexer::lexer(std::string_view source, std::string file)
    : src_(source), file_(std::move(file)), end_(source.size()) {
    check_encoding();
    // A UTF-8 byte order mark is not part of the program.
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") p_ = 3;
}

lexer::lexer(std::string_view source, std::string file, std::size_t begin, std::size_t end,
             source_pos start)
    : src_(source),
      file_(std::move(file)),
      p_(begin),
      end_(end),
      line_(start.line),
      col_(start.col),
      expr_mode_(true),
      at_line_start_(false) {}

void lexer::bump() noexcept {
    const unsigned char c = byte(p_++);
    if (c == '\n' || (c == '\r' && cur() != '\n')) {
        ++line_;
        col_ = 1;
    } else if (!is_utf8_continuation(c)) {
        ++col_;
    }
}

void lexer::bump_newline() noexcept {
    if (cur() == '\r' && peek(1) == '\n') bump();
    bump();
}

void lexer::fail(source_pos pos, std::string message) const {
    throw syntax_error(file_, pos, std::move(message));
}

// Python decodes the whole file before tokenizing, so an encoding error is
// reported first wherever it is; we do the same, which lets everything after
// this assume well-formed UTF-8.
void lexer::check_encoding() const {
    source_pos pos;
    for (std::size_t i = 0; i < src_.size();) {
        const auto c = static_cast<unsigned char>(src_[i]);
        std::size_t len = 1;
        if (c == 0) throw syntax_error(file_, pos, "source code cannot contain null bytes");
        if (c >= 0x80) {
            len = decode_utf8(src_, i).len;
            if (len == 0) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "invalid UTF-8 in source (byte 0x%02X)", c);
                throw syntax_error(file_, pos, buf);
            }
        }
        if (c == '\n' || (c == '\r' && (i + 1 == src_.size() || src_[i + 1] != '\n'))) {
            ++pos.line;
            pos.col = 1;
        } else {
            ++pos.col;
        }
        i += len;
    }
}

token lexer::make(token_kind kind, source_pos start, std::size_t start_offset) const {
    token t;
    t.kind = kind;
    t.pos = start;
    t.end = here();
    t.text = src_.substr(start_offset, p_ - start_offset);
    return t;
}

// At the start of a line outside brackets: skips blank and comment-only
// lines, then compares the indentation with the enclosing blocks'.
bool lexer::start_line(token& out) {
    std::uint32_t width = 0;
    for (;;) {
        width = 0;
        bool tab = false;
        source_pos tab_pos;
        while (cur() == ' ' || cur() == '\t' || cur() == '\f') {
            if (cur() == '\t' && !tab) tab = true, tab_pos = here();
            width = cur() == '\f' ? 0 : width + 1;  // form feed resets, as in Python
            bump();
        }
        if (cur() == '#')
            while (!at_end() && !at_newline()) bump();
        if (at_end()) return false;  // at_eof() finishes the file
        if (at_newline()) {
            bump_newline();  // a blank line: no tokens at all
            continue;
        }
        if (tab) fail(tab_pos, "tab in indentation");
        break;
    }
    at_line_start_ = false;
    const source_pos pos = here();
    if (width > indents_.back()) {
        if (indents_.size() > max_indent_levels) fail(pos, "too many levels of indentation");
        indents_.push_back(width);
        out = make(token_kind::indent, pos, p_);
        return true;
    }
    std::size_t dedents = 0;
    while (width < indents_.back()) {
        indents_.pop_back();
        ++dedents;
    }
    if (width != indents_.back()) fail(pos, "unindent does not match any outer indentation level");
    if (dedents == 0) return false;
    pending_dedents_ = dedents - 1;
    dedent_pos_ = pos;
    out = make(token_kind::dedent, pos, p_);
    return true;
}

// Spaces, comments, backslash continuations, and newlines where lines join.
void lexer::skip_blanks() {
    for (;;) {
        const unsigned char c = cur();
        if (c == ' ' || c == '\t' || c == '\f') {
            bump();
        } else if (c == '#') {
            while (!at_end() && !at_newline()) bump();
        } else if (c == '\\') {
            const source_pos pos = here();
            bump();
            if (!at_newline()) fail(pos, "unexpected character after line continuation character");
            bump_newline();
            if (at_end()) fail(pos, "unexpected end of file after line continuation character");
        } else if ((c == '\n' || c == '\r') && (expr_mode_ || !brackets_.empty())) {
            bump_newline();
        } else {
            return;
        }
    }
}

token lexer::at_eof() {
    if (!brackets_.empty()) {
        const open_bracket& b = brackets_.back();
        fail(b.pos, std::string("'") + b.ch + "' was never closed");
    }
    if (!expr_mode_) {
        // The last line may lack its newline; blocks still open close here.
        if (!at_line_start_) {
            at_line_start_ = true;
            return make(token_kind::newline, here(), p_);
        }
        if (indents_.size() > 1) {
            indents_.pop_back();
            return make(token_kind::dedent, here(), p_);
        }
    }
    return make(token_kind::end, here(), p_);
}

token lexer::next() {
    if (pending_dedents_ > 0) {
        --pending_dedents_;
        return make(token_kind::dedent, dedent_pos_, p_);
    }
    if (at_line_start_ && brackets_.empty() && !expr_mode_) {
        token t;
        if (start_line(t)) return t;
    }
    skip_blanks();
    if (at_end()) return at_eof();

    const source_pos start = here();
    const unsigned char c = cur();
    if (c == '\n' || c == '\r') {  // only outside brackets: skip_blanks joined the others
        token t = make(token_kind::newline, start, p_);
        bump_newline();
        at_line_start_ = true;
        return t;
    }
    if (is_ascii_alpha(c) || c == '_' || c >= 0x80) return lex_name_or_prefixed_string(start);
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return lex_number(start);
    if (c == '"' || c == '\'') return lex_string(start, p_, false, false, false);
    return lex_operator(start);
}

token lexer::lex_name_or_prefixed_string(source_pos start) {
    const std::size_t off = p_;
    for (bool first = true;; first = false) {
        const unsigned char c = cur();
        if (is_ascii_alpha(c) || c == '_' || (!first && is_digit(c))) {
            bump();
            continue;
        }
        if (c < 0x80) break;
        const utf8_char u = decode_utf8(src_, p_);
        if (!(first ? is_unicode_id_start(u.cp) : is_unicode_id_continue(u.cp))) {
            if (first) fail_invalid_character();
            break;
        }
        for (std::size_t k = 0; k < u.len; ++k) bump();
    }
    const std::string_view word = src_.substr(off, p_ - off);

    // r"", b"", f"", u"" and the two-letter mixes are string prefixes.
    if ((cur() == '"' || cur() == '\'') && word.size() <= 2) {
        bool raw = false, is_bytes = false, is_f = false, is_u = false, ok = true;
        for (char ch : word) {
            bool* flag = nullptr;
            switch (ch | 0x20) {
                case 'r': flag = &raw; break;
                case 'b': flag = &is_bytes; break;
                case 'f': flag = &is_f; break;
                case 'u': flag = &is_u; break;
            }
            if (flag == nullptr || *flag) ok = false;  // not a prefix letter, or twice
            if (flag != nullptr) *flag = true;
        }
        if (ok && !(is_bytes && is_f) && !(is_u && word.size() > 1))
            return lex_string(start, off, raw, is_bytes, is_f);
    }
    token t = make(keyword_kind(word), start, off);
    if (t.kind == token_kind::name) t.value = std::string(word);
    return t;
}

token lexer::lex_number(source_pos start) {
    const std::size_t off = p_;
    std::string digits;
    const char* kind_name = "decimal";
    int base = 10;
    bool is_float = false;

    if (cur() == '0' && ((peek(1) | 0x20) == 'x' || (peek(1) | 0x20) == 'o' || (peek(1) | 0x20) == 'b')) {
        const unsigned char p = peek(1) | 0x20;
        base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
        kind_name = p == 'x' ? "hexadecimal" : p == 'o' ? "octal" : "binary";
        const std::string invalid = std::string("invalid ") + kind_name + " literal";
        bump(), bump();
        for (;;) {
            if (cur() == '_') {  // one '_' between digits, or right after the prefix
                bump();
                if (!is_hex(cur()) || digit_value(cur()) >= base) fail(start, invalid);
            }
            if (is_hex(cur()) && digit_value(cur()) < base) {
                digits += static_cast<char>(cur());
                bump();
            } else {
                break;
            }
        }
        if (is_digit(cur()))
            fail(start, std::string("invalid digit '") + static_cast<char>(cur()) + "' in " +
                            kind_name + " literal");
        if (digits.empty()) fail(start, invalid);
    } else {
        // digitpart: digits with single '_' between them.
        auto digitpart = [&] {
            while (is_digit(cur())) {
                digits += static_cast<char>(cur());
                bump();
                if (cur() == '_') {
                    bump();
                    if (!is_digit(cur())) fail(start, "invalid decimal literal");
                }
            }
        };
        digitpart();
        if (cur() == '.') {
            is_float = true;
            digits += '.';
            bump();
            digitpart();
        }
        if ((cur() | 0x20) == 'e' &&
            (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
            is_float = true;
            digits += 'e';
            bump();
            if (cur() == '+' || cur() == '-') {
                digits += static_cast<char>(cur());
                bump();
            }
            digitpart();
        }
        if (!is_float && digits.size() > 1 && digits[0] == '0' &&
            digits.find_first_not_of('0') != std::string::npos)
            fail(start,
                 "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                 "for octal integers");
    }

    // A number runs straight into a name: `1abc`, `0x1g`, `1.5j`.
    const unsigned char c = cur();
    bool glued = is_ascii_alpha(c) || c == '_' || is_digit(c);
    if (c >= 0x80) glued = is_unicode_id_continue(decode_utf8(src_, p_).cp);
    if (glued) {
        if ((c | 0x20) == 'j' && base == 10) fail(start, "imaginary numbers are not supported");
        fail(start, std::string("invalid ") + kind_name + " literal");
    }

    token t = make(is_float ? token_kind::floating : token_kind::integer, start, off);
    t.value = std::move(digits);
    t.base = base;
    return t;
}

token lexer::lex_operator(source_pos start) {
    const std::size_t off = p_;
    const unsigned char c = cur();
    const unsigned char n = peek(1);
    const unsigned char n2 = peek(2);
    using k = token_kind;
    k kind;
    std::size_t len = 1;

    auto closing = [&](char open) {
        if (brackets_.empty()) fail(start, std::string("unmatched '") + static_cast<char>(c) + "'");
        const open_bracket b = brackets_.back();
        if (b.ch != open) {
            std::string msg = std::string("closing parenthesis '") + static_cast<char>(c) +
                              "' does not match opening parenthesis '" + b.ch + "'";
            if (b.pos.line != start.line) msg += " on line " + std::to_string(b.pos.line);
            fail(start, msg);
        }
        brackets_.pop_back();
    };

    switch (c) {
        case '+': kind = n == '=' ? (len = 2, k::plus_eq) : k::plus; break;
        case '-': kind = n == '=' ? (len = 2, k::minus_eq) : n == '>' ? (len = 2, k::arrow) : k::minus; break;
        case '*':
            if (n == '*') kind = n2 == '=' ? (len = 3, k::double_star_eq) : (len = 2, k::double_star);
            else kind = n == '=' ? (len = 2, k::star_eq) : k::star;
            break;
        case '/':
            if (n == '/') kind = n2 == '=' ? (len = 3, k::double_slash_eq) : (len = 2, k::double_slash);
            else kind = n == '=' ? (len = 2, k::slash_eq) : k::slash;
            break;
        case '%': kind = n == '=' ? (len = 2, k::percent_eq) : k::percent; break;
        case '&': kind = n == '=' ? (len = 2, k::amp_eq) : k::amp; break;
        case '|': kind = n == '=' ? (len = 2, k::pipe_eq) : k::pipe; break;
        case '^': kind = n == '=' ? (len = 2, k::caret_eq) : k::caret; break;
        case '~': kind = k::tilde; break;
        case '<':
            if (n == '<') kind = n2 == '=' ? (len = 3, k::lshift_eq) : (len = 2, k::lshift);
            else kind = n == '=' ? (len = 2, k::less_eq) : k::less;
            break;
        case '>':
            if (n == '>') kind = n2 == '=' ? (len = 3, k::rshift_eq) : (len = 2, k::rshift);
            else kind = n == '=' ? (len = 2, k::greater_eq) : k::greater;
            break;
        case '=': kind = n == '=' ? (len = 2, k::eq_eq) : k::assign; break;
        case '!':
            if (n != '=') fail_invalid_character();
            kind = k::not_eq_, len = 2;
            break;
        case ':': kind = k::colon; break;
        case ',': kind = k::comma; break;
        case '.': kind = k::dot; break;
        case ';': kind = k::semicolon; break;
        case '@': kind = k::at; break;
        case '(': kind = k::lparen, brackets_.push_back({'(', start}); break;
        case '[': kind = k::lbracket, brackets_.push_back({'[', start}); break;
        case '{': kind = k::lbrace, brackets_.push_back({'{', start}); break;
        case ')': kind = k::rparen, closing('('); break;
        case ']': kind = k::rbracket, closing('['); break;
        case '}': kind = k::rbrace, closing('{'); break;
        default: fail_invalid_character();
    }
    for (std::size_t i = 0; i < len; ++i) bump();
    return make(kind, start, off);
}

void lexer::fail_invalid_character() const {
    const utf8_char u = decode_utf8(src_, p_);  // check_encoding() made this valid
    if (is_unprintable(u.cp)) fail(here(), "invalid non-printable character " + hex_code(u.cp));
    fail(here(), "invalid character '" + std::string(src_.substr(p_, u.len)) + "' (" +
                     hex_code(u.cp) + ")");
}

}  // namespace weft::interp
