#!/usr/bin/python3
"""The exported GeoPackage in QGIS against our WMS map (issue 14, item 3).

  qgis_gpkg.py FILE.gpkg BASE_URL DATE OUTDIR

FILE.gpkg is `sahelmap export --time DATE`; BASE_URL a running sahelmap
serving the same data. Loads every layer of the file as QGIS's "Add Vector
Layer" does (its default style comes from the file's layer_styles table),
checks what QGIS understood (the renderer the QML names, categories in
people's words, rule-based labels, marker colours by confidence and status),
then renders the layers stacked in the style's order with QGIS's map
renderer over the file's extent and over a closer view, and compares each
picture with our WMS GetMap of the same box and size: the same fill colour
in each country and region (the most common colour of its pixels), and
labels placed (QGIS's labelingResults: the AES countries and capitals at the
file's extent; regions, towns and sites closer in). Pictures go to OUTDIR.
Exit 0 all good, 1 a check failed, 2 bad usage, 77 PyQGIS missing.
"""
import json
import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

from qgis_harness import (Picture, Problems, QColor, QgsCoordinateReferenceSystem, QgsRectangle, close, fetch,
                          fetch_png, finish, gpkg_layers, render, start)

if len(sys.argv) != 5:
    print(__doc__)
    sys.exit(2)
path, base, date, outdir = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3], sys.argv[4]
os.makedirs(outdir, exist_ok=True)
problems = Problems()
start()
from qgis.core import (QgsExpressionContext, QgsExpressionContextUtils, QgsFeatureRequest,  # noqa: E402
                       QgsGeometry, QgsRenderContext, QgsSymbolLayer)

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")

# ------------------------------------------------------------------ loading
db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
styles = {}
for table, qml, default in db.execute("SELECT f_table_name, styleQML, useAsDefault FROM layer_styles"):
    if default:
        styles[table] = qml
db.close()

layers = dict(gpkg_layers(path))
for name in ["countries", "regions", "places", "sites"]:
    problems.expect(name in layers, "QGIS finds no layer %s in %s (has %s)" % (name, path, sorted(layers)))
if problems:
    finish(problems)

for name, layer in layers.items():
    qml = styles.get(name)
    if not problems.expect(qml, "layer %s has no default style in layer_styles" % name):
        continue
    doc = ET.fromstring(qml.split("\n", 1)[1])  # after the DOCTYPE line
    want = doc.find("renderer-v2").get("type")
    got = layer.renderer().type() if layer.renderer() else None
    problems.expect(got == want, "layer %s: QGIS's renderer is %s, its layer_styles QML says %s: the default "
                    "style was not loaded" % (name, got, want))
    if got == "categorizedSymbol":
        for c in layer.renderer().categories():
            problems.expect("_" not in c.label() and c.label() != "",
                            "layer %s: category %r reads %r, not people's words" % (name, c.value(), c.label()))
    if doc.find("labeling") is not None:
        problems.expect(layer.labelsEnabled() and layer.labeling() is not None and
                        layer.labeling().type() == "rule-based",
                        "layer %s: labels not enabled as rule-based in QGIS" % name)

# Confidence and status visible: QGIS's own evaluation of the sites' marker
# fill gives a low-confidence site another colour than a confirmed one of the
# same actor.
sites = layers["sites"]
fill_props = []
for symbol in sites.renderer().symbols(QgsRenderContext()) if sites.renderer() else []:
    for sl in symbol.symbolLayers():
        if sl.dataDefinedProperties().isActive(QgsSymbolLayer.PropertyFillColor):
            fill_props.append(sl.dataDefinedProperties().property(QgsSymbolLayer.PropertyFillColor))
problems.expect(fill_props, "sites: no marker fill colour by data (confidence and status would not show)")
if fill_props:
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(sites))
    by_confidence = {}
    failed = 0
    for f in sites.getFeatures():
        ctx.setFeature(f)
        colour, ok = fill_props[0].valueAsColor(ctx)
        failed += not ok
        if ok:
            by_confidence.setdefault((f["actor"], f["confidence"] == "low"), set()).add(colour.name(1))
    problems.expect(failed == 0, "sites: QGIS could not evaluate the marker fill of %d sites (%s)" %
                    (failed, fill_props[0].expressionString()[:300]))
    pairs = [a for (a, low) in by_confidence if low and (a, False) in by_confidence]
    print("sites: marker fill by data, %d actor(s) with both low-confidence and confirmed sites" % len(pairs))
    if pairs:
        a = pairs[0]
        problems.expect(not by_confidence[(a, True)] & by_confidence[(a, False)],
                        "sites of %s: low-confidence markers filled as confirmed ones (%s)" %
                        (a, by_confidence[(a, True)]))

# ------------------------------------------------------------- stacking order
# As the style draws them: the first style layer naming a data layer.
status, raw = fetch(base + "/styles/default.json?source=raw")
order = []
for sl in json.loads(raw).get("layers", []):
    src = sl.get("source-layer")
    if src in layers and src not in order:
        order.append(src)
stack = [layers[n] for n in reversed(order)]  # QgsMapSettings: top first


