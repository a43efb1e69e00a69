// os_module.cpp: `import os`, Python's os and os.path for Weft (LANGUAGE.md,
// The standard library), as CPython 3.11 on Linux behaves: names, arguments,
// results and the OSError each failure raises.
//
// A call that touches the file system (listdir, walk, stat, remove, rename,
// mkdir, makedirs, rmdir, and os.path's exists, isfile, isdir, getsize) runs on the
// runtime's file pool while the actor is parked (interp/actor/file_call.hpp),
// never on a worker thread. Calls that only read this process's state
// (getcwd, getenv, getpid, cpu_count) and os.path's string functions run in
// place. Paths are str; bytes paths are not taken (docs/library.md).
#include "lib/os_module.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "interp/actor/file_call.hpp"
#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/natives.hpp"
#include "interp/objects/numeric.hpp"
#include "interp/objects/os_error.hpp"
#include "lib/os_path.hpp"

extern char** environ;

namespace weft::lib {
namespace {

using interp::builtin_def;
using interp::native_constant;
using interp::native_module;
using interp::rooted;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

// A path argument: str only. CPython's wording for a wrong type.
std::string path_arg(value v, const char* fname, const char* what = "path") {
    if (!interp::is_str(v))
        bi::type_error(std::string(fname) + ": " + what + " should be string, bytes or os.PathLike, not " +
                       interp::type_name_of(v));
    std::string p(interp::str_view(v));
    if (p.find('\0') != std::string::npos) bi::value_error(std::string(fname) + ": embedded null character in " + what);
    return p;
}

// A file name from the file system as str (file_call.hpp: a byte that is
// not UTF-8 becomes U+FFFD, where Python keeps it as a surrogate).
std::string name_text(const char* raw) { return bi::utf8_or_replacement(raw); }

// -- Jobs: plain C++ on a pool thread ------------------------------------------------

// The entries of a folder, without . and .., in the order readdir gives.
// Each entry: its name, and whether it is a folder (following a link, as
// os.walk's is_dir does).
struct entry {
    std::string name;
    bool folder;
};
int read_folder(const std::string& path, std::vector<entry>& out) {
    DIR* d = ::opendir(path.c_str());
    if (!d) return errno;
    errno = 0;
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        bool folder = e->d_type == DT_DIR;
        if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
            struct stat st{};
            folder = ::stat((path + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
        }
        out.push_back({std::move(name), folder});
    }
    int err = errno;
    ::closedir(d);
    return err;
}

// os.walk(top): top-down, as Python's with its defaults (errors ignored,
// links to folders listed in dirnames but not walked into).
void walk(const std::string& top, std::vector<term>& out) {
    std::vector<entry> entries;
    if (read_folder(top, entries) != 0) return;
    std::vector<term> dirs, files;
    for (const entry& e : entries) (e.folder ? dirs : files).push_back(term::str(name_text(e.name.c_str())));
    out.push_back(term::tuple({term::str(name_text(top.c_str())), term::list(dirs), term::list(files)}));
    for (const entry& e : entries) {
        if (!e.folder) continue;
        std::string sub = os_path::join(top, e.name);
        struct stat st{};
        if (::lstat(sub.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) continue;
        walk(sub, out);
    }
}

// -- The functions -------------------------------------------------------------------

value os_getcwd(vm& m, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "getcwd");
    bi::no_args("getcwd", argc);
    std::vector<char> buf(4096);
    while (!::getcwd(buf.data(), buf.size())) {
        if (errno != ERANGE) interp::throw_os_error(errno);
        buf.resize(buf.size() * 2);
    }
    return m.heap().alloc_str(name_text(buf.data()));
}

value os_getenv(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    value kw[2];
    bi::parse_kwargs(kwargs, "getenv", {"key", "default"}, kw);
    bi::takes_args("getenv", argc, 0, 2);
    value key = bi::merge_arg("getenv", argv, argc, 0, kw[0], "key");
    value fallback = bi::merge_arg("getenv", argv, argc, 1, kw[1], "default");
    if (key.is_empty()) bi::type_error("getenv() missing 1 required positional argument: 'key'");
    if (!interp::is_str(key)) bi::type_error(std::string("str expected, not ") + interp::type_name_of(key));
    const char* v = std::getenv(std::string(interp::str_view(key)).c_str());
    if (!v) return fallback.is_empty() ? value::none() : fallback;
    return m.heap().alloc_str(name_text(v));
}

value os_getpid(vm&, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "getpid");
    bi::no_args("getpid", argc);
    return value::from_int(::getpid());
}

value os_cpu_count(vm&, value*, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "cpu_count");
    bi::no_args("cpu_count", argc);
    long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? value::none() : value::from_int(n);
}

