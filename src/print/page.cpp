// Draws the laid-out page onto a PDF, SVG or image surface: the map through
// the tiles' Renderer, then the graticule, frame, inset, legend, scale bar,
// north arrow and notes around it.
#include "layout.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/render/cairo_ptr.hpp"
#include "sahelmap/render/image_canvas.hpp"
#include "sahelmap/render/page_text.hpp"
#include "sources_page.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace sahelmap::print {

namespace {

using namespace detail;

using render::CairoPtr;
using render::SurfacePtr;

cairo_status_t append(void* closure, unsigned char const* data, unsigned int length)
{
    static_cast<std::string*>(closure)->append(reinterpret_cast<char const*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

constexpr char const* kLocatorStyle = R"({
  "version": 8, "name": "locator",
  "sources": {"sahel": {"type": "vector"}},
  "layers": [
    {"id": "sea", "type": "background", "paint": {"background-color": "#dbe7ee"}},
    {"id": "land", "type": "fill", "source": "sahel", "source-layer": "countries",
     "paint": {"fill-color": ["match", ["get", "bloc"], "AES", "#e8d3a9", "#f5f3ee"]}},
    {"id": "borders", "type": "line", "source": "sahel", "source-layer": "borders",
     "paint": {"line-color": "#8f8a80", "line-width": 0.5}}
  ]
})";

std::string degree_label(double v, bool lon)
{
    char buf[32];
    double const a = std::fabs(v);
    char const hemi = lon ? (v < 0 ? 'W' : 'E') : (v < 0 ? 'S' : 'N');
    if (a < 1e-9) return "0°";
    if (std::fabs(a - std::round(a)) < 1e-9)
        std::snprintf(buf, sizeof buf, "%.0f°%c", a, hemi);
    else
        std::snprintf(buf, sizeof buf, "%g°%c", a, hemi);
    return buf;
}

void draw_graticule(cairo_t* cr, PrintPlan const& p)
{
    geo::Transform const fwd("EPSG:4326", p.crs);
    BBox const shown = geo::Transform(p.crs, "EPSG:4326").apply(p.extent);
    double const s = p.graticule_step;
    Rect const& f = p.map;
    struct Label {
        std::string text;
        double x, y;
        int side; // 0 top, 1 bottom, 2 left, 3 right
    };
    std::vector<Label> labels;

    auto trace = [&](bool meridian, double v) {
        std::vector<double> xs, ys;
        double const from = meridian ? shown.miny - s : shown.minx - s;
        double const to = meridian ? shown.maxy + s : shown.maxx + s;
        int const n = 120;
        for (int k = 0; k <= n; ++k) {
            double const t = from + (to - from) * k / n;
            xs.push_back(meridian ? v : t);
            ys.push_back(meridian ? t : v);
        }
        fwd.apply(xs.data(), ys.data(), xs.size());
        std::vector<Projected> pts;
        for (std::size_t k = 0; k < xs.size(); ++k)
            if (std::isfinite(xs[k]) && std::isfinite(ys[k])) pts.push_back(to_page(p, xs[k], ys[k]));
        if (pts.size() < 2) return;
        cairo_move_to(cr, pts[0].x, pts[0].y);
        for (std::size_t k = 1; k < pts.size(); ++k) cairo_line_to(cr, pts[k].x, pts[k].y);
        // Where the line leaves the frame: its label goes there, outside.
        for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
            auto const a = pts[k], b = pts[k + 1];
            if (meridian) {
                for (int side : {0, 1}) {
                    double const y = side == 0 ? f.y : f.bottom();
                    if ((a.y - y) * (b.y - y) > 0 || a.y == b.y) continue;
                    double const x = a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y);
                    if (x > f.x + 10 && x < f.right() - 10) labels.push_back({degree_label(v, true), x, y, side});
                }
            } else {
                for (int side : {2, 3}) {
                    double const x = side == 2 ? f.x : f.right();
                    if ((a.x - x) * (b.x - x) > 0 || a.x == b.x) continue;
                    double const y = a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x);
                    if (y > f.y + 8 && y < f.bottom() - 8) labels.push_back({degree_label(v, false), x, y, side});
                }
            }
        }
    };

    cairo_save(cr);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_clip(cr);
    cairo_new_path(cr);
    for (double v = std::ceil(shown.minx / s) * s; v <= shown.maxx + 1e-9; v += s) trace(true, v);
    for (double v = std::ceil(shown.miny / s) * s; v <= shown.maxy + 1e-9; v += s) trace(false, v);
    cairo_set_source_rgba(cr, 0.25, 0.3, 0.4, 0.45);
    cairo_set_line_width(cr, 0.35);
    cairo_stroke(cr);
    cairo_restore(cr);

    // Neatline and the ticks of the labelled lines.
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 0.9);
    cairo_rectangle(cr, f.x, f.y, f.w, f.h);
    cairo_stroke(cr);
    cairo_set_line_width(cr, 0.5);
    render::TextStyle st{6.5, false, false, 0.2, 0.2, 0.2, render::Align::centre, 0};
    for (auto const& l : labels) {
        double const tick = 3;
        switch (l.side) {
        case 0:
            cairo_move_to(cr, l.x, l.y);
            cairo_line_to(cr, l.x, l.y - tick);
            st.align = render::Align::centre;
            render::draw_text(cr, l.text, l.x, l.y - tick - 9, st);
            break;
        case 1:
            cairo_move_to(cr, l.x, l.y);
            cairo_line_to(cr, l.x, l.y + tick);
            st.align = render::Align::centre;
            render::draw_text(cr, l.text, l.x, l.y + tick + 0.5, st);
            break;
        case 2:
            cairo_move_to(cr, l.x, l.y);
            cairo_line_to(cr, l.x - tick, l.y);
            st.align = render::Align::right;
            render::draw_text(cr, l.text, l.x - tick - 1.5, l.y - 4.5, st);
            break;
        default:
            cairo_move_to(cr, l.x, l.y);
            cairo_line_to(cr, l.x + tick, l.y);
            st.align = render::Align::left;
            render::draw_text(cr, l.text, l.x + tick + 1.5, l.y - 4.5, st);
            break;
        }
        cairo_stroke(cr);
    }
}

