#pragma once
// Text shaped by Pango into glyph outlines, cached by a TextShaper and shared
// read-only between threads (a cairo_path_t is plain data once copied).
#include "sahelmap/render/cairo_ptr.hpp"

#include <cairo.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sahelmap::render::detail {

struct TextShape {
    PathPtr path;     ///< outlines with the layout's top-left at (0, 0)
    double width = 0; ///< logical extents in px
    double height = 0;
    double baseline = 0;
    std::string text;
    std::string font; ///< Pango font description used
    double size = 0;
    double max_width = 0;
    double letter_spacing = 0;
    /// Memory it holds (outlines, strings, itself), for the caches' bounds.
    std::size_t bytes = 0;
};

/// Shapes text and remembers the result, so a label met by many tiles and
/// maps is laid out once. Owned by RenderResources: each map service has
/// its own, and a reload starts empty.
class TextShaper {
public:
    /// Shapes `text` with the first installed font of `font_stack` at `size_px`,
    /// wrapping at `max_width_px` (0 = no wrap), centred lines. Thread-safe;
    /// the lock covers the index only, never the shaping (each thread shapes
    /// with its own Pango font map).
    std::shared_ptr<TextShape const> shape(std::string const& text, std::vector<std::string> const& font_stack,
                                           double size_px, double max_width_px, double letter_spacing_px);

private:
    /// Bounded in bytes: WMS maps and prints at arbitrary scales make ever
    /// new sizes. Shapes in use stay alive through their shared_ptr; only
    /// the index is reset.
    static constexpr std::size_t kMaxBytes = std::size_t{16} << 20;
    std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<TextShape const>> m_shapes;
    std::size_t m_bytes = 0;
};

/// Draws the shape as real text (not outlines) so PDF and SVG keep it
/// searchable; the current point is the layout's top-left.
void show_text_as_glyphs(cairo_t* cr, TextShape const& shape);

} // namespace sahelmap::render::detail
