// codec_bench.cpp: our term.capnp codec against libcapnp's generic builder and
// reader, on the message DESIGN.md quotes ("ping", pid, 42) and on a big list.
//
// Both sides produce the same bytes; both decode into a weft::term, so the
// difference is the codec alone. libcapnp gets its best case: a reused,
// pre-zeroed first segment (no malloc for the builder's segment).
#include <benchmark/benchmark.h>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstring>
#include <vector>

#include "serialize/codec.hpp"
#include "serialize/term.capnp.h"
#include "serialize/term_view.hpp"

using namespace weft;
using schema_term = weft::schema::Term;

namespace {

term ping() { return term::tuple({term::str("ping"), term(pid{0x1a2b, 1, 17}), term(42)}); }

// libcapnp reader -> term for the kinds the benchmarks use (shallow values).
term from_reader(schema_term::Reader r) {
    switch (r.which()) {
        case schema_term::INT: return term(r.getInt());
        case schema_term::STR: return term::str(std::string_view(r.getStr().begin(), r.getStr().size()));
        case schema_term::PID: {
            auto p = r.getPid();
            return term(pid{p.getNode(), p.getCreation(), p.getSerial()});
        }
        case schema_term::TUPLE:
        case schema_term::LIST: {
            auto l = r.isTuple() ? r.getTuple() : r.getList();
            std::vector<term> items;
            items.reserve(l.size());
            for (auto e : l) items.push_back(from_reader(e));
            return r.isTuple() ? term::tuple(std::move(items)) : term::list(std::move(items));
        }
        default: return term();
    }
}

void build_ping(schema_term::Builder root) {
    auto l = root.initTuple(3);
    l[0].setStr("ping");
    auto p = l[1].initPid();
    p.setNode(0x1a2b);
    p.setCreation(1);
    p.setSerial(17);
    l[2].setInt(42);
}

void BM_weft_ping_encode_decode(benchmark::State& state) {
    term msg = ping();
    for (auto _ : state) {
        envelope* e = envelope::acquire();
        encode(msg, *e);
        term back = decode(*e);
        benchmark::DoNotOptimize(back);
        envelope::release(e);
    }
}
BENCHMARK(BM_weft_ping_encode_decode);

void BM_weft_ping_encode(benchmark::State& state) {
    term msg = ping();
    for (auto _ : state) {
        envelope* e = envelope::acquire();
        encode(msg, *e);
        benchmark::DoNotOptimize(e->words().data());
        envelope::release(e);
    }
}
BENCHMARK(BM_weft_ping_encode);

void BM_weft_ping_decode(benchmark::State& state) {
    envelope* e = envelope::acquire();
    encode(ping(), *e);
    for (auto _ : state) {
        term back = decode(*e);
        benchmark::DoNotOptimize(back);
    }
    envelope::release(e);
}
BENCHMARK(BM_weft_ping_decode);

// What selective receive does per queued message: match {"ping", _, N} in place.
void BM_weft_ping_view_match(benchmark::State& state) {
    envelope* e = envelope::acquire();
    encode(ping(), *e);
    for (auto _ : state) {
        term_view v = term_view::root(*e);
        bool match = v.is(term_kind::tuple) && v.size() == 3 && v[0].as_str() == "ping" && v[2].is(term_kind::integer);
        benchmark::DoNotOptimize(match);
    }
    envelope::release(e);
}
BENCHMARK(BM_weft_ping_view_match);

void BM_capnp_ping_encode_decode(benchmark::State& state) {
    kj::Array<capnp::word> scratch = kj::heapArray<capnp::word>(256);
    std::memset(static_cast<void*>(scratch.begin()), 0, scratch.size() * sizeof(capnp::word));
    for (auto _ : state) {
        kj::Array<capnp::word> flat;
        {
            capnp::MallocMessageBuilder mb(scratch);  // zeroes what it used on destruction
            build_ping(mb.initRoot<schema_term>());
            flat = capnp::messageToFlatArray(mb);
        }
        capnp::FlatArrayMessageReader reader(flat);
        term back = from_reader(reader.getRoot<schema_term>());
        benchmark::DoNotOptimize(back);
    }
}
BENCHMARK(BM_capnp_ping_encode_decode);

void BM_capnp_ping_encode(benchmark::State& state) {
    kj::Array<capnp::word> scratch = kj::heapArray<capnp::word>(256);
    std::memset(static_cast<void*>(scratch.begin()), 0, scratch.size() * sizeof(capnp::word));
    for (auto _ : state) {
        capnp::MallocMessageBuilder mb(scratch);
        build_ping(mb.initRoot<schema_term>());
        auto flat = capnp::messageToFlatArray(mb);
        benchmark::DoNotOptimize(flat.begin());
    }
}
BENCHMARK(BM_capnp_ping_encode);

std::vector<term> ints(int n) {
    std::vector<term> v;
    for (int i = 0; i < n; ++i) v.push_back(term(i));
    return v;
}

void BM_weft_encode_list10k(benchmark::State& state) {
    term msg = term::list(ints(10'000));
    envelope* e = envelope::acquire();  // one envelope, its grown buffer reused
    for (auto _ : state) {
        encode(msg, *e);
        benchmark::DoNotOptimize(e->words().data());
    }
    state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(e->words().size_bytes()));
    envelope::release(e);
}
BENCHMARK(BM_weft_encode_list10k);

void BM_weft_decode_list10k(benchmark::State& state) {
    envelope* e = envelope::acquire();
    encode(term::list(ints(10'000)), *e);
    for (auto _ : state) {
        term back = decode(*e);
        benchmark::DoNotOptimize(back);
    }
    envelope::release(e);
}
BENCHMARK(BM_weft_decode_list10k);

void BM_capnp_encode_list10k(benchmark::State& state) {
    kj::Array<capnp::word> scratch = kj::heapArray<capnp::word>(40'000);
    std::memset(static_cast<void*>(scratch.begin()), 0, scratch.size() * sizeof(capnp::word));
    for (auto _ : state) {
        capnp::MallocMessageBuilder mb(scratch);
        auto l = mb.initRoot<schema_term>().initList(10'000);
        for (unsigned i = 0; i < 10'000; ++i) l[i].setInt(i);
        auto flat = capnp::messageToFlatArray(mb);
        benchmark::DoNotOptimize(flat.begin());
    }
}
BENCHMARK(BM_capnp_encode_list10k);

}  // namespace

BENCHMARK_MAIN();
