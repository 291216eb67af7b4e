#pragma once
// The legend as rows, built from a style document: a section per data
// layer, a row per symbol the style can draw (from its `match` branches and
// filters), the influence classes as a grid of swatches and heatmap fields
// as colour ramps. Each swatch is drawn by evaluating the style's own
// properties on a sample feature, so the legend cannot disagree with the map.
#include "sahelmap/core/feature.hpp"
#include "sahelmap/style/style.hpp"

#include <cairo.h>

#include <optional>
#include <string>
#include <vector>

namespace sahelmap::print::detail {

/// A sample feature for evaluating a style layer's properties.
struct Sample {
    std::size_t layer = 0; ///< index into Style::layers()
    std::vector<std::pair<std::string, Value>> attributes;
};

/// `variants`: one attribute of a feature shown at a few values side by side
/// (a site's confidence: high, medium, low), each swatch captioned.
enum class RowKind { heading, subheading, entry, classes_header, classes, ramp, variants };

struct LegendRow {
    RowKind kind = RowKind::entry;
    std::string label;
    std::string section;                      ///< the data layer it belongs to
    std::vector<Sample> swatch;               ///< entry: drawn bottom to top
    std::vector<std::vector<Sample>> classes; ///< classes, variants: one swatch per class or value
    std::vector<std::string> class_labels;    ///< classes_header; variants: each swatch's caption
    std::size_t ramp_layer = 0;               ///< ramp: a heatmap layer
};

/// The rows for the whole style or for one data layer (`layer` names a data
/// layer such as "sites", or a style layer id). With a zoom, only the layers
/// visible at that zoom. Empty when nothing matches.
std::vector<LegendRow> legend_rows(style::Style const& style, std::optional<std::string> const& layer,
                                   std::optional<double> zoom);

/// Layout constants in points.
double row_height(LegendRow const& row);
/// Draws a row with its top-left at (x, y), `width` wide, at `zoom`.
void draw_row(cairo_t* cr, style::Style const& style, LegendRow const& row, double x, double y, double width,
              double zoom);
/// The width a row needs (for legend images sized to their content).
double row_width(cairo_t* cr, LegendRow const& row);

} // namespace sahelmap::print::detail
