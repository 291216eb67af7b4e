"""Helpers of the cluster tests: sahelmap nodes, nginx and HTTP on loopback.

Every wait here is bounded; a process the helpers start is ended by stop().
"""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time

SKIP = 77


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, headers=None, timeout=20):
    """One GET on a fresh connection: (status, headers dict (lower-case), body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        res = conn.getresponse()
        body = res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, body
    finally:
        conn.close()


def metric(port, name, labels=None):
    """The value of one line of /metrics (labels: the text inside {...}), or None."""
    _, _, body = get(port, "/metrics")
    want = name + ("{" + labels + "}" if labels else "")
    for line in body.decode().splitlines():
        if line.startswith(want + " "):
            return float(line.split()[-1])
    return None


def metric_labels(port, name):
    """The label text of the first line of `name` in /metrics, or None."""
    _, _, body = get(port, "/metrics")
    m = re.search("^" + re.escape(name) + r"\{([^}]*)\} ", body.decode(), re.M)
    return m.group(1) if m else None


class Node:
    """One `sahelmap serve` process on a loopback port."""

    def __init__(self, binary, config, port, workdir, name, extra=()):
        self.binary, self.config, self.port, self.name = binary, config, port, name
        self.extra = list(extra)
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.proc = None

    def start(self, within=30):
        log = open(self.log_path, "a")
        args = [self.binary, "serve", "--port", str(self.port), "--threads", "2", "--render-threads", "1"]
        if self.config:
            args += ["--config", self.config]
        self.proc = subprocess.Popen(args + self.extra, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failure(f"node {self.name} exited with {self.proc.returncode}: {self.log()}")
            try:
                if get(self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise Failure(f"node {self.name} did not answer /healthz within {within} s: {self.log()}")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def kill(self):
        self.proc.kill()
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()[-3000:]


def wait_until(what, predicate, within, step=0.05):
    """Polls predicate() until it is true; the seconds it took, or Failure naming `what`."""
    start = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - start
        if time.monotonic() - start > within:
            raise Failure(f"{what}: not within {within} s")
        time.sleep(step)


def run(main):
    try:
        main()
    except Failure as e:
        print(f"FAIL: {e}")
        sys.exit(1)
