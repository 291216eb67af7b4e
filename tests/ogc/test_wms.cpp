// WMS 1.3.0 and 1.1.1 over real HTTP on 127.0.0.1, read by GDAL, OWSLib and
// plain requests: capabilities, maps with their pixels checked at a known
// border in EPSG:4326 and UTM 31N, axis order, TIME, feature info, errors.
#include "exceptions.hpp"
#include "sahelmap/encode/png.hpp"
#include "sahelmap/geo/projection.hpp"
#include "sahelmap/service/legend.hpp"
#include "server/client.hpp"
#include "support/files.hpp"
#include "support/fixture.hpp"
#include "support/golden.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <sstream>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

InProcessServer& wms_server()
{
    static InProcessServer server;
    return server;
}

std::string const kMap = "/wms?SERVICE=WMS&REQUEST=GetMap&FORMAT=image/png&STYLES=";

/// The exception code of a ServiceExceptionReport, or empty.
std::string exception_code(std::string const& xml)
{
    return test::exception_code(xml, kWmsExceptions);
}

/// A vertex in the middle of the Benin–Niger border (an outer border of the
/// Alliance of Sahel States, drawn solid and thick by the default style).
LonLat border_vertex()
{
    auto const* borders = default_service().store().find("borders");
    REQUIRE(borders);
    int const a = borders->schema.index_of("iso3_a");
    int const b = borders->schema.index_of("iso3_b");
    for (auto const& f : borders->features) {
        auto const* sa = f.values[static_cast<std::size_t>(a)].as_string();
        auto const* sb = f.values[static_cast<std::size_t>(b)].as_string();
        if (sa && sb && *sa == "BEN" && *sb == "NER") {
            auto const& lines = std::get<MultiLineString<LonLat>>(f.geometry).lines;
            auto const& line = lines.front();
            return line[line.size() / 2];
        }
    }
    FAIL("no BEN–NER border in the data");
    return {};
}

/// Alpha of a pixel of a decoded PNG (ARGB32).
unsigned alpha_at(Image const& img, int x, int y)
{
    return img.pixel(x, y) >> 24;
}

/// The share of pixels more than half opaque.
double opaque_share(Image const& img)
{
    int n = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) n += alpha_at(img, x, y) > 128;
    return static_cast<double>(n) / (img.width * img.height);
}

/// Whether some pixel within `r` of (x, y) is opaque enough to be a drawn line.
bool drawn_near(Image const& img, int x, int y, int r)
{
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx)
            if (alpha_at(img, x + dx, y + dy) > 128) return true;
    return false;
}

/// gdal_translate of a GetMap URL (GDAL's "WMS:" syntax) to a 1024×1024 PNG,
/// decoded. The box is square, so GDAL's smallest overview is the whole box
/// in one request; GDAL itself writes the 1.3.0 EPSG:4326 BBOX in lat/lon order.
Image gdal_get_map(ScratchDir const& dir, std::uint16_t port, std::string const& name, std::string const& params)
{
    auto const out = dir / (name + ".png");
    auto const url = "WMS:http://127.0.0.1:" + std::to_string(port) +
                     "/wms?SERVICE=WMS&REQUEST=GetMap&LAYERS=borders&FORMAT=image/png&TRANSPARENT=TRUE"
                     "&TIME=2025-06-06&" +
                     params;
    auto r = run_command("GDAL_HTTP_TIMEOUT=30 gdal_translate -q -of PNG -outsize 1024 1024 \"" + url + "\" " +
                         out.string());
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return encode::decode_png(read_bytes(out));
}

std::string box(double a, double b, double c, double d)
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "BBOX=%.9f,%.9f,%.9f,%.9f", a, b, c, d);
    return buf;
}

} // namespace

