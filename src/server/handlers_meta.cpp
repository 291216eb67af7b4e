// Health and metrics: what operators and monitoring poll.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

#include <algorithm>

namespace sahelmap::server {

void Readiness::set_behind_peers(std::string reason)
{
    std::lock_guard lock(m_mutex);
    m_behind = std::move(reason);
}

std::string Readiness::not_ready_reason() const
{
    if (draining()) return "draining: the node is stopping";
    std::lock_guard lock(m_mutex);
    return m_behind.empty() ? std::string() : "behind its peers: " + m_behind;
}

} // namespace sahelmap::server

namespace sahelmap::server::detail {

Response handle_healthz()
{
    auto res = make_response(http::status::ok, "text/plain; charset=utf-8", std::string("ok\n"));
    res.set(http::field::cache_control, "no-store");
    return res;
}

Response handle_readyz(RouteContext const& context)
{
    std::string reason;
    auto const& snapshot = context.snapshot;
    if (!snapshot || !snapshot->service || snapshot->service->style_ids().empty())
        reason = "data and styles are not loaded";
    else if (context.readiness)
        reason = context.readiness->not_ready_reason();
    bool const ready = reason.empty();
    // A body a person reading a balancer's probe log understands; the
    // status is what the balancer acts on.
    auto res = make_response(
        ready ? http::status::ok : http::status::service_unavailable, "text/plain; charset=utf-8",
        ready ? "ready: version " + std::to_string(snapshot->version) +
                    (snapshot->data_version.empty() ? "" : ", data version " + snapshot->data_version) + "\n"
              : "not ready: " + reason + "\n");
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
