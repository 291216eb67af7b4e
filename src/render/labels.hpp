#pragma once
// Symbol placement (icons and labels) done once for a whole frame, then
// drawn piecewise by every view that shows part of it: a label crossing a
// tile edge is drawn half in each tile, never cut or doubled.
#include "canvas.hpp"
#include "sahelmap/core/spatial_index.hpp"
#include "sahelmap/render/map_data.hpp"
#include "sahelmap/style/style.hpp"
#include "text.hpp"

#include <cairo.h>

#include <memory>
#include <mutex>
#include <cstddef>
#include <optional>
#include <unordered_map>
#include <vector>

namespace sahelmap::render::detail {

struct PlacedSymbol {
    BBox box;            ///< frame pixels, icon and text together, for drawing
    double sort_key = 0; ///< its symbol-sort-key: lower was placed first
    // icon
    std::string icon;
    double icon_x = 0, icon_y = 0, icon_radius = 0;
    Color icon_color, icon_halo_color;
    double icon_halo_width = 0, icon_opacity = 1;
    // text
    std::shared_ptr<TextShape const> text;
    double text_x = 0, text_y = 0; ///< centre of the text box
    double angle = 0;              ///< radians, clockwise on screen
    BBox text_box;                 ///< frame pixels, text and halo
    Color text_color, halo_color;
    double halo_width = 0, text_opacity = 1;
};

/// A label (text and halo) rendered once into pixels at one scale, with its
/// top-left at integer device pixel (x, y) of the placement's frame.
struct Sprite {
    SurfacePtr surface;
    int x = 0;
    int y = 0;
};

class LabelRasters;

/// The pixel bytes of an image surface (a sprite's, a raster's), for the
/// caches' bounds.
inline std::size_t surface_bytes(cairo_surface_t* surface)
{
    return static_cast<std::size_t>(cairo_image_surface_get_stride(surface)) *
           static_cast<std::size_t>(cairo_image_surface_get_height(surface));
}

class Placement {
public:
    Frame frame;
    /// Views placed for themselves (WMS maps, any CRS) use a placement once:
    /// their sprites then come from their service's raster cache, keyed by
    /// text and paint, so a label rasterised for one map serves the next.
    /// Null: sprites are made for and kept by this placement (tiles).
    std::shared_ptr<LabelRasters> shared_rasters;
    /// Per style layer (same index as Style::layers()); empty for non-symbol layers.
    std::vector<std::vector<PlacedSymbol>> layers;
    std::vector<SpatialIndex> index;

    /// The label of symbol `symbol` of layer `layer` as pixels at `scale`,
    /// made on first use and shared by every tile that shows it: a tile then
    /// copies pixels instead of filling glyph outlines and halos again.
    std::shared_ptr<Sprite const> sprite(std::size_t layer, std::size_t symbol, int scale) const;

    /// Memory it holds: its symbols, their text shapes (counted here even
    /// when shared with another placement) and the sprites made so far.
    std::size_t bytes() const;

private:
    mutable std::mutex m_sprite_mutex;
    mutable std::unordered_map<std::uint64_t, std::shared_ptr<Sprite const>> m_sprites;
};

/// Places the symbols of every symbol layer over `area` (map units) in
/// `frame`, highest layer first, with collision detection, shaping text with
/// `text_shaper`. With `inside` (frame pixels), labels that would cross its
/// edge are left out (print maps: no label is cut by the map frame); icons
/// are kept. `shared_rasters`: see Placement::shared_rasters.
std::shared_ptr<Placement const> place_symbols(MapData const& data, style::Style const& style, Frame const& frame,
                                               BBox const& area, double zoom, Date time, TextShaper& text_shaper,
                                               std::optional<BBox> const& inside = std::nullopt,
                                               std::shared_ptr<LabelRasters> shared_rasters = nullptr);

/// Text and halo of one label, drawn with the current point at the text's
/// centre (rotation already applied by the caller for outlines).
void draw_label(cairo_t* cr, PlacedSymbol const& s, bool as_glyphs);

/// Draws the placed symbols of style layer `layer_index` that meet the view
/// `view_frame` × `view_px` (logical size).
void draw_symbols(cairo_t* cr, Placement const& placement, std::size_t layer_index, Frame const& view_frame,
                  double view_width, double view_height, double view_scale, bool text_as_glyphs);

} // namespace sahelmap::render::detail
