#pragma once
/// Clipping to an axis-aligned box, in whatever units the box is in: lon/lat,
/// map units or tile units. Segments by Liang–Barsky, polygon rings by
/// Sutherland–Hodgman; the one clipping of the renderer and the tile encoder,
/// inline since they call it for every segment and ring they draw.
#include "sahelmap/core/geometry.hpp"

#include <optional>
#include <vector>

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

namespace detail {

/// One Sutherland–Hodgman pass: keeps the side of an axis-parallel edge
/// where `inside` holds.
template <class Point, class Inside, class Cross>
void clip_ring_edge(std::vector<Point> const& in, std::vector<Point>& out, Inside inside, Cross cross)
{
    out.clear();
    if (in.empty()) return;
    Point prev = in.back();
    bool prev_in = inside(prev);
    for (auto const& p : in) {
        bool const p_in = inside(p);
        if (p_in != prev_in) out.push_back(cross(prev, p));
        if (p_in) out.push_back(p);
        prev = p;
        prev_in = p_in;
    }
}

} // namespace detail

/// A ring of any point type with `x` and `y` clipped to `box`, open (the
/// last point is not the first repeated); empty when nothing is left. Parts
/// outside the box become runs along its edges, so the ring stays one ring
/// (as MVT wants); a concave ring may gain edges along the border, which a
/// renderer's clip box, larger than its view, never shows.
template <class Point> std::vector<Point> clip_ring(std::vector<Point> const& ring, BBox const& box)
{
    std::vector<Point> a(ring), b;
    if (a.size() > 1 && a.front().x == a.back().x && a.front().y == a.back().y) a.pop_back();
    auto at_x = [](double x) {
        return [x](Point p, Point q) { return Point{x, p.y + (q.y - p.y) * (x - p.x) / (q.x - p.x)}; };
    };
    auto at_y = [](double y) {
        return [y](Point p, Point q) { return Point{p.x + (q.x - p.x) * (y - p.y) / (q.y - p.y), y}; };
    };
    detail::clip_ring_edge(
        a, b, [&](Point p) { return p.x >= box.minx; }, at_x(box.minx));
    detail::clip_ring_edge(
        b, a, [&](Point p) { return p.x <= box.maxx; }, at_x(box.maxx));
    detail::clip_ring_edge(
        a, b, [&](Point p) { return p.y >= box.miny; }, at_y(box.miny));
    detail::clip_ring_edge(
        b, a, [&](Point p) { return p.y <= box.maxy; }, at_y(box.maxy));
    return a;
}

} // namespace sahelmap::geo
