// syntax_error.cpp: building and rendering syntax errors.
//
// The renderer must never fail on the input that caused the error: it copes
// with invalid UTF-8, NUL bytes, a line number past the end and 1 MB lines.
#include "interp/syntax/syntax_error.hpp"

#include <algorithm>
#include <vector>

#include "interp/unicode/utf8.hpp"

namespace weft::interp {

syntax_error::syntax_error(std::string file, source_pos pos, std::string message)
    : std::runtime_error(file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col) +
                         ": " + message),
      file_(std::move(file)),
      pos_(pos),
      message_(std::move(message)) {}

namespace {

// The text of 1-based line `line`, without its terminator. Lines end at "\n",
// "\r\n" or a lone "\r", exactly as the lexer counts them.
std::string_view find_line(std::string_view src, std::uint32_t line) {
    std::size_t i = 0;
    for (std::uint32_t l = 1; l < line; ++l) {
        while (i < src.size() && src[i] != '\n' && src[i] != '\r') ++i;
        if (i == src.size()) return {};
        if (src[i] == '\r' && i + 1 < src.size() && src[i + 1] == '\n') ++i;
        ++i;
    }
    std::size_t end = i;
    while (end < src.size() && src[end] != '\n' && src[end] != '\r') ++end;
    return src.substr(i, end - i);
}

// One displayed column: its text and whether it is a tab (kept in the caret line
// so that the caret lines up however the terminal expands tabs).
struct cell {
    std::string text;
    bool tab = false;
};

std::vector<cell> cells_of(std::string_view text) {
    std::vector<cell> out;
    for (std::size_t i = 0; i < text.size();) {
        const utf8_char c = decode_utf8(text, i);
        if (c.len == 0) {
            out.push_back({"?", false});
            ++i;
            continue;
        }
        if (c.cp == '\t') {
            out.push_back({"\t", true});
        } else if (is_unprintable(c.cp)) {
            out.push_back({"?", false});
        } else {
            out.push_back({std::string(text.substr(i, c.len)), false});
        }
        i += c.len;
    }
    return out;
}

}  // namespace

std::string format_syntax_error(const syntax_error& error, std::string_view source) {
    std::string out = error.what();
    out += '\n';
    // Lines past the end have nothing to show; the location line alone must do.
    if (error.line() == 0 || error.col() == 0) return out;
    std::string_view text = find_line(source, error.line());
    // The lexer skips a leading byte order mark, and columns do not count it.
    if (error.line() == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<cell> cells = cells_of(text);
    std::size_t col = error.col() - 1;  // 0-based; may be one past the last cell
    if (col > cells.size()) return out;

    // Show at most `window` cells around the caret: a 1 MB line stays readable.
    constexpr std::size_t window = 120;
    std::size_t first = 0, last = cells.size();
    if (cells.size() > window) {
        first = col > window / 2 ? col - window / 2 : 0;
        last = std::min(cells.size(), first + window);
    }
    std::string shown, caret;
    if (first > 0) {
        shown += "...";
        caret += "   ";
    }
    for (std::size_t k = first; k < last; ++k) {
        shown += cells[k].text;
        if (k < col) caret += cells[k].tab ? '\t' : ' ';
    }
    if (last < cells.size()) shown += "...";
    caret += '^';
    out += shown;
    out += '\n';
    out += caret;
    out += '\n';
    return out;
}

}  // namespace weft::interp
