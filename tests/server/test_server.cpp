// The server over real HTTP on 127.0.0.1, running in this process.
#include "client.hpp"
#include "sahelmap/server/http.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>

using namespace sahelmap;
using namespace sahelmap::test;
using namespace std::chrono_literals;

namespace {

InProcessServer& shared_server()
{
    // One server for the tests that do not need options of their own.
    static InProcessServer server;
    return server;
}

std::string default_style_text() { return read_bytes(std::string(SAHELMAP_SOURCE_DIR) + "/styles/default.json"); }

std::string replace_all(std::string text, std::string const& from, std::string const& to)
{
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
    return text;
}

} // namespace

TEST_CASE("server: statuses, content types and headers over HTTP", "[server]")
{
    auto const port = shared_server().port();
    HttpClient client(port); // one keep-alive connection for all of these

    auto r = client.get("/healthz");
    CHECK(r.status == 200);
    CHECK(r.body == "ok\n");
    CHECK(r.header("access-control-allow-origin") == "*");

    r = client.get("/styles");
    CHECK(r.status == 200);
    CHECK(r.header("content-type") == "application/json");
    CHECK(nlohmann::json::parse(r.body).size() == 4);

    r = client.get("/styles/overlay.json?source=raw", {{"Accept-Encoding", "gzip"}});
    CHECK(r.status == 200);
    CHECK(r.header("content-encoding") == "gzip");
    CHECK(r.header("vary") == "Accept-Encoding");
    CHECK(server::gunzip(r.body) == default_service().renderer("overlay").style().json());

    r = client.get("/tiles/default.json");
    CHECK(r.status == 200);
    CHECK(nlohmann::json::parse(r.body)["tiles"][0] == "http://127.0.0.1/tiles/default/{z}/{x}/{y}.png");

    r = client.get("/tiles/default/3/3/3.png?time=2025-06-01");
    CHECK(r.status == 200);
    CHECK(r.header("content-type") == "image/png");
    CHECK(r.header("cache-control") == "public, max-age=3600");
    CHECK(r.header("access-control-allow-origin") == "*");
    CHECK(r.header("etag").size() == 18);
    CHECK(r.header("content-length") == std::to_string(r.body.size()));

    r = client.request("OPTIONS", "/tiles/default/3/3/3.png");
    CHECK(r.status == 204);
    CHECK(r.header("access-control-allow-methods") == "GET, HEAD, OPTIONS");

    r = client.get("/metrics");
    CHECK(r.status == 200);
    CHECK(r.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(r.body.find("sahelmap_http_requests_total{route=\"healthz\",status=\"200\"}") != std::string::npos);
    CHECK(r.body.find("sahelmap_tile_render_seconds_bucket") != std::string::npos);
    CHECK(metric_value(r.body, "sahelmap_tile_cache_bytes") > 0);
}

TEST_CASE("server: every kind of answer is finished once by the session, GET and HEAD alike", "[server]")
{
    // One of each path to the write: a router response, a raster tile job,
    // a vector tile job, a work job, an error from the router and a 304.
    auto const port = shared_server().port();
    HttpClient client(port);
    std::string const map = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:3857"
                            "&BBOX=-2300000,1000000,1800000,3000000&WIDTH=64&HEIGHT=32&FORMAT=image/png";
    struct Case {
        std::string target;
        unsigned status;
    };
    Case const cases[] = {
        {"/healthz", 200},
        {"/tiles/default/2/1/1.png?time=2025-03-01", 200},
        {"/tiles/vector/4/7/7.mvt?time=2025-03-01", 200},
        {map, 200},
        {"/tiles/nope/2/1/1.png", 404},
    };
    for (auto const& c : cases) {
        INFO(c.target);
        auto const get = client.get(c.target);
        CHECK(get.status == c.status);
        CHECK(get.header("server") == "sahelmap");
        CHECK(get.header("access-control-allow-origin") == "*");
        CHECK_FALSE(get.body.empty());
        CHECK(get.header("content-length") == std::to_string(get.body.size()));
        auto const head = client.request("HEAD", c.target);
        CHECK(head.status == c.status);
        CHECK(head.header("server") == "sahelmap");
        CHECK(head.body.empty());
        CHECK(head.header("content-length") == get.header("content-length"));
        if (!get.header("etag").empty()) {
            auto const revalidated = client.get(c.target, {{"If-None-Match", get.header("etag")}});
            CHECK(revalidated.status == 304);
            CHECK(revalidated.header("server") == "sahelmap");
            CHECK_FALSE(revalidated.has("content-length"));
            CHECK(revalidated.body.empty());
        }
    }
    // Not HTTP at all: the answer made before any routing is finished too.
    RawSocket raw(port);
    REQUIRE(raw.send("\x16\x03\x01 not http\r\n\r\n"));
    auto const reply = raw.read_all(5s);
    CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(reply.find("\r\nServer: sahelmap\r\n") != std::string::npos);
    CHECK(reply.find("\r\nConnection: close\r\n") != std::string::npos);
}

TEST_CASE("server: tile bytes over HTTP are the bytes of MapService and the CLI", "[server]")
{
    auto const port = shared_server().port();
    auto r = http_get(port, "/tiles/default/5/15/14.png?time=2025-11-01");
    REQUIRE(r.status == 200);
    CHECK(r.body == default_service().tile_png("default", *TileId::make(5, 15, 14), 1, *Date::parse("2025-11-01")));

    r = http_get(port, "/tiles/overlay/6/31/29@2x.png?time=2024-03-10");
    REQUIRE(r.status == 200);
    ScratchDir dir("server-cli-bytes");
    auto cli = run_command(std::string(SAHELMAP_BINARY) + " tile 6 31 29 --style overlay --scale 2 --time 2024-03-10 -o " +
                           (dir / "t.png").string());
    REQUIRE(cli.exit_code == 0);
    CHECK(r.body == read_bytes(dir / "t.png"));

    // No time: the evidence cut-off, as the CLI does (not today, which would
    // pass for any map drawn after the last report).
    r = http_get(port, "/tiles/print/4/7/7.png");
    REQUIRE(r.status == 200);
    auto const& svc = default_service();
    auto const tile = *TileId::make(4, 7, 7);
    CHECK(r.body == svc.tile_png("print", tile, 1, svc.evidence_until()));
    // And the cut-off is a date whose map differs from an earlier one's, so the check can fail.
    CHECK(r.body != svc.tile_png("print", tile, 1, *Date::parse("2021-01-01")));
}

TEST_CASE("server: If-None-Match gives 304 and HEAD gives the headers alone", "[server]")
{
    auto const port = shared_server().port();
    HttpClient client(port);
    auto const first = client.get("/tiles/default/4/7/7.png?time=2025-01-01");
    REQUIRE(first.status == 200);
    auto const etag = first.header("etag");

    auto r = client.get("/tiles/default/4/7/7.png?time=2025-01-01", {{"If-None-Match", etag}});
    CHECK(r.status == 304);
    CHECK(r.body.empty());
    CHECK(r.header("etag") == etag);
    CHECK(r.header("cache-control") == "public, max-age=3600");

    r = client.get("/tiles/default/4/7/7.png?time=2025-01-01", {{"If-None-Match", "\"other\""}});
    CHECK(r.status == 200);

    r = client.request("HEAD", "/tiles/default/4/7/7.png?time=2025-01-01");
    CHECK(r.status == 200);
    CHECK(r.body.empty());
    CHECK(r.header("content-length") == std::to_string(first.body.size()));
    CHECK(r.header("etag") == etag);
    CHECK(r.header("content-type") == "image/png");

    r = client.request("HEAD", "/styles/nope.json");
    CHECK(r.status == 404);
    CHECK(r.body.empty());
    // The connection survived all of it.
    CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("server: pipelined requests are answered in order on one connection", "[server]")
{
    RawSocket s(shared_server().port());
    REQUIRE(s.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
                   "GET /styles/nope.json HTTP/1.1\r\nHost: a\r\n\r\n"
                   "GET /styles HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
    auto const all = s.read_all(10s);
    auto const a = all.find("HTTP/1.1 200");
    auto const b = all.find("HTTP/1.1 404");
    auto const c = all.find("HTTP/1.1 200", b == std::string::npos ? 0 : b);
    CHECK(a != std::string::npos);
    CHECK(b != std::string::npos);
    CHECK(c != std::string::npos);
    CHECK(a < b);
    CHECK(b < c);
    CHECK(all.find("[\"default\",\"overlay\",\"print\",\"influence\"]") != std::string::npos);
}

TEST_CASE("server: bad requests get their status and the server keeps serving", "[server]")
{
    auto const port = shared_server().port();
    struct Case {
        std::string method;
        std::string target;
        unsigned status;
    };
    Case const cases[] = {
        {"GET", "/tiles/default/x/1/1.png", 400},
        {"GET", "/tiles/default/3/-1/1.png", 400},
        {"GET", "/tiles/default/3/1/-2.png", 400},
        {"GET", "/tiles/default/21/0/0.png", 404},
        {"GET", "/tiles/default/3/8/0.png", 404},
        {"GET", "/tiles/default/3/0/8.png", 404},
        {"GET", "/tiles/unknown/3/0/0.png", 404},
        {"GET", "/tiles/default/3/0/0.png?time=2025-13-01", 400},
        {"GET", "/tiles/default/3/0/0@4x.png", 400},
        {"GET", "/styles/../../etc/passwd", 404},
        {"GET", "/styles/%2e%2e/%2e%2e/etc/passwd", 404},
        {"GET", "/styles/..%2F..%2Fetc%2Fpasswd.json", 404},
        {"GET", "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404},
        {"GET", "/" + std::string(3000, 'x'), 414},
        {"POST", "/tiles/default/3/0/0.png", 405},
        {"DELETE", "/styles", 405},
        {"BREW", "/healthz", 405},
    };
    for (auto const& c : cases) {
        INFO(c.method << " " << c.target.substr(0, 60));
        HttpClient client(port);
        auto r = client.request(c.method, c.target);
        CHECK(r.status == c.status);
        auto body = nlohmann::json::parse(r.body);
        CHECK(body["status"] == c.status);
        CHECK(r.header("access-control-allow-origin") == "*");
        if (c.status == 405) CHECK(r.header("allow") == "GET, HEAD, OPTIONS");
        CHECK(http_get(port, "/healthz").status == 200);
    }
}

TEST_CASE("server: hostile bytes close the connection and nothing else", "[server]")
{
    auto const port = shared_server().port();
    SECTION("garbage that is not HTTP")
    {
        RawSocket s(port);
        std::string garbage = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n";
        garbage += std::string(64, '\0');
        REQUIRE(s.send(garbage));
        auto const reply = s.read_all(5s);
        // Answered once with 400, then closed: silence would hide a crash or a hang.
        CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(s.closed_within(5s));
    }
    SECTION("a URL far beyond the header limit")
    {
        RawSocket s(port);
        s.send("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n");
        auto const reply = s.read_all(5s);
        CHECK(reply.rfind("HTTP/1.1 414", 0) == 0);
    }
    SECTION("oversized headers")
    {
        RawSocket s(port);
        std::string req = "GET /healthz HTTP/1.1\r\nHost: a\r\n";
        for (int i = 0; i < 100; ++i) req += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'b') + "\r\n";
        s.send(req + "\r\n");
        auto const reply = s.read_all(5s);
        CHECK(reply.rfind("HTTP/1.1 431", 0) == 0);
    }
    SECTION("a request with a body")
    {
        RawSocket s(port);
        s.send("GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        auto const reply = s.read_all(5s);
        CHECK(reply.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(reply.find("Connection: close") != std::string::npos);
    }
    SECTION("a slowloris client is dropped after the read timeout")
    {
        RawSocket s(port);
        auto const started = std::chrono::steady_clock::now();
        bool dropped = false;
        // One byte every 300 ms: the 800 ms read timeout cuts it off.
        for (char c : std::string("GET /healthz HTTP/1.1\r\nHost: slow\r\n")) {
            if (!s.send(std::string(1, c)) || s.closed_within(300ms)) {
                dropped = true;
                break;
            }
        }
        CHECK(dropped);
        CHECK(std::chrono::steady_clock::now() - started < 5s);
    }
    SECTION("an idle keep-alive connection is closed after the idle timeout")
    {
        RawSocket s(port);
        CHECK(s.closed_within(8s));
    }
    CHECK(http_get(port, "/healthz").status == 200);
}

TEST_CASE("server: concurrent requests for one cold tile render it once", "[server]")
{
    auto options = InProcessServer::test_options();
    options.render_delay = 300ms; // all 16 arrive while the first render is under way
    InProcessServer srv(options);
    constexpr int kClients = 16;
    std::vector<HttpResult> results(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back(
            [&, i] { results[static_cast<std::size_t>(i)] = http_get(srv.port(), "/tiles/default/6/31/29.png?time=2025-05-05"); });
    for (auto& t : threads) t.join();
    for (auto const& r : results) {
        CHECK(r.status == 200);
        CHECK(r.body == results[0].body);
    }
    CHECK(srv.server().renders() == 1);
    auto const metrics = http_get(srv.port(), "/metrics").body;
    CHECK(metric_value(metrics, "sahelmap_tile_renders_total") == 1);
    CHECK(metric_value(metrics, "sahelmap_tile_cache_hits_total") + metric_value(metrics, "sahelmap_tile_cache_misses_total") ==
          kClients);

    // A date in the same data epoch is the same tile: served from the cache.
    auto const& svc = default_service();
    auto const epoch = svc.data().epoch_of(*Date::parse("2025-05-05"));
    int same_epoch = 0;
    for (int d = -30; d <= 30 && same_epoch < 4; ++d) {
        auto const other = Date::from_days(Date::parse("2025-05-05")->days() + d);
        if (d == 0 || svc.data().epoch_of(other) != epoch) continue;
        INFO("time=" << other.to_string());
        CHECK(http_get(srv.port(), "/tiles/default/6/31/29.png?time=" + other.to_string()).status == 200);
        CHECK(srv.server().renders() == 1);
        ++same_epoch;
    }
    // The data must leave some neighbouring day in 2025-05-05's epoch, or nothing above was checked.
    CHECK(same_epoch > 0);
}

TEST_CASE("server: with no cache every request renders", "[server]")
{
    auto options = InProcessServer::test_options();
    options.cache_bytes = 0;
    InProcessServer srv(options);
    CHECK(http_get(srv.port(), "/tiles/default/2/1/1.png").status == 200);
    CHECK(http_get(srv.port(), "/tiles/default/2/1/1.png").status == 200);
    CHECK(srv.server().renders() == 2);
}

TEST_CASE("server: stop lets the request in flight finish", "[server]")
{
    auto options = InProcessServer::test_options();
    options.render_delay = 700ms;
    InProcessServer srv(options);
    HttpResult result;
    std::thread client([&] { result = http_get(srv.port(), "/tiles/default/3/3/3.png"); });
    // The cold tile's miss is counted as its render (700 ms) is queued: the request is in flight.
    REQUIRE(wait_for_metric(srv.port(), "sahelmap_tile_cache_misses_total", 1, 30s));
    srv.stop();
    client.join();
    CHECK(result.status == 200);
    CHECK(result.header("connection") == "close");
    CHECK_THROWS(http_get(srv.port(), "/healthz")); // no longer accepting
}

TEST_CASE("server: reload swaps the service, changes ETags, keeps connections", "[server]")
{
    ScratchDir dir("server-reload");
    write_text(dir / "mine.json", default_style_text());
    write_text(dir / "config.json", R"({"styles": {"mine": "mine.json"}})");
    auto options = InProcessServer::test_options();
    options.config_file = dir / "config.json";
    options.log_level = server::LogLevel::error;
    InProcessServer srv(options);
    HttpClient client(srv.port());

    auto const before = client.get("/tiles/mine/4/7/7.png?time=2025-01-01");
    REQUIRE(before.status == 200);
    CHECK(srv.server().version() == 1);

    // Nothing changed: same ETag even though the version moved on.
    REQUIRE(srv.server().reload());
    CHECK(srv.server().version() == 2);
    CHECK(client.get("/tiles/mine/4/7/7.png?time=2025-01-01").header("etag") == before.header("etag"));

    write_text(dir / "mine.json", replace_all(default_style_text(), "#cbdde6", "#123456"));
    REQUIRE(srv.server().reload());
    auto const after = client.get("/tiles/mine/4/7/7.png?time=2025-01-01");
    CHECK(after.status == 200);
    CHECK(after.header("etag") != before.header("etag"));
    CHECK(after.body != before.body);
    CHECK(client.get("/tiles/mine/4/7/7.png?time=2025-01-01", {{"If-None-Match", before.header("etag")}}).status == 200);

    // A broken style: the reload fails and the last good version keeps serving.
    write_text(dir / "mine.json", "{\"version\": 8, \"layers\": [");
    CHECK_FALSE(srv.server().reload());
    CHECK(srv.server().version() == 3);
    auto const still = client.get("/tiles/mine/4/7/7.png?time=2025-01-01");
    CHECK(still.status == 200);
    CHECK(still.header("etag") == after.header("etag"));
}

TEST_CASE("server: --watch reloads when a style file changes", "[server]")
{
    ScratchDir dir("server-watch");
    write_text(dir / "mine.json", default_style_text());
    write_text(dir / "config.json", R"({"styles": {"mine": "mine.json"}})");
    auto options = InProcessServer::test_options();
    options.config_file = dir / "config.json";
    options.watch = true;
    options.watch_interval = 100ms;
    options.log_level = server::LogLevel::error;
    InProcessServer srv(options);
    auto const before = http_get(srv.port(), "/tiles/mine/3/3/3.png").header("etag");

    // The server stamped the watched files in its constructor: a write now is a change.
    write_text(dir / "mine.json", replace_all(default_style_text(), "#cbdde6", "#654321"));
    // Make sure the mtime moves even on a coarse clock.
    std::filesystem::last_write_time(dir / "mine.json",
                                     std::filesystem::file_time_type::clock::now() + std::chrono::seconds(2));
    auto const deadline = std::chrono::steady_clock::now() + 30s;
    while (srv.server().version() == 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    CHECK(srv.server().version() == 2);
    CHECK(http_get(srv.port(), "/tiles/mine/3/3/3.png").header("etag") != before);
}

TEST_CASE("server: readyz follows the behind-peers hook and drain while healthz stays 200", "[server]")
{
    auto options = InProcessServer::test_options();
    options.drain_delay = 30s; // the test stops the server itself long before
    InProcessServer srv(options);
    HttpClient client(srv.port());
    CHECK(client.get("/readyz").status == 200);

    srv.server().set_behind_peers("data version 3, peers at 4");
    auto const behind = client.get("/readyz");
    CHECK(behind.status == 503);
    CHECK(behind.body.find("data version 3, peers at 4") != std::string::npos);
    CHECK(client.get("/healthz").status == 200);
    srv.server().set_behind_peers("");
    CHECK(client.get("/readyz").status == 200);

    srv.server().drain();
    unsigned status = 200;
    auto const deadline = std::chrono::steady_clock::now() + 5s;
    while (status == 200 && std::chrono::steady_clock::now() < deadline)
        status = http_get(srv.port(), "/readyz").status;
    CHECK(status == 503);
    CHECK(http_get(srv.port(), "/healthz").status == 200);
    CHECK(client.get("/styles").status == 200); // the keep-alive connection is still served
}
