// OGC API - Tiles under /ogc (see sahelmap/features/tiles.hpp): the
// documents inline, the tiles through the same handlers as /tiles/...
// (a render-queue job for PNG, a pool job for MVT), so an OGC tile and its
// XYZ twin are the same bytes, cache entry and ETag. Tile addresses come
// as {tileMatrix}/{tileRow}/{tileCol}: row (y) before column (x).
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/features/tiles.hpp"
#include "sahelmap/vector/mvt.hpp"

namespace sahelmap::server::detail {

namespace {

constexpr int kVectorMaxZoom = 14; // as /tiles/vector.json

bool starts_with(std::string_view s, std::string_view prefix) noexcept
{
    return s.substr(0, prefix.size()) == prefix;
}

/// "z/row/col" into "z/col/row" (XYZ order) with `extension`; NotFound otherwise.
std::string xyz_path(std::string_view tile, std::string_view extension)
{
    auto const parts = path_segments(tile, 3, "");
    if (!parts) throw NotFound("tiles are at .../WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}");
    return std::string((*parts)[0]) + "/" + std::string((*parts)[2]) + "/" + std::string((*parts)[1]) +
           std::string(extension);
}

Response document(Request const& request, RouteContext const& context, features::Document doc)
{
    std::string type = doc.content_type == "text/html" ? "text/html; charset=utf-8" : doc.content_type;
    auto res = cacheable(request, type, std::move(doc.body), context.options->max_age, true);
    if (res.find(http::field::vary) != res.end()) res.set(http::field::vary, "Accept-Encoding, Accept");
    return res;
}

/// A collection's MVT tile: the vector tile cut down to that layer, so a
/// client reading the tile's first layer (GDAL) reads the collection.
Handled collection_tile(Request const& request, RouteContext const& context, std::string const& id,
                        std::string_view tile_path, std::string_view query)
{
    auto const parts = path_segments(tile_path, 3, "");
    if (!parts) throw NotFound("tiles are at .../WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}");
    TileId const tile = TileId::parse((*parts)[0], (*parts)[2], (*parts)[1]);
    if (tile.z() > kVectorMaxZoom)
        throw NotFound("vector tiles go up to tile matrix " + std::to_string(kVectorMaxZoom));
    auto const time_text = query_param(query, "time");
    auto snapshot = context.snapshot;
    Date const time = time_text ? parse_date_parameter(*time_text) : snapshot->service->evidence_until();
    return WorkJob(JobKind::cheap, [request, context, snapshot = std::move(snapshot), id, tile, time] {
        auto const bytes = vector::encode_tile(snapshot->service->data(), tile, time);
        return cacheable(request, "application/vnd.mapbox-vector-tile", features::mvt_layer(bytes, id),
                         context.options->max_age, true);
    });
}

} // namespace

std::optional<Handled> handle_ogc_tiles(Request const& request, RouteContext const& context, std::string_view rest,
                                        std::string_view query, features::Format format)
{
    auto const& service = *context.snapshot->service;
    features::TilesSettings settings;
    settings.base = base_url(request, context) + "/ogc";
    settings.bounds = data_bounds(service);
    settings.map_max_zoom = kMaxZoom;
    settings.vector_max_zoom = kVectorMaxZoom;
    auto const styles = service.style_ids();
    if (!styles.empty()) settings.attribution = service.renderer(styles.front()).style().attribution();
    features::TilesApi const api(service, std::move(settings));
    auto const params = features::parse_query(query);
    auto doc = [&](features::Document d) -> Handled {
        features::check_no_other_params(params);
        return document(request, context, std::move(d));
    };

    if (rest == "/tileMatrixSets") return doc(api.tile_matrix_sets(format));
    if (starts_with(rest, "/tileMatrixSets/")) return doc(api.tile_matrix_set(rest.substr(16), format));

    // Dataset vector tiles: /tiles, /tiles/WebMercatorQuad[/{z}/{row}/{col}]
    if (rest == "/tiles") return doc(api.dataset_tilesets(format));
    if (rest == "/tiles/WebMercatorQuad") return doc(api.dataset_vector_tileset(format));
    if (starts_with(rest, "/tiles/WebMercatorQuad/"))
        return handle_vector_tile(request, context, xyz_path(rest.substr(23), ".mvt"), query);

    // Dataset map tiles: /map, /map/tiles, /map/tiles/WebMercatorQuad[/...] (the first style)
    if (rest == "/map") return doc(api.map(format));
    if (rest == "/map/tiles") return doc(api.map_tilesets(format));
    if (starts_with(rest, "/map/tiles/WebMercatorQuad")) {
        if (styles.empty()) throw NotFound("no style is loaded");
        auto const tail = rest.substr(26);
        if (tail.empty()) return doc(api.map_tileset(styles.front(), format));
        if (tail.front() == '/')
            return handle_tile(request, context, styles.front() + "/" + xyz_path(tail.substr(1), ".png"), query);
    }

    // Styled map tiles: /styles/{style}/map/tiles[/WebMercatorQuad[/...]]
    if (starts_with(rest, "/styles/")) {
        auto const after = rest.substr(8);
        auto const slash = after.find('/');
        std::string const style(after.substr(0, slash));
        auto const tail = slash == std::string_view::npos ? std::string_view() : after.substr(slash);
        if (tail == "/map/tiles") {
            service.renderer(style); // NotFound for an unknown style
            return doc(api.map_tilesets(format));
        }
        if (starts_with(tail, "/map/tiles/WebMercatorQuad")) {
            auto const tile = tail.substr(26);
            if (tile.empty()) return doc(api.map_tileset(style, format));
            if (tile.front() == '/')
                return handle_tile(request, context, style + "/" + xyz_path(tile.substr(1), ".png"), query);
        }
        throw NotFound("no such resource '/ogc" + std::string(rest.substr(0, 128)) + "'");
    }

    // Collection vector tiles: /collections/{id}/tiles[/WebMercatorQuad[/...]]
    if (starts_with(rest, "/collections/")) {
        auto const after = rest.substr(13);
        auto const slash = after.find('/');
        if (slash == std::string_view::npos) return std::nullopt;
        std::string const id(after.substr(0, slash));
        auto const tail = after.substr(slash);
        if (tail == "/tiles") return doc(api.collection_tilesets(id, format));
        if (tail == "/tiles/WebMercatorQuad") return doc(api.collection_tileset(id, format));
        if (starts_with(tail, "/tiles/WebMercatorQuad/")) {
            if (!api.has_vector_tiles(id)) throw NotFound("collection '" + id.substr(0, 64) + "' has no tiles");
            return collection_tile(request, context, id, tail.substr(23), query);
        }
        if (starts_with(tail, "/tiles/"))
            throw NotFound("no tile matrix set '" + std::string(tail.substr(7, 64)) + "' (only WebMercatorQuad)");
    }
    return std::nullopt;
}

} // namespace sahelmap::server::detail
