// One style layer's symbol as QGIS symbol layers: fill, line or marker,
// with what the style draws by data as QGIS data-defined properties.
#include "qgis_model.hpp"

#include "sahelmap/render/icons.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sahelmap::exports::detail {

namespace {

std::string cap_name(style::LineCap c)
{
    switch (c) {
    case style::LineCap::round:
        return "round";
    case style::LineCap::square:
        return "square";
    default:
        return "flat";
    }
}

std::string join_name(style::LineJoin j)
{
    switch (j) {
    case style::LineJoin::round:
        return "round";
    case style::LineJoin::bevel:
        return "bevel";
    default:
        return "miter";
    }
}

} // namespace

SymbolLayerSpec default_symbol(GeometryKind kind)
{
    SymbolLayerSpec s;
    Color const grey{0.45f, 0.45f, 0.45f, 1};
    if (kind == GeometryKind::polygon) {
        s.kind = SymbolKind::fill;
        s.color = Color{0.85f, 0.85f, 0.85f, 0.6f};
        s.stroke = grey;
        s.stroke_width = 1;
    } else if (kind == GeometryKind::line) {
        s.kind = SymbolKind::line;
        s.color = grey;
        s.width = 1.5;
    } else {
        s.kind = SymbolKind::marker;
        s.color = grey;
        s.stroke = Color{1, 1, 1, 1};
        s.stroke_width = 1;
        s.size = 8;
    }
    return s;
}

Color with_opacity(Color c, double opacity)
{
    c.a = static_cast<float>(std::clamp(c.a * opacity, 0.0, 1.0));
    return c;
}

std::string colour_expression(style::Property<Color> const& colour_property, Color colour,
                              style::Property<double> const& opacity_property, double opacity, double zoom)
{
    if (!colour_property.uses_feature() && !opacity_property.uses_feature()) return {};
    std::string const c = colour_property.uses_feature()
                              ? qgis_expression(*colour_property.expression(), zoom, qgis_color_literal)
                              : "'" + qml_color(colour) + "'";
    std::string const o =
        opacity_property.uses_feature() ? qgis_expression(*opacity_property.expression(), zoom) : num(opacity);
    if (o == "1") return c;
    return "set_color_part(" + c + ", 'alpha', color_part(" + c + ", 'alpha') * (" + o + "))";
}

