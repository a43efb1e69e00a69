// node_processes.hpp: weft nodes as child processes for the cluster tests:
// a cookie file, a child with its output on pipes, `weft node` serving
// programs/peer.weft, and a scenario of peer.weft run against it.
#pragma once
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace weft_test {

inline std::string program() { return std::string(WEFT_CLUSTER_PROGRAMS) + "/peer.weft"; }

// A cookie file of the test's, mode 0600.
inline std::string cookie_file(const std::string& text) {
    std::string path = ::testing::TempDir() + "weft_cookie_" + std::to_string(::getpid()) + "_" + text;
    std::ofstream(path) << text << "\n";
    ::chmod(path.c_str(), 0600);
    return path;
}

// A child process with stdout and stderr on pipes.
class process {
public:
    explicit process(std::vector<std::string> args) {
        int out[2], err[2];
        EXPECT_EQ(::pipe(out), 0);
        EXPECT_EQ(::pipe(err), 0);
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], 1);
            ::dup2(err[1], 2);
            for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
            std::vector<char*> argv;
            for (std::string& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        ::close(err[1]);
        out_ = out[0];
        err_ = err[0];
    }
    ~process() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(out_);
        ::close(err_);
    }
    // Reads stdout until it holds `text` (true), or it closes, or a minute passes.
    bool read_until(const std::string& text) {
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (out_text_.find(text) == std::string::npos) {
            if (std::chrono::steady_clock::now() > give_up) return false;
            pollfd p{out_, POLLIN, 0};
            if (::poll(&p, 1, 500) <= 0) continue;
            char buf[4096];
            ssize_t n = ::read(out_, buf, sizeof buf);
            if (n <= 0) return false;
            out_text_.append(buf, std::size_t(n));
        }
        return true;
    }
    // The first line of stdout (a node's name).
    std::string first_line() {
        if (!read_until("\n")) return "";
        return out_text_.substr(0, out_text_.find('\n'));
    }
    void signal(int s) { ::kill(pid_, s); }
    // Everything it printed, then its exit status (-1: killed by a signal).
    int finish() {
        drain(out_, out_text_);
        drain(err_, err_text_);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    const std::string& out() const { return out_text_; }
    const std::string& err() const { return err_text_; }

private:
    static void drain(int fd, std::string& into) {
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0) into.append(buf, std::size_t(n));
    }
    pid_t pid_ = -1;
    int out_ = -1, err_ = -1;
    bool reaped_ = false;
    std::string out_text_, err_text_;
};

// `weft node` serving peer.weft; its name once it listens.
struct node_process {
    process p;
    std::string name;
    // `options`: more of weft's options (--tls-cert ...).
    node_process(const std::string& cookie, const std::string& tick = "1000", const std::string& as = "b@127.0.0.1:0",
                 const std::vector<std::string>& options = {})
        : p(args(cookie, tick, as, options)), name(p.first_line()) {}

private:
    static std::vector<std::string> args(const std::string& cookie, const std::string& tick, const std::string& as,
                                         const std::vector<std::string>& options) {
        std::vector<std::string> a{WEFT_BINARY, "node", "--name", as, "--cookie-file", cookie, "--tick-ms", tick,
                                   "--threads", "2"};
        a.insert(a.end(), options.begin(), options.end());
        a.push_back(program());
        return a;
    }
};

// Connects to a node's port on loopback, writes `bytes` and hangs up, as a
// client that does not speak the protocol. False when it cannot connect.
inline bool write_to_node(const std::string& node_name, const std::string& bytes) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(std::uint16_t(std::stoi(node_name.substr(node_name.rfind(':') + 1))));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    bool connected = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    if (connected) [[maybe_unused]] ssize_t n = ::write(s, bytes.data(), bytes.size());
    ::close(s);
    return connected;
}

// How many times `text` stands in `in`.
inline std::size_t count_of(const std::string& in, const std::string& text) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = in.find(text, at)) != std::string::npos; ++at) ++n;
    return n;
}

struct outcome {
    int status;
    std::string out, err;
};

// Runs `weft run` node a with peer.weft's `scenario`; `options` as for node_process.
inline outcome run_scenario(const std::string& scenario, const std::string& peer, const std::string& cookie,
                            const std::string& tick = "1000", const std::string& third = "",
                            const std::vector<std::string>& options = {}) {
    std::vector<std::string> args{WEFT_BINARY, "run", "--name", "a@127.0.0.1:0", "--cookie-file", cookie,
                                  "--tick-ms", tick, "--threads", "2"};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {program(), scenario, peer});
    if (!third.empty()) args.push_back(third);
    process a(args);
    int status = a.finish();
    return {status, a.out(), a.err()};
}

}  // namespace weft_test
