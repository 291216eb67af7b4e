#!/usr/bin/python3
"""QGIS's WMTS client against a running sahelmap (issue 14, item 2).

  qgis_wmts.py BASE_URL OUTDIR        e.g. qgis_wmts.py http://127.0.0.1:8080 /tmp/out

Adds the `default` layer the way QGIS's "Add WMTS" dialog does, first with no
date (QGIS 3.22 then asks the RESTful template with a literal "{Time}"), then
with the earliest date the capabilities list, and renders each with QGIS's
map renderer over an area larger than the data (lon 22.5 W to 22.5 E, lat 0
to 41 N at zoom 5, tile-aligned so QGIS draws the tiles unscaled). Each
picture must equal our XYZ tiles of the same date, mosaicked (the no-date one
those of the capabilities' <Default>), and have no white band: the layer
covers the whole area. Pictures go to OUTDIR (qgis-wmts-*.png).
Exit 0 all good, 1 a check failed, 2 bad usage, 77 PyQGIS missing.
"""
import os
import sys
import xml.etree.ElementTree as ET

from qgis_harness import (Picture, Problems, QColor, QgsCoordinateReferenceSystem, QgsRectangle, close, fetch,
                          fetch_png, finish, render, start, wmts_layer)

if len(sys.argv) != 3:
    print(__doc__)
    sys.exit(2)
base, outdir = sys.argv[1].rstrip("/"), sys.argv[2]
os.makedirs(outdir, exist_ok=True)
problems = Problems()
start()

HALF = 20037508.342789244
Z, X0, X1, Y0, Y1 = 5, 14, 17, 12, 15  # tiles, inclusive
TILE = 2 * HALF / (1 << Z)
EXTENT = QgsRectangle(-HALF + X0 * TILE, HALF - (Y1 + 1) * TILE, -HALF + (X1 + 1) * TILE, HALF - Y0 * TILE)
SIZE = (256 * (X1 - X0 + 1), 256 * (Y1 - Y0 + 1))
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")

caps_url = base + "/wmts/1.0.0/WMTSCapabilities.xml"
status, caps = fetch(caps_url)
problems.expect(status == 200, "capabilities answered %d" % status)
ns = {"w": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}
default_time, values = None, []
for layer in ET.fromstring(caps).iterfind(".//w:Contents/w:Layer", ns):
    if layer.findtext("ows:Identifier", namespaces=ns) == "default":
        for dim in layer.iterfind("w:Dimension", ns):
            if dim.findtext("ows:Identifier", namespaces=ns) == "Time":
                default_time = dim.findtext("w:Default", namespaces=ns)
                values = [v.text for v in dim.iterfind("w:Value", ns)]
if not problems.expect(default_time and values, "no Time dimension with a Default and Values on layer default"):
    finish(problems)


def mosaic(time):
    """Our XYZ tiles of the area at `time`, as one picture."""
    from qgis.PyQt.QtGui import QImage, QPainter
    img = QImage(SIZE[0], SIZE[1], QImage.Format_RGBA8888)
    img.fill(QColor(255, 0, 255))
    painter = QPainter(img)
    for y in range(Y0, Y1 + 1):
        for x in range(X0, X1 + 1):
            tile = fetch_png("%s/tiles/default/%d/%d/%d.png?time=%s" % (base, Z, x, y, time))
            painter.drawImage(256 * (x - X0), 256 * (y - Y0), tile.image)
    painter.end()
    img.save(os.path.join(outdir, "qgis-wmts-reference-%s.png" % time), "PNG")
    return Picture(img)


def differing_share(a, b, tolerance=12, step=2):
    n = bad = 0
    for y in range(0, a.height, step):
        for x in range(0, a.width, step):
            n += 1
            bad += not close(a.rgba(x, y), b.rgba(x, y), tolerance)
    return bad / n


def white_bands(pic):
    """Rows and columns nearly all pure white (QGIS's background where the
    layer is not drawn)."""
    white = (255, 255, 255)
    rows = [y for y in range(pic.height)
            if sum(pic.rgb(x, y) == white for x in range(0, pic.width, 4)) > 0.9 * pic.width / 4]
    cols = [x for x in range(pic.width)
            if sum(pic.rgb(x, y) == white for y in range(0, pic.height, 4)) > 0.9 * pic.height / 4]
    return rows, cols


def check(time, parallel):
    """Renders the layer added with `time` (None: no date picked) and compares
    it with the tiles of `expected`."""
    expected = time or default_time
    what = "WMTS layer with %s" % ("Time=" + time if time else "no date (default %s)" % default_time)
    layer = wmts_layer(caps_url, "default", time)
    if not layer.isValid():  # (error() on a valid layer crashes PyQGIS 3.22)
        problems.append("%s: QGIS says the layer is invalid: %s" % (what, layer.error().summary()))
        return None
    ext = layer.extent()
    problems.expect(ext.contains(EXTENT), "%s: the layer's extent %s does not cover the view %s, QGIS clips it "
                    "there" % (what, ext.toString(0), EXTENT.toString(0)))
    png = os.path.join(outdir, "qgis-wmts-%s.png" % (time or "nodate"))
    pic, _, errors = render([layer], MERCATOR, EXTENT, SIZE, png, parallel=parallel)
    problems.expect(not errors, "%s: render errors %s" % (what, errors))
    rows, cols = white_bands(pic)
    problems.expect(not rows and not cols, "%s: white bands (rows %s, columns %s), see %s" % (
        what, rows[:1] + rows[-1:], cols[:1] + cols[-1:], png))
    reference = mosaic(expected)
    share = differing_share(pic, reference)
    problems.expect(share < 0.02, "%s: %.1f %% of pixels differ from our tiles at time=%s, see %s" % (
        what, 100 * share, expected, png))
    print("%s: %.2f %% of pixels differ from the tiles at %s (%s job)" % (
        what, 100 * share, expected, "parallel" if parallel else "sequential"))
    return reference


default_reference = check(None, parallel=True)
earliest = sorted(values)[0]
dated_reference = check(earliest, parallel=False)
if default_reference and dated_reference:
    # Otherwise the dated check could not tell a date from the default.
    problems.expect(differing_share(default_reference, dated_reference, 0) > 0.001,
                    "the tiles at %s and at %s are the same: no test of honoured dates" % (earliest, default_time))
finish(problems)
