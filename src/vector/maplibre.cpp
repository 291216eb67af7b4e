#include "sahelmap/vector/maplibre.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>

namespace sahelmap::vector {

namespace {

using json = nlohmann::ordered_json;

/// The first number in an expression, skipping property names: what a
/// layer's symbol-sort-key starts from ("10 − strength" ranks 10).
std::optional<double> first_number(json const& e)
{
    if (e.is_number()) return e.get<double>();
    if (!e.is_array()) return std::nullopt;
    for (auto const& part : e)
        if (auto n = first_number(part)) return n;
    return std::nullopt;
}

/// `e` with every ["heatmap-density"] replaced by `by`.
json replace_density(json const& e, json const& by)
{
    if (e == json::array({"heatmap-density"})) return by;
    if (!e.is_array()) return e;
    json out = json::array();
    for (auto const& part : e) out.push_back(replace_density(part, by));
    return out;
}

/// Our heatmap layer (an influence field named by sahelmap:field) as a fill
/// of the `influence_field` cells: the same colour ramp over the cell's
/// value in place of the density, the same opacity.
std::optional<json> heatmap_as_cells(json const& layer)
{
    auto const field = layer.value("metadata", json::object()).value("sahelmap:field", "");
    if (field.empty()) return std::nullopt;
    json const value = json::array({"coalesce", json::array({"get", field}), 0});
    json const paint = layer.value("paint", json::object());
    json out;
    for (auto const& key : {"id", "source", "minzoom", "maxzoom"})
        if (layer.contains(key)) out[key] = layer[key];
    out["type"] = "fill";
    out["source-layer"] = kFieldLayer;
    out["filter"] = json::array({">", value, 0});
    json fill;
    fill["fill-color"] =
        paint.contains("heatmap-color") ? replace_density(paint["heatmap-color"], value) : json("#000");
    if (paint.contains("heatmap-opacity")) fill["fill-opacity"] = paint["heatmap-opacity"];
    fill["fill-antialias"] = false; // no seams between cells
    out["paint"] = std::move(fill);
    return out;
}

/// `e` with every zoom stop one level lower (["interpolate", _, ["zoom"], …]
/// and ["step", ["zoom"], …]): see kZoomOffset.
json shifted_zoom(json const& e, double by)
{
    if (!e.is_array() || e.empty()) return e;
    json out = json::array();
    for (auto const& part : e) out.push_back(shifted_zoom(part, by));
    json const zoom = json::array({"zoom"});
    std::size_t first_stop = 0;
    if (out[0] == "interpolate" && out.size() >= 5 && out[2] == zoom) first_stop = 3;
    if (out[0] == "step" && out.size() >= 4 && out[1] == zoom) first_stop = 3;
    if (first_stop != 0)
        for (std::size_t i = first_stop; i < out.size(); i += 2)
            if (out[i].is_number()) out[i] = out[i].get<double>() + by;
    return out;
}

/// A point label the style requires (not text-optional) at a fixed anchor:
/// our renderer moves it around its point when that spot is taken (above,
/// below, right, left, then the corners), which MapLibre does through
/// text-variable-anchor. The anchors, the style's own first; nullopt for
/// other layers.
std::optional<json> spare_anchors(json const& layer)
{
    if (layer.value("type", "") != "symbol" || !layer.contains("layout") || !layer["layout"].is_object())
        return std::nullopt;
    auto const& layout = layer["layout"];
    if (!layout.contains("text-field") || layout.contains("text-variable-anchor")) return std::nullopt;
    if (layout.contains("symbol-placement") && layout["symbol-placement"] != "point") return std::nullopt;
    if (layout.contains("text-optional") && layout["text-optional"] == true) return std::nullopt;
    auto const own = layout.contains("text-anchor") ? layout["text-anchor"] : json("center");
    if (!own.is_string() || own == "center") return std::nullopt;
    // MapLibre names the side of the text at the point: "bottom" puts the text above it.
    json out = json::array({own});
    for (auto const* a : {"bottom", "top", "left", "right", "bottom-left", "bottom-right", "top-left", "top-right"})
        if (own != a) out.push_back(a);
    return out;
}

/// A symbol layer's rank for placement: its sort key (0 without one, as our renderer counts it).
double placement_rank(json const& layer)
{
    auto const layout = layer.value("layout", json::object());
    if (!layout.contains("symbol-sort-key")) return 0;
    return first_number(layout["symbol-sort-key"]).value_or(0);
}

} // namespace

std::string maplibre_style(std::string const& style_json, std::string const& tilejson_url,
                           std::string const& resources_url, std::string const& style_id,
                           std::vector<std::string> const& polygon_layers)
{
    json doc = json::parse(style_json, nullptr, false);
    if (!doc.is_object()) throw StyleError("style", {"the style document is not a JSON object"});
    auto const is_ghost = [](json const& layer) {
        return layer.contains("metadata") && layer["metadata"].is_object() &&
               layer["metadata"].value("sahelmap:time", "") == "ended";
    };
    auto const& all = doc.value("layers", json::array());
    // MapLibre counts zoom in 512 px tiles, our renderer in 256 px tiles: the
    // same scale is one level lower in MapLibre, so every zoom the style
    // names (layer ranges, zoom stops, the initial view) moves down by one.
    constexpr double kZoomOffset = -1;
    if (doc.contains("zoom") && doc["zoom"].is_number())
        doc["zoom"] = std::max(0.0, doc["zoom"].get<double>() + kZoomOffset);
    auto const shift_zoom = [&](json& layer) {
        for (auto const* range : {"minzoom", "maxzoom"})
            if (layer.contains(range) && layer[range].is_number())
                layer[range] = std::max(0.0, layer[range].get<double>() + kZoomOffset);
        for (auto const* group : {"layout", "paint"})
            if (layer.contains(group) && layer[group].is_object())
                for (auto& [key, value] : layer[group].items()) value = shifted_zoom(value, kZoomOffset);
        if (layer.contains("filter")) layer["filter"] = shifted_zoom(layer["filter"], kZoomOffset);
    };
    bool const ghosts = std::any_of(all.begin(), all.end(), is_ghost);
    bool const heatmaps =
        std::any_of(all.begin(), all.end(), [](json const& l) { return l.value("type", "") == "heatmap"; });
    auto const labels_area = [&](json const& layer) {
        auto const layout = layer.value("layout", json::object());
        auto const placement = layout.contains("symbol-placement") ? layout["symbol-placement"] : json("point");
        return layer.value("type", "") == "symbol" && placement == "point" && layer.contains("source-layer") &&
               layer["source-layer"].is_string() &&
               std::find(polygon_layers.begin(), polygon_layers.end(), layer.value("source-layer", "")) !=
                   polygon_layers.end();
    };
    bool const area_labels = std::any_of(all.begin(), all.end(), labels_area);
    // With ghost layers, the tiles carry what ended before their date, marked;
    // with heatmaps, the influence fields as cells.
    std::string url = tilejson_url;
    auto add_flag = [&url](char const* flag) {
        url += (url.find('?') == std::string::npos ? "?" : "&") + std::string(flag);
    };
    if (ghosts) add_flag("ended=1");
    if (heatmaps) add_flag("fields=1");
    if (area_labels) add_flag("labels=1");
    if (doc.contains("sources") && doc["sources"].is_object())
        for (auto& [name, source] : doc["sources"].items())
            if (source.is_object() && source.value("type", "") == "vector")
                source = json{{"type", "vector"}, {"url", url}};
    // Text and icons come from us too: glyph ranges made from the fonts the
    // renderer uses, and our icon shapes as an SDF sprite (icon-color applies).
    doc["glyphs"] = resources_url + "/fonts/{fontstack}/{range}.pbf";
    doc["sprite"] = resources_url + "/sprites/" + style_id;
    json layers = json::array();
    json const ended = json::array({"==", json::array({"get", kEndedAttribute}), true});
    json const present = json::array({"!=", json::array({"get", kEndedAttribute}), true});
    for (auto layer : all) {
        if (layer.value("type", "") == "heatmap") {
            if (auto cells = heatmap_as_cells(layer)) {
                shift_zoom(*cells);
                layers.push_back(std::move(*cells));
            }
            continue;
        }
        // Ghosts draw the marked features, every other layer the present ones, as our renderer does.
        if (ghosts && layer.contains("source-layer")) {
            json const& mark = is_ghost(layer) ? ended : present;
            layer["filter"] = layer.contains("filter") ? json::array({"all", mark, layer["filter"]}) : mark;
        }
        // A polygon's name goes at its label point, once, not once per tile piece.
        if (labels_area(layer)) {
            layer["source-layer"] = layer["source-layer"].get<std::string>() + kLabelLayerSuffix;
            // Our renderer slides an area's name off a taken spot inside the area.
            auto& layout = layer["layout"];
            if (!layout.contains("text-variable-anchor") && !layout.contains("text-anchor")) {
                layout["text-variable-anchor"] = json::array({"center", "top", "bottom"});
                layout["text-radial-offset"] = 1.2;
            }
        } else if (auto anchors = spare_anchors(layer)) {
            auto& layout = layer["layout"];
            double const offset =
                layout.contains("text-offset") && layout["text-offset"].is_array() &&
                        layout["text-offset"].size() == 2 && layout["text-offset"][0].is_number() &&
                        layout["text-offset"][1].is_number()
                    ? std::hypot(layout["text-offset"][0].get<double>(), layout["text-offset"][1].get<double>())
                    : 0.0;
            layout["text-variable-anchor"] = std::move(*anchors);
            layout["text-radial-offset"] = offset;
            layout.erase("text-anchor");
            layout.erase("text-offset");
        }
        if (layer.contains("metadata") && layer["metadata"].is_object()) layer["metadata"].erase("sahelmap:time");
        shift_zoom(layer);
        layers.push_back(std::move(layer));
    }
    // Our renderer places labels by symbol-sort-key across all symbol layers
    // (countries and capitals before sites, sites before ghosts and towns);
    // MapLibre sorts within a layer and places the topmost layer first. So
    // the trailing run of symbol layers is ordered by key, lowest on top.
    auto first_symbol = layers.size();
    while (first_symbol > 0 && layers[first_symbol - 1].value("type", "") == "symbol") --first_symbol;
    // Icons drawn whatever they cover, with a name that must show (capitals),
    // are reserved by our renderer before any label, and their names then
    // move around them: in MapLibre that layer goes first.
    auto const reserved_first = [](json const& l) {
        auto const layout = l.value("layout", json::object());
        return layout.value("icon-allow-overlap", false) == true && layout.contains("text-variable-anchor");
    };
    std::stable_sort(layers.begin() + static_cast<std::ptrdiff_t>(first_symbol), layers.end(),
                     [&](json const& a, json const& b) {
                         if (reserved_first(a) != reserved_first(b)) return reserved_first(b);
                         return placement_rank(a) > placement_rank(b);
                     });
    doc["layers"] = std::move(layers);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace sahelmap::vector
