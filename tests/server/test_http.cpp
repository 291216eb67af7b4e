// Pieces of the server that need no router: header negotiation, the tile
// cache and the metrics text.
#include "sahelmap/core/error.hpp"
#include "sahelmap/server/http.hpp"
#include "sahelmap/server/metrics.hpp"
#include "sahelmap/server/tile_cache.hpp"
#include "client.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap::server;

TEST_CASE("server: Accept-Encoding admits gzip only when it says so", "[server]")
{
    struct Case {
        char const* header;
        bool gzip;
    };
    Case const cases[] = {
        {"", false},
        {"gzip", true},
        {"GZIP", true},
        {"deflate, gzip;q=0.5", true},
        {"gzip;q=0", false},
        {"gzip; q=0.0, br", false},
        {"br", false},
        {"*", true},
        {"*;q=0", false},
        {"gzip;q=0, *", false},
        {"x-gzip", false},
        {"gzip;q=abc", false},
    };
    for (auto const& c : cases) {
        INFO(c.header);
        CHECK(accepts_gzip(c.header) == c.gzip);
    }
}

TEST_CASE("server: gzip round-trips and ETags match If-None-Match lists", "[server]")
{
    std::string text(10000, 'a');
    for (std::size_t i = 0; i < text.size(); i += 7) text[i] = static_cast<char>('a' + i % 26);
    auto const packed = gzip(text);
    CHECK(packed.size() < text.size());
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f); // gzip magic
    CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
    CHECK(gunzip(packed) == text);
    CHECK(gunzip(gzip("")).empty());
    CHECK_THROWS_AS(gunzip("not gzip at all"), sahelmap::DataError);

    auto const tag = make_etag(0x0123456789abcdefULL);
    CHECK(tag == "\"0123456789abcdef\"");
    CHECK(make_etag(1, true) == "\"0000000000000001-gz\"");
    CHECK(etag_matches(tag, tag));
    CHECK(etag_matches("\"x\", " + tag, tag));
    CHECK(etag_matches("W/" + tag, tag));
    CHECK(etag_matches("*", tag));
    CHECK_FALSE(etag_matches("", tag));
    CHECK_FALSE(etag_matches("\"0123456789abcdee\"", tag));
    CHECK_FALSE(etag_matches("0123456789abcdef", tag)); // unquoted is not the same tag
}

TEST_CASE("server: tile cache is bounded in bytes, LRU, and forgets old versions", "[server]")
{
    auto bytes = [](std::size_t n) { return std::make_shared<std::string const>(n, 'x'); };
    auto key = [](std::uint64_t version, std::uint32_t x) { return TileKey{version, "default", 5, x, 3, 1, 2}; };
    TileCache cache(10000);
    cache.insert(key(1, 1), bytes(3000));
    cache.insert(key(1, 2), bytes(3000));
    cache.insert(key(1, 3), bytes(3000));
    CHECK(cache.size() == 3);
    CHECK(cache.bytes() <= cache.max_bytes());
    REQUIRE(cache.find(key(1, 1))); // now the most recently used
    cache.insert(key(1, 4), bytes(3000));
    CHECK(cache.find(key(1, 1)));
    CHECK_FALSE(cache.find(key(1, 2))); // least recently used went first
    CHECK(cache.find(key(1, 4)));
    CHECK(cache.bytes() <= cache.max_bytes());

    // Every part of the key tells entries apart.
    CHECK_FALSE(cache.find(TileKey{1, "default", 5, 1, 3, 2, 2}));
    CHECK_FALSE(cache.find(TileKey{1, "default", 5, 1, 3, 1, 3}));
    CHECK_FALSE(cache.find(TileKey{1, "overlay", 5, 1, 3, 1, 2}));
    CHECK_FALSE(cache.find(key(2, 1)));

    // Too big for the whole cache: not stored, nothing evicted.
    cache.insert(key(1, 9), bytes(20000));
    CHECK_FALSE(cache.find(key(1, 9)));
    CHECK(cache.find(key(1, 4)));

    cache.insert(key(2, 1), bytes(100));
    cache.drop_before(2);
    CHECK_FALSE(cache.find(key(1, 1)));
    CHECK(cache.find(key(2, 1)));
    cache.insert(key(1, 5), bytes(100)); // a render that outlived the reload
    CHECK_FALSE(cache.find(key(1, 5)));
    CHECK(cache.size() == 1);

    TileCache none(0);
    none.insert(key(1, 1), bytes(10));
    CHECK_FALSE(none.find(key(1, 1)));
    CHECK(none.bytes() == 0);
}

TEST_CASE("server: metrics text has the Prometheus series", "[server]")
{
    Metrics m;
    m.request(Route::tiles, 200, 0.003);
    m.request(Route::tiles, 200, 0.2);
    m.request(Route::tiles, 404, 0.0001);
    m.request(Route::healthz, 200, 0.0001);
    m.cache_hit();
    m.cache_miss();
    m.cache_miss();
    m.render(0.05);
    auto const text = m.text(12345);
    using sahelmap::test::metric_value;
    CHECK(text.find("sahelmap_http_requests_total{route=\"tiles\",status=\"200\"} 2\n") != std::string::npos);
    CHECK(text.find("sahelmap_http_requests_total{route=\"tiles\",status=\"404\"} 1\n") != std::string::npos);
    CHECK(text.find("# TYPE sahelmap_http_request_duration_seconds histogram") != std::string::npos);
    CHECK(text.find("sahelmap_http_request_duration_seconds_bucket{route=\"tiles\",le=\"0.005\"} 2\n") !=
          std::string::npos);
    CHECK(text.find("sahelmap_http_request_duration_seconds_bucket{route=\"tiles\",le=\"+Inf\"} 3\n") !=
          std::string::npos);
    CHECK(text.find("sahelmap_http_request_duration_seconds_count{route=\"tiles\"} 3\n") != std::string::npos);
    CHECK(metric_value(text, "sahelmap_tile_cache_hits_total") == 1);
    CHECK(metric_value(text, "sahelmap_tile_cache_misses_total") == 2);
    CHECK(metric_value(text, "sahelmap_tile_cache_bytes") == 12345);
    CHECK(metric_value(text, "sahelmap_tile_renders_total") == 1);
    CHECK(metric_value(text, "sahelmap_tile_render_seconds_count") == 1);
    CHECK(metric_value(text, "sahelmap_tile_render_seconds_sum") == Approx(0.05));
    CHECK(m.requests(Route::tiles, 200) == 2);
}
