// os_path.cpp: see os_path.hpp. The string functions follow CPython 3.11's
// posixpath.py line by line; exists, isfile, isdir and getsize stat the path
// on the file pool (interp/actor/file_call.hpp).
#include "lib/os_path.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <vector>

#include "interp/actor/file_call.hpp"
#include "interp/builtins/args.hpp"
#include "interp/heap/heap.hpp"
#include "interp/heap/object.hpp"
#include "interp/objects/os_error.hpp"
#include "interp/vm/vm.hpp"

namespace weft::lib {

namespace os_path {

std::string join(const std::string& a, const std::string& b) {
    if (!b.empty() && b.front() == '/') return b;
    if (a.empty() || a.back() == '/') return a + b;
    return a + "/" + b;
}

std::pair<std::string, std::string> split(const std::string& p) {
    std::size_t i = p.rfind('/') + 1;  // npos + 1 == 0
    std::string head = p.substr(0, i), tail = p.substr(i);
    if (!head.empty() && head.find_first_not_of('/') != std::string::npos)
        head.erase(head.find_last_not_of('/') + 1);
    return {head, tail};
}

}  // namespace os_path

namespace {

using interp::builtin_def;
using interp::native_module;
using interp::rooted;
using interp::value;
using interp::vm;
namespace bi = interp::bi;

// posixpath's functions take str (and bytes, which Weft's do not).
std::string text_arg(value v) {
    if (!interp::is_str(v))
        bi::type_error(std::string("expected str, bytes or os.PathLike object, not ") + interp::type_name_of(v));
    return std::string(interp::str_view(v));
}

std::string one_text_arg(value* argv, std::uint32_t argc, value kwargs, const char* fname) {
    bi::no_kwargs(kwargs, fname);
    if (argc != 1)
        bi::type_error(std::string(fname) + "() " + (argc == 0 ? "missing 1 required positional argument: 'p'"
                                                              : "takes 1 positional argument but " +
                                                                    std::to_string(argc) + " were given"));
    return text_arg(argv[0]);
}

std::string normpath(const std::string& path) {
    if (path.empty()) return ".";
    int initial = path.front() == '/' ? 1 : 0;
    if (initial && path.compare(0, 2, "//") == 0 && path.compare(0, 3, "///") != 0) initial = 2;
    std::vector<std::string> comps;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string comp = path.substr(start, end - start);
        start = end + 1;
        if (comp.empty() || comp == ".") continue;
        if (comp != ".." || (!initial && comps.empty()) || (!comps.empty() && comps.back() == ".."))
            comps.push_back(comp);
        else if (!comps.empty())
            comps.pop_back();
    }
    std::string out(std::size_t(initial), '/');
    for (std::size_t k = 0; k < comps.size(); ++k) out += (k ? "/" : "") + comps[k];
    return out.empty() ? "." : out;
}

value path_join(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    bi::no_kwargs(kwargs, "join");
    if (argc == 0) bi::type_error("join() missing 1 required positional argument: 'a'");
    auto part = [](value v) {  // join's own wording (genericpath._check_arg_types)
        if (!interp::is_str(v))
            bi::type_error(std::string("join() argument must be str, bytes, or os.PathLike object, not '") +
                           interp::type_name_of(v) + "'");
        return std::string(interp::str_view(v));
    };
    std::string path = text_arg(argv[0]);
    for (std::uint32_t k = 1; k < argc; ++k) path = os_path::join(path, part(argv[k]));
    return m.heap().alloc_str(path);
}

value path_basename(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return m.heap().alloc_str(os_path::split(one_text_arg(argv, argc, kwargs, "basename")).second);
}

value path_dirname(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return m.heap().alloc_str(os_path::split(one_text_arg(argv, argc, kwargs, "dirname")).first);
}

value path_splitext(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    std::string p = one_text_arg(argv, argc, kwargs, "splitext");
    std::size_t sep = p.rfind('/'), dot = p.rfind('.');
    std::string root = p, ext;
    // A dot after the last '/', with something other than dots before it
    // in the file name: ".bashrc" has no extension, "a.b.c" has ".c".
    if (dot != std::string::npos && (sep == std::string::npos || dot > sep)) {
        for (std::size_t k = sep == std::string::npos ? 0 : sep + 1; k < dot; ++k)
            if (p[k] != '.') {
                root = p.substr(0, dot);
                ext = p.substr(dot);
                break;
            }
    }
    value items[2] = {value::none(), value::none()};
    interp::root_scope keep(m.heap(), items, 2);
    items[0] = m.heap().alloc_str(root);
    items[1] = m.heap().alloc_str(ext);
    return m.heap().alloc_tuple(std::span<const value>(items, 2));
}

value path_abspath(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    std::string p = one_text_arg(argv, argc, kwargs, "abspath");
    if (p.empty() || p.front() != '/') {
        std::vector<char> buf(4096);
        while (!::getcwd(buf.data(), buf.size())) {
            if (errno != ERANGE) interp::throw_os_error(errno);
            buf.resize(buf.size() * 2);
        }
        p = os_path::join(buf.data(), p);
    }
    return m.heap().alloc_str(normpath(p));
}

value path_normpath(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return m.heap().alloc_str(normpath(one_text_arg(argv, argc, kwargs, "normpath")));
}

value path_isabs(vm&, value* argv, std::uint32_t argc, value kwargs) {
    std::string p = one_text_arg(argv, argc, kwargs, "isabs");
    return value::boolean(!p.empty() && p.front() == '/');
}

// exists, isfile, isdir, getsize: a stat on the file pool. The first three
// answer False for any failure, as Python's; getsize raises it.
enum class stat_question { exists, isfile, isdir, getsize };

template <stat_question Q>
value stat_call(vm& m, value* argv, std::uint32_t argc, value kwargs, const char* fname) {
    if (value done = bi::file_answer(m, fname); !done.is_empty()) return done;
    bi::no_kwargs(kwargs, fname);
    if (argc != 1)
        bi::type_error(std::string(fname) + "() " + (argc == 0 ? "missing 1 required positional argument: '" +
                                                                      std::string(Q == stat_question::getsize ? "filename"
                                                                                                             : "path") +
                                                                      "'"
                                                                : "takes 1 positional argument but " +
                                                                      std::to_string(argc) + " were given"));
    if (!interp::is_str(argv[0]))
        bi::type_error(std::string("stat: path should be string, bytes, os.PathLike or integer, not ") +
                       interp::type_name_of(argv[0]));
    std::string path(interp::str_view(argv[0]));
    return bi::ask_file_pool(m, fname, [path] {
        struct stat st{};
        bool ok = path.find('\0') == std::string::npos && ::stat(path.c_str(), &st) == 0;
        switch (Q) {
        case stat_question::exists: return bi::file_ok(term(ok));
        case stat_question::isfile: return bi::file_ok(term(ok && S_ISREG(st.st_mode)));
        case stat_question::isdir: return bi::file_ok(term(ok && S_ISDIR(st.st_mode)));
        case stat_question::getsize: break;
        }
        if (!ok) return bi::file_error(errno, path);
        return bi::file_ok(term(std::int64_t(st.st_size)));
    });
}

value path_exists(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return stat_call<stat_question::exists>(m, argv, argc, kwargs, "exists");
}
value path_isfile(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return stat_call<stat_question::isfile>(m, argv, argc, kwargs, "isfile");
}
value path_isdir(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return stat_call<stat_question::isdir>(m, argv, argc, kwargs, "isdir");
}
value path_getsize(vm& m, value* argv, std::uint32_t argc, value kwargs) {
    return stat_call<stat_question::getsize>(m, argv, argc, kwargs, "getsize");
}

constexpr builtin_def def_join{"join", path_join};
constexpr builtin_def def_basename{"basename", path_basename};
constexpr builtin_def def_dirname{"dirname", path_dirname};
constexpr builtin_def def_splitext{"splitext", path_splitext};
constexpr builtin_def def_abspath{"abspath", path_abspath};
constexpr builtin_def def_normpath{"normpath", path_normpath};
constexpr builtin_def def_isabs{"isabs", path_isabs};
constexpr builtin_def def_exists{"exists", path_exists};
constexpr builtin_def def_isfile{"isfile", path_isfile};
constexpr builtin_def def_isdir{"isdir", path_isdir};
constexpr builtin_def def_getsize{"getsize", path_getsize};

constexpr std::array<const builtin_def*, 11> functions = {
    &def_join,  &def_basename, &def_dirname, &def_splitext, &def_abspath, &def_normpath,
    &def_isabs, &def_exists,   &def_isfile,  &def_isdir,    &def_getsize,
};

}  // namespace

const native_module os_path_module_def{"os.path", functions};

}  // namespace weft::lib
