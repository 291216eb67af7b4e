#include "canvas.hpp"

#include "sahelmap/core/color.hpp"
#include "sahelmap/geo/clip.hpp"

#include <algorithm>
#include <cmath>

namespace sahelmap::render::detail {

namespace {

bool contained(BBox const& inner, BBox const& outer)
{
    return inner.minx >= outer.minx && inner.maxx <= outer.maxx && inner.miny >= outer.miny && inner.maxy <= outer.maxy;
}

} // namespace

void add_polygons(cairo_t* cr, MultiPolygon<Projected> const& g, Frame const& f, BBox const& clip)
{
    for (auto const& poly : g.polygons) {
        for (auto const& ring : poly) {
            BBox rb;
            for (auto const& p : ring) rb.expand(p.x, p.y);
            if (!rb.intersects(clip)) continue;
            // Most rings lie inside the clip box: drawn from the data, not copied.
            std::vector<Projected> clipped;
            if (!contained(rb, clip)) clipped = geo::clip_ring(ring, clip);
            auto const& pts = contained(rb, clip) ? ring : clipped;
            if (pts.size() < 3) continue;
            cairo_move_to(cr, f.px(pts[0].x), f.py(pts[0].y));
            for (std::size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr, f.px(pts[i].x), f.py(pts[i].y));
            cairo_close_path(cr);
        }
    }
}

void clip_lines(MultiLineString<Projected> const& g, Frame const& f, BBox const& clip, std::vector<LinePart>& out)
{
    out.clear();
    for (auto const& line : g.lines) {
        double dist = 0; // along the line, in px
        LinePart part;
        for (std::size_t i = 0; i + 1 < line.size(); ++i) {
            Projected a = f.to_px(line[i]), b = f.to_px(line[i + 1]);
            double const seg = std::hypot(b.x - a.x, b.y - a.y);
            // Clipped in map units, where the box is.
            if (auto const range = geo::clip_segment(line[i].x, line[i].y, line[i + 1].x, line[i + 1].y, clip)) {
                auto const [t0, t1] = *range;
                Projected pa{a.x + t0 * (b.x - a.x), a.y + t0 * (b.y - a.y)};
                Projected pb{a.x + t1 * (b.x - a.x), a.y + t1 * (b.y - a.y)};
                if (part.points.empty() || t0 > 0) {
                    if (part.points.size() >= 2) out.push_back(std::move(part));
                    part = LinePart{{pa}, dist + t0 * seg};
                }
                part.points.push_back(pb);
                if (t1 < 1) {
                    out.push_back(std::move(part));
                    part = LinePart{};
                }
            }
            dist += seg;
        }
        if (part.points.size() >= 2) out.push_back(std::move(part));
    }
}

std::vector<Projected> offset_polyline(std::vector<Projected> const& pts, double d)
{
    std::vector<Projected> out;
    out.reserve(pts.size());
    auto normal = [](Projected a, Projected b) {
        double len = std::hypot(b.x - a.x, b.y - a.y);
        if (len == 0) return Projected{0, 0};
        return Projected{-(b.y - a.y) / len, (b.x - a.x) / len};
    };
    for (std::size_t i = 0; i < pts.size(); ++i) {
        Projected n0 = i > 0 ? normal(pts[i - 1], pts[i]) : normal(pts[i], pts[i + 1]);
        Projected n1 = i + 1 < pts.size() ? normal(pts[i], pts[i + 1]) : n0;
        Projected n{n0.x + n1.x, n0.y + n1.y};
        double len = std::hypot(n.x, n.y);
        // Miter length, limited so sharp turns do not shoot off.
        double scale = len > 1e-9 ? std::min(2.0 / len, 4.0) : 1.0;
        if (len > 1e-9)
            n = {n.x / len, n.y / len};
        else
            n = n0;
        // In pixel space y points down, so "right of travel" is -normal.
        out.push_back({pts[i].x - n.x * d * scale, pts[i].y - n.y * d * scale});
    }
    return out;
}

void set_source(cairo_t* cr, Color const& c, double opacity)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, std::clamp(c.a * opacity, 0.0, 1.0));
}

} // namespace sahelmap::render::detail