TEST_CASE("wms: capabilities 1.3.0 and 1.1.1 are read by OWSLib and GDAL", "[ogc][wms]")
{
    auto const port = wms_server().port();
    for (std::string version : {"1.3.0", "1.1.1"}) {
        auto r = http_get(port, "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=" + version);
        REQUIRE(r.status == 200);
        CHECK(r.header("content-type").find("xml") != std::string::npos);
        CHECK(r.body.find(version == "1.3.0" ? "<WMS_Capabilities version=\"1.3.0\""
                                             : "<WMT_MS_Capabilities version=\"1.1.1\"") != std::string::npos);
        ScratchDir dir("wms-caps-" + version);
        write_text(dir / "caps.xml", r.body);
        auto lint = run_command("xmllint --noout --nonet " + (dir / "caps.xml").string());
        INFO(lint.out);
        CHECK(lint.exit_code == 0);
    }
    // Parameter names and values in any case: version negotiation gives 1.3.0.
    auto neg = http_get(port, "/wms?service=wms&request=GetCapabilities&version=2.0.0");
    CHECK(neg.status == 200);
    CHECK(neg.body.find("version=\"1.3.0\"") != std::string::npos);

    auto owslib = run_command("/usr/bin/python3 " + std::string(SAHELMAP_OGC_TEST_DIR) + "/owslib_check.py " +
                              std::to_string(port));
    INFO(owslib.out);
    CHECK(owslib.exit_code == 0);

    auto info = run_command("gdalinfo \"WMS:http://127.0.0.1:" + std::to_string(port) +
                            "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities\"");
    INFO(info.out);
    CHECK(info.exit_code == 0);
    CHECK(info.out.find("SUBDATASET_1_NAME=WMS:") != std::string::npos);
    CHECK(info.out.find("LAYERS=sites") != std::string::npos);
}

TEST_CASE("wms: gdal_translate maps show a known border in EPSG:4326 and UTM 31N", "[ogc][wms]")
{
    auto const port = wms_server().port();
    auto const v = border_vertex();
    ScratchDir dir("wms-gdal");
    double const d = 0.25; // degrees each side: 1024 px → 0.0005° a pixel

    // WMS 1.3.0 in EPSG:4326: the GetMap URL's BBOX is lat/lon.
    auto const geo = gdal_get_map(dir, port, "geo130",
                                  "VERSION=1.3.0&CRS=EPSG:4326&" + box(v.lat - d, v.lon - d, v.lat + d, v.lon + d));
    REQUIRE(geo.width == 1024);
    CHECK(drawn_near(geo, 512, 512, 3));
    CHECK(opaque_share(geo) < 0.1); // a line, not a filled map: transparent elsewhere
    // 1.1.1 in lon/lat order draws the same place.
    auto const geo111 = gdal_get_map(dir, port, "geo111",
                                     "VERSION=1.1.1&SRS=EPSG:4326&" + box(v.lon - d, v.lat - d, v.lon + d, v.lat + d));
    CHECK(drawn_near(geo111, 512, 512, 3));

    // UTM zone 31N, ±25 km around the same vertex.
    auto const p = geo::Transform("EPSG:4326", "EPSG:32631").apply(v.lon, v.lat);
    double const m = 25'000;
    auto const utm =
        gdal_get_map(dir, port, "utm", "VERSION=1.3.0&CRS=EPSG:32631&" + box(p.x - m, p.y - m, p.x + m, p.y + m));
    CHECK(drawn_near(utm, 512, 512, 3));
    CHECK(opaque_share(utm) < 0.1);
    // The window moved 20 km east: the vertex is 409.6 px west of the centre.
    auto const shifted =
        gdal_get_map(dir, port, "utm-shift",
                     "VERSION=1.3.0&CRS=EPSG:32631&" + box(p.x - m + 20'000, p.y - m, p.x + m + 20'000, p.y + m));
    CHECK(drawn_near(shifted, 512 - 410, 512, 3));
}

