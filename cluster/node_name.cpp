// node_name.cpp: the checks behind parse_node_name, and node_id.
//
// Every check names the text and the part at fault, because the text comes
// from a user (a --name flag, a connect() call) or from a peer's handshake.
// Names are never normalised: the text parsed is the text full() gives back.
#include "cluster/node_name.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

#include "serialize/ids.hpp"

namespace weft::cluster {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_char(char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '-'; }
bool is_label_char(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }
bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }

// Text for a message: printable ASCII as is, the rest as \xNN, and long text
// cut short, so that a hostile or binary name cannot garble a log line.
std::string quoted(std::string_view s) {
    constexpr std::size_t shown = 80;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < shown; ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == '\'' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    if (s.size() > shown) out += "...";
    out += "'";
    return out;
}

std::string quoted_char(char c) { return quoted(std::string_view(&c, 1)); }

// Checks a dotted IPv4 address: four decimal numbers 0-255, no leading zeros
// (which some resolvers read as octal).
bool is_ipv4(std::string_view s) {
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t j = s.find('.', i);
        std::string_view part = s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
        if (!all_digits(part) || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
        int value = 0;
        for (char c : part) value = value * 10 + (c - '0');
        if (value > 255) return false;
        ++parts;
        if (j == std::string_view::npos) break;
        i = j + 1;
    }
    return parts == 4;
}

// Returns an error for a host that is neither an IPv4 address nor a DNS name
// (RFC 1123 labels), or an empty string.
std::string check_plain_host(std::string_view host, const std::string& at) {
    std::size_t last_dot = host.rfind('.');
    std::string_view last_label = last_dot == std::string_view::npos ? host : host.substr(last_dot + 1);
    // A top-level label is never all digits, so such a host means an IPv4 address.
    if (all_digits(last_label)) {
        if (is_ipv4(host)) return {};
        return at + " has host " + quoted(host) + ", which is not an IPv4 address (four numbers 0-255, no leading zeros)";
    }
    if (host.size() > max_dns_host_chars) {
        return at + " has a host of " + std::to_string(host.size()) + " characters: at most " +
               std::to_string(max_dns_host_chars);
    }
    for (char c : host) {
        if (c != '.' && !is_label_char(c)) {
            return at + " has " + quoted_char(c) + " in its host: only letters, digits, '-' and '.' may appear";
        }
    }
    std::size_t i = 0;
    while (true) {
        std::size_t j = host.find('.', i);
        std::string_view label = host.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
        if (label.empty()) return at + " has host " + quoted(host) + " with an empty label";
        if (label.size() > 63) {
            return at + " has a host label of " + std::to_string(label.size()) + " characters: at most 63";
        }
        if (label.front() == '-' || label.back() == '-') {
            return at + " has host label " + quoted(label) + ", which starts or ends with '-'";
        }
        if (j == std::string_view::npos) break;
        i = j + 1;
    }
    return {};
}

}  // namespace

std::string node_name::full() const { return name + "@" + host + ":" + std::to_string(port); }

node_name_result parse_node_name(std::string_view text) {
    const std::string at = "node name " + quoted(text);
    auto fail = [](std::string message) { return node_name_result{std::nullopt, std::move(message)}; };

    if (text.empty()) return fail("node name '' is empty: expected name@host:port");
    if (text.size() > max_full_name_bytes) {
        return fail(at + " is " + std::to_string(text.size()) + " bytes long: at most " +
                    std::to_string(max_full_name_bytes));
    }
    std::size_t at_sign = text.find('@');
    if (at_sign == std::string_view::npos) return fail(at + " has no '@': expected name@host:port");
    if (text.find('@', at_sign + 1) != std::string_view::npos) return fail(at + " has more than one '@'");

    std::string_view name = text.substr(0, at_sign);
    if (name.empty()) return fail(at + " has an empty name before '@'");
    if (name.size() > max_name_part_chars) {
        return fail(at + " has a name of " + std::to_string(name.size()) + " characters: at most " +
                    std::to_string(max_name_part_chars));
    }
    for (char c : name) {
        if (!is_name_char(c)) {
            return fail(at + " has " + quoted_char(c) + " in its name: only letters, digits, '_' and '-' may appear");
        }
    }

    std::string_view rest = text.substr(at_sign + 1);
    std::string_view host;
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        std::size_t close = rest.find(']');
        if (close == std::string_view::npos) return fail(at + " has '[' without a closing ']'");
        host = rest.substr(0, close + 1);
        std::string_view after = rest.substr(close + 1);
        if (after.empty()) return fail(at + " has no port: expected name@host:port");
        if (after.front() != ':') {
            return fail(at + " has " + quoted(after) + " after ']': expected ':' and a port");
        }
        port = after.substr(1);
        std::string inside(host.substr(1, host.size() - 2));
        in6_addr addr{};
        if (inet_pton(AF_INET6, inside.c_str(), &addr) != 1) {
            return fail(at + " has host " + quoted(host) + ", which is not an IPv6 address");
        }
    } else {
        std::size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) return fail(at + " has no port: expected name@host:port");
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (host.empty()) return fail(at + " has an empty host");
        if (host.find(':') != std::string_view::npos) {
            return fail(at + " has an IPv6 address without brackets: write the host as [" + std::string(host) + "]");
        }
        if (std::string error = check_plain_host(host, at); !error.empty()) return fail(std::move(error));
    }

    if (port.empty()) return fail(at + " has an empty port after ':'");
    if (!all_digits(port)) return fail(at + " has port " + quoted(port) + ", which is not a number");
    if (port.size() > 1 && port[0] == '0') return fail(at + " has port " + quoted(port) + " with a leading zero");
    unsigned long value = 0;
    for (char c : port) {
        value = value * 10 + static_cast<unsigned long>(c - '0');
        if (value > 65535) return fail(at + " has port " + quoted(port) + ": ports go from 0 to 65535");
    }
    return {node_name{std::string(name), std::string(host), static_cast<std::uint16_t>(value)}, {}};
}

}  // namespace weft::cluster
