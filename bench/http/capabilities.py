#!/usr/bin/env python3
"""Capabilities documents over HTTP, as clients ask for them: WMS 1.3.0,
WMS 1.1.1 and WMTS GetCapabilities on one keep-alive connection each; the
first answer (made) and the median of the next N (served from memory until a
reload). Listens on 127.0.0.1 only, bounded by the request count.

    bench/http/capabilities.py path/to/sahelmap [requests, default 300]
"""
import http.client
import re
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
    print(__doc__.strip())
    sys.exit(0 if len(sys.argv) >= 2 else 2)
binary = sys.argv[1]
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 300
server = subprocess.Popen([binary, "serve", "--bind", "127.0.0.1", "--port", "0", "--log-level", "warn"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
port = None
started = time.monotonic()
for line in server.stdout:
    found = re.search(r"127\.0\.0\.1:(\d+)", line)
    if found:
        port = int(found.group(1))
        break
    if time.monotonic() - started > 30:
        break
if port is None:
    server.kill()
    sys.exit("capabilities.py: the server did not say its port")
try:
    for path in ("/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0",
                 "/wms?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.1.1",
                 "/wmts/1.0.0/WMTSCapabilities.xml"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        times = []
        for _ in range(requests + 1):
            t = time.perf_counter()
            connection.request("GET", path)
            answer = connection.getresponse()
            body = answer.read()
            times.append((time.perf_counter() - t) * 1000)
            if answer.status != 200:
                sys.exit(f"capabilities.py: {path} answered {answer.status}")
        print(f"{path}: first {times[0]:.2f} ms, median of the next {requests} {statistics.median(times[1:]):.3f} ms "
              f"({len(body)} bytes)")
finally:
    server.terminate()
    server.wait()