TEST_CASE("wms: axis order of EPSG:4326 in 1.3.0 against 1.1.1 and CRS:84", "[ogc][wms]")
{
    auto const port = wms_server().port();
    std::string const common = kMap + "&LAYERS=countries,borders&WIDTH=300&HEIGHT=200&TIME=2025-06-06";
    auto lat_lon = http_get(port, common + "&VERSION=1.3.0&CRS=EPSG:4326&BBOX=9,-12,25,12");
    auto lon_lat = http_get(port, common + "&VERSION=1.1.1&SRS=EPSG:4326&BBOX=-12,9,12,25");
    auto crs84 = http_get(port, common + "&VERSION=1.3.0&CRS=CRS:84&BBOX=-12,9,12,25");
    REQUIRE(lat_lon.status == 200);
    REQUIRE(lat_lon.header("content-type") == "image/png");
    CHECK(lat_lon.body == lon_lat.body);
    CHECK(lat_lon.body == crs84.body);
    // Taking the 1.3.0 box in lon/lat order draws another place (the ocean).
    auto wrong = http_get(port, common + "&VERSION=1.3.0&CRS=EPSG:4326&BBOX=-12,9,12,25");
    REQUIRE(wrong.status == 200);
    CHECK(wrong.body != lat_lon.body);

    // Non-square pixels: any WIDTH and HEIGHT for the box.
    auto stretched = http_get(port, common.substr(0, common.find("&WIDTH")) +
                                        "&WIDTH=640&HEIGHT=90&VERSION=1.3.0&CRS=EPSG:3857&BBOX=-2300000,1000000,"
                                        "1800000,3000000&TRANSPARENT=FALSE&BGCOLOR=0x102030");
    REQUIRE(stretched.status == 200);
    auto const img = encode::decode_png(stretched.body);
    CHECK(img.width == 640);
    CHECK(img.height == 90);
    CHECK(img.pixel(0, 89) == 0xFF102030u); // BGCOLOR in the south-west corner (the ocean)
}

TEST_CASE("wms: LAYERS composite in order with TRANSPARENT and BGCOLOR and data layers alone", "[ogc][wms]")
{
    auto const port = wms_server().port();
    // Ocean at the south-west corner (0, 99), Mali at the centre.
    std::string const map = kMap.substr(0, kMap.find("&STYLES=")) +
                            "&VERSION=1.3.0&CRS=EPSG:3857&BBOX=-2300000,1000000,1800000,3000000&WIDTH=200&HEIGHT=100"
                            "&TIME=2025-06-06";
    auto const get = [&](std::string const& params) {
        auto r = http_get(port, map + params);
        INFO(params << ": " << r.body.substr(0, 300));
        REQUIRE(r.status == 200);
        return encode::decode_png(r.body);
    };
    auto const whole = get("&LAYERS=default&STYLES=");
    CHECK(alpha_at(whole, 0, 99) == 255); // the style's background
    auto const clear = get("&LAYERS=default&STYLES=&TRANSPARENT=TRUE");
    CHECK(alpha_at(clear, 0, 99) == 0);     // no background: see-through ocean
    CHECK(alpha_at(clear, 100, 50) == 255); // Mali's fill
    auto const sites = get("&LAYERS=sites&STYLES=&TRANSPARENT=TRUE");
    CHECK(opaque_share(sites) < 0.2); // symbols and their labels only, no fills
    auto const green = get("&LAYERS=borders&STYLES=&BGCOLOR=0x00FF00");
    CHECK(green.pixel(0, 99) == 0xFF00FF00u);
    // Order matters: countries over borders hides the borders under the fill.
    auto const a = http_get(port, map + "&LAYERS=borders,countries&STYLES=");
    auto const b = http_get(port, map + "&LAYERS=countries,borders&STYLES=");
    CHECK(a.body != b.body);
    // A data layer in another style: sites drawn with the overlay style's
    // rules, under borders drawn with the print style's. Where one of the two
    // alone draws, the composite shows exactly what that one draws alone.
    auto const overlay = get("&LAYERS=sites,borders&STYLES=overlay,print&TRANSPARENT=TRUE");
    auto const sites_overlay = get("&LAYERS=sites&STYLES=overlay&TRANSPARENT=TRUE");
    auto const borders_print = get("&LAYERS=borders&STYLES=print&TRANSPARENT=TRUE");
    int site_pixels = 0;
    int border_pixels = 0;
    int mismatches = 0;
    for (int y = 0; y < overlay.height; ++y) {
        for (int x = 0; x < overlay.width; ++x) {
            auto const site = alpha_at(sites_overlay, x, y);
            auto const border = alpha_at(borders_print, x, y);
            auto const both = overlay.pixel(x, y);
            if (site == 255 && border == 0) {
                ++site_pixels;
                mismatches += both != sites_overlay.pixel(x, y);
            } else if (site == 0 && border == 255) {
                ++border_pixels;
                mismatches += both != borders_print.pixel(x, y);
            } else if (site == 0 && border == 0) {
                mismatches += (both >> 24) != 0;
            }
        }
    }
    CHECK(site_pixels > 20);
    CHECK(border_pixels > 20);
    CHECK(mismatches == 0);
    // And STYLES chose those rules (an ignored STYLES would pass the above):
    // a layer drawn in another style differs from it in the default style.
    // The overlay style's site rules are the default's, so its borders (the
    // Alliance's outer borders alone) show its choice.
    auto const borders_default = get("&LAYERS=borders&STYLES=&TRANSPARENT=TRUE");
    CHECK(borders_print.pixels != borders_default.pixels);
    CHECK(get("&LAYERS=borders&STYLES=overlay&TRANSPARENT=TRUE").pixels != borders_default.pixels);
    // The overlay style has no rules for countries: a style names its own rules.
    auto const no_rules = http_get(port, map + "&LAYERS=countries&STYLES=overlay");
    CHECK(no_rules.status == 400);
    CHECK(no_rules.body.find("StyleNotDefined") != std::string::npos);
}

