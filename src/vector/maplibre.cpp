#include "sahelmap/vector/maplibre.hpp"

#include "sahelmap/core/error.hpp"

#include <nlohmann/json.hpp>

namespace sahelmap::vector {

namespace {

using json = nlohmann::ordered_json;

} // namespace

std::string maplibre_style(std::string const& style_json, std::string const& tilejson_url,
                           std::string const& resources_url, std::string const& style_id)
{
    json doc = json::parse(style_json, nullptr, false);
    if (!doc.is_object()) throw StyleError("style", {"the style document is not a JSON object"});
    if (doc.contains("sources") && doc["sources"].is_object())
        for (auto& [name, source] : doc["sources"].items())
            if (source.is_object() && source.value("type", "") == "vector")
                source = json{{"type", "vector"}, {"url", tilejson_url}};
    // Text and icons come from us too: glyph ranges made from the fonts the
    // renderer uses, and our icon shapes as an SDF sprite (icon-color applies).
    doc["glyphs"] = resources_url + "/fonts/{fontstack}/{range}.pbf";
    doc["sprite"] = resources_url + "/sprites/" + style_id;
    json layers = json::array();
    for (auto const& layer : doc.value("layers", json::array())) {
        if (layer.value("type", "") == "heatmap") continue;
        if (layer.contains("metadata") && layer["metadata"].is_object() &&
            layer["metadata"].value("sahelmap:time", "") == "ended")
            continue;
        layers.push_back(layer);
    }
    doc["layers"] = std::move(layers);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace sahelmap::vector
