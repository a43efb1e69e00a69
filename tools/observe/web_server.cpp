// web_server.cpp: see web_server.hpp. The listener and its options here;
// one connection's life (HTTP requests, the WebSocket) in web_session.cpp.
#include "tools/observe/web_server.hpp"

#include <asio/ip/tcp.hpp>
#include <stdexcept>

#include "io/service.hpp"
#include "tools/observe/access_token.hpp"
#include "tools/observe/web_session.hpp"

namespace weft::tools::observe {

namespace {

// HOST:PORT, with [v6]:PORT: the parts, or why not.
struct host_port {
    std::string host;
    std::uint16_t port = 0;
};

host_port parse_address(const std::string& text) {
    std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw std::runtime_error("--observe '" + text + "': expected HOST:PORT (e.g. 127.0.0.1:8080, port 0: any free one)");
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string port_text = text.substr(colon + 1);
    if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
        std::stoul(port_text) > 65535)
        throw std::runtime_error("--observe '" + text + "': the port must be a number from 0 to 65535");
    return {host, std::uint16_t(std::stoul(port_text))};
}

}  // namespace

web_server::web_server(runtime& rt) : impl_(std::make_shared<impl>(rt, io::service_of(rt).context(), sampling_)) {}

web_server::~web_server() { stop(); }

web_server& web_server::start(runtime& rt, const std::string& address, const std::function<std::string()>& cookie) {
    host_port where = parse_address(address);
    asio::error_code ec;
    asio::ip::address ip = asio::ip::make_address(where.host, ec);
    if (ec)
        throw std::runtime_error("--observe '" + address + "': '" + where.host +
                                 "' is not an IP address (the observer binds to one address, e.g. 127.0.0.1)");
    std::string token;
    if (!ip.is_loopback()) {
        try {
            token = observer_token(cookie());
        } catch (const std::exception& e) {
            throw std::runtime_error("--observe '" + address +
                                     "' is not loopback, so it needs a token made from the cookie, and: " + e.what());
        }
    }
    static const char key = 0;  // its address names the extension
    auto& server = static_cast<web_server&>(rt.extension(&key, [&rt] { return std::make_unique<web_server>(rt); }));
    server.impl_->listen(asio::ip::tcp::endpoint(ip, where.port), address, std::move(token));
    return server;
}

std::string web_server::url() const { return impl_->url(); }

void web_server::stop() noexcept {
    impl_->stop();
    // A sample under way ends (it never waits for an actor); queued ones are
    // dropped. After this no job touches the runtime.
    sampling_.stop();
    sampling_.join();
}

}  // namespace weft::tools::observe
