// text_codec.cpp: the UTF-8, ASCII and Latin-1 codecs, with CPython's
// encoding names, its UTF-8 decoder's exact error ranges and reasons, and
// its messages. See text_codec.hpp. Never produces invalid UTF-8 for a str.
#include "interp/objects/text_codec.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "interp/objects/script_error.hpp"
#include "interp/unicode/utf8.hpp"

namespace weft::interp {
namespace {

enum class codec { utf8, ascii, latin1 };

// CPython's encodings.normalize_encoding, lower-cased: runs of characters
// other than letters, digits and '.' become one '_', trimmed at both ends.
std::string normalize(std::string_view name) {
    std::string out;
    bool pending = false;
    for (char c : name) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
        if (!keep) {
            pending = true;
            continue;
        }
        if (pending && !out.empty()) out += '_';
        pending = false;
        out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    }
    return out;
}

codec find_codec(std::string_view name) {
    std::string n = normalize(name);
    for (const char* a : {"utf_8", "utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001"})
        if (n == a) return codec::utf8;
    for (const char* a : {"ascii", "646", "ansi_x3.4_1968", "ansi_x3_4_1968", "ansi_x3.4_1986", "cp367", "csascii",
                          "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6", "us", "us_ascii"})
        if (n == a) return codec::ascii;
    for (const char* a : {"latin_1", "latin1", "iso_8859_1", "iso8859_1", "8859", "cp819", "csisolatin1", "ibm819",
                          "iso_8859_1_1987", "iso_ir_100", "l1", "latin"})
        if (n == a) return codec::latin1;
    throw_script_error("LookupError", "unknown encoding: " + std::string(name));
}

const char* codec_name(codec c) {
    switch (c) {
    case codec::utf8: return "utf-8";
    case codec::ascii: return "ascii";
    case codec::latin1: return "latin-1";
    }
    return "?";
}

enum class handler { strict, ignore, replace };

// The handler is looked up only when an error happens (as CPython).
handler find_handler(std::string_view errors) {
    if (errors == "strict") return handler::strict;
    if (errors == "ignore") return handler::ignore;
    if (errors == "replace") return handler::replace;
    throw_script_error("LookupError", "unknown error handler name '" + std::string(errors) + "'");
}

std::string hex_byte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", b);
    return buf;
}

std::string escaped_char(char32_t cp) {
    char buf[16];
    if (cp < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", unsigned(cp));
    else if (cp < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(cp));
    else std::snprintf(buf, sizeof buf, "\\U%08x", unsigned(cp));
    return buf;
}

[[noreturn]] void decode_error(codec c, std::string_view data, std::size_t start, std::size_t end,
                               const char* reason, std::size_t base) {
    std::string msg = std::string("'") + codec_name(c) + "' codec can't decode ";
    if (end - start == 1)
        msg += "byte " + hex_byte(static_cast<unsigned char>(data[start])) + " in position " +
               std::to_string(base + start);
    else
        msg += "bytes in position " + std::to_string(base + start) + "-" + std::to_string(base + end - 1);
    throw_script_error("UnicodeDecodeError", msg + ": " + reason);
}

// The length of the invalid UTF-8 sequence at data[i] and why, as CPython's
// decoder reports it: the bytes of a valid prefix belong to the error.
std::size_t utf8_error_at(std::string_view data, std::size_t i, const char*& reason) {
    auto b0 = static_cast<unsigned char>(data[i]);
    std::size_t need;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        reason = "invalid start byte";
        return 1;
    }
    std::size_t k = 1;
    for (; k < need; ++k) {
        if (i + k >= data.size()) {
            reason = "unexpected end of data";
            return k;
        }
        auto b = static_cast<unsigned char>(data[i + k]);
        bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
        if (!ok) {
            reason = "invalid continuation byte";
            return k;
        }
    }
    reason = nullptr;  // valid: the caller never asks for these
    return k;
}

