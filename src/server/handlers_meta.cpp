// Health and metrics: what operators and monitoring poll.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

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
    auto res = make_response(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                             context.metrics->text(context.cache ? context.cache->bytes() : 0));
    res.set(http::field::cache_control, "no-store");
    return res;
}

} // namespace sahelmap::server::detail
