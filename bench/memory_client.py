#!/usr/bin/python3
"""The burst of bench/memory.sh (issue 17 item 2): for SECONDS, from 16
loopback source addresses (the server caps heavy work per address, and an
attack comes from many), at once:

  * MAPS clients asking WMS GetMap 4096x4096 PNG, read at full speed;
  * PRINTS clients asking A2 prints (PNG at 150 dpi, PDF at 300 dpi);
  * SLOW clients asking A2 PNG prints (300 dpi, 3.6 MB) and reading them a few bytes a
    second through a 4 KiB receive buffer, for as long as the server
    keeps sending (slow readers hold their answers' bodies).

Refused requests (503 or 429 with Retry-After) are retried after a second.
Prints one JSON line: answers by status, slow readers cut by the server
(their answer shorter than its Content-Length), errors. Loopback only;
every loop ends by SECONDS (the slow readers' by SECONDS + 35)."""
import json
import socket
import sys
import threading
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
maps, prints, slow = (int(a) for a in sys.argv[3:6])
lock = threading.Lock()
stats = {"answers": {}, "slow_complete": 0, "slow_cut": 0, "errors": 0}
deadline = time.monotonic() + seconds

MAP = ("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=default&STYLES=&CRS=EPSG:4326"
       "&BBOX=9,-12,25,16&WIDTH=4096&HEIGHT=4096&FORMAT=image/png")
PRINTS = ["/print?area=aes&paper=A2&dpi=150&format=png", "/print?area=aes&paper=A2&dpi=300&format=pdf"]
SLOW = "/print?area=aes&paper=A2&dpi=300&format=png"  # 3.6 MB, as in the issue


def count(status):
    with lock:
        stats["answers"][status] = stats["answers"].get(status, 0) + 1


def head(s, data):
    """Reads until the header is whole; returns (status, content length, body bytes so far)."""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return None, 0, 0
        data += chunk
    header, _, rest = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, length, len(rest)


def request(index, target, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((f"127.0.0.{10 + index % 16}", 0))
    s.settimeout(120)
    s.connect(("127.0.0.1", port))
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
    return s


def fast(index, targets):
    k = 0
    while time.monotonic() < deadline:
        target = targets[k % len(targets)]
        k += 1
        try:
            s = request(index, target)
            status, length, got = head(s, b"")
            while got < length:
                chunk = s.recv(1 << 16)
                if not chunk:
                    break
                got += len(chunk)
            s.close()
            count(status)
            if status in (429, 503):
                time.sleep(1)
        except OSError:
            with lock:
                stats["errors"] += 1
            time.sleep(0.5)


def slow_reader(index):
    while time.monotonic() < deadline:
        try:
            s = request(index, SLOW, rcvbuf=4096)
            status, length, got = head(s, b"")
            count(status)
            if status != 200:
                s.close()
                time.sleep(1)
                continue
            s.settimeout(5)
            until = deadline + 35
            while got < length and time.monotonic() < until:
                try:
                    chunk = s.recv(16)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                got += len(chunk)
                time.sleep(0.25)  # ~64 bytes a second
            s.close()
            with lock:
                stats["slow_complete" if got >= length else "slow_cut"] += 1
        except OSError:
            with lock:
                stats["errors"] += 1
            time.sleep(0.5)


threads = [threading.Thread(target=fast, args=(i, [MAP])) for i in range(maps)]
threads += [threading.Thread(target=fast, args=(i, PRINTS)) for i in range(prints)]
threads += [threading.Thread(target=slow_reader, args=(i,)) for i in range(slow)]
for t in threads:
    t.start()
for t in threads:
    t.join()
stats["answers"] = {str(k): v for k, v in sorted(stats["answers"].items(), key=lambda kv: str(kv[0]))}
print(json.dumps(stats))
