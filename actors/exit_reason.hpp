// exit_reason.hpp: the terms that say why an actor ended.
//
// As in Erlang and LANGUAGE.md: "normal" when its code returned, "killed" after an
// untrappable kill, "noproc" for an actor that did not exist, "noconnection" for
// a lost node, and ("error", kind, message, traceback) when an exception escaped.
#pragma once
#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "serialize/term.hpp"

namespace weft::exit_reason {

inline term normal() { return term::str("normal"); }
inline term killed() { return term::str("killed"); }
inline term kill() { return term::str("kill"); }
inline term noproc() { return term::str("noproc"); }
inline term error(std::string_view kind, std::string_view message, std::string_view traceback) {
    return term::tuple({term::str("error"), term::str(kind), term::str(message), term::str(traceback)});
}
// ("error", <the exception's C++ type>, what(), "")
term from_exception(const std::exception& e);
// ("error", "MemoryError", "", ""): an actor that ran out of memory.
term memory_error();
// Anything but "normal", "killed" and "shutdown" is worth a crash report.
bool is_error(const term& reason);
bool is_normal(const term& reason);
// For ("error", kind, message, traceback): the traceback when there is one
// (it ends with "kind: message"), else "kind: message"; newline-terminated.
std::optional<std::string> error_report(const term& reason);

}  // namespace weft::exit_reason
