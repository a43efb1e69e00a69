// syntax_error.hpp: the one error the lexer and parser raise, and its
// user-facing rendering (`prog.weft:LINE:COL: message`, source line, caret).
//
// The front end stops at the first error: it throws syntax_error and never
// returns a half-built tree. Messages are written for the person who wrote the
// program (what is wrong, in their terms), never for us (no token kind names).
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

#include "interp/syntax/source_pos.hpp"

namespace weft::interp {

class syntax_error : public std::runtime_error {
public:
    syntax_error(std::string file, source_pos pos, std::string message);

    const std::string& file() const noexcept { return file_; }
    source_pos pos() const noexcept { return pos_; }
    std::uint32_t line() const noexcept { return pos_.line; }
    std::uint32_t col() const noexcept { return pos_.col; }
    // The message alone, without the `file:line:col: ` prefix that what() has.
    const std::string& message() const noexcept { return message_; }

private:
    std::string file_;
    source_pos pos_;
    std::string message_;
};

// Renders the error like Python and clang do:
//
//     prog.weft:2:9: unterminated string literal (detected at line 2)
//         x = "abc
//             ^
//
// `source` is the whole text the error came from. A very long line is shown as
// a window around the column; control characters and invalid bytes are shown
// as '?', so the caret stays aligned and the terminal stays sane.
std::string format_syntax_error(const syntax_error& error, std::string_view source);

}  // namespace weft::interp
