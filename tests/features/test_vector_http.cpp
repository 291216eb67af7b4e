// Vector tiles, their TileJSON and the MapLibre copy of the styles over HTTP.
#include "features/mvt_decode.hpp"
#include "sahelmap/geo/tile_math.hpp"
#include "sahelmap/server/http.hpp"
#include "sahelmap/vector/maplibre.hpp"
#include "sahelmap/vector/mvt.hpp"
#include "server/client.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <set>

using namespace sahelmap;
using namespace sahelmap::test;
using nlohmann::json;

namespace {

InProcessServer& vector_server()
{
    static InProcessServer server;
    return server;
}

} // namespace

TEST_CASE("vector http: tiles with type, gzip, ETag and 304, bad addresses refused", "[vector]")
{
    HttpClient client(vector_server().port());
    auto const plain = client.get("/tiles/vector/5/15/14.mvt?time=2025-01-01");
    REQUIRE(plain.status == 200);
    CHECK(plain.header("content-type") == "application/vnd.mapbox-vector-tile");
    CHECK(plain.header("content-encoding").empty());
    CHECK(plain.header("cache-control").rfind("public, max-age=", 0) == 0);
    CHECK(!decode_tile(plain.body).empty());
    CHECK(plain.body ==
          vector::encode_tile(default_service().data(), *TileId::make(5, 15, 14), *Date::parse("2025-01-01")));

    auto const gz = client.get("/tiles/vector/5/15/14.mvt?time=2025-01-01", {{"Accept-Encoding", "gzip"}});
    REQUIRE(gz.status == 200);
    CHECK(gz.header("content-encoding") == "gzip");
    CHECK(server::gunzip(gz.body) == plain.body);
    CHECK(gz.header("etag") != plain.header("etag"));

    auto const again =
        client.get("/tiles/vector/5/15/14.mvt?time=2025-01-01", {{"If-None-Match", plain.header("etag")}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    // Another date with other sites: another ETag.
    CHECK(client.get("/tiles/vector/5/15/14.mvt?time=2021-01-01").header("etag") != plain.header("etag"));

    struct Case {
        char const* target;
        unsigned status;
    };
    for (auto const& c : {Case{"/tiles/vector/5/15/14.png", 404}, Case{"/tiles/vector/5/15.mvt", 404},
                          Case{"/tiles/vector/5/15/14/1.mvt", 404}, Case{"/tiles/vector/5/32/1.mvt", 404},
                          Case{"/tiles/vector/21/0/0.mvt", 404}, Case{"/tiles/vector/a/1/1.mvt", 400},
                          Case{"/tiles/vector/5/15/14.mvt?time=2025-02-30", 400}}) {
        auto const r = client.get(c.target);
        INFO(c.target << " -> " << r.body);
        CHECK(r.status == c.status);
        auto const body = json::parse(r.body);
        CHECK(body["status"] == c.status);
        CHECK(!body["error"].get<std::string>().empty());
    }
}

TEST_CASE("vector http: TileJSON lists the vector layers and their fields", "[vector]")
{
    HttpClient client(vector_server().port());
    auto const doc = json::parse(client.get("/tiles/vector.json?time=2024-05-01", {{"Host", "maps.example:81"}}).body);
    CHECK(doc["tilejson"] == "3.0.0");
    CHECK(doc["tiles"][0] == "http://maps.example:81/tiles/vector/{z}/{x}/{y}.mvt?time=2024-05-01");
    std::set<std::string> ids;
    for (auto const& l : doc["vector_layers"]) {
        ids.insert(l["id"].get<std::string>());
        if (l["id"] == "sites") {
            CHECK(l["fields"]["strength"] == "Number");
            CHECK(l["fields"]["actor"] == "String");
        }
    }
    CHECK(ids == std::set<std::string>{"countries", "borders", "regions", "provinces", "sites", "corridors", "places",
                                       "influence"});
}

TEST_CASE("vector http: styles are served as MapLibre documents over our vector tiles", "[vector]")
{
    HttpClient client(vector_server().port());
    for (auto const& id : default_service().style_ids()) {
        INFO(id);
        auto const r = client.get("/styles/" + id + ".json?time=2024-05-01");
        REQUIRE(r.status == 200);
        auto const doc = json::parse(r.body);
        CHECK(doc["version"] == 8);
        auto const& sources = doc["sources"];
        REQUIRE(sources.size() == 1);
        auto const source_name = sources.begin().key();
        auto const raw = json::parse(default_service().renderer(id).style().json());
        std::set<std::string> polygons;
        for (auto const& info : vector::describe_layers(default_service().data()))
            if (info.geometry == "polygon") polygons.insert(info.id);
        bool ghosts = false, heatmaps = false, area_labels = false;
        for (auto const& l : raw["layers"]) {
            ghosts = ghosts || l.value("metadata", json::object()).value("sahelmap:time", "") == "ended";
            heatmaps = heatmaps || l["type"] == "heatmap";
            area_labels = area_labels || (l["type"] == "symbol" && polygons.count(l.value("source-layer", "")) == 1);
        }
        // A style with withdrawn-base ghosts asks for tiles that carry what ended, marked.
        CHECK(sources.begin().value() ==
              json({{"type", "vector"},
                    {"url", std::string("http://127.0.0.1/tiles/vector.json?time=2024-05-01") +
                                (ghosts ? "&ended=1" : "") + (heatmaps ? "&fields=1" : "") +
                                (area_labels ? "&labels=1" : "")}}));
        std::set<std::string> raw_ids;
        for (auto const& l : raw["layers"]) raw_ids.insert(l["id"].get<std::string>());
        for (auto const& l : doc["layers"]) {
            INFO(l.dump());
            CHECK(raw_ids.count(l["id"].get<std::string>()) == 1);
            CHECK(l["type"] != "heatmap");
            if (l["type"] != "background") {
                CHECK(l["source"] == source_name);
                CHECK(!l["source-layer"].get<std::string>().empty());
            }
            if (l.contains("metadata")) CHECK(!l["metadata"].contains("sahelmap:time"));
        }
        CHECK(doc["glyphs"] == "http://127.0.0.1/fonts/{fontstack}/{range}.pbf");
        CHECK(doc["sprite"] == "http://127.0.0.1/sprites/" + id);
    }
    // The sites keep their icons and names: glyphs and the sprite are served.
    auto const doc = json::parse(client.get("/styles/default.json").body);
    json sites;
    for (auto const& l : doc["layers"])
        if (l["id"] == "sites") sites = l;
    REQUIRE(sites["type"] == "symbol");
    CHECK(sites["layout"].contains("icon-image"));
    CHECK(sites["layout"].contains("text-field"));
    CHECK(sites["paint"].contains("icon-color"));

    // The raw document stays available; an unknown choice is refused.
    CHECK(client.get("/styles/default.json?source=raw").body == default_service().renderer("default").style().json());
    CHECK(client.get("/styles/default.json?source=mine").status == 400);
}

TEST_CASE("vector: the MapLibre copy drops heatmaps and keeps ghosts text and icons", "[vector]")
{
    auto const style = R"({"version": 8, "sources": {"s": {"type": "vector", "url": "/x.json"}}, "layers": [
        {"id": "a", "type": "symbol", "source": "s", "source-layer": "sites",
         "layout": {"icon-image": "star", "text-field": "x"}},
        {"id": "c", "type": "heatmap", "source": "s", "source-layer": "influence"},
        {"id": "d", "type": "symbol", "source": "s", "source-layer": "sites", "metadata": {"sahelmap:time": "ended"},
         "layout": {"icon-image": "star"}}]})";
    auto const doc = json::parse(vector::maplibre_style(style, "http://h/tiles/vector.json", "http://h", "mine"));
    REQUIRE(doc["layers"].size() == 2);
    CHECK(doc["layers"][0]["layout"]["icon-image"] == "star");
    // The ghost layer stays, drawing only what the ended=1 tiles mark as ended; the others never draw those.
    CHECK(doc["sources"]["s"]["url"] == "http://h/tiles/vector.json?ended=1&fields=1");
    CHECK(doc["layers"][0]["filter"] == json::parse(R"(["!=", ["get", "sahelmap_ended"], true])"));
    CHECK(doc["layers"][1]["filter"] == json::parse(R"(["==", ["get", "sahelmap_ended"], true])"));
    CHECK_FALSE(doc["layers"][1]["metadata"].contains("sahelmap:time"));
    CHECK(doc["glyphs"] == "http://h/fonts/{fontstack}/{range}.pbf");
    CHECK(doc["sprite"] == "http://h/sprites/mine");
}

