// access_token.cpp: see access_token.hpp.
#include "tools/observe/access_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace weft::tools::observe {

std::string observer_token(std::string_view cookie) {
    static constexpr std::string_view label = "weft observer access token v1";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), cookie.data(), int(cookie.size()), reinterpret_cast<const unsigned char*>(label.data()),
         label.size(), digest, &len);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < 16 && i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

bool token_matches(std::string_view expected, std::string_view given) noexcept {
    if (expected.size() != given.size()) return false;
    return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

}  // namespace weft::tools::observe
