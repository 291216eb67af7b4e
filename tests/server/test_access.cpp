// Protected layers (config "access", issue 17 item 5): over real HTTP on
// loopback, each family of answers without a key, with a valid key and with
// a wrong one; GDAL reading a protected layer with the header set.
#include "client.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <string>

#include <unistd.h>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

// SHA-256 of "partner-secret" and "ops-secret" (sha256sum).
constexpr char const* kAccessConfig = R"({
  "access": {
    "keys": {
      "partner": "sha256:25386993910f585ef9789d1de56b13c385f18751de51daf6050d20bd4fd65623",
      "ops": "sha256:32323cfa9ec9d62750daad0836a4cf3d7b60d23723b7852a529667deed01669f"
    },
    "layers": {"sites": ["partner"]},
    "metrics": ["ops"]
  }
})";

Headers const kPartner = {{"Authorization", "Bearer partner-secret"}};
Headers const kOps = {{"Authorization", "Bearer ops-secret"}};
Headers const kWrong = {{"Authorization", "Bearer not-a-key"}};

struct AccessServer {
    // Each test case is a process of its own, and ctest runs them at once:
    // one shared folder would be wiped by one process under another's server.
    ScratchDir dir{"access-" + std::to_string(::getpid())};
    std::unique_ptr<InProcessServer> server;
    AccessServer()
    {
        write_text(dir / "config.json", kAccessConfig);
        auto options = InProcessServer::test_options();
        options.config_file = dir / "config.json";
        server = std::make_unique<InProcessServer>(options);
    }
    std::uint16_t port() const { return server->port(); }
};

AccessServer& access_server()
{
    static AccessServer server;
    return server;
}

