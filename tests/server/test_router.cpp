// The router called directly: no sockets, no threads.
#include "sahelmap/server/errors.hpp"
#include "sahelmap/server/router.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace sahelmap;
using namespace sahelmap::server;

namespace {

ServerOptions const& router_options()
{
    static ServerOptions const options = [] {
        ServerOptions o;
        o.max_age = 1234;
        o.web_root = "/nonexistent-sahelmap-web-root";
        return o;
    }();
    return options;
}

std::shared_ptr<Snapshot const> default_snapshot()
{
    // The shared fixture service, not owned here (aliasing, empty owner).
    static auto const snap = make_snapshot(
        std::shared_ptr<service::MapService const>(std::shared_ptr<void>(), &test::default_service()), 1);
    return snap;
}

RouteContext context(ServerOptions const* options = &router_options())
{
    RouteContext c;
    c.snapshot = default_snapshot();
    c.options = options;
    c.default_host = "127.0.0.1:9999";
    return c;
}

Request make_request(std::string const& target, http::verb method = http::verb::get,
                     std::vector<std::pair<http::field, std::string>> const& headers = {})
{
    Request req{method, to_beast(target), 11};
    for (auto const& [f, v] : headers) req.set(f, v);
    return req;
}

/// A response as the session writes it: finished once (see finish()), as
/// the session does just before the write.
Response finished(Response res, Request const& req)
{
    finish(res, req);
    return res;
}

/// What a session would answer, with the tile rendered inline.
Response call(Request const& req, RouteContext const& ctx = context())
{
    auto routed = route(req, ctx);
    if (auto* job = std::get_if<TileJob>(&routed.result)) {
        auto png = std::make_shared<std::string const>(
            job->snapshot->service->tile_png(job->style, job->tile, job->scale, job->time));
        return finished(tile_response(*job, png, ctx), req);
    }
    return finished(std::move(std::get<Response>(routed.result)), req);
}

std::string body_of(Response const& r) { return r.body() ? *r.body() : std::string(); }
std::string header(Response const& r, http::field f) { return std::string(to_std(r[f])); }

} // namespace

TEST_CASE("server: router answers healthz, style list and style documents", "[server]")
{
    auto r = call(make_request("/healthz"));
    CHECK(r.result() == http::status::ok);
    CHECK(body_of(r) == "ok\n");
    CHECK(header(r, http::field::access_control_allow_origin) == "*");
    CHECK(header(r, http::field::server) == "sahelmap");
    CHECK(header(r, http::field::content_length) == "3");

    r = call(make_request("/readyz"));
    CHECK(r.result() == http::status::ok);
    server::Readiness draining;
    draining.set_draining();
    auto with_drain = context();
    with_drain.readiness = &draining;
    r = call(make_request("/readyz"), with_drain);
    CHECK(r.result() == http::status::service_unavailable);
    CHECK(body_of(r).find("draining") != std::string::npos);

    r = call(make_request("/styles"));
    CHECK(r.result() == http::status::ok);
    CHECK(header(r, http::field::content_type) == "application/json");
    auto ids = nlohmann::json::parse(body_of(r));
    CHECK(ids == nlohmann::json({"default", "overlay", "print", "influence"}));
    CHECK(header(r, http::field::cache_control) == "public, max-age=1234");

    // ?source=raw: the document as loaded (the plain path serves the MapLibre copy: tests/features).
    r = call(make_request("/styles/default.json?source=raw"));
    CHECK(r.result() == http::status::ok);
    CHECK(body_of(r) == test::default_service().renderer("default").style().json());
    CHECK(header(r, http::field::vary) == "Accept-Encoding");
    CHECK(header(r, http::field::content_encoding).empty());

    auto gz = call(
        make_request("/styles/default.json?source=raw", http::verb::get, {{http::field::accept_encoding, "br, gzip"}}));
    CHECK(header(gz, http::field::content_encoding) == "gzip");
    CHECK(gunzip(body_of(gz)) == body_of(r));
    CHECK(header(gz, http::field::etag) != header(r, http::field::etag));
}

