#pragma once
/// Our style documents made drawable by MapLibre GL JS over our vector
/// tiles. Our styles are MapLibre v8 documents with extensions MapLibre
/// would refuse or draw wrongly, so the served copy differs:
///  - every vector source points at our vector TileJSON (an absolute URL);
///  - `heatmap` layers (a continuous influence field named by
///    `sahelmap:field`, not point density) become `fill` layers over the
///    `influence_field` cells that `fields=1` tiles carry, with the same
///    colour ramp over the cell's value and the same opacity;
///  - layers with `"sahelmap:time": "ended"` (withdrawn-base ghosts) stay:
///    the TileJSON URL asks for `ended=1` tiles, which also carry what
///    ended before their date marked `sahelmap_ended`; ghost layers draw
///    those, every other layer the rest (a filter is added to each);
///  - point-placed symbol layers over a polygon layer (country and region
///    names) read its label points instead (`<layer>_label`, asked with
///    `labels=1`), so each area is named once, where our renderer names it;
///  - a point label the style requires at a fixed anchor (capitals, towns)
///    gets text-variable-anchor, its own anchor first: our renderer moves
///    such a name around its point when its spot is taken;
///  - every zoom the style names (layer ranges, ["zoom"] stops, the
///    initial view) is one lower: MapLibre counts zoom in 512 px tiles, we
///    in 256 px tiles, so that is the same scale;
///  - `glyphs` points at our glyph ranges (/fonts/...) and `sprite` at
///    our icon sprite (/sprites/{style}), so text and icons stay.
#include <string>
#include <vector>

namespace sahelmap::vector {

/// The MapLibre copy of a style document; `tilejson_url` is the absolute
/// URL of the vector TileJSON, `resources_url` the base of /fonts and
/// /sprites, `style_id` the sprite's name, `polygon_layers` the data's
/// polygon layers (whose labels move to their label points). Throws StyleError for a document that is not
/// a JSON object (styles are validated at load, so never in practice).
std::string maplibre_style(std::string const& style_json, std::string const& tilejson_url,
                           std::string const& resources_url, std::string const& style_id,
                           std::vector<std::string> const& polygon_layers = {});

} // namespace sahelmap::vector
