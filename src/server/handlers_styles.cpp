// Style documents and TileJSON: what map clients read before the tiles.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace sahelmap::server::detail {

namespace {

constexpr std::string_view kJson = "application/json";

double round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

} // namespace

/// The Host header when it is a plain host[:port], else the server's own
/// address: the value goes into URLs we hand out, so nothing odd may pass.
std::string host_for_urls(Request const& request, RouteContext const& context)
{
    auto const host = to_std(request[http::field::host]);
    bool const plain = !host.empty() && host.size() <= 255 &&
                       host.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-:[]") ==
                           std::string_view::npos;
    return plain ? std::string(host) : context.default_host;
}

/// The three countries' extent in lon/lat: the regions layer (admin-1 of
/// Mali, Burkina Faso and Niger), else everything the store holds.
BBox data_bounds(service::MapService const& service)
{
    if (auto const* regions = service.store().find("regions"); regions && !regions->extent.empty())
        return regions->extent;
    BBox all;
    for (auto const& layer : service.store().layers)
        if (!layer.extent.empty()) all.expand(layer.extent);
    return all.empty() ? BBox{-180, -85.051129, 180, 85.051129} : all;
}

Response handle_style_list(Request const& request, RouteContext const& context)
{
    nlohmann::json ids = context.snapshot->service->style_ids();
    return cacheable(request, kJson, ids.dump(), context.options->max_age, true);
}

Response handle_style(Request const& request, RouteContext const& context, std::string_view style_id)
{
    auto const& renderer = context.snapshot->service->renderer(std::string(style_id));
    return cacheable(request, kJson, renderer.style().json(), context.options->max_age, true);
}

Response handle_tilejson(Request const& request, RouteContext const& context, std::string_view style_id,
                         std::string_view query)
{
    auto const& service = *context.snapshot->service;
    std::string const id(style_id);
    auto const& style = service.renderer(id).style();

    // A TileJSON asked for a date hands out tile URLs for that date.
    std::string suffix;
    if (auto time = query_param(query, "time")) suffix = "?time=" + service::parse_time(*time).to_string();

    auto const b = data_bounds(service);
    nlohmann::ordered_json doc;
    doc["tilejson"] = "3.0.0";
    doc["name"] = style.name().empty() ? id : style.name();
    doc["scheme"] = "xyz";
    doc["tiles"] = {"http://" + host_for_urls(request, context) + "/tiles/" + id + "/{z}/{x}/{y}.png" + suffix};
    doc["minzoom"] = 0;
    doc["maxzoom"] = kMaxZoom;
    doc["bounds"] = {round6(b.minx), round6(b.miny), round6(b.maxx), round6(b.maxy)};
    doc["center"] = {round6((b.minx + b.maxx) / 2), round6((b.miny + b.maxy) / 2), 4};
    doc["attribution"] = style.attribution();
    return cacheable(request, kJson, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     context.options->max_age, true);
}

} // namespace sahelmap::server::detail
