// source_file.cpp: POSIX reads, so that the reason for a failure (errno) is
// never lost, and a directory is refused up front rather than read as empty.
#include "tools/source_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace weft::tools {

namespace {

std::string cannot_read(const std::string& path, const std::string& reason) {
    return "cannot read '" + path + "': " + reason;
}

}  // namespace

std::optional<source_file> read_source_file(const std::string& path, std::string& error) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = cannot_read(path, std::strerror(errno));
        return std::nullopt;
    }
    auto fail = [&](const std::string& reason) -> std::optional<source_file> {
        ::close(fd);
        error = cannot_read(path, reason);
        return std::nullopt;
    };
    struct stat st {};
    if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return fail(std::strerror(EISDIR));
    if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_source_bytes)
        return fail("file too large (more than 256 MiB)");

    source_file f;
    f.path = path;
    if (S_ISREG(st.st_mode)) f.text.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(std::strerror(errno));
        }
        if (n == 0) break;
        if (f.text.size() + static_cast<std::size_t>(n) > max_source_bytes)
            return fail("file too large (more than 256 MiB)");
        f.text.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return f;
}

}  // namespace weft::tools
