// source_file.hpp: reading a Weft source file whole, with an error message a
// user can act on when it cannot be read.
#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace weft::tools {

// Larger files are refused: source positions count lines and columns in 32
// bits, and no program is this big.
inline constexpr std::size_t max_source_bytes = std::size_t{256} << 20;  // 256 MiB

struct source_file {
    std::string path;  // as the user wrote it; errors and messages name it so
    std::string text;  // the bytes of the file, unchecked (the lexer checks UTF-8)
};

// Reads `path` (a regular file, a pipe, /dev/stdin ...). On failure returns
// nothing and sets `error` to "cannot read 'PATH': REASON", REASON being the
// system's words (strerror), e.g. "No such file or directory".
std::optional<source_file> read_source_file(const std::string& path, std::string& error);

}  // namespace weft::tools