TEST_CASE("server: router builds TileJSON 3.0.0 from the Host header", "[server]")
{
    auto r = call(make_request("/tiles/default.json", http::verb::get, {{http::field::host, "maps.example:8080"}}));
    REQUIRE(r.result() == http::status::ok);
    auto doc = nlohmann::json::parse(body_of(r));
    CHECK(doc["tilejson"] == "3.0.0");
    CHECK(doc["tiles"][0] == "http://maps.example:8080/tiles/default/{z}/{x}/{y}.png");
    CHECK(doc["minzoom"] == 0);
    CHECK(doc["maxzoom"] == 20);
    CHECK(doc["attribution"] == test::default_service().renderer("default").style().attribution());
    auto const& b = doc["bounds"];
    // Mali, Burkina Faso and Niger: about 12.3°W–16°E, 9.4°N–25°N.
    CHECK(b[0].get<double>() == Approx(-12.3).margin(0.5));
    CHECK(b[1].get<double>() == Approx(9.4).margin(0.5));
    CHECK(b[2].get<double>() == Approx(16.0).margin(0.5));
    CHECK(b[3].get<double>() == Approx(25.0).margin(0.5));
    CHECK(doc["center"][2] == 4);

    // An odd Host never reaches the URLs handed out.
    r = call(make_request("/tiles/overlay.json?time=2024-01-15", http::verb::get,
                          {{http::field::host, "evil.example/\"><script>"}}));
    doc = nlohmann::json::parse(body_of(r));
    CHECK(doc["tiles"][0] == "http://127.0.0.1:9999/tiles/overlay/{z}/{x}/{y}.png?time=2024-01-15");
    CHECK(call(make_request("/tiles/nope.json")).result() == http::status::not_found);
    CHECK(call(make_request("/tiles/default.json?time=2024-13-01")).result() == http::status::bad_request);
}

TEST_CASE("server: router hands tiles to the render pool and answers 304 without rendering", "[server]")
{
    auto const req = make_request("/tiles/default/5/15/14@2x.png?time=2025-11-01");
    auto routed = route(req, context());
    CHECK(routed.route == Route::tiles);
    auto* job = std::get_if<TileJob>(&routed.result);
    REQUIRE(job);
    CHECK(job->style == "default");
    CHECK(job->tile == *TileId::make(5, 15, 14));
    CHECK(job->scale == 2);
    CHECK(job->time == *Date::parse("2025-11-01"));
    CHECK(job->epoch == test::default_service().data().epoch_of(job->time));

    auto const png = test::default_service().tile_png("default", job->tile, 2, job->time);
    auto r = finished(tile_response(*job, std::make_shared<std::string const>(png), context()), req);
    CHECK(r.result() == http::status::ok);
    CHECK(header(r, http::field::content_type) == "image/png");
    CHECK(header(r, http::field::content_length) == std::to_string(png.size()));
    CHECK(body_of(r) == png);
    CHECK(header(r, http::field::cache_control) == "public, max-age=1234");
    auto const etag = header(r, http::field::etag);
    CHECK(etag.size() == 18);

    auto const revalidate = make_request(std::string(to_std(req.target())), http::verb::get,
                                         {{http::field::if_none_match, "\"x\", " + etag}});
    auto again = route(revalidate, context());
    auto* routed_304 = std::get_if<Response>(&again.result);
    REQUIRE(routed_304);
    auto const not_modified = finished(*routed_304, revalidate);
    CHECK(not_modified.result() == http::status::not_modified);
    CHECK(header(not_modified, http::field::etag) == etag);
    CHECK(header(not_modified, http::field::content_length).empty());
    CHECK_FALSE(not_modified.body());

    // HEAD: the GET's headers, Content-Length included, and no body.
    auto head = call(make_request(std::string(to_std(req.target())), http::verb::head));
    CHECK(head.result() == http::status::ok);
    CHECK(header(head, http::field::content_length) == std::to_string(png.size()));
    CHECK_FALSE(head.body());
}

TEST_CASE("server: router ETags follow the data epoch, not the date", "[server]")
{
    auto const& dates = test::default_service().data().change_dates();
    REQUIRE(dates.size() >= 2);
    // Two days inside one epoch, and a day in the next epoch.
    Date a, b, c;
    bool found = false;
    for (std::size_t i = 0; i + 1 < dates.size() && !found; ++i) {
        if (dates[i + 1].days() - dates[i].days() >= 2) {
            a = dates[i];
            b = Date::from_days(dates[i].days() + 1);
            c = dates[i + 1];
            found = true;
        }
    }
    REQUIRE(found);
    auto etag_for = [](Date d) {
        auto routed = route(make_request("/tiles/default/4/7/7.png?time=" + d.to_string()), context());
        return std::get<TileJob>(routed.result).etag;
    };
    CHECK(etag_for(a) == etag_for(b));
    CHECK(etag_for(a) != etag_for(c));
}

