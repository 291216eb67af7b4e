#pragma once
// Turning projected geometry into Cairo paths for one view: map units →
// logical pixels, with clipping so far-away vertices never overflow Cairo's
// fixed-point coordinates at high zoom.
#include "sahelmap/core/color.hpp"
#include "sahelmap/core/geometry.hpp"

#include <cairo.h>

#include <vector>

namespace sahelmap::render::detail {

/// Maps projected units to logical pixels: x right, y down from (ox, oy).
struct Frame {
    double ox = 0;
    double oy = 0;
    double res = 1; ///< map units per logical pixel

    double px(double x) const noexcept { return (x - ox) / res; }
    double py(double y) const noexcept { return (oy - y) / res; }
    Projected to_px(Projected p) const noexcept { return {px(p.x), py(p.y)}; }
};

/// Adds every ring of the polygons, clipped to `clip` (map units), as closed sub-paths.
void add_polygons(cairo_t* cr, MultiPolygon<Projected> const& g, Frame const& f, BBox const& clip);

/// A piece of a line inside the clip box, in pixels, with the distance in
/// pixels from the line's start to its first point (keeps dashes continuous
/// across tile edges).
struct LinePart {
    std::vector<Projected> points;
    double start_px = 0;
};
void clip_lines(MultiLineString<Projected> const& g, Frame const& f, BBox const& clip, std::vector<LinePart>& out);

/// Offsets a pixel polyline sideways by `d` px (positive = right of travel).
std::vector<Projected> offset_polyline(std::vector<Projected> const& pts, double d);

void set_source(cairo_t* cr, Color const& c, double opacity);

} // namespace sahelmap::render::detail
