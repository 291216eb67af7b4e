#pragma once
// Clipping of tile-space geometry to an axis-aligned box (the tile plus its
// buffer): Sutherland–Hodgman for polygon rings, Liang–Barsky for lines.
// Internal to src/vector; tested through tests/features.
#include "sahelmap/core/geometry.hpp"

#include <vector>

namespace sahelmap::vector::detail {

/// A point in tile units (x right, y down), not yet rounded.
struct TilePoint {
    double x = 0;
    double y = 0;
    friend bool operator==(TilePoint const&, TilePoint const&) = default;
};

/// The parts of a polyline inside `box` (a line leaving and re-entering the
/// box gives several parts); each part has at least two points.
std::vector<std::vector<TilePoint>> clip_line(std::vector<TilePoint> const& line, BBox const& box);

/// A ring clipped to `box` (open: the last point is not the first repeated);
/// empty when nothing is left. Parts of the ring outside the box become
/// runs along its edges, which keeps the ring one ring, as MVT wants.
std::vector<TilePoint> clip_ring(std::vector<TilePoint> const& ring, BBox const& box);

} // namespace sahelmap::vector::detail