TEST_CASE("wms: FORMAT=image/jpeg answers a JPEG GDAL reads, transparent areas on BGCOLOR", "[ogc][wms]")
{
    auto const port = wms_server().port();
    std::string const map = "/wms?SERVICE=WMS&REQUEST=GetMap&VERSION=1.3.0&CRS=EPSG:3857&BBOX=-2300000,1000000,"
                            "1800000,3000000&WIDTH=200&HEIGHT=100&TIME=2025-06-06&STYLES=";
    auto const png = http_get(port, map + "&LAYERS=default&FORMAT=image/png");
    auto const jpeg = http_get(port, map + "&LAYERS=default&FORMAT=image/jpeg");
    REQUIRE(jpeg.status == 200);
    CHECK(jpeg.header("content-type") == "image/jpeg");
    CHECK(jpeg.body.substr(0, 3) == "\xFF\xD8\xFF");

    // GDAL's JPEG driver reads it: three bands, the size asked, and the
    // colours of the PNG up to JPEG's loss (Mali's fill at the centre).
    ScratchDir dir("wms-jpeg");
    write_text(dir / "map.jpg", jpeg.body);
    auto const info = run_command("gdalinfo -json " + (dir / "map.jpg").string());
    REQUIRE(info.exit_code == 0);
    auto const doc = nlohmann::json::parse(info.out);
    CHECK(doc["driverShortName"] == "JPEG");
    CHECK(doc["size"] == nlohmann::json::array({200, 100}));
    CHECK(doc["bands"].size() == 3);
    auto const rgb_at = [&](std::string const& file, int x, int y) {
        auto r = run_command("gdallocationinfo -valonly " + (dir / file).string() + " " + std::to_string(x) + " " +
                             std::to_string(y));
        REQUIRE(r.exit_code == 0);
        std::istringstream in(r.out);
        int red = 0, green = 0, blue = 0;
        in >> red >> green >> blue;
        return std::array<int, 3>{red, green, blue};
    };
    auto const reference = encode::decode_png(png.body).pixel(100, 50);
    auto const centre = rgb_at("map.jpg", 100, 50);
    for (int c = 0; c < 3; ++c)
        CHECK(std::abs(centre[static_cast<std::size_t>(c)] - static_cast<int>((reference >> (16 - 8 * c)) & 0xFF)) <=
              16);

    // JPEG has no alpha: a transparent map lies on BGCOLOR (the ocean corner).
    auto const clear = http_get(port, map + "&LAYERS=sites&FORMAT=image/jpeg&TRANSPARENT=TRUE&BGCOLOR=0x00FF00");
    REQUIRE(clear.status == 200);
    write_text(dir / "clear.jpg", clear.body);
    auto const corner = rgb_at("clear.jpg", 0, 99);
    CHECK(corner[0] <= 16);
    CHECK(corner[1] >= 239);
    CHECK(corner[2] <= 16);
}

