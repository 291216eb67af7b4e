"""QGIS 3 (PyQGIS, headless) as a test client: start QGIS offscreen, load
layers the way its dialogs do, render them with QGIS's own map renderer to a
PNG, and read pixels and placed labels back.

Starts no server and builds no file: the checks that import it are handed a
URL or a file. Needs Debian's /usr/bin/python3 with python3-qgis and
qgis-providers; `import qgis_harness` exits 77 (ctest's skip code) when they
are missing, so a check never passes without having run.
"""
import os
import shutil
import sqlite3
import sys
import tempfile
import urllib.request

SKIP = 77

# Before Qt loads: no display, no proxy for loopback, a throwaway profile.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"
_runtime = tempfile.mkdtemp(prefix="sahelmap-qgis-")
os.environ.setdefault("XDG_RUNTIME_DIR", _runtime)

try:
    from qgis.core import (  # noqa: E402
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsExpressionContext,
        QgsExpressionContextUtils,
        QgsMapRendererParallelJob,
        QgsMapRendererSequentialJob,
        QgsMapSettings,
        QgsProject,
        QgsRasterLayer,
        QgsRectangle,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize  # noqa: E402
    from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402
except ImportError as e:  # pragma: no cover - depends on the machine
    print("SKIP: PyQGIS is not installed (apt-get install python3-qgis qgis-providers): %s" % e)
    sys.exit(SKIP)

__all__ = [
    "Problems", "start", "finish", "wmts_layer", "gpkg_layers", "render", "Picture", "fetch", "fetch_png",
    "QgsCoordinateReferenceSystem", "QgsRectangle", "QColor", "QgsProject",
]

_app = None


def start():
    """QGIS started once per process, offscreen, with a fresh profile folder."""
    global _app
    if _app is None:
        _app = QgsApplication([], False, os.path.join(_runtime, "profile"))
        _app.initQgis()
    return _app


def finish(problems):
    """Prints the problems, one a line, and leaves with 1 if any, else 0.
    os._exit: QGIS 3.22 can crash in its own teardown (exitQgis with layers
    still referenced by Python), which must not turn a verdict into a
    signal."""
    for p in problems:
        print("FAIL: " + p)
    shutil.rmtree(_runtime, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(1 if problems else 0)


class Problems(list):
    """What went wrong, collected; `expect` adds one when a condition fails."""

    def expect(self, condition, what):
        if not condition:
            self.append(what)
        return bool(condition)


def wmts_layer(capabilities_url, layer="default", time=None, name=None):
    """A WMTS layer as QGIS's "Add WMTS" dialog adds it (Data Source Manager,
    WMS/WMTS tab, the layer picked in the "Tilesets" list). With no date
    chosen the dialog writes no tileDimensions at all; with one it writes
    tileDimensions=Time=<date>."""
    start()
    uri = ("contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&featureCount=10&format=image/png&layers=%s"
           "&styles=default&tileMatrixSet=WebMercatorQuad" % layer)
    if time:
        uri += "&tileDimensions=Time%%3D%s" % time
    uri += "&url=" + capabilities_url
    return QgsRasterLayer(uri, name or ("wmts %s %s" % (layer, time or "no date")), "wms")


def gpkg_layers(path):
    """Every vector layer of a GeoPackage, as "Add Vector Layer" / the Browser
    open them: `path|layername=NAME` through the OGR provider, which loads the
    default style from the file's layer_styles table. Answers (name, layer)
    in the file's order; tables without geometry are left out."""
    start()
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    names = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' "
                                      "ORDER BY rowid")]
    db.close()
    out = []
    for name in names:
        layer = QgsVectorLayer("%s|layername=%s" % (path, name), name, "ogr")
        if layer.isValid() and layer.isSpatial():
            out.append((name, layer))
    return out


class Picture:
    """A rendered or fetched image as RGBA bytes, with pixel helpers."""

    def __init__(self, image):
        img = image.convertToFormat(QImage.Format_RGBA8888)
        self.width, self.height = img.width(), img.height()
        ptr = img.constBits()
        ptr.setsize(img.sizeInBytes())
        self.stride = img.bytesPerLine()
        self.data = bytes(ptr)
        self.image = img

    def rgba(self, x, y):
        i = y * self.stride + 4 * x
        return tuple(self.data[i:i + 4])

    def rgb(self, x, y):
        return self.rgba(x, y)[:3]

    def modal_rgb(self, points):
        """The most common colour among pixels (x, y), quantised to 4 levels a
        channel step so antialiasing noise does not split a colour."""
        counts = {}
        exact = {}
        for x, y in points:
            if 0 <= x < self.width and 0 <= y < self.height:
                c = self.rgb(x, y)
                key = tuple(v // 4 for v in c)
                counts[key] = counts.get(key, 0) + 1
                exact.setdefault(key, c)
        if not counts:
            return None
        key = max(counts, key=counts.get)
        return exact[key]

    def share(self, predicate, step=1):
        n = hits = 0
        for y in range(0, self.height, step):
            for x in range(0, self.width, step):
                n += 1
                hits += bool(predicate(self.rgba(x, y)))
        return hits / max(n, 1)


def close(a, b, tolerance):
    return all(abs(int(p) - int(q)) <= tolerance for p, q in zip(a, b))


def render(layers, crs, extent, size, png_path, parallel=True, background=(255, 255, 255)):
    """Draws `layers` (top first, as QgsMapSettings wants them) with QGIS's
    map renderer, the parallel job (as the map canvas) or the sequential
    one, labels included. Saves the PNG; answers (Picture, placed labels as
    [(layer name, text)], renderer errors as text)."""
    start()
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(size[0], size[1]))
    settings.setExtent(extent)
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(*background))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    # The scopes QGIS's map canvas gives its renders (QgsMapCanvas::refreshMap):
    # without the map's, @map_scale and friends are NULL in every expression.
    context = QgsExpressionContext()
    context.appendScopes([QgsExpressionContextUtils.globalScope(),
                          QgsExpressionContextUtils.projectScope(QgsProject.instance()),
                          QgsExpressionContextUtils.mapSettingsScope(settings)])
    settings.setExpressionContext(context)
    job = QgsMapRendererParallelJob(settings) if parallel else QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png_path, "PNG")
    names = {l.id(): l.name() for l in layers}
    labels = []
    results = job.takeLabelingResults()
    if results is not None:
        for pos in results.allLabels():
            labels.append((names.get(pos.layerID, pos.layerID), pos.labelText))
    errors = ["%s: %s" % (e.layerID, e.message) for e in job.errors()]
    return Picture(image), labels, errors


def fetch(url, timeout=120):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


def fetch_png(url, timeout=120):
    """A PNG from the server, decoded by Qt; raises on a non-200 answer."""
    status, body = fetch(url, timeout)
    img = QImage()
    if status != 200 or not img.loadFromData(body, "PNG"):
        raise RuntimeError("%s answered %d, %r" % (url, status, body[:200]))
    return Picture(img)
