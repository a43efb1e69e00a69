// terminal.cpp: see terminal.hpp.
#include "tools/observe/terminal.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace weft::tools::observe {

namespace {
void write_all(const std::string& s) {
    const char* p = s.data();
    std::size_t left = s.size();
    while (left > 0) {
        ssize_t n = ::write(STDOUT_FILENO, p, left);
        if (n <= 0) return;  // the terminal went away: nothing to draw on
        p += n;
        left -= std::size_t(n);
    }
}
}  // namespace

terminal::terminal() {
    if (!::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO))
        throw std::runtime_error("the live view needs a terminal (use --once for one sample)");
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) throw std::runtime_error("cannot read the terminal's settings");
    termios raw = saved_;
    // No echo, no line editing, no signals from keys (Ctrl-C arrives as a
    // key and quits in order), no output processing (lines end in \r\n).
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN);
    raw.c_iflag &= ~tcflag_t(IXON | ICRNL);
    raw.c_oflag &= ~tcflag_t(OPOST);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    if (::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0) throw std::runtime_error("cannot set the terminal to raw mode");
    write_all("\x1b[?1049h\x1b[?25l");  // the alternate screen; no cursor
}

terminal::~terminal() {
    write_all("\x1b[?25h\x1b[?1049l");
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
}

int terminal::rows() const {
    winsize w{};
    return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_row > 0 ? w.ws_row : 24;
}

int terminal::cols() const {
    winsize w{};
    return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0 ? w.ws_col : 80;
}

void terminal::draw(const std::string& text) { write_all("\x1b[H\x1b[2J" + text); }

std::optional<char> terminal::read_key(int timeout_ms) {
    pollfd p{STDIN_FILENO, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    char c = 0;
    if (::read(STDIN_FILENO, &c, 1) != 1) return std::nullopt;
    return c;
}

}  // namespace weft::tools::observe
