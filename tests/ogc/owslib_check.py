"""Reads sahelmap's WMS and WMTS capabilities with OWSLib, a second client
besides GDAL, and checks what it understood. Usage: owslib_check.py PORT.
Prints one line per problem and exits 1 on any, 0 when all is well."""
import sys

from owslib.wms import WebMapService
from owslib.wmts import WebMapTileService

port = int(sys.argv[1])
base = "http://127.0.0.1:%d" % port
problems = []


def expect(condition, what):
    if not condition:
        problems.append(what)


data_layers = ["countries", "borders", "regions", "sites", "corridors", "influence"]
crs_list = ["EPSG:4326", "CRS:84", "EPSG:3857"] + ["EPSG:%d" % c for c in range(32628, 32634)]

for version in ["1.3.0", "1.1.1"]:
    wms = WebMapService(base + "/wms", version=version)
    expect(wms.identification.version == version, "WMS %s: version %s" % (version, wms.identification.version))
    names = list(wms.contents)
    for name in data_layers + ["default", "overlay", "print"]:
        expect(name in names, "WMS %s: no layer %s (%s)" % (version, name, names))
    ops = [op.name for op in wms.operations]
    for op in ["GetCapabilities", "GetMap", "GetFeatureInfo"]:
        expect(op in ops, "WMS %s: no operation %s (%s)" % (version, op, ops))
    formats = wms.getOperationByName("GetMap").formatOptions
    expect("image/png" in formats and "image/jpeg" in formats, "WMS %s: GetMap formats %s" % (version, formats))
    sites = wms["sites"]
    for crs in crs_list:
        expect(crs in sites.crsOptions, "WMS %s: sites lacks %s" % (version, crs))
    west, south, east, north = sites.boundingBoxWGS84
    expect(-20 < west < -5 and 5 < south < 15 and east > 10 and north > 20, "WMS %s: sites box %s" % (version, sites.boundingBoxWGS84))
    expect(set(["default", "overlay", "print"]) <= set(sites.styles), "WMS %s: sites styles %s" % (version, list(sites.styles)))
    expect(all("legend" in s for s in sites.styles.values()), "WMS %s: a style lacks its LegendURL" % version)
    expect(list(wms["influence"].styles)[0] == "influence", "WMS %s: influence's default style" % version)
    expect(list(wms["default"].styles) == ["default"], "WMS %s: default layer styles" % version)
    times = sites.timepositions or []
    expect(len(times) > 5 and "2025-06-06" in times, "WMS %s: time positions %s" % (version, times[:5]))
    expect(sites.defaulttimeposition is not None and len(sites.defaulttimeposition) == 10,
           "WMS %s: default time %s" % (version, sites.defaulttimeposition))
    expect(sites.queryable == 1, "WMS %s: sites is not queryable" % version)

    # A map through OWSLib's own GetMap.
    img = wms.getmap(layers=["countries", "borders"], styles=["", ""], srs="EPSG:4326",
                     bbox=(-12, 9, 16, 25), size=(280, 160), format="image/png", transparent=True,
                     time="2025-06-06")
    png = img.read()
    expect(png[:8] == b"\x89PNG\r\n\x1a\n", "WMS %s: GetMap answered %r" % (version, png[:120]))
    jpeg = wms.getmap(layers=["default"], styles=[""], srs="EPSG:4326", bbox=(-12, 9, 16, 25), size=(280, 160),
                      format="image/jpeg", time="2025-06-06").read()
    expect(jpeg[:3] == b"\xff\xd8\xff", "WMS %s: JPEG GetMap answered %r" % (version, jpeg[:120]))

wmts = WebMapTileService(base + "/wmts/1.0.0/WMTSCapabilities.xml")
expect(set(["default", "overlay", "print", "influence"]) <= set(wmts.contents), "WMTS layers %s" % list(wmts.contents))
expect("WebMercatorQuad" in wmts.tilematrixsets, "WMTS matrix sets %s" % list(wmts.tilematrixsets))
tms = wmts.tilematrixsets["WebMercatorQuad"]
expect(tms.crs == "urn:ogc:def:crs:EPSG::3857", "WMTS crs %s" % tms.crs)
expect(len(tms.tilematrix) == 21 and tms.tilematrix["5"].matrixwidth == 32, "WMTS matrices")
expect(abs(tms.tilematrix["0"].scaledenominator - 559082264.0287178) < 1e-3, "WMTS scale of matrix 0")
layer = wmts["default"]
expect(layer.resourceURLs and "{TileMatrix}" in layer.resourceURLs[0]["template"], "WMTS resource URL")
expect("default" in layer.styles, "WMTS styles %s" % layer.styles)
tile = wmts.gettile(layer="default", tilematrixset="WebMercatorQuad", tilematrix="5", row=14, column=15,
                    format="image/png", Time="2025-06-06").read()
expect(tile[:8] == b"\x89PNG\r\n\x1a\n", "WMTS GetTile answered %r" % tile[:120])

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
