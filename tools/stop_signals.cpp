// stop_signals.cpp: see stop_signals.hpp.
#include "tools/stop_signals.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace weft::tools {

namespace {

sigset_t stop_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

stop_signals::stop_signals(std::function<void(int)> on_stop) : on_stop_(std::move(on_stop)) {
    sigset_t set = stop_set();
    if (int err = pthread_sigmask(SIG_BLOCK, &set, nullptr))
        throw std::runtime_error(std::string("cannot block SIGINT and SIGTERM: ") + std::strerror(err));
    signal_fd_ = signalfd(-1, &set, SFD_CLOEXEC);
    quit_fd_ = eventfd(0, EFD_CLOEXEC);
    if (signal_fd_ < 0 || quit_fd_ < 0)
        throw std::runtime_error(std::string("cannot watch SIGINT and SIGTERM: ") + std::strerror(errno));
    watcher_ = std::thread([this] { watch(); });
}

stop_signals::~stop_signals() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(quit_fd_, &one, sizeof one);
    watcher_.join();
    ::close(signal_fd_);
    ::close(quit_fd_);
}

void stop_signals::watch() {
    bool stopping = false;
    for (;;) {
        pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {quit_fd_, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents) return;
        signalfd_siginfo info;
        if (::read(signal_fd_, &info, sizeof info) != ssize_t(sizeof info)) continue;
        int signo = int(info.ssi_signo);
        if (stopping) {  // a second signal: no more waiting for actors
            std::fflush(stdout);
            ::_exit(128 + signo);
        }
        stopping = true;
        on_stop_(signo);
    }
}

}  // namespace weft::tools
