// WMTS 1.0.0 over real HTTP on 127.0.0.1: capabilities read by GDAL, tiles in
// both encodings equal to the XYZ tiles, TIME, and ExceptionReports.
#include "exceptions.hpp"
#include "server/client.hpp"
#include "support/files.hpp"

#include <catch2/catch.hpp>

using namespace sahelmap;
using namespace sahelmap::test;

namespace {

InProcessServer& wmts_server()
{
    static InProcessServer server;
    return server;
}

} // namespace

TEST_CASE("wmts: capabilities list a layer per style over WebMercatorQuad with TIME, read by GDAL", "[ogc][wmts]")
{
    auto const port = wmts_server().port();
    auto caps = http_get(port, "/wmts/1.0.0/WMTSCapabilities.xml");
    REQUIRE(caps.status == 200);
    CHECK(caps.header("content-type") == "text/xml");
    for (char const* s : {"<ows:Identifier>default</ows:Identifier>", "<ows:Identifier>overlay</ows:Identifier>",
                          "<ows:Identifier>print</ows:Identifier>", "<TileMatrixSet>WebMercatorQuad</TileMatrixSet>",
                          "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible", "<ows:Identifier>Time</ows:Identifier>",
                          "<Value>2025-06-06</Value>", "{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png"})
        CHECK(caps.body.find(s) != std::string::npos);
    // KVP capabilities are the same document.
    auto kvp = http_get(port, "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0");
    CHECK(kvp.status == 200);
    CHECK(kvp.body == caps.body);

    ScratchDir dir("wmts-caps");
    write_text(dir / "caps.xml", caps.body);
    auto lint = run_command("xmllint --noout --nonet " + (dir / "caps.xml").string());
    INFO(lint.out);
    CHECK(lint.exit_code == 0);

    auto const url = "WMTS:http://127.0.0.1:" + std::to_string(port) + "/wmts/1.0.0/WMTSCapabilities.xml";
    auto list = run_command("gdalinfo \"" + url + "\"");
    INFO(list.out);
    CHECK(list.exit_code == 0);
    CHECK(list.out.find(",layer=overlay") != std::string::npos);
    auto one = run_command("gdalinfo \"" + url + ",layer=default\"");
    INFO(one.out);
    CHECK(one.exit_code == 0);
    CHECK(one.out.find("Pseudo-Mercator") != std::string::npos);

    // GDAL reads real tiles through the RESTful template (zoom 3 overview).
    auto out = dir / "tile.png";
    auto tr = run_command("GDAL_HTTP_TIMEOUT=30 gdal_translate -q -of PNG -outsize 256 256 -projwin 0 2500000 "
                          "1252344 1250000 \"" +
                          url + ",layer=default\" " + out.string());
    INFO(tr.out);
    CHECK(tr.exit_code == 0);
    CHECK(read_bytes(out).substr(1, 3) == "PNG");
}

TEST_CASE("wmts: RESTful and KVP tiles are the XYZ tile bytes and cached alike", "[ogc][wmts]")
{
    auto const port = wmts_server().port();
    auto xyz = http_get(port, "/tiles/default/5/15/14.png?time=2025-06-06");
    REQUIRE(xyz.status == 200);
    auto rest = http_get(port, "/wmts/1.0.0/default/default/2025-06-06/WebMercatorQuad/5/14/15.png");
    REQUIRE(rest.status == 200);
    CHECK(rest.header("content-type") == "image/png");
    CHECK(rest.body == xyz.body);
    CHECK(rest.header("etag") == xyz.header("etag"));
    auto kvp = http_get(port, "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=default&STYLE=default"
                              "&FORMAT=image%2Fpng&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=5&TILEROW=14&TILECOL=15"
                              "&TIME=2025-06-06");
    REQUIRE(kvp.status == 200);
    CHECK(kvp.body == xyz.body);
    // If-None-Match works as for XYZ tiles.
    auto again = http_get(port, "/wmts/1.0.0/default/default/2025-06-06/WebMercatorQuad/5/14/15.png",
                          {{"If-None-Match", rest.header("etag")}});
    CHECK(again.status == 304);
    // Another date with other features gives another tile.
    auto before = http_get(port, "/wmts/1.0.0/default/default/2019-01-01/WebMercatorQuad/5/14/15.png");
    REQUIRE(before.status == 200);
    CHECK(before.body != rest.body);
    CHECK(before.body == http_get(port, "/tiles/default/5/15/14.png?time=2019-01-01").body);
}

