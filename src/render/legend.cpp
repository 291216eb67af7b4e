#include "sahelmap/render/legend.hpp"
#include "sahelmap/render/cairo_ptr.hpp"

#include "draw.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/render/icons.hpp"
#include "sahelmap/render/image_canvas.hpp"
#include "sahelmap/render/page_text.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace sahelmap::render {

namespace {

using Sample = LegendSample;
using RowKind = LegendRowKind;

// Row geometry, points.
constexpr double kSwatchW = 22;
constexpr double kSwatchH = 10;
constexpr double kLabelX = 28;
constexpr double kClassW = 16;
constexpr double kVariantW = 26;    ///< a cell of a variants row: a symbol and its caption
constexpr double kLogicalPx = 0.75; // points per logical pixel (1/96 in)

TextStyle label_style()
{
    return {7.5, false, false, 0.12, 0.12, 0.12, Align::left, 0};
}
TextStyle heading_style()
{
    return {8.5, true, false, 0.1, 0.1, 0.1, Align::left, 0};
}
TextStyle subheading_style()
{
    return {6.8, false, true, 0.35, 0.35, 0.35, Align::left, 0};
}

} // namespace

double legend_row_height(LegendRow const& row)
{
    switch (row.kind) {
    case RowKind::heading:
        return 15;
    case RowKind::subheading:
        return 11;
    case RowKind::classes_header:
        return 11;
    case RowKind::ramp:
        return 22;
    case RowKind::variants:
        return 20;
    default:
        return 13;
    }
}

namespace {

void set_colour(cairo_t* cr, Color const& c, double opacity)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, std::clamp(c.a * opacity, 0.0, 1.0));
}

