#pragma once
/// The presence field's inner loop: features as segments in the grid CRS,
/// points sorted into buckets, and the probabilistic union accumulated per
/// point. Internal to the influence model; public only for tests and the bench.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/geometry.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sahelmap::influence::detail {

/// Points in the grid CRS (metres) sorted into square buckets, so a feature
/// visits only the buckets within its reach instead of every point.
struct SampleSet {
    std::vector<double> x;
    std::vector<double> y;
    std::vector<std::uint32_t> bucket_start; ///< bucket b holds points [start[b], start[b + 1])
    double x0 = 0;
    double y0 = 0;
    double bucket_m = 1;
    int nx = 0;
    int ny = 0;

    std::size_t size() const noexcept { return x.size(); }

    /// Sorts the points into buckets of at least `min_bucket_m`. Points that
    /// are not finite (outside the projection) are dropped. `order[i]` is the
    /// input index of sorted point i.
    static SampleSet make(std::vector<double> const& x, std::vector<double> const& y, double min_bucket_m,
                          std::vector<std::uint32_t>& order);
};

/// A straight piece of a feature in the grid CRS; a site is a segment of length 0.
struct Segment {
    double ax = 0;
    double ay = 0;
    double dx = 0;
    double dy = 0;
    double inv_len2 = 0; ///< 1 / |d|², 0 for a point
    BBox box;

    static Segment make(double ax, double ay, double bx, double by);
    /// Squared distance from (x, y) to the segment.
    double distance2(double x, double y) const noexcept
    {
        double t = ((x - ax) * dx + (y - ay) * dy) * inv_len2;
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        double const ex = x - (ax + t * dx);
        double const ey = y - (ay + t * dy);
        return ex * ex + ey * ey;
    }
};

/// One weighted site or corridor of one bloc, ready to spread.
struct Source {
    std::uint32_t bloc = 0;
    double weight = 0;      ///< w_f
    double radius_m = 0;    ///< λ
    double probability = 1; ///< q_f: the chance that the row's presence is real
    bool site = false;      ///< a site can establish a bloc's presence in a region; a corridor only adds to it
    std::string label;      ///< for people: the row's label or name
    std::string country;    ///< a site's host country (ISO3), empty when the data does not say
    std::int64_t fid = 0;   ///< of the feature in its layer
    Validity validity;
    BBox box; ///< of the segments, grid CRS
    std::vector<Segment> segments;

    /// Squared distance from (x, y) to the nearest segment.
    double distance2(double x, double y) const noexcept;
    /// a_f(x, y) = min(1, w·K(d/λ)), 0 beyond cutoff_sigmas·λ.
    double presence_at(double x, double y, double cutoff_sigmas) const noexcept;
};

/// Multiplies prod[i] by (1 − q·min(1, w·K(d_i/λ))) for every point i within
/// cutoff_sigmas·λ of the source, K(u) = exp(−u²/2), d_i the distance from
/// point i to the nearest segment, q the source's probability (1 − q·a is
/// the expected factor of an independent presence). prod is parallel to the
/// sample set.
void accumulate(SampleSet const& points, Source const& source, double cutoff_sigmas, std::span<double> prod);

/// For every point within cutoff_sigmas·λ of the source, calls
/// visit(point index, squared distance).
template <class Visit>
void for_each_in_reach(SampleSet const& points, Source const& source, double cutoff_sigmas, Visit&& visit);

} // namespace sahelmap::influence::detail

#include "sahelmap/influence/field_impl.hpp"