TEST_CASE("wmts: bad requests answer an ExceptionReport with the standard code", "[ogc][wmts]")
{
    auto const port = wmts_server().port();
    std::string const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&FORMAT=image/png&TILEMATRIXSET="
                            "WebMercatorQuad&STYLE=default";
    std::vector<ExpectedException> const cases{
        {"/wmts?SERVICE=WMTS", 400, "MissingParameterValue"},
        {"/wmts?REQUEST=GetCapabilities", 400, "MissingParameterValue"},
        {"/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo", 501, "OperationNotSupported"},
        {"/wmts?SERVICE=WMS&REQUEST=GetCapabilities", 400, "InvalidParameterValue"},
        {"/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&ACCEPTVERSIONS=2.0.0", 400, "VersionNegotiationFailed"},
        {kvp + "&LAYER=default&TILEMATRIX=5&TILEROW=14", 400, "MissingParameterValue"},
        {kvp + "&LAYER=default&TILEMATRIX=5&TILEROW=32&TILECOL=1", 400, "TileOutOfRange"},
        {kvp + "&LAYER=default&TILEMATRIX=5&TILEROW=1&TILECOL=-1", 400, "TileOutOfRange"},
        {kvp + "&LAYER=default&TILEMATRIX=21&TILEROW=1&TILECOL=1", 400, "InvalidParameterValue"},
        {kvp + "&LAYER=default&TILEMATRIX=x&TILEROW=1&TILECOL=1", 400, "InvalidParameterValue"},
        {kvp + "&LAYER=nowhere&TILEMATRIX=5&TILEROW=1&TILECOL=1", 400, "InvalidParameterValue"},
        {kvp + "&LAYER=default&TILEMATRIX=5&TILEROW=1&TILECOL=1&TIME=2025-02-30", 400, "InvalidDimensionValue"},
        {"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&FORMAT=image/jpeg&TILEMATRIXSET=WebMercatorQuad&LAYER="
         "default&TILEMATRIX=5&TILEROW=1&TILECOL=1",
         400, "InvalidParameterValue"},
        {"/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&FORMAT=image/png&TILEMATRIXSET=EPSG:4326&LAYER="
         "default&TILEMATRIX=5&TILEROW=1&TILECOL=1",
         400, "InvalidParameterValue"},
        // RESTful: what does not exist is 404.
        {"/wmts/1.0.0/default/default/2025-06-06/WebMercatorQuad/5/40/1.png", 404, "TileOutOfRange"},
        {"/wmts/1.0.0/nowhere/default/2025-06-06/WebMercatorQuad/5/1/1.png", 404, "InvalidParameterValue"},
        {"/wmts/1.0.0/default/bold/2025-06-06/WebMercatorQuad/5/1/1.png", 404, "InvalidParameterValue"},
        {"/wmts/1.0.0/default/default/2025-06-06/WorldCRS84Quad/5/1/1.png", 404, "InvalidParameterValue"},
        {"/wmts/1.0.0/default/default/5/1/1.png", 404, "InvalidParameterValue"},
        {"/wmts/2.0/WMTSCapabilities.xml", 404, "InvalidParameterValue"},
        {"/wmts/1.0.0/default/default/not-a-date/WebMercatorQuad/5/1/1.png", 400, "InvalidDimensionValue"},
    };
    check_exceptions(port, cases, kOwsExceptions);
    // Without a date the tile is the default date's, the same as the XYZ default.
    auto dateless = http_get(port, "/wmts/1.0.0/default/default/WebMercatorQuad/3/3/3.png");
    CHECK(dateless.status == 200);
    CHECK(dateless.body == http_get(port, "/tiles/default/3/3/3.png").body);
}

TEST_CASE("wmts: the template's {Time} placeholder, as QGIS 3.22 sends it without a date, is the default",
          "[ogc][wmts]")
{
    auto const port = wmts_server().port();
    auto caps = http_get(port, "/wmts/1.0.0/WMTSCapabilities.xml");
    REQUIRE(caps.status == 200);
    auto const open = caps.body.find("<Default>");
    REQUIRE(open != std::string::npos);
    auto const default_time = caps.body.substr(open + 9, 10);
    auto const expected = http_get(port, "/tiles/default/5/15/14.png?time=" + default_time);
    REQUIRE(expected.status == 200);
    for (std::string placeholder : {"{Time}", "%7BTime%7D", "%7btime%7d", "default"}) {
        INFO(placeholder);
        auto r = http_get(port, "/wmts/1.0.0/default/default/" + placeholder + "/WebMercatorQuad/5/14/15.png");
        CHECK(r.status == 200);
        CHECK(r.body == expected.body);
    }
    // KVP with the placeholder too; a real date is still honoured, a wrong one refused.
    std::string const kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=default&STYLE=default"
                            "&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=5&TILEROW=14&TILECOL=15&TIME=";
    CHECK(http_get(port, kvp + "%7BTime%7D").body == expected.body);
    auto dated = http_get(port, "/wmts/1.0.0/default/default/2019-01-01/WebMercatorQuad/5/14/15.png");
    CHECK(dated.status == 200);
    CHECK(dated.body == http_get(port, "/tiles/default/5/15/14.png?time=2019-01-01").body);
    CHECK(dated.body != expected.body);
    CHECK(http_get(port, "/wmts/1.0.0/default/default/{Tim}/WebMercatorQuad/5/14/15.png").status == 400);
}

TEST_CASE("wmts: each layer's box is the tile matrix set's, so clients draw it everywhere", "[ogc][wmts]")
{
    // QGIS clips a WMTS layer at its WGS84BoundingBox: a box cut at the
    // data left white bands around the Sahel, where the tiles draw the sea
    // and the neighbours.
    auto caps = http_get(wmts_server().port(), "/wmts/1.0.0/WMTSCapabilities.xml");
    REQUIRE(caps.status == 200);
    std::size_t boxes = 0;
    for (auto at = caps.body.find("<ows:WGS84BoundingBox>"); at != std::string::npos;
         at = caps.body.find("<ows:WGS84BoundingBox>", at + 1)) {
        auto const box = caps.body.substr(at, caps.body.find("</ows:WGS84BoundingBox>", at) - at);
        INFO(box);
        CHECK(box.find("<ows:LowerCorner>-180 -85.0511287798066</ows:LowerCorner>") != std::string::npos);
        CHECK(box.find("<ows:UpperCorner>180 85.0511287798066</ows:UpperCorner>") != std::string::npos);
        ++boxes;
    }
    CHECK(boxes >= 4); // default, overlay, print, influence
}
