// WMS 1.3.0 and 1.1.1 (issue #5): the service lives in src/ogc; this turns
// its plans into responses and render-pool jobs.
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

Handled handle_wms(Request const& request, RouteContext const& context, std::string_view query)
{
    ogc::ServiceSettings settings{base_url(request, context), context.options->wms_max_size};
    auto plan = ogc::wms_request(context.snapshot->service, query, settings);
    if (plan.now) return ogc_response(std::move(*plan.now));
    WorkJob work(JobKind::heavy, [job = std::move(plan.job)] { return ogc_response(job()); });
    work.pixels = plan.pixels;
    return work;
}

} // namespace sahelmap::server::detail
