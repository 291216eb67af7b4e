#pragma once
/// An image in memory with the Cairo surface that draws into it: what every
/// raster output (tiles, WMS maps, legends, PNG prints) starts from.
#include "sahelmap/core/color.hpp"
#include "sahelmap/core/image.hpp"
#include "sahelmap/render/cairo_ptr.hpp"

#include <optional>
#include <string>

namespace sahelmap::render {

/// ARGB32 pixels, premultiplied, cleared to transparent; the surface draws
/// into `image.pixels` (keep them in place while it lives).
struct ImageCanvas {
    Image image;
    SurfacePtr surface;
};

/// Throws RenderError when Cairo cannot make the surface (a size it refuses).
ImageCanvas image_canvas(int width, int height);

/// A width × height image saying `message` (an OGC exception drawn as the
/// map a client asked for): dark red words on a pale band at the top,
/// wrapped to the width, over `background` or transparent.
Image message_image(int width, int height, std::optional<Color> const& background, std::string const& message);

} // namespace sahelmap::render
