#pragma once
/// How robust the dominant blocs are: every weight, reach, presence
/// probability and the dominance threshold drawn together from the ranges
/// the params document (Params::sensitivity), and, per region, how often the
/// dominant bloc differs from the one the params as given yield.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/params.hpp"

#include <map>
#include <string>
#include <vector>

namespace sahelmap::influence {

/// One region in force at the date.
struct RegionStability {
    std::string iso3;
    std::string code;
    std::string name;
    std::string dominant;                 ///< with the params as given
    int changed = 0;                      ///< runs whose dominant outcome differs
    std::map<std::string, int> outcomes;  ///< dominant outcome → runs
    Geometry<LonLat> geometry;
    BBox bbox;
};

struct Sensitivity {
    Date time;
    int runs = 0;
    std::vector<RegionStability> regions;
};

/// Params::sensitivity.runs parameter sets, each drawn with a fixed seed
/// (the same figures on every machine); the region grid is built once.
Sensitivity sensitivity(FeatureStore const& store, Params const& params, Date t);

/// The result as a polygon layer (for the GeoJSON output and maps):
/// iso3, code, name, dominant, changed, runs, changed_share, outcomes.
FeatureLayer sensitivity_layer(Sensitivity const& s);

} // namespace sahelmap::influence
