#!/usr/bin/python3
"""Fixed-rate mixed load for bench/soak.sh: cached and cold raster tiles,
vector tiles, WMS GetMap at arbitrary scales and sizes, OGC API items.
Sends RATE requests per second (spread by a schedule, not in bursts) on
CONNECTIONS keep-alive connections (default 16) to 127.0.0.1:PORT for SECONDS, and prints one JSON
line: requests sent, answers by status class, errors, and latency quantiles.
Loopback only."""
import http.client
import json
import random
import sys
import threading
import time

port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
workers = int(sys.argv[4]) if len(sys.argv) > 4 else 16  # keep-alive connections, one per thread
rng = random.Random(20261203)
lock = threading.Lock()
stats = {"sent": 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, "errors": 0, "late": 0}
latencies = []

# A fixed set of tiles that stays in the cache once drawn.
cached = [f"/tiles/default/{z}/{x}/{y}.png" for z, x, y in
          [(4, 7, 7), (4, 8, 7), (5, 15, 14), (5, 16, 14), (6, 31, 29), (6, 32, 29), (6, 31, 30), (7, 63, 59)]]
dates = [f"{y}-{m:02d}-01" for y in range(2019, 2026) for m in range(1, 13)]


def lon_to_x(lon, z):
    return int((lon + 180) / 360 * (1 << z))


def lat_to_y(lat, z):
    import math
    phi = math.radians(lat)
    return int((1 - math.asinh(math.tan(phi)) / math.pi) / 2 * (1 << z))


def pick(r):
    kind = r.random()
    if kind < 0.45:
        return r.choice(cached)
    if kind < 0.65:  # cold: any tile over the Sahel at z6-11, any month
        z = r.randint(6, 11)
        lon, lat = r.uniform(-12, 16), r.uniform(9, 25)
        return f"/tiles/default/{z}/{lon_to_x(lon, z)}/{lat_to_y(lat, z)}.png?time={r.choice(dates)}"
    if kind < 0.80:
        z = r.randint(4, 10)
        lon, lat = r.uniform(-12, 16), r.uniform(9, 25)
        return f"/tiles/vector/{z}/{lon_to_x(lon, z)}/{lat_to_y(lat, z)}.mvt"
    if kind < 0.92:  # WMS at an arbitrary scale and size
        w, h = r.randint(200, 1024), r.randint(200, 768)
        span = r.uniform(0.5, 20)
        lon, lat = r.uniform(-12, 16 - span), r.uniform(9, 25 - span * h / w)
        bbox = f"{lat:.5f},{lon:.5f},{lat + span * h / w:.5f},{lon + span:.5f}"
        return ("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:4326"
                f"&BBOX={bbox}&WIDTH={w}&HEIGHT={h}&FORMAT=image/png&TIME={r.choice(dates)}")
    lon, lat = r.uniform(-12, 14), r.uniform(9, 23)
    coll = r.choice(["sites", "corridors", "regions", "events"])
    return f"/ogc/collections/{coll}/items?bbox={lon:.3f},{lat:.3f},{lon + 2:.3f},{lat + 2:.3f}&limit=50"


def connect(index):
    # Clients from 16 loopback addresses: the server caps heavy jobs per
    # client address, and a soak models many clients, not one.
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(f"127.0.0.{10 + index}", 0))


def worker(index, start):
    r = random.Random(index * 7919 + 1)
    conn = connect(index)
    k = index
    while True:
        due = start + k / rate
        # Bounded in time even when the server falls behind the schedule.
        if due - start >= seconds or time.monotonic() - start >= seconds:
            break
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        elif delay < -1:
            with lock:
                stats["late"] += 1  # sent over a second behind its slot: the server is past capacity
        k += workers
        target = pick(r)
        t0 = time.monotonic()
        try:
            conn.request("GET", target, headers={"Accept-Encoding": "gzip"})
            resp = conn.getresponse()
            resp.read()
            cls = f"{resp.status // 100}xx"
            with lock:
                stats["sent"] += 1
                stats[cls] = stats.get(cls, 0) + 1
                latencies.append(time.monotonic() - t0)
        except Exception:
            with lock:
                stats["sent"] += 1
                stats["errors"] += 1
            conn.close()
            conn = connect(index)


start = time.monotonic() + 0.1
threads = [threading.Thread(target=worker, args=(i, start)) for i in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
latencies.sort()
q = lambda p: round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1) if latencies else None
stats.update({"seconds": round(time.monotonic() - start, 1), "p50_ms": q(0.5), "p99_ms": q(0.99)})
print(json.dumps(stats))
