#pragma once
// Clipping of tile-space lines to an axis-aligned box (the tile plus its
// buffer), into parts; rings are clipped by geo::clip_ring. Internal to
// src/vector; tested through tests/features.
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

} // namespace sahelmap::vector::detail
