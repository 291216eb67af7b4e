#pragma once
/// OGC API - Tiles Part 1 (core, tileset, tilesets-list, dataset and geodata
/// tilesets, PNG, MVT) with the WebMercatorQuad tile matrix set of OGC
/// 17-083r4 (TMS 2.0): the documents the server sends, independent of HTTP.
/// The tiles are our own XYZ tiles: the map tilesets are the styles' PNG
/// tiles, the vector tileset the MVT tiles with every layer, and each
/// collection's vector tileset MVT tiles holding that layer only.
#include "sahelmap/core/geometry.hpp"
#include "sahelmap/features/api.hpp"
#include "sahelmap/features/query.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::features {

/// The one tile matrix set served.
inline constexpr char const* kWebMercatorQuad = "WebMercatorQuad";

/// What the tiles documents describe; `base` as for FeatureApi (…/ogc).
struct TilesSettings {
    std::string base;
    BBox bounds;              ///< the data's extent, lon/lat
    int map_max_zoom = 20;    ///< raster tiles
    int vector_max_zoom = 14; ///< vector tiles
    std::string attribution;
};

class TilesApi {
public:
    TilesApi(service::MapService const& service, TilesSettings settings)
        : m_service(service), m_settings(std::move(settings))
    {
    }

    Document tile_matrix_sets(Format f) const;
    /// Throws NotFound for any id but WebMercatorQuad.
    Document tile_matrix_set(std::string_view id, Format f) const;

    /// GET /ogc/tiles: every tileset (the vector one, then a map one per style).
    Document dataset_tilesets(Format f) const;
    /// GET /ogc/tiles/WebMercatorQuad: the vector tiles, every layer.
    Document dataset_vector_tileset(Format f) const;
    /// GET /ogc/map: the dataset's map (extent, links to its tilesets).
    Document map(Format f) const;
    /// GET /ogc/map/tiles: a map tileset per style.
    Document map_tilesets(Format f) const;
    /// GET /ogc/map/tiles/WebMercatorQuad (the first style) and
    /// /ogc/styles/{style}/map/tiles/WebMercatorQuad; NotFound for an unknown style.
    Document map_tileset(std::string const& style, Format f) const;
    /// GET /ogc/collections/{id}/tiles and …/tiles/WebMercatorQuad.
    Document collection_tilesets(std::string const& id, Format f) const;
    Document collection_tileset(std::string const& id, Format f) const;

    /// Whether a collection is in the vector tiles (has geometry).
    bool has_vector_tiles(std::string const& id) const;
    std::vector<std::string> style_ids() const;

private:
    service::MapService const& m_service;
    TilesSettings m_settings;
};

/// The conformance classes of OGC API - Tiles and TMS 2.0 served.
std::vector<std::string> tiles_conformance();

/// The tile's layer named `name` alone (MVT bytes), or empty bytes (an
/// empty tile) when the tile does not have it.
std::string mvt_layer(std::string_view tile, std::string_view name);

} // namespace sahelmap::features
