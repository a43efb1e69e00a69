// node_numbers.cpp: see node_numbers.hpp.
#include "serialize/node_numbers.hpp"

#include <algorithm>
#include <mutex>

namespace weft {
namespace {

// Timer refs carry a flag in the serial's top bit (actors/runtime.cpp) and
// ports say what they name in the top byte (io/tcp.hpp): not part of S.
constexpr std::uint64_t ref_serial_mask = ~(std::uint64_t{1} << 63);
constexpr std::uint64_t port_serial_mask = (std::uint64_t{1} << 56) - 1;

void append_numbers(std::string& out, const char* prefix, node_numbers::numbers n, std::uint64_t serial) {
    out += prefix;
    out += '<';
    out += std::to_string(n.node);
    out += '.';
    out += std::to_string(serial);
    out += '.';
    out += std::to_string(n.creation);
    out += '>';
}

}  // namespace

node_numbers::node_numbers(std::uint32_t self_node, std::uint32_t self_creation) {
    nodes_.push_back({self_node, {self_creation}});
}

void node_numbers::rename_self(std::uint32_t self_node) {
    std::unique_lock lock(mutex_);
    nodes_[0].id = self_node;
}

node_numbers::numbers node_numbers::of(std::uint32_t node, std::uint32_t creation) {
    auto find = [&](numbers& found) {
        for (std::size_t n = 0; n < nodes_.size(); ++n) {
            if (nodes_[n].id != node) continue;
            const std::vector<std::uint32_t>& cs = nodes_[n].creations;
            auto c = std::find(cs.begin(), cs.end(), creation);
            found = {std::uint32_t(n), std::uint32_t(c - cs.begin())};
            return c != cs.end() ? 1 : 2;  // 2: the node is known, this creation not yet
        }
        return 0;
    };
    numbers found{};
    {
        std::shared_lock lock(mutex_);
        if (find(found) == 1) return found;
    }
    std::unique_lock lock(mutex_);
    switch (find(found)) {  // again: another thread may have added it meanwhile
    case 1: return found;
    case 2: nodes_[found.node].creations.push_back(creation); return found;
    default: nodes_.push_back({node, {creation}}); return {std::uint32_t(nodes_.size() - 1), 0};
    }
}

void node_numbers::append(std::string& out, const pid& p) {
    append_numbers(out, "", of(p.node, p.creation), printed_serial(p));
}

std::string node_numbers::text(const pid& p) {
    std::string out;
    append(out, p);
    return out;
}

std::string node_numbers::text(const ref& r) {
    std::string out;
    append_numbers(out, "#Ref", of(r.node, r.creation), r.serial & ref_serial_mask);
    return out;
}

std::string node_numbers::text(const port& p) {
    std::string out;
    append_numbers(out, "#Port", of(p.node, p.creation), p.serial & port_serial_mask);
    return out;
}

void append_raw(std::string& out, const char* prefix, std::uint32_t node, std::uint64_t serial,
                std::uint32_t creation) {
    append_numbers(out, prefix, {node, creation}, serial);
}

}  // namespace weft
