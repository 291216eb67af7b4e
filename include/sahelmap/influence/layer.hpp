#pragma once
/// The influence scores as a data layer, drawn and served like any other.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/grid.hpp"
#include "sahelmap/influence/model.hpp"

#include <string>

namespace sahelmap::influence {

/// The layer's name, what `source-layer` names in a style.
inline constexpr char kLayerName[] = "influence";

/// A polygon layer named "influence": one feature per region (geometry and
/// validity copied from the regions layer, fid = its position there) with
/// fields iso3, name, code, layout, then score_<bloc>, low_<bloc>,
/// high_<bloc>, p_<bloc> for each bloc, p_contested, p_none, dominant (a
/// bloc, "contested" or "none"), certainty (the probability of `dominant`),
/// contributors (the sites that weigh most, for people), valid_from,
/// valid_to, and, when `baseline` is given, change_<bloc> = score at
/// `result` − score at `baseline`. With `in_force_at`, only the regions in
/// force that day.
FeatureLayer make_layer(RegionGrid const& grid, InfluenceResult const& result,
                        InfluenceResult const* baseline = nullptr, std::optional<Date> in_force_at = std::nullopt);

/// The regions in force at `t`, with the scores at `t` (and the change since `baseline`).
FeatureLayer make_layer(InfluenceModel const& model, Date t, std::optional<Date> baseline = std::nullopt);

} // namespace sahelmap::influence
