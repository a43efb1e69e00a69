// file_call.hpp: how a builtin makes a blocking file system call without
// blocking its worker thread. It hands a job to the runtime's file pool
// (io/file_pool.hpp) and parks (vm::await); the job's answer comes back as a
// message, and the builtin, called again on each message, takes it:
//
//   value os_remove(vm& m, value* argv, std::uint32_t argc, value kwargs) {
//       if (value done = bi::file_answer(m, "remove"); !done.is_empty()) return done;
//       std::string path = ...;                         // check the arguments
//       return bi::ask_file_pool(m, "remove", [path] {  // runs on a pool thread
//           if (::unlink(path.c_str()) != 0) return bi::file_error(errno, path);
//           return bi::file_ok(term());
//       });
//   }
//
// A job sees only what it captured (copies: never a heap value) and returns
// file_ok(result) or file_error(errno, filename); the builtin then returns
// the result, or raises the OSError Python would (os_error.hpp).
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "interp/heap/value.hpp"
#include "interp/vm/vm.hpp"
#include "serialize/term.hpp"

namespace weft::interp::bi {

// Bytes from the world (a file name, a child's output, stdin) as UTF-8
// text: each byte that is not UTF-8 becomes U+FFFD (Python would keep it as
// a surrogate or raise; a Weft str holds only valid UTF-8).
std::string utf8_or_replacement(std::string_view bytes);

// For a call resumed with its saved `state` (which holds `tag`): the
// answer (allocates), or the await again while it has not come (then
// m.trapped(); return it from the builtin as it is).
value answer_or_wait(vm& m, const char* fname, value state, weft::ref tag);

// A term rebuilt in the VM's heap (allocates), for an answer had in place.
value value_of(vm& m, const term& t);

// The answers a job gives. file_too_large: what it would read (`bytes`)
// cannot fit the asking actor's heap; the builtin raises MemoryError
// without reading it.
term file_ok(term result);
term file_too_large(std::uint64_t bytes);
term file_error(int err, std::optional<std::string> filename = std::nullopt,
                std::optional<std::string> filename2 = std::nullopt);

// A job's answer had in this thread (a call the kernel's caches answered,
// file_jobs.hpp): its result, or its error raised.
value job_answer(vm& m, const term& answer);

// First thing in a file builtin: empty for a fresh call; for a call resumed
// by a message, the job's result (or its OSError raised), or the await again
// while the answer has not come.
value file_answer(vm& m, const char* fname);

// Standard input (io/stdin_reader.hpp): asks for a line (with its "\n") or
// all that is left, and parks; stdin_answer, first thing in the builtin as
// file_answer, gives the text (UTF-8, a bad byte as U+FFFD), None at the
// end, or empty for a fresh call (or the await again).
value ask_stdin(vm& m, const char* fname, bool whole);
value stdin_answer(vm& m, const char* fname);

// Starts `job` and parks the actor (returns what the builtin must return).
// RuntimeError, as for connect(), where the actor cannot park: inside a
// receive's guard, or in a function that a builtin calls. Outside any actor
// (module-level code, while the program loads) the job runs in place and
// this returns its result at once, as ask_stdin does.
value ask_file_pool(vm& m, const char* fname, std::function<term()> job);

// The same, keeping a heap value for the resumed call (open() keeps its new
// file), which file_answer_kept then gives back through `kept`.
value ask_file_pool_keeping(vm& m, const char* fname, std::function<term()> job, value kept);
value file_answer_kept(vm& m, const char* fname, value& kept);

}  // namespace weft::interp::bi
