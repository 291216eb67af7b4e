// WMS GetFeatureInfo and GetLegendGraphic.
#include "wms_internal.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/ogc/feature_info.hpp"
#include "sahelmap/service/legend.hpp"

#include <algorithm>
#include <charconv>

namespace sahelmap::ogc::detail {

OgcResponse feature_info(service::MapService const& service, MapParams const& params, Kvp const& kvp, Version version)
{
    auto const& map = params.map;
    auto const query_names = split_commas(kvp.required("QUERY_LAYERS"));
    std::vector<std::string> data_layers;
    for (auto const& name : query_names) {
        auto const add = [&](std::string const& d) {
            if (std::find(data_layers.begin(), data_layers.end(), d) == data_layers.end()) data_layers.push_back(d);
        };
        auto it =
            std::find_if(map.layers.begin(), map.layers.end(), [&](auto const& l) { return l.layer.name == name; });
        if (it != map.layers.end()) {
            for (auto const& d : data_layers_of(service, it->layer, it->style)) add(d);
            continue;
        }
        // A data layer that one of LAYERS draws (sites within the default map).
        bool drawn = false;
        for (auto const& l : map.layers) {
            auto const inside = data_layers_of(service, l.layer, l.style);
            drawn = drawn || std::find(inside.begin(), inside.end(), name) != inside.end();
        }
        if (!drawn)
            throw ServiceException("LayerNotDefined",
                                   "QUERY_LAYERS names '" + name.substr(0, 64) + "', which LAYERS does not draw",
                                   "QUERY_LAYERS");
        add(name);
    }
    auto format = kvp.get("INFO_FORMAT").value_or("text/plain");
    if (format.empty()) format = "text/plain";
    auto const& formats = info_formats();
    if (std::find(formats.begin(), formats.end(), format) == formats.end())
        throw ServiceException("InvalidFormat",
                               "INFO_FORMAT '" + format.substr(0, 40) +
                                   "' is not offered (text/plain, application/json, text/html)",
                               "INFO_FORMAT");
    int const i = parse_pixel(kvp, version.v130 ? "I" : "X", map.width);
    int const j = parse_pixel(kvp, version.v130 ? "J" : "Y", map.height);
    int count = 1;
    if (auto c = kvp.get("FEATURE_COUNT"); c && !c->empty()) {
        auto [ptr, ec] = std::from_chars(c->data(), c->data() + c->size(), count);
        if (ec != std::errc() || ptr != c->data() + c->size() || count < 1)
            throw ServiceException("InvalidParameterValue",
                                   "FEATURE_COUNT '" + c->substr(0, 16) + "' is not a positive integer",
                                   "FEATURE_COUNT");
        count = std::min(count, 100);
    }
    double const rx = map.extent.width() / map.width;
    double const ry = map.extent.height() / map.height;
    double const x = map.extent.minx + (i + 0.5) * rx;
    double const y = map.extent.maxy - (j + 0.5) * ry;
    auto const data = service.data_in(map.crs);
    auto found = features_at(*data, data_layers, x, y, 5 * std::max(rx, ry), map.time, count);
    auto const content_type = format == "text/html"    ? "text/html; charset=utf-8"
                              : format == "text/plain" ? "text/plain; charset=utf-8"
                                                       : "application/json";
    return {200, content_type, format_features(found, format)};
}

OgcResponse legend(service::MapService const& service, Kvp const& kvp)
{
    auto const layers = named_layers(service);
    auto const& name = kvp.required("LAYER");
    auto layer = find_layer(layers, name);
    if (!layer) throw ServiceException("LayerNotDefined", "layer '" + name.substr(0, 64) + "' is not defined", "LAYER");
    auto style = kvp.get("STYLE").value_or("");
    if (style.empty() || style == "default") style = layer->styles.front();
    if (std::find(layer->styles.begin(), layer->styles.end(), style) == layer->styles.end())
        throw ServiceException("StyleNotDefined",
                               "style '" + style.substr(0, 64) + "' is not defined for layer '" + layer->name + "'",
                               "STYLE");
    auto format = kvp.get("FORMAT").value_or("image/png");
    if (!format.empty() && format.substr(0, 9) != "image/png")
        throw ServiceException("InvalidFormat", "FORMAT '" + format.substr(0, 40) + "' is not offered (use image/png)",
                               "FORMAT");
    double scale = 1;
    if (auto s = kvp.get("SCALE_FACTOR"); s && !s->empty()) { // not standard; QGIS-like DPI scaling
        auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), scale);
        if (ec != std::errc() || ptr != s->data() + s->size() || !(scale >= 0.5 && scale <= 4))
            throw ServiceException("InvalidParameterValue",
                                   "SCALE_FACTOR '" + s->substr(0, 16) + "' is not a number from 0.5 to 4",
                                   "SCALE_FACTOR");
    }
    auto const& style_obj = service.renderer(style).style();
    std::optional<std::string> data_layer;
    if (layer->is_data) data_layer = layer->name;
    try {
        return {200, "image/png", encode::encode_png(service::legend_image(style_obj, data_layer, scale))};
    } catch (NotFound const& e) {
        throw ServiceException("LayerNotDefined", e.what(), "LAYER");
    }
}

} // namespace sahelmap::ogc::detail
