// Data as JSON: what the record holds and how far its evidence reaches, the
// dated events for the viewer's timeline, and the per-region influence scores.
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/influence/export.hpp"
#include "sahelmap/influence/layer.hpp"

#include <nlohmann/json.hpp>

namespace sahelmap::server::detail {

Response handle_data(Request const& request, RouteContext const& context)
{
    auto const& service = *context.snapshot->service;
    nlohmann::ordered_json doc;
    doc["evidence_until"] = service.evidence_until().to_string();
    auto dates = nlohmann::ordered_json::array();
    for (auto const& d : service.store().change_dates()) dates.push_back(d.to_string());
    doc["change_dates"] = std::move(dates);
    auto layers = nlohmann::ordered_json::object();
    for (auto const& layer : service.store().layers)
        layers[layer.name] = {{"features", layer.features.size()}, {"sources", service::count_sources(layer)}};
    doc["layers"] = std::move(layers);
    return cacheable(request, "application/json", doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                     context.options->max_age, true);
}

Response handle_events(Request const& request, RouteContext const& context)
{
    auto const& store = context.snapshot->service->store();
    nlohmann::json out = nlohmann::json::array();
    if (auto const* events = store.find("events")) {
        for (std::size_t i = 0; i < events->features.size(); ++i) {
            nlohmann::json e = nlohmann::json::object();
            for (std::size_t f = 0; f < events->schema.fields.size(); ++f) {
                auto const& v = events->features[i].values[f];
                if (v.is_null())
                    e[events->schema.fields[f]] = nullptr;
                else if (auto const* n = v.as_number())
                    e[events->schema.fields[f]] = *n;
                else
                    e[events->schema.fields[f]] = v.to_string();
            }
            out.push_back(std::move(e));
        }
    }
    return cacheable(request, "application/json", out.dump(), context.options->max_age, true);
}

Response handle_influence(Request const& request, RouteContext const& context, std::string_view query)
{
    auto const& service = *context.snapshot->service;
    auto const* model = service.influence();
    if (!model) throw NotFound("the data has no regions layer, so there are no influence scores");
    auto const time_text = query_param(query, "time");
    Date const time = time_text ? parse_date_parameter(*time_text) : service.evidence_until();
    std::optional<Date> compare;
    if (auto c = query_param(query, "compare")) compare = parse_date_parameter(*c);
    std::string const format(query_param(query, "format").value_or("json"));

    auto const layer = influence::make_layer(*model, time, compare);
    if (format == "json")
        return cacheable(request, "application/json", influence::to_json(layer, model->blocs(), time, compare),
                         context.options->max_age, true);
    if (format == "geojson")
        return cacheable(request, "application/geo+json", influence::to_geojson(layer), context.options->max_age, true);
    if (format == "csv")
        return cacheable(request, "text/csv; charset=utf-8", influence::to_csv(layer), context.options->max_age, true);
    throw BadRequest("format '" + format.substr(0, 32) + "' is not one of json, csv, geojson");
}

} // namespace sahelmap::server::detail
