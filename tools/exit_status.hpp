// exit_status.hpp: what `weft` returns to the shell, one table for every command.
//
// LANGUAGE.md fixes 0 (success), 1 (`main` raised, for `weft run`) and 2 (a
// syntax error). The tool uses 2 for every problem found before a program
// could run: a syntax error, a file it cannot read, a command line it does not
// understand (as Python does for `python missing.py` and bad options).
#pragma once

namespace weft::tools {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // a program raised (weft run, later); an internal error
inline constexpr int exit_usage = 2;    // syntax error, unreadable file, bad command line

}  // namespace weft::tools
