#include "clip.hpp"

#include "sahelmap/geo/clip.hpp"

namespace sahelmap::vector::detail {

std::vector<std::vector<TilePoint>> clip_line(std::vector<TilePoint> const& line, BBox const& box)
{
    std::vector<std::vector<TilePoint>> parts;
    std::vector<TilePoint> current;
    auto flush = [&] {
        if (current.size() >= 2) parts.push_back(std::move(current));
        current.clear();
    };
    for (std::size_t i = 1; i < line.size(); ++i) {
        TilePoint const a = line[i - 1], b = line[i];
        auto const range = geo::clip_segment(a.x, a.y, b.x, b.y, box);
        if (!range) {
            flush();
            continue;
        }
        auto const [t0, t1] = *range;
        double const dx = b.x - a.x, dy = b.y - a.y;
        TilePoint const p0 = t0 > 0 ? TilePoint{a.x + t0 * dx, a.y + t0 * dy} : a;
        TilePoint const p1 = t1 < 1 ? TilePoint{a.x + t1 * dx, a.y + t1 * dy} : b;
        if (current.empty() || !(current.back() == p0)) {
            flush();
            current.push_back(p0);
        }
        current.push_back(p1);
        if (t1 < 1) flush(); // the line leaves the box here
    }
    flush();
    return parts;
}

namespace {

/// One Sutherland–Hodgman pass: keeps the side of an axis-parallel edge
/// where `inside` holds.
template <class Inside, class Cross>
void clip_edge(std::vector<TilePoint> const& in, std::vector<TilePoint>& out, Inside inside, Cross cross)
{
    out.clear();
    if (in.empty()) return;
    TilePoint prev = in.back();
    bool prev_in = inside(prev);
    for (auto const& p : in) {
        bool const p_in = inside(p);
        if (p_in != prev_in) out.push_back(cross(prev, p));
        if (p_in) out.push_back(p);
        prev = p;
        prev_in = p_in;
    }
}

} // namespace

std::vector<TilePoint> clip_ring(std::vector<TilePoint> const& ring, BBox const& box)
{
    std::vector<TilePoint> a(ring), b;
    if (a.size() > 1 && a.front() == a.back()) a.pop_back();
    auto at_x = [](double x) {
        return [x](TilePoint p, TilePoint q) { return TilePoint{x, p.y + (q.y - p.y) * (x - p.x) / (q.x - p.x)}; };
    };
    auto at_y = [](double y) {
        return [y](TilePoint p, TilePoint q) { return TilePoint{p.x + (q.x - p.x) * (y - p.y) / (q.y - p.y), y}; };
    };
    clip_edge(
        a, b, [&](TilePoint p) { return p.x >= box.minx; }, at_x(box.minx));
    clip_edge(
        b, a, [&](TilePoint p) { return p.x <= box.maxx; }, at_x(box.maxx));
    clip_edge(
        a, b, [&](TilePoint p) { return p.y >= box.miny; }, at_y(box.miny));
    clip_edge(
        b, a, [&](TilePoint p) { return p.y <= box.maxy; }, at_y(box.maxy));
    return a;
}

} // namespace sahelmap::vector::detail