# ----------------------------------------------------------------- compare
def polygon_units():
    """Every country and region polygon: (name, geometry in lon/lat)."""
    out = []
    for lname in ["countries", "regions"]:
        layer = layers[lname]
        for f in layer.getFeatures(QgsFeatureRequest()):
            out.append(("%s %s" % (lname, f["name"]), QgsGeometry(f.geometry())))
    return out


UNITS = polygon_units()


def unit_pixels(extent, res, width, height, step=2):
    """The pixels (every `step`-th) inside each unit polygon: the polygons
    painted in colours that number them (no antialiasing), read back once."""
    from qgis.PyQt.QtCore import QPointF, Qt
    from qgis.PyQt.QtGui import QImage, QPainter, QPainterPath
    index = QImage(width, height, QImage.Format_RGB32)
    index.fill(0)
    painter = QPainter(index)
    painter.setRenderHint(QPainter.Antialiasing, False)
    painter.setPen(Qt.NoPen)
    for i, (name, geom) in enumerate(UNITS):
        path = QPainterPath()
        path.setFillRule(Qt.OddEvenFill)
        parts = geom.asMultiPolygon() if geom.isMultipart() else [geom.asPolygon()]
        for polygon in parts:
            for ring in polygon:
                pts = [QPointF((p.x() - extent.xMinimum()) / res, (extent.yMaximum() - p.y()) / res) for p in ring]
                if pts:
                    path.moveTo(pts[0])
                    for q in pts[1:]:
                        path.lineTo(q)
                    path.closeSubpath()
        painter.fillPath(path, QColor((i + 1) >> 16 & 255, (i + 1) >> 8 & 255, (i + 1) & 255))
    painter.end()
    pic = Picture(index)
    out = {}
    for y in range(0, height, step):
        for x in range(0, width, step):
            r, g, b = pic.rgb(x, y)
            n = (r << 16 | g << 8 | b) - 1
            if n >= 0:
                out.setdefault(UNITS[n][0], []).append((x, y))
    return out


def compare(tag, extent, width, labels_needed):
    res = extent.width() / width
    height = int(round(extent.height() / res))
    extent = QgsRectangle(extent.xMinimum(), extent.yMaximum() - height * res, extent.xMaximum(),
                          extent.yMaximum())
    png = os.path.join(outdir, "qgis-gpkg-%s.png" % tag)
    pic, labels, errors = render(stack, WGS84, extent, (width, height), png)
    problems.expect(not errors, "%s: QGIS render errors %s" % (tag, errors))
    wms_url = ("%s/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=CRS:84"
               "&BBOX=%.9f,%.9f,%.9f,%.9f&WIDTH=%d&HEIGHT=%d&FORMAT=image/png&TIME=%s" %
               (base, extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum(), width, height,
                date))
    wms = fetch_png(wms_url)
    wms.image.save(os.path.join(outdir, "qgis-gpkg-%s-wms.png" % tag), "PNG")

    # The same fill in every polygon big enough to tell (its modal colour).
    compared, mismatches = 0, []
    for name, pts in unit_pixels(extent, res, width, height).items():
        if len(pts) < 100:
            continue
        compared += 1
        q, w = pic.modal_rgb(pts), wms.modal_rgb(pts)
        if not close(q, w, 10):
            mismatches.append("%s: QGIS %s, WMS %s" % (name, q, w))
    problems.expect(compared >= 10, "%s: only %d polygons large enough to compare" % (tag, compared))
    problems.expect(len(mismatches) <= compared // 20,
                    "%s: %d of %d polygons filled differently from the WMS map: %s (see %s)" %
                    (tag, len(mismatches), compared, "; ".join(mismatches[:8]), png))
    print("%s: %d polygons compared, %d differ; %d labels placed by QGIS" %
          (tag, compared, len(mismatches), len(labels)))

    placed = {}
    for lname, text in labels:
        placed.setdefault(lname, []).append(text.split("\n")[0])
    for lname, texts in labels_needed.items():
        for t in texts:
            problems.expect(t in placed.get(lname, []), "%s: no label %r of layer %s placed by QGIS (placed: %s)" %
                            (tag, t, lname, sorted(placed.get(lname, []))[:30]))
    return placed


# The file's extent, as QGIS's "Zoom to layer(s)" over all of them.
extent = QgsRectangle()
for layer in layers.values():
    extent.combineExtentWith(layer.extent())
compare("extent", extent, 1100, {"countries": ["MALI", "NIGER"], "places": ["Bamako", "Niamey"]})

# Closer in, around Niamey and the Liptako-Gourma: labels inside the
# labelled countries (regions, towns, sites) must find room.
placed = compare("niamey", QgsRectangle(-1.5, 11.0, 5.5, 16.0), 1000, {"places": ["Niamey"]})
for lname in ["regions", "places", "sites"]:
    problems.expect(len(placed.get(lname, [])) >= 1 + (lname == "places"),
                    "niamey: labels of layer %s placed by QGIS: %s" % (lname, placed.get(lname, [])))
finish(problems)
