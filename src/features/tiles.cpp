// OGC API - Tiles documents over our XYZ tiles. Map tilesets point at the
// styles' PNG tiles, vector tilesets at the MVT tiles, through templates on
// /ogc paths (row before column, as OGC orders them) that the server maps
// onto the same tiles. Tile matrix set: WebMercatorQuad of OGC 17-083r4
// (TMS 2.0 JSON), whose tile matrices are our zoom levels.
#include "sahelmap/features/tiles.hpp"

#include "html.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/vector/mvt.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sahelmap::features {

namespace {

using json = nlohmann::ordered_json;

constexpr char const* kJson = "application/json";
constexpr char const* kHtml = "text/html";
constexpr char const* kPng = "image/png";
constexpr char const* kMvt = "application/vnd.mapbox-vector-tile";
constexpr char const* kCrs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr char const* k3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";
constexpr char const* kTmsUri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
constexpr char const* kRelTilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";
constexpr char const* kRelTilesetsMap = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map";
/// Half the equator in EPSG:3857 metres: the matrices' origin is (-h, h).
constexpr double kHalf = 20037508.342789244;
/// Zoom 0's cell size and scale denominator (0.28 mm pixels), halved per zoom.
constexpr double kCellSize0 = 156543.03392804097;
constexpr double kScale0 = 559082264.0287178;

std::string dump(json const& doc)
{
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

json link(std::string href, char const* rel, char const* type, std::string title = {})
{
    json l = {{"href", std::move(href)}, {"rel", rel}, {"type", type}};
    if (!title.empty()) l["title"] = std::move(title);
    return l;
}

json templated(std::string href, char const* type, std::string title)
{
    json l = link(std::move(href), "item", type, std::move(title));
    l["templated"] = true;
    return l;
}

/// self (JSON) and its HTML alternate; links in JSON documents carry no
/// ?f= so that GDAL, OWSLib and browsers negotiate the same URLs.
void self_links(json& links, std::string const& url, Format f)
{
    bool const html = f == Format::html;
    links.push_back(link(url + (html ? "?f=html" : ""), "self", html ? kHtml : kJson, "this document"));
    links.push_back(link(url + (html ? "?f=json" : "?f=html"), "alternate", html ? kJson : kHtml,
                         html ? "this document as JSON" : "this document as HTML"));
}

Document finish(json const& doc, std::string const& title, Format f)
{
    if (f == Format::html) return {detail::html_page(title, doc), kHtml};
    return {dump(doc), kJson};
}

double round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

/// Column or row of a lon/lat at zoom z, clamped into the matrix.
int column(double lon, int z)
{
    double const n = std::ldexp(1.0, z);
    return std::clamp(static_cast<int>(std::floor((lon + 180.0) / 360.0 * n)), 0, static_cast<int>(n) - 1);
}
int row(double lat, int z)
{
    double const n = std::ldexp(1.0, z);
    double const phi = std::clamp(lat, -85.0511287798, 85.0511287798) * std::numbers::pi / 180.0;
    double const y = (1.0 - std::asinh(std::tan(phi)) / std::numbers::pi) / 2.0 * n;
    return std::clamp(static_cast<int>(std::floor(y)), 0, static_cast<int>(n) - 1);
}

/// The tiles that hold data, per zoom (TMS 2.0 tileMatrixSetLimits).
json limits(BBox const& b, int max_zoom)
{
    json out = json::array();
    for (int z = 0; z <= max_zoom; ++z)
        out.push_back({{"tileMatrix", std::to_string(z)},
                       {"minTileRow", row(b.maxy, z)},
                       {"maxTileRow", row(b.miny, z)},
                       {"minTileCol", column(b.minx, z)},
                       {"maxTileCol", column(b.maxx, z)}});
    return out;
}

/// The members every tileset shares; `url` is the tileset's own.
json tileset_common(std::string const& title, char const* data_type, std::string const& base, std::string const& url)
{
    json t;
    t["title"] = title;
    t["dataType"] = data_type;
    t["crs"] = k3857;
    t["tileMatrixSetURI"] = kTmsUri;
    json links = json::array();
    links.push_back(link(url, "self", kJson, "this tileset"));
    links.push_back(
        link(base + "/tileMatrixSets/WebMercatorQuad", kRelTilingScheme, kJson, "the WebMercatorQuad tile matrix set"));
    t["links"] = std::move(links);
    return t;
}

int geometry_dimension(std::string const& geometry)
{
    return geometry == "point" ? 0 : geometry == "line" ? 1 : 2;
}

} // namespace

std::vector<std::string> tiles_conformance()
{
    return {"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/png",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
            "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
            "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
            "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
            "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata"};
}

std::vector<std::string> TilesApi::style_ids() const
{
    return m_service.style_ids();
}

bool TilesApi::has_vector_tiles(std::string const& id) const
{
    for (auto const& info : vector::describe_layers(m_service.data()))
        if (info.id == id) return true;
    return false;
}

Document TilesApi::tile_matrix_sets(Format f) const
{
    auto const& base = m_settings.base;
    json doc;
    json links = json::array();
    self_links(links, base + "/tileMatrixSets", f);
    doc["links"] = std::move(links);
    json entry = {
        {"id", kWebMercatorQuad}, {"title", "Google Maps Compatible for the World"}, {"uri", kTmsUri}, {"crs", k3857}};
    entry["links"] = json::array({link(base + "/tileMatrixSets/WebMercatorQuad", "self", kJson, "WebMercatorQuad")});
    doc["tileMatrixSets"] = json::array({std::move(entry)});
    return finish(doc, "Tile matrix sets", f);
}

Document TilesApi::tile_matrix_set(std::string_view id, Format f) const
{
    if (id != kWebMercatorQuad)
        throw NotFound("no tile matrix set '" + std::string(id.substr(0, 64)) + "' (only WebMercatorQuad)");
    json doc;
    doc["id"] = kWebMercatorQuad;
    doc["title"] = "Google Maps Compatible for the World";
    doc["uri"] = kTmsUri;
    doc["crs"] = k3857;
    doc["orderedAxes"] = {"E", "N"};
    doc["wellKnownScaleSet"] = "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible";
    // The TMS 1.0 names too (identifier, supportedCRS, lowerCorner,
    // topLeftCorner): GDAL before 3.7 reads only those, later ones the 2.0 names.
    doc["identifier"] = kWebMercatorQuad;
    doc["supportedCRS"] = k3857;
    doc["boundingBox"] = {{"crs", k3857},
                          {"lowerLeft", {-kHalf, -kHalf}},
                          {"upperRight", {kHalf, kHalf}},
                          {"lowerCorner", {-kHalf, -kHalf}},
                          {"upperCorner", {kHalf, kHalf}}};
    json matrices = json::array();
    int const max_zoom = std::max(m_settings.map_max_zoom, m_settings.vector_max_zoom);
    for (int z = 0; z <= max_zoom; ++z) {
        auto const n = static_cast<std::int64_t>(1) << z;
        matrices.push_back({{"id", std::to_string(z)},
                            {"scaleDenominator", kScale0 / static_cast<double>(n)},
                            {"cellSize", kCellSize0 / static_cast<double>(n)},
                            {"cornerOfOrigin", "topLeft"},
                            {"pointOfOrigin", {-kHalf, kHalf}},
                            {"identifier", std::to_string(z)},
                            {"topLeftCorner", {-kHalf, kHalf}},
                            {"tileWidth", 256},
                            {"tileHeight", 256},
                            {"matrixWidth", n},
                            {"matrixHeight", n}});
    }
    doc["tileMatrices"] = std::move(matrices);
    json links = json::array();
    self_links(links, m_settings.base + "/tileMatrixSets/WebMercatorQuad", f);
    doc["links"] = std::move(links);
    return finish(doc, "WebMercatorQuad", f);
}

namespace {

/// A full tileset: common members, limits, extent, centre and the tile template.
json full_tileset(TilesSettings const& s, json t, BBox const& b, int max_zoom, json item)
{
    t["tileMatrixSetLimits"] = limits(b, max_zoom);
    t["boundingBox"] = {{"lowerLeft", {round6(b.minx), round6(b.miny)}},
                        {"upperRight", {round6(b.maxx), round6(b.maxy)}},
                        {"crs", kCrs84}};
    t["centerPoint"] = {{"coordinates", {round6((b.minx + b.maxx) / 2), round6((b.miny + b.maxy) / 2)}},
                        {"tileMatrix", "5"},
                        {"crs", kCrs84}};
    if (!s.attribution.empty()) t["attribution"] = s.attribution;
    t["links"].push_back(std::move(item));
    return t;
}

} // namespace

Document TilesApi::dataset_vector_tileset(Format f) const
{
    auto const& base = m_settings.base;
    std::string const url = base + "/tiles/WebMercatorQuad";
    json t = tileset_common("sahelmap vector tiles", "vector", base, url);
    t = full_tileset(m_settings, std::move(t), m_settings.bounds, m_settings.vector_max_zoom,
                     templated(url + "/{tileMatrix}/{tileRow}/{tileCol}", kMvt, "Mapbox vector tiles, every layer"));
    json layers = json::array();
    for (auto const& info : vector::describe_layers(m_service.data())) {
        json fields = json::object();
        for (auto const& [name, type] : info.fields)
            fields[name] = {{"type", type == "Number" ? "number" : type == "Boolean" ? "boolean" : "string"}};
        layers.push_back({{"id", info.id},
                          {"dataType", "vector"},
                          {"geometryDimension", geometry_dimension(info.geometry)},
                          {"minTileMatrix", "0"},
                          {"maxTileMatrix", std::to_string(m_settings.vector_max_zoom)},
                          {"propertiesSchema", {{"type", "object"}, {"properties", std::move(fields)}}}});
    }
    t["layers"] = std::move(layers);
    return finish(t, "Vector tiles", f);
}

Document TilesApi::map_tileset(std::string const& style, Format f) const
{
    auto const& renderer = m_service.renderer(style); // NotFound for an unknown style
    auto const& base = m_settings.base;
    std::string const url = base + "/styles/" + style + "/map/tiles/WebMercatorQuad";
    std::string const title = renderer.style().name().empty() ? style : renderer.style().name();
    json t = tileset_common(title, "map", base, url);
    t["style"] = {{"id", style}, {"title", title}};
    t = full_tileset(m_settings, std::move(t), m_settings.bounds, m_settings.map_max_zoom,
                     templated(url + "/{tileMatrix}/{tileRow}/{tileCol}", kPng, "PNG map tiles, 256 px"));
    // A map is drawn on every tile of the matrix (background, sea, land), so
    // its limits are the whole matrix, unlike the data's vector tiles. GDAL
    // 3.6's OGCAPI driver also needs these: it skips a zoom without limits
    // and misplaces rows when the limits leave some out.
    t["tileMatrixSetLimits"] = limits(BBox{-180.0, -90.0, 180.0, 90.0}, m_settings.map_max_zoom);
    if (!renderer.style().attribution().empty()) t["attribution"] = renderer.style().attribution();
    return finish(t, title, f);
}

Document TilesApi::map_tilesets(Format f) const
{
    auto const& base = m_settings.base;
    json doc;
    json links = json::array();
    self_links(links, base + "/map/tiles", f);
    doc["links"] = std::move(links);
    json list = json::array();
    for (auto const& style : style_ids()) {
        auto const& renderer = m_service.renderer(style);
        std::string const title = renderer.style().name().empty() ? style : renderer.style().name();
        list.push_back(tileset_common(title, "map", base, base + "/styles/" + style + "/map/tiles/WebMercatorQuad"));
    }
    doc["tilesets"] = std::move(list);
    return finish(doc, "Map tilesets", f);
}

Document TilesApi::dataset_tilesets(Format f) const
{
    auto const& base = m_settings.base;
    json doc;
    json links = json::array();
    self_links(links, base + "/tiles", f);
    doc["links"] = std::move(links);
    json list = json::array();
    list.push_back(tileset_common("sahelmap vector tiles", "vector", base, base + "/tiles/WebMercatorQuad"));
    for (auto const& style : style_ids()) {
        auto const& renderer = m_service.renderer(style);
        std::string const title = renderer.style().name().empty() ? style : renderer.style().name();
        list.push_back(tileset_common(title, "map", base, base + "/styles/" + style + "/map/tiles/WebMercatorQuad"));
    }
    doc["tilesets"] = std::move(list);
    return finish(doc, "Tilesets", f);
}

Document TilesApi::map(Format f) const
{
    auto const& base = m_settings.base;
    auto const& b = m_settings.bounds;
    json doc;
    doc["id"] = "map";
    doc["title"] = "sahelmap map";
    doc["description"] = "The map of every style as tiles (OGC API - Tiles, dataset map tilesets).";
    doc["extent"] = {
        {"spatial", {{"bbox", json::array({json::array({b.minx, b.miny, b.maxx, b.maxy})})}, {"crs", kCrs84}}}};
    json links = json::array();
    self_links(links, base + "/map", f);
    links.push_back(link(base + "/map/tiles", kRelTilesetsMap, kJson, "map tilesets, one per style"));
    // No tilesets-vector link here: this document is the rendered map (the
    // vector tilesets are linked from the landing page and /ogc/tiles), and
    // GDAL 3.6's OGCAPI driver lets the last of the two links decide what it
    // opens, so a vector link would hide the map from it.
    doc["links"] = std::move(links);
    return finish(doc, "Map", f);
}

namespace {

BBox collection_bounds(service::MapService const& service, std::string const& id, BBox const& fallback)
{
    if (auto const* layer = service.store().find(id); layer && !layer->extent.empty()) return layer->extent;
    return fallback;
}

} // namespace

Document TilesApi::collection_tilesets(std::string const& id, Format f) const
{
    if (!has_vector_tiles(id)) throw NotFound("collection '" + id.substr(0, 64) + "' has no tiles");
    auto const& base = m_settings.base;
    json doc;
    json links = json::array();
    self_links(links, base + "/collections/" + id + "/tiles", f);
    doc["links"] = std::move(links);
    doc["tilesets"] = json::array(
        {tileset_common(id + " vector tiles", "vector", base, base + "/collections/" + id + "/tiles/WebMercatorQuad")});
    return finish(doc, id + " tilesets", f);
}

Document TilesApi::collection_tileset(std::string const& id, Format f) const
{
    if (!has_vector_tiles(id)) throw NotFound("collection '" + id.substr(0, 64) + "' has no tiles");
    auto const& base = m_settings.base;
    std::string const url = base + "/collections/" + id + "/tiles/WebMercatorQuad";
    json t = tileset_common(id + " vector tiles", "vector", base, url);
    t = full_tileset(m_settings, std::move(t), collection_bounds(m_service, id, m_settings.bounds),
                     m_settings.vector_max_zoom,
                     templated(url + "/{tileMatrix}/{tileRow}/{tileCol}", kMvt, "Mapbox vector tiles of " + id));
    for (auto const& info : vector::describe_layers(m_service.data()))
        if (info.id == id)
            t["layers"] = json::array({{{"id", info.id},
                                        {"dataType", "vector"},
                                        {"geometryDimension", geometry_dimension(info.geometry)},
                                        {"minTileMatrix", "0"},
                                        {"maxTileMatrix", std::to_string(m_settings.vector_max_zoom)}}});
    t["links"].push_back(link(base + "/collections/" + id, "collection", kJson, "the collection"));
    return finish(t, id + " vector tiles", f);
}

namespace {

/// A protobuf varint at `at`; false when the bytes end first.
bool varint(std::string_view bytes, std::size_t& at, std::uint64_t& out)
{
    out = 0;
    for (int shift = 0; shift < 64 && at < bytes.size(); shift += 7) {
        auto const b = static_cast<unsigned char>(bytes[at++]);
        out |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80)) return true;
    }
    return false;
}

