// failure_log_limiter.hpp: how many failed handshakes from one address get logged.
//
// A peer with a wrong cookie, or a scanner, may retry many times a second; each
// failure is worth a log line, but only the first few. For each peer address
// the limiter lets `lines_per_window` lines through per window (a minute by
// default), counts the rest, and reports that count with the next line it lets
// through or from expire(). It must never read a clock (the caller passes the
// time, so tests need no waiting), keep global state (the connection layer owns
// one), or grow without bound however many addresses fail.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace weft::cluster {

class failure_log_limiter {
public:
    using clock = std::chrono::steady_clock;

    struct limits {
        std::size_t lines_per_window = 5;
        clock::duration window = std::chrono::minutes(1);
        // Addresses tracked at once; failures from further addresses share one
        // more entry, the address "", until the tracked ones' windows end.
        std::size_t max_addresses = 1024;
    };

    struct verdict {
        bool log = false;             // write this failure's line
        std::uint64_t suppressed = 0;  // when logging: lines held back for this address since its last line
    };

    failure_log_limiter() : failure_log_limiter(limits{}) {}
    explicit failure_log_limiter(limits l) : limits_(l) {}

    // A handshake from `address` failed at `now`: should it be logged?
    verdict on_failure(std::string_view address, clock::time_point now);

    // Forgets addresses whose window has ended by `now`, returning those that
    // had lines held back and not yet reported, with their counts (to log as
    // "N more failed handshakes from ADDRESS").
    std::vector<std::pair<std::string, std::uint64_t>> expire(clock::time_point now);

    std::size_t tracked() const { return entries_.size(); }

private:
    struct entry {
        clock::time_point window_start;
        std::size_t logged = 0;          // lines let through in this window
        std::uint64_t suppressed = 0;    // lines held back since the last one let through
    };

    limits limits_;
    std::unordered_map<std::string, entry> entries_;
};

}  // namespace weft::cluster
