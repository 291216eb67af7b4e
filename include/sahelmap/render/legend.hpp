#pragma once
/// Drawing legends: rows of swatches and words, each swatch drawn by
/// evaluating the style's own properties on a sample feature, so the legend
/// cannot disagree with the map. What the rows say is decided above, from
/// the style (service/legend.hpp); the print layout places rows in its
/// margin, and WMS GetLegendGraphic answers them as an image.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/core/image.hpp"
#include "sahelmap/style/style.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

typedef struct _cairo cairo_t;

namespace sahelmap::render {

/// A sample feature for evaluating a style layer's properties.
struct LegendSample {
    std::size_t layer = 0; ///< index into Style::layers()
    std::vector<std::pair<std::string, Value>> attributes;
};

/// `variants`: one attribute of a feature shown at a few values side by side
/// (a site's confidence: high, medium, low), each swatch captioned.
enum class LegendRowKind { heading, subheading, entry, classes_header, classes, ramp, variants };

struct LegendRow {
    LegendRowKind kind = LegendRowKind::entry;
    std::string label;
    std::string section;                            ///< the data layer it belongs to
    std::vector<LegendSample> swatch;               ///< entry: drawn bottom to top
    std::vector<std::vector<LegendSample>> classes; ///< classes, variants: one swatch per class or value
    std::vector<std::string> class_labels;          ///< classes_header; variants: each swatch's caption
    std::size_t ramp_layer = 0;                     ///< ramp: a heatmap layer
};

/// The height a row takes, in points.
double legend_row_height(LegendRow const& row);
/// The width a row needs, in points (for legend images sized to their content).
double legend_row_width(cairo_t* cr, LegendRow const& row);
/// Draws a row with its top-left at (x, y), `width` wide, in points, as the
/// style draws at `zoom`.
void draw_legend_row(cairo_t* cr, style::Style const& style, LegendRow const& row, double x, double y, double width,
                     double zoom);

/// The rows as an image sized to them, white, drawn as at zoom 6. `scale`
/// is device pixels per logical pixel (a logical pixel is 0.75 pt). Throws
/// BadRequest for a scale outside (0, 8].
Image legend_image(style::Style const& style, std::vector<LegendRow> const& rows, double scale = 1);

} // namespace sahelmap::render
