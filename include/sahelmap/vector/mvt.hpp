#pragma once
/// Mapbox Vector Tiles (spec 2.1) from the projected data: one layer per
/// data layer, geometry clipped to the tile plus a buffer and reduced for
/// the zoom, attributes kept. Shared by the server, `sahelmap seed --format
/// mvt` and the tests.
#include "sahelmap/core/date.hpp"
#include "sahelmap/core/tile.hpp"
#include "sahelmap/render/map_data.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sahelmap::vector {

struct MvtOptions {
    unsigned extent = 4096; ///< tile coordinate units per side
    unsigned buffer = 64;   ///< units kept beyond each edge
    /// Also write the features that ended before the date, each with
    /// `sahelmap_ended: true`, so a client style can draw withdrawn-base
    /// ghosts as our renderer does (the MapLibre copy of our styles asks for them).
    bool ended = false;
    /// Influence fields (bloc names) to add as a polygon layer `influence_field`
    /// of 32 × 32 square cells, each with the field's value at its centre per
    /// bloc (cells where every value is under 0.005 left out): what a client
    /// draws in place of our heatmap layers.
    std::vector<std::string> fields;
    /// For each polygon layer, also a point layer `<layer>_label` with the
    /// point our renderer labels each polygon at (the interior point farthest
    /// from its outline), in the one tile that holds it, with the polygon's
    /// attributes and id: a client that labels polygons per tile piece would
    /// repeat a country's name in every tile it crosses.
    bool label_points = false;
};

/// The suffix of the point layers MvtOptions::label_points adds.
inline constexpr char kLabelLayerSuffix[] = "_label";

/// The layer MvtOptions::fields adds.
inline constexpr char kFieldLayer[] = "influence_field";

/// The attribute MvtOptions::ended puts on a feature that ended before the tile's date.
inline constexpr char kEndedAttribute[] = "sahelmap_ended";

/// The uncompressed protobuf bytes of a tile of `data` (which must be in
/// EPSG:3857) as of `time`: only features valid at that date (the test the
/// renderer makes, Validity::contains). Layers without a feature in the
/// tile are left out; feature ids are the data's fids.
std::string encode_tile(render::MapData const& data, TileId const& tile, Date time, MvtOptions const& options = {});

/// What a tile's layer holds, for TileJSON `vector_layers`.
struct LayerInfo {
    std::string id;
    std::string geometry; ///< "point", "line" or "polygon"
    /// Attribute names with their TileJSON type: "String", "Number" or "Boolean".
    std::vector<std::pair<std::string, std::string>> fields;
};

/// The layers vector tiles carry, in tile order: every layer of the
/// store, then the computed ones (influence).
std::vector<LayerInfo> describe_layers(render::MapData const& data);
/// The polygon layers among them, without describing their fields (the
/// MapLibre style's label points; asked on every style request).
std::vector<std::string> polygon_layers(render::MapData const& data);

} // namespace sahelmap::vector
