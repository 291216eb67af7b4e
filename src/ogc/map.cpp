#include "sahelmap/ogc/map.hpp"
#include "sahelmap/render/cairo_ptr.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/influence/layer.hpp"
#include "sahelmap/ogc/crs.hpp"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <mutex>

namespace sahelmap::ogc {

namespace {

bool style_draws(style::Style const& style, std::string_view data_layer)
{
    return std::any_of(style.layers().begin(), style.layers().end(),
                       [&](style::StyleLayer const& l) { return l.source_layer == data_layer; });
}

std::vector<std::string> data_layer_names(service::MapService const& service)
{
    std::vector<std::string> names;
    for (auto const& l : service.store().layers) names.push_back(l.name);
    if (service.influence()) names.emplace_back(influence::kLayerName);
    return names;
}

std::string title_of(std::string const& name)
{
    std::string t = name;
    if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 'a' + 'A');
    return t;
}

/// An image of a request's size and the Cairo surface over it, painted with
/// BGCOLOR unless the map is transparent.
struct MapCanvas {
    Image image;
    render::SurfacePtr surface;
};

MapCanvas map_canvas(MapRequest const& request)
{
    MapCanvas c;
    auto& img = c.image;
    img.width = request.width;
    img.height = request.height;
    img.stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, img.width);
    img.pixels.assign(static_cast<std::size_t>(img.stride) * static_cast<std::size_t>(img.height), 0);
    c.surface.reset(
        cairo_image_surface_create_for_data(img.pixels.data(), CAIRO_FORMAT_ARGB32, img.width, img.height, img.stride));
    if (cairo_surface_status(c.surface.get()) != CAIRO_STATUS_SUCCESS)
        throw RenderError("cannot create an image of " + std::to_string(img.width) + "x" + std::to_string(img.height));
    if (!request.transparent) {
        render::CairoPtr cr(cairo_create(c.surface.get()));
        cairo_set_source_rgb(cr.get(), ((request.bgcolor >> 16) & 0xFF) / 255.0,
                             ((request.bgcolor >> 8) & 0xFF) / 255.0, (request.bgcolor & 0xFF) / 255.0);
        cairo_paint(cr.get());
    }
    return c;
}

/// Maps at least this large may draw on two threads; below, a second
/// surface and its compositing cost about what a cut would save.
constexpr int kParallelPixels = 512 * 512;

/// Logical size for a side of `exact` pixels: the integer when it is one
/// (up to rounding), else the next one up.
int logical_size(double exact)
{
    double const r = std::round(exact);
    if (std::abs(exact - r) < 1e-6) return std::max(1, static_cast<int>(r));
    return std::max(1, static_cast<int>(std::ceil(exact)));
}

} // namespace

std::vector<NamedLayer> named_layers(service::MapService const& service)
{
    std::vector<NamedLayer> out;
    auto const styles = service.style_ids();
    for (auto const& name : data_layer_names(service)) {
        NamedLayer layer{name, title_of(name), true, {}};
        for (auto const& id : styles)
            if (style_draws(service.renderer(id).style(), name)) {
                if (id == name)
                    layer.styles.insert(layer.styles.begin(), id);
                else
                    layer.styles.push_back(id);
            }
        if (!layer.styles.empty()) out.push_back(std::move(layer));
    }
    for (auto const& id : styles) {
        if (find_layer(out, id)) continue;
        auto const& style = service.renderer(id).style();
        out.push_back({id, style.name().empty() ? title_of(id) : style.name(), false, {id}});
    }
    return out;
}

std::optional<NamedLayer> find_layer(std::vector<NamedLayer> const& layers, std::string_view name)
{
    for (auto const& l : layers)
        if (l.name == name) return l;
    return std::nullopt;
}

std::vector<std::string> data_layers_of(service::MapService const& service, NamedLayer const& layer,
                                        std::string const& style)
{
    if (layer.is_data) return {layer.name};
    std::vector<std::string> out;
    auto const& s = service.renderer(style).style();
    for (auto const& name : data_layer_names(service))
        if (style_draws(s, name)) out.push_back(name);
    return out;
}

