// remote_sampler.hpp: samples of another node, for `weft top NODE`: this
// runtime joins the cluster as a node (with the cookie) and asks the other
// node's sample server (sample_server.hpp) for a sample as JSON.
//
// It must never hang: every question has a deadline, and a node that does
// not answer is an error that names the node and the likely cause.
#pragma once
#include <chrono>
#include <stdexcept>
#include <string>

#include "actors/runtime.hpp"
#include "tools/observe/snapshot.hpp"

namespace weft::tools::observe {

class remote_sampler {
public:
    // `rt` must already be a node (cluster::node::start) of the same cluster.
    remote_sampler(runtime& rt, std::string target) : rt_(rt), target_(std::move(target)) {}
    // Connects (the first time) and asks for one sample. Throws
    // std::runtime_error saying why there is none.
    std::string fetch_json(const sample_options& options, std::chrono::milliseconds timeout);

private:
    runtime& rt_;
    std::string target_;
    bool connected_ = false;
};

}  // namespace weft::tools::observe