void draw_inset(cairo_t* cr, Layout const& L, service::MapService const& service, Date time)
{
    auto const& p = L.plan;
    Rect const& r = L.inset;
    std::vector<std::string> names;
    for (auto const& l : service.store().layers) names.push_back(l.name);
    auto const style = style::Style::parse("locator", kLocatorStyle, names);
    render::Renderer const locator(service.data_in(p.crs), style);

    render::draw_text(cr, "Locator: West Africa", r.x, r.y - 11,
                      {6.8, true, false, 0.2, 0.2, 0.2, render::Align::left, 0});
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_clip(cr);
    cairo_translate(cr, r.x, r.y);
    cairo_scale(cr, 0.75, 0.75);
    render::View v;
    v.extent = L.inset_extent;
    v.width = static_cast<int>(std::lround(r.w / 0.75));
    v.height = static_cast<int>(std::lround(r.h / 0.75));
    v.scale = 2;
    v.zoom = 3;
    v.time = time;
    locator.draw(cr, v);
    cairo_restore(cr);
    // The map's extent, outlined (same CRS: a rectangle).
    double const res = L.inset_extent.width() / r.w;
    double const x0 = r.x + (p.extent.minx - L.inset_extent.minx) / res;
    double const y0 = r.y + (L.inset_extent.maxy - p.extent.maxy) / res;
    cairo_save(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_clip(cr);
    cairo_rectangle(cr, x0, y0, p.extent.width() / res, p.extent.height() / res);
    cairo_set_source_rgba(cr, 0.78, 0.1, 0.1, 0.12);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.78, 0.1, 0.1);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

void draw_scale_north(cairo_t* cr, PrintPlan const& p, Rect const& at)
{
    // Where things go is the layout's (scale_north_geometry), so the plan's
    // boxes are the drawing's.
    auto const g = scale_north_geometry(p, at, cr);
    render::TextStyle small = scale_label_style();
    // Scale bar: four alternating segments, labelled 0, half and the full length.
    double const x = g.bar_x, y = g.bar_y, h = 4.5;
    render::draw_text(cr, "Scale at the map centre", at.x, at.y + 1, scale_caption_style());
    for (int k = 0; k < 4; ++k) {
        cairo_rectangle(cr, x + p.scale_bar_pt * k / 4, y + 9, p.scale_bar_pt / 4, h);
        if (k % 2 == 0)
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        else
            cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
    }
    render::draw_text(cr, "0", x, y, small);
    render::draw_text(cr, scale_km_text(p.scale_bar_km / 2), x + p.scale_bar_pt / 2, y, small);
    render::draw_text(cr, scale_km_text(p.scale_bar_km), x + p.scale_bar_pt, y, small);
    small.align = render::Align::left;
    render::draw_text(cr, "km", x + p.scale_bar_pt + 6, y + 7, small);
    render::draw_text(cr, scale_ratio_text(p), x, y + 17, small);

    // North arrow, turned to true north at the centre.
    double const cx = g.arrow_x, cy = g.arrow_y;
    cairo_save(cr);
    cairo_translate(cr, cx, cy);
    cairo_rotate(cr, p.north_deg * M_PI / 180);
    cairo_move_to(cr, 0, -16);
    cairo_line_to(cr, 6, 10);
    cairo_line_to(cr, 0, 5);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_fill(cr);
    cairo_move_to(cr, 0, -16);
    cairo_line_to(cr, -6, 10);
    cairo_line_to(cr, 0, 5);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    render::draw_text(cr, "N", 0, -28, {9, true, false, 0.1, 0.1, 0.1, render::Align::centre, 0});
    cairo_restore(cr);
    render::draw_text(cr, "true north", cx, cy + 14, {5.8, false, true, 0.35, 0.35, 0.35, render::Align::centre, 0});
}

} // namespace

