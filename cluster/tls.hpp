// tls.hpp: the cluster's mutual TLS mode (--tls-cert --tls-key --tls-ca).
//
// In this mode every connection between nodes is TLS 1.3, and both sides
// present a certificate signed by the cluster's CA and check the other's; the
// cookie handshake then runs inside the channel as in plain mode, so a node
// needs both the cookie and a certificate. Once a peer has proved the cookie
// for a node name, its certificate must name that name's host (as a
// subjectAltName IP address or DNS name), so a certificate stolen from one
// host cannot speak for a node on another. A TLS node and a plain node do not
// connect.
//
// This file makes the context all of a node's connections share, once at
// start, and checks a peer's certificate against a host. It must never log a
// key's bytes, never accept a peer that shows no certificate, and never loosen
// a key file's mode.
#pragma once
#include <openssl/ssl.h>

#include <asio/ssl/context.hpp>
#include <memory>
#include <stdexcept>
#include <string>

namespace weft::cluster {

struct tls_files {
    std::string cert;  // this node's certificate (then any intermediates), PEM
    std::string key;   // its private key, PEM; refused when group or others may read it
    std::string ca;    // the certificate(s) of the CA that signs the cluster's nodes, PEM
};

// A problem with the TLS files a user can fix; the message names the file and
// the cause, e.g.
//   TLS key /etc/weft/a.key (--tls-key) does not match the certificate /etc/weft/a.pem (--tls-cert)
class tls_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads and checks the three files for a node whose name has `host`: each
// readable and of PEM, the key private and matching the certificate, and the
// certificate one that the CA signed, valid now, and naming `host` (else its
// peers would refuse it). Throws tls_error.
std::shared_ptr<asio::ssl::context> make_tls_context(const tls_files& files, const std::string& host);

// "" when `cert` names `host` (a node name's host: a DNS name, a dotted IPv4
// address or "[IPv6]"), else why not: "does not name the address 10.0.0.1"
// (as a subjectAltName, or for a DNS name its subject's common name).
std::string certificate_mismatch(X509* cert, const std::string& host);

}  // namespace weft::cluster
