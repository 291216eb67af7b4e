#include "sahelmap/influence/export.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace sahelmap::influence {

namespace {

// Ordered, so fields keep the layer's order in the output.
using json = nlohmann::ordered_json;

/// Rounded so the shortest round-trip form (what nlohmann prints) is short;
/// + 0.0 turns −0 into 0.
double rounded(double v, double scale)
{
    return std::round(v * scale) / scale + 0.0;
}

json value_json(Value const& v)
{
    if (auto const* d = v.as_number()) return std::isfinite(*d) ? json(rounded(*d, 1e4)) : json();
    if (auto const* s = v.as_string()) return *s;
    if (auto const* b = v.as_bool()) return *b;
    if (v.is_null()) return nullptr;
    return v.to_string();
}

json properties(FeatureLayer const& layer, Feature const& f)
{
    json props = json::object();
    for (std::size_t i = 0; i < layer.schema.fields.size() && i < f.values.size(); ++i)
        props[layer.schema.fields[i]] = value_json(f.values[i]);
    return props;
}

json position(LonLat p)
{
    return json::array({rounded(p.lon, 1e6), rounded(p.lat, 1e6)});
}

json ring_json(std::vector<LonLat> const& ring)
{
    json out = json::array();
    for (auto const& p : ring) out.push_back(position(p));
    return out;
}

json geometry_json(Geometry<LonLat> const& g)
{
    return std::visit(
        [](auto const& geom) -> json {
            using T = std::decay_t<decltype(geom)>;
            json coords = json::array();
            if constexpr (std::is_same_v<T, MultiPoint<LonLat>>) {
                for (auto const& p : geom.points) coords.push_back(position(p));
                return {{"type", "MultiPoint"}, {"coordinates", std::move(coords)}};
            } else if constexpr (std::is_same_v<T, MultiLineString<LonLat>>) {
                for (auto const& l : geom.lines) coords.push_back(ring_json(l));
                return {{"type", "MultiLineString"}, {"coordinates", std::move(coords)}};
            } else {
                for (auto const& poly : geom.polygons) {
                    json rings = json::array();
                    for (auto const& r : poly) rings.push_back(ring_json(r));
                    coords.push_back(std::move(rings));
                }
                return {{"type", "MultiPolygon"}, {"coordinates", std::move(coords)}};
            }
        },
        g);
}

std::string csv_cell(Value const& v)
{
    std::string text;
    if (auto const* d = v.as_number()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4f", rounded(*d, 1e4));
        text = buf;
        while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.')) {
            bool const dot = text.back() == '.';
            text.pop_back();
            if (dot) break;
        }
    } else if (!v.is_null()) {
        text = v.to_string();
    }
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

} // namespace

std::string to_csv(FeatureLayer const& layer)
{
    std::string out;
    for (std::size_t i = 0; i < layer.schema.fields.size(); ++i)
        out += (i ? "," : "") + csv_cell(Value(layer.schema.fields[i]));
    out += "\n";
    for (auto const& f : layer.features) {
        for (std::size_t i = 0; i < f.values.size(); ++i) out += (i ? "," : "") + csv_cell(f.values[i]);
        out += "\n";
    }
    return out;
}

std::string to_json(FeatureLayer const& layer, std::vector<std::string> const& blocs, Date time,
                    std::optional<Date> compare)
{
    json doc = {{"time", time.to_string()}};
    if (compare) doc["compare"] = compare->to_string();
    doc["blocs"] = blocs;
    json regions = json::array();
    for (auto const& f : layer.features) regions.push_back(properties(layer, f));
    doc["regions"] = std::move(regions);
    return doc.dump(1) + "\n";
}

std::string to_geojson(FeatureLayer const& layer)
{
    json features = json::array();
    for (auto const& f : layer.features)
        features.push_back({{"type", "Feature"},
                            {"id", f.fid},
                            {"properties", properties(layer, f)},
                            {"geometry", geometry_json(f.geometry)}});
    json doc = {{"type", "FeatureCollection"}, {"name", layer.name}, {"features", std::move(features)}};
    return doc.dump() + "\n";
}

} // namespace sahelmap::influence
