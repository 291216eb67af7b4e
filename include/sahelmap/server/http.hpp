#pragma once
/// HTTP message types of the server and the header rules every response
/// follows (CORS, keep-alive, HEAD, ETag and gzip negotiation).
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include "sahelmap/encode/gzip.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sahelmap::server {

namespace http = boost::beast::http;

/// Immutable bytes shared between the tile cache and every response sending
/// them, so a cached tile is written from the cache's own buffer, never copied.
using SharedBytes = std::shared_ptr<std::string const>;

/// A Beast body over SharedBytes (responses only; requests carry no body).
struct SharedBody {
    using value_type = SharedBytes;

    static std::uint64_t size(value_type const& body) noexcept { return body ? body->size() : 0; }

    class writer {
    public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool is_request, class Fields> writer(http::header<is_request, Fields> const&, value_type const& body)
            : m_body(body)
        {
        }
        void init(boost::beast::error_code& ec) { ec = {}; }
        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec)
        {
            ec = {};
            if (!m_body || m_body->empty()) return boost::none;
            return std::make_pair(const_buffers_type(m_body->data(), m_body->size()), false);
        }

    private:
        value_type const& m_body; // the message's own member; lives while it is written
    };
};

/// Beast 1.74 speaks boost::string_view; the rest of sahelmap std::string_view.
inline std::string_view to_std(boost::beast::string_view s) noexcept
{
    return {s.data(), s.size()};
}
inline boost::beast::string_view to_beast(std::string_view s) noexcept
{
    return {s.data(), s.size()};
}

/// Requests are header-only: the service accepts no bodies.
using Request = http::request<http::empty_body>;
using Response = http::response<SharedBody>;

/// A response with a body; Content-Length is set by finish().
Response make_response(http::status status, std::string_view content_type, SharedBytes body);
Response make_response(http::status status, std::string_view content_type, std::string body);

/// Headers every response carries, and HEAD: sets the HTTP version and
/// keep-alive from the request, Server, Access-Control-Allow-Origin,
/// Content-Length, drops the body of a HEAD answer (keeping its
/// Content-Length) and of a 204/304. Called once per answer, by the session
/// just before the write; the router and handlers never call it.
void finish(Response& response, Request const& request);

/// RFC 9112 §3.2 on a parsed request, before routing: a request with two
/// Host fields, or an HTTP/1.1 request with none, throws BadRequest; an
/// absolute-form target (`http://host/path?q`) becomes origin-form
/// (`/path?q`) and its authority the Host (§3.2.2).
void check_request(Request& request);

/// Whether an Accept-Encoding value admits gzip (`gzip;q=0` does not).
bool accepts_gzip(std::string_view accept_encoding) noexcept;
using encode::gunzip; // for tests and tools
using encode::gzip;   // encode/gzip.hpp

/// A strong entity tag `"<16 hex digits>"` (with `-gz` before the closing
/// quote for the gzip representation).
std::string make_etag(std::uint64_t hash, bool gzipped = false);
/// Whether an If-None-Match value names `etag` (weak comparison, `*` matches).
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;

/// FNV-1a, 64 bits: cheap and stable across runs and builds, enough to tell
/// versions of a tile or document apart (not for security).
class Hasher {
public:
    Hasher& bytes(void const* data, std::size_t size) noexcept
    {
        auto const* p = static_cast<unsigned char const*>(data);
        for (std::size_t i = 0; i < size; ++i) m_state = (m_state ^ p[i]) * 0x100000001b3ULL;
        return *this;
    }
    Hasher& text(std::string_view s) noexcept
    {
        std::uint64_t const n = s.size(); // length first: ("ab","c") ≠ ("a","bc")
        bytes(&n, sizeof n);
        return bytes(s.data(), s.size());
    }
    template <class T> Hasher& value(T v) noexcept { return bytes(&v, sizeof v); }
    std::uint64_t digest() const noexcept { return m_state; }

private:
    std::uint64_t m_state = 0xcbf29ce484222325ULL;
};

} // namespace sahelmap::server
