#pragma once
// One drawing pass of a style layer over a view. One file per layer type.
#include "canvas.hpp"
#include "sahelmap/render/map_data.hpp"
#include "sahelmap/style/style.hpp"

#include <cairo.h>

namespace sahelmap::render::detail {

struct LayerPass {
    cairo_t* cr = nullptr;
    Frame frame;
    BBox view; ///< the view in map units
    BBox clip; ///< view plus a margin, for clipping geometry
    double zoom = 0;
    Date time;
    int level = 0;
    MapData const* data = nullptr;
};

/// Features of `layer` to draw in this pass: in the view (plus `margin_px`),
/// present at the pass's date, and accepted by the style layer's filter.
std::vector<std::uint32_t> visible_features(LayerPass const& pass, style::StyleLayer const& sl,
                                            ProjectedLayer const& layer, FeatureLayer const& attrs, double margin_px);
/// True when feature i of `attrs` is present at `time` (or, for a layer
/// showing ended features, gone by then) and passes the filter at `zoom`.
bool feature_passes(style::StyleLayer const& sl, FeatureLayer const& attrs, std::size_t i, double zoom, Date time);

void draw_background(LayerPass const& pass, style::BackgroundLayer const& bg);
void draw_fill(LayerPass const& pass, style::StyleLayer const& sl, style::FillLayer const& fill,
               ProjectedLayer const& layer);
void draw_line(LayerPass const& pass, style::StyleLayer const& sl, style::LineLayer const& line,
               ProjectedLayer const& layer);
void draw_circle(LayerPass const& pass, style::StyleLayer const& sl, style::CircleLayer const& circle,
                 ProjectedLayer const& layer);

/// Samples the layer's field every few pixels over the view, colours the
/// samples with heatmap-color and paints them smoothly interpolated.
void draw_heatmap(LayerPass const& pass, style::HeatmapLayer const& heatmap, int width, int height);

/// Where the k-th of n symbols sharing one spot goes: fanned around it at
/// `radius_px` so none hides another; (0, 0) when alone.
Projected fan_offset(std::size_t k, std::size_t n, double radius_px);

/// Built-in icon shapes for `icon-image` (circle, square, triangle,
/// triangle-down, diamond, star, pentagon, hexagon, cross, plane).
bool icon_known(std::string const& name);
std::vector<std::string> icon_names();
/// Adds the shape's outline, centred on (cx, cy), `radius` px from centre to tip.
void icon_path(cairo_t* cr, std::string const& name, double cx, double cy, double radius);

} // namespace sahelmap::render::detail