TEST_CASE("vector: the MapLibre copy names areas at their label points and shifts zooms by one", "[vector]")
{
    // MapLibre's zoom z shows our 256 px tiles' zoom z + 1: every zoom moves down one.
    auto const style = R"j({"version": 8, "zoom": 4, "sources": {"s": {"type": "vector", "url": "/x.json"}}, "layers": [
        {"id": "f", "type": "fill", "source": "s", "source-layer": "countries", "minzoom": 3, "maxzoom": 9,
         "paint": {"fill-opacity": ["interpolate", ["linear"], ["zoom"], 4, 0.2, 8, 0.6]}},
        {"id": "n", "type": "symbol", "source": "s", "source-layer": "countries",
         "layout": {"text-field": ["step", ["zoom"], "", 5, ["get", "name"]]}},
        {"id": "r", "type": "symbol", "source": "s", "source-layer": "roads",
         "layout": {"symbol-placement": "line", "text-field": "x"}},
        {"id": "p", "type": "symbol", "source": "s", "source-layer": "sites", "minzoom": 0.5,
         "layout": {"text-field": "x"}}]})j";
    auto const doc = json::parse(
        vector::maplibre_style(style, "http://h/tiles/vector.json", "http://h", "mine", {"countries", "roads"}));
    CHECK(doc["zoom"] == 3);
    CHECK(doc["sources"]["s"]["url"] == "http://h/tiles/vector.json?labels=1");
    std::map<std::string, json> by_id;
    for (auto const& l : doc["layers"]) by_id[l["id"].get<std::string>()] = l;
    CHECK(by_id["f"]["minzoom"] == 2);
    CHECK(by_id["f"]["maxzoom"] == 8);
    CHECK(by_id["f"]["paint"]["fill-opacity"] ==
          json::parse(R"(["interpolate", ["linear"], ["zoom"], 3, 0.2, 7, 0.6])"));
    CHECK(by_id["f"]["source-layer"] == "countries"); // fills keep the polygons
    CHECK(by_id["n"]["source-layer"] == "countries_label");
    CHECK(by_id["n"]["layout"]["text-field"] == json::parse(R"(["step", ["zoom"], "", 4, ["get", "name"]])"));
    CHECK(by_id["r"]["source-layer"] == "roads"); // names along lines stay on the lines
    CHECK(by_id["p"]["source-layer"] == "sites");
    CHECK(by_id["p"]["minzoom"] == 0); // never below zero
}