TEST_CASE("wms: EXCEPTIONS=INIMAGE and BLANK answer an image in place of the map", "[ogc][wms]")
{
    auto const port = wms_server().port();
    std::string const bad = "/wms?SERVICE=WMS&REQUEST=GetMap&VERSION=1.3.0&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=300"
                            "&HEIGHT=100&STYLES=&LAYERS=nowhere";
    // The message written on the background: dark pixels in the top band
    // only (three wrapped lines at this width).
    auto const inimage = http_get(port, bad + "&FORMAT=image/png&EXCEPTIONS=INIMAGE&BGCOLOR=0xFFFFFF");
    REQUIRE(inimage.status == 200);
    CHECK(inimage.header("content-type") == "image/png");
    auto const img = encode::decode_png(inimage.body);
    CHECK(img.width == 300);
    CHECK(img.height == 100);
    int dark_top = 0, dark_bottom = 0;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x)
            if (((img.pixel(x, y) >> 16) & 0xFF) < 200) (y < 70 ? dark_top : dark_bottom)++;
    CHECK(dark_top > 100);
    CHECK(dark_bottom == 0);
    CHECK(img.pixel(299, 99) == 0xFFFFFFFFu);

    // BLANK: nothing but the background, see-through when transparent.
    auto const blank =
        encode::decode_png(http_get(port, bad + "&FORMAT=image/png&EXCEPTIONS=BLANK&TRANSPARENT=TRUE").body);
    bool all_clear = true;
    for (int y = 0; y < blank.height; ++y)
        for (int x = 0; x < blank.width; ++x) all_clear = all_clear && alpha_at(blank, x, y) == 0;
    CHECK(all_clear);
    auto const green =
        encode::decode_png(http_get(port, bad + "&FORMAT=image/png&EXCEPTIONS=BLANK&BGCOLOR=0x00FF00").body);
    CHECK(green.pixel(150, 50) == 0xFF00FF00u);

    // 1.1.1's media-type spelling, and JPEG.
    auto const jpeg = http_get(port, bad + "&FORMAT=image/jpeg&EXCEPTIONS=application/vnd.ogc.se_inimage");
    CHECK(jpeg.status == 200);
    CHECK(jpeg.header("content-type") == "image/jpeg");

    // A map that draws is not affected; a bad EXCEPTIONS, size or format
    // can only be said in XML.
    auto const fine = http_get(port, kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=-1e6,1e6,1e6,2e6"
                                            "&WIDTH=64&HEIGHT=32&EXCEPTIONS=INIMAGE");
    CHECK(fine.status == 200);
    CHECK(encode::decode_png(fine.body).pixel(32, 16) != 0xFFFFFFFFu);
    for (std::string const& params :
         {std::string("&FORMAT=image/png&EXCEPTIONS=POPUP"), std::string("&FORMAT=image/gif&EXCEPTIONS=INIMAGE")}) {
        auto const r = http_get(port, bad + params);
        INFO(params);
        CHECK(r.status == 400);
        CHECK(exception_code(r.body) ==
              (params.find("gif") != std::string::npos ? "InvalidFormat" : "InvalidParameterValue"));
    }
    auto const no_size =
        http_get(port, "/wms?SERVICE=WMS&REQUEST=GetMap&VERSION=1.3.0&CRS=EPSG:3857&BBOX=0,0,1,1"
                       "&WIDTH=x&HEIGHT=100&STYLES=&LAYERS=default&FORMAT=image/png&EXCEPTIONS=INIMAGE");
    CHECK(no_size.status == 400);
    CHECK(exception_code(no_size.body) == "InvalidParameterValue");

    // The capabilities offer all three, in each version's spelling.
    auto const caps130 = http_get(port, "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0").body;
    CHECK(caps130.find("<Format>INIMAGE</Format>") != std::string::npos);
    auto const caps111 = http_get(port, "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1").body;
    CHECK(caps111.find("<Format>application/vnd.ogc.se_blank</Format>") != std::string::npos);
}

