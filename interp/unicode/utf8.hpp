// utf8.hpp: the little UTF-8 the front end needs: decode one code point,
// encode one, and classify identifier characters.
//
// Decoding is strict (no overlong forms, no surrogates, nothing above
// U+10FFFF) because Weft source and str values are valid UTF-8 by contract.
// Nothing here allocates except append_utf8.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace weft::interp {

struct utf8_char {
    char32_t cp = 0;
    std::size_t len = 0;  // bytes used; 0 means the bytes at i are not valid UTF-8
};

// Decodes the code point starting at byte i (i < s.size()).
utf8_char decode_utf8(std::string_view s, std::size_t i);

// Appends cp (at most U+10FFFF, not a surrogate) to out.
void append_utf8(std::string& out, char32_t cp);

// True for a UTF-8 continuation byte (10xxxxxx): it never starts a column.
inline bool is_utf8_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Python's identifier classes for code points above U+007F (unicode_ident.cpp).
bool is_unicode_id_start(char32_t cp);
bool is_unicode_id_continue(char32_t cp);

// Code points an error message should show by number only (controls, format
// characters, separators): printing them would garble the terminal.
bool is_unprintable(char32_t cp);

}  // namespace weft::interp
