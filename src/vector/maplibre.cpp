#include "sahelmap/vector/maplibre.hpp"

#include "sahelmap/core/error.hpp"

#include <nlohmann/json.hpp>

namespace sahelmap::vector {

namespace {

using json = nlohmann::ordered_json;

bool is_zoom_curve(json const& e)
{
    return e.is_array() && e.size() >= 3 && e[0].is_string() &&
           (e[0] == "interpolate" || e[0] == "step" || e[0] == "interpolate-hcl" || e[0] == "interpolate-lab");
}

/// `factor × e`, keeping a zoom curve at the top, where MapLibre requires
/// it: the curve's outputs are scaled instead of the curve.
json scaled(json const& e, double factor)
{
    if (e.is_number()) return e.get<double>() * factor;
    if (is_zoom_curve(e) && e[e[0] == "step" ? 1 : 2] == json::array({"zoom"})) {
        json out = e;
        // interpolate: [op, type, input, stop, out, stop, out...]; step: [op, input, out0, stop, out...]
        std::size_t const first_output = e[0] == "step" ? 2 : 4;
        for (std::size_t i = first_output; i < out.size(); i += 2) out[i] = scaled(out[i], factor);
        return out;
    }
    return json::array({"*", factor, e});
}

/// A symbol layer drawn with one of our built-in shapes, as a circle.
json icon_as_circle(json const& layer)
{
    json out;
    for (auto const& key : {"id", "source", "source-layer", "minzoom", "maxzoom", "filter", "metadata"})
        if (layer.contains(key)) out[key] = layer[key];
    out["type"] = "circle";
    json const layout = layer.value("layout", json::object());
    json const paint = layer.value("paint", json::object());
    json circle_layout = json::object();
    if (layout.contains("visibility")) circle_layout["visibility"] = layout["visibility"];
    if (layout.contains("symbol-sort-key")) circle_layout["circle-sort-key"] = layout["symbol-sort-key"];
    json circle_paint = json::object();
    circle_paint["circle-radius"] = scaled(layout.value("icon-size", json(1.0)), 8);
    if (paint.contains("icon-color")) circle_paint["circle-color"] = paint["icon-color"];
    if (paint.contains("icon-opacity")) {
        circle_paint["circle-opacity"] = paint["icon-opacity"];
        circle_paint["circle-stroke-opacity"] = paint["icon-opacity"];
    }
    if (paint.contains("icon-halo-color")) circle_paint["circle-stroke-color"] = paint["icon-halo-color"];
    if (paint.contains("icon-halo-width")) circle_paint["circle-stroke-width"] = paint["icon-halo-width"];
    if (!circle_layout.empty()) out["layout"] = std::move(circle_layout);
    out["paint"] = std::move(circle_paint);
    return out;
}

} // namespace

std::string maplibre_style(std::string const& style_json, std::string const& tilejson_url)
{
    json doc = json::parse(style_json, nullptr, false);
    if (!doc.is_object()) throw StyleError("style", {"the style document is not a JSON object"});

    if (doc.contains("sources") && doc["sources"].is_object())
        for (auto& [name, source] : doc["sources"].items())
            if (source.is_object() && source.value("type", "") == "vector")
                source = json{{"type", "vector"}, {"url", tilejson_url}};

    json layers = json::array();
    for (auto const& layer : doc.value("layers", json::array())) {
        auto const type = layer.value("type", "");
        if (type == "heatmap") continue;
        if (layer.contains("metadata") && layer["metadata"].is_object() &&
            layer["metadata"].value("sahelmap:time", "") == "ended")
            continue;
        if (type != "symbol") {
            layers.push_back(layer);
            continue;
        }
        if (layer.contains("layout") && layer["layout"].contains("icon-image")) layers.push_back(icon_as_circle(layer));
        // A symbol layer with text only has nothing left to draw without glyphs.
    }
    doc["layers"] = std::move(layers);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace sahelmap::vector
