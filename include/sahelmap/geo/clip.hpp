#pragma once
/// Clipping a segment to an axis-aligned box (Liang–Barsky), in whatever
/// units the box is in: lon/lat, map units or tile units. Inline, since the
/// renderer and the tile encoder call it for every segment they draw.
#include "sahelmap/core/geometry.hpp"

#include <optional>

namespace sahelmap::geo {

/// The part of a segment inside a box, as parameters along it: 0 is its
/// start, 1 its end, and 0 <= t0 <= t1 <= 1.
struct SegmentRange {
    double t0 = 0;
    double t1 = 1;
};

/// The part of the segment (ax, ay)–(bx, by) inside `box`, borders included;
/// nullopt when the segment misses the box.
inline std::optional<SegmentRange> clip_segment(double ax, double ay, double bx, double by, BBox const& box) noexcept
{
    SegmentRange r;
    double const dx = bx - ax, dy = by - ay;
    // Each edge bounds the range from below (entering) or above (leaving).
    auto edge = [&r](double p, double q) {
        if (p == 0) return q >= 0; // parallel to the edge: inside it or not at all
        double const t = q / p;
        if (p < 0) {
            if (t > r.t1) return false;
            if (t > r.t0) r.t0 = t;
        } else {
            if (t < r.t0) return false;
            if (t < r.t1) r.t1 = t;
        }
        return true;
    };
    if (edge(-dx, ax - box.minx) && edge(dx, box.maxx - ax) && edge(-dy, ay - box.miny) && edge(dy, box.maxy - ay))
        return r;
    return std::nullopt;
}

} // namespace sahelmap::geo
