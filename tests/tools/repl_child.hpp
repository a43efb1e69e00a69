// repl_child.hpp: `weft repl` run as a child process for the shell's tests:
// on a pseudo-terminal (what a person at a terminal sees: prompts, echo,
// libedit) or on pipes (what a script sees). Each child gets a HOME of its
// own, so that its history file is the test's to look at.
//
// No timing assertions: reading waits (generously) for the text a test
// expects, never for a deadline that the test checks.
#pragma once
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace weft::test {

class repl_child {
public:
    enum class mode { terminal, pipes };

    explicit repl_child(mode m, std::vector<std::string> args = {"repl", "--threads", "2"}, bool with_home = true) {
        home_ = std::filesystem::path(::testing::TempDir()) /
                ("weft_repl_home_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
        std::filesystem::remove_all(home_);
        std::filesystem::create_directories(home_);
        std::vector<std::string> argv{WEFT_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        auto exec = [&] {
            if (with_home) ::setenv("HOME", home_.c_str(), 1);
            else ::unsetenv("HOME");
            ::setenv("TERM", "xterm", 1);
            std::vector<char*> raw;
            for (auto& a : argv) raw.push_back(a.data());
            raw.push_back(nullptr);
            ::execv(WEFT_BINARY, raw.data());
            ::_exit(127);
        };
        if (m == mode::terminal) {
            winsize ws{24, 200, 0, 0};  // wide: no line of a test wraps
            pid_ = ::forkpty(&out_, nullptr, nullptr, &ws);
            if (pid_ == 0) exec();
            in_ = out_;
        } else {
            int to[2], from[2];
            if (::pipe(to) != 0 || ::pipe(from) != 0) std::abort();
            pid_ = ::fork();
            if (pid_ == 0) {
                ::dup2(to[0], 0);
                ::dup2(from[1], 1);
                ::dup2(from[1], 2);
                ::close(to[0]), ::close(to[1]), ::close(from[0]), ::close(from[1]);
                exec();
            }
            ::close(to[0]);
            ::close(from[1]);
            in_ = to[1];
            out_ = from[0];
        }
    }
    ~repl_child() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (in_ != out_ && in_ >= 0) ::close(in_);
        ::close(out_);
        std::filesystem::remove_all(home_);
    }

    const std::filesystem::path& home() const { return home_; }
    // The terminal's side that the test holds (mode::terminal): its settings
    // are the child's terminal's.
    int terminal() const { return out_; }
    void signal(int signo) { ::kill(pid_, signo); }

    // Types (writes) text as it is: "\n" ends a line, "\t" asks for completion.
    void type(const std::string& text) {
        std::size_t done = 0;
        while (done < text.size()) {
            ssize_t n = ::write(in_, text.data() + done, text.size() - done);
            if (n <= 0) return;
            done += std::size_t(n);
        }
    }
    // Pipes only: the end of the input.
    void close_input() {
        ::close(in_);
        in_ = -1;
    }

    // Reads until `text` appears after what earlier waits consumed (true),
    // or the output ends or a minute passes (false). Consumes through it.
    bool wait_for(const std::string& text) {
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (;;) {
            if (auto at = got_.find(text, seen_); at != std::string::npos) {
                seen_ = at + text.size();
                return true;
            }
            if (std::chrono::steady_clock::now() > give_up) return false;
            if (!read_some(1000)) return false;
        }
    }
    // Everything read so far, and what came after the last wait.
    const std::string& output() const { return got_; }
    std::string unread() const { return got_.substr(seen_); }

    // Reads to the end of the output, then the exit status (-1: a signal,
    // or still running after two minutes, then killed).
    int finish() {
        auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (std::chrono::steady_clock::now() < give_up && read_some(1000)) {
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == 0) {  // still running: it has had its chance
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    // False at the end of the output (a pty says EIO once the child is gone).
    bool read_some(int timeout_ms) {
        pollfd p{out_, POLLIN, 0};
        int r = ::poll(&p, 1, timeout_ms);
        if (r == 0) return true;  // nothing yet: the caller's deadline decides
        if (r < 0) return errno == EINTR;
        char buf[4096];
        ssize_t n = ::read(out_, buf, sizeof buf);
        if (n <= 0) return false;
        got_.append(buf, std::size_t(n));
        return true;
    }

    static inline int counter_ = 0;
    std::filesystem::path home_;
    pid_t pid_ = -1;
    int in_ = -1, out_ = -1;
    bool reaped_ = false;
    std::string got_;
    std::size_t seen_ = 0;
};

}  // namespace weft::test
