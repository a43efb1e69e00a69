// access_token.hpp: the token that the web observer asks for in every URL
// when it listens on an address other than loopback: derived from the
// cluster's cookie (HMAC-SHA256 of a fixed label), so whoever may join the
// cluster may watch it, and the cookie itself never appears in a URL.
//
// It must never return (or log) the cookie, and compares in constant time.
#pragma once
#include <string>
#include <string_view>

namespace weft::tools::observe {

// 32 hex digits.
std::string observer_token(std::string_view cookie);
bool token_matches(std::string_view expected, std::string_view given) noexcept;

}  // namespace weft::tools::observe
