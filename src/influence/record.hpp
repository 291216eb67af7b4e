#pragma once
// Internal to src/influence: the record's site and corridor rows as the
// model's sources of presence (record.cpp).
#include "sahelmap/core/feature.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/influence/field.hpp"
#include "sahelmap/influence/params.hpp"

#include <cstddef>
#include <vector>

namespace sahelmap::influence::detail {

/// Appends a source per site row: its bloc, weight, reach and the
/// probability its presence is real, from the row's actor, kind, strength
/// and confidence as `p` weighs them; DataError naming the row for a value
/// `p` does not weigh.
void read_sites(FeatureLayer const& layer, Params const& p, geo::Transform const& tr, std::vector<Source>& out);

/// Appends a source per corridor row (its path as segments), like read_sites.
void read_corridors(FeatureLayer const& layer, Params const& p, geo::Transform const& tr, std::vector<Source>& out);

/// A row that starts at the place and on the day a same-bloc row ends is the
/// same contingent under another name: it keeps that row's presence. Returns
/// how many rows continue another.
std::size_t apply_continuity(std::vector<Source>& sources, double within_m);

} // namespace sahelmap::influence::detail
