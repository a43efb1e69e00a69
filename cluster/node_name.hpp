// node_name.hpp: a node's name, `name@host:port`, and the 32-bit id pids carry.
//
// A node names itself on the command line (`weft node --name a@example.org:4370`)
// and other nodes dial it by that same text, so the text is the node's identity:
// the handshake compares it byte for byte and the id is a hash of it. This file
// only parses and checks text; it must never resolve a host, open a socket or
// normalise a name (two spellings of one address are two names).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serialize/ids.hpp"

namespace weft::cluster {

// Bounds on each part and on the whole text. A full name must fit in a
// handshake message, which allows names of at most max_full_name_bytes.
inline constexpr std::size_t max_name_part_chars = 64;
inline constexpr std::size_t max_dns_host_chars = 253;
inline constexpr std::size_t max_full_name_bytes = 300;

struct node_name {
    std::string name;        // 1-64 of [A-Za-z0-9_-]
    std::string host;        // a DNS name, a dotted IPv4 address, or an IPv6 address in brackets ("[::1]")
    std::uint16_t port = 0;  // 0: "pick a free port" when listening; never dialled

    // The text this name was parsed from: name@host:port.
    std::string full() const;

    friend bool operator==(const node_name&, const node_name&) = default;
};

struct node_name_result {
    std::optional<node_name> value;  // set when the text is a valid node name
    std::string error;               // otherwise why not, naming the text and the part at fault

    explicit operator bool() const { return value.has_value(); }
};

// Parses and checks `text`. Errors read like
//   node name 'x' has no '@': expected name@host:port
// Port 0 is accepted here (a node may ask for a free port); whoever dials or
// authenticates a name must refuse port 0 itself.
node_name_result parse_node_name(std::string_view text);

// A node's id, as pids carry it, is node_id_of(full name) (serialize/ids.hpp).
// Ids are not unique: two different names with the same id cannot both be in
// one cluster, so a node refuses to connect to a peer whose id equals its own
// (the handshake) or that of another node it knows (node::connection_ready).
using weft::node_id_of;

}  // namespace weft::cluster
