#include "sahelmap/influence/field.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sahelmap::influence::detail {

namespace {
// Above this many buckets per side the bucket grows instead: a world-wide
// set of sample points must not allocate millions of empty buckets.
constexpr int kMaxBucketsPerSide = 512;
} // namespace

SampleSet SampleSet::make(std::vector<double> const& x, std::vector<double> const& y, double min_bucket_m,
                          std::vector<std::uint32_t>& order)
{
    SampleSet s;
    BBox box;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i])) box.expand(x[i], y[i]);
    order.clear();
    if (box.empty()) {
        s.bucket_start.assign(1, 0);
        return s;
    }
    double const extent = std::max(box.width(), box.height());
    s.bucket_m = std::max(min_bucket_m, extent / kMaxBucketsPerSide);
    s.x0 = box.minx;
    s.y0 = box.miny;
    s.nx = static_cast<int>(box.width() / s.bucket_m) + 1;
    s.ny = static_cast<int>(box.height() / s.bucket_m) + 1;

    // Counting sort by bucket: O(n), and points of one bucket end up adjacent in memory.
    auto bucket_of = [&](std::size_t i) {
        int const bx = std::min(s.nx - 1, static_cast<int>((x[i] - s.x0) / s.bucket_m));
        int const by = std::min(s.ny - 1, static_cast<int>((y[i] - s.y0) / s.bucket_m));
        return static_cast<std::size_t>(by) * static_cast<std::size_t>(s.nx) + static_cast<std::size_t>(bx);
    };
    std::size_t const buckets = static_cast<std::size_t>(s.nx) * static_cast<std::size_t>(s.ny);
    s.bucket_start.assign(buckets + 1, 0);
    for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i]) && std::isfinite(y[i])) ++s.bucket_start[bucket_of(i) + 1];
    for (std::size_t b = 0; b < buckets; ++b) s.bucket_start[b + 1] += s.bucket_start[b];
    std::vector<std::uint32_t> next(s.bucket_start.begin(), s.bucket_start.end() - 1);
    std::size_t const n = s.bucket_start.back();
    s.x.resize(n);
    s.y.resize(n);
    order.resize(n);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        std::uint32_t const at = next[bucket_of(i)]++;
        s.x[at] = x[i];
        s.y[at] = y[i];
        order[at] = static_cast<std::uint32_t>(i);
    }
    return s;
}

Segment Segment::make(double ax, double ay, double bx, double by)
{
    Segment s;
    s.ax = ax;
    s.ay = ay;
    s.dx = bx - ax;
    s.dy = by - ay;
    double const len2 = s.dx * s.dx + s.dy * s.dy;
    s.inv_len2 = len2 > 0 ? 1 / len2 : 0;
    s.box.expand(ax, ay);
    s.box.expand(bx, by);
    return s;
}

void accumulate(SampleSet const& points, Source const& source, double cutoff_sigmas, std::span<double> prod)
{
    if (source.weight <= 0 || points.size() == 0 || source.segments.empty()) return;
    double const reach = cutoff_sigmas * source.radius_m;
    double const reach2 = reach * reach;
    double const inv_two_var = 0.5 / (source.radius_m * source.radius_m);
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
                if (d2 >= reach2) continue;
                double const a = std::min(1.0, source.weight * std::exp(-d2 * inv_two_var));
                prod[i] *= 1 - a;
            }
        }
    }
}

} // namespace sahelmap::influence::detail
