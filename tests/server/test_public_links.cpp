// Absolute links behind a reverse proxy (--public-url, --trusted-proxy) and
// what a client may not do to them or to /static/: over real HTTP on loopback.
#include "client.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

server::ServerOptions trusting(std::vector<std::string> proxies)
{
    auto options = InProcessServer::test_options();
    options.trusted_proxies = std::move(proxies);
    return options;
}

Headers const kProxied = {
    {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "maps.example.org"}, {"X-Forwarded-Prefix", "/base"}};

std::string tile_url(HttpResult const& tilejson)
{
    REQUIRE(tilejson.status == 200);
    return nlohmann::json::parse(tilejson.body)["tiles"][0].get<std::string>();
}

/// Every href of an OGC API document.
std::vector<std::string> hrefs(std::string const& body)
{
    std::vector<std::string> out;
    auto const doc = nlohmann::json::parse(body); // kept: a range-for over a temporary's member dangles
    for (auto const& l : doc["links"]) out.push_back(l["href"].get<std::string>());
    return out;
}

} // namespace

TEST_CASE("server: a trusted proxy's forwarded headers are the base of the links", "[server][proxy]")
{
    InProcessServer server(trusting({"10.0.0.0/8", "127.0.0.1"}));
    HttpClient client(server.port());
    CHECK(tile_url(client.get("/tiles/default.json", kProxied))
              .rfind("https://maps.example.org/base/tiles/default/", 0) == 0);
    CHECK(
        tile_url(client.get("/tiles/vector.json", kProxied)).rfind("https://maps.example.org/base/tiles/vector/", 0) ==
        0);
    auto const style = client.get("/styles/default.json", kProxied);
    REQUIRE(style.status == 200);
    CHECK(style.body.find("https://maps.example.org/base/tiles/vector.json") != std::string::npos);
    for (auto const* path : {"/wms?SERVICE=WMS&REQUEST=GetCapabilities", "/wmts/1.0.0/WMTSCapabilities.xml"}) {
        auto const res = client.get(path, kProxied);
        INFO(path);
        REQUIRE(res.status == 200);
        CHECK(res.body.find("https://maps.example.org/base/") != std::string::npos);
        CHECK(res.body.find("http://127.0.0.1") == std::string::npos);
    }
    auto const landing = client.get("/ogc?f=json", kProxied);
    REQUIRE(landing.status == 200);
    for (auto const& href : hrefs(landing.body)) CHECK(href.rfind("https://maps.example.org/base/ogc", 0) == 0);
    // Built from headers a client can set: never for a shared cache.
    CHECK(landing.header("cache-control").rfind("private", 0) == 0);
    CHECK(client.get("/tiles/default.json", kProxied).header("cache-control").rfind("private", 0) == 0);

    // RFC 7239 Forwarded: the element the nearest proxy added (the last) counts.
    Headers const forwarded = {{"Forwarded", "for=192.0.2.1;proto=http;host=old.example, for=192.0.2.60;"
                                             "proto=https;host=\"maps.example.org\""}};
    CHECK(tile_url(client.get("/tiles/default.json", forwarded)).rfind("https://maps.example.org/tiles/default/", 0) ==
          0);
    // Odd values are dropped, not written into links.
    Headers const odd = {{"X-Forwarded-Proto", "javascript"},
                         {"X-Forwarded-Host", "evil.example/<script>"},
                         {"X-Forwarded-Prefix", "/../x"}};
    CHECK(tile_url(client.get("/tiles/default.json", odd)).rfind("http://127.0.0.1/tiles/default/", 0) == 0);
}

TEST_CASE("server: forwarded headers from an untrusted peer are ignored", "[server][proxy]")
{
    for (auto const& proxies : {std::vector<std::string>{}, std::vector<std::string>{"10.0.0.1", "::1"}}) {
        InProcessServer server(trusting(proxies));
        HttpClient client(server.port());
        INFO(proxies.size());
        auto const url = tile_url(client.get("/tiles/default.json", kProxied));
        CHECK(url.rfind("http://127.0.0.1/tiles/default/", 0) == 0);
        CHECK(url.find("maps.example.org") == std::string::npos);
        auto const forwarded =
            tile_url(client.get("/tiles/default.json", {{"Forwarded", "proto=https;host=maps.example.org"}}));
        CHECK(forwarded.rfind("http://127.0.0.1/tiles/default/", 0) == 0);
    }
}