value os_listdir(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = bi::file_answer(m, "listdir"); !done.is_empty()) return done;
    value kw[1];
    bi::parse_kwargs(kwargs, "listdir", {"path"}, kw);
    bi::takes_args("listdir", argc, 0, 1);
    value p = bi::merge_arg("listdir", argv, argc, 0, kw[0], "path");
    if (!p.is_empty() && !p.is_none() && !interp::is_str(p))
        bi::type_error(std::string("listdir: path should be string, bytes, os.PathLike, integer or None, not ") +
                       interp::type_name_of(p));
    std::string path = p.is_empty() || p.is_none() ? "." : path_arg(p, "listdir");
    return bi::ask_file_pool(m, "listdir", [path] {
        std::vector<entry> entries;
        if (int err = read_folder(path, entries)) return bi::file_error(err, path);
        std::vector<term> names;
        for (const entry& e : entries) names.push_back(term::str(name_text(e.name.c_str())));
        return bi::file_ok(term::list(std::move(names)));
    });
}

value os_walk(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = bi::file_answer(m, "walk"); !done.is_empty()) return done;
    value kw[1];
    bi::parse_kwargs(kwargs, "walk", {"top"}, kw);
    bi::takes_args("walk", argc, 0, 1);
    value top = bi::merge_arg("walk", argv, argc, 0, kw[0], "top");
    if (top.is_empty()) bi::type_error("walk() missing 1 required positional argument: 'top'");
    std::string path = path_arg(top, "walk", "top");
    return bi::ask_file_pool(m, "walk", [path] {
        std::vector<term> out;
        walk(path, out);
        return bi::file_ok(term::list(std::move(out)));
    });
}

// One path, one system call that returns 0 or -1 with errno: remove, rmdir.
template <int (*call)(const char*)>
value one_path_call(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* fname) {
    if (value done = bi::file_answer(m, fname); !done.is_empty()) return done;
    value kw[1];
    bi::parse_kwargs(kwargs, fname, {"path"}, kw);
    bi::takes_args(fname, argc, 0, 1);
    value p = bi::merge_arg(fname, argv, argc, 0, kw[0], "path");
    if (p.is_empty()) bi::type_error(std::string(fname) + "() missing required argument 'path' (pos 1)");
    std::string path = path_arg(p, fname);
    return bi::ask_file_pool(m, fname, [path] {
        if (call(path.c_str()) != 0) return bi::file_error(errno, path);
        return bi::file_ok(term());
    });
}
value os_remove(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return one_path_call<::unlink>(m, argv, argc, kwargs, "remove");
}
value os_rmdir(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return one_path_call<::rmdir>(m, argv, argc, kwargs, "rmdir");
}

value os_rename(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = bi::file_answer(m, "rename"); !done.is_empty()) return done;
    value kw[2];
    bi::parse_kwargs(kwargs, "rename", {"src", "dst"}, kw);
    bi::takes_args("rename", argc, 0, 2);
    value s = bi::merge_arg("rename", argv, argc, 0, kw[0], "src");
    value d = bi::merge_arg("rename", argv, argc, 1, kw[1], "dst");
    if (s.is_empty() || d.is_empty())
        bi::type_error(std::string("rename() missing required argument '") + (s.is_empty() ? "src' (pos 1)" : "dst' (pos 2)"));
    std::string src = path_arg(s, "rename", "src"), dst = path_arg(d, "rename", "dst");
    return bi::ask_file_pool(m, "rename", [src, dst] {
        if (::rename(src.c_str(), dst.c_str()) != 0) return bi::file_error(errno, src, dst);
        return bi::file_ok(term());
    });
}

