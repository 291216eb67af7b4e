// Raw HTTP request bytes as a client sends them, framed as the session
// frames them (Beast's parser, the header limit, a body refused), checked by
// check_request (Host, absolute-form targets) and routed over the embedded
// data. Work the router defers (tiles, maps, prints) is not run: drawing is
// reached through the style, query and KVP targets, and one input must stay
// cheap for the fuzzer to try millions.
#include "sahelmap/core/error.hpp"
#include "sahelmap/server/http.hpp"
#include "sahelmap/server/router.hpp"
#include "sahelmap/service/map_service.hpp"

#include <cstdint>
#include <memory>
#include <variant>

namespace {

using namespace sahelmap;
namespace http = boost::beast::http;

/// What a server holds for its router; loaded once per fuzzing process.
struct RouterFixture {
    server::ServerOptions options;
    server::Metrics metrics;
    server::TileCache cache{std::size_t{1} << 20};
    server::Readiness readiness;
    std::shared_ptr<server::Snapshot const> snapshot =
        server::make_snapshot(service::MapService::load(source::Config::defaults()), 1);
};

RouterFixture& fixture()
{
    static RouterFixture f;
    return f;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& f = fixture();
    http::request_parser<http::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(f.options.header_limit));
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (ec == http::error::need_more && parser.is_header_done()) ec = {}; // a body follows
    if (ec || !parser.is_header_done()) return 0;
    server::Request request = parser.release();
    try {
        server::check_request(request);
    } catch (Error const&) {
        return 0;
    }
    server::RouteContext context{f.snapshot,  &f.options,  &f.metrics,   &f.cache,
                                 "127.0.0.1", "127.0.0.1", &f.readiness, {}};
    auto routed = server::route(request, context);
    // As the session does before a write: the router leaves finishing to it.
    if (auto* response = std::get_if<server::Response>(&routed.result)) server::finish(*response, request);
    return 0;
}
