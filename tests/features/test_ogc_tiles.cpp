// OGC API - Tiles over real HTTP on loopback: the documents' structure (TMS
// 2.0 tile matrix set, tileset metadata, tilesets lists, links followed),
// the tiles being our XYZ tiles byte for byte, collection tiles holding
// their layer alone, and GDAL reading the tile matrix set and the tiles.
#include "features/mvt_decode.hpp"
#include "server/client.hpp"
#include "support/files.hpp"
#include "support/golden.hpp"

#include "sahelmap/encode/png.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace sahelmap;
using namespace sahelmap::test;
using nlohmann::json;

namespace {

InProcessServer& tiles_server()
{
    static InProcessServer server;
    return server;
}

std::string origin()
{
    return "http://127.0.0.1:" + std::to_string(tiles_server().port());
}

/// GET with the server's own address as Host, so links carry it (and the port).
HttpResult get(std::string const& target)
{
    return http_get(tiles_server().port(), target, {{"Host", origin().substr(7)}});
}

json get_json(std::string const& url)
{
    auto const target = url.rfind(origin(), 0) == 0 ? url.substr(origin().size()) : url;
    auto const res = get(target);
    INFO(target);
    REQUIRE(res.status == 200);
    REQUIRE(res.header("content-type") == "application/json");
    return json::parse(res.body);
}

std::string href(json const& doc, std::string const& rel, std::string const& type = "application/json")
{
    for (auto const& l : doc.at("links"))
        if (l.at("rel") == rel && l.value("type", "") == type) return l.at("href");
    return {};
}

std::string fill(std::string url, int z, int row, int col)
{
    auto put = [&](std::string const& key, int v) { url.replace(url.find(key), key.size(), std::to_string(v)); };
    put("{tileMatrix}", z);
    put("{tileRow}", row);
    put("{tileCol}", col);
    return url.substr(origin().size());
}

constexpr char const* kTilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";

} // namespace

