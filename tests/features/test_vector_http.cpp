// Vector tiles, their TileJSON and the MapLibre copy of the styles over HTTP.
#include "features/mvt_decode.hpp"
#include "sahelmap/server/http.hpp"
#include "sahelmap/vector/maplibre.hpp"
#include "sahelmap/vector/mvt.hpp"
#include "server/client.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
        bool ghosts = false, heatmaps = false;
        for (auto const& l : raw["layers"]) {
            ghosts = ghosts || l.value("metadata", json::object()).value("sahelmap:time", "") == "ended";
            heatmaps = heatmaps || l["type"] == "heatmap";
        }
        // A style with withdrawn-base ghosts asks for tiles that carry what ended, marked.
        CHECK(sources.begin().value() ==
              json({{"type", "vector"},
                    {"url", std::string("http://127.0.0.1/tiles/vector.json?time=2024-05-01") +
                                (ghosts ? "&ended=1" : "") + (heatmaps ? "&fields=1" : "")}}));
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
          json::parse(R"j(["interpolate", ["linear"], ["coalesce", ["get", "russia"], 0], 0, "rgba(0,0,0,0)", 1, "red"])j"));
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
