// `sahelmap serve` as its own process: signals, exit code, printed port.
#include "client.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace sahelmap;
using namespace sahelmap::test;
using namespace std::chrono_literals;

TEST_CASE("server: SIGTERM lets the request in flight finish and exits 0", "[server]")
{
    ScratchDir dir("server-sigterm");
    ServeProcess proc({"--render-delay-ms", "1000", "--log-level", "info"}, (dir / "stderr.log").string());
    REQUIRE(http_get(proc.port(), "/healthz").status == 200);

    HttpResult result;
    std::thread client([&] { result = http_get(proc.port(), "/tiles/default/4/7/7.png?time=2025-01-01"); });
    // The cold tile's miss is counted as its render (1 s) is queued: the request is in flight.
    REQUIRE(wait_for_metric(proc.port(), "sahelmap_tile_cache_misses_total", 1, 30s));
    proc.signal(SIGTERM);
    client.join();
    CHECK(result.status == 200);
    CHECK(result.header("content-type") == "image/png");
    CHECK(proc.wait(60s) == 0);
    auto const log = read_bytes(dir / "stderr.log");
    INFO(log);
    CHECK(log.find("SIGTERM") != std::string::npos);
    CHECK(log.find("GET /tiles/default/4/7/7.png?time=2025-01-01 200") != std::string::npos);
    CHECK_THROWS(http_get(proc.port(), "/healthz"));
}

TEST_CASE("server: SIGHUP reloads a changed style without dropping connections", "[server]")
{
    ScratchDir dir("server-sighup");
    auto const style = read_bytes(std::string(SAHELMAP_SOURCE_DIR) + "/styles/default.json");
    write_text(dir / "mine.json", style);
    write_text(dir / "config.json", R"({"styles": {"mine": "mine.json"}})");
    ServeProcess proc({"--config", (dir / "config.json").string()}, (dir / "stderr.log").string());
    HttpClient client(proc.port());
    auto const before = client.get("/tiles/mine/4/7/7.png?time=2025-01-01");
    REQUIRE(before.status == 200);

    auto changed = style;
    changed.replace(changed.find("#cbdde6"), 7, "#0a0b0c");
    write_text(dir / "mine.json", changed);
    proc.signal(SIGHUP);
    std::string etag = before.header("etag");
    auto const deadline = std::chrono::steady_clock::now() + 60s;
    while (etag == before.header("etag") && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
        etag = client.get("/tiles/mine/4/7/7.png?time=2025-01-01").header("etag"); // same connection throughout
    }
    CHECK(etag != before.header("etag"));

    proc.signal(SIGINT);
    CHECK(proc.wait(60s) == 0);
    auto const log = read_bytes(dir / "stderr.log");
    INFO(log);
    CHECK(log.find("reloaded: now version 2") != std::string::npos);
}

TEST_CASE("server: serve refuses a bad command line or config with one sentence", "[server]")
{
    ScratchDir dir("server-cli");
    struct Case {
        std::string args;
        int exit_code;
        std::string says;
    };
    Case const cases[] = {
        {"serve --port 70000", 2, "--port '70000'"},
        {"serve --threads 0", 2, "--threads '0'"},
        {"serve --log-level loud", 2, "--log-level 'loud'"},
        {"serve --read-timeout -1", 2, "--read-timeout '-1'"},
        {"serve --bind not-an-ip --port 0", 2, "--bind 'not-an-ip'"},
        {"serve --config " + (dir / "missing.json").string() + " --port 0", 1, "missing.json"},
        {"serve extra", 2, "takes no arguments"},
    };
    for (auto const& c : cases) {
        INFO(c.args);
        auto r = run_command(std::string(SAHELMAP_BINARY) + " " + c.args);
        INFO(r.out);
        CHECK(r.exit_code == c.exit_code);
        CHECK(r.out.find(c.says) != std::string::npos);
    }
    auto help = run_command(std::string(SAHELMAP_BINARY) + " serve --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--render-threads") != std::string::npos);
}

TEST_CASE("server: readyz answers 503 while draining after SIGTERM and healthz stays 200", "[server]")
{
    ScratchDir dir("server-readyz");
    ServeProcess proc({"--drain-delay", "5", "--log-level", "info"}, (dir / "stderr.log").string());
    auto const ready = http_get(proc.port(), "/readyz");
    REQUIRE(ready.status == 200);
    CHECK(ready.header("cache-control") == "no-store");
    CHECK(ready.body.rfind("ready", 0) == 0);

    proc.signal(SIGTERM);
    // The signal is handled on the server's own thread: poll (bounded) for the switch.
    HttpResult during;
    auto const deadline = std::chrono::steady_clock::now() + 2s;
    do {
        during = http_get(proc.port(), "/readyz"); // a new connection: still accepted while draining
    } while (during.status == 200 && std::chrono::steady_clock::now() < deadline);
    CHECK(during.status == 503);
    CHECK(during.body.find("draining") != std::string::npos);
    // Draining is not dying: liveness and tiles are still answered.
    CHECK(http_get(proc.port(), "/healthz").status == 200);
    CHECK(http_get(proc.port(), "/tiles/default/2/1/1.png?time=2025-01-01").status == 200);
    auto const metrics = http_get(proc.port(), "/metrics").body;
    CHECK(metrics.find("route=\"readyz\",status=\"503\"") != std::string::npos);

    CHECK(proc.wait(60s) == 0); // stops by itself once the delay is over
    auto const log = read_bytes(dir / "stderr.log");
    INFO(log);
    CHECK(log.find("draining") != std::string::npos);
    CHECK_THROWS(http_get(proc.port(), "/readyz"));
}
