// console.cpp: see console.hpp.
#include "tools/console.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace weft::tools {

namespace {
// How long a printed line may wait in the buffer for company.
constexpr auto flush_delay = std::chrono::milliseconds(50);
}  // namespace

console::console() {
    // A pipe or a file gets a bigger buffer than stdio's 4 KiB: fewer writes
    // when a program prints a lot. A terminal keeps its line buffering.
    if (!::isatty(STDOUT_FILENO)) std::setvbuf(stdout, nullptr, _IOFBF, 64 * 1024);
    flusher_ = std::thread([this] { flusher_main(); });
}

console::~console() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    flusher_.join();
    std::fflush(stdout);
}

void console::write(std::string_view text, bool flush_now) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (flush_now) {
        std::fflush(stdout);
        return;
    }
    if (!dirty_.exchange(true, std::memory_order_acq_rel)) {
        std::lock_guard<std::mutex> lock(mutex_);  // so the notify cannot fall between check and wait
        wake_.notify_one();
    }
}

void console::report(std::string_view text) {
    std::fflush(stdout);
    std::fwrite(text.data(), 1, text.size(), stderr);  // stderr is unbuffered: one write
    std::fflush(stderr);
}

void console::flush() { std::fflush(stdout); }

void console::flusher_main() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || dirty_.load(std::memory_order_acquire); });
        if (stopping_) return;
        // Let more lines join this write; a stop ends the wait early.
        wake_.wait_for(lock, flush_delay, [this] { return stopping_; });
        dirty_.store(false, std::memory_order_release);
        lock.unlock();
        std::fflush(stdout);
        lock.lock();
    }
}

}  // namespace weft::tools
