"""The shared PostgreSQL target, against a real PostgreSQL server this module starts (Debian's
package, installed by `make system-deps`): the published snapshot is loaded with COPY, read
back with psql and compared with the warehouse's export relations; a second load swaps the
schema in one transaction while a BI session keeps querying."""

from __future__ import annotations

import csv
import glob
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from publish_readback import canonical, export_relation_names, mart_rows, relation_kinds

BOLIGMONITOR = str(Path(sys.executable).with_name("boligmonitor"))


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert found, "PostgreSQL is not installed: run `make system-deps` (apt-get install postgresql)"
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_dsn():
    """initdb into a fresh folder and start the server on a free port; as root, the server runs
    as the 'postgres' system user (PostgreSQL refuses to run as root)."""
    bin_dir = _postgres_bin()
    data = Path(tempfile.mkdtemp(prefix="boligmonitor-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        # /usr/sbin is not on every PATH (a plain user PATH, cron)
        as_user = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data / "db"), "-U", "boligmonitor",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-l", str(data / "log"), "-w", "-t", "60",
                    "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start"], check=True,
                   capture_output=True)
    try:
        yield f"postgresql://boligmonitor@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def _psql(dsn: str, sql: str) -> str:
    done = subprocess.run(["psql", dsn, "-X", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_published_marts_load_into_postgres_and_read_back_with_psql(published_demo, postgres_dsn):
    exports, warehouse = published_demo["exports"], published_demo["warehouse"]
    done = subprocess.run([BOLIGMONITOR, "postgres", "--dsn", postgres_dsn, "--exports", str(exports)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    tables = set(_psql(postgres_dsn, "COPY (SELECT table_name FROM information_schema.tables "
                                     "WHERE table_schema = 'boligmonitor') TO STDOUT").split())
    relations = set(export_relation_names(warehouse))
    assert relations <= tables and tables - relations == {"_snapshot", "_snapshot_tables"}
    for relation in sorted(relations):
        kinds = relation_kinds(warehouse, relation)
        columns = ", ".join(f'"{c}"' for c, _ in kinds)
        text = _psql(postgres_dsn, f'COPY (SELECT {columns} FROM boligmonitor."{relation}") TO STDOUT WITH (FORMAT csv, HEADER)')
        reader = csv.reader(io.StringIO(text))
        assert next(reader) == [c for c, _ in kinds]
        rows = [["" if v == "" else {"t": "true", "f": "false"}.get(v, v) if k == "bool" else v
                 for v, (_, k) in zip(row, kinds)] for row in reader]
        assert canonical(rows, kinds) == canonical(mart_rows(warehouse, relation), kinds), relation
    # numbers are numbers in PostgreSQL, not text: a BI tool can sum them
    types = dict(line.split("|") for line in _psql(
        postgres_dsn, "COPY (SELECT column_name || '|' || data_type FROM information_schema.columns WHERE "
        "table_schema = 'boligmonitor' AND table_name = 'export_area_indicator') TO STDOUT").split("\n") if line)
    assert types["value"] == "double precision" and types["flag_small_n"] == "boolean"


def test_a_reload_swaps_the_schema_while_a_session_reads(published_demo, postgres_dsn):
    import psycopg

    from exports.postgres import load_snapshot
    from exports.snapshot import SNAPSHOT_FILE

    snapshot = published_demo["exports"] / SNAPSHOT_FILE
    load_snapshot(snapshot, postgres_dsn)
    errors, counts, stop = [], [], threading.Event()

    def bi_session():
        with psycopg.connect(postgres_dsn, autocommit=True) as con:
            while not stop.is_set():
                try:
                    counts.append(con.execute("SELECT count(*) FROM boligmonitor.export_area_indicator").fetchone()[0])
                except Exception as error:  # noqa: BLE001 - recorded and asserted below
                    errors.append(repr(error))
                time.sleep(0.01)

    reader = threading.Thread(target=bi_session)
    reader.start()
    try:
        loaded = load_snapshot(snapshot, postgres_dsn)
    finally:
        time.sleep(0.2)
        stop.set()
        reader.join()
    assert not errors, errors[:3]
    expected = next(t["rows"] for t in loaded if t["relation"] == "export_area_indicator")
    assert counts and set(counts) == {expected}
    schemas = _psql(postgres_dsn, "COPY (SELECT schema_name FROM information_schema.schemata "
                                  "WHERE schema_name LIKE 'boligmonitor%') TO STDOUT").split()
    assert schemas == ["boligmonitor"]  # no loading or previous schema left behind