TEST_CASE("wms: TIME selects the features valid at the date", "[ogc][wms]")
{
    auto const port = wms_server().port();
    // Bamako airport: an Africa Corps hub from 2025-06-06.
    auto const fi = [&](std::string const& time) {
        auto r = http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=sites&QUERY_LAYERS=sites"
                                "&STYLES=&CRS=EPSG:4326&BBOX=12.4335,-8.0499,12.6335,-7.8499&WIDTH=101&HEIGHT=101"
                                "&I=50&J=50&INFO_FORMAT=application/json&FEATURE_COUNT=10&TIME=" +
                                    time);
        REQUIRE(r.status == 200);
        return nlohmann::json::parse(r.body);
    };
    auto const actors = [](nlohmann::json const& doc) {
        std::vector<std::string> out;
        for (auto const& f : doc["features"]) out.push_back(f["properties"].value("actor", ""));
        return out;
    };
    auto const after = actors(fi("2025-07-01"));
    auto const before = actors(fi("2024-01-01"));
    CHECK(std::count(after.begin(), after.end(), "russia_africa_corps") >= 1);
    CHECK(std::count(before.begin(), before.end(), "russia_africa_corps") == 0);
    // A full ISO time of day is accepted; the day decides.
    CHECK(actors(fi("2025-07-01T12:00:00Z")) == after);

    // The map changes with the date too.
    std::string const map = kMap + "&VERSION=1.3.0&LAYERS=sites&CRS=EPSG:4326&BBOX=12,-9,13,-7&WIDTH=200&HEIGHT=100"
                                   "&TRANSPARENT=TRUE&TIME=";
    CHECK(http_get(port, map + "2024-01-01").body != http_get(port, map + "2025-07-01").body);

    for (std::string bad : {"2025-13-01", "yesterday", "2024-01-01/2025-01-01"}) {
        auto r = http_get(port, map + bad);
        CHECK(r.status == 400);
        CHECK(exception_code(r.body) == "InvalidDimensionValue");
    }
}

