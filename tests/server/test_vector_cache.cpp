// Vector tiles cached like raster tiles (issue 15 item 4): over real HTTP on
// loopback, a repeated request is answered from the tile cache (the cache
// counters of /metrics say so), revalidates with its ETag, and every query
// variant and access view has an entry of its own.
#include "client.hpp"
#include "sahelmap/server/http.hpp"
#include "sahelmap/vector/mvt.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <set>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

struct CacheCounts {
    double hits = 0;
    double misses = 0;
};

CacheCounts cache_counts(HttpClient& client)
{
    auto const metrics = client.get("/metrics").body;
    return {metric_value(metrics, "sahelmap_tile_cache_hits_total"),
            metric_value(metrics, "sahelmap_tile_cache_misses_total")};
}

/// Requests `target` and says whether the answer came from the cache; the
/// counters move by exactly one either way.
struct Fetched {
    HttpResult result;
    bool hit = false;
};

Fetched fetch(HttpClient& client, std::string const& target, Headers const& headers = {})
{
    auto const before = cache_counts(client);
    Fetched out{client.get(target, headers), false};
    auto const after = cache_counts(client);
    CHECK(after.hits + after.misses == before.hits + before.misses + 1);
    out.hit = after.hits == before.hits + 1;
    return out;
}

bool contains(std::string const& haystack, std::string const& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// SHA-256 of "partner-secret" (sha256sum), as in test_access.cpp.
constexpr char const* kAccessConfig = R"({
  "access": {
    "keys": {"partner": "sha256:25386993910f585ef9789d1de56b13c385f18751de51daf6050d20bd4fd65623"},
    "layers": {"sites": ["partner"]}
  }
})";

} // namespace

TEST_CASE("vector cache: a repeated tile is a cache hit with the same bytes and ETag", "[server][vector][cache]")
{
    InProcessServer server; // counters of its own
    HttpClient client(server.port());
    std::string const target = "/tiles/vector/6/30/29.mvt?time=2024-06-01";

    auto const first = fetch(client, target);
    REQUIRE(first.result.status == 200);
    CHECK_FALSE(first.hit);
    CHECK(first.result.header("content-type") == "application/vnd.mapbox-vector-tile");
    auto const second = fetch(client, target);
    REQUIRE(second.result.status == 200);
    CHECK(second.hit);
    CHECK(second.result.body == first.result.body);
    CHECK(second.result.header("etag") == first.result.header("etag"));
    CHECK(second.result.header("cache-control") == "public, max-age=3600");
    CHECK(second.result.header("vary") == "Accept-Encoding");
    CHECK(second.result.header("content-length") == std::to_string(first.result.body.size()));

    // The cached bytes are those a fresh encode makes.
    auto const tile = *TileId::make(6, 30, 29);
    CHECK(first.result.body == vector::encode_tile(default_service().data(), tile, *Date::parse("2024-06-01")));

    // Revalidation: 304 with the ETag and no body, without touching the cache.
    auto const before = cache_counts(client);
    auto const revalidated = client.get(target, {{"If-None-Match", first.result.header("etag")}});
    auto const after = cache_counts(client);
    CHECK(revalidated.status == 304);
    CHECK(revalidated.header("etag") == first.result.header("etag"));
    CHECK(revalidated.body.empty());
    CHECK(after.hits == before.hits);
    CHECK(after.misses == before.misses);
    // HEAD of a cached tile: the headers of the GET, no body.
    auto const head = client.request("HEAD", target);
    CHECK(head.status == 200);
    CHECK(head.header("etag") == first.result.header("etag"));
    CHECK(head.body.empty());
}

TEST_CASE("vector cache: every query variant has its own entry and ETag", "[server][vector][cache]")
{
    InProcessServer server;
    HttpClient client(server.port());
    std::string const base = "/tiles/vector/5/15/14.mvt";
    // Each a different tile: none may be served from another's entry.
    std::vector<std::pair<std::string, Headers>> const variants = {
        {base + "?time=2025-06-01", {}},          {base + "?time=2016-01-01", {}}, // another data epoch
        {base + "?time=2025-06-01&labels=1", {}}, {base + "?time=2025-06-01&ended=1", {}},
        {base + "?time=2025-06-01&fields=1", {}}, {base + "?time=2025-06-01", {{"Accept-Encoding", "gzip"}}},
    };
    std::vector<HttpResult> firsts;
    std::set<std::string> etags;
    for (auto const& [target, headers] : variants) {
        CAPTURE(target, headers.size());
        auto const first = fetch(client, target, headers);
        REQUIRE(first.result.status == 200);
        CHECK_FALSE(first.hit);
        etags.insert(first.result.header("etag"));
        firsts.push_back(first.result);
    }
    CHECK(etags.size() == variants.size());
    for (std::size_t i = 0; i < variants.size(); ++i) {
        CAPTURE(variants[i].first, variants[i].second.size());
        auto const again = fetch(client, variants[i].first, variants[i].second);
        CHECK(again.hit);
        CHECK(again.result.body == firsts[i].body);
        CHECK(again.result.header("etag") == firsts[i].header("etag"));
        CHECK(again.result.header("content-encoding") == firsts[i].header("content-encoding"));
    }
    // What the variants hold: label points, ghosts of ended features, the
    // influence field, and the same tile gzipped.
    CHECK(contains(firsts[2].body, std::string("regions") + vector::kLabelLayerSuffix));
    CHECK_FALSE(contains(firsts[0].body, std::string("regions") + vector::kLabelLayerSuffix));
    CHECK(contains(firsts[3].body, vector::kEndedAttribute));
    CHECK(contains(firsts[4].body, vector::kFieldLayer));
    CHECK(firsts[5].header("content-encoding") == "gzip");
    CHECK(server::gunzip(firsts[5].body) == firsts[0].body);
    CHECK(firsts[1].body != firsts[0].body);

    // Another date in the same data epoch shares the entry.
    auto const& data = default_service().data();
    auto const a = *Date::parse("2025-06-01");
    auto const b = *Date::parse("2025-06-02");
    REQUIRE(data.epoch_of(a) == data.epoch_of(b)); // else the check below would test nothing
    CHECK(fetch(client, base + "?time=2025-06-02").hit);
}

