// lexer.hpp: turns Weft source text into tokens, one at a time, on demand.
//
// The lexer owns layout: it measures indentation and emits NEWLINE, INDENT
// and DEDENT, and it joins lines inside (), [] and {} (so it tracks brackets
// and reports unmatched ones). Literals arrive decoded. It is pulled by the
// parser, so the first error in source order is the one reported.
//
// It must never recurse deeper than an f-string's two levels of format spec,
// never read past its range, and never build AST: an f-string's expressions
// stay source ranges that the parser lexes again with a lexer of its own (see
// the second constructor).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "interp/syntax/source_pos.hpp"
#include "interp/syntax/token.hpp"

namespace weft::interp {

// More levels than this is an error, as in Python: it also bounds how deeply
// the parser's statement functions can recurse.
inline constexpr std::size_t max_indent_levels = 100;

class lexer {
public:
    // Lexes a whole module. `source` must outlive the lexer and its tokens.
    // Checks up front that the text is UTF-8 without NUL bytes.
    lexer(std::string_view source, std::string file);

    // Lexes the expression of an f-string replacement field: source[begin, end),
    // which starts at `start`. Lines are joined as inside brackets and no
    // layout tokens are made; the last token is `end`.
    lexer(std::string_view source, std::string file, std::size_t begin, std::size_t end,
          source_pos start);

    // The next token; after `end`, `end` again. Throws syntax_error.
    token next();

    const std::string& file() const noexcept { return file_; }
    std::string_view source() const noexcept { return src_; }

    struct open_bracket {
        char ch;
        source_pos pos;
    };
    // The innermost bracket still open where the lexer stands, or null.
    const open_bracket* innermost_bracket() const noexcept {
        return brackets_.empty() ? nullptr : &brackets_.back();
    }

private:
    struct quote {
        char ch;
        bool triple;
    };

    // Cursor. cur()/peek() give 0 past the end, which matches nothing useful.
    bool at_end() const noexcept { return p_ >= end_; }
    unsigned char cur() const noexcept { return at_end() ? 0 : byte(p_); }
    unsigned char peek(std::size_t k) const noexcept { return p_ + k < end_ ? byte(p_ + k) : 0; }
    unsigned char byte(std::size_t i) const noexcept { return static_cast<unsigned char>(src_[i]); }
    bool at_newline() const noexcept { return cur() == '\n' || cur() == '\r'; }
    source_pos here() const noexcept { return {line_, col_}; }
    void bump() noexcept;          // one byte, keeping line_ and col_ right
    void bump_newline() noexcept;  // "\n", "\r\n" or "\r"
    [[noreturn]] void fail(source_pos pos, std::string message) const;

    // lexer.cpp: layout, names, numbers, operators.
    void check_encoding() const;
    bool start_line(token& out);  // indentation at a line start; true if it made a token
    void skip_blanks();
    token at_eof();
    token make(token_kind kind, source_pos start, std::size_t start_offset) const;
    token lex_name_or_prefixed_string(source_pos start);
    token lex_number(source_pos start);
    token lex_operator(source_pos start);
    [[noreturn]] void fail_invalid_character() const;

    // lexer_string.cpp: string, bytes and f-string literals.
    token lex_string(source_pos start, std::size_t start_offset, bool raw, bool is_bytes, bool is_f);
    quote open_quote();
    bool at_closing(const quote& q) const noexcept;
    [[noreturn]] void fail_unterminated(source_pos start, const quote& q) const;
    void scan_plain(source_pos start, const quote& q, bool raw, bool is_bytes, std::string& out);
    void scan_escape(std::string& out, bool is_bytes);
    std::uint32_t scan_hex(int digits, source_pos esc, const char* what);
    void scan_fstring(source_pos start, const quote& q, bool raw, int spec_depth,
                      std::vector<fstring_piece>& out);
    void scan_field(source_pos start, const quote& q, bool raw, int spec_depth,
                    std::vector<fstring_piece>& out);
    void skip_nested_string(source_pos start, const quote& outer);
    void append_char(std::string& out);  // the (maybe multi-byte) character at the cursor

    std::string_view src_;
    std::string file_;
    std::size_t p_ = 0;    // cursor, a byte offset into src_
    std::size_t end_ = 0;  // lexing stops here
    std::uint32_t line_ = 1, col_ = 1;
    bool expr_mode_ = false;      // an f-string field: no layout, lines joined
    bool at_line_start_ = true;   // indentation still to be measured
    std::size_t pending_dedents_ = 0;
    source_pos dedent_pos_;
    std::vector<std::uint32_t> indents_{0};
    std::vector<open_bracket> brackets_;
};

}  // namespace weft::interp
