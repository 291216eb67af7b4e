#pragma once
// Synthetic data for the influence tests: regions, sites and corridors built
// in code, and small params whose weights are easy to reason about.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/model.hpp"
#include "sahelmap/influence/params.hpp"

#include <memory>
#include <string>
#include <vector>

namespace sahelmap::test::influence {

/// A date from its YYYY-MM-DD text (test literals only).
inline Date day(char const* text) { return *Date::parse(text); }

/// Near the grid CRS's centre (lon 2, lat 15), where the plane is least distorted.
inline constexpr LonLat kCentre{2.0, 15.0};

/// A geodesic circle of `radius_m` around `centre` as an n-gon.
MultiPolygon<LonLat> disc(LonLat centre, double radius_m, int n = 720);

/// A regions layer; each region is named and coded by its index ("R0", ...),
/// in country iso3s[i] (default "TST").
FeatureLayer regions_layer(std::vector<MultiPolygon<LonLat>> const& shapes, std::vector<std::string> const& iso3s = {});

struct SiteSpec {
    LonLat at;
    std::string kind = "base";
    std::string actor = "red_actor";
    std::string status = "active";
    int strength = 5;
    std::string confidence = "high";
    Validity validity{};
    std::string in_model{}; ///< "" leaves the field out of the layer
    std::string country{};  ///< country_iso3; "" leaves the field out
};
FeatureLayer sites_layer(std::vector<SiteSpec> const& sites);

struct CorridorSpec {
    std::vector<LonLat> path;
    std::string mode = "road";
    std::string actor = "red_actor";
    std::string confidence = "high";
    Validity validity{};
    std::string schematic{}; ///< "" leaves the field out of the layer
};
FeatureLayer corridors_layer(std::vector<CorridorSpec> const& corridors);

/// Blocs red (red_actor) and blue (blue_actor); kind "base" with weight 1
/// and λ = `radius_km`; strength 5 → w = 1; confidence high → present with
/// probability 1, medium 0.5, low 0.1; planned × 0.2; road corridors w =
/// 0.5, λ = `radius_km` / 2; min_score 0.05, margin 0.25.
sahelmap::influence::Params simple_params(double radius_km = 50, double cell_km = 2);

FeatureStore store_of(std::vector<FeatureLayer> layers);

} // namespace sahelmap::test::influence
