// Style documents and TileJSON: what map clients read before the tiles.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/vector/maplibre.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace sahelmap::server::detail {

namespace {

constexpr std::string_view kJson = "application/json";

/// The id of the vector tile set in /tiles/{id}.json; no style may take it.
constexpr std::string_view kVector = "vector";
/// Vector tiles are made up to this zoom; clients overzoom beyond.
constexpr int kVectorMaxZoom = 14;

double round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

/// "?time=YYYY-MM-DD" when the query names a date, so URLs we hand out keep it.
std::string time_suffix(std::string_view query)
{
    if (auto time = query_param(query, "time")) return "?time=" + parse_date_parameter(*time).to_string();
    return {};
}

/// A style's attribution, and for a date after the evidence cut-off the
/// notice that nothing was reported then: a client that shows only the
/// TileJSON's attribution still tells its reader the map is not current.
std::string attribution_at(service::MapService const& service, std::string attribution, std::string_view query)
{
    auto const time = query_param(query, "time");
    auto notice = time ? service.reporting_notice(parse_date_parameter(*time)) : std::string();
    if (notice.empty()) return attribution;
    notice[0] = 'N'; // a sentence of its own after the attribution's
    return attribution.empty() ? notice + "." : attribution + " " + notice + ".";
}

/// TileJSON 3.0.0 of the vector tiles, with `vector_layers` for MapLibre.
Response vector_tilejson(Request const& request, RouteContext const& context, std::string_view query)
{
    auto const& service = *context.snapshot->service;
    auto const b = data_bounds(service);
    nlohmann::ordered_json doc;
    doc["tilejson"] = "3.0.0";
    doc["name"] = "sahelmap vector tiles";
    doc["scheme"] = "xyz";
    // ended=1, fields=1 and labels=1 (asked by the MapLibre copy of a style
    // with ghosts, heatmaps or area labels) reach the tiles too.
    auto suffix = time_suffix(query);
    for (char const* flag : {"ended", "fields", "labels"})
        if (auto const v = query_param(query, flag); v && *v == "1")
            suffix += (suffix.empty() ? "?" : "&") + std::string(flag) + "=1";
    doc["tiles"] = {base_url(request, context) + "/tiles/vector/{z}/{x}/{y}.mvt" + suffix};
    doc["minzoom"] = 0;
    doc["maxzoom"] = kVectorMaxZoom;
    doc["bounds"] = {round6(b.minx), round6(b.miny), round6(b.maxx), round6(b.maxy)};
    doc["center"] = {round6((b.minx + b.maxx) / 2), round6((b.miny + b.maxy) / 2), 4};
    auto const ids = service.style_ids();
    if (!ids.empty())
        doc["attribution"] = attribution_at(service, service.renderer(ids.front()).style().attribution(), query);
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    auto const labels = query_param(query, "labels");
    for (auto const& info : vector::describe_layers(service.data())) {
        nlohmann::ordered_json fields = nlohmann::ordered_json::object();
        for (auto const& [name, type] : info.fields) fields[name] = type;
        layers.push_back({{"id", info.id},
                          {"description", info.geometry + " layer " + info.id},
                          {"minzoom", 0},
                          {"maxzoom", kVectorMaxZoom},
                          {"fields", fields}});
        if (labels && *labels == "1" && info.geometry == "polygon")
            layers.push_back({{"id", info.id + vector::kLabelLayerSuffix},
                              {"description", "point layer: where each feature of " + info.id + " is labelled"},
                              {"minzoom", 0},
                              {"maxzoom", kVectorMaxZoom},
                              {"fields", std::move(fields)}});
    }
    if (auto const f = query_param(query, "fields"); f && *f == "1" && service.influence()) {
        nlohmann::ordered_json fields = nlohmann::ordered_json::object();
        for (auto const& bloc : service.influence()->blocs()) fields[bloc] = "Number";
        layers.push_back({{"id", vector::kFieldLayer},
                          {"description", "polygon layer of the influence fields, 32 x 32 cells per tile"},
                          {"minzoom", 0},
                          {"maxzoom", kVectorMaxZoom},
                          {"fields", std::move(fields)}});
    }
    doc["vector_layers"] = std::move(layers);
    return cacheable(request, kJson, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     context.options->max_age, true);
}

} // namespace

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

/// The style as MapLibre GL JS can draw it over our vector tiles (see
/// vector/maplibre.hpp for what changes), or with `?source=raw` the
/// document exactly as loaded (what the renderer draws, and what a config
/// may load again). `?time=` passes a date on to the tile URLs.
Response handle_style(Request const& request, RouteContext const& context, std::string_view style_id)
{
    auto const& renderer = context.snapshot->service->renderer(std::string(style_id));
    auto const target = to_std(request.target());
    auto const question = target.find('?');
    auto const query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    auto const source = query_param(query, "source");
    if (source && *source == "raw")
        return cacheable(request, kJson, renderer.style().json(), context.options->max_age, true);
    if (source && *source != "maplibre")
        throw BadRequest("source '" + std::string(source->substr(0, 32)) + "' is not one of maplibre, raw");
    auto const tilejson = base_url(request, context) + "/tiles/vector.json" + time_suffix(query);
    return cacheable(request, kJson,
                     vector::maplibre_style(renderer.style().json(), tilejson, base_url(request, context),
                                            std::string(style_id),
                                            vector::polygon_layers(context.snapshot->service->data())),
                     context.options->max_age, true);
}

Response handle_tilejson(Request const& request, RouteContext const& context, std::string_view style_id,
                         std::string_view query)
{
    if (style_id == kVector) return vector_tilejson(request, context, query);
    auto const& service = *context.snapshot->service;
    std::string const id(style_id);
    auto const& style = service.renderer(id).style();

    // A TileJSON asked for a date hands out tile URLs for that date.
    std::string const suffix = time_suffix(query);

    auto const b = data_bounds(service);
    nlohmann::ordered_json doc;
    doc["tilejson"] = "3.0.0";
    doc["name"] = style.name().empty() ? id : style.name();
    doc["scheme"] = "xyz";
    doc["tiles"] = {base_url(request, context) + "/tiles/" + id + "/{z}/{x}/{y}.png" + suffix};
    doc["minzoom"] = 0;
    doc["maxzoom"] = kMaxZoom;
    doc["bounds"] = {round6(b.minx), round6(b.miny), round6(b.maxx), round6(b.maxy)};
    doc["center"] = {round6((b.minx + b.maxx) / 2), round6((b.miny + b.maxy) / 2), 4};
    doc["attribution"] = attribution_at(service, style.attribution(), query);
    return cacheable(request, kJson, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     context.options->max_age, true);
}

} // namespace sahelmap::server::detail
