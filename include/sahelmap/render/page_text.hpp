#pragma once
/// Page text (print layouts, legends): Pango layouts in points (1 user unit
/// = 1 pt), unhinted so a page measures the same at every dpi; drawn with
/// pango_cairo_show_layout so PDF and SVG keep real, searchable text.
#include <cairo.h>

#include <string>

namespace sahelmap::render {

enum class Align { left, centre, right };

struct TextStyle {
    double size = 8; ///< points
    bool bold = false;
    bool italic = false;
    double r = 0.1, g = 0.1, b = 0.1;
    Align align = Align::left;
    double max_width = 0;   ///< wrap at this width (0 = one line)
    bool ellipsize = false; ///< with max_width: one line, cut with "…" instead of wrapping
};

struct TextSize {
    double width = 0;
    double height = 0;
};

/// The size `text` takes in `style`.
TextSize measure_text(cairo_t* cr, std::string const& text, TextStyle const& style);
/// Draws `text` with its box's top at y; x is the left edge, centre or right
/// edge by `style.align`. Returns the size drawn.
TextSize draw_text(cairo_t* cr, std::string const& text, double x, double y, TextStyle const& style);

} // namespace sahelmap::render
