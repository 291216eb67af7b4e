// The server-independent parts of the OGC services: KVP, CRS and boxes, XML.
#include "../../src/ogc/failure.hpp"
#include "sahelmap/core/error.hpp"
#include "sahelmap/core/uri.hpp"
#include "sahelmap/ogc/crs.hpp"
#include "sahelmap/ogc/kvp.hpp"
#include "sahelmap/ogc/map.hpp"
#include "sahelmap/ogc/xml.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

using namespace sahelmap;
using namespace sahelmap::ogc;

TEST_CASE("ogc: KVP names are case-insensitive and values percent-decoded", "[ogc]")
{
    Kvp const kvp("service=WMS&Request=GetMap&LAYERS=a%2Cb&FORMAT=image%2Fpng&TIME=2025-01-01&empty=&bare&x=1&X=2");
    CHECK(kvp.get("SERVICE") == "WMS");
    CHECK(kvp.get("REQUEST") == "GetMap");
    CHECK(kvp.get("LAYERS") == "a,b");
    CHECK(kvp.get("FORMAT") == "image/png");
    CHECK(kvp.get("EMPTY") == "");
    CHECK(kvp.get("BARE") == "");
    CHECK(kvp.get("X") == "1"); // the first of a repeated name
    CHECK_FALSE(kvp.get("MISSING"));
    CHECK_THROWS_AS(kvp.required("EMPTY"), ServiceException);
    // A typed error like every other: one escaping a service is a bad request.
    CHECK_THROWS_AS(kvp.required("EMPTY"), BadRequest);
    try {
        kvp.required("CRS");
        FAIL("required() of a missing parameter did not throw");
    } catch (ServiceException const& e) {
        CHECK(e.code() == "MissingParameterValue");
        CHECK(e.locator() == "CRS");
    }
    CHECK(percent_decode("a+b%20c", UriPart::query) == "a b c");
    CHECK_THROWS_AS(Kvp("LAYERS=a%zz"), BadRequest); // one policy: the service reports it
}

TEST_CASE("ogc: failures read alike for WMS and WMTS exception reports", "[ogc]")
{
    auto const of = [](auto thrown) { return ogc::detail::failure_of(std::make_exception_ptr(thrown)); };
    auto const service = of(ServiceException("InvalidCRS", "CRS 'EPSG:1' is not offered", "CRS"));
    CHECK(service.code == "InvalidCRS");
    CHECK(service.message == "CRS 'EPSG:1' is not offered");
    CHECK(service.locator == "CRS");
    CHECK(service.named);
    auto const bad = of(BadRequest("time 2025-13-01 is not a date"));
    CHECK(bad.code == "InvalidParameterValue");
    CHECK(bad.message == "time 2025-13-01 is not a date");
    CHECK(bad.locator.empty());
    CHECK_FALSE(bad.named); // a bad value, never a missing RESTful resource
    auto const ours = of(std::runtime_error("disk full"));
    CHECK(ours.code == "NoApplicableCode");
    CHECK(ours.message == "internal error: disk full");
    CHECK_FALSE(ours.named);
    auto const odd = of(42);
    CHECK(odd.code == "NoApplicableCode");
    CHECK(odd.message == "internal error");
}

TEST_CASE("ogc: CRS names and BBOX axis order", "[ogc]")
{
    CHECK(normalize_crs("epsg:4326") == "EPSG:4326");
    CHECK(normalize_crs("CRS:84") == "CRS:84");
    CHECK(normalize_crs("EPSG:900913") == "EPSG:3857");
    CHECK(normalize_crs("EPSG:32631") == "EPSG:32631");
    CHECK(normalize_crs("EPSG:32634").empty());
    CHECK(normalize_crs("EPSG:2154").empty());

    // WMS 1.3.0 EPSG:4326 is lat/lon; 1.1.1 and CRS:84 are lon/lat.
    CHECK(bbox_is_lat_lon("EPSG:4326", true));
    CHECK_FALSE(bbox_is_lat_lon("EPSG:4326", false));
    CHECK_FALSE(bbox_is_lat_lon("CRS:84", true));
    CHECK_FALSE(bbox_is_lat_lon("EPSG:32631", true));
    CHECK(parse_bbox("10,-5,20,5", true) == BBox{-5, 10, 5, 20});
    CHECK(parse_bbox("-5,10,5,20", false) == BBox{-5, 10, 5, 20});
    for (char const* bad : {"1,2,3", "1,2,3,4,5", "a,b,c,d", "5,0,1,1", "0,0,0,1", "1,,2,3", "", "nan,0,1,1"})
        CHECK_THROWS_AS(parse_bbox(bad, false), ServiceException);

    // A box in UTM 31N around the three countries, and a sensible zoom.
    auto const utm = bbox_in({-12, 9, 16, 25}, "EPSG:32631");
    CHECK(utm.minx < 0);
    CHECK(utm.maxx > 1'500'000);
    double const z = zoom_for_view("EPSG:3857", {-1e6, 1e6, 1e6, 2e6}, 1024);
    CHECK(z == Approx(std::log2(156543.03392804097 / (2e6 / 1024))).margin(1e-6));
    double const z4326 = zoom_for_view("EPSG:4326", {-10, 10, 10, 20}, 1024);
    CHECK(z4326 == Approx(z).margin(0.2)); // 20° of longitude ≈ 2 226 km
}

