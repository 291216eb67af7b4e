#pragma once
// Handlers per family of routes, called by the router once it has matched
// the path. Each throws sahelmap errors for the router to map; none blocks
// on a render.
#include "sahelmap/features/query.hpp"
#include "sahelmap/server/router.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahelmap::server::detail {

/// The first value of `name` in a query string, percent-decoded by the core
/// QueryString (sahelmap/core/uri.hpp), or nullopt. Throws BadRequest for a
/// malformed escape.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

/// The segments of a path such as "z/x/y.png" when there are exactly
/// `count` of them and the last ends in `extension`, which is cut off;
/// nullopt otherwise.
std::optional<std::vector<std::string_view>> path_segments(std::string_view path, std::size_t count,
                                                           std::string_view extension);

/// A 200 answer whose representation is `body`, or 304 when the client has
/// it already: strong ETag over the bytes, `Cache-Control: public,
/// max-age=N` (or `no-cache` when max_age < 0), gzip when `compressible`
/// and the client accepts it (with Vary: Accept-Encoding either way).
Response cacheable(Request const& request, std::string_view content_type, std::string body, int max_age,
                   bool compressible);

/// The Host header when it is a plain host[:port], else the server's own
/// address: for URLs we hand out (TileJSON, capabilities, OGC API links).
std::string host_for_urls(Request const& request, RouteContext const& context);
/// The base of absolute links: --public-url when set, else http:// and host_for_urls().
/// Behind a trusted proxy (--trusted-proxy, the peer's address) its
/// X-Forwarded-Proto/-Host/-Prefix or Forwarded (proto=, host=) shape it.
std::string base_url(Request const& request, RouteContext const& context);
/// Turns `public` into `private` in the Cache-Control of an answer whose
/// links came from the client's Host or forwarded headers: a shared cache
/// must not hand them to others (public_base.cpp).
void keep_links_private(Response& response, Request const& request, RouteContext const& context);

/// The three countries' extent in lon/lat: the regions layer, else
/// everything the store holds.
BBox data_bounds(service::MapService const& service);

// handlers_data.cpp
/// GET /data.json: the evidence cut-off, the dates where the data changes,
/// and per layer its feature and source counts.
Response handle_data(Request const& request, RouteContext const& context);
Response handle_events(Request const& request, RouteContext const& context);
Response handle_influence(Request const& request, RouteContext const& context, std::string_view query);

// handlers_meta.cpp
Response handle_healthz();
/// 200 when serving and ready for traffic, 503 with the reason otherwise.
Response handle_readyz(RouteContext const& context);
Response handle_metrics(RouteContext const& context);

// handlers_styles.cpp
Response handle_style_list(Request const& request, RouteContext const& context);
Response handle_style(Request const& request, RouteContext const& context, std::string_view style_id);
Response handle_tilejson(Request const& request, RouteContext const& context, std::string_view style_id,
                         std::string_view query);

// handlers_tiles.cpp
/// A raster tile as a request names it, decoded.
struct RasterTile {
    std::string style;
    TileId tile;
    int scale = 1;                   ///< 1, or 2 for @2x
    std::optional<Date> time;        ///< nullopt: the evidence cut-off
    std::optional<Date> change_from; ///< the change map's other date (style "change")
};
/// `rest` is the path after "/tiles/": {style}/{z}/{x}/{y}.png or {y}@2x.png.
Handled handle_tile(Request const& request, RouteContext const& context, std::string_view rest, std::string_view query);
/// The raster tile `tile` of `style` with the dates its query names
/// (`time`, and `compare` for the change map): XYZ and OGC API tiles alike.
RasterTile raster_tile(std::string style, TileId tile, int scale, std::string_view query);
/// The tile (a 304, or a job for the render pool): XYZ, WMTS and OGC API tiles alike.
Handled serve_raster_tile(Request const& request, RouteContext const& context, RasterTile tile);

// handlers_wms.cpp: `query` is the whole KVP query string of /wms.
/// Answers WMS exceptions itself (XML), never the router's JSON.
Handled handle_wms(Request const& request, RouteContext const& context, std::string_view query);

// handlers_wmts.cpp: `path` is /wmts or /wmts/...; KVP or RESTful.
/// Answers WMTS ExceptionReports itself.
Handled handle_wmts(Request const& request, RouteContext const& context, std::string_view path, std::string_view query);

// handlers_features.cpp: OGC API - Features; `path` is /ogc or /ogc/...
Handled handle_ogc(Request const& request, RouteContext const& context, std::string_view path, std::string_view query);
// handlers_ogc_tiles.cpp: OGC API - Tiles; `rest` is the path after "/ogc"
// without a trailing slash. nullopt: not a tiles path (OGC API - Features').
std::optional<Handled> handle_ogc_tiles(Request const& request, RouteContext const& context, std::string_view rest,
                                        std::string_view query, features::Format format);

// handlers_vector.cpp
/// A vector tile as a request names it, decoded.
struct VectorTile {
    TileId tile;
    std::optional<Date> time; ///< nullopt: the evidence cut-off
    vector::MvtOptions options;
    std::string layer; ///< an OGC API collection's tile: that layer alone; empty: every layer
};
/// `rest` is the path after "/tiles/vector/": {z}/{x}/{y}.mvt
Handled handle_vector_tile(Request const& request, RouteContext const& context, std::string_view rest,
                           std::string_view query);
/// The whole vector tile `tile` with the date and options its query names
/// (`time`, `ended`, `fields`, `labels`): XYZ and OGC API tiles alike.
VectorTile vector_tile(RouteContext const& context, TileId tile, std::string_view query);
/// The tile (a 304, or a job for the render queue, sharing the raster
/// tiles' cache and single flight): XYZ and OGC API vector tiles alike.
Handled serve_vector_tile(Request const& request, RouteContext const& context, VectorTile tile);
/// The 200 answer for a vector tile's bytes (from tile_response()), not yet finished.
Response vector_tile_response(TileJob const& job, SharedBytes const& bytes, RouteContext const& context);

// handlers_maplibre.cpp: `rest` is the path after "/fonts/" ({fontstack}/{start}-{end}.pbf);
// `name` the path after "/sprites/" ({style}[@2x].json or .png)
Handled handle_fonts(Request const& request, RouteContext const& context, std::string_view rest);
Handled handle_sprite(Request const& request, RouteContext const& context, std::string_view name);

// handlers_legend.cpp: `name` is the path after "/legend/": {style}.png (or change.png)
Handled handle_legend(Request const& request, RouteContext const& context, std::string_view name,
                      std::string_view query);

// handlers_print.cpp: GET /print
Handled handle_print(Request const& request, RouteContext const& context, std::string_view query);

// handlers_download.cpp: `name` is the path after "/download/" (sahelmap.gpkg)
Handled handle_download(Request const& request, RouteContext const& context, std::string_view name,
                        std::string_view query);

// handlers_web.cpp
/// `relative` is "index.html" for `/`, else the path after "/static/".
Response handle_web(Request const& request, RouteContext const& context, std::string_view relative);

} // namespace sahelmap::server::detail
