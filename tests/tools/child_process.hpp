// child_process.hpp: a command (usually the `weft` binary) run as a child
// process for the tools' tests, its stdout (and stderr, when merged) read
// through a pipe.
//
// No timing assertions: reading waits (generously) for the text a test
// expects, never for a deadline that the test checks.
#pragma once
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace weft::test {

class child_process {
public:
    explicit child_process(std::vector<std::string> args, bool merge_stderr = true) {
        int fds[2];
        EXPECT_EQ(::pipe(fds), 0);
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(fds[1], 1);
            if (merge_stderr) ::dup2(fds[1], 2);
            ::close(fds[0]);
            ::close(fds[1]);
            std::vector<char*> argv;
            for (std::string& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        out_ = fds[0];
    }
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;
    ~child_process() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(out_);
    }

    // Reads until `re` matches the output (its match), or the pipe ends or
    // two minutes pass (nullopt).
    std::optional<std::smatch> read_until(const std::regex& re) {
        std::smatch m;
        if (read_while([&] { return !std::regex_search(got_, m, re); })) return m;
        return std::nullopt;
    }
    // Reads until `text` has arrived (true), or the pipe ends or two minutes pass.
    bool read_until(const std::string& text) {
        return read_while([&] { return got_.find(text) == std::string::npos; });
    }
    bool still_running() { return ::waitpid(pid_, nullptr, WNOHANG) == 0; }
    void signal(int signo) { ::kill(pid_, signo); }
    // Reads to the end of the output, then the exit status (-1: killed by a signal).
    int finish() {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(out_, buf, sizeof buf)) > 0) got_.append(buf, std::size_t(n));
        int status = 0;
        ::waitpid(pid_, &status, 0);
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    const std::string& output() const { return got_; }

private:
    template <class Pending>
    bool read_while(Pending pending) {
        auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
        while (pending()) {
            if (std::chrono::steady_clock::now() > give_up) return false;
            pollfd p{out_, POLLIN, 0};
            if (::poll(&p, 1, 1000) <= 0) continue;
            char buf[4096];
            ssize_t n = ::read(out_, buf, sizeof buf);
            if (n <= 0) return false;
            got_.append(buf, std::size_t(n));
        }
        return true;
    }

    pid_t pid_ = -1;
    int out_ = -1;
    bool reaped_ = false;
    std::string got_;
};

// Runs a command to its end: (exit status, stdout and stderr merged).
inline std::pair<int, std::string> run_to_end(std::vector<std::string> args) {
    child_process c(std::move(args));
    int status = c.finish();
    return {status, c.output()};
}

}  // namespace weft::test