bool contains(std::string const& haystack, std::string const& needle)
{
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> collection_ids(std::string const& body)
{
    std::vector<std::string> ids;
    auto const doc = nlohmann::json::parse(body);
    for (auto const& c : doc["collections"]) ids.push_back(c["id"].get<std::string>());
    return ids;
}

bool has(std::vector<std::string> const& items, std::string const& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

std::string run_sahelmap(std::string const& args)
{
    return std::string(SAHELMAP_BINARY) + " " + args;
}

} // namespace

TEST_CASE("access: check refuses a broken access policy with one sentence", "[server][access]")
{
    ScratchDir dir("access-check");
    std::string const digest = "sha256:25386993910f585ef9789d1de56b13c385f18751de51daf6050d20bd4fd65623";
    struct Case {
        std::string access;
        std::string says;
    };
    Case const cases[] = {
        {R"({"keys": {"a": ")" + digest + R"("}, "layers": {"nowhere": ["a"]}})", "unknown layer 'nowhere'"},
        {R"({"keys": {"a": "sha256:12zz"}, "layers": {"sites": ["a"]}})", "access.keys.a must be"},
        {R"({"keys": {"a": "25386993910f585ef9789d1de56b13c385f18751de51daf6050d20bd4fd65623"}})",
         "access.keys.a must be"},
        {R"({"keys": {"a": ")" + digest + R"("}, "layers": {"sites": ["b"]}})", "unknown key 'b'"},
        {R"({"keys": {"a": ")" + digest + R"("}, "metrics": ["c"]})", "unknown key 'c'"},
        {R"({"keys": {"a": ")" + digest + R"("}, "layer": {}})", "unknown key 'layer' in access"},
    };
    for (auto const& c : cases) {
        INFO(c.access);
        write_text(dir / "config.json", R"({"access": )" + c.access + "}");
        auto const r = run_command(run_sahelmap("check --config " + (dir / "config.json").string()));
        CHECK(r.exit_code != 0);
        CHECK(contains(r.out, c.says));
        // The key's hex is never repeated back.
        CHECK_FALSE(contains(r.out, "25386993910f585ef"));
    }
    write_text(dir / "config.json", kAccessConfig);
    auto const good = run_command(run_sahelmap("check --config " + (dir / "config.json").string()));
    INFO(good.out);
    CHECK(good.exit_code == 0);
}

TEST_CASE("access: a wrong key is 401, a missing key the public view", "[server][access]")
{
    auto const port = access_server().port();
    HttpClient client(port);
    for (auto const* path : {"/ogc/collections?f=json", "/tiles/default/5/15/14.png", "/healthz"}) {
        INFO(path);
        auto const wrong = client.get(path, kWrong);
        CHECK(wrong.status == 401);
        CHECK(wrong.header("www-authenticate").rfind("Bearer", 0) == 0);
        CHECK_FALSE(contains(wrong.body, "not-a-key"));
        CHECK(client.get(std::string(path) + (contains(path, "?") ? "&" : "?") + "key=not-a-key").status == 401);
        CHECK(client.get(path).status == 200);
    }
}

TEST_CASE("access: raster and vector tiles are drawn without the protected layer", "[server][access]")
{
    auto const port = access_server().port();
    HttpClient client(port);
    // z6 over Bamako: sites are drawn there.
    auto const pub = client.get("/tiles/default/6/30/29.png");
    auto const keyed = client.get("/tiles/default/6/30/29.png", kPartner);
    auto const by_query = client.get("/tiles/default/6/30/29.png?key=partner-secret");
    REQUIRE(pub.status == 200);
    REQUIRE(keyed.status == 200);
    REQUIRE(by_query.status == 200);
    CHECK(pub.body != keyed.body);
    CHECK(by_query.body == keyed.body);
    CHECK(pub.header("etag") != keyed.header("etag"));
    CHECK(contains(pub.header("vary"), "Authorization"));
    CHECK(contains(keyed.header("cache-control"), "private"));
    CHECK_FALSE(contains(keyed.header("cache-control"), "public"));
    CHECK(contains(pub.header("cache-control"), "public"));
    // The public tile again comes from its own cache entry, not the keyed one.
    CHECK(client.get("/tiles/default/6/30/29.png").body == pub.body);
    // A public ETag does not revalidate the keyed tile.
    CHECK(client
              .get("/tiles/default/6/30/29.png",
                   {{"Authorization", "Bearer partner-secret"}, {"If-None-Match", pub.header("etag")}})
              .status == 200);
    // The ops key unlocks no layer: it sees the public tile.
    CHECK(client.get("/tiles/default/6/30/29.png", kOps).body == pub.body);

    auto const mvt_pub = client.get("/tiles/vector/6/30/29.mvt");
    auto const mvt_keyed = client.get("/tiles/vector/6/30/29.mvt", kPartner);
    REQUIRE(mvt_pub.status == 200);
    REQUIRE(mvt_keyed.status == 200);
    CHECK(contains(mvt_keyed.body, "sites"));
    CHECK_FALSE(contains(mvt_pub.body, "sites"));
    CHECK(mvt_pub.header("etag") != mvt_keyed.header("etag"));
    CHECK(contains(mvt_keyed.header("cache-control"), "private"));
    CHECK(contains(mvt_pub.header("vary"), "Authorization"));
}

TEST_CASE("access: WMS capabilities and operations know the layer only with the key and WMTS tiles lack it",
          "[server][access]")
{
    auto const port = access_server().port();
    HttpClient client(port);
    auto const caps = client.get("/wms?SERVICE=WMS&REQUEST=GetCapabilities");
    auto const caps_keyed = client.get("/wms?SERVICE=WMS&REQUEST=GetCapabilities", kPartner);
    REQUIRE(caps.status == 200);
    REQUIRE(caps_keyed.status == 200);
    CHECK_FALSE(contains(caps.body, "<Name>sites</Name>"));
    CHECK(contains(caps_keyed.body, "<Name>sites</Name>"));
    CHECK(contains(caps_keyed.header("cache-control"), "private"));
    // The key is not written into the capabilities' links.
    CHECK_FALSE(contains(caps_keyed.body, "partner-secret"));

    // WMTS layers are styles, not data layers: its tiles are drawn without the layer.
    std::string const wmts = "/wmts/1.0.0/default/default/2025-07-01/WebMercatorQuad/6/29/30.png";
    auto const wmts_pub = client.get(wmts);
    auto const wmts_keyed = client.get(wmts, kPartner);
    REQUIRE(wmts_pub.status == 200);
    REQUIRE(wmts_keyed.status == 200);
    CHECK(wmts_pub.body != wmts_keyed.body);
    CHECK(wmts_pub.header("etag") != wmts_keyed.header("etag"));
    CHECK(contains(wmts_keyed.header("cache-control"), "private"));

    std::string const map = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=sites&STYLES=&CRS=EPSG:4326"
                            "&BBOX=10,-10,16,-2&WIDTH=64&HEIGHT=64&FORMAT=image/png";
    CHECK(contains(client.get(map).body, "LayerNotDefined"));
    auto const map_keyed = client.get(map, kPartner);
    CHECK(map_keyed.status == 200);
    CHECK(map_keyed.header("content-type") == "image/png");
    std::string const info = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=sites&QUERY_LAYERS=sites"
                             "&STYLES=&CRS=EPSG:4326&BBOX=12.4335,-8.0499,12.6335,-7.8499&WIDTH=101&HEIGHT=101"
                             "&I=50&J=50&INFO_FORMAT=application/json&FEATURE_COUNT=10&TIME=2025-07-01";
    CHECK(contains(client.get(info).body, "LayerNotDefined"));
    auto const info_keyed = client.get(info + "&key=partner-secret");
    REQUIRE(info_keyed.status == 200);
    CHECK(nlohmann::json::parse(info_keyed.body)["features"].size() >= 1);
}

TEST_CASE("access: OGC API lists the collection and serves its items only with the key", "[server][access]")
{
    auto const port = access_server().port();
    HttpClient client(port);
    auto const pub = client.get("/ogc/collections?f=json");
    auto const keyed = client.get("/ogc/collections?f=json", kPartner);
    REQUIRE(pub.status == 200);
    REQUIRE(keyed.status == 200);
    CHECK_FALSE(has(collection_ids(pub.body), "sites"));
    CHECK(has(collection_ids(keyed.body), "sites"));
    CHECK(has(collection_ids(pub.body), "regions"));
    CHECK(client.get("/ogc/collections/sites?f=json").status == 404);
    CHECK(client.get("/ogc/collections/sites/items?f=json&limit=2").status == 404);
    auto const items = client.get("/ogc/collections/sites/items?f=json&limit=2", kPartner);
    REQUIRE(items.status == 200);
    CHECK(nlohmann::json::parse(items.body)["features"].size() == 2);
    CHECK(contains(items.header("cache-control"), "private"));
    CHECK(contains(items.header("vary"), "Authorization"));
    // ?key= is taken out before OGC API sees the query (it refuses parameters it does not know).
    CHECK(client.get("/ogc/collections/sites/items?f=json&limit=2&key=partner-secret").status == 200);
}

TEST_CASE("access: the GeoPackage download leaves the protected layer out", "[server][access]")
{
    auto const port = access_server().port();
    ScratchDir dir("access-gpkg");
    HttpClient client(port);
    auto const layers_of = [&](HttpResult const& res, std::string const& name) {
        REQUIRE(res.status == 200);
        write_text(dir / name, res.body);
        return run_command("ogrinfo -ro -q " + (dir / name).string()).out;
    };
    auto const pub = layers_of(client.get("/download/sahelmap.gpkg"), "public.gpkg");
    auto const keyed = layers_of(client.get("/download/sahelmap.gpkg", kPartner), "keyed.gpkg");
    INFO(pub);
    INFO(keyed);
    CHECK(contains(pub, ": regions"));
    CHECK_FALSE(contains(pub, ": sites "));
    CHECK(contains(keyed, ": sites "));
}

TEST_CASE("access: /metrics only with a key the policy names", "[server][access]")
{
    auto const port = access_server().port();
    HttpClient client(port);
    CHECK(client.get("/metrics").status == 404);
    CHECK(client.get("/metrics", kPartner).status == 404);
    CHECK(client.get("/metrics", kWrong).status == 401);
    auto const ops = client.get("/metrics", kOps);
    CHECK(ops.status == 200);
    CHECK(contains(ops.body, "sahelmap_"));
}

TEST_CASE("access: GDAL reads the protected layer with the Authorization header set", "[server][access][gdal]")
{
    auto const port = access_server().port();
    std::string const url = "OAPIF:http://127.0.0.1:" + std::to_string(port) + "/ogc";
    auto const pub = run_command("GDAL_HTTP_TIMEOUT=30 ogrinfo -ro -q " + url);
    auto const keyed =
        run_command("GDAL_HTTP_TIMEOUT=30 GDAL_HTTP_HEADERS='Authorization: Bearer partner-secret' ogrinfo -ro -so " +
                    url + " sites");
    INFO(pub.out);
    INFO(keyed.out);
    CHECK(pub.exit_code == 0);
    CHECK_FALSE(contains(pub.out, "sites"));
    REQUIRE(keyed.exit_code == 0);
    CHECK(contains(keyed.out, "Layer name: sites"));
    CHECK(contains(keyed.out, "Feature Count:"));
}

TEST_CASE("access: keys never reach the access log", "[server][access]")
{
    ScratchDir dir("access-log");
    write_text(dir / "config.json", kAccessConfig);
    {
        ServeProcess proc({"--config", (dir / "config.json").string(), "--log-level", "info"},
                          (dir / "stderr.log").string());
        HttpClient client(proc.port());
        CHECK(client.get("/ogc/collections/sites/items?f=json&limit=1&key=partner-secret").status == 200);
        CHECK(client.get("/healthz?KEY=not-a-key").status == 401);
        CHECK(client.get("/healthz", kPartner).status == 200);
        proc.signal(SIGTERM);
        CHECK(proc.wait(std::chrono::seconds(20)) == 0);
    }
    auto const log = read_bytes(dir / "stderr.log");
    INFO(log);
    CHECK(contains(log, "/ogc/collections/sites/items"));
    CHECK(contains(log, "key=REDACTED"));
    CHECK_FALSE(contains(log, "partner-secret"));
    CHECK_FALSE(contains(log, "not-a-key"));
}
