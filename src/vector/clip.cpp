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

} // namespace sahelmap::vector::detail