void add_symbol_layers(LayerReading& reading, style::StyleLayer const& l, std::size_t feature, SymbolSpec& s)
{
    double const zoom = reading.zoom();
    style::EvalContext ctx{zoom, reading.layer().ref(feature)};
    SymbolLayerSpec spec;
    if (auto const* f = std::get_if<style::FillLayer>(&l.props)) {
        spec.kind = SymbolKind::fill;
        double const opacity = f->opacity.evaluate(ctx);
        spec.color = with_opacity(f->color.evaluate(ctx), opacity);
        if (f->has_outline) {
            spec.stroke = with_opacity(f->outline_color.evaluate(ctx), opacity);
            spec.stroke_width = 1;
        }
        if (f->opacity.uses_feature()) {
            try {
                Color solid = spec.color;
                solid.a = f->color.evaluate(ctx).a;
                spec.fill_color_expression = "set_color_part('" + qml_color(solid) + "', 'alpha', 255 * (" +
                                             qgis_expression(*f->opacity.expression(), zoom) + "))";
                reading.note_once("style layer " + l.id +
                                  ": fill opacity by data is data-defined in QML; the SLD "
                                  "takes each category's representative feature's");
            } catch (std::invalid_argument const& e) {
                reading.note_once("style layer " + l.id + ": fill opacity by data not translated (" +
                                  std::string(e.what()) + "), each category takes its representative feature's");
            }
        }
    } else if (auto const* ln = std::get_if<style::LineLayer>(&l.props)) {
        spec.kind = SymbolKind::line;
        spec.color = with_opacity(ln->color.evaluate(ctx), ln->opacity.evaluate(ctx));
        spec.width = ln->width.evaluate(ctx);
        for (double d : ln->dasharray.evaluate(ctx)) spec.dash.push_back(std::max(d * spec.width, 0.1));
        spec.cap = cap_name(ln->cap.evaluate(ctx));
        spec.join = join_name(ln->join.evaluate(ctx));
    } else if (auto const* c = std::get_if<style::CircleLayer>(&l.props)) {
        spec.kind = SymbolKind::marker;
        spec.shape = "circle";
        spec.size = 2 * c->radius.evaluate(ctx);
        spec.color = with_opacity(c->color.evaluate(ctx), c->opacity.evaluate(ctx));
        spec.stroke = with_opacity(c->stroke_color.evaluate(ctx), c->stroke_opacity.evaluate(ctx));
        spec.stroke_width = c->stroke_width.evaluate(ctx);
        try {
            spec.fill_color_expression =
                colour_expression(c->color, c->color.evaluate(ctx), c->opacity, c->opacity.evaluate(ctx), zoom);
            spec.stroke_color_expression = colour_expression(c->stroke_color, c->stroke_color.evaluate(ctx),
                                                             c->stroke_opacity, c->stroke_opacity.evaluate(ctx), zoom);
            if (c->stroke_width.uses_feature())
                spec.stroke_width_expression = qgis_expression(*c->stroke_width.expression(), zoom);
        } catch (std::invalid_argument const& e) {
            reading.note_once("style layer " + l.id + ": circle properties by data not translated (" + e.what() +
                              "), each category takes its representative feature's");
        }
    } else if (auto const* sym = std::get_if<style::SymbolLayer>(&l.props)) {
        spec.kind = SymbolKind::marker;
        std::string const icon = sym->icon_image.evaluate(ctx);
        spec.shape = qgis_marker(icon);
        if (icon == "triangle-down") spec.angle = 180;
        double const icon_size = sym->icon_size.evaluate(ctx);
        spec.size = render::kIconDiameterPx * icon_size;
        spec.color = with_opacity(sym->icon_color.evaluate(ctx), sym->icon_opacity.evaluate(ctx));
        spec.stroke = with_opacity(sym->icon_halo_color.evaluate(ctx), sym->icon_opacity.evaluate(ctx));
        spec.stroke_width = sym->icon_halo_width.evaluate(ctx);
        try {
            if (sym->icon_image.uses_feature())
                spec.shape_expression =
                    qgis_expression(*sym->icon_image.expression(), zoom,
                                    [](std::string const& icon_name) { return qgis_marker(icon_name); });
            if (sym->icon_size.uses_feature())
                spec.size_expression =
                    num(render::kIconDiameterPx) + " * (" + qgis_expression(*sym->icon_size.expression(), zoom) + ")";
            // Colours, outline and opacity by data (hollow = low
            // confidence, faded = planned, dark ring = reinforcing).
            double const opacity = sym->icon_opacity.evaluate(ctx);
            spec.fill_color_expression =
                colour_expression(sym->icon_color, sym->icon_color.evaluate(ctx), sym->icon_opacity, opacity, zoom);
            spec.stroke_color_expression = colour_expression(sym->icon_halo_color, sym->icon_halo_color.evaluate(ctx),
                                                             sym->icon_opacity, opacity, zoom);
            if (sym->icon_halo_width.uses_feature())
                spec.stroke_width_expression = qgis_expression(*sym->icon_halo_width.expression(), zoom);
        } catch (std::invalid_argument const& e) {
            reading.note_once("style layer " + l.id + ": icon properties by data not translated (" + e.what() +
                              "), each category takes its representative feature's");
        }
    } else {
        return;
    }
    // The style layer's zoom range, as the map scale QGIS draws at.
    std::string range;
    if (l.minzoom > 0) range = "@map_scale <= " + std::to_string(std::lround(scale_of_zoom(l.minzoom)));
    if (l.maxzoom < 24)
        range += (range.empty() ? "" : " AND ") + std::string("@map_scale > ") +
                 std::to_string(std::lround(scale_of_zoom(l.maxzoom)));
    spec.enabled_expression = range;
    s.layers.push_back(std::move(spec));
}

} // namespace sahelmap::exports::detail
