// http_request.cpp: see http_request.hpp.
#include "tools/observe/http_request.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <sstream>

namespace weft::tools::observe {

namespace http = boost::beast::http;

namespace {
constexpr std::uint32_t header_limit = 8 * 1024;
constexpr std::uint64_t body_limit = 16 * 1024;  // the observer takes no uploads
}  // namespace

struct request_reader::impl {
    std::optional<http::request_parser<http::string_body>> parser;
    void reset() {
        parser.emplace();
        parser->header_limit(header_limit);
        parser->body_limit(body_limit);
        parser->eager(true);
    }
};

request_reader::request_reader() : impl_(std::make_unique<impl>()) { impl_->reset(); }
request_reader::~request_reader() = default;

request_reader::status request_reader::feed(std::string_view bytes, std::size_t& used) {
    boost::beast::error_code ec;
    used = impl_->parser->put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec == http::error::need_more) return status::need_more;
    if (ec) {
        error_ = ec.message();
        return status::error;
    }
    return impl_->parser->is_done() ? status::complete : status::need_more;
}

http_request request_reader::take() {
    http::request<http::string_body> req = impl_->parser->release();
    impl_->reset();
    http_request out;
    out.method = std::string(req.method_string());
    std::string_view target(req.target().data(), req.target().size());
    std::size_t q = target.find('?');
    out.path = url_decode(target.substr(0, q));
    if (q != std::string_view::npos) {
        std::string_view rest = target.substr(q + 1);
        while (!rest.empty()) {
            std::size_t amp = rest.find('&');
            std::string_view pair = rest.substr(0, amp);
            std::size_t eq = pair.find('=');
            std::string key = url_decode(pair.substr(0, eq));
            std::string value = eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
            if (!key.empty()) out.query[key] = value;
            if (amp == std::string_view::npos) break;
            rest.remove_prefix(amp + 1);
        }
    }
    out.keep_alive = req.keep_alive();
    auto upgrade = req.find(http::field::upgrade);
    if (upgrade != req.end()) {
        std::string u(upgrade->value());
        for (char& c : u) c = char(std::tolower(static_cast<unsigned char>(c)));
        out.websocket = u == "websocket";
    }
    auto key = req.find(http::field::sec_websocket_key);
    if (key != req.end()) out.websocket_key = std::string(key->value());
    return out;
}

std::string http_response(int status, std::string_view content_type, std::string_view body, bool keep_alive) {
    http::response<http::string_body> res{http::int_to_status(unsigned(status)), 11};
    res.set(http::field::server, "weft-observer");
    res.set(http::field::content_type, std::string(content_type));
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(keep_alive);
    res.body() = std::string(body);
    res.prepare_payload();
    std::ostringstream out;
    out << res;
    return out.str();
}

std::string websocket_upgrade_response(std::string_view accept_key) {
    http::response<http::empty_body> res{http::status::switching_protocols, 11};
    res.set(http::field::upgrade, "websocket");
    res.set(http::field::connection, "Upgrade");
    res.set(http::field::sec_websocket_accept, std::string(accept_key));
    std::ostringstream out;
    out << res;
    return out.str();
}

std::string url_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += char(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace weft::tools::observe
