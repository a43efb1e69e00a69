// unicode_case.hpp: the Unicode classes and case mappings of str methods
// (upper lower title capitalize swapcase casefold and the is...() tests),
// as CPython 3.11's, from tables generated with CPython (unicode_case.cpp
// and unicode_props.cpp, both written by gen_unicode_case.py).
//
// Per code point only: str.lower()'s final-sigma rule, which looks at the
// neighbours, is methods_str.cpp's, with is_cased and is_case_ignorable.
#pragma once
#include <string>

namespace weft::interp {

// Appends cp's full lowercase / uppercase mapping as UTF-8 (one to three
// code points: 'ß'.upper() == 'SS').
void append_lower(std::string& out, char32_t cp);
void append_upper(std::string& out, char32_t cp);
// Unicode's Cased and Case_Ignorable properties.
bool is_cased(char32_t cp) noexcept;
bool is_case_ignorable(char32_t cp) noexcept;
// str.isalpha() and str.isdigit() of one code point.
bool is_alpha(char32_t cp) noexcept;
bool is_digit(char32_t cp) noexcept;

// unicode_props.cpp. The Lowercase and Uppercase properties and the
// titlecase letters (category Lt): CPython's ISLOWER, ISUPPER, ISTITLE.
bool is_lowercase(char32_t cp) noexcept;
bool is_uppercase(char32_t cp) noexcept;
bool is_titlecase(char32_t cp) noexcept;
// str.isdecimal() and str.isnumeric() of one code point.
bool is_decimal(char32_t cp) noexcept;
bool is_numeric(char32_t cp) noexcept;
// Appends cp's full titlecase mapping ('ß' -> "Ss") / case folding
// ('ß' -> "ss") as UTF-8.
void append_title(std::string& out, char32_t cp);
void append_casefold(std::string& out, char32_t cp);

}  // namespace weft::interp
