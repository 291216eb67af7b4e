#pragma once
// The bucket walk behind accumulate() and the model's per-region reach;
// included by field.hpp only (at its end; the include below makes this
// header compile on its own too, and #pragma once breaks the cycle).
#include "sahelmap/influence/field.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace sahelmap::influence::detail {

template <class Visit>
void for_each_in_reach(SampleSet const& points, Source const& source, double cutoff_sigmas, Visit&& visit)
{
    if (points.size() == 0 || source.segments.empty()) return;
    double const reach = cutoff_sigmas * source.radius_m;
    double const reach2 = reach * reach;
    BBox const box = source.box.buffered(reach);
    int const ix0 = std::max(0, static_cast<int>(std::floor((box.minx - points.x0) / points.bucket_m)));
    int const iy0 = std::max(0, static_cast<int>(std::floor((box.miny - points.y0) / points.bucket_m)));
    int const ix1 = std::min(points.nx - 1, static_cast<int>(std::floor((box.maxx - points.x0) / points.bucket_m)));
    int const iy1 = std::min(points.ny - 1, static_cast<int>(std::floor((box.maxy - points.y0) / points.bucket_m)));
    if (ix0 > ix1 || iy0 > iy1) return;

    // A bucket within this distance of a segment's line may hold a point in reach.
    double const half_diagonal = points.bucket_m * std::numbers::sqrt2 / 2;
    std::vector<Segment const*> near;
    near.reserve(std::min<std::size_t>(source.segments.size(), 64));
    for (int by = iy0; by <= iy1; ++by) {
        for (int bx = ix0; bx <= ix1; ++bx) {
            std::size_t const b =
                static_cast<std::size_t>(by) * static_cast<std::size_t>(points.nx) + static_cast<std::size_t>(bx);
            std::uint32_t const first = points.bucket_start[b];
            std::uint32_t const last = points.bucket_start[b + 1];
            if (first == last) continue;
            BBox const bucket{points.x0 + bx * points.bucket_m, points.y0 + by * points.bucket_m,
                              points.x0 + (bx + 1) * points.bucket_m, points.y0 + (by + 1) * points.bucket_m};
            double const cx = (bucket.minx + bucket.maxx) / 2;
            double const cy = (bucket.miny + bucket.maxy) / 2;
            double const limit = reach + half_diagonal;
            near.clear();
            for (auto const& seg : source.segments)
                if (seg.box.buffered(reach).intersects(bucket) && seg.distance2(cx, cy) < limit * limit)
                    near.push_back(&seg);
            if (near.empty()) continue;
            for (std::uint32_t i = first; i < last; ++i) {
                double const px = points.x[i];
                double const py = points.y[i];
                double d2 = near.front()->distance2(px, py);
                for (std::size_t k = 1; k < near.size(); ++k) d2 = std::min(d2, near[k]->distance2(px, py));
                if (d2 < reach2) visit(i, d2);
            }
        }
    }
}

} // namespace sahelmap::influence::detail