TEST_CASE("vector: heatmap layers become fills of the influence field cells", "[vector]")
{
    auto const style = R"j({"version": 8, "sources": {"s": {"type": "vector", "url": "/x.json"}}, "layers": [
        {"id": "h", "type": "heatmap", "source": "s", "source-layer": "influence", "metadata": {"sahelmap:field": "russia"},
         "paint": {"heatmap-color": ["interpolate", ["linear"], ["heatmap-density"], 0, "rgba(0,0,0,0)", 1, "red"],
                   "heatmap-opacity": 0.9}}]})j";
    auto const doc = json::parse(vector::maplibre_style(style, "http://h/tiles/vector.json", "http://h", "mine"));
    REQUIRE(doc["layers"].size() == 1);
    auto const& fill = doc["layers"][0];
    CHECK(fill["type"] == "fill");
    CHECK(fill["source-layer"] == "influence_field");
    CHECK(fill["paint"]["fill-color"] ==
          json::parse(
              R"j(["interpolate", ["linear"], ["coalesce", ["get", "russia"], 0], 0, "rgba(0,0,0,0)", 1, "red"])j"));
    CHECK(fill["paint"]["fill-opacity"] == 0.9);
    CHECK(doc["sources"]["s"]["url"] == "http://h/tiles/vector.json?fields=1");

    // The cells themselves: where Africa Corps sits, the Russian field is strong.
    HttpClient client(vector_server().port());
    auto const without = client.get("/tiles/vector/6/32/29.mvt?time=2025-11-01");
    auto const with = client.get("/tiles/vector/6/32/29.mvt?time=2025-11-01&fields=1");
    REQUIRE(with.status == 200);
    CHECK(with.header("etag") != without.header("etag"));
    auto const layers = decode_tile(with.body);
    auto const layer_named = [](std::vector<MvtLayer> const& all, std::string const& name) -> MvtLayer const* {
        for (auto const& l : all)
            if (l.name == name) return &l;
        return nullptr;
    };
    auto const* cells = layer_named(layers, "influence_field");
    REQUIRE(cells);
    CHECK(cells->features.size() > 100);
    double peak = 0;
    for (auto const& f : cells->features)
        if (auto it = f.properties.find("russia"); it != f.properties.end())
            peak = std::max(peak, std::visit(
                                      [](auto const& v) -> double {
                                          if constexpr (std::is_arithmetic_v<std::decay_t<decltype(v)>>)
                                              return static_cast<double>(v);
                                          else
                                              return -1;
                                      },
                                      it->second));
    CHECK(peak > 0.5);
    CHECK(peak <= 1.0);
    auto const plain = decode_tile(without.body);
    CHECK_FALSE(layer_named(plain, "influence_field"));
    CHECK(client.get("/tiles/vector/6/32/29.mvt?fields=2").status == 400);
}

