// source_pos.hpp: a place in a Weft source file, as users count it.
//
// Lines and columns are 1-based; a column counts code points, not bytes, so a
// caret lands under the right character of a UTF-8 line. Every token and AST
// node carries one. It must never hold a byte offset: offsets are the lexer's
// private business.
#pragma once
#include <cstdint>

namespace weft::interp {

struct source_pos {
    std::uint32_t line = 1;
    std::uint32_t col = 1;

    friend bool operator==(const source_pos&, const source_pos&) = default;
};

}  // namespace weft::interp
