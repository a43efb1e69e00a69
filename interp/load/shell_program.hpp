// shell_program.hpp: the program behind `weft repl`, which keeps growing
// while its actors run. Each input typed at the prompt is compiled into one
// module, "__main__" (file "<stdin>", as Python's shell calls it), as a new
// body that the shell's actor runs. The names an input binds are that
// module's globals, so they persist between inputs, functions defined at
// the prompt call each other by name (looked up when called, as in Python),
// and actors spawned from the shell run them like any program's functions.
//
// Why that is safe while other actors run on other threads:
// - a value bound at the prompt is frozen as it is bound (module::live_arena):
//   a global never points into the shell's heap. The price is Weft's
//   module-level rule at the prompt too: `xs = [1]` then `xs.append(2)`
//   raises TypeError; `xs = xs + [2]` rebinds instead;
// - the tables actors read (protos, modules, attribute names, the module's
//   slots) are reserved up front and never move (program::reserve_for_growth);
// - one thread at a time builds: compile() and load_file() run only while the
//   shell's actor waits for its next input, or runs a load() it asked for and
//   waits on (tools/repl_frontend.hpp keeps to that).
//
// It never runs an input itself (the shell's actor does) and never prints.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "interp/compile/code.hpp"
#include "interp/load/loader.hpp"
#include "interp/syntax/syntax_error.hpp"

namespace weft::interp {

class shell_program {
public:
    // `opts.natives`: the modules inputs may import (lib/'s), and any the
    // shell itself needs. Their builtins are made now, so that an import at
    // the prompt adds nothing to the tables actors read.
    explicit shell_program(load_options opts);
    shell_program(const shell_program&) = delete;
    shell_program& operator=(const shell_program&) = delete;

    program& prog() noexcept { return *prog_; }
    const program& prog() const noexcept { return *prog_; }
    const module& inputs() const noexcept { return *inputs_; }

    // Loads a module of the shell's own (its loop) from source. Throws load_error.
    const module& add_module(const std::string& name, const std::string& file, std::string source);

    // Python's shell's rule for when an input is whole: `text` (lines, each
    // ending with '\n') is complete when it parses, unless it starts a
    // block (def, if, for, while, match, receive, try, with) that no blank
    // line has ended yet (open_block); incomplete when it ends inside a
    // bracket or a triple-quoted string; invalid otherwise (a syntax error).
    enum class input_kind { empty, complete, incomplete, open_block, invalid };
    static input_kind classify(const std::string& text);

    // Compiles a complete input: the body to run, which calls `display`
    // (a frozen builtin) with the value of each expression statement
    // outside functions. Throws syntax_error (render it with
    // format_syntax_error(e, text)), or load_error when an import in it fails.
    const proto& compile(const std::string& text, value display);

    // load("file.weft"): loads the program in `path` as a module of its own
    // (its body runs; main is not called) and binds each of its globals at
    // the prompt. Returns the names bound. Throws load_error.
    std::vector<std::string> load_file(const std::string& path);

    // Binds `name` at the prompt to a frozen value (the shell's builtins).
    void bind(std::string_view name, value frozen);

    // For completion: the names bound at the prompt, and the attributes of
    // the module bound (or importable as a native module) under `name`.
    std::vector<std::string> names() const;
    std::vector<std::string> module_attributes(std::string_view name) const;

private:
    load_options opts_;
    std::unique_ptr<program> prog_;
    module* inputs_ = nullptr;
    unsigned loads_ = 0;  // load() calls so far: each file's module gets a name of its own
};

}  // namespace weft::interp
