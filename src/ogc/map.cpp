#include "sahelmap/ogc/map.hpp"
#include "sahelmap/render/cairo_ptr.hpp"
#include "sahelmap/render/image_canvas.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/influence/layer.hpp"
#include "sahelmap/ogc/crs.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

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

/// BGCOLOR, or nothing for a transparent map.
std::optional<Color> background_of(MapRequest const& request)
{
    if (request.transparent) return std::nullopt;
    return Color{((request.bgcolor >> 16) & 0xFF) / 255.0f, ((request.bgcolor >> 8) & 0xFF) / 255.0f,
                 (request.bgcolor & 0xFF) / 255.0f, 1};
}

/// An image of a request's size and the Cairo surface over it, painted with
/// its background.
render::ImageCanvas map_canvas(MapRequest const& request)
{
    auto c = render::image_canvas(request.width, request.height);
    if (auto const background = background_of(request)) {
        render::CairoPtr cr(cairo_create(c.surface.get()));
        cairo_set_source_rgb(cr.get(), background->r, background->g, background->b);
        cairo_paint(cr.get());
    }
    return c;
}

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
        // One layer (a whole map, the common request) may draw in two parts
        // at once; several are drawn one over the other.
        for (auto const& item : request.layers) {
            auto const renderer = renderer_for(item);
            if (!renderer) continue;
            cairo_save(cr.get());
            if (request.two_threads && request.layers.size() == 1)
                renderer->draw_in_parts(cr.get(), view);
            else
                renderer->draw(cr.get(), view);
            cairo_restore(cr.get());
        }
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw RenderError(std::string("drawing failed: ") + cairo_status_to_string(cairo_status(cr.get())));
    }
    cairo_surface_flush(surface.get());
    return std::move(canvas.image);
}

Image exception_image(MapRequest const& request, std::string const& message)
{
    return render::message_image(request.width, request.height, background_of(request), message);
}

} // namespace sahelmap::ogc
