// repl_remote.hpp: `weft repl --remote NODE`, as Erlang's `erl -remsh`: the
// shell (its program, its actor, its front end) runs on NODE, a process
// started by `weft node` or `weft run --name`; this process joins the
// cluster only to relay the terminal's lines there and the shell's output
// back. Names bound at that prompt, actors spawned from it and load()ed
// files all live on NODE.
//
// The client asks NODE to spawn the module remote_shell_module's function
// remote_shell_function (no program has a module of that name: a dot is no
// part of a module's name), which the node's spawner (session.cpp,
// become_node) answers with open_remote_shell: the pid of a door actor that
// takes the client's lines. The messages:
//   client -> door:   ("line", text)  ("eof",)  ("interrupt",)
//   node -> client:   ("out", text)  ("err", text)  ("read", prompt)  ("ended", status)
// Any node that holds the cluster's cookie may open a shell, as in Erlang:
// the cookie is the key to everything a node can do.
//
// Neither side prints but through its console or the shell's output, and a
// node's remote shells never outlive its runtime: stop() ends their front
// ends, and their programs go after the actors that may run their code.
#pragma once
#include <string>
#include <variant>

#include "actors/runtime.hpp"

namespace weft::tools {

struct repl_options;

inline constexpr const char* remote_shell_module = "weft.repl";
inline constexpr const char* remote_shell_function = "open";

// The client: status 0 when the shell ended at the end of the input, its
// sys.exit code, 1 when the connection was lost, 2 when NODE could not be
// reached or refused.
int run_remote_repl(const repl_options& options);

// The node's side: starts a shell for the client's relay `from.parent`
// (held until the cluster starts it) and returns its door, or why not.
std::variant<pid, std::string> open_remote_shell(runtime& rt, const runtime::remote_parent& from);

}  // namespace weft::tools
