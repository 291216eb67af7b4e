#pragma once
/// Zoom-dependent geometry reduction that keeps shared borders shared.
#include "sahelmap/core/geometry.hpp"

namespace sahelmap::geo {

/// Snaps every vertex to a grid of `cell` units anchored at (0, 0) and drops
/// repeated vertices, collapsed rings and lines. Because each vertex moves on
/// its own, two polygons that share a border still share it exactly after
/// snapping: no slivers or gaps between neighbours, unlike Douglas-Peucker,
/// which simplifies each ring differently.
Geometry<Projected> snap_to_grid(Geometry<Projected> const& g, double cell);

} // namespace sahelmap::geo
