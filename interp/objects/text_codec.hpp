// text_codec.hpp: str <-> bytes with the encodings Weft knows: UTF-8,
// ASCII and Latin-1 (under CPython's names and aliases), with the error
// handlers 'strict', 'ignore' and 'replace'. Used by str.encode,
// bytes.decode, str(b, encoding) and bytes(s, encoding).
//
// Errors are script_error with CPython 3.11's messages: UnicodeEncodeError
// and UnicodeDecodeError (ValueErrors), whose args are the message alone.
// Unknown encodings and error handlers are LookupError, as in Python.
// Nothing here touches a Weft heap: callers pass views copied or valid for
// the call, and get plain std::strings back.
#pragma once
#include <string>
#include <string_view>

namespace weft::interp {

// Encodes UTF-8 text (a str's contents).
std::string encode_text(std::string_view utf8, std::string_view encoding, std::string_view errors = "strict");
// Decodes bytes to UTF-8 (always valid UTF-8, so a str can hold it). An
// error's position counts from `position_base` (a file's offset of data).
std::string decode_bytes(std::string_view data, std::string_view encoding, std::string_view errors = "strict",
                         std::size_t position_base = 0);

}  // namespace weft::interp