Image render_map(std::shared_ptr<service::MapService const> const& service, MapRequest const& request)
{
    if (request.width <= 0 || request.height <= 0 || request.extent.empty())
        throw RenderError("cannot draw an empty map");
    // Draw with square pixels at the coarser of the two resolutions, then
    // stretch to the requested size: WMS lets a client ask for any aspect.
    double const res = std::max(request.extent.width() / request.width, request.extent.height() / request.height);
    double const wl = request.extent.width() / res;
    double const hl = request.extent.height() / res;
    // Pixels within half a pixel of square over the whole map (what clients
    // send: a bbox fitted to the size, then rounded) draw unscaled: sprites
    // and glyphs then copy pixel for pixel and Cairo keeps its fast paths
    // (a scale of 1.000001 costs 2.5 times the drawing). The far edges move
    // by less than half a pixel.
    bool const square = std::abs(wl - request.width) < 0.5 && std::abs(hl - request.height) < 0.5;
    render::View view;
    view.width = square ? request.width : logical_size(wl);
    view.height = square ? request.height : logical_size(hl);
    view.extent = {request.extent.minx, request.extent.maxy - view.height * res, request.extent.minx + view.width * res,
                   request.extent.maxy};
    view.zoom = zoom_for_view(request.crs, request.extent, static_cast<int>(std::max(1.0, std::round(wl))));
    view.time = request.time;

    auto canvas = map_canvas(request);
    auto const& img = canvas.image;
    auto const& surface = canvas.surface;
    {
        render::CairoPtr cr(cairo_create(surface.get()));
        double const sx = square ? 1 : request.width / wl;
        double const sy = square ? 1 : request.height / hl;
        bool const scaled = std::abs(sx - 1) > 1e-9 || std::abs(sy - 1) > 1e-9;
        // Square pixels (what clients ask for) draw unscaled: sprites and
        // glyphs then copy pixel for pixel instead of being resampled.
        if (scaled) cairo_scale(cr.get(), sx, sy);
        bool const style_background = !request.transparent && !request.bgcolor_given;
        auto const renderer_for = [&](LayerStyle const& item) {
            return item.layer.is_data ? service->reduced_renderer(item.style, request.crs, item.layer.name, false)
                                      : service->reduced_renderer(item.style, request.crs, {}, style_background);
        };
        auto const draw = [&](cairo_t* target, render::Renderer const* renderer, render::LayerRange range) {
            if (!renderer) return;
            cairo_save(target);
            renderer->draw(target, view, range);
            cairo_restore(target);
        };

        // One layer (a whole map, the common request): the style's layers
        // cut in two parts that take about as long, drawn at once, the upper
        // part on a spare thread when one is free, then the upper part over
        // the lower (OVER is associative: the same picture).
        std::shared_ptr<render::Renderer const> renderer;
        std::optional<std::size_t> cut;
        if (request.two_threads && request.layers.size() == 1 && img.width * img.height >= kParallelPixels) {
            renderer = renderer_for(request.layers.front());
            if (renderer) cut = renderer->balanced_cut();
        }
        // The upper part's surface is made on the spare thread too; this
        // thread reads it only once the future says the part is drawn.
        Image top;
        render::SurfacePtr top_surface;
        std::optional<std::future<void>> upper;
        if (cut)
            upper = renderer->resources()->spare_threads().try_run([&] {
                top.width = img.width;
                top.height = img.height;
                top.stride = img.stride;
                top.pixels.assign(img.pixels.size(), 0);
                top_surface.reset(cairo_image_surface_create_for_data(top.pixels.data(), CAIRO_FORMAT_ARGB32, top.width,
                                                                      top.height, top.stride));
                render::CairoPtr top_cr(cairo_create(top_surface.get()));
                if (scaled) cairo_scale(top_cr.get(), sx, sy);
                draw(top_cr.get(), renderer.get(), {*cut});
                if (cairo_status(top_cr.get()) != CAIRO_STATUS_SUCCESS)
                    throw RenderError(std::string("drawing failed: ") +
                                      cairo_status_to_string(cairo_status(top_cr.get())));
            });
        if (upper) {
            std::exception_ptr lower_error;
            try {
                draw(cr.get(), renderer.get(), {0, *cut});
            } catch (...) {
                lower_error = std::current_exception();
            }
            upper->get(); // waits; rethrows the upper part's failure
            if (lower_error) std::rethrow_exception(lower_error);
            cairo_surface_mark_dirty(top_surface.get());
            cairo_identity_matrix(cr.get());
            cairo_set_source_surface(cr.get(), top_surface.get(), 0, 0);
            cairo_paint(cr.get());
        } else {
            // No spare thread free (a busy server): the whole map here.
            for (auto const& item : request.layers) draw(cr.get(), renderer_for(item).get(), {});
        }
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("drawing failed: ") + cairo_status_to_string(cairo_status(cr.get())));
    }
    cairo_surface_flush(surface.get());
    return std::move(canvas.image);
}

Image exception_image(MapRequest const& request, std::string const& message)
{
    auto canvas = map_canvas(request);
    auto const& img = canvas.image;
    render::CairoPtr cr(cairo_create(canvas.surface.get()));
    if (!message.empty()) {
        // Dark red on a pale band, wrapped to the width: legible on any map
        // background, and on a see-through image over any base layer.
        struct LayoutDeleter {
            void operator()(PangoLayout* l) const noexcept { g_object_unref(l); }
        };
        struct FontDeleter {
            void operator()(PangoFontDescription* f) const noexcept { pango_font_description_free(f); }
        };
        std::unique_ptr<PangoLayout, LayoutDeleter> layout(pango_cairo_create_layout(cr.get()));
        std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_from_string("Noto Sans 11px"));
        pango_layout_set_font_description(layout.get(), font.get());
        double const margin = 6;
        pango_layout_set_width(layout.get(), static_cast<int>(std::max(1.0, img.width - 2 * margin) * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(layout.get(), message.c_str(), -1);
        int text_w = 0, text_h = 0;
        pango_layout_get_pixel_size(layout.get(), &text_w, &text_h);
        cairo_set_source_rgba(cr.get(), 1, 1, 1, 0.85);
        cairo_rectangle(cr.get(), 0, 0, img.width, std::min<double>(img.height, text_h + 2 * margin));
        cairo_fill(cr.get());
        cairo_set_source_rgb(cr.get(), 0.55, 0.05, 0.05);
        cairo_move_to(cr.get(), margin, margin);
        pango_cairo_show_layout(cr.get(), layout.get());
    }
    cr.reset();
    cairo_surface_flush(canvas.surface.get());
    return std::move(canvas.image);
}

} // namespace sahelmap::ogc
