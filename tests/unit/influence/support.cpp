#include "support.hpp"

#include "sahelmap/geo/geodesic.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace sahelmap::test::influence {

MultiPolygon<LonLat> disc(LonLat centre, double radius_m, int n)
{
    std::vector<LonLat> ring;
    for (int i = 0; i <= n; ++i) ring.push_back(geo::geodesic_destination(centre, 360.0 * (i % n) / n, radius_m));
    return MultiPolygon<LonLat>{{Polygon<LonLat>{ring}}};
}

FeatureLayer regions_layer(std::vector<MultiPolygon<LonLat>> const& shapes)
{
    FeatureLayer l;
    l.name = "regions";
    l.source = "test";
    l.kind = GeometryKind::polygon;
    l.schema.fields = {"iso3", "name", "code", "region"};
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        Feature f;
        f.fid = static_cast<std::int64_t>(i);
        f.geometry = shapes[i];
        f.bbox = bbox_of(f.geometry);
        std::string const id = "R" + std::to_string(i);
        f.values = {Value("TST"), Value(id), Value(id), Value()};
        l.extent.expand(f.bbox);
        l.features.push_back(std::move(f));
    }
    return l;
}

FeatureLayer sites_layer(std::vector<SiteSpec> const& sites)
{
    FeatureLayer l;
    l.name = "sites";
    l.source = "test";
    l.kind = GeometryKind::point;
    l.has_validity = true;
    l.schema.fields = {"kind", "actor", "status", "strength", "confidence"};
    for (std::size_t i = 0; i < sites.size(); ++i) {
        auto const& s = sites[i];
        Feature f;
        f.fid = static_cast<std::int64_t>(i);
        f.geometry = MultiPoint<LonLat>{{s.at}};
        f.bbox = bbox_of(f.geometry);
        f.validity = s.validity;
        f.values = {Value(s.kind), Value(s.actor), Value(s.status), Value(s.strength), Value(s.confidence)};
        l.features.push_back(std::move(f));
    }
    return l;
}

FeatureLayer corridors_layer(std::vector<CorridorSpec> const& corridors)
{
    FeatureLayer l;
    l.name = "corridors";
    l.source = "test";
    l.kind = GeometryKind::line;
    l.has_validity = true;
    l.schema.fields = {"mode", "actor", "confidence"};
    for (std::size_t i = 0; i < corridors.size(); ++i) {
        auto const& c = corridors[i];
        Feature f;
        f.fid = static_cast<std::int64_t>(i);
        f.geometry = MultiLineString<LonLat>{{c.path}};
        f.bbox = bbox_of(f.geometry);
        f.validity = c.validity;
        f.values = {Value(c.mode), Value(c.actor), Value(c.confidence)};
        l.features.push_back(std::move(f));
    }
    return l;
}

sahelmap::influence::Params simple_params(double radius_km, double cell_km)
{
    // Ordered: red is bloc 0, blue bloc 1.
    nlohmann::ordered_json const doc = {
        {"blocs", {{"red", {"red_actor"}}, {"blue", {"blue_actor"}}}},
        {"sites",
         {{"strength", {0.2, 0.4, 0.6, 0.8, 1.0}},
          {"kind", {{"base", {{"weight", 1.0}, {"radius_km", radius_km}}}}},
          {"status", {{"active", 1.0}, {"withdrawn", 1.0}, {"planned", 0.2}}}}},
        {"corridors", {{"mode", {{"road", {{"weight", 0.5}, {"radius_km", radius_km / 2}}}}}}},
        {"confidence", {{"high", 1.0}, {"low", 0.1}}},
        {"dominance", {{"min_score", 0.05}, {"contested_margin", 0.25}}},
        {"share_level", 0.5},
        {"grid",
         {{"crs", "+proj=laea +lat_0=15 +lon_0=2 +datum=WGS84 +units=m +no_defs"},
          {"cell_km", cell_km},
          {"min_cells_per_region", 400},
          // Wider than the shipped 4σ so the closed forms need no truncation term.
          {"cutoff_sigmas", 6}}},
    };
    return sahelmap::influence::Params::parse(doc.dump(), "test params");
}

FeatureStore store_of(std::vector<FeatureLayer> layers)
{
    FeatureStore s;
    s.layers = std::move(layers);
    return s;
}

} // namespace sahelmap::test::influence
