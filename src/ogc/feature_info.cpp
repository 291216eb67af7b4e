#include "sahelmap/ogc/feature_info.hpp"

#include "sahelmap/ogc/xml.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace sahelmap::ogc {

namespace {

double segment_distance(Projected a, Projected b, double x, double y)
{
    double const dx = b.x - a.x;
    double const dy = b.y - a.y;
    double const len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(a.x + t * dx - x, a.y + t * dy - y);
}

/// Even-odd rule over every ring: holes subtract.
bool polygon_contains(Polygon<Projected> const& polygon, double x, double y)
{
    bool inside = false;
    for (auto const& ring : polygon) {
        for (std::size_t i = 0, j = ring.empty() ? 0 : ring.size() - 1; i < ring.size(); j = i++) {
            auto const& a = ring[i];
            auto const& b = ring[j];
            if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) inside = !inside;
        }
    }
    return inside;
}

/// Distance from the point to the geometry; 0 inside a polygon.
double distance_to(Geometry<Projected> const& geometry, double x, double y)
{
    double best = std::numeric_limits<double>::infinity();
    if (auto const* pts = std::get_if<MultiPoint<Projected>>(&geometry)) {
        for (auto const& p : pts->points) best = std::min(best, std::hypot(p.x - x, p.y - y));
    } else if (auto const* lines = std::get_if<MultiLineString<Projected>>(&geometry)) {
        for (auto const& line : lines->lines) {
            if (line.size() == 1) best = std::min(best, std::hypot(line[0].x - x, line[0].y - y));
            for (std::size_t i = 1; i < line.size(); ++i)
                best = std::min(best, segment_distance(line[i - 1], line[i], x, y));
        }
    } else if (auto const* polys = std::get_if<MultiPolygon<Projected>>(&geometry)) {
        for (auto const& poly : polys->polygons)
            if (polygon_contains(poly, x, y)) return 0;
    }
    return best;
}

nlohmann::json to_json(Value const& v)
{
    if (v.is_null()) return nullptr;
    if (auto const* b = v.as_bool()) return *b;
    if (auto const* n = v.as_number()) {
        if (!std::isfinite(*n)) return nullptr;
        double const r = std::round(*n);
        if (r == *n && std::abs(r) < 9e15) return static_cast<std::int64_t>(r);
        return *n;
    }
    if (auto const* s = v.as_string()) return *s;
    return v.to_string();
}

std::string text_of(Value const& v)
{
    if (auto const* s = v.as_string()) return *s;
    if (v.is_null()) return "";
    return to_json(v).dump();
}

} // namespace

std::vector<FoundFeature> features_at(render::MapData const& data, std::vector<std::string> const& layers, double x,
                                      double y, double tolerance, Date time, int max_per_layer)
{
    std::vector<FoundFeature> out;
    std::vector<std::uint32_t> candidates;
    for (auto const& name : layers) {
        auto const* layer = data.layer(name);
        if (!layer) continue;
        candidates.clear();
        layer->query(BBox{x - tolerance, y - tolerance, x + tolerance, y + tolerance}, candidates);
        auto const attributes = layer->attributes(time);
        auto const& features = layer->source().features;
        std::vector<std::pair<double, std::uint32_t>> hits;
        for (auto const i : candidates) {
            if (i >= features.size() || !features[i].validity.contains(time)) continue;
            double const d = distance_to(layer->geometry(i), x, y);
            if (d <= tolerance) hits.emplace_back(d, i);
        }
        std::stable_sort(hits.begin(), hits.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
        if (hits.size() > static_cast<std::size_t>(std::max(0, max_per_layer))) hits.resize(max_per_layer);
        for (auto const& [d, i] : hits) {
            FoundFeature f{name, features[i].fid, d, {}};
            auto const& schema = attributes->schema;
            auto const& values = attributes->features[i].values;
            for (std::size_t k = 0; k < schema.fields.size() && k < values.size(); ++k)
                f.attributes.emplace_back(schema.fields[k], values[k]);
            out.push_back(std::move(f));
        }
    }
    return out;
}

std::vector<std::string> const& info_formats()
{
    static std::vector<std::string> const formats{"text/plain", "application/json", "text/html"};
    return formats;
}

std::string format_features(std::vector<FoundFeature> const& features, std::string const& info_format)
{
    if (info_format == "application/json") {
        auto list = nlohmann::json::array();
        for (auto const& f : features) {
            auto props = nlohmann::json::object();
            for (auto const& [k, v] : f.attributes) props[k] = to_json(v);
            list.push_back({{"type", "Feature"},
                            {"id", f.fid},
                            {"layer", f.layer},
                            {"properties", std::move(props)},
                            {"geometry", nullptr}});
        }
        nlohmann::json doc = {{"type", "FeatureCollection"}, {"features", std::move(list)}};
        return doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    if (info_format == "text/html") {
        std::string out =
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Feature info</title></head><body>\n";
        if (features.empty()) out += "<p>No feature here.</p>\n";
        for (auto const& f : features) {
            out += "<table>\n<caption>" + xml_escape(f.layer) + " " + std::to_string(f.fid) + "</caption>\n";
            for (auto const& [k, v] : f.attributes)
                out += "<tr><th>" + xml_escape(k) + "</th><td>" + xml_escape(text_of(v)) + "</td></tr>\n";
            out += "</table>\n";
        }
        return out + "</body></html>\n";
    }
    std::string out;
    if (features.empty()) out = "no features found\n";
    for (auto const& f : features) {
        out += "Layer '" + f.layer + "'\n  Feature " + std::to_string(f.fid) + ":\n";
        for (auto const& [k, v] : f.attributes) out += "    " + k + " = '" + text_of(v) + "'\n";
    }
    return out;
}

} // namespace sahelmap::ogc
