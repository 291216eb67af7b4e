#pragma once
/// How robust the dominant blocs are: each weight and λ halved and doubled
/// in turn, and the regions whose dominant bloc changes.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/params.hpp"

#include <string>
#include <vector>

namespace sahelmap::influence {

struct DominanceChange {
    std::string code;
    std::string name;
    std::string before; ///< dominant with the params as given
    std::string after;  ///< with the one parameter changed
};

struct SensitivityRow {
    std::string parameter; ///< JSON path, e.g. sites.kind.airbase.radius_km
    double value = 0;      ///< as given
    double factor = 0;     ///< 0.5 or 2
    std::vector<DominanceChange> changes;
};

/// One row per tunable parameter (see tunables()) and factor, in that
/// order. The region grid is built once and shared by all runs.
std::vector<SensitivityRow> sensitivity(FeatureStore const& store, Params const& params, Date t);

} // namespace sahelmap::influence
