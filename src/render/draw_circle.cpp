#include "draw.hpp"

#include <cmath>

namespace sahelmap::render::detail {

Projected fan_offset(std::size_t k, std::size_t n, double radius_px)
{
    if (n <= 1) return {0, 0};
    double const angle = -M_PI / 2 + 2 * M_PI * static_cast<double>(k) / static_cast<double>(n);
    return {radius_px * std::cos(angle), radius_px * std::sin(angle)};
}

void draw_circle(LayerPass const& pass, style::StyleLayer const& sl, style::CircleLayer const& circle,
                 ProjectedLayer const& layer)
{
    if (layer.source().kind != GeometryKind::point) return;
    cairo_t* cr = pass.cr;
    std::vector<std::uint32_t> together;
    auto const attrs = layer.attributes(pass.time);
    for (auto i : visible_features(pass, sl, layer, *attrs, 64)) {
        style::EvalContext ctx{pass.zoom, attrs->ref(i)};
        double const radius = circle.radius.evaluate(ctx);
        double const stroke = circle.stroke_width.evaluate(ctx);
        double const opacity = circle.opacity.evaluate(ctx);
        if (radius <= 0) continue;

        // Fan out the features drawn at this spot on this date.
        together.clear();
        for (auto j : layer.colocated(i))
            if (feature_passes(sl, *attrs, j, pass.zoom, pass.time)) together.push_back(j);
        std::size_t k = 0;
        while (k < together.size() && together[k] != i) ++k;
        Projected const shift = fan_offset(k, together.size(), radius + stroke);

        auto const& pts = std::get<MultiPoint<Projected>>(layer.geometry(i)).points;
        for (auto const& p : pts) {
            double const x = pass.frame.px(p.x) + shift.x, y = pass.frame.py(p.y) + shift.y;
            cairo_new_path(cr);
            cairo_arc(cr, x, y, radius, 0, 2 * M_PI);
            set_source(cr, circle.color.evaluate(ctx), opacity);
            cairo_fill_preserve(cr);
            if (stroke > 0) {
                cairo_set_line_width(cr, stroke);
                set_source(cr, circle.stroke_color.evaluate(ctx), circle.stroke_opacity.evaluate(ctx));
                cairo_stroke(cr);
            }
            cairo_new_path(cr);
        }
    }
}

} // namespace sahelmap::render::detail