/// Draws one sample of a style layer into the box (x, y, w, h), in points.
void draw_sample(cairo_t* cr, style::Style const& style, Sample const& s, double x, double y, double w, double h,
                 double zoom)
{
    auto const& sl = style.layers()[s.layer];
    Schema schema;
    std::vector<Value> values;
    for (auto const& [k, v] : s.attributes) {
        schema.fields.push_back(k);
        values.push_back(v);
    }
    style::EvalContext const ctx{zoom, FeatureRef{&schema, &values, 0, GeometryKind::none}, 0};
    cairo_save(cr);
    cairo_new_path(cr);
    if (auto const* fill = std::get_if<style::FillLayer>(&sl.props)) {
        cairo_rectangle(cr, x, y, w, h);
        set_colour(cr, fill->color.evaluate(ctx), fill->opacity.evaluate(ctx));
        cairo_fill(cr);
        if (fill->has_outline) {
            cairo_rectangle(cr, x + 0.25, y + 0.25, w - 0.5, h - 0.5);
            cairo_set_line_width(cr, 0.5);
            set_colour(cr, fill->outline_color.evaluate(ctx), fill->opacity.evaluate(ctx));
            cairo_stroke(cr);
        }
    } else if (auto const* line = std::get_if<style::LineLayer>(&sl.props)) {
        double const width = std::min(line->width.evaluate(ctx) * kLogicalPx, h);
        cairo_set_line_width(cr, width);
        auto const cap = line->cap.evaluate(ctx);
        cairo_set_line_cap(cr, cap == style::LineCap::round    ? CAIRO_LINE_CAP_ROUND
                               : cap == style::LineCap::square ? CAIRO_LINE_CAP_SQUARE
                                                               : CAIRO_LINE_CAP_BUTT);
        auto dash = line->dasharray.evaluate(ctx);
        if (!dash.empty()) {
            for (auto& d : dash) d *= std::max(width, 0.5);
            cairo_set_dash(cr, dash.data(), static_cast<int>(dash.size()), 0);
        }
        double const pad = cap == style::LineCap::butt ? 0 : width / 2;
        cairo_move_to(cr, x + pad, y + h / 2);
        cairo_line_to(cr, x + w - pad, y + h / 2);
        set_colour(cr, line->color.evaluate(ctx), line->opacity.evaluate(ctx));
        cairo_stroke(cr);
    } else if (auto const* circle = std::get_if<style::CircleLayer>(&sl.props)) {
        double const r = std::min(circle->radius.evaluate(ctx) * kLogicalPx, h / 2 + 1);
        cairo_arc(cr, x + w / 2, y + h / 2, r, 0, 2 * M_PI);
        set_colour(cr, circle->color.evaluate(ctx), circle->opacity.evaluate(ctx));
        cairo_fill_preserve(cr);
        double const sw = circle->stroke_width.evaluate(ctx) * kLogicalPx;
        if (sw > 0) {
            cairo_set_line_width(cr, sw);
            set_colour(cr, circle->stroke_color.evaluate(ctx), circle->stroke_opacity.evaluate(ctx));
            cairo_stroke(cr);
        }
    } else if (auto const* sym = std::get_if<style::SymbolLayer>(&sl.props)) {
        auto const icon = sym->icon_image.evaluate(ctx);
        if (detail::icon_known(icon)) {
            // The map's icon radius, kept true to size up to the row height.
            double const r = std::min(icon_radius(sym->icon_size.evaluate(ctx)) * kLogicalPx, h / 2 + 1.5);
            detail::icon_path(cr, icon, x + w / 2, y + h / 2, r);
            Color const colour = sym->icon_color.evaluate(ctx), halo = sym->icon_halo_color.evaluate(ctx);
            double const hw = sym->icon_halo_width.evaluate(ctx) * kLogicalPx;
            double const op = sym->icon_opacity.evaluate(ctx);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            if (hw > 0 && !halo.transparent()) {
                set_colour(cr, halo, op);
                cairo_set_line_width(cr, colour.transparent() ? hw : 2 * hw);
                cairo_stroke_preserve(cr);
            }
            if (!colour.transparent()) {
                set_colour(cr, colour, op);
                cairo_fill(cr);
            }
        }
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

bool any_fill(style::Style const& style, std::vector<Sample> const& samples)
{
    return std::any_of(samples.begin(), samples.end(),
                       [&](Sample const& s) { return style.layers()[s.layer].type == style::LayerType::fill; });
}

void frame_box(cairo_t* cr, double x, double y, double w, double h)
{
    cairo_rectangle(cr, x + 0.2, y + 0.2, w - 0.4, h - 0.4);
    cairo_set_source_rgba(cr, 0.45, 0.45, 0.45, 1);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
}

} // namespace

void draw_legend_row(cairo_t* cr, style::Style const& style, LegendRow const& row, double x, double y, double width,
                     double zoom)
{
    auto label = label_style();
    label.max_width = 0;
    switch (row.kind) {
    case RowKind::heading: {
        draw_text(cr, row.label, x, y + 3, heading_style());
        return;
    }
    case RowKind::subheading:
        draw_text(cr, row.label, x, y + 1, subheading_style());
        return;
    case RowKind::classes_header: {
        auto st = subheading_style();
        draw_text(cr, row.label + " by score", x, y + 1, st);
        st.align = Align::centre;
        double cx = x + width - kClassW * static_cast<double>(row.class_labels.size()) + kClassW / 2;
        for (auto const& l : row.class_labels) {
            draw_text(cr, l, cx, y + 1, st);
            cx += kClassW;
        }
        return;
    }
    case RowKind::classes: {
        double const sy = y + (13 - kSwatchH) / 2;
        draw_text(cr, row.label, x, y + 1.5, label);
        double cx = x + width - kClassW * static_cast<double>(row.classes.size());
        for (auto const& cls : row.classes) {
            for (auto const& s : cls) draw_sample(cr, style, s, cx + 1, sy, kClassW - 2, kSwatchH, zoom);
            frame_box(cr, cx + 1, sy, kClassW - 2, kSwatchH);
            cx += kClassW;
        }
        return;
    }
    case RowKind::variants: {
        // Wider cells than the influence classes: symbols, with a caption under each.
        double const cell = kVariantW;
        double const sy = y + 1;
        draw_text(cr, row.label, x, y + 3, label);
        double cx = x + width - cell * static_cast<double>(row.classes.size());
        auto caption = subheading_style();
        caption.italic = false;
        caption.size = 5.6;
        caption.align = Align::centre;
        for (std::size_t k = 0; k < row.classes.size(); ++k) {
            for (auto const& s : row.classes[k])
                draw_sample(cr, style, s, cx + (cell - kSwatchW) / 2, sy, kSwatchW, kSwatchH, zoom);
            if (k < row.class_labels.size())
                draw_text(cr, row.class_labels[k], cx + cell / 2, sy + kSwatchH + 0.5, caption);
            cx += cell;
        }
        return;
    }
    case RowKind::ramp: {
        auto const& heat = std::get<style::HeatmapLayer>(style.layers()[row.ramp_layer].props);
        double const w = std::min(width, 120.0);
        int const n = 48;
        for (int k = 0; k < n; ++k) {
            style::EvalContext ctx{zoom, {}, (k + 0.5) / n};
            Color const c = heat.color.evaluate(ctx);
            cairo_rectangle(cr, x + w * k / n, y + 1, w / n + 0.05, 7);
            set_colour(cr, c, heat.opacity.evaluate({zoom, {}, 0}));
            cairo_fill(cr);
        }
        frame_box(cr, x, y + 1, w, 7);
        auto st = subheading_style();
        draw_text(cr, row.label, x, y + 9.5, st);
        return;
    }
    case RowKind::entry: {
        double const sy = y + (13 - kSwatchH) / 2;
        if (!row.swatch.empty() && style.layers()[row.swatch.front().layer].type == style::LayerType::line) {
            // Lines lie on a pale ground, so white casings and outlines show.
            cairo_rectangle(cr, x, sy, kSwatchW, kSwatchH);
            cairo_set_source_rgb(cr, 0.91, 0.9, 0.87);
            cairo_fill(cr);
        }
        for (auto const& s : row.swatch) draw_sample(cr, style, s, x, sy, kSwatchW, kSwatchH, zoom);
        if (any_fill(style, row.swatch)) frame_box(cr, x, sy, kSwatchW, kSwatchH);
        draw_text(cr, row.label, x + kLabelX, y + 1.5, label);
        return;
    }
    }
}

double legend_row_width(cairo_t* cr, LegendRow const& row)
{
    switch (row.kind) {
    case RowKind::heading:
        return measure_text(cr, row.label, heading_style()).width;
    case RowKind::subheading:
        return measure_text(cr, row.label, subheading_style()).width;
    case RowKind::classes_header:
        return measure_text(cr, row.label + " by score", subheading_style()).width + 8 +
               kClassW * static_cast<double>(row.class_labels.size());
    case RowKind::classes:
        return measure_text(cr, row.label, label_style()).width + 8 + kClassW * static_cast<double>(row.classes.size());
    case RowKind::ramp:
        return std::max(120.0, measure_text(cr, row.label, subheading_style()).width);
    case RowKind::variants:
        return measure_text(cr, row.label, label_style()).width + 8 +
               kVariantW * static_cast<double>(row.classes.size());
    default:
        return kLabelX + measure_text(cr, row.label, label_style()).width;
    }
}

Image legend_image(style::Style const& style, std::vector<LegendRow> const& rows, double scale)
{
    if (!(scale > 0) || scale > 8) throw BadRequest("legend scale must be between 0 and 8");
    // Measure on a scratch surface, then draw at the size found.
    double width = 0, height = 0;
    {
        SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
        CairoPtr cr(cairo_create(scratch.get()));
        for (auto const& r : rows) {
            width = std::max(width, legend_row_width(cr.get(), r));
            height += legend_row_height(r);
        }
    }
    double const pad = 4;
    width = std::ceil(width + 2 * pad);
    height = std::ceil(height + 2 * pad);
    // Points to device pixels: a logical pixel is 0.75 pt.
    double const px_per_pt = scale / 0.75;
    auto canvas =
        image_canvas(static_cast<int>(std::ceil(width * px_per_pt)), static_cast<int>(std::ceil(height * px_per_pt)));
    {
        CairoPtr cr(cairo_create(canvas.surface.get()));
        cairo_set_source_rgb(cr.get(), 1, 1, 1);
        cairo_paint(cr.get());
        cairo_scale(cr.get(), px_per_pt, px_per_pt);
        double y = pad;
        for (auto const& r : rows) {
            draw_legend_row(cr.get(), style, r, pad, y, width - 2 * pad, 6);
            y += legend_row_height(r);
        }
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("legend drawing failed: ") + cairo_status_to_string(cairo_status(cr.get())));
    }
    cairo_surface_flush(canvas.surface.get());
    return std::move(canvas.image);
}

} // namespace sahelmap::render