TEST_CASE("ogc: the XML writer escapes and nests", "[ogc]")
{
    XmlWriter xml;
    xml.open("a").attr("k", "x\"<&>'").leaf("b", "1 < 2 & \x01ok").open("c").close().close();
    auto const doc = xml.finish();
    CHECK(doc == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"x&quot;&lt;&amp;&gt;&apos;\">\n  <b>1 &lt; 2 "
                 "&amp; ok</b>\n  <c/>\n</a>\n");
}

TEST_CASE("ogc: a whole-style map drawn in two parts on two threads equals the renderer's one pass", "[ogc]")
{
    auto const service = service::MapService::load(source::Config::defaults());
    MapRequest request;
    request.crs = "EPSG:32631";
    request.extent = {-1'400'000, 1'000'000, 2'700'000, 3'300'000}; // 4100 km × 2300 km
    request.width = 820;
    request.height = 460;
    auto const layers = named_layers(*service);
    request.layers.push_back({*find_layer(layers, "default"), "default"});
    request.time = Date::from_ymd(2025, 6, 1);
    request.two_threads = true;
    // The cut comes from earlier draws' layer times: none before a renderer
    // has drawn (its first draw, which fills caches, is not counted).
    auto const renderer = service->renderer_in("default", request.crs);
    CHECK_FALSE(renderer->balanced_cut());
    // The cut is judged from measured times, so a loaded machine may need a
    // few more draws before one pays (bounded: six).
    std::optional<std::size_t> cut;
    for (int draws = 0; draws < 6 && !cut; ++draws) {
        render_map(service, request);
        if (draws >= 1) cut = renderer->balanced_cut();
    }
    REQUIRE(cut);
    // The symbol layers (one label placement) stay together after the cut.
    auto const& style_layers = renderer->style().layers();
    CHECK(*cut >= 1);
    for (std::size_t i = 0; i < *cut; ++i)
        CHECK_FALSE(std::holds_alternative<style::SymbolLayer>(style_layers[i].props));
    auto const parallel = render_map(service, request);

    render::View view;
    view.extent = request.extent;
    view.width = request.width;
    view.height = request.height;
    view.zoom = zoom_for_view(request.crs, request.extent, request.width);
    view.time = request.time;
    auto const single = service->renderer_in("default", request.crs)->render(view);
    REQUIRE(parallel.pixels.size() == single.pixels.size());
    int differing = 0;
    int worst = 0;
    for (int y = 0; y < single.height; ++y)
        for (int x = 0; x < single.width; ++x) {
            auto const a = parallel.pixel(x, y);
            auto const b = single.pixel(x, y);
            if (a == b) continue;
            ++differing;
            for (int shift = 0; shift < 32; shift += 8)
                worst = std::max(
                    worst, std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((b >> shift) & 0xFF)));
        }
    INFO("cut before layer " << *cut << " (" << style_layers[*cut].id << "); differing pixels: " << differing
                             << ", largest channel difference: " << worst);
    // Rounding of the one extra composite (2), which a semi-transparent
    // symbol drawn over such a pixel can carry to 3.
    CHECK(worst <= 3);
    CHECK(differing < single.width * single.height / 20);
}

TEST_CASE("ogc: a bbox within half a pixel of the size's aspect draws unscaled, pixel for pixel", "[ogc]")
{
    // Clients fit the bbox to the image and round it: here 0.3 px short in
    // height. Such a map must be the renderer's own view, not a stretch of
    // it (a scale of 1.0004 resamples every label and costs 2.5 times).
    auto const service = service::MapService::load(source::Config::defaults());
    MapRequest request;
    request.crs = "EPSG:32631";
    double const res = 3000;
    request.extent = {-1'200'000, 800'000, -1'200'000 + 1024 * res, 800'000 + 767.7 * res};
    request.width = 1024;
    request.height = 768;
    request.layers.push_back({*find_layer(named_layers(*service), "default"), "default"});
    request.time = Date::from_ymd(2025, 6, 1);
    request.two_threads = false;
    auto const map = render_map(service, request);

    render::View view;
    view.extent = {request.extent.minx, request.extent.maxy - 768 * res, request.extent.maxx, request.extent.maxy};
    view.width = 1024;
    view.height = 768;
    view.zoom = zoom_for_view(request.crs, request.extent, 1024);
    view.time = request.time;
    auto const own = service->renderer_in("default", request.crs)->render(view);
    REQUIRE(map.pixels.size() == own.pixels.size());
    CHECK(map.pixels == own.pixels);
}
