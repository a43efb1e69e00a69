// file_jobs.hpp: the system calls behind a file (file_object.cpp): open,
// read and write, each as a job for the file pool (file_call.hpp), and open
// and read also in the actor's own thread when the kernel's caches can
// answer at once.
//
// A trip to the pool costs two thread hand-offs (about 30 us here) where a
// cached open or read costs a few. openat2's RESOLVE_CACHED and preadv2's
// RWF_NOWAIT make the kernel say EAGAIN instead of waiting for a disk: then,
// and only then, the pool does the call. So a file that is in the page
// cache (most files a build tool reads) opens and reads without leaving the
// worker, and a file that is not never blocks one.
//
// A job touches only the channel it captured, while its actor waits for it;
// the in-place calls touch it while no job runs. Nothing here knows the
// script's values.
#pragma once
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "serialize/term.hpp"

namespace weft::interp::bi {

inline constexpr std::size_t read_chunk = std::size_t(64) << 10;

// What a file's jobs share with it: the descriptor, and the bytes a read
// brought. The descriptor closes with the last holder.
struct file_channel {
    int fd = -1;
    std::string got;   // what the last read brought
    bool eof = false;  // the last read found the end
    file_channel() = default;
    file_channel(const file_channel&) = delete;
    file_channel& operator=(const file_channel&) = delete;
    ~file_channel();
};

// Reads a chunk into c.got, or (`whole`) all that is left; a whole read of
// more than `limit` bytes (with the `buffered` ones it would return too)
// answers file_too_large instead. A failed read names no file, as
// Python's. The pool's job:
term read_job(std::shared_ptr<file_channel> c, bool whole, std::size_t limit, std::size_t buffered = 0);
// The same in this thread, or nullopt when the rest is not in the page
// cache (what it read so far stays in c.got, for the job to go on from).
std::optional<term> read_cached(file_channel& c, bool whole, std::size_t limit, std::size_t buffered);

term write_job(std::shared_ptr<file_channel> c, std::string bytes);

// Opens `path` with `flags` and, when `reading`, reads the first chunk.
term open_job(std::shared_ptr<file_channel> c, std::string path, int flags, bool reading);
// The same for reading, in this thread: nullopt when the path or the first
// chunk is not in the kernel's caches (c is then as it was).
std::optional<term> open_cached(file_channel& c, const std::string& path, int flags);

}  // namespace weft::interp::bi
