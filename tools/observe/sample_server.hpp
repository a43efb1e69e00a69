// sample_server.hpp: serves samples (snapshot.hpp) to other nodes, for
// `weft top NODE`: a native actor registered as `weft_observer` that
// answers ("sample", reply_to, sort, limit) with ("sample", json).
//
// Each asker gets its own sampler (its reductions per interval are since
// its own previous sample). A sample is taken on the server's turn, on a
// worker thread, and costs what docs/observer.md says; the server hands
// the worker's other queued actors to idle workers first. It must never
// wait for another actor.
#pragma once
#include "actors/runtime.hpp"

namespace weft::tools::observe {

inline constexpr const char* sample_server_name = "weft_observer";

// Spawns and registers the server; the runtime ends it at stop().
pid start_sample_server(runtime& rt);

}  // namespace weft::tools::observe
