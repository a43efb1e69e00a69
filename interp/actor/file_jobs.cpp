// file_jobs.cpp: see file_jobs.hpp.
#include "interp/actor/file_jobs.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

#include "interp/actor/file_call.hpp"

namespace weft::interp::bi {
namespace {

// One read of up to `want` bytes appended to c.got: n, or -errno. With
// `nowait`, -EAGAIN when the bytes are not in the page cache.
ssize_t read_once(file_channel& c, std::size_t want, bool nowait) {
    std::size_t had = c.got.size();
    c.got.resize(had + want);
    for (;;) {
        iovec v{c.got.data() + had, want};
        ssize_t n = nowait ? ::preadv2(c.fd, &v, 1, -1, RWF_NOWAIT) : ::readv(c.fd, &v, 1);
        if (n < 0 && errno == EINTR) continue;
        c.got.resize(had + (n > 0 ? std::size_t(n) : 0));
        if (n < 0) return -errno;
        return n;
    }
}

// read_job and read_cached: nullopt only with `nowait`.
std::optional<term> read_into(file_channel& c, bool whole, std::size_t limit, std::size_t buffered, bool nowait) {
    std::size_t want = read_chunk;
    if (whole) {
        struct stat st{};
        if (::fstat(c.fd, &st) == 0 && st.st_size > 0) {
            off_t at = ::lseek(c.fd, 0, SEEK_CUR);
            std::uint64_t size = std::uint64_t(st.st_size), done = at > 0 ? std::uint64_t(at) : 0;
            std::uint64_t left = done < size ? size - done : 0;
            if (left + c.got.size() + buffered > limit) return file_too_large(left + c.got.size() + buffered);
            want = std::size_t(left) + 1;
        }
    }
    for (;;) {
        ssize_t n = read_once(c, want, nowait);
        // Not cached, or a file system that cannot say (EOPNOTSUPP): the pool reads it.
        if (nowait && (n == -EAGAIN || n == -EOPNOTSUPP || n == -ENOSYS)) return std::nullopt;
        if (n < 0) return file_error(int(-n));
        c.eof = n == 0;
        if (!whole || n == 0) return file_ok(term());
        if (c.got.size() + buffered > limit) {  // a file that does not tell its size (/dev/zero, a pipe)
            std::size_t got = c.got.size();
            c.got.clear();
            return file_too_large(got + buffered);
        }
        want = read_chunk;
    }
}

// After a reading open: a directory is refused (as Python's open), and a
// regular file read whole at once needs no second trip to learn its end.
std::optional<term> first_chunk(file_channel& c, const std::string& path, bool nowait) {
    struct stat st{};
    if (::fstat(c.fd, &st) != 0) return file_error(errno, path);
    if (S_ISDIR(st.st_mode)) return file_error(EISDIR, path);
    std::optional<term> first = read_into(c, false, 0, 0, nowait);
    if (first && S_ISREG(st.st_mode) && c.got.size() >= std::size_t(st.st_size)) c.eof = true;
    return first;
}

}  // namespace

file_channel::~file_channel() {
    if (fd >= 0) ::close(fd);
}

term read_job(std::shared_ptr<file_channel> c, bool whole, std::size_t limit, std::size_t buffered) {
    return *read_into(*c, whole, limit, buffered, false);
}

std::optional<term> read_cached(file_channel& c, bool whole, std::size_t limit, std::size_t buffered) {
    return read_into(c, whole, limit, buffered, true);
}

term write_job(std::shared_ptr<file_channel> c, std::string bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
        ssize_t n = ::write(c->fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return file_error(errno);
        done += std::size_t(n);
    }
    return file_ok(term());
}

term open_job(std::shared_ptr<file_channel> c, std::string path, int flags, bool reading) {
    int fd;
    do fd = ::open(path.c_str(), flags | O_CLOEXEC, 0666);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) return file_error(errno, path);
    c->fd = fd;
    if (!reading) return file_ok(term());
    return *first_chunk(*c, path, false);
}

std::optional<term> open_cached(file_channel& c, const std::string& path, int flags) {
    open_how how{};
    how.flags = std::uint64_t(flags | O_CLOEXEC);
    how.resolve = RESOLVE_CACHED;
    long fd = ::syscall(SYS_openat2, AT_FDCWD, path.c_str(), &how, sizeof how);
    if (fd < 0) {
        // EAGAIN: not all in the dentry cache. ENOSYS, EINVAL: a kernel
        // before 5.12, which has no RESOLVE_CACHED. Any other error is the
        // answer (a missing file's negative entry is cached too).
        if (errno == EAGAIN || errno == ENOSYS || errno == EINVAL || errno == EINTR) return std::nullopt;
        return file_error(errno, path);
    }
    c.fd = int(fd);
    std::optional<term> first = first_chunk(c, path, true);
    if (!first) {  // the bytes are not cached: the pool opens and reads it all again
        ::close(c.fd);
        c.fd = -1;
        c.got.clear();
        c.eof = false;
    }
    return first;
}

}  // namespace weft::interp::bi
