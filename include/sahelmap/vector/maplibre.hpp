#pragma once
/// Our style documents made drawable by MapLibre GL JS over our vector
/// tiles. Our styles are MapLibre v8 documents with extensions MapLibre
/// would refuse or draw wrongly, so the served copy differs:
///  - every vector source points at our vector TileJSON (an absolute URL);
///  - `heatmap` layers (a continuous influence field named by
///    `sahelmap:field`, not point density) are left out;
///  - layers with `"sahelmap:time": "ended"` are left out: vector tiles
///    hold only the features present at their date;
///  - text is dropped (`text-*` properties; symbol layers with only text
///    go): we serve no glyphs, and MapLibre refuses `text-field` without
///    a `glyphs` URL;
///  - symbol layers with an `icon-image` (our built-in shapes; there is no
///    sprite) become `circle` layers: icon-color → circle-color,
///    8 × icon-size → circle-radius, icon-halo-* → circle-stroke-*,
///    icon-opacity → circle-opacity, symbol-sort-key → circle-sort-key.
#include <string>

namespace sahelmap::vector {

/// The MapLibre copy of a style document; `tilejson_url` is the absolute
/// URL of the vector TileJSON. Throws StyleError for a document that is not
/// a JSON object (styles are validated at load, so never in practice).
std::string maplibre_style(std::string const& style_json, std::string const& tilejson_url);

} // namespace sahelmap::vector
