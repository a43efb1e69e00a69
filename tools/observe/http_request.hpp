// http_request.hpp: HTTP/1.1 requests read from a byte stream and responses
// written as bytes, for the web observer. Parsing is Boost.Beast's
// (request_parser, fed with bytes: no Boost.Asio socket is involved, the
// connection itself runs on the runtime's standalone asio, io/).
//
// It must never let a request grow without bound: headers and bodies over
// small limits are errors, which the server answers with 400 and a close.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace weft::tools::observe {

struct http_request {
    std::string method;   // "GET"
    std::string path;     // "/sample.json", without the query
    std::map<std::string, std::string> query;  // decoded ?k=v&...
    bool websocket = false;  // an Upgrade: websocket request
    std::string websocket_key;
    bool keep_alive = true;
};

class request_reader {
public:
    request_reader();
    ~request_reader();
    enum class status { complete, need_more, error };
    // Feeds bytes; `used` says how many it took. On complete, take() gives
    // the request and the reader starts afresh for the next one.
    status feed(std::string_view bytes, std::size_t& used);
    http_request take();
    const std::string& error() const { return error_; }

private:
    struct impl;
    std::unique_ptr<impl> impl_;
    std::string error_;
};

// A whole response: status line, headers (Content-Length, Content-Type,
// Cache-Control: no-store) and body.
std::string http_response(int status, std::string_view content_type, std::string_view body, bool keep_alive);
// The 101 answer to a WebSocket upgrade.
std::string websocket_upgrade_response(std::string_view accept_key);

// %xx and '+' decoded (a malformed escape stays as it is).
std::string url_decode(std::string_view s);

}  // namespace weft::tools::observe