TEST_CASE("ogc tiles: landing page and conformance announce OGC API - Tiles", "[ogc][tiles]")
{
    auto const landing = get_json(origin() + "/ogc");
    CHECK(href(landing, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector") == origin() + "/ogc/tiles");
    CHECK(href(landing, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map") == origin() + "/ogc/map/tiles");
    CHECK(href(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes") == origin() + "/ogc/tileMatrixSets");
    auto const conf = get_json(origin() + "/ogc/conformance").at("conformsTo");
    for (auto const* uri : {"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
                            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
                            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
                            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
                            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/png",
                            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"}) {
        INFO(uri);
        CHECK(std::find(conf.begin(), conf.end(), uri) != conf.end());
    }
}

TEST_CASE("ogc tiles: WebMercatorQuad is the TMS 2.0 definition", "[ogc][tiles]")
{
    auto const list = get_json(origin() + "/ogc/tileMatrixSets");
    REQUIRE(list.at("tileMatrixSets").size() == 1);
    CHECK(list["tileMatrixSets"][0]["id"] == "WebMercatorQuad");
    auto const tms = get_json(href(list["tileMatrixSets"][0], "self"));
    CHECK(tms.at("id") == "WebMercatorQuad");
    CHECK(tms.at("uri") == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad");
    CHECK(tms.at("crs") == "http://www.opengis.net/def/crs/EPSG/0/3857");
    auto const& m = tms.at("tileMatrices");
    REQUIRE(m.size() == 21); // zooms 0-20, as the raster tiles
    for (int z = 0; z < 21; ++z) {
        INFO(z);
        CHECK(m[z]["id"] == std::to_string(z));
        CHECK(m[z]["matrixWidth"] == (1LL << z));
        CHECK(m[z]["matrixHeight"] == (1LL << z));
        CHECK(m[z]["tileWidth"] == 256);
        CHECK(m[z]["cornerOfOrigin"] == "topLeft");
        CHECK(m[z]["pointOfOrigin"][0].get<double>() == Approx(-20037508.3427892));
        CHECK(m[z]["pointOfOrigin"][1].get<double>() == Approx(20037508.3427892));
        // OGC 17-083r4 Annex: cell size 156543.0339280410 m at zoom 0, scale 1:559082264.0287178.
        CHECK(m[z]["cellSize"].get<double>() == Approx(156543.0339280410 / std::ldexp(1.0, z)).epsilon(1e-12));
        CHECK(m[z]["scaleDenominator"].get<double>() == Approx(559082264.0287178 / std::ldexp(1.0, z)).epsilon(1e-12));
    }
    CHECK(get("/ogc/tileMatrixSets/WorldCRS84Quad").status == 404);
}

TEST_CASE("ogc tiles: every tileset is linked and describes tiles that are our XYZ tiles", "[ogc][tiles]")
{
    auto const styles = json::parse(get("/styles").body);
    auto const list = get_json(origin() + "/ogc/tiles");
    REQUIRE(list.at("tilesets").size() == 1 + styles.size());
    std::size_t maps = 0, vectors = 0;
    for (auto const& entry : list["tilesets"]) {
        INFO(entry.dump());
        CHECK(entry.at("crs") == "http://www.opengis.net/def/crs/EPSG/0/3857");
        CHECK(entry.at("tileMatrixSetURI") == "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad");
        CHECK(get_json(href(entry, kTilingScheme)).at("id") == "WebMercatorQuad");
        auto const tileset = get_json(href(entry, "self"));
        CHECK(tileset.at("dataType") == entry.at("dataType"));
        bool const map = tileset["dataType"] == "map";
        auto const item = href(tileset, "item", map ? "image/png" : "application/vnd.mapbox-vector-tile");
        REQUIRE_FALSE(item.empty());
        // The limits at zoom 4 hold the Sahel: tile 4/7/7 (row 7, col 7) covers Mali and Burkina Faso.
        auto const& z4 = tileset.at("tileMatrixSetLimits").at(4);
        CHECK(z4["tileMatrix"] == "4");
        CHECK(z4["minTileRow"] <= 7);
        CHECK(z4["maxTileRow"] >= 7);
        CHECK(z4["minTileCol"] <= 7);
        CHECK(z4["maxTileCol"] >= 7);
        auto const tile = get(fill(item, 4, 7, 7));
        REQUIRE(tile.status == 200);
        if (map) {
            ++maps;
            // A map covers the whole matrix: every tile is drawn.
            CHECK(z4["minTileRow"] == 0);
            CHECK(z4["maxTileRow"] == 15);
            CHECK(z4["minTileCol"] == 0);
            CHECK(z4["maxTileCol"] == 15);
            auto const style = tileset.at("style").at("id").get<std::string>();
            auto const xyz = get("/tiles/" + style + "/4/7/7.png");
            CHECK(tile.header("content-type") == "image/png");
            CHECK(tile.body == xyz.body);
            // Row and column are not swapped: 4/6/7 is another tile than 4/7/6.
            CHECK(get(fill(item, 4, 6, 7)).body == get("/tiles/" + style + "/4/7/6.png").body);
        } else {
            ++vectors;
            CHECK(tile.body == get("/tiles/vector/4/7/7.mvt").body);
            CHECK(tileset.at("layers").size() >= 5);
        }
    }
    CHECK(maps == styles.size());
    CHECK(vectors == 1);
    // /ogc/map (the dataset's map) leads to the same map tilesets.
    auto const map = get_json(origin() + "/ogc/map");
    CHECK(map.at("extent").at("spatial").at("bbox").size() == 1);
    CHECK(get_json(href(map, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-map")).at("tilesets").size() ==
          styles.size());
    // The map document links map tilesets only (GDAL's driver reads it as a map).
    CHECK(href(map, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector").empty());
}

TEST_CASE("ogc tiles: GDAL's OGCAPI driver reads the map tiles as our XYZ tiles", "[ogc][tiles][gdal]")
{
    // GDAL opens /ogc/map, follows its tilesets-map link to the first style's
    // tileset, its tiling scheme and its item template, and assembles the
    // tiles. GDAL 3.6 (Debian 12) reads a document's extent in the tile matrix
    // set's CRS rather than CRS84, so the test gives the extent in Web
    // Mercator metres through the driver's MINX..MAXY open options: the
    // bounds of tile 5/15/14 (western Mali), read at zoom 5. No WMS disk
    // cache in the build tree.
    double const span = 2 * 20037508.342789244 / 32;
    double const minx = -20037508.342789244 + 15 * span, maxx = minx + span;
    double const maxy = 20037508.342789244 - 14 * span, miny = maxy - span;
    ScratchDir dir("ogcapi-map");
    auto const out = (dir / "map.png").string();
    auto const translate =
        run_command("gdal_translate -q -of PNG -oo CACHE=NO "
                    "-oo TILEMATRIX=5 -oo MINX=" +
                    std::to_string(minx) + " -oo MINY=" + std::to_string(miny) + " -oo MAXX=" + std::to_string(maxx) +
                    " -oo MAXY=" + std::to_string(maxy) + " 'OGCAPI:" + origin() + "/ogc/map' '" + out + "'");
    INFO(translate.out);
    REQUIRE(translate.exit_code == 0);
    auto const theirs = encode::decode_png(read_bytes(out));
    auto const ours = encode::decode_png(get("/tiles/default/5/15/14.png").body);
    REQUIRE(theirs.width == 256);
    REQUIRE(theirs.height == 256);
    CHECK(pixels_unlike_corner(ours) > 1000); // the tile shows something
    CHECK(differing_fraction(theirs, ours, 2) < 0.001);
    // Another tile is another picture: GDAL did not read a fixed tile.
    CHECK(differing_fraction(theirs, encode::decode_png(get("/tiles/default/5/16/14.png").body), 2) > 0.05);
}

TEST_CASE("ogc tiles: a collection's tiles hold that layer alone", "[ogc][tiles]")
{
    auto const collection = get_json(origin() + "/ogc/collections/sites");
    auto const tilesets = get_json(href(collection, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"));
    REQUIRE(tilesets.at("tilesets").size() == 1);
    auto const tileset = get_json(href(tilesets["tilesets"][0], "self"));
    CHECK(tileset.at("dataType") == "vector");
    CHECK(tileset.at("layers").at(0).at("id") == "sites");
    CHECK(tileset.at("layers").at(0).at("geometryDimension") == 0);
    auto const item = href(tileset, "item", "application/vnd.mapbox-vector-tile");
    auto const tile = get(fill(item, 4, 7, 7));
    REQUIRE(tile.status == 200);
    auto const layers = decode_tile(tile.body);
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].name == "sites");
    std::size_t full_sites = 0;
    for (auto const& l : decode_tile(get("/tiles/vector/4/7/7.mvt").body))
        if (l.name == "sites") full_sites = l.features.size();
    CHECK(full_sites > 0);
    CHECK(layers[0].features.size() == full_sites);

    // GDAL's MVT driver reads the tile as the sites layer.
    ScratchDir dir("ogc-tiles");
    write_text(dir / "sites.mvt", tile.body);
    auto const info = run_command("ogrinfo -ro -al -so '" + (dir / "sites.mvt").string() + "'");
    REQUIRE(info.exit_code == 0);
    CHECK(info.out.find("Layer name: sites") != std::string::npos);
    CHECK(info.out.find("Feature Count: " + std::to_string(full_sites)) != std::string::npos);

    // Events have no geometry: no tiles, and no link to them.
    auto const events = get_json(origin() + "/ogc/collections/events");
    CHECK(href(events, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector").empty());
    CHECK(get("/ogc/collections/events/tiles").status == 404);
    CHECK(get("/ogc/collections/sites/tiles/WorldCRS84Quad").status == 404);
    CHECK(get("/ogc/collections/sites/tiles/WebMercatorQuad/15/0/0").status == 404);
}

TEST_CASE("ogc tiles: GDAL tiles a raster on our WebMercatorQuad definition", "[ogc][tiles]")
{
    // GDAL's COG driver takes a TMS JSON document as its tiling scheme (the
    // parser its OGCAPI driver uses): a wrong origin or cell size moves the
    // output off the Web Mercator grid checked below.
    ScratchDir dir("ogc-tms");
    write_text(dir / "tms.json", get("/ogc/tileMatrixSets/WebMercatorQuad").body);
    auto const src = (dir / "src.tif").string(), out = (dir / "out.tif").string();
    REQUIRE(run_command("gdal_create -of GTiff -outsize 64 64 -bands 1 -burn 7 -a_srs EPSG:3857 -a_ullr 100000 1600000 "
                        "900000 800000 '" +
                        src + "'")
                .exit_code == 0);
    auto const translate = run_command("gdal_translate -of COG -co TILING_SCHEME='" + (dir / "tms.json").string() +
                                       "' '" + src + "' '" + out + "'");
    INFO(translate.out);
    REQUIRE(translate.exit_code == 0);
    auto const info = run_command("gdalinfo -json '" + out + "'");
    REQUIRE(info.exit_code == 0);
    auto const gt = json::parse(info.out).at("geoTransform");
    double const cell = gt[1].get<double>();
    double const zoom = std::log2(156543.03392804097 / cell);
    CHECK(std::abs(zoom - std::round(zoom)) < 1e-9); // a WebMercatorQuad cell size
    double const tile = cell * 256;
    double const col = (gt[0].get<double>() + 20037508.342789244) / tile;
    double const row = (20037508.342789244 - gt[3].get<double>()) / tile;
    CHECK(std::abs(col - std::round(col)) < 1e-6); // the output starts on a tile corner
    CHECK(std::abs(row - std::round(row)) < 1e-6);
}