/// The name (field 1) of an MVT layer message.
std::string_view layer_name(std::string_view layer)
{
    std::size_t at = 0;
    std::uint64_t key = 0, len = 0;
    while (at < layer.size() && varint(layer, at, key)) {
        auto const wire = key & 7;
        if (wire == 2) {
            if (!varint(layer, at, len) || len > layer.size() - at) break;
            if ((key >> 3) == 1) return layer.substr(at, len);
            at += len;
        } else if (wire == 0) {
            if (!varint(layer, at, len)) break;
        } else if (wire == 1) {
            at += 8;
        } else if (wire == 5) {
            at += 4;
        } else {
            break;
        }
    }
    return {};
}

} // namespace

std::string mvt_layer(std::string_view tile, std::string_view name)
{
    // A tile is a sequence of layers (field 3); copied as they are.
    std::size_t at = 0;
    std::uint64_t key = 0, len = 0;
    while (at < tile.size()) {
        std::size_t const start = at;
        if (!varint(tile, at, key) || key != ((3u << 3) | 2u)) break;
        if (!varint(tile, at, len) || len > tile.size() - at) break;
        auto const layer = tile.substr(at, len);
        at += len;
        if (layer_name(layer) == name) return std::string(tile.substr(start, at - start));
    }
    return {};
}

} // namespace sahelmap::features
