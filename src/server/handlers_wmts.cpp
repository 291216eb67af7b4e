// WMTS 1.0.0 (issue #5): the service lives in src/ogc; tiles go through the
// XYZ tile path (same bytes, same cache and ETags).
#include "handlers.hpp"

#include "sahelmap/ogc/service.hpp"

namespace sahelmap::server::detail {

namespace {

/// An OGC service's answer as a response. Maps and documents depend on the
/// data version and the date: clients revalidate, errors are not stored.
Response ogc_response(ogc::OgcResponse answer)
{
    auto res = make_response(static_cast<http::status>(answer.status), answer.content_type, std::move(answer.body));
    res.set(http::field::cache_control, answer.status == 200 ? "no-cache" : "no-store");
    return res;
}

} // namespace

Handled handle_wmts(Request const& request, RouteContext const& context, std::string_view path, std::string_view query)
{
    ogc::ServiceSettings settings{base_url(request, context), context.options->wms_max_size};
    auto plan = ogc::wmts_request(context.snapshot->service, path, query, settings);
    if (plan.tile) {
        auto const& t = *plan.tile;
        return serve_raster_tile(request, context, {t.style, t.tile, 1, t.time, std::nullopt});
    }
    return ogc_response(std::move(*plan.now));
}

} // namespace sahelmap::server::detail
