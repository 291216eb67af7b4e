#include "sahelmap/vector/maplibre.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
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

/// A symbol layer's rank for placement: its sort key (0 without one, as our renderer counts it).
double placement_rank(json const& layer)
{
    auto const layout = layer.value("layout", json::object());
    if (!layout.contains("symbol-sort-key")) return 0;
    return first_number(layout["symbol-sort-key"]).value_or(0);
}

} // namespace

std::string maplibre_style(std::string const& style_json, std::string const& tilejson_url,
                           std::string const& resources_url, std::string const& style_id)
{
    json doc = json::parse(style_json, nullptr, false);
    if (!doc.is_object()) throw StyleError("style", {"the style document is not a JSON object"});
    auto const is_ghost = [](json const& layer) {
        return layer.contains("metadata") && layer["metadata"].is_object() &&
               layer["metadata"].value("sahelmap:time", "") == "ended";
    };
    auto const& all = doc.value("layers", json::array());
    bool const ghosts = std::any_of(all.begin(), all.end(), is_ghost);
    bool const heatmaps =
        std::any_of(all.begin(), all.end(), [](json const& l) { return l.value("type", "") == "heatmap"; });
    // With ghost layers, the tiles carry what ended before their date, marked;
    // with heatmaps, the influence fields as cells.
    std::string url = tilejson_url;
    auto add_flag = [&url](char const* flag) {
        url += (url.find('?') == std::string::npos ? "?" : "&") + std::string(flag);
    };
    if (ghosts) add_flag("ended=1");
    if (heatmaps) add_flag("fields=1");
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
            if (auto cells = heatmap_as_cells(layer)) layers.push_back(std::move(*cells));
            continue;
        }
        // Ghosts draw the marked features, every other layer the present ones, as our renderer does.
        if (ghosts && layer.contains("source-layer")) {
            json const& mark = is_ghost(layer) ? ended : present;
            layer["filter"] = layer.contains("filter") ? json::array({"all", mark, layer["filter"]}) : mark;
        }
        if (layer.contains("metadata") && layer["metadata"].is_object()) layer["metadata"].erase("sahelmap:time");
        layers.push_back(std::move(layer));
    }
    // Our renderer places labels by symbol-sort-key across all symbol layers
    // (countries and capitals before sites, sites before ghosts and towns);
    // MapLibre sorts within a layer and places the topmost layer first. So
    // the trailing run of symbol layers is ordered by key, lowest on top.
    auto first_symbol = layers.size();
    while (first_symbol > 0 && layers[first_symbol - 1].value("type", "") == "symbol") --first_symbol;
    std::stable_sort(layers.begin() + static_cast<std::ptrdiff_t>(first_symbol), layers.end(),
                     [](json const& a, json const& b) { return placement_rank(a) > placement_rank(b); });
    doc["layers"] = std::move(layers);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace sahelmap::vector