TEST_CASE("vector cache: OGC API tiles are the XYZ tiles' entries, a collection's tile one of its own",
          "[server][vector][cache][ogc]")
{
    InProcessServer server;
    HttpClient client(server.port());
    // {tileMatrix}/{tileRow}/{tileCol}: the XYZ tile 6/30/29.
    std::string const xyz = "/tiles/vector/6/30/29.mvt?time=2024-06-01";
    std::string const dataset = "/ogc/tiles/WebMercatorQuad/6/29/30?time=2024-06-01";
    std::string const sites = "/ogc/collections/sites/tiles/WebMercatorQuad/6/29/30?time=2024-06-01";

    auto const whole = fetch(client, xyz);
    REQUIRE(whole.result.status == 200);
    CHECK_FALSE(whole.hit);
    auto const same = fetch(client, dataset);
    REQUIRE(same.result.status == 200);
    CHECK(same.hit);
    CHECK(same.result.body == whole.result.body);
    CHECK(same.result.header("etag") == whole.result.header("etag"));

    // The collection's tile: the sites layer alone, cached and revalidated like the rest.
    auto const first = fetch(client, sites);
    REQUIRE(first.result.status == 200);
    CHECK_FALSE(first.hit);
    CHECK(first.result.header("content-type") == "application/vnd.mapbox-vector-tile");
    CHECK(first.result.header("etag") != whole.result.header("etag"));
    CHECK(contains(first.result.body, "sites"));
    CHECK_FALSE(contains(first.result.body, "countries"));
    CHECK(contains(whole.result.body, "countries"));
    auto const again = fetch(client, sites);
    CHECK(again.hit);
    CHECK(again.result.body == first.result.body);
    auto const revalidated = client.get(sites, {{"If-None-Match", first.result.header("etag")}});
    CHECK(revalidated.status == 304);
    CHECK(revalidated.body.empty());
}

TEST_CASE("vector cache: the public view and a key's view never share an entry", "[server][vector][cache][access]")
{
    ScratchDir dir("vector-cache-access");
    write_text(dir / "config.json", kAccessConfig);
    auto options = InProcessServer::test_options();
    options.config_file = dir / "config.json";
    InProcessServer server(options);
    HttpClient client(server.port());
    Headers const partner = {{"Authorization", "Bearer partner-secret"}};
    std::string const target = "/tiles/vector/6/30/29.mvt";

    auto const pub = fetch(client, target);
    REQUIRE(pub.result.status == 200);
    CHECK_FALSE(pub.hit);
    CHECK_FALSE(contains(pub.result.body, "sites"));
    // The keyed tile is not the public entry, though the URL is the same.
    auto const keyed = fetch(client, target, partner);
    REQUIRE(keyed.result.status == 200);
    CHECK_FALSE(keyed.hit);
    CHECK(contains(keyed.result.body, "sites"));
    CHECK(contains(keyed.result.header("cache-control"), "private"));
    CHECK(keyed.result.header("etag") != pub.result.header("etag"));
    // The key as a query parameter is the same view, so the same entry.
    auto const keyed_param = fetch(client, target + "?key=partner-secret");
    CHECK(keyed_param.hit);
    CHECK(keyed_param.result.body == keyed.result.body);
    // Back without a key: the public entry, never the keyed bytes.
    auto const pub_again = fetch(client, target);
    CHECK(pub_again.hit);
    CHECK(pub_again.result.body == pub.result.body);
    CHECK(contains(pub_again.result.header("vary"), "Authorization"));
    CHECK(contains(pub_again.result.header("cache-control"), "public"));
    // A public ETag does not revalidate the keyed tile.
    auto const cross = client.get(target, {partner[0], {"If-None-Match", pub.result.header("etag")}});
    CHECK(cross.status == 200);
    CHECK(cross.body == keyed.result.body);
}
