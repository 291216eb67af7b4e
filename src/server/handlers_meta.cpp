// Health and metrics: what operators and monitoring poll.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

#include <algorithm>

namespace sahelmap::server::detail {

Response handle_healthz()
{
    auto res = make_response(http::status::ok, "text/plain; charset=utf-8", std::string("ok\n"));
    res.set(http::field::cache_control, "no-store");
    return res;
}

Response handle_metrics(RouteContext const& context)
{
    if (!context.metrics) throw NotFound("metrics are not collected by this server");
    // Restricted like a protected layer: absent without one of the keys named.
    auto const& readers = context.snapshot->service->config().access.metrics;
    if (!readers.empty() && std::find(readers.begin(), readers.end(), context.access_key) == readers.end())
        throw NotFound("no such path '/metrics'");
    auto res = make_response(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                             context.metrics->text(context.cache ? context.cache->bytes() : 0));
    res.set(http::field::cache_control, "no-store");
    return res;
}

} // namespace sahelmap::server::detail
