// repl_front_end.hpp: one shell, whatever its terminal: its program, its
// actor (and the actor that watches it), and the front end that reads each
// input, compiles it and hands it to the actor. `weft repl` runs one with
// the local terminal (repl_command.cpp); a node runs one for each
// `weft repl --remote` that connects to it, reading lines that come as
// messages (repl_remote.cpp).
//
// The front end is the only thread that builds the shell's program, and it
// does so only while the shell's actor waits on it (for its next input or
// for a load()), so the program never has two builders (shell_program.hpp).
// It must never print but through its shell_output.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/runtime.hpp"
#include "interp/actor/script_actor.hpp"
#include "interp/load/shell_program.hpp"
#include "tools/repl_shell.hpp"
#include "tools/repl_terminal.hpp"

namespace weft::tools {

// What Tab offers for `word`: keywords and builtins, and with a shell's
// program the names bound at its prompt and, after "mod.", a module's names.
std::vector<std::string> completions_of(const interp::shell_program* sp, std::string_view word);

class shell_instance {
public:
    // Makes the shell's program and loads its loop. `writer` is print()'s
    // for the shell's actor and every actor spawned from it; `out` must
    // outlive the instance. Throws load_error.
    shell_instance(shell_output& out, interp::line_writer writer);
    shell_instance(const shell_instance&) = delete;
    shell_instance& operator=(const shell_instance&) = delete;

    interp::shell_program& program() noexcept { return *sp_; }
    // For the runtime that runs it (a node serves spawns of its functions).
    const interp::script_config& config() const noexcept { return cfg_; }

    // Starts the shell's actor in `rt` and serves it, reading with `reader`,
    // until the input ends, sys.exit() or quit(): the exit status. The
    // instance must outlive every actor the shell spawned: stop the runtime first.
    int serve(runtime& rt, line_reader& reader, bool terminal);
    // Any thread: serve() returns soon (its runtime is stopping).
    void quit();

private:
    shell_output& out_;
    interp::line_writer writer_;
    std::unique_ptr<interp::shell_program> sp_;
    shell_channel channel_;
    interp::script_config cfg_;
};

}  // namespace weft::tools
