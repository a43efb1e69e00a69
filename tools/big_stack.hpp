// big_stack.hpp: run a function on a thread with a stack of known size.
//
// The parser needs up to ~670 KB of stack at its nesting limit (ASan build;
// ~200 KB optimized, see interp/syntax/parser.hpp). The main thread's stack is 8 MB
// by default on Linux, but it is whatever `ulimit -s` says, and a user may
// have lowered it; so the tool parses on a thread of its own whose size it
// chooses, and a deep input is a clean syntax error whatever the limit.
#pragma once
#include <cstddef>
#include <functional>

namespace weft::tools {

// 8 MiB: Linux's default main-thread stack, ten times what the parser needs.
inline constexpr std::size_t big_stack_size = std::size_t{8} << 20;

// Runs fn() on a new thread with a stack of `stack_size` bytes and waits for
// it. An exception fn throws is rethrown here, on the caller's thread. Throws
// std::system_error when the thread cannot be created.
void run_on_big_stack(const std::function<void()>& fn, std::size_t stack_size = big_stack_size);

}  // namespace weft::tools