TEST_CASE("server: router maps every bad request to its status", "[server]")
{
    struct Case {
        std::string target;
        http::verb method;
        unsigned status;
    };
    std::string const long_target = "/tiles/default/1/1/1.png?pad=" + std::string(3000, 'a');
    Case const cases[] = {
        {"/tiles/default/a/1/1.png", http::verb::get, 400},
        {"/tiles/default/3/-1/1.png", http::verb::get, 400},
        {"/tiles/default/3/1/1e2.png", http::verb::get, 400},
        {"/tiles/default/3/1/.png", http::verb::get, 400},
        {"/tiles/default/3/1/1@3x.png", http::verb::get, 400},
        {"/tiles/default/3/1/1.png?time=2025-02-30", http::verb::get, 400},
        {"/tiles/default/3/1/1.png?time=yesterday", http::verb::get, 400},
        {"/tiles/default/3/1/1.png?time=", http::verb::get, 400},
        {"/tiles/default/21/0/0.png", http::verb::get, 404},
        {"/tiles/default/99999999999/0/0.png", http::verb::get, 400},
        {"/tiles/default/3/8/1.png", http::verb::get, 404},
        {"/tiles/default/3/1/8.png", http::verb::get, 404},
        {"/tiles/nope/3/1/1.png", http::verb::get, 404},
        {"/tiles/default/3/1/1.jpg", http::verb::get, 404},
        {"/tiles/default/3/1/1/1.png", http::verb::get, 404},
        {"/styles/nope.json", http::verb::get, 404},
        {"/styles/../../etc/passwd", http::verb::get, 404},
        {"/styles/..%2F..%2Fetc%2Fpasswd.json", http::verb::get, 404},
        {"/styles/%2e%2e/%2e%2e/etc/passwd", http::verb::get, 404},
        {"/static/../../etc/passwd", http::verb::get, 404},
        {"/static/%2e%2e/%2e%2e/etc/passwd", http::verb::get, 404},
        {"/static/..%2F..%2Fetc%2Fpasswd", http::verb::get, 404},
        {"/static/.hidden.js", http::verb::get, 404},
        {"/nowhere", http::verb::get, 404},
        {"http://example.com/healthz", http::verb::get, 404},
        {long_target, http::verb::get, 414},
        {"/healthz", http::verb::post, 405},
        {"/tiles/default/3/1/1.png", http::verb::put, 405},
        {"/healthz", http::verb::delete_, 405},
    };
    for (auto const& c : cases) {
        INFO(c.target.substr(0, 80) << " " << to_std(http::to_string(c.method)));
        auto r = call(make_request(c.target, c.method));
        CHECK(r.result_int() == c.status);
        CHECK(header(r, http::field::access_control_allow_origin) == "*");
        CHECK(header(r, http::field::content_type) == "application/json");
        auto body = nlohmann::json::parse(body_of(r));
        CHECK(body["status"] == c.status);
        CHECK_FALSE(body["error"].get<std::string>().empty());
        if (c.status == 405) CHECK(header(r, http::field::allow) == "GET, HEAD, OPTIONS");
    }
}

TEST_CASE("server: router answers CORS preflight with 204", "[server]")
{
    auto r = call(make_request("/tiles/default/1/1/1.png", http::verb::options));
    CHECK(r.result() == http::status::no_content);
    CHECK(header(r, http::field::access_control_allow_methods) == "GET, HEAD, OPTIONS");
    CHECK(header(r, http::field::access_control_allow_origin) == "*");
    CHECK_FALSE(r.body());
}

TEST_CASE("server: router serves the web root safely", "[server]")
{
    test::ScratchDir dir("server-web");
    std::filesystem::create_directories(dir.path() / "root" / "js");
    test::write_text(dir.path() / "root" / "js" / "app.js", "console.log('hi');\n");
    test::write_text(dir.path() / "root" / "style.css", "body{}\n");
    test::write_text(dir / "secret.json", "{}");
    ServerOptions options = router_options();
    options.web_root = dir.path() / "root";
    auto const ctx = context(&options);

    // No index.html yet: the viewer is not installed.
    auto r = call(make_request("/"), ctx);
    CHECK(r.result() == http::status::not_found);
    CHECK(header(r, http::field::content_type) == "application/json");

    test::write_text(dir.path() / "root" / "index.html", "<!doctype html><title>sahelmap</title>\n");
    r = call(make_request("/"), ctx);
    CHECK(r.result() == http::status::ok);
    CHECK(header(r, http::field::content_type) == "text/html; charset=utf-8");
    CHECK(body_of(r).find("sahelmap") != std::string::npos);

    r = call(make_request("/static/js/app.js"), ctx);
    CHECK(r.result() == http::status::ok);
    CHECK(header(r, http::field::content_type) == "text/javascript; charset=utf-8");
    CHECK(call(make_request("/static/style.css"), ctx).result() == http::status::ok);

    for (char const* bad : {"/static/../secret.json", "/static/js/../../secret.json", "/static//etc/passwd",
                            "/static/js/", "/static/%2e%2e/secret.json", "/static/missing.js", "/static/index.txt",
                            "/static/js/app.js%00.png"}) {
        INFO(bad);
        CHECK(call(make_request(bad), ctx).result() == http::status::not_found);
    }
    // A link inside the root that leads out of it is refused too.
    std::filesystem::create_symlink(dir / "secret.json", dir.path() / "root" / "leak.json");
    CHECK(call(make_request("/static/leak.json"), ctx).result() == http::status::not_found);
}

