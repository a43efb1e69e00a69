// frame_corpus_gen.cpp: writes the frame fuzzer's seed corpus.
//
// Valid byte streams, one file each: every frame kind, envelopes of every
// signal kind, shared binaries, and small lanes. Run once by hand
// (frame_corpus_gen tests/fuzz/frame_corpus) and the files committed; the
// corpus test checks that they still decode. Deterministic: the same files
// every run.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cluster/frame_encoder.hpp"
#include "serialize/codec.hpp"
#include "serialize/shared_binary.hpp"
#include "serialize/term.hpp"
#include "tests/fuzz/frame_fuzz_limits.hpp"

namespace {

using namespace weft;
using bytes = std::vector<std::byte>;

envelope_ptr make(const term& t, std::uint32_t kind = 0, pid from = {1, 1, 7}) {
    envelope_ptr e(envelope::acquire());
    encode(t, *e);
    e->kind = kind;
    e->from = from;
    e->tag = ref{1, 1, 3};
    e->aux = kind;
    return e;
}

void add(bytes& out, const encoded_frame& f) { out.insert(out.end(), f.bytes().begin(), f.bytes().end()); }
void add(bytes& out, encoded_message m) {
    add(out, m.first);
    if (m.rest)
        while (!m.rest->done()) add(out, m.rest->next_chunk());
}

void write(const std::string& dir, const std::string& name, const bytes& b) {
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    if (!f) std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name.c_str());
}

term pattern(std::size_t n) {
    std::string s(n, 'a');
    for (std::size_t i = 0; i < n; ++i) s[i] = char('a' + i % 26);
    return term::bytes(s);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    frame_encoder enc(test::fuzz_frame_limits());
    auto one = [&](const std::string& name, auto&& f) {
        bytes b;
        add(b, enc.encode(std::forward<decltype(f)>(f)));
        write(dir, name, b);
    };
    one("heartbeat", heartbeat_frame{});
    one("goodbye", goodbye_frame{"normal"});
    one("node_info", node_info_frame{0x1234, "peer@localhost:4370", 2});
    one("spawn_reply_pid", spawn_reply_frame{1, pid{1, 2, 3}});
    one("spawn_reply_error", spawn_reply_frame{2, std::string("no such module")});
    {
        spawn_request_frame s{3, "workers", "start", {std::byte{0xab}, std::byte{0xcd}}, make(term::tuple({term(1), term::str("x")})),
                              pid{1, 1, 9}, true, ref{1, 1, 10}};
        one("spawn_request", std::move(s));
    }
    one("envelope_pid", envelope_frame{pid{2, 1, 5}, make(term::tuple({term::str("ping"), term(pid{1, 1, 7})}))});
    one("envelope_name", envelope_frame{std::string("logger"), make(term::dict({{term::str("level"), term(3)}}))});
    {
        shared_binary* b = shared_binary::make(std::string(100, 's'));
        one("envelope_binaries", envelope_frame{pid{2, 1, 5}, make(term::list({term::shared_str(b), term::shared_bytes(b), term(2.5)}))});
        b->release();
    }
    {
        bytes all;
        for (std::uint32_t kind = 0; kind <= 8; ++kind) {
            add(all, enc.encode(envelope_frame{pid{2, 1, 5}, make(term::tuple({term::str("EXIT"), term(pid{1, 1, 7}), term::str("normal")}), kind)}));
            envelope_ptr bare(envelope::acquire());
            bare->kind = kind;
            bare->from = pid{1, 1, 7};
            add(all, enc.encode(envelope_frame{pid{2, 1, 5}, std::move(bare)}));
        }
        write(dir, "signals", all);
    }
    one("lane_envelope", envelope_frame{pid{2, 1, 5}, make(term::tuple({pattern(1500), term::list({term(1), term(2)})}))});
    {
        spawn_request_frame s;
        s.request_id = 4;
        s.module = "m";
        s.function = "f";
        s.args = make(term::list({pattern(700), pattern(90)}));
        one("lane_spawn_request", std::move(s));
    }
    {
        // Two lanes interleaved with small frames, as a connection writes them.
        bytes mixed;
        encoded_message a = enc.encode(envelope_frame{pid{2, 1, 5}, make(pattern(2500), 0, pid{1, 1, 1})});
        encoded_message b = enc.encode(envelope_frame{pid{2, 1, 5}, make(pattern(1200), 0, pid{1, 1, 2})});
        add(mixed, a.first);
        add(mixed, b.first);
        int n = 0;
        while (!a.rest->done() || !b.rest->done()) {
            add(mixed, enc.encode(envelope_frame{pid{2, 1, 5}, make(term(n++), 0, pid{1, 1, 3})}));
            if (!a.rest->done()) add(mixed, a.rest->next_chunk());
            if (!b.rest->done()) add(mixed, b.rest->next_chunk());
        }
        add(mixed, enc.encode(heartbeat_frame{}));
        write(dir, "mixed_lanes", mixed);
    }
    return 0;
}
