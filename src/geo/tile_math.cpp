#include "sahelmap/geo/tile_math.hpp"

#include <algorithm>
#include <cmath>

namespace sahelmap::geo {

double meters_per_pixel(double zoom) noexcept
{
    return 2 * kMercatorHalfExtent / kTileSize / std::exp2(zoom);
}

BBox tile_bounds(TileId const& tile) noexcept
{
    double const size = 2 * kMercatorHalfExtent / static_cast<double>(1u << tile.z());
    double const minx = -kMercatorHalfExtent + tile.x() * size;
    double const maxy = kMercatorHalfExtent - tile.y() * size;
    return {minx, maxy - size, minx + size, maxy};
}

TileId tile_at(Mercator p, int zoom) noexcept
{
    std::int64_t const n = std::int64_t{1} << zoom;
    double const size = 2 * kMercatorHalfExtent / static_cast<double>(n);
    auto clampi = [n](double v) { return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(v)), 0, n - 1); };
    return *TileId::make(zoom, clampi((p.x + kMercatorHalfExtent) / size), clampi((kMercatorHalfExtent - p.y) / size));
}

} // namespace sahelmap::geo
