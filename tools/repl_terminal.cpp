// repl_terminal.cpp: the shell's line readers (see repl_terminal.hpp).
//
// libedit's readline interface is C with process-wide state: the completion
// callback takes no pointer of ours, and a signal handler can only set a
// flag. So this file, and nothing else in the tool, keeps file-static
// variables: the completer of the one terminal reader that exists (set and
// cleared by that reader), the matches of the completion in progress
// (between libedit's calls for them), the flag SIGINT sets with the pipe
// that wakes the key reader, and the terminal's settings to put back when
// SIGTERM or SIGHUP ends the process. All but the last three are touched
// only by the thread that reads the terminal.
//
// Why a key reader of our own (rl_getc_function): libedit retries a read
// that a signal interrupted, and a Ctrl-C that lands while it draws (not
// in read) would wait for the next key. Ours polls the terminal and the
// wake pipe together, so a Ctrl-C always ends the line at once.
#include "tools/repl_terminal.hpp"

#include <editline/readline.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace weft::tools {

namespace {

// -- pipe ------------------------------------------------------------------------------

class pipe_reader final : public line_reader {
public:
    status read(const std::string&, std::string& line) override {
        if (!std::getline(std::cin, line)) return status::eof;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return status::line;
    }
};

// -- terminal --------------------------------------------------------------------------

// The completer of the terminal reader that exists, for libedit's callbacks.
const completer* active_completer = nullptr;
// Set by SIGINT (Ctrl-C); read and cleared by the reader. The handler also
// writes a byte to the wake pipe, which the key reader polls.
volatile std::sig_atomic_t sigint_seen = 0;
int wake_pipe[2] = {-1, -1};

extern "C" void on_sigint(int) {
    sigint_seen = 1;
    if (wake_pipe[1] >= 0) {
        int saved = errno;
        [[maybe_unused]] ssize_t n = ::write(wake_pipe[1], "!", 1);
        errno = saved;
    }
}

// The terminal's settings before the shell changed them, for a SIGTERM or
// SIGHUP that ends the process (tcsetattr may be called in a handler).
termios tty_at_start{};
volatile std::sig_atomic_t tty_changed = 0;

extern "C" void on_end_signal(int signo) {
    if (tty_changed) ::tcsetattr(STDIN_FILENO, TCSANOW, &tty_at_start);
    std::signal(signo, SIG_DFL);  // and end as that signal would have
    ::raise(signo);
}

// libedit's next key: EOF once Ctrl-C was pressed (readline then returns,
// and the reader sees the flag), else the next byte of the terminal.
int read_key(FILE*) {
    for (;;) {
        if (sigint_seen) return EOF;
        pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return EOF;
        }
        if (fds[1].revents & POLLIN) {
            char drain[64];
            while (::read(wake_pipe[0], drain, sizeof drain) > 0) {
            }
            continue;
        }
        unsigned char c;
        ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n == 1) return c;
        if (n < 0 && errno == EINTR) continue;
        return EOF;
    }
}

// libedit calls it with state 0, 1, 2 ... for each match until it returns
// null; each match is malloc'd (libedit frees it).
std::vector<std::string> pending_matches;  // filled at state 0, for the calls that follow
char* next_match(const char*, int state) {
    if (state == 0) std::reverse(pending_matches.begin(), pending_matches.end());
    if (pending_matches.empty()) return nullptr;
    std::string m = std::move(pending_matches.back());
    pending_matches.pop_back();
    return ::strdup(m.c_str());
}

char** complete_word(const char* text, int, int) {
    rl_attempted_completion_over = 1;  // no file names when we have nothing
    if (!active_completer) return nullptr;
    std::vector<std::string> words = (*active_completer)(text);
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    pending_matches = std::move(words);
    return rl_completion_matches(text, next_match);
}

