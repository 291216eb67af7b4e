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
    // With ghost layers, the tiles carry what ended before their date, marked.
    std::string const url =
        ghosts ? tilejson_url + (tilejson_url.find('?') == std::string::npos ? "?" : "&") + "ended=1" : tilejson_url;
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
        if (layer.value("type", "") == "heatmap") continue;
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
