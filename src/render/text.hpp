#pragma once
// Text shaped by Pango into glyph outlines, cached and shared read-only
// between threads (a cairo_path_t is plain data once copied).
#include <cairo.h>

#include <memory>
#include <string>
#include <vector>

namespace sahelmap::render::detail {

struct TextShape {
    cairo_path_t* path = nullptr; ///< outlines with the layout's top-left at (0, 0)
    double width = 0;             ///< logical extents in px
    double height = 0;
    double baseline = 0;
    std::string text;
    std::string font; ///< Pango font description used
    double size = 0;
    double max_width = 0;
    double letter_spacing = 0;
    ~TextShape();
};

/// Shapes `text` with the first installed font of `font_stack` at `size_px`,
/// wrapping at `max_width_px` (0 = no wrap), centred lines.
std::shared_ptr<TextShape const> shape_text(std::string const& text, std::vector<std::string> const& font_stack,
                                            double size_px, double max_width_px, double letter_spacing_px);

/// Draws the shape as real text (not outlines) so PDF and SVG keep it
/// searchable; the current point is the layout's top-left.
void show_text_as_glyphs(cairo_t* cr, TextShape const& shape);

} // namespace sahelmap::render::detail
