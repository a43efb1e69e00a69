// stop_signals.hpp: SIGINT and SIGTERM as requests to stop a running program
// in order (LANGUAGE.md, "Programs": actors killed, output flushed, status
// 130 or 143), rather than the default death that loses buffered output.
//
// The signals are blocked in every thread (the mask is set before the
// runtime starts its threads, which inherit it) and read from a signalfd by
// one watcher thread, so a signal never interrupts a worker in the middle of
// something and no handler has to be async-signal-safe. The first signal
// calls `on_stop` on the watcher thread; a second one means the stop is not
// going fast enough: stdout is flushed and the process exits at once.
#pragma once
#include <functional>
#include <thread>

namespace weft::tools {

class stop_signals {
public:
    // Call before any other thread starts. `on_stop(signo)` runs on the
    // watcher thread, at most once.
    explicit stop_signals(std::function<void(int signo)> on_stop);
    ~stop_signals();  // stops the watcher; the signals stay blocked
    stop_signals(const stop_signals&) = delete;
    stop_signals& operator=(const stop_signals&) = delete;

private:
    void watch();

    std::function<void(int)> on_stop_;
    int signal_fd_ = -1;
    int quit_fd_ = -1;  // an eventfd: the destructor's way to end watch()
    std::thread watcher_;
};

}  // namespace weft::tools