// The length of the run of ASCII bytes at the start of data, eight at a time.
std::size_t ascii_prefix(std::string_view data) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= data.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, data.data() + i, 8);
        if (word & 0x8080808080808080u) break;
    }
    while (i < data.size() && static_cast<unsigned char>(data[i]) < 0x80) ++i;
    return i;
}

std::string decode_utf8_text(std::string_view data, std::string_view errors, std::size_t base) {
    std::string out;
    out.reserve(data.size());
    std::size_t i = 0;
    while (i < data.size()) {
        if (std::size_t run = ascii_prefix(data.substr(i)); run > 0) {  // most text: copied whole
            out.append(data.substr(i, run));
            i += run;
            continue;
        }
        utf8_char u = decode_utf8(data, i);
        if (u.len) {
            out.append(data.substr(i, u.len));
            i += u.len;
            continue;
        }
        const char* reason = nullptr;
        std::size_t n = utf8_error_at(data, i, reason);
        switch (find_handler(errors)) {
        case handler::strict: decode_error(codec::utf8, data, i, i + n, reason, base);
        case handler::ignore: break;
        case handler::replace: out += "\xEF\xBF\xBD"; break;  // U+FFFD
        }
        i += n;
    }
    return out;
}

std::string decode_single_byte(codec c, std::string_view data, std::string_view errors, std::size_t base) {
    std::string out;
    out.reserve(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        auto b = static_cast<unsigned char>(data[i]);
        if (b < 0x80 || c == codec::latin1) {
            append_utf8(out, b);
            continue;
        }
        switch (find_handler(errors)) {
        case handler::strict: decode_error(c, data, i, i + 1, "ordinal not in range(128)", base);
        case handler::ignore: break;
        case handler::replace: out += "\xEF\xBF\xBD"; break;
        }
    }
    return out;
}

std::string encode_single_byte(codec c, std::string_view utf8, std::string_view errors) {
    const char32_t limit = c == codec::ascii ? 0x80 : 0x100;
    std::string out;
    out.reserve(utf8.size());
    std::size_t pos = 0;  // code points
    for (std::size_t i = 0; i < utf8.size();) {
        utf8_char u = decode_utf8(utf8, i);
        if (u.len == 0) u = {0xFFFD, 1};  // never for a str
        if (u.cp < limit) {
            out += char(u.cp);
            i += u.len;
            ++pos;
            continue;
        }
        // The run of characters this codec cannot encode is one error.
        std::size_t run_end = i, run_pos = pos;
        char32_t first = u.cp;
        while (run_end < utf8.size()) {
            utf8_char w = decode_utf8(utf8, run_end);
            if (w.len == 0 || w.cp < limit) break;
            run_end += w.len;
            ++run_pos;
        }
        switch (find_handler(errors)) {
        case handler::strict: {
            std::string msg = std::string("'") + codec_name(c) + "' codec can't encode ";
            if (run_pos - pos == 1)
                msg += "character '" + escaped_char(first) + "' in position " + std::to_string(pos);
            else
                msg += "characters in position " + std::to_string(pos) + "-" + std::to_string(run_pos - 1);
            msg += c == codec::ascii ? ": ordinal not in range(128)" : ": ordinal not in range(256)";
            throw_script_error("UnicodeEncodeError", msg);
        }
        case handler::ignore: break;
        case handler::replace: out.append(run_pos - pos, '?'); break;
        }
        i = run_end;
        pos = run_pos;
    }
    return out;
}

}  // namespace

std::string encode_text(std::string_view utf8, std::string_view encoding, std::string_view errors) {
    codec c = find_codec(encoding);
    if (c == codec::utf8) return std::string(utf8);  // a str is valid UTF-8: nothing can fail
    return encode_single_byte(c, utf8, errors);
}

std::string decode_bytes(std::string_view data, std::string_view encoding, std::string_view errors,
                         std::size_t position_base) {
    codec c = find_codec(encoding);
    if (c == codec::utf8) return decode_utf8_text(data, errors, position_base);
    return decode_single_byte(c, data, errors, position_base);
}

}  // namespace weft::interp
