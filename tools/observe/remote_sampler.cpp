// remote_sampler.cpp: see remote_sampler.hpp.
#include "tools/observe/remote_sampler.hpp"

#include <future>
#include <memory>

#include "actors/actor.hpp"
#include "serialize/codec.hpp"
#include "tools/observe/sample_server.hpp"

namespace weft::tools::observe {

namespace {

// What the asking actor found: a JSON text, or why not.
struct answer {
    bool ok = false;
    std::string text;
};

bool is_reply_to(term_view v, ref tag) {
    return v.kind() == term_kind::tuple && v.size() == 3 && v[0].kind() == term_kind::str &&
           v[0].as_str() == remote_reply_tag && v[1].kind() == term_kind::ref && v[1].as_ref() == tag;
}

}  // namespace

std::string remote_sampler::fetch_json(const sample_options& options, std::chrono::milliseconds timeout) {
    remote_nodes* nodes = rt_.remote();
    if (!nodes) throw std::runtime_error("this process is not a node");
    auto result = std::make_shared<std::promise<answer>>();
    std::future<answer> done = result->get_future();
    bool need_connect = !connected_;
    std::string target = target_;
    // An actor asks: the answer comes as a message. It always sets the
    // promise (an answer, a refusal or a timeout), so the wait below ends.
    rt_.spawn([=, this](actor& self) {
        answer a;
        if (need_connect) {
            ref tag = rt_.make_ref();
            nodes->connect(target, self.self(), tag);
            std::optional<message> m =
                self.receive_if([tag](term_view v) { return is_reply_to(v, tag); }, timeout);
            if (!m || m->view()[2].kind() != term_kind::boolean || !m->view()[2].as_bool()) {
                a.text = "cannot connect to node " + target +
                         " (is it running, and does it use the same cookie? its log says why it refused)";
                result->set_value(std::move(a));
                return;
            }
        }
        envelope* e = rt_.make_message(self.self());
        try {
            encode(term::tuple({term::str("sample"), term(self.self()), term::str(sort_key_name(options.sort)),
                                term(std::int64_t(options.limit))}),
                   *e);
        } catch (...) {
            envelope::release(e);
            throw;
        }
        if (nodes->route_named(target, sample_server_name, e) == remote_nodes::routed::unknown_node) {
            envelope::release(e);
            a.text = "'" + target + "' is not a node name (NAME@HOST:PORT)";
            result->set_value(std::move(a));
            return;
        }
        std::optional<message> m = self.receive_if(
            [](term_view v) {
                return v.kind() == term_kind::tuple && v.size() == 2 && v[0].kind() == term_kind::str &&
                       v[0].as_str() == "sample";
            },
            timeout);
        if (!m) {
            a.text = "node " + target + " sent no sample within " + std::to_string(timeout.count()) +
                     " ms (is it a weft node of this version, started with --name?)";
        } else {
            a.ok = true;
            a.text = std::string(m->view()[1].as_str());
        }
        result->set_value(std::move(a));
    });
    answer a = done.get();
    if (!a.ok) throw std::runtime_error(a.text);
    connected_ = true;
    return a.text;
}

}  // namespace weft::tools::observe
