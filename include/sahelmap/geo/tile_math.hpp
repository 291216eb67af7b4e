#pragma once
/// Web Mercator tile pyramid arithmetic (XYZ, y from the north).
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/core/tile.hpp"

namespace sahelmap::geo {

/// Half the extent of the Web Mercator square in metres.
inline constexpr double kMercatorHalfExtent = 20037508.342789244;
inline constexpr int kTileSize = 256;

/// Metres per 256-px-tile pixel at a (possibly fractional) zoom.
double meters_per_pixel(double zoom) noexcept;
/// The Web Mercator box a tile covers.
BBox tile_bounds(TileId const& tile) noexcept;
/// The tile at a zoom holding a Web Mercator point (clamped into the pyramid).
TileId tile_at(Mercator p, int zoom) noexcept;

} // namespace sahelmap::geo