class terminal_reader final : public line_reader {
public:
    terminal_reader(completer complete, std::string history_file)
        : complete_(std::move(complete)), history_file_(std::move(history_file)) {
        active_completer = &complete_;
        rl_readline_name = "weft";
        // Dots stay in the word: "math.sq" completes to "math.sqrt".
        static char breaks[] = " \t\n\"'`@$><=;|&{}()[],+-*/%^~!:";
        rl_completer_word_break_characters = breaks;
        rl_basic_word_break_characters = breaks;
        rl_attempted_completion_function = complete_word;
        rl_completion_append_character = 0;  // a name is followed by "(" or ".", not a space
        rl_catch_signals = 0;                // Ctrl-C is ours: it abandons the line
        // libedit prints its prompt before it puts the terminal in raw mode:
        // a Ctrl-D typed right after the prompt would meet the terminal's
        // own end-of-file handling, which drops it. Without VEOF it stays a
        // key, and libedit's binding (end of input on an empty line) reads it.
        if (::tcgetattr(STDIN_FILENO, &saved_tty_) == 0) {
            termios t = saved_tty_;
            t.c_cc[VEOF] = _POSIX_VDISABLE;
            tty_at_start = saved_tty_;
            have_tty_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
            tty_changed = have_tty_;
            if (have_tty_) {
                struct sigaction end{};
                end.sa_handler = on_end_signal;
                sigemptyset(&end.sa_mask);
                sigaction(SIGTERM, &end, &old_sigterm_);
                sigaction(SIGHUP, &end, &old_sighup_);
            }
        }
        if (wake_pipe[0] < 0 && ::pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) wake_pipe[0] = wake_pipe[1] = -1;
        if (wake_pipe[0] >= 0) rl_getc_function = read_key;
        rl_initialize();
        stifle_history(1000);
        if (!history_file_.empty()) ::read_history(history_file_.c_str());
        // Without SA_RESTART: the terminal read returns, and the line is abandoned.
        struct sigaction sa{};
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_sigint_);
    }

    ~terminal_reader() override {
        sigaction(SIGINT, &old_sigint_, nullptr);
        active_completer = nullptr;
        rl_getc_function = nullptr;
        if (have_tty_) {
            sigaction(SIGTERM, &old_sigterm_, nullptr);
            sigaction(SIGHUP, &old_sighup_, nullptr);
            tty_changed = 0;
            ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty_);
        }
        for (int& fd : wake_pipe) {
            if (fd >= 0) ::close(fd);
            fd = -1;
        }
    }

    status read(const std::string& prompt, std::string& line) override {
        sigint_seen = 0;
        char* got = ::readline(prompt.c_str());
        if (sigint_seen) {
            sigint_seen = 0;
            std::free(got);
            std::fputs("\n", stdout);
            std::fflush(stdout);
            return status::interrupted;
        }
        if (!got) {
            std::fputs("\n", stdout);  // the shell's prompt starts on a line of its own
            std::fflush(stdout);
            return status::eof;
        }
        line = got;
        std::free(got);
        return status::line;
    }

    void remember(const std::string& input) override {
        std::string entry = input;
        while (!entry.empty() && entry.back() == '\n') entry.pop_back();
        if (entry.empty()) return;
        ::add_history(entry.c_str());
        // Written after each input, so that a shell that is killed keeps it.
        if (!history_file_.empty()) ::write_history(history_file_.c_str());
    }

    bool interrupted() override {
        if (!sigint_seen) return false;
        sigint_seen = 0;
        return true;
    }

private:
    completer complete_;
    std::string history_file_;
    struct sigaction old_sigint_{}, old_sigterm_{}, old_sighup_{};
    termios saved_tty_{};
    bool have_tty_ = false;
};

}  // namespace

std::unique_ptr<line_reader> make_pipe_reader() { return std::make_unique<pipe_reader>(); }

std::unique_ptr<line_reader> make_terminal_reader(completer complete, std::string history_file) {
    return std::make_unique<terminal_reader>(std::move(complete), std::move(history_file));
}

std::string default_history_file() {
    const char* home = std::getenv("HOME");
    if (!home || !*home) return "";
    std::string folder = std::string(home) + "/.weft";
    struct stat st{};
    if (::stat(folder.c_str(), &st) != 0 && ::mkdir(folder.c_str(), 0700) != 0) return "";
    return folder + "/history";
}

}  // namespace weft::tools
