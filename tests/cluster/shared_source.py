"""Issue 16 item 4: three `sahelmap serve` nodes read their sites from one
real PostgreSQL+PostGIS on loopback, with the config key "reload" watching
the data version (a table a trigger bumps on every change).

  python3 tests/cluster/shared_source.py path/to/sahelmap

- an UPDATE reaches every node without a restart: within 2 s all three serve
  new tiles with one ETag, and stay ready;
- a node whose reload fails (its config now names a missing table) keeps its
  old tiles, says so in /metrics (reload failures, data versions, behind) and
  answers /readyz with 503 while the others converge; once its config is
  fixed and it is sent SIGHUP it catches up and is ready again.
Exit 0 pass, 1 fail, 77 skip (no PostgreSQL with PostGIS).
"""
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster import Failure, Node, free_port, get, metric, metric_labels, run, skip, wait_until  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROBE = "/tiles/default/5/15/14.png"  # sites lie in it: moving them changes it
CONVERGE = 2.0  # seconds, the bound


class Postgres:
    """A throw-away PostgreSQL on a loopback port (as tests/integration/postgis.sh starts one)."""

    def __init__(self, work):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not bins or not glob.glob("/usr/share/postgresql/*/extension/postgis.control"):
            skip("PostgreSQL with PostGIS is not installed (deploy/test.sh installs postgresql-15-postgis-3)")
        self.bin, self.work = bins[-1], work
        self.as_pg = []
        if os.getuid() == 0:
            try:
                subprocess.run(["id", "postgres"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except subprocess.CalledProcessError:
                skip("no postgres user")
            shutil.chown(work, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        # Below Linux's ephemeral range, where the other tests' clients and servers take ports.
        self.port = 20000 + random.randrange(12000)
        self.started = False

    def pg(self, tool, *args):
        subprocess.run(self.as_pg + [os.path.join(self.bin, tool), *args], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self.pg("initdb", "-D", f"{self.work}/db", "-U", "sahel", "--auth=trust")
        self.pg("pg_ctl", "-D", f"{self.work}/db", "-l", f"{self.work}/pg.log", "-w", "-t", "30",
                "-o", f"-h 127.0.0.1 -p {self.port} -k {self.work}", "start")
        self.started = True
        self.pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "sahel", "sahel")

    def sql(self, text):
        self.pg("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port), "-U", "sahel",
                "-d", "sahel", "-c", text)

    def connection(self):
        return f"PG:host=127.0.0.1 port={self.port} dbname=sahel user=sahel"

    def stop(self):
        if self.started:
            subprocess.run(self.as_pg + [os.path.join(self.bin, "pg_ctl"), "-D", f"{self.work}/db", "-m",
                                         "immediate", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_config(path, pg, table="sites"):
    with open(path, "w") as f:
        f.write('{"layers": {"sites": {"source": "%s", "layer": "%s"}},\n'
                ' "reload": {"watch": "%s"}}\n' % (pg, table, pg))


def readyz(port):
    status, _, body = get(port, "/readyz")
    return status, body.decode()


def etag(port):
    status, headers, body = get(port, PROBE)
    if status != 200:
        raise Failure(f"{PROBE} on port {port}: {status}")
    return headers.get("etag"), body


def main():
    if len(sys.argv) != 2:
        print("usage: shared_source.py path/to/sahelmap")
        sys.exit(2)
    binary = sys.argv[1]
    if not shutil.which("ogr2ogr"):
        skip("ogr2ogr is missing (apt-get install gdal-bin)")
    work = tempfile.mkdtemp(prefix="sahelmap-shared.")
    os.chmod(work, 0o755)
    db = Postgres(work)
    nodes = []
    try:
        db.start()
        db.sql("CREATE EXTENSION postgis")
        pg = db.connection()
        subprocess.run(["ogr2ogr", "-f", "PostgreSQL", pg, os.path.join(ROOT, "geodata", "sahel.gpkg"), "sites",
                        "-nln", "sites", "-lco", "GEOMETRY_NAME=geom"], check=True)
        # The data version the nodes watch: one row, bumped by every statement that changes the sites.
        db.sql("""
CREATE TABLE sahelmap_data_version (version bigint NOT NULL);
INSERT INTO sahelmap_data_version VALUES (1);
CREATE FUNCTION sahelmap_bump_version() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN UPDATE sahelmap_data_version SET version = version + 1; RETURN NULL; END $$;
CREATE TRIGGER sites_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
  FOR EACH STATEMENT EXECUTE FUNCTION sahelmap_bump_version();""")

        configs = [os.path.join(work, f"node{i + 1}.json") for i in range(3)]
        for c in configs:
            write_config(c, pg)
        nodes = [Node(binary, c, free_port(), work, f"node{i + 1}") for i, c in enumerate(configs)]
        for n in nodes:
            n.start()
        for n in nodes:
            status, body = readyz(n.port)
            if status != 200 or "data version 1" not in body:
                raise Failure(f"{n.name} /readyz at start: {status} {body!r}")
        first = {etag(n.port)[0] for n in nodes}
        if len(first) != 1:
            raise Failure(f"the nodes disagree on {PROBE} at start: {first}")
        print(f"3 nodes on one PostGIS, data version 1, one ETag {first}")

        # 1. A change reaches every node: new, agreeing ETags within 2 s, all ready.
        db.sql("UPDATE sites SET geom = ST_Translate(geom, 1.5, 0.5)")
        changed = time.monotonic()

        def converged(group, old):
            tags = {etag(n.port)[0] for n in group}
            return len(tags) == 1 and not tags & old
        took = wait_until("the nodes converge on data version 2", lambda: converged(nodes, first), CONVERGE + 3)
        took = time.monotonic() - changed
        print(f"UPDATE: all 3 nodes serve new tiles with one ETag {took:.2f} s later")
        if took > CONVERGE:
            raise Failure(f"the nodes took {took:.2f} s to converge (bound {CONVERGE} s)")
        for n in nodes:
            status, body = readyz(n.port)
            if status != 200 or "data version 2" not in body:
                raise Failure(f"{n.name} after the change: /readyz {status} {body!r}")
        second_tag, second_bytes = etag(nodes[2].port)

        # 2. Node 3's reload fails (its config now names a missing table): it
        # keeps version 2's tiles, says so in /metrics and drains; the others go on.
        broken = nodes[2]
        write_config(configs[2], pg, table="no_such_table")
        db.sql("DELETE FROM sites WHERE fid IN (SELECT fid FROM sites ORDER BY fid LIMIT 10)")
        changed = time.monotonic()
        wait_until("nodes 1 and 2 converge on data version 3", lambda: converged(nodes[:2], {second_tag}),
                   CONVERGE + 3)
        took = time.monotonic() - changed
        wait_until("node 3 reports not ready", lambda: readyz(broken.port)[0] == 503, CONVERGE + 3)
        took_drain = time.monotonic() - changed
        print(f"DELETE with node 3 broken: nodes 1-2 converge in {took:.2f} s, node 3 answers /readyz 503 "
              f"after {took_drain:.2f} s")
        if took > CONVERGE or took_drain > CONVERGE:
            raise Failure(f"beyond {CONVERGE} s: converge {took:.2f} s, drain {took_drain:.2f} s")
        status, body = readyz(broken.port)
        if "serves data version 2" not in body or "the database has 3" not in body or "no_such_table" not in body:
            raise Failure(f"node 3's /readyz does not say why: {body!r}")
        tag, data = etag(broken.port)
        if tag != second_tag or data != second_bytes:
            raise Failure("node 3 does not serve its old tiles after its failed reload")
        failures = metric(broken.port, "sahelmap_reload_failures_total")
        labels = metric_labels(broken.port, "sahelmap_data_version_info")
        behind = metric(broken.port, "sahelmap_data_behind")
        if not failures or failures < 1 or labels != 'served="2",database="3"' or behind != 1:
            raise Failure(f"node 3's /metrics: failures {failures}, versions {labels}, behind {behind}")
        for n in nodes[:2]:
            if readyz(n.port)[0] != 200 or metric(n.port, "sahelmap_data_behind") != 0:
                raise Failure(f"{n.name} is not ready on data version 3")
        print(f"node 3: old tiles, /metrics reload failures {failures:.0f}, {labels}, behind 1; "
              f"/readyz: {body.strip()}")

        # 3. Fixed and told to reload, node 3 catches up and is ready again.
        write_config(configs[2], pg)
        broken.signal(signal.SIGHUP)
        fixed = time.monotonic()
        wait_until("node 3 catches up", lambda: readyz(broken.port)[0] == 200 and
                   etag(broken.port)[0] == etag(nodes[0].port)[0], CONVERGE + 3)
        print(f"node 3 fixed: ready with the others' ETag {time.monotonic() - fixed:.2f} s after SIGHUP")
        if metric(broken.port, "sahelmap_data_behind") != 0:
            raise Failure("node 3 still reports itself behind in /metrics")
        print("shared source: PASS")
    finally:
        for n in nodes:
            n.stop()
        db.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    run(main)
