// unicode_format.hpp: the Unicode classes of one code point that repr() and
// int()/float() need, as CPython 3.11 has them (tables generated into
// unicode_format.cpp by gen_unicode_format.py).
#pragma once

namespace weft::interp {

bool is_printable(char32_t cp) noexcept;  // str.isprintable()
bool is_space(char32_t cp) noexcept;      // str.isspace()
int decimal_value(char32_t cp) noexcept;  // unicodedata.decimal(c, -1)

}  // namespace weft::interp