// os.stat(path): a record with Python's fields (times as float seconds).
constexpr builtin_def def_stat_result{"os.stat_result", nullptr, interp::type_tag::record};
constexpr std::array<const char*, 10> stat_fields = {"st_mode", "st_ino",  "st_dev",   "st_nlink", "st_uid",
                                                     "st_gid",  "st_size", "st_atime", "st_mtime", "st_ctime"};
constexpr interp::record_type stat_result_type{.cls = &def_stat_result, .fields = stat_fields};

double seconds_of(const timespec& t) { return double(t.tv_sec) + double(t.tv_nsec) * 1e-9; }

// The job's tuple as an os.stat_result (or what a waiting call returns).
value stat_result_of(vm& m, value done) {
    if (m.trapped()) return done;
    rooted fields(m.heap(), done);
    value r = interp::alloc_record(m.heap(), stat_result_type);
    for (std::size_t k = 0; k < stat_fields.size(); ++k)
        interp::record_fields(r)[k] = interp::as_tuple(fields)->items()[k];
    return r;
}

value os_stat(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = bi::file_answer(m, "stat"); !done.is_empty()) return stat_result_of(m, done);
    value kw[1];
    bi::parse_kwargs(kwargs, "stat", {"path"}, kw);
    bi::takes_args("stat", argc, 0, 1);
    value p = bi::merge_arg("stat", argv, argc, 0, kw[0], "path");
    if (p.is_empty()) bi::type_error("stat() missing required argument 'path' (pos 1)");
    if (!interp::is_str(p))
        bi::type_error(std::string("stat: path should be string, bytes, os.PathLike or integer, not ") +
                       interp::type_name_of(p));
    std::string path = path_arg(p, "stat");
    return stat_result_of(m, bi::ask_file_pool(m, "stat", [path] {
        struct stat st{};
        if (::stat(path.c_str(), &st) != 0) return bi::file_error(errno, path);
        return bi::file_ok(term::tuple({term(std::int64_t(st.st_mode)), term(std::uint64_t(st.st_ino)),
                                        term(std::uint64_t(st.st_dev)), term(std::int64_t(st.st_nlink)),
                                        term(std::int64_t(st.st_uid)), term(std::int64_t(st.st_gid)),
                                        term(std::int64_t(st.st_size)), term(seconds_of(st.st_atim)),
                                        term(seconds_of(st.st_mtim)), term(seconds_of(st.st_ctim))}));
    }));
}

// A mode argument (mkdir, makedirs): an int.
mode_t mode_arg(value v) {
    if (v.is_empty()) return 0777;
    if (!v.is_int())
        bi::type_error(std::string("'") + interp::type_name_of(v) + "' object cannot be interpreted as an integer");
    return mode_t(v.as_int());
}

value os_mkdir(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = bi::file_answer(m, "mkdir"); !done.is_empty()) return done;
    value kw[2];
    bi::parse_kwargs(kwargs, "mkdir", {"path", "mode"}, kw);
    bi::takes_args("mkdir", argc, 0, 2);
    value p = bi::merge_arg("mkdir", argv, argc, 0, kw[0], "path");
    if (p.is_empty()) bi::type_error("mkdir() missing required argument 'path' (pos 1)");
    std::string path = path_arg(p, "mkdir");
    mode_t mode = mode_arg(bi::merge_arg("mkdir", argv, argc, 1, kw[1], "mode"));
    return bi::ask_file_pool(m, "mkdir", [path, mode] {
        if (::mkdir(path.c_str(), mode) != 0) return bi::file_error(errno, path);
        return bi::file_ok(term());
    });
}

