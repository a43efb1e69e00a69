// terminal.hpp: the terminal of `weft top`'s live view: raw input (keys one
// at a time, Ctrl-C as a key), the alternate screen, no cursor, and all of
// it restored when the object goes, however the view ends.
//
// It must never leave the terminal changed: the destructor restores what
// the constructor found.
#pragma once
#include <termios.h>

#include <optional>
#include <string>

namespace weft::tools::observe {

class terminal {
public:
    // Throws std::runtime_error when stdin or stdout is not a terminal.
    terminal();
    ~terminal();
    terminal(const terminal&) = delete;
    terminal& operator=(const terminal&) = delete;

    // Rows and columns now (24x80 when the terminal does not say).
    int rows() const;
    int cols() const;
    // Replaces the screen with `text` (lines separated by "\r\n").
    void draw(const std::string& text);
    // The next key pressed within `timeout_ms`, or nullopt.
    std::optional<char> read_key(int timeout_ms);

private:
    termios saved_{};
};

}  // namespace weft::tools::observe
