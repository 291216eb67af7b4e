#pragma once
/// What a legend says, read from a style: a section per data layer, a row
/// per symbol the style can draw (from its `match` branches and filters),
/// the influence classes as a grid of swatches, heatmap fields as colour
/// ramps, and the change and evidence layers in words. render/legend.hpp
/// draws the rows.
#include "sahelmap/core/image.hpp"
#include "sahelmap/render/legend.hpp"
#include "sahelmap/style/style.hpp"

#include <optional>
#include <string>
#include <vector>

namespace sahelmap::service {

/// The rows for the whole style or for one data layer (`layer` names a data
/// layer such as "sites", or a style layer id). With a zoom, only the layers
/// visible at that zoom. Empty when nothing matches.
std::vector<render::LegendRow> legend_rows(style::Style const& style, std::optional<std::string> const& layer,
                                           std::optional<double> zoom);

/// A legend as an image: for one data layer of the style (`layer` as WMS
/// LAYERS names it, e.g. "sites" or "influence"), or for the whole style
/// when nullopt. `scale` is device pixels per logical pixel. Throws
/// NotFound for a layer the style does not draw, BadRequest for a scale
/// outside (0, 8].
Image legend_image(style::Style const& style, std::optional<std::string> const& layer, double scale = 1);

} // namespace sahelmap::service
