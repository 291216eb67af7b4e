#include "draw.hpp"

#include <cmath>

namespace sahelmap::render::detail {

namespace {
cairo_line_cap_t to_cairo(style::LineCap c)
{
    switch (c) {
    case style::LineCap::round:
        return CAIRO_LINE_CAP_ROUND;
    case style::LineCap::square:
        return CAIRO_LINE_CAP_SQUARE;
    default:
        return CAIRO_LINE_CAP_BUTT;
    }
}
cairo_line_join_t to_cairo(style::LineJoin j)
{
    switch (j) {
    case style::LineJoin::round:
        return CAIRO_LINE_JOIN_ROUND;
    case style::LineJoin::bevel:
        return CAIRO_LINE_JOIN_BEVEL;
    default:
        return CAIRO_LINE_JOIN_MITER;
    }
}

void add_part(cairo_t* cr, std::vector<Projected> const& pts)
{
    cairo_move_to(cr, pts[0].x, pts[0].y);
    for (std::size_t k = 1; k < pts.size(); ++k) cairo_line_to(cr, pts[k].x, pts[k].y);
}
} // namespace

void draw_line(LayerPass const& pass, style::StyleLayer const& sl, style::LineLayer const& line,
               ProjectedLayer const& layer)
{
    auto const kind = layer.source().kind;
    if (kind != GeometryKind::line && kind != GeometryKind::polygon) return;
    auto const& geoms = layer.at_level(pass.level);
    cairo_t* cr = pass.cr;
    std::vector<LinePart> parts;
    std::vector<double> dashes;
    auto const attrs = layer.attributes(pass.time);
    for (auto i : visible_features(pass, sl, layer, *attrs, 16)) {
        style::EvalContext ctx{pass.zoom, attrs->ref(i)};
        double const width = line.width.evaluate(ctx);
        double const opacity = line.opacity.evaluate(ctx);
        Color const color = line.color.evaluate(ctx);
        if (width <= 0 || opacity <= 0 || color.transparent()) continue;
        double const offset = line.offset.evaluate(ctx);

        if (auto const* ml = std::get_if<MultiLineString<Projected>>(&geoms[i])) {
            clip_lines(*ml, pass.frame, pass.clip, parts);
        } else {
            // A line layer over polygons strokes their rings.
            MultiLineString<Projected> rings;
            for (auto const& poly : std::get<MultiPolygon<Projected>>(geoms[i]).polygons)
                for (auto const& r : poly) rings.lines.push_back(r);
            clip_lines(rings, pass.frame, pass.clip, parts);
        }
        if (parts.empty()) continue;

        cairo_set_line_width(cr, width);
        cairo_set_line_cap(cr, to_cairo(line.cap.evaluate(ctx)));
        cairo_set_line_join(cr, to_cairo(line.join.evaluate(ctx)));
        set_source(cr, color, opacity);
        auto const pattern = line.dasharray.evaluate(ctx);
        dashes.clear();
        for (double d : pattern) dashes.push_back(std::max(0.0, d) * width); // dashes are in line widths
        bool const dashed = dashes.size() >= 2 || (dashes.size() == 1 && dashes[0] > 0);

        if (!dashed) {
            cairo_new_path(cr);
            for (auto const& p : parts) add_part(cr, offset != 0 ? offset_polyline(p.points, offset) : p.points);
            cairo_stroke(cr);
            continue;
        }
        // Each part restarts the pattern at its distance from the line's start,
        // so dashes run on across tile edges.
        double total = 0;
        for (double d : dashes) total += d;
        for (auto const& p : parts) {
            cairo_new_path(cr);
            cairo_set_dash(cr, dashes.data(), static_cast<int>(dashes.size()),
                           total > 0 ? std::fmod(p.start_px, total) : 0);
            add_part(cr, offset != 0 ? offset_polyline(p.points, offset) : p.points);
            cairo_stroke(cr);
        }
        cairo_set_dash(cr, nullptr, 0, 0);
    }
}

} // namespace sahelmap::render::detail
