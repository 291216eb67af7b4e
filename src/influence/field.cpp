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

double Source::distance2(double x, double y) const noexcept
{
    double d2 = segments.front().distance2(x, y);
    for (std::size_t k = 1; k < segments.size(); ++k) d2 = std::min(d2, segments[k].distance2(x, y));
    return d2;
}

double Source::presence_at(double x, double y, double cutoff_sigmas) const noexcept
{
    if (segments.empty() || weight <= 0) return 0;
    double const d2 = distance2(x, y);
    double const reach = cutoff_sigmas * radius_m;
    if (d2 >= reach * reach) return 0;
    return std::min(1.0, weight * std::exp(-d2 * 0.5 / (radius_m * radius_m)));
}

void accumulate(SampleSet const& points, Source const& source, double cutoff_sigmas, std::span<double> prod)
{
    if (source.weight <= 0 || source.probability <= 0) return;
    double const inv_two_var = 0.5 / (source.radius_m * source.radius_m);
    for_each_in_reach(points, source, cutoff_sigmas, [&](std::uint32_t i, double d2) {
        double const a = std::min(1.0, source.weight * std::exp(-d2 * inv_two_var));
        prod[i] *= 1 - source.probability * a;
    });
}

} // namespace sahelmap::influence::detail
