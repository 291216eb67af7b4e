// OGC API - Tiles under /ogc (see sahelmap/features/tiles.hpp): the
// documents inline, the tiles as typed tiles served by the same functions
// as /tiles/... (a TileJob for the render queue, PNG and MVT alike), so an
// OGC tile and its XYZ twin are the same bytes, cache entry and ETag. Tile
// addresses come as {tileMatrix}/{tileRow}/{tileCol}: row (y) before column (x).
#include "handlers.hpp"

#include "sahelmap/core/error.hpp"
#include "sahelmap/features/tiles.hpp"

namespace sahelmap::server::detail {

namespace {

constexpr int kVectorMaxZoom = 14; // as /tiles/vector.json

bool starts_with(std::string_view s, std::string_view prefix) noexcept
{
    return s.substr(0, prefix.size()) == prefix;
}

/// The tile of a "{tileMatrix}/{tileRow}/{tileCol}" address; NotFound when
/// it is not three segments, BadRequest or NotFound as TileId::parse.
TileId ogc_tile(std::string_view address)
{
    auto const parts = path_segments(address, 3, "");
    if (!parts) throw NotFound("tiles are at .../WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}");
    return TileId::parse((*parts)[0], (*parts)[2], (*parts)[1]);
}

Response document(Request const& request, RouteContext const& context, features::Document doc)
{
    std::string type = doc.content_type == "text/html" ? "text/html; charset=utf-8" : doc.content_type;
    auto res = cacheable(request, type, std::move(doc.body), context.options->max_age, true);
    if (res.find(http::field::vary) != res.end()) res.set(http::field::vary, "Accept-Encoding, Accept");
    return res;
}

/// A collection's MVT tile: the vector tile cut down to that layer (see
/// VectorTile::layer), with the same cache and single flight as the rest.
Handled collection_tile(Request const& request, RouteContext const& context, std::string const& id,
                        std::string_view address, std::string_view query)
{
    TileId const tile = ogc_tile(address);
    if (tile.z() > kVectorMaxZoom)
        throw NotFound("vector tiles go up to tile matrix " + std::to_string(kVectorMaxZoom));
    std::optional<Date> time;
    if (auto const time_text = query_param(query, "time")) time = parse_date_parameter(*time_text);
    return serve_vector_tile(request, context, {tile, time, {}, id});
}

/// A map tile of `style` (a raster tile, as /tiles/{style}/...).
Handled map_tile(Request const& request, RouteContext const& context, std::string style, std::string_view address,
                 std::string_view query)
{
    auto const tile = ogc_tile(address);
    return serve_raster_tile(request, context, raster_tile(std::move(style), tile, 1, query));
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
        return serve_vector_tile(request, context, vector_tile(context, ogc_tile(rest.substr(23)), query));

    // Dataset map tiles: /map, /map/tiles, /map/tiles/WebMercatorQuad[/...] (the first style)
    if (rest == "/map") return doc(api.map(format));
    if (rest == "/map/tiles") return doc(api.map_tilesets(format));
    if (starts_with(rest, "/map/tiles/WebMercatorQuad")) {
        if (styles.empty()) throw NotFound("no style is loaded");
        auto const tail = rest.substr(26);
        if (tail.empty()) return doc(api.map_tileset(styles.front(), format));
        if (tail.front() == '/') return map_tile(request, context, styles.front(), tail.substr(1), query);
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
            if (tile.front() == '/') return map_tile(request, context, style, tile.substr(1), query);
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
