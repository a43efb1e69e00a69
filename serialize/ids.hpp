// ids.hpp: the identities that travel inside messages: pids, refs and ports.
//
// A pid names one actor in a cluster: the node's id (a hash of its name), the
// node's creation (its incarnation, so a restarted node's old pids stay dead) and
// a serial the node never reuses. A ref has the same shape: a name unique in the
// cluster. Plain values: no pointers, no ownership, safe to copy across threads.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <string_view>

namespace weft {

// The id a node's pids and refs carry: FNV-1a of its full name
// ("a@127.0.0.1:7001"), never 0. Two names with one id cannot be connected.
constexpr std::uint32_t node_id_of(std::string_view full_name) noexcept {
    std::uint32_t h = 2166136261u;
    for (char c : full_name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h ? h : 1;
}

struct pid {
    std::uint32_t node = 0;
    std::uint32_t creation = 0;
    std::uint64_t serial = 0;

    friend constexpr bool operator==(const pid&, const pid&) = default;
    friend constexpr auto operator<=>(const pid&, const pid&) = default;
    constexpr explicit operator bool() const { return serial != 0; }
};

struct ref {
    std::uint32_t node = 0;
    std::uint32_t creation = 0;
    std::uint64_t serial = 0;

    friend constexpr bool operator==(const ref&, const ref&) = default;
    friend constexpr auto operator<=>(const ref&, const ref&) = default;
    constexpr explicit operator bool() const { return serial != 0; }
};

// A port names something of a node outside the actors that actors hold and
// pass on: a socket (io/tcp.hpp). Same shape again; its serial's top byte
// says what it names.
struct port {
    std::uint32_t node = 0;
    std::uint32_t creation = 0;
    std::uint64_t serial = 0;

    friend constexpr bool operator==(const port&, const port&) = default;
    friend constexpr auto operator<=>(const port&, const port&) = default;
    constexpr explicit operator bool() const { return serial != 0; }
};

}  // namespace weft

template <>
struct std::hash<weft::pid> {
    std::size_t operator()(const weft::pid& p) const noexcept {
        return std::hash<std::uint64_t>{}(p.serial ^ (std::uint64_t(p.node) << 32 | p.creation) * 0x9e3779b97f4a7c15ull);
    }
};
template <>
struct std::hash<weft::ref> {
    std::size_t operator()(const weft::ref& r) const noexcept {
        return std::hash<std::uint64_t>{}(r.serial ^ (std::uint64_t(r.node) << 32 | r.creation) * 0x9e3779b97f4a7c15ull);
    }
};
template <>
struct std::hash<weft::port> {
    std::size_t operator()(const weft::port& p) const noexcept {
        return std::hash<std::uint64_t>{}(p.serial ^ (std::uint64_t(p.node) << 32 | p.creation) * 0x9e3779b97f4a7c15ull);
    }
};
