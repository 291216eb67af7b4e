#pragma once
/// Legends built from a style: every visible layer with its symbol and
/// label, and the influence colour ramp with its classes. The print layout
/// draws them in its margin; WMS GetLegendGraphic answers them as PNG.
#include "sahelmap/core/image.hpp"
#include "sahelmap/style/style.hpp"

#include <optional>
#include <string>

namespace sahelmap::print {

/// A legend as an image: for one data layer of the style (`layer` names a
/// data layer such as "sites" or "influence", as WMS LAYERS does), or for
/// the whole style when nullopt. `scale` is device pixels per logical pixel.
/// Throws NotFound for a layer the style does not draw.
Image legend_image(style::Style const& style, std::optional<std::string> const& layer, double scale = 1);

} // namespace sahelmap::print