TEST_CASE("vector http: labels=1 tiles carry each area's label point once, where our renderer labels it", "[vector]")
{
    HttpClient client(vector_server().port());
    auto const& data = default_service().data();
    // Every z5 tile over the AES: Mali's polygon is in several, its label point in one.
    int polygons = 0, points = 0;
    std::optional<std::pair<std::int32_t, std::int32_t>> at;
    TileId where = *TileId::make(5, 0, 0);
    for (int x = 14; x <= 17; ++x)
        for (int y = 13; y <= 15; ++y) {
            auto const path = "/tiles/vector/5/" + std::to_string(x) + "/" + std::to_string(y) + ".mvt?time=2025-11-01";
            auto const plain = client.get(path);
            auto const labelled = client.get(path + "&labels=1");
            REQUIRE(labelled.status == 200);
            CHECK(labelled.header("etag") != plain.header("etag"));
            for (auto const& layer : decode_tile(labelled.body))
                for (auto const& f : layer.features) {
                    auto const name = f.properties.find("name");
                    if (name == f.properties.end() || name->second != MvtValue(std::string("Mali"))) continue;
                    if (layer.name == "countries") ++polygons;
                    if (layer.name == "countries_label") {
                        ++points;
                        CHECK(f.type == 1);
                        REQUIRE(f.parts.size() == 1);
                        at = f.parts[0][0];
                        where = *TileId::make(5, x, y);
                    }
                }
            for (auto const& layer : decode_tile(plain.body)) CHECK(layer.name.find("_label") == std::string::npos);
        }
    CHECK(polygons > 1);
    REQUIRE(points == 1);
    // The point is the renderer's anchor for Mali, to a tile unit.
    auto const* countries = data.layer("countries");
    REQUIRE(countries);
    auto const attrs = countries->attributes(*Date::parse("2025-11-01"));
    std::optional<Projected> anchor;
    for (std::size_t i = 0; i < countries->size(); ++i)
        if (auto const* name = attrs->ref(i).get("name"); name && name->as_string() && *name->as_string() == "Mali")
            anchor = countries->anchor(i);
    REQUIRE(anchor);
    BBox const b = geo::tile_bounds(where);
    CHECK(std::abs((anchor->x - b.minx) / b.width() * 4096 - at->first) <= 1);
    CHECK(std::abs((b.maxy - anchor->y) / b.height() * 4096 - at->second) <= 1);
    CHECK(client.get("/tiles/vector/5/15/14.mvt?labels=yes").status == 400);
}