TEST_CASE("wms: GetFeatureInfo answers a region's influence scores in three formats", "[ogc][wms]")
{
    auto const port = wms_server().port();
    std::string const base = "/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetFeatureInfo&LAYERS=default&QUERY_LAYERS="
                             "influence&STYLES=&SRS=EPSG:4326&BBOX=-9,12,-7,13&WIDTH=200&HEIGHT=100&X=105&Y=47"
                             "&TIME=2025-07-01&INFO_FORMAT=";
    auto json = http_get(port, base + "application/json");
    REQUIRE(json.status == 200);
    CHECK(json.header("content-type") == "application/json");
    auto const doc = nlohmann::json::parse(json.body);
    REQUIRE(doc["features"].size() == 1);
    auto const& f = doc["features"][0];
    CHECK(f["layer"] == "influence");
    CHECK(f["properties"].contains("dominant"));
    bool has_score = false;
    for (auto const& [k, v] : f["properties"].items())
        if (k.rfind("score_", 0) == 0 && v.is_number()) has_score = true;
    CHECK(has_score);

    auto text = http_get(port, base + "text/plain");
    CHECK(text.status == 200);
    CHECK(text.body.find("Layer 'influence'") != std::string::npos);
    CHECK(text.body.find("dominant = ") != std::string::npos);
    auto html = http_get(port, base + "text/html");
    CHECK(html.status == 200);
    CHECK(html.header("content-type").find("text/html") == 0);
    CHECK(html.body.find("<th>dominant</th>") != std::string::npos);

    // A style layer queries every data layer it draws: the countries too.
    auto all = http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=default&QUERY_LAYERS="
                              "default&STYLES=&CRS=CRS:84&BBOX=-9,12,-7,13&WIDTH=200&HEIGHT=100&I=105&J=47"
                              "&INFO_FORMAT=application/json&TIME=2025-07-01");
    REQUIRE(all.status == 200);
    std::set<std::string> layers;
    auto const all_doc = nlohmann::json::parse(all.body);
    for (auto const& feature : all_doc["features"]) layers.insert(feature["layer"].get<std::string>());
    CHECK(layers.count("countries") == 1);
    CHECK(layers.count("regions") == 1);

    // Out of the map, or not queried by LAYERS.
    auto outside = http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=sites&QUERY_LAYERS="
                                  "sites&STYLES=&CRS=CRS:84&BBOX=-9,12,-7,13&WIDTH=200&HEIGHT=100&I=200&J=5");
    CHECK(outside.status == 400);
    CHECK(exception_code(outside.body) == "InvalidPoint");
    auto not_listed = http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=sites&"
                                     "QUERY_LAYERS=regions&STYLES=&CRS=CRS:84&BBOX=-9,12,-7,13&WIDTH=200&HEIGHT=100"
                                     "&I=20&J=5");
    CHECK(not_listed.status == 400);
    CHECK(exception_code(not_listed.body) == "LayerNotDefined");
}

