// tls.cpp: see tls.hpp.
#include "cluster/tls.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace weft::cluster {

namespace {

// The reason of OpenSSL's latest error ("no start line", "key values
// mismatch"), and its queue emptied so the next call starts clean.
std::string openssl_reason() {
    unsigned long e = ERR_peek_last_error();
    const char* why = e ? ERR_reason_error_string(e) : nullptr;
    ERR_clear_error();
    return why ? why : "unknown error";
}

std::string octal_mode(mode_t m) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", unsigned(m & 07777));
    return text;
}

// Opens `path` to check it can be read (OpenSSL's own message for a missing
// file is "no such file" without the name, and the same for a folder).
void check_readable(const std::string& path, const std::string& what) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw tls_error("cannot read " + what + ": " + std::strerror(errno));
    struct stat st{};
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    ::close(fd);
    if (!regular) throw tls_error(what + " is not a regular file");
}

}  // namespace

std::shared_ptr<asio::ssl::context> make_tls_context(const tls_files& files, const std::string& host) {
    const std::string cert = "TLS certificate " + files.cert + " (--tls-cert)";
    const std::string key = "TLS key " + files.key + " (--tls-key)";
    const std::string ca = "TLS CA file " + files.ca + " (--tls-ca)";
    check_readable(files.cert, cert);
    check_readable(files.key, key);
    check_readable(files.ca, ca);
    struct stat st{};
    if (::stat(files.key.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        throw tls_error(key + " is readable or writable by group or others (mode " + octal_mode(st.st_mode) +
                        "): run chmod 600 " + files.key);

    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls);
    SSL_CTX* c = context->native_handle();
    ERR_clear_error();
    if (SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) != 1)
        throw tls_error("this OpenSSL cannot do TLS 1.3: " + openssl_reason());
    // The key first: loaded after the certificate, a key of another one
    // would fail as "key values mismatch" and read as a bad file.
    if (SSL_CTX_use_PrivateKey_file(c, files.key.c_str(), SSL_FILETYPE_PEM) != 1)
        throw tls_error(key + " holds no PEM private key: " + openssl_reason());
    if (SSL_CTX_use_certificate_chain_file(c, files.cert.c_str()) != 1)
        throw tls_error(cert + " holds no PEM certificate: " + openssl_reason());
    if (SSL_CTX_check_private_key(c) != 1) {
        ERR_clear_error();
        throw tls_error(key + " does not match the " + cert);
    }
    if (SSL_CTX_load_verify_locations(c, files.ca.c_str(), nullptr) != 1)
        throw tls_error(ca + " holds no PEM certificate: " + openssl_reason());

    // The node's own certificate must pass the check its peers will make of
    // it: else every connection would fail later, with the blame on the peer.
    STACK_OF(X509)* chain = nullptr;
    SSL_CTX_get0_chain_certs(c, &chain);
    X509_STORE_CTX* check = X509_STORE_CTX_new();
    if (!check || X509_STORE_CTX_init(check, SSL_CTX_get_cert_store(c), SSL_CTX_get0_certificate(c), chain) != 1) {
        X509_STORE_CTX_free(check);
        throw tls_error("cannot check the " + cert + ": " + openssl_reason());
    }
    bool verified = X509_verify_cert(check) == 1;
    std::string why = verified ? "" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(check));
    X509_STORE_CTX_free(check);
    ERR_clear_error();
    if (!verified) throw tls_error("the " + cert + " does not verify against the " + ca + ": " + why);
    if (std::string mismatch = certificate_mismatch(SSL_CTX_get0_certificate(c), host); !mismatch.empty())
        throw tls_error("the " + cert + " " + mismatch + ", this node's host, as a subjectAltName: its peers would "
                        "refuse it");

    // Both sides show a certificate, and a peer without one is refused.
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    return context;
}

std::string certificate_mismatch(X509* cert, const std::string& host) {
    if (!cert) return "names nothing (there is no certificate)";
    std::string h = host;
    bool address = false;
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') {
        h = h.substr(1, h.size() - 2);
        address = true;
    } else {
        in_addr v4{};
        address = ::inet_pton(AF_INET, h.c_str(), &v4) == 1;
    }
    int named = address ? X509_check_ip_asc(cert, h.c_str(), 0) : X509_check_host(cert, h.data(), h.size(), 0, nullptr);
    ERR_clear_error();
    if (named == 1) return "";
    return std::string("does not name ") + (address ? "the address " : "the host ") + h;
}

}  // namespace weft::cluster