TEST_CASE("server: errors map to statuses in one place", "[server]")
{
    auto status = [](auto e) { return static_cast<unsigned>(status_of(std::make_exception_ptr(e))); };
    CHECK(status(BadRequest("x")) == 400);
    CHECK(status(NotFound("x")) == 404);
    CHECK(status(MethodNotAllowed("x")) == 405);
    CHECK(status(BodyNotAllowed("x")) == 413);
    CHECK(status(UriTooLong("x")) == 414);
    CHECK(status(HeadersTooLarge("x")) == 431);
    CHECK(status(DataError("x")) == 500);
    CHECK(status(RenderError("x")) == 500);
    CHECK(status(std::runtime_error("x")) == 500);
    CHECK(status(42) == 500);

    auto r = error_response(std::make_exception_ptr(NotFound("no style 'caf\xc3' here")));
    auto body = nlohmann::json::parse(*r.body()); // invalid UTF-8 from a client is replaced, never thrown
    CHECK(body["status"] == 404);
    CHECK(body["error"].get<std::string>().find("no style") == 0);
    CHECK(to_std(r[http::field::cache_control]) == "no-store");
}

TEST_CASE("server: router answers events and influence scores in each format", "[server]")
{
    auto res = call(make_request("/events.json"));
    REQUIRE(res.result() == http::status::ok);
    auto const events = nlohmann::json::parse(body_of(res));
    REQUIRE(events.size() == 54); // timeline.csv
    CHECK(events[0].at("date").get<std::string>().size() == 10);
    CHECK_FALSE(events[0].at("event").get<std::string>().empty());

    res = call(make_request("/influence?time=2025-06-01"));
    REQUIRE(res.result() == http::status::ok);
    auto const scores = nlohmann::json::parse(body_of(res));
    // The Africa Corps and Italy's MISIN share Air Base 101 in 2025.
    bool niamey_contested = false;
    for (auto const& r : scores.at("regions"))
        if (r.at("name") == "Niamey") niamey_contested = r.at("dominant") == "contested";
    CHECK(niamey_contested);
    CHECK(scores.at("regions")[0].contains("p_russia"));
    CHECK(scores.at("regions")[0].contains("certainty"));

    res = call(make_request("/influence?time=2023-01-01&compare=2025-06-01&format=csv"));
    REQUIRE(res.result() == http::status::ok);
    CHECK(to_std(res[http::field::content_type]).rfind("text/csv", 0) == 0);
    CHECK(body_of(res).find("change_russia") != std::string::npos);

    res = call(make_request("/influence?format=geojson"));
    REQUIRE(res.result() == http::status::ok);
    // Regions in force on the default date (after 2025-07-02): Mali 9, Niger 8, Burkina Faso 17.
    CHECK(nlohmann::json::parse(body_of(res)).at("features").size() == 34);

    CHECK(call(make_request("/influence?format=xml")).result() == http::status::bad_request);
    CHECK(call(make_request("/influence?time=2025-02-30")).result() == http::status::bad_request);
}

TEST_CASE("server: --public-url is the base of every absolute link and Host is not reflected", "[server]")
{
    ServerOptions options = router_options();
    options.public_url = "https://maps.example.org/base";
    auto const ctx = context(&options);
    std::vector<std::pair<http::field, std::string>> const evil = {{http::field::host, "evil.example"}};
    auto const tilejson = nlohmann::json::parse(body_of(call(make_request("/tiles/default.json", http::verb::get, evil), ctx)));
    CHECK(tilejson["tiles"][0].get<std::string>().rfind("https://maps.example.org/base/tiles/default/", 0) == 0);
    auto const vector = nlohmann::json::parse(body_of(call(make_request("/tiles/vector.json", http::verb::get, evil), ctx)));
    CHECK(vector["tiles"][0].get<std::string>().rfind("https://maps.example.org/base/tiles/vector/", 0) == 0);
    for (auto const* path : {"/wms?SERVICE=WMS&REQUEST=GetCapabilities", "/wmts/1.0.0/WMTSCapabilities.xml", "/ogc?f=json"}) {
        auto const res = call(make_request(path, http::verb::get, evil), ctx);
        INFO(path);
        REQUIRE(res.result() == http::status::ok);
        CHECK(body_of(res).find("https://maps.example.org/base/") != std::string::npos);
        CHECK(body_of(res).find("evil.example") == std::string::npos);
    }
    // Without it, links follow the request's Host (a plain host only).
    auto const plain = nlohmann::json::parse(body_of(call(make_request("/tiles/default.json", http::verb::get, evil))));
    CHECK(plain["tiles"][0].get<std::string>().rfind("http://evil.example/tiles/default/", 0) == 0);
}