// os.makedirs(name, mode=0o777, exist_ok=False), as Python's: every missing
// parent made first; FileExistsError for an existing leaf unless exist_ok
// (and then still when it is not a folder).
int make_folders(const std::string& name, mode_t mode, bool exist_ok) {
    auto [head, tail] = os_path::split(name);
    if (tail.empty()) std::tie(head, tail) = os_path::split(head);
    struct stat st{};
    if (!head.empty() && !tail.empty() && ::stat(head.c_str(), &st) != 0) {
        int err = make_folders(head, mode, true);
        if (err && err != EEXIST) return err;
        if (tail == ".") return 0;
    }
    if (::mkdir(name.c_str(), mode) == 0) return 0;
    int err = errno;
    if (!exist_ok || !(::stat(name.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) return err;
    return 0;
}

value os_makedirs(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    if (value done = bi::file_answer(m, "makedirs"); !done.is_empty()) return done;
    value kw[3];
    bi::parse_kwargs(kwargs, "makedirs", {"name", "mode", "exist_ok"}, kw);
    bi::takes_args("makedirs", argc, 0, 3);
    value n = bi::merge_arg("makedirs", argv, argc, 0, kw[0], "name");
    if (n.is_empty()) bi::type_error("makedirs() missing 1 required positional argument: 'name'");
    std::string name = path_arg(n, "makedirs");
    mode_t mode = mode_arg(bi::merge_arg("makedirs", argv, argc, 1, kw[1], "mode"));
    value e = bi::merge_arg("makedirs", argv, argc, 2, kw[2], "exist_ok");
    bool exist_ok = !e.is_empty() && interp::num::truthy(e);
    return bi::ask_file_pool(m, "makedirs", [name, mode, exist_ok] {
        if (int err = make_folders(name, mode, exist_ok)) return bi::file_error(err, name);
        return bi::file_ok(term());
    });
}

// -- The module ------------------------------------------------------------------------

constexpr builtin_def def_getcwd{"getcwd", os_getcwd};
constexpr builtin_def def_getenv{"getenv", os_getenv};
constexpr builtin_def def_getpid{"getpid", os_getpid};
constexpr builtin_def def_cpu_count{"cpu_count", os_cpu_count};
constexpr builtin_def def_listdir{"listdir", os_listdir};
constexpr builtin_def def_walk{"walk", os_walk};
constexpr builtin_def def_remove{"remove", os_remove};
constexpr builtin_def def_unlink{"unlink", os_remove};
constexpr builtin_def def_rmdir{"rmdir", os_rmdir};
constexpr builtin_def def_rename{"rename", os_rename};
constexpr builtin_def def_mkdir{"mkdir", os_mkdir};
constexpr builtin_def def_makedirs{"makedirs", os_makedirs};
constexpr builtin_def def_stat{"stat", os_stat};

// os.stat_result is listed so that type() can return it.
constexpr std::array<const builtin_def*, 14> functions = {
    &def_getcwd, &def_getenv, &def_getpid, &def_cpu_count, &def_listdir, &def_walk,     &def_remove,
    &def_unlink, &def_rmdir,  &def_rename, &def_mkdir,     &def_makedirs, &def_stat,    &def_stat_result,
};

// os.environ: the environment when the program loaded, as a frozen dict.
value make_environ(interp::frozen_arena& arena, const interp::native_context&) {
    interp::heap scratch;
    rooted d(scratch, scratch.alloc_dict());
    for (char** e = environ; e && *e; ++e) {
        std::string entry = *e;
        std::size_t eq = entry.find('=');
        if (eq == std::string::npos) continue;
        rooted key(scratch, scratch.alloc_str(name_text(entry.substr(0, eq).c_str())));
        value v = scratch.alloc_str(name_text(entry.c_str() + eq + 1));
        scratch.dict_set(d, key, v);
    }
    return arena.freeze(d);
}

constexpr std::array<native_constant, 4> constants = {{
    {"environ", make_environ},
    {"sep", [](interp::frozen_arena& a, const interp::native_context&) { return a.alloc_str("/"); }},
    {"linesep", [](interp::frozen_arena& a, const interp::native_context&) { return a.alloc_str("\n"); }},
    {"name", [](interp::frozen_arena& a, const interp::native_context&) { return a.alloc_str("posix"); }},
}};

constexpr std::array<const native_module*, 1> submodules = {&os_path_module_def};

constexpr native_module module_def{"os", functions, constants, {}, nullptr, submodules};

}  // namespace

const native_module& os_module() noexcept { return module_def; }

}  // namespace weft::lib
