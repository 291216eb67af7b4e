// RFC 9112 framing over raw sockets (absolute-form targets, Host, bare LF)
// and the one percent-decoder: paths decoded once, traversal still refused.
#include "client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sahelmap;
using namespace sahelmap::test;
using namespace std::chrono_literals;

namespace {

InProcessServer& framing_server()
{
    static InProcessServer server;
    return server;
}

/// The raw answer to `request` on a fresh connection (closed after it).
std::string exchange(std::string const& request)
{
    RawSocket s(framing_server().port());
    REQUIRE(s.send(request));
    return s.read_all(5s);
}

std::string body_of(std::string const& reply)
{
    auto const end = reply.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : reply.substr(end + 4);
}

} // namespace

TEST_CASE("server: absolute-form request targets are served as their path", "[server][http]")
{
    auto const direct = exchange("GET /tiles/default/3/4/3.png HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    REQUIRE(direct.rfind("HTTP/1.1 200", 0) == 0);
    auto const absolute =
        exchange("GET http://maps.example/tiles/default/3/4/3.png HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    CHECK(absolute.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(body_of(absolute) == body_of(direct));
    CHECK(exchange("GET HTTP://maps.example:8080/healthz?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
              .rfind("HTTP/1.1 200", 0) == 0);
    // The authority replaces the Host header (RFC 9112 §3.2.2): one Host needed, not two.
    CHECK(exchange("GET http://maps.example/healthz HTTP/1.1\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 200", 0) ==
          0);
    CHECK(exchange("GET ftp://maps.example/healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
              .rfind("HTTP/1.1 400", 0) == 0);
    CHECK(exchange("GET http://user@maps.example/healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
              .rfind("HTTP/1.1 400", 0) == 0);
}

TEST_CASE("server: a request without Host or with two is 400", "[server][http]")
{
    auto const none = exchange("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
    CHECK(none.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(none.find("no Host header") != std::string::npos);
    auto const two = exchange("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
    CHECK(two.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(two.find("2 Host headers") != std::string::npos);
    // HTTP/1.0 has no Host requirement; one Host is fine.
    CHECK(exchange("GET /healthz HTTP/1.0\r\n\r\n").find(" 200 ") != std::string::npos);
    CHECK(exchange("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("server: bare LF line ends are answered at once and never wait for the timeout", "[server][http]")
{
    auto options = InProcessServer::test_options();
    options.read_timeout = 20s; // an answer within read_all's 5 s cannot come from the timeout
    InProcessServer server(options);
    for (std::string const request : {"GET /healthz HTTP/1.1\nHost: a\n\n", "GET /healthz HTTP/1.1\r\nHost: a\n\r\n",
                                      "GET /healthz HTTP/1.1\nHost: a\r\n\r\n"}) {
        INFO(request);
        RawSocket s(server.port());
        REQUIRE(s.send(request));
        auto const reply = s.read_all(5s);
        CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(reply.find("bad line ending") != std::string::npos);
    }
}

TEST_CASE("server: path segments are percent-decoded once and traversal is still refused", "[server][http]")
{
    auto const port = framing_server().port();
    HttpClient client(port);
    auto sites = client.get("/ogc/collections/%73ites");
    REQUIRE(sites.status == 200);
    CHECK(nlohmann::json::parse(sites.body)["id"] == "sites");
    CHECK(client.get("/ogc/collections/%73ites/items?limit=1").status == 200);
    CHECK(client.get("/styles/%64efault.json").status == 200);
    CHECK(client.get("/tiles/default/3/4/%33.png").body == client.get("/tiles/default/3/4/3.png").body);
    CHECK(client.get("/wmts/1.0.0/%64efault/default/%7BTime%7D/WebMercatorQuad/3/3/4.png").status == 200);
    // Decoded once: %2573 is "%73", not "s".
    CHECK(client.get("/ogc/collections/%2573ites").status == 404);
    for (char const* target :
         {"/ogc/collections/%2e%2e/items", "/ogc/collections/sites%2Fitems", "/static/%2e%2e/index.html",
          "/static/..%2f..%2fREADME.md", "/styles/%2E%2E%2Fdefault.json", "/static/a%5C..%5C..%5Cx.js",
          "/static/index%00.html"}) {
        INFO(target);
        CHECK(client.get(target).status == 404);
    }
    // A malformed escape is the client's error.
    auto bad = client.get("/styles/%zzdefault.json");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("malformed percent escape") != std::string::npos);
    // Query values go through the same decoder: %2D is '-'.
    CHECK(client.get("/tiles/default/3/4/3.png?time=2025%2D01%2D01").body ==
          client.get("/tiles/default/3/4/3.png?time=2025-01-01").body);
    CHECK(client.get("/tiles/default/3/4/3.png?time=2025-01-0%").status == 400);
    // One policy: WMS and WMTS KVP and OGC API refuse a malformed escape too, each in its own document.
    auto wms = client.get("/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0&x=%zz");
    CHECK(wms.status == 400);
    CHECK(wms.body.find("InvalidParameterValue") != std::string::npos);
    CHECK(wms.body.find("malformed percent escape") != std::string::npos);
    auto wmts = client.get("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&x=%4");
    CHECK(wmts.status == 400);
    CHECK(wmts.body.find("malformed percent escape") != std::string::npos);
    auto ogc = client.get("/ogc/collections/sites/items?bbox=%zz");
    CHECK(ogc.status == 400);
    CHECK(nlohmann::json::parse(ogc.body)["description"].get<std::string>().find("malformed percent escape") !=
          std::string::npos);
    // And decode them the same way: %2C is ',' in a WMS BBOX as in an OGC API bbox.
    CHECK(client.get("/ogc/collections/sites/items?limit=1&bbox=-6%2C10%2C5%2C16").status == 200);
}
