// seed_runs.cpp: see seed_runs.hpp.
#include "tools/seed_runs.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace weft::tools {
namespace {

using steady = std::chrono::steady_clock;

struct child {
    seed_run result;
    pid_t pid = -1;
    int out = -1, err = -1;  // read ends; -1 once at end of stream
    steady::time_point deadline;
};

std::runtime_error os_error(const std::string& what, int code) {
    return std::runtime_error(what + ": " + std::strerror(code));
}

// Starts `weft run --deterministic --seed N FILE ARGS...` with its output on two pipes.
child start(const seed_run_plan& plan, std::uint64_t seed) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw os_error("weft test: pipe", errno);
    if (::pipe2(err, O_CLOEXEC) != 0) {
        int code = errno;
        ::close(out[0]), ::close(out[1]);
        throw os_error("weft test: pipe", code);
    }
    std::vector<std::string> words = {plan.weft, "run", "--deterministic", "--seed", std::to_string(seed), plan.file};
    words.insert(words.end(), plan.args.begin(), plan.args.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // The child starts with no signal blocked and SIGPIPE at its default,
    // whatever this process set for itself.
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    child c;
    int code = ::posix_spawn(&c.pid, plan.weft.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]), ::close(err[1]);
    if (code != 0) {
        ::close(out[0]), ::close(err[0]);
        throw os_error("weft test: cannot start " + plan.weft, code);
    }
    c.out = out[0], c.err = err[0];
    c.result.seed = seed;
    c.deadline = steady::now() + plan.timeout;
    return c;
}

// Reads what is there on `fd` into `into`; closes it at end of stream.
void drain(int& fd, std::string& into) {
    char buf[65536];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
        into.append(buf, std::size_t(n));
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        ::close(fd);
        fd = -1;
    }
}

// Waits for the child once both its streams have ended (or it was killed).
void reap(child& c) {
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    c.result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::vector<seed_run> run_seeds(const seed_run_plan& plan) {
    std::vector<child> running;
    std::map<std::uint64_t, seed_run> ended;  // done, not yet passed on in order
    std::vector<seed_run> results;
    std::uint64_t next = plan.first_seed, end = plan.first_seed + plan.count;
    bool go_on = true;
    try {
        while (!running.empty() || (go_on && next < end)) {
            while (go_on && next < end && running.size() < std::max(1u, plan.jobs))
                running.push_back(start(plan, next++));
            std::vector<pollfd> fds;
            for (child& c : running) {
                if (c.out >= 0) fds.push_back({c.out, POLLIN, 0});
                if (c.err >= 0) fds.push_back({c.err, POLLIN, 0});
            }
            if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR) throw os_error("weft test: poll", errno);
            steady::time_point now = steady::now();
            for (std::size_t i = 0; i < running.size();) {
                child& c = running[i];
                for (const pollfd& p : fds) {
                    if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
                    if (p.fd == c.out && c.out >= 0) drain(c.out, c.result.out);
                    else if (p.fd == c.err && c.err >= 0) drain(c.err, c.result.err);
                }
                if (c.out >= 0 || c.err >= 0) {
                    if (now < c.deadline) {
                        ++i;
                        continue;
                    }
                    ::kill(c.pid, SIGKILL);  // its pipes close as it dies
                    c.result.timed_out = true;
                    if (c.out >= 0) ::close(c.out), c.out = -1;
                    if (c.err >= 0) ::close(c.err), c.err = -1;
                }
                reap(c);
                ended.emplace(c.result.seed, std::move(c.result));
                running.erase(running.begin() + std::ptrdiff_t(i));
            }
            // Pass results on in seed order.
            while (!ended.empty() && ended.begin()->first == plan.first_seed + results.size()) {
                results.push_back(std::move(ended.begin()->second));
                ended.erase(ended.begin());
                if (go_on && plan.on_result && !plan.on_result(results.back())) go_on = false;
            }
        }
    } catch (...) {
        for (child& c : running) {
            ::kill(c.pid, SIGKILL);
            if (c.out >= 0) ::close(c.out);
            if (c.err >= 0) ::close(c.err);
            reap(c);
        }
        throw;
    }
    return results;
}

}  // namespace weft::tools