render::View detail::map_view(Layout const& L, PrintRequest const& r)
{
    auto const& p = L.plan;
    render::View v;
    v.extent = p.extent;
    v.width = p.map_px_w;
    v.height = p.map_px_h;
    v.scale = r.dpi / 96.0;
    v.zoom = p.zoom;
    v.time = p.time;
    v.text_as_glyphs = r.format != Format::png;
    v.labels_inside = true;
    return v;
}

std::vector<ClearBox> detail::map_symbol_boxes(Layout const& L, render::View const& view)
{
    auto const& p = L.plan;
    std::vector<ClearBox> out;
    for (auto const& s : L.renderer->symbol_boxes(view)) // logical pixels (1/96 in) to points
        out.push_back({{p.map.x + s.box.minx * 0.75, p.map.y + s.box.miny * 0.75, p.map.x + s.box.maxx * 0.75,
                        p.map.y + s.box.maxy * 0.75},
                       // Sort key 0 (the AES countries) weighs 11, the sites' 5 to 9 about 2.
                       1 + 10 / (1 + std::max(0.0, s.sort_key))});
    return out;
}

namespace {

void draw_page(cairo_t* cr, Layout const& L, service::MapService const& service, PrintRequest const& r,
               Progress const& progress)
{
    auto const& p = L.plan;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    // Title block.
    // A long title gets smaller down to 11 pt, then is cut with an ellipsis: it keeps to one line.
    render::TextStyle title{17, true, false, 0.08, 0.08, 0.1, render::Align::left, 0};
    while (title.size > 11 && render::measure_text(cr, p.title, title).width > p.title_box.w) title.size -= 1;
    title.max_width = p.title_box.w;
    title.ellipsize = true;
    render::draw_text(cr, p.title, p.title_box.x, p.title_box.y + (17 - title.size) * 0.6, title);
    render::draw_text(cr, p.subtitle, p.title_box.x, p.title_box.y + 24,
                      {10, false, false, 0.3, 0.3, 0.3, render::Align::left, 0});
    cairo_move_to(cr, p.title_box.x, p.title_box.bottom() - 4);
    cairo_line_to(cr, p.title_box.right(), p.title_box.bottom() - 4);
    cairo_set_source_rgb(cr, 0.55, 0.2, 0.15);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke(cr);

    // The map, through the same renderer and style as the tiles.
    if (progress) progress(20, "drawing the map");
    cairo_save(cr);
    cairo_rectangle(cr, p.map.x, p.map.y, p.map.w, p.map.h);
    cairo_clip(cr);
    cairo_translate(cr, p.map.x, p.map.y);
    cairo_scale(cr, 0.75, 0.75); // logical pixels (1/96 in) in points
    auto const v = map_view(L, r);
    L.renderer->draw(cr, v);
    cairo_restore(cr);

    if (progress) progress(70, "graticule, legend and margins");
    draw_graticule(cr, p);
    // A PDF lists what the map draws on the pages after it, numbered as the
    // sites on the map; single-page formats carry neither.
    std::vector<ListedFeature> const listed =
        r.format == Format::pdf ? listed_features(L) : std::vector<ListedFeature>{};
    if (!listed.empty()) draw_reference_numbers(cr, p, place_reference_numbers(cr, p, listed, map_symbol_boxes(L, v)));

    auto const& style = L.renderer->style();
    for (auto const& it : L.items) {
        switch (it.kind) {
        case ItemKind::inset:
            draw_inset(cr, L, service, p.time);
            break;
        case ItemKind::legend_row:
            render::draw_legend_row(cr, style, L.rows[it.row], it.at.x, it.at.y, it.at.w, p.zoom);
            break;
        case ItemKind::scale_north:
            draw_scale_north(cr, p, scale_north_area(it));
            break;
        }
    }

    // Notes: projection and scale, sources, date and print time.
    double y = p.notes_box.y + 4;
    cairo_move_to(cr, p.notes_box.x, p.notes_box.y + 1);
    cairo_line_to(cr, p.notes_box.right(), p.notes_box.y + 1);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr, 0.4);
    cairo_stroke(cr);
    for (std::size_t i = 0; i < p.notes.size(); ++i) {
        // The reporting notice (first when there is one) stands out from the small print.
        bool const notice = i == 0 && !p.reporting_notice.empty();
        render::TextStyle const st =
            notice ? render::TextStyle{6.3, true, false, 0.55, 0.12, 0.1, render::Align::left, p.notes_box.w}
                   : render::TextStyle{6.3, false, false, 0.3, 0.3, 0.3, render::Align::left, p.notes_box.w};
        y += render::draw_text(cr, p.notes[i], p.notes_box.x, y, st).height;
    }
    if (r.format == Format::pdf) draw_feature_pages(cr, p, listed);
}

} // namespace