TEST_CASE("wms: bad parameters answer a ServiceExceptionReport with the standard code", "[ogc][wms]")
{
    auto const port = wms_server().port();
    std::string const ok = "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=-1e6,1e6,1e6,2e6&WIDTH=64&HEIGHT=64";
    std::vector<ExpectedException> const cases{
        {"/wms?SERVICE=WMS&VERSION=1.3.0", 400, "MissingParameterValue"},
        {"/wms?SERVICE=WMS&REQUEST=GetStyles", 501, "OperationNotSupported"},
        {"/wms?SERVICE=WFS&REQUEST=GetCapabilities", 400, "InvalidParameterValue"},
        {"/wms?REQUEST=GetCapabilities", 400, "MissingParameterValue"},
        {kMap + ok.substr(0, ok.find("&LAYERS")) + "&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1", 400,
         "MissingParameterValue"},
        {kMap + "&VERSION=1.3.0&LAYERS=nowhere&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1", 400, "LayerNotDefined"},
        {"/wms?SERVICE=WMS&REQUEST=GetMap&FORMAT=image/png&STYLES=bold" + ok, 400, "StyleNotDefined"},
        {"/wms?SERVICE=WMS&REQUEST=GetMap&FORMAT=image/png&STYLES=influence" + ok, 400, "StyleNotDefined"},
        {"/wms?SERVICE=WMS&REQUEST=GetMap&FORMAT=image/png&STYLES=a,b" + ok, 400, "InvalidParameterValue"},
        {"/wms?SERVICE=WMS&REQUEST=GetMap&FORMAT=image/gif" + ok, 400, "InvalidFormat"},
        {"/wms?SERVICE=WMS&REQUEST=GetMap&STYLES=" + ok, 400, "MissingParameterValue"},
        {kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:2154&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1", 400, "InvalidCRS"},
        {kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=0,0,1&WIDTH=1&HEIGHT=1", 400,
         "InvalidParameterValue"},
        {kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=1,0,0,1&WIDTH=1&HEIGHT=1", 400,
         "InvalidParameterValue"},
        {kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=0&HEIGHT=1", 400,
         "InvalidParameterValue"},
        {kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=5000&HEIGHT=1", 400,
         "InvalidParameterValue"},
        {kMap + "&VERSION=1.3.0&LAYERS=default&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=x&HEIGHT=1", 400,
         "InvalidParameterValue"},
        {kMap + ok + "&TRANSPARENT=maybe", 400, "InvalidParameterValue"},
        {kMap + ok + "&BGCOLOR=red", 400, "InvalidParameterValue"},
        {kMap + ok + "&TIME=2025-02-30", 400, "InvalidDimensionValue"},
        {kMap + ok + "&TIME=2025-06-01T25:00:00Z", 400, "InvalidDimensionValue"}, // every field checked
        {kMap + "&VERSION=9.9.9&LAYERS=default&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1", 400,
         "InvalidParameterValue"},
        {"/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&STYLES=&QUERY_LAYERS=default&INFO_FORMAT=application/pdf&I=1&J=1" +
             ok,
         400, "InvalidFormat"},
        {"/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&STYLES=&QUERY_LAYERS=default&I=-1&J=1" + ok, 400, "InvalidPoint"},
        {"/wms?SERVICE=WMS&REQUEST=GetFeatureInfo&STYLES=&QUERY_LAYERS=default&I=1" + ok, 400, "MissingParameterValue"},
        {"/wms?SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=nowhere&FORMAT=image/png", 400, "LayerNotDefined"},
        {"/wms?SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=sites&STYLE=bold&FORMAT=image/png", 400, "StyleNotDefined"},
    };
    check_exceptions(port, cases, kWmsExceptions, "xmlns=\"http://www.opengis.net/ogc\"");
    // 1.1.1 names the CRS parameter SRS and its code InvalidSRS; x/y, not i/j.
    auto srs = http_get(port, kMap + "&VERSION=1.1.1&LAYERS=default&SRS=EPSG:2154&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1");
    CHECK(srs.status == 400);
    CHECK(srs.header("content-type") == "application/vnd.ogc.se_xml");
    CHECK(exception_code(srs.body) == "InvalidSRS");
    CHECK(srs.body.find("version=\"1.1.1\"") != std::string::npos);
    auto xy = http_get(port, "/wms?SERVICE=WMS&VERSION=1.1.1&REQUEST=GetFeatureInfo&LAYERS=sites&QUERY_LAYERS=sites"
                             "&STYLES=&SRS=EPSG:4326&BBOX=0,0,1,1&WIDTH=10&HEIGHT=10&I=1&J=1");
    CHECK(exception_code(xy.body) == "MissingParameterValue");
    CHECK(xy.body.find("parameter X is missing") != std::string::npos);

    // Messages quoting hostile bytes stay well-formed XML.
    auto hostile = http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&FORMAT=image/png&STYLES=&LAYERS="
                                  "%3C%2FServiceException%3E%26%01&CRS=EPSG:3857&BBOX=0,0,1,1&WIDTH=1&HEIGHT=1");
    CHECK(exception_code(hostile.body) == "LayerNotDefined");
    CHECK(hostile.body.find("&lt;/ServiceException&gt;&amp;") != std::string::npos);
    // The server still serves.
    CHECK(http_get(port, "/healthz").status == 200);
}

TEST_CASE("wms: GetLegendGraphic answers the legend PNG", "[ogc][wms][legend]")
{
    auto const port = wms_server().port();
    for (std::string q : {"LAYER=sites&STYLE=default", "LAYER=default", "LAYER=influence&STYLE=influence"}) {
        auto r = http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image/png&" + q);
        INFO(q << ": " << r.body.substr(0, 400));
        REQUIRE(r.status == 200);
        CHECK(r.header("content-type") == "image/png");
        auto const img = encode::decode_png(r.body);
        CHECK(img.width > 10);
        CHECK(img.height > 10);
    }
    // The picture is the style's legend (golden-tested in the print tests),
    // pixel for pixel: the sites' rows of the default style.
    auto const r =
        http_get(port, "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image/png&LAYER=sites");
    REQUIRE(r.status == 200);
    auto const& svc = default_service();
    auto const want = service::legend_image(svc.renderer("default").style(), std::string("sites"), 1);
    auto const got = encode::decode_png(r.body);
    REQUIRE(got.width == want.width);
    REQUIRE(got.height == want.height);
    CHECK(differing_fraction(got, want, 2) == 0.0);
}
