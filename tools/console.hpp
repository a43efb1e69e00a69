// console.hpp: a running program's stdout and stderr, as LANGUAGE.md
// ("Programs") promises them: a line that print() wrote reaches a pipe or a
// file within 100 ms, `flush=True` writes it at once, and a report on stderr
// (a crash, a traceback) never overtakes the stdout lines printed before it.
//
// print() goes through stdio's buffer, which keeps each call's text whole (one
// fwrite under the FILE's own lock) and a busy program's writes few and large.
// A flusher thread empties it at most 50 ms after the first line that made it
// dirty; it sleeps while nothing is written, so an idle program costs no
// wake-ups. It must never hold its mutex while writing, and print() takes that
// mutex only when it dirties a clean buffer.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string_view>
#include <thread>

namespace weft::tools {

class console {
public:
    console();
    ~console();  // stops the flusher, then flushes
    console(const console&) = delete;
    console& operator=(const console&) = delete;

    // print()'s writer: one whole text per call.
    void write(std::string_view text, bool flush_now);
    // A report for stderr, after everything printed so far reached stdout.
    void report(std::string_view text);
    void flush();

private:
    void flusher_main();

    // Wake-up protocol: a writer that turns dirty_ from false to true notifies
    // the flusher under mutex_; the flusher clears dirty_ *before* it flushes,
    // so a write that lands after the clear dirties the buffer again and
    // wakes it once more, and none is left behind. acq_rel on the exchange
    // orders the writer's fwrite before the flusher's clear and fflush.
    std::atomic<bool> dirty_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // under mutex_
    std::thread flusher_;
};

}  // namespace weft::tools