PrintPlan plan_print(service::MapService const& service, PrintRequest const& request)
{
    SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    CairoPtr cr(cairo_create(scratch.get()));
    return make_layout(service, request, cr.get()).plan;
}

std::string render_print(service::MapService const& service, PrintRequest const& request, Progress const& progress)
{
    if (progress) progress(0, "projecting the data");
    Layout L;
    {
        SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
        CairoPtr cr(cairo_create(scratch.get()));
        L = make_layout(service, request, cr.get());
    }
    auto const& p = L.plan;
    std::string out;
    SurfacePtr surface;
    render::ImageCanvas canvas; // PNG: the pixels drawn into
    switch (request.format) {
    case Format::pdf:
        surface.reset(cairo_pdf_surface_create_for_stream(append, &out, p.page_w, p.page_h));
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, p.title.c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "sahelmap");
        break;
    case Format::svg:
        surface.reset(cairo_svg_surface_create_for_stream(append, &out, p.page_w, p.page_h));
        cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PT);
        break;
    case Format::png:
        canvas = render::image_canvas(p.device_w, p.device_h);
        surface = std::move(canvas.surface);
        break;
    }
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        throw RenderError(std::string("cannot create the ") + std::string(to_string(request.format)) +
                          " page: " + cairo_status_to_string(cairo_surface_status(surface.get())));
    {
        CairoPtr cr(cairo_create(surface.get()));
        if (request.format == Format::png) cairo_scale(cr.get(), request.dpi / 72.0, request.dpi / 72.0);
        draw_page(cr.get(), L, service, request, progress);
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("drawing the page failed: ") +
                              cairo_status_to_string(cairo_status(cr.get())));
    }
    if (progress) progress(85, request.format == Format::png ? "encoding the PNG" : "writing the file");
    if (request.format == Format::png) {
        cairo_surface_flush(surface.get());
        surface.reset();
        out = encode::encode_png(canvas.image);
    } else {
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("writing the page failed: ") +
                              cairo_status_to_string(cairo_surface_status(surface.get())));
        surface.reset();
    }
    if (progress) progress(100, "done");
    return out;
}

} // namespace sahelmap::print
