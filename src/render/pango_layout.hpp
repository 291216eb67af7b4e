#pragma once
// The one way render makes a Pango layout: absolute sizes in user units,
// unhinted (outlines and metrics scale exactly, so a text measures the same
// at every size and dpi). Map labels and page text set their fonts on it.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

namespace sahelmap::render::detail {

struct LayoutDeleter {
    void operator()(PangoLayout* layout) const noexcept { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

/// `exact_positions`: glyph positions not rounded to whole units and grey
/// antialiasing, for map labels, whose outlines are shaped at one size and
/// drawn scaled (see TextShaper).
LayoutPtr unhinted_layout(cairo_t* cr, bool exact_positions);

} // namespace sahelmap::render::detail
