#include "draw.hpp"

namespace sahelmap::render::detail {

void draw_background(LayerPass const& pass, style::BackgroundLayer const& bg)
{
    style::EvalContext ctx{pass.zoom, {}};
    set_source(pass.cr, bg.color.evaluate(ctx), bg.opacity.evaluate(ctx));
    cairo_paint(pass.cr);
}

void draw_fill(LayerPass const& pass, style::StyleLayer const& sl, style::FillLayer const& fill,
               ProjectedLayer const& layer)
{
    if (layer.source().kind != GeometryKind::polygon) return;
    auto const& geoms = layer.at_level(pass.level);
    cairo_t* cr = pass.cr;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    auto const attrs = layer.attributes(pass.time);
    for (auto i : visible_features(pass, sl, layer, *attrs, 2)) {
        style::EvalContext ctx{pass.zoom, attrs->ref(i)};
        double const opacity = fill.opacity.evaluate(ctx);
        Color const color = fill.color.evaluate(ctx);
        if (opacity <= 0) continue;
        cairo_new_path(cr);
        add_polygons(cr, std::get<MultiPolygon<Projected>>(geoms[i]), pass.frame, pass.clip);
        if (!color.transparent()) {
            set_source(cr, color, opacity);
            if (fill.has_outline)
                cairo_fill_preserve(cr);
            else
                cairo_fill(cr);
        }
        if (fill.has_outline) {
            // MapLibre's fill outline: a 1 px hairline, whatever the scale.
            double ux = 1, uy = 1;
            cairo_device_to_user_distance(cr, &ux, &uy);
            cairo_set_line_width(cr, std::abs(ux));
            set_source(cr, fill.outline_color.evaluate(ctx), opacity);
            cairo_stroke(cr);
        }
    }
}

} // namespace sahelmap::render::detail
