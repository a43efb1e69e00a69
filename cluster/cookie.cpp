// cookie.cpp: finding, creating and reading the cookie file.
//
// The file is checked through the descriptor it is read from (fstat after
// open), so the mode checked is the mode of the bytes read. A new default
// cookie is written whole to a private temporary file and then linked to its
// name, which fails if the name exists: two nodes starting at once on a fresh
// account end up with one cookie, and neither ever reads a half-written file.
#include "cluster/cookie.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace weft::cluster {

namespace {

constexpr std::size_t cookie_random_bytes = 16;  // 128 bits

std::string where(const cookie_location& loc) { return "cookie file " + loc.path + " " + describe(loc.origin); }

std::string errno_text(int e) { return std::strerror(e); }

std::string octal_mode(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

// Closes a descriptor on every way out.
class fd_guard {
public:
    explicit fd_guard(int fd) : fd_(fd) {}
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    ~fd_guard() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }

private:
    int fd_;
};

bool write_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string fresh_cookie_text() {
    unsigned char bytes[cookie_random_bytes];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        throw cookie_error("cannot make a new cookie: OpenSSL's random generator failed");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned char b : bytes) {
        text += hex[b >> 4];
        text += hex[b & 15];
    }
    text += '\n';
    return text;
}

// Writes a new default cookie at loc.path unless a file is already there.
void create_default_cookie(const cookie_location& loc) {
    std::string dir = loc.path.substr(0, loc.path.rfind('/'));
    if (!dir.empty()) {
        if (::mkdir(dir.c_str(), 0700) == 0) {
            ::chmod(dir.c_str(), 0700);  // exactly 0700, whatever the umask
        } else if (errno != EEXIST) {
            int e = errno;
            throw cookie_error("cannot create the folder " + dir + " for the " + where(loc) + ": " + errno_text(e));
        }
    }
    std::string text = fresh_cookie_text();

    std::string temp = dir + "/.cookie.XXXXXX";
    std::vector<char> temp_name(temp.begin(), temp.end());
    temp_name.push_back('\0');
    fd_guard fd(::mkstemp(temp_name.data()));
    if (fd.get() < 0) {
        int e = errno;
        throw cookie_error("cannot create the " + where(loc) + " (a temporary file in " + dir + "): " + errno_text(e));
    }
    temp.assign(temp_name.data());
    bool written = ::fchmod(fd.get(), 0600) == 0 && write_all(fd.get(), text) && ::fsync(fd.get()) == 0;
    int write_errno = errno;
    ::close(fd.release());
    if (!written) {
        ::unlink(temp.c_str());
        throw cookie_error("cannot write the " + where(loc) + ": " + errno_text(write_errno));
    }
    int linked = ::link(temp.c_str(), loc.path.c_str());
    int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked == 0 || link_errno == EEXIST) return;  // EEXIST: another process made it first; use theirs
    if (link_errno != EPERM && link_errno != ENOTSUP && link_errno != EOPNOTSUPP) {
        throw cookie_error("cannot create the " + where(loc) + ": " + errno_text(link_errno));
    }
    // A file system without hard links: create the name itself, exclusively.
    fd_guard direct(::open(loc.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (direct.get() < 0) {
        if (errno == EEXIST) return;
        int e = errno;
        throw cookie_error("cannot create the " + where(loc) + ": " + errno_text(e));
    }
    if (::fchmod(direct.get(), 0600) != 0 || !write_all(direct.get(), text)) {
        int e = errno;
        ::unlink(loc.path.c_str());
        throw cookie_error("cannot write the " + where(loc) + ": " + errno_text(e));
    }
}

bool is_trailing_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

cookie_environment cookie_environment::from_process() {
    cookie_environment env;
    if (const char* file = std::getenv("WEFT_COOKIE_FILE"); file != nullptr && *file != '\0') env.cookie_file = file;
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        env.home = home;
    } else {
        long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
        std::vector<char> buf(size > 0 ? static_cast<std::size_t>(size) : 16384);
        passwd pw{};
        passwd* found = nullptr;
        if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
            found->pw_dir != nullptr && *found->pw_dir != '\0') {
            env.home = found->pw_dir;
        }
    }
    return env;
}

const char* describe(cookie_origin origin) {
    switch (origin) {
        case cookie_origin::flag: return "(from --cookie-file)";
        case cookie_origin::environment: return "(from $WEFT_COOKIE_FILE)";
        case cookie_origin::default_file: break;
    }
    return "(the default)";
}

cookie_location locate_cookie(const std::optional<std::string>& cookie_file_flag, const cookie_environment& env) {
    if (cookie_file_flag) {
        if (cookie_file_flag->empty()) throw cookie_error("--cookie-file is empty: give the path of a cookie file");
        return {*cookie_file_flag, cookie_origin::flag};
    }
    if (env.cookie_file && !env.cookie_file->empty()) return {*env.cookie_file, cookie_origin::environment};
    if (!env.home || env.home->empty()) {
        throw cookie_error(
            "cannot find the default cookie file ~/.weft/cookie: $HOME is not set and the password database "
            "has no home directory for this user; give --cookie-file F or set $WEFT_COOKIE_FILE");
    }
    std::string home = *env.home;
    while (home.size() > 1 && home.back() == '/') home.pop_back();
    if (home == "/") home.clear();
    return {home + "/.weft/cookie", cookie_origin::default_file};
}

std::string read_cookie(const cookie_location& loc) {
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;  // O_NONBLOCK: a FIFO must not hang us
    int raw = ::open(loc.path.c_str(), flags);
    if (raw < 0 && errno == ENOENT && loc.origin == cookie_origin::default_file) {
        create_default_cookie(loc);
        raw = ::open(loc.path.c_str(), flags);
    }
    fd_guard fd(raw);
    if (fd.get() < 0) {
        int e = errno;
        if (e == ENOENT) throw cookie_error(where(loc) + " does not exist");
        throw cookie_error(where(loc) + " cannot be opened: " + errno_text(e));
    }
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0) {
        int e = errno;
        throw cookie_error(where(loc) + " cannot be examined: " + errno_text(e));
    }
    if (!S_ISREG(st.st_mode)) throw cookie_error(where(loc) + " is not a regular file");
    if ((st.st_mode & 077) != 0) {
        throw cookie_error(where(loc) + " is readable or writable by group or others (mode " + octal_mode(st.st_mode) +
                           "): run chmod 600 " + loc.path);
    }
    const std::string too_big = " bytes: at most " + std::to_string(max_cookie_file_bytes);
    if (static_cast<std::uintmax_t>(st.st_size) > max_cookie_file_bytes) {
        throw cookie_error(where(loc) + " is " + std::to_string(st.st_size) + too_big);
    }
    // Read one byte more than allowed, to notice a file that grew since fstat.
    std::string cookie(max_cookie_file_bytes + 1, '\0');
    std::size_t got = 0;
    while (got < cookie.size()) {
        ssize_t n = ::read(fd.get(), cookie.data() + got, cookie.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            throw cookie_error(where(loc) + " cannot be read: " + errno_text(e));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > max_cookie_file_bytes) throw cookie_error(where(loc) + " is over" + too_big);
    cookie.resize(got);
    while (!cookie.empty() && is_trailing_space(cookie.back())) cookie.pop_back();
    if (cookie.empty()) throw cookie_error(where(loc) + " is empty");
    return cookie;
}

std::string load_cookie(const std::optional<std::string>& cookie_file_flag, const cookie_environment& env) {
    return read_cookie(locate_cookie(cookie_file_flag, env));
}

}  // namespace weft::cluster
