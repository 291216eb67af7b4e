"""QGIS (PyQGIS, headless) reading a protected layer over OGC API - Features:
without a key the collection does not exist for it; with the key in the
Authorization header (set on every request QGIS sends, through its network
manager's request preprocessor: QGIS 3.22's OAPIF provider has no header
option of its own) or as ?key= in the URL, it loads every feature.

    qgis_access.py BASE_URL KEY
"""
import json
import shutil
import sys
import tempfile
import urllib.request

import qgis_harness as h  # exits 77 without PyQGIS

from qgis.core import QgsNetworkAccessManager, QgsVectorLayer  # noqa: E402
from qgis.PyQt.QtCore import QByteArray  # noqa: E402

base, key = sys.argv[1], sys.argv[2]
h.start()
problems = h.Problems()

header = {"value": None}


def add_header(request):
    if header["value"]:
        request.setRawHeader(QByteArray(b"Authorization"), QByteArray(header["value"].encode()))


QgsNetworkAccessManager.setRequestPreprocessor(add_header)
# QGIS's disk cache outlives the process and ignores Vary: a fresh one, so an
# earlier run's keyed answers cannot stand in for the server's.
_cache = QgsNetworkAccessManager.instance().cache()
_cache_dir = tempfile.mkdtemp(prefix="sahelmap-qgis-cache-")
if _cache is not None:
    _cache.setCacheDirectory(_cache_dir)
    _cache.clear()


# Kept to the end: QGIS 3.22 can crash destroying an OAPIF layer that failed to open.
layers = []


def sites(url):
    layer = QgsVectorLayer("url='%s' typename='sites'" % url, "sites", "OAPIF")
    layers.append(layer)
    return layer, (layer.featureCount() if layer.isValid() else None)


# What the server holds, asked with the key: the count QGIS must load.
request = urllib.request.Request(base + "/ogc/collections/sites/items?f=json&limit=10000",
                                 headers={"Authorization": "Bearer " + key})
expected = len(json.load(urllib.request.urlopen(request, timeout=60))["features"])
problems.expect(expected > 0, "the server has no sites to protect")

layer, count = sites(base + "/ogc")
problems.expect(not layer.isValid(), "without a key QGIS found the protected collection (%s features)" % count)

# Before any keyed load: QGIS's own network cache ignores Vary and would
# answer a later request with another key from the keyed answers it keeps.
header["value"] = "Bearer not-the-key"
layer, count = sites(base + "/ogc")
problems.expect(not layer.isValid(), "with a wrong key QGIS opened sites (%s features)" % count)

header["value"] = "Bearer " + key
layer, count = sites(base + "/ogc")
problems.expect(layer.isValid(), "with the Authorization header QGIS could not open sites")
problems.expect(count == expected, "with the header QGIS read %s sites, the server holds %d" % (count, expected))

header["value"] = None
layer, count = sites(base + "/ogc?key=" + key)
problems.expect(count == expected, "with ?key= QGIS read %s sites, the server holds %d" % (count, expected))
shutil.rmtree(_cache_dir, ignore_errors=True)
h.finish(problems)
