#include "support.hpp"

#include "sahelmap/geo/geodesic.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

namespace sahelmap::test::influence {

MultiPolygon<LonLat> disc(LonLat centre, double radius_m, int n)
{
    std::vector<LonLat> ring;
    for (int i = 0; i <= n; ++i) ring.push_back(geo::geodesic_destination(centre, 360.0 * (i % n) / n, radius_m));
    return MultiPolygon<LonLat>{{Polygon<LonLat>{ring}}};
}

FeatureLayer regions_layer(std::vector<MultiPolygon<LonLat>> const& shapes, std::vector<std::string> const& iso3s)
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
        f.values = {Value(i < iso3s.size() ? iso3s[i] : std::string("TST")), Value(id), Value(id), Value()};
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
    // in_model and country_iso3 are optional in a user's data: the layer has them only when a site sets them.
    bool const with_in_model = std::any_of(sites.begin(), sites.end(), [](auto const& s) { return !s.in_model.empty(); });
    bool const with_country = std::any_of(sites.begin(), sites.end(), [](auto const& s) { return !s.country.empty(); });
    l.schema.fields = {"kind", "actor", "status", "strength", "confidence", "label"};
    if (with_in_model) l.schema.fields.emplace_back("in_model");
    if (with_country) l.schema.fields.emplace_back("country_iso3");
    for (std::size_t i = 0; i < sites.size(); ++i) {
        auto const& s = sites[i];
        Feature f;
        f.fid = static_cast<std::int64_t>(i);
        f.geometry = MultiPoint<LonLat>{{s.at}};
        f.bbox = bbox_of(f.geometry);
        f.validity = s.validity;
        f.values = {Value(s.kind),     Value(s.actor),      Value(s.status),
                    Value(s.strength), Value(s.confidence), Value("S" + std::to_string(i))};
        if (with_in_model) f.values.emplace_back(s.in_model);
        if (with_country) f.values.emplace_back(s.country);
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
    bool const with_schematic =
        std::any_of(corridors.begin(), corridors.end(), [](auto const& c) { return !c.schematic.empty(); });
    l.schema.fields = {"mode", "actor", "confidence"};
    if (with_schematic) l.schema.fields.emplace_back("schematic");
    for (std::size_t i = 0; i < corridors.size(); ++i) {
        auto const& c = corridors[i];
        Feature f;
        f.fid = static_cast<std::int64_t>(i);
        f.geometry = MultiLineString<LonLat>{{c.path}};
        f.bbox = bbox_of(f.geometry);
        f.validity = c.validity;
        f.values = {Value(c.mode), Value(c.actor), Value(c.confidence)};
        if (with_schematic) f.values.emplace_back(c.schematic);
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
          {"kind", {{"base", {{"weight", 1.0}, {"radius_km", radius_km}}}}}}},
        {"corridors", {{"mode", {{"road", {{"weight", 0.5}, {"radius_km", radius_km / 2}}}}}}},
        {"presence",
         {{"confidence", {{"high", 1.0}, {"medium", 0.5}, {"low", 0.1}}},
          {"status", {{"active", 1.0}, {"withdrawn", 1.0}, {"planned", 0.2}}},
          {"continuity_km", 1}}},
        {"dominance", {{"min_score", 0.05}, {"contested_margin", 0.25}}},
        {"uncertainty",
         {{"interval", 0.9}, {"max_exact_features", 12}, {"samples", 20000}, {"seed", 1}, {"min_contribution", 0.0001},
          {"max_rows_per_region", 400}}},
        {"sensitivity",
         {{"runs", 8}, {"seed", 1}, {"scale", 1.5}, {"probability_shift", 0.1}, {"min_score_scale", 1.5}}},
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