TEST_CASE("server: --public-url wins over a trusted proxy's headers", "[server][proxy]")
{
    auto options = trusting({"127.0.0.0/8"});
    options.public_url = "https://tiles.example.net/m";
    InProcessServer server(std::move(options));
    HttpClient client(server.port());
    auto const res = client.get("/tiles/default.json", kProxied);
    CHECK(tile_url(res).rfind("https://tiles.example.net/m/tiles/default/", 0) == 0);
    CHECK(res.header("cache-control").rfind("public", 0) == 0); // nothing of the client's in it
}

TEST_CASE("server: a client's Host is never reflected into a publicly cacheable answer", "[server][proxy]")
{
    InProcessServer server;
    HttpClient client(server.port());
    Headers const evil = {{"Host", "evil.example"}};
    for (auto const* path : {"/tiles/default.json", "/tiles/vector.json", "/styles/default.json", "/ogc?f=json",
                             "/ogc/collections/sites/items?limit=2", "/wms?SERVICE=WMS&REQUEST=GetCapabilities",
                             "/wmts/1.0.0/WMTSCapabilities.xml"}) {
        INFO(path);
        auto const res = client.get(path, evil);
        REQUIRE(res.status == 200);
        if (res.body.find("evil.example") != std::string::npos)
            CHECK(res.header("cache-control").rfind("private", 0) == 0);
        CHECK(res.header("cache-control").rfind("public", 0) != 0);
    }
    // The server's own address is no client's choice: those answers stay public.
    auto const own = client.get("/tiles/default.json", {{"Host", server.server().url().substr(7)}});
    CHECK(own.header("cache-control").rfind("public", 0) == 0);
    // Tiles carry no links: public whatever the Host.
    CHECK(client.get("/tiles/default/3/4/3.png", evil).header("cache-control").rfind("public", 0) == 0);
}

TEST_CASE("server: /static/ serves the viewer's files and no npm test package or manifest", "[server][web]")
{
    InProcessServer server;
    HttpClient client(server.port());
    for (auto const* path : {"/static/app.js", "/static/app.css", "/static/vector.html"})
        CHECK(client.get(path).status == 200);
    // What the pages load (web/index.html, web/vector.html) when the packages are installed.
    auto const& root = InProcessServer::test_options().web_root;
    if (std::filesystem::exists(root / "node_modules/leaflet/dist/leaflet.js")) {
        CHECK(client.get("/static/node_modules/leaflet/dist/leaflet.js").status == 200);
        CHECK(client.get("/static/node_modules/leaflet/dist/leaflet.css").status == 200);
        CHECK(client.get("/static/node_modules/leaflet/dist/images/layers.png").status == 200);
    }
    if (std::filesystem::exists(root / "node_modules/maplibre-gl/dist/maplibre-gl.js")) {
        CHECK(client.get("/static/node_modules/maplibre-gl/dist/maplibre-gl.js").status == 200);
        CHECK(client.get("/static/node_modules/maplibre-gl/dist/maplibre-gl.css").status == 200);
    }
    for (auto const* path :
         {"/static/package.json", "/static/package-lock.json", "/static/node_modules/leaflet/package.json",
          "/static/node_modules/maplibre-gl/package.json", "/static/node_modules/playwright-core/package.json",
          "/static/node_modules/playwright-core/index.js", "/static/node_modules/ajv/dist/ajv.js",
          "/static/node_modules/.package-lock.json", "/static/node_modules/leaflet/dist/../package.json"}) {
        INFO(path);
        CHECK(client.get(path).status == 404);
    }
}

TEST_CASE("cli: serve --trusted-proxy is wired and refuses what is not an address or a network", "[server][proxy]")
{
    auto const bad = run_command(std::string(SAHELMAP_BINARY) + " serve --port 0 --trusted-proxy 10.0.0.1,10.0.0.0/33");
    CHECK(bad.exit_code == 2);
    CHECK(bad.out.find("--trusted-proxy '10.0.0.0/33'") != std::string::npos);

    ScratchDir dir("trusted-proxy");
    ServeProcess serve({"--trusted-proxy", "10.1.2.3,127.0.0.0/8"}, (dir / "stderr.txt").string());
    auto const url = tile_url(http_get(serve.port(), "/tiles/default.json", kProxied));
    CHECK(url.rfind("https://maps.example.org/base/tiles/default/", 0) == 0);
}
