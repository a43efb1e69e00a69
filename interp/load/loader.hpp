// loader.hpp: from a .weft file to a loaded program: parse, compile, import
// the sibling modules it names, run each module body once, and freeze every
// module's globals into the program's arena.
//
// After load_program returns, the program is immutable and may be shared by
// any number of VMs on any threads. Loading itself runs on one thread and
// needs a deep native stack for the parser (parser.hpp): call it on a thread
// with at least 1 MB of stack.
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interp/compile/code.hpp"
#include "interp/heap/heap.hpp"
#include "interp/objects/builtin_def.hpp"
#include "interp/vm/vm.hpp"

namespace weft::interp {

struct load_options {
    // Folders searched for `import name` (name.weft) after the main file's
    // own folder, in order (WEFT_PATH).
    std::vector<std::string> search_path;
    // The native modules scripts may import (lib/: math, json ...), found
    // before any .weft file of the same name. Each must outlive the program.
    std::vector<const native_module*> natives;
    // For the VMs that run module bodies.
    heap_options heap{};
    line_writer out;
    // The program's file then its arguments, for sys.argv.
    std::vector<std::string> argv;
    // false: compile only (`weft check`). No module body runs, so nothing is
    // frozen or printed, and an import that finds no module is an error of
    // the importing line (a load_error with status 2) instead of the
    // ImportError its running would raise.
    bool run_bodies = true;
};

// Loading failed: a syntax error (status 2) or an exception raised by a
// module body (status 1). `report` is what the user sees, newline-terminated:
// the syntax error with its line and caret, or the traceback. A module body
// that called sys.exit ends the program as Python's would: `exit_code` is
// its status, and `report` its message if it had one (else "").
class load_error : public std::runtime_error {
public:
    load_error(int exit_status, std::string text, std::optional<int> code = std::nullopt)
        : std::runtime_error(text), status(exit_status), report(std::move(text)), exit_code(code) {}
    int status;
    std::string report;
    std::optional<int> exit_code;
};

// The native modules whose names every module sees without an import: the
// builtins module, the actor builtins and the introspection builtins.
std::span<const native_module* const> script_globals() noexcept;

// Loads the program whose main module is in `path` (read from the file
// system), or whose source is given (then `path` only names it).
std::unique_ptr<program> load_program(const std::string& path, const load_options& opts = {});
std::unique_ptr<program> load_program_source(const std::string& path, std::string source,
                                             const load_options& opts = {});

// For the shell's program (shell_program.hpp), which keeps growing after it
// was made. Loads the module `name` from `source` into `prog` as `import`
// does (parse, compile, run its body, freeze its globals); its own imports
// are looked for in `folder` (ends with '/', or "" for the current one),
// then in opts.search_path. Throws load_error.
const module& load_module_into(program& prog, const load_options& opts, const std::string& folder,
                               const std::string& name, const std::string& file, std::string source);
// The module `import name` finds for code of `folder`: loaded first when it
// is not yet in `prog`; null when there is none. Throws load_error.
const module* import_into(program& prog, const load_options& opts, const std::string& folder, std::string_view name);

}  // namespace weft::interp
