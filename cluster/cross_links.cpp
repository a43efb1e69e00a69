// cross_links.cpp: see cross_links.hpp.
#include "cluster/cross_links.hpp"

namespace weft::cluster {

void cross_links::leaving(signal_kind kind, pid from, pid to, ref tag) {
    std::lock_guard guard(mutex_);
    switch (kind) {
    case signal_kind::link: links_.insert({from, to}); break;
    case signal_kind::unlink:
    case signal_kind::link_exit: links_.erase({from, to}); break;
    case signal_kind::monitor: mine_[tag] = {from, to}; break;
    case signal_kind::demonitor: mine_.erase(tag); break;
    case signal_kind::down: theirs_.erase(tag); break;  // our actor ended: their monitor fired
    default: break;
    }
}

void cross_links::arriving(signal_kind kind, pid from, pid to, ref tag) {
    std::lock_guard guard(mutex_);
    switch (kind) {
    case signal_kind::link: links_.insert({to, from}); break;
    case signal_kind::unlink:
    case signal_kind::link_exit: links_.erase({to, from}); break;
    case signal_kind::monitor: theirs_[tag] = {to, from}; break;
    case signal_kind::demonitor: theirs_.erase(tag); break;
    case signal_kind::down: mine_.erase(tag); break;
    default: break;
    }
}

std::vector<cross_links::lost> cross_links::peer_lost() {
    std::lock_guard guard(mutex_);
    std::vector<lost> out;
    out.reserve(links_.size() + mine_.size() + theirs_.size());
    for (const auto& [ours, theirs] : links_) out.push_back({ours, signal_kind::link_exit, theirs, {}});
    for (const auto& [tag, pair] : mine_) out.push_back({pair.first, signal_kind::down, pair.second, tag});
    for (const auto& [tag, pair] : theirs_) out.push_back({pair.first, signal_kind::demonitor, pair.second, tag});
    links_.clear();
    mine_.clear();
    theirs_.clear();
    return out;
}

std::size_t cross_links::links() const {
    std::lock_guard guard(mutex_);
    return links_.size();
}

std::size_t cross_links::monitors() const {
    std::lock_guard guard(mutex_);
    return mine_.size() + theirs_.size();
}

}  // namespace weft::cluster
