#include "sahelmap/render/image_canvas.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/render/page_text.hpp"

#include <cairo.h>

#include <algorithm>

namespace sahelmap::render {

ImageCanvas image_canvas(int width, int height)
{
    ImageCanvas c;
    auto& img = c.image;
    img.width = width;
    img.height = height;
    img.stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, std::max(width, 0));
    if (width <= 0 || height <= 0 || img.stride <= 0)
        throw RenderError("cannot create an image of " + std::to_string(width) + "x" + std::to_string(height));
    img.pixels.assign(static_cast<std::size_t>(img.stride) * static_cast<std::size_t>(img.height), 0);
    c.surface.reset(
        cairo_image_surface_create_for_data(img.pixels.data(), CAIRO_FORMAT_ARGB32, img.width, img.height, img.stride));
    if (cairo_surface_status(c.surface.get()) != CAIRO_STATUS_SUCCESS)
        throw RenderError("cannot create an image of " + std::to_string(width) + "x" + std::to_string(height) + ": " +
                          cairo_status_to_string(cairo_surface_status(c.surface.get())));
    return c;
}

Image message_image(int width, int height, std::optional<Color> const& background, std::string const& message)
{
    auto canvas = image_canvas(width, height);
    {
        CairoPtr cr(cairo_create(canvas.surface.get()));
        if (background) {
            cairo_set_source_rgba(cr.get(), background->r, background->g, background->b, background->a);
            cairo_paint(cr.get());
        }
        if (!message.empty()) {
            // Dark red on a pale band, wrapped to the width: legible on any
            // map background, and on a see-through image over any base layer.
            double const margin = 6;
            TextStyle words{11, false, false, 0.55, 0.05, 0.05, Align::left, std::max(1.0, width - 2 * margin)};
            auto const size = measure_text(cr.get(), message, words);
            cairo_set_source_rgba(cr.get(), 1, 1, 1, 0.85);
            cairo_rectangle(cr.get(), 0, 0, width, std::min<double>(height, size.height + 2 * margin));
            cairo_fill(cr.get());
            draw_text(cr.get(), message, margin, margin, words);
        }
    }
    cairo_surface_flush(canvas.surface.get());
    return std::move(canvas.image);
}

} // namespace sahelmap::render
