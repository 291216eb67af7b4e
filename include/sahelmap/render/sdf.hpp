#pragma once
/// Text and icons for MapLibre GL as it expects them from a tile server:
/// glyph ranges (SDF protocol buffers, as node-fontnik makes them and
/// TileServer GL or Martin serve them) from the installed fonts, and a
/// sprite of our built-in icon shapes as signed distance fields, so the
/// styles' icon-color and icon-halo-* apply as they do in our raster tiles.
#include "sahelmap/core/image.hpp"

#include <string>
#include <string_view>

namespace sahelmap::render {

/// The glyphs of code points [start, end] of a font stack ("Noto Sans
/// Bold,Noto Sans Regular": each code point from the first font of the list
/// that has it, then from Noto Sans Arabic and DejaVu Sans, as Pango falls
/// back for the raster tiles) as a `glyphs.proto` message: 24 px SDF bitmaps with a
/// 3 px border, radius 8, cutoff 0.25. Throws BadRequest unless start is a
/// multiple of 256 and end = start + 255 (at most 65535), NotFound naming
/// the stack when none of its fonts is installed.
std::string glyph_range_pbf(std::string_view fontstack, unsigned start, unsigned end);

/// A MapLibre sprite: every built-in icon shape at `pixel_ratio` (1 or 2),
/// each drawn as our renderer draws it at icon-size 1, as an SDF in the
/// alpha channel; `index` is the sprite JSON (x, y, width, height,
/// pixelRatio, sdf: true per icon).
struct SpriteSheet {
    Image image;
    std::string index;
};
SpriteSheet icon_sprite(int pixel_ratio);

} // namespace sahelmap::render
