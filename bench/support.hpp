#pragma once
// What the benchmarks share: timing, quantiles and the tile set they time.
#include "sahelmap/core/tile.hpp"
#include "sahelmap/geo/tile_math.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

namespace sahelmap::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

/// The q-quantile (0.5: the median) of the samples.
inline double quantile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

/// Up to `per_zoom` tiles per zoom 3–10, spread evenly over the three
/// countries' box: the set render_bench and vector_bench time.
inline std::vector<TileId> tile_list(int per_zoom)
{
    std::vector<TileId> out;
    for (int z = 3; z <= 10; ++z) {
        auto a = geo::tile_at(geo::to_mercator({-12.3, 25.0}), z);
        auto b = geo::tile_at(geo::to_mercator({16.0, 9.4}), z);
        std::vector<TileId> all;
        for (auto x = a.x(); x <= b.x(); ++x)
            for (auto y = a.y(); y <= b.y(); ++y) all.push_back(*TileId::make(z, x, y));
        std::size_t const n = std::min<std::size_t>(all.size(), static_cast<std::size_t>(per_zoom));
        for (std::size_t i = 0; i < n; ++i) out.push_back(all[i * all.size() / n]);
    }
    return out;
}

} // namespace sahelmap::bench
