// repl_help.hpp: what help() at the shell's prompt says: one line of
// signature and one sentence for each builtin, shell builtin and library
// module of LANGUAGE.md, kept as data (repl_help.cpp).
//
// It must never describe anything the language does not have: a name
// added here is a promise of the language contract.
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace weft::tools {

struct help_entry {
    const char* name;       // "len", "math", "gen_server.call"
    const char* signature;  // "len(x) -> int"
    const char* summary;    // one sentence
};

// Every entry, builtins first (by name), then modules.
std::span<const help_entry> help_entries() noexcept;
// The entry for `name` ("len", "math", "math.sqrt" falls back to "math"), or null.
const help_entry* find_help(std::string_view name) noexcept;
// What help() alone prints: every name with its signature, one per line.
std::string help_index();

}  // namespace weft::tools
