// png_file.cpp: see png_file.hpp.
#include "tools/trace/png_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace weft::tools {

namespace {

// In order of preference.
constexpr std::array<const char*, 3> converters = {"rsvg-convert", "convert", "inkscape"};

// What the converter said is kept up to this much (its end, where the
// cause usually is).
constexpr std::size_t said_cap = 2000;

bool executable(const std::string& file) {
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(file.c_str(), X_OK) == 0;
}

// A fresh file beside `path` named like it, with `suffix` (so that the
// converters see the extension they expect); its name, or an error.
std::variant<std::string, std::string> reserve_beside(const std::string& path, const char* suffix) {
    std::filesystem::path p(path);
    std::string dir = p.parent_path().empty() ? "." : p.parent_path().string();
    std::string name = dir + "/." + p.filename().string() + ".XXXXXX" + suffix;
    std::vector<char> buf(name.begin(), name.end());
    buf.push_back('\0');
    int fd = ::mkstemps(buf.data(), int(std::strlen(suffix)));
    if (fd < 0)
        return std::variant<std::string, std::string>(std::in_place_index<1>, "cannot write the trace to '" + path +
                                                                                  "': " + std::strerror(errno));
    ::close(fd);
    return std::variant<std::string, std::string>(std::in_place_index<0>, std::string(buf.data()));
}

// mkstemps makes a file only its owner may read; the PNG gets the mode
// any new file would (0666 less the umask).
bool readable_by_all(const std::string& file) {
    mode_t mask = ::umask(0);
    ::umask(mask);
    return ::chmod(file.c_str(), 0666 & ~mask) == 0;
}

// Runs `argv` with stdin from /dev/null and its output on a pipe; the exit
// status (-1: did not run or ended by a signal) and what it printed.
int run(const std::vector<std::string>& argv, std::string& said) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        said = std::string("pipe: ") + std::strerror(errno);
        return -1;
    }
    // Built before the fork: the child only calls what is safe after one.
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t child = ::fork();
    if (child < 0) {
        said = std::string("fork: ") + std::strerror(errno);
        ::close(out[0]);
        ::close(out[1]);
        return -1;
    }
    if (child == 0) {
        int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, 0);
        ::dup2(out[1], 1);
        ::dup2(out[1], 2);
        ::execv(args[0], args.data());
        static const char failed[] = "could not be started\n";
        [[maybe_unused]] ssize_t n = ::write(2, failed, sizeof failed - 1);
        ::_exit(127);
    }
    ::close(out[1]);
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        said.append(buf, std::size_t(n));
        if (said.size() > 2 * said_cap) said.erase(0, said.size() - said_cap);
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (said.size() > said_cap) said.erase(0, said.size() - said_cap);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::optional<png_converter> find_png_converter(std::string_view path_var) {
    std::vector<std::string> dirs;
    for (std::size_t at = 0; at <= path_var.size();) {
        std::size_t colon = path_var.find(':', at);
        if (colon == std::string_view::npos) colon = path_var.size();
        std::string dir(path_var.substr(at, colon - at));
        dirs.push_back(dir.empty() ? "." : dir);  // an empty entry is the current directory, as for a shell
        at = colon + 1;
    }
    for (const char* name : converters)
        for (const std::string& dir : dirs)
            if (std::string file = dir + "/" + name; executable(file)) return png_converter{name, file};
    return std::nullopt;
}

std::vector<std::string> converter_command(const png_converter& c, const std::string& svg_file,
                                           const std::string& png_file) {
    if (c.name == "rsvg-convert") return {c.path, "--format=png", "--output=" + png_file, svg_file};
    if (c.name == "convert") return {c.path, "svg:" + svg_file, "png:" + png_file};
    return {c.path, "--export-type=png", "--export-filename=" + png_file, svg_file};  // inkscape 1.x
}

std::variant<png_file, std::string> png_file::open(const std::string& path, std::string_view path_var) {
    std::optional<png_converter> c = find_png_converter(path_var);
    if (!c)
        return std::string("writing '") + path +
               "' as PNG needs an SVG converter, and none of rsvg-convert, convert (ImageMagick) or inkscape is on "
               "PATH; install one (apt-get install " +
               png_converter_package + "), or write SVG with --format svg";
    auto reserved = reserve_beside(path, ".png");
    if (reserved.index() == 1) return std::get<1>(reserved);
    png_file f;
    f.converter_ = std::move(*c);
    f.path_ = path;
    f.temp_png_ = std::get<0>(reserved);
    return f;
}

png_file::~png_file() {
    if (!temp_png_.empty()) std::remove(temp_png_.c_str());
}

std::string png_file::commit(std::string_view svg) {
    if (temp_png_.empty()) return "the PNG for '" + path_ + "' was written already";
    auto reserved = reserve_beside(path_, ".svg");
    if (reserved.index() == 1) return std::get<1>(reserved);
    std::string svg_file = std::get<0>(reserved);
    std::string error;
    {
        std::ofstream out(svg_file, std::ios::binary | std::ios::trunc);
        out.write(svg.data(), std::streamsize(svg.size()));
        out.flush();
        if (!out) error = "writing '" + svg_file + "' for the converter failed: " + std::strerror(errno);
    }
    if (error.empty()) {
        std::string said;
        int status = run(converter_command(converter_, svg_file, temp_png_), said);
        struct stat st {};
        if (status != 0 || ::stat(temp_png_.c_str(), &st) != 0 || st.st_size == 0) {
            while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
            error = converter_.path + " could not make a PNG of the trace (" +
                    (status < 0 ? std::string("it did not run to its end") : "exit status " + std::to_string(status)) +
                    ")" + (said.empty() ? "" : ": " + said);
        } else if (!readable_by_all(temp_png_) || std::rename(temp_png_.c_str(), path_.c_str()) != 0) {
            error = "cannot write the trace to '" + path_ + "': " + std::strerror(errno);
        } else {
            temp_png_.clear();
        }
    }
    std::remove(svg_file.c_str());
    return error;
}

}  // namespace weft::tools
