#pragma once
/// The influence scores as a data layer, drawn and served like any other.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/influence/grid.hpp"
#include "sahelmap/influence/model.hpp"

#include <string>

namespace sahelmap::influence {

/// The layer's name, what `source-layer` names in a style.
inline constexpr char kLayerName[] = "influence";

/// A polygon layer named "influence": one feature per region (geometry
/// copied from the regions layer, fid = its position there) with fields
/// iso3, name, region, code, then score_<bloc>, max_<bloc>, share_<bloc> for
/// each bloc, dominant (a bloc, "contested" or "none"), and, when
/// `baseline` is given, change_<bloc> = score at `result` − score at `baseline`.
FeatureLayer make_layer(RegionGrid const& grid, InfluenceResult const& result,
                        InfluenceResult const* baseline = nullptr);

/// The same for the model's date(s): make_layer(grid, compute(t), compute(*baseline)).
FeatureLayer make_layer(InfluenceModel const& model, Date t, std::optional<Date> baseline = std::nullopt);

} // namespace sahelmap::influence
