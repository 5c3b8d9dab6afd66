"""The shared PostgreSQL target, against a real PostgreSQL server this module starts (Debian's
package, installed by `make system-deps`): the published snapshot is loaded with COPY, read
back with psql and compared with the warehouse's export relations; a second load replaces the
rows in one transaction while a BI session keeps querying; reloads keep analysts' views, grants
and comments, and refuse (changing nothing) a column change a view depends on."""

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
    assert relations and relations <= tables and tables - relations == {"_snapshot", "_snapshot_tables"}
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


def test_a_reload_replaces_the_rows_while_a_session_reads(published_demo, postgres_dsn):
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

    def queries_reach(n: int) -> None:
        deadline = time.monotonic() + 60
        while len(counts) + len(errors) < n and reader.is_alive():
            assert time.monotonic() < deadline, "the session stopped querying"
            time.sleep(0.01)

    reader = threading.Thread(target=bi_session)
    reader.start()
    try:
        queries_reach(1)  # the session reads before the reload starts ...
        loaded = load_snapshot(snapshot, postgres_dsn)
        queries_reach(len(counts) + len(errors) + 2)  # ... and after it ended
    finally:
        stop.set()
        reader.join()
    assert not errors, errors[:3]
    expected = next(t["rows"] for t in loaded if t["relation"] == "export_area_indicator")
    assert counts and set(counts) == {expected}
    schemas = _psql(postgres_dsn, "COPY (SELECT schema_name FROM information_schema.schemata "
                                  "WHERE schema_name LIKE 'boligmonitor%') TO STDOUT").split()
    assert schemas == ["boligmonitor"]  # no loading or previous schema left behind


# Reloads against tiny snapshots built by hand (the layout publish writes: relations, _snapshot,
# _snapshot_tables), so these tests need no refresh and run in seconds.

def _tiny_snapshot(folder: Path, snapshot_id: str, areas: int, *, extra: tuple[str, ...] = ()) -> Path:
    import duckdb

    from exports.snapshot import SNAPSHOT_FILE

    folder.mkdir(parents=True)
    con = duckdb.connect(str(folder / SNAPSHOT_FILE))
    con.execute("CREATE TABLE export_area_indicator AS SELECT 'område ' || i AS area, i * 1.5 AS value, "
                "(10 + i)::INTEGER AS n FROM range(?) t(i)", [areas])
    con.execute("CREATE TABLE export_plan AS SELECT 'Helhedsplan' AS plan, 2021 AS target_year")
    for statement in extra:
        con.execute(statement)
    con.execute("CREATE TABLE _snapshot AS SELECT ? AS snapshot_id, 2024 AS report_year", [snapshot_id])
    con.execute("CREATE TABLE _snapshot_tables AS SELECT table_name AS relation FROM duckdb_tables() "
                "WHERE NOT starts_with(table_name, '_')")
    con.close()
    return folder / SNAPSHOT_FILE


def _query(dsn: str, sql: str, user: str | None = None) -> list[tuple]:
    import psycopg

    with psycopg.connect(dsn, **({"user": user} if user else {})) as con:
        return con.execute(sql).fetchall()


def _cli_load(dsn: str, exports: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([BOLIGMONITOR, "postgres", "--dsn", dsn, "--exports", str(exports), *options],
                          capture_output=True, text=True)


def test_two_reloads_keep_an_analysts_views_and_read_only_roles_working(postgres_dsn, tmp_path):
    """The issue's report: a reload dropped the schema, an analyst's view went with it and a BI
    role lost its grants. Two reloads later the views, the DBA's grant and the configured role
    all work and show the new rows; a BI transaction begun before a reload never sees an empty table."""
    import psycopg

    from exports.postgres import load_snapshot

    first = _tiny_snapshot(tmp_path / "first", "first", 6)
    second = _tiny_snapshot(tmp_path / "second", "second", 4, extra=(
        "CREATE TABLE export_new AS SELECT 1 AS x",  # a relation new in this snapshot
        "COMMENT ON TABLE export_area_indicator IS 'Indikatorer pr. område'",
        "COMMENT ON COLUMN export_area_indicator.value IS 'Indikatorens værdi'"))
    _psql(postgres_dsn, "CREATE ROLE bi_reader LOGIN; CREATE ROLE bi_config LOGIN")
    done = _cli_load(postgres_dsn, first.parent, "--grant-select-to", "bi_config")
    assert done.returncode == 0, done.stdout + done.stderr
    schema_oid = _query(postgres_dsn, "SELECT 'boligmonitor'::regnamespace::oid")
    # the analyst's views (one in their own schema, one in the published one) and the DBA's own grant
    _psql(postgres_dsn, "CREATE SCHEMA IF NOT EXISTS analyst; "
          "CREATE VIEW analyst.area_values AS SELECT * FROM boligmonitor.export_area_indicator; "
          "CREATE VIEW boligmonitor.analyst_count AS SELECT count(*) AS areas FROM boligmonitor.export_area_indicator; "
          "GRANT USAGE ON SCHEMA boligmonitor TO bi_reader; "
          "GRANT SELECT ON boligmonitor.export_area_indicator TO bi_reader")
    count = "SELECT count(*) FROM boligmonitor.export_area_indicator"
    assert _query(postgres_dsn, count, user="bi_reader") == [(6,)]

    with psycopg.connect(postgres_dsn) as bi:
        bi.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        bi.execute("SELECT 1")  # its snapshot is taken now, before the reload
        loaded = load_snapshot(second, postgres_dsn, read_roles=["bi_config"])
        assert bi.execute(count).fetchone() == (6,)  # the old rows, not an empty table
    assert {t["relation"]: t["rows"] for t in loaded}["export_area_indicator"] == 4
    assert _query(postgres_dsn, "SELECT count(*) FROM analyst.area_values") == [(4,)]
    assert _query(postgres_dsn, "SELECT areas FROM boligmonitor.analyst_count") == [(4,)]
    assert _query(postgres_dsn, count, user="bi_reader") == [(4,)]
    assert _query(postgres_dsn, "SELECT x FROM boligmonitor.export_new", user="bi_config") == [(1,)]
    comments = ("SELECT obj_description(attrelid, 'pg_class'), col_description(attrelid, attnum) FROM pg_attribute "
                "WHERE attrelid = 'boligmonitor.export_area_indicator'::regclass AND attname = 'value'")
    assert _query(postgres_dsn, comments) == [("Indikatorer pr. område", "Indikatorens værdi")]

    done = _cli_load(postgres_dsn, first.parent, "--grant-select-to", "bi_config")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _query(postgres_dsn, "SELECT count(*), sum(n) FROM analyst.area_values") == [(6, sum(range(10, 16)))]
    assert _query(postgres_dsn, "SELECT areas FROM boligmonitor.analyst_count") == [(6,)]
    assert _query(postgres_dsn, count, user="bi_reader") == [(6,)]
    assert _query(postgres_dsn, "SELECT plan FROM boligmonitor.export_plan", user="bi_config") == [("Helhedsplan",)]
    assert _query(postgres_dsn, "SELECT snapshot_id FROM boligmonitor._snapshot", user="bi_config") == [("first",)]
    assert _query(postgres_dsn, comments) == [("Indikatorer pr. område", "Indikatorens værdi")]
    # the relation no longer published is gone, the schema is the same object, no staging is left
    assert _query(postgres_dsn, "SELECT to_regclass('boligmonitor.export_new')") == [(None,)]
    assert _query(postgres_dsn, "SELECT 'boligmonitor'::regnamespace::oid") == schema_oid
    assert _query(postgres_dsn, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'boligmonitor%'") == [
        ("boligmonitor",)]


def test_a_changed_column_a_view_uses_is_refused_naming_the_view_and_nothing_changes(postgres_dsn, tmp_path):
    from exports.postgres import load_snapshot

    schema = "bm_refusal"
    load_snapshot(_tiny_snapshot(tmp_path / "first", "first", 5), postgres_dsn, schema=schema)
    _psql(postgres_dsn, "CREATE SCHEMA IF NOT EXISTS analyst; "
          f"CREATE VIEW analyst.area_value AS SELECT area, value FROM {schema}.export_area_indicator")
    everything = (f"SELECT (SELECT snapshot_id FROM {schema}._snapshot), "
                  f"(SELECT string_agg(t::text, ';' ORDER BY t::text) FROM {schema}.export_area_indicator t), "
                  f"(SELECT string_agg(t::text, ';' ORDER BY t::text) FROM {schema}.export_plan t), "
                  "(SELECT string_agg(t::text, ';' ORDER BY t::text) FROM analyst.area_value t)")
    before = _query(postgres_dsn, everything)

    # `value` renamed (dropped, a new column added), and other rows changed: refused whole
    renamed = _tiny_snapshot(tmp_path / "renamed", "renamed", 3, extra=(
        "ALTER TABLE export_area_indicator RENAME COLUMN value TO value_pct",
        "UPDATE export_plan SET target_year = 2030"))
    done = _cli_load(postgres_dsn, renamed.parent, "--schema", schema)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert "nothing changed" in done.stdout and "analyst.area_value" in done.stdout, done.stdout
    assert f"{schema}.export_area_indicator: the column(s) value " in done.stdout, done.stdout
    assert _query(postgres_dsn, everything) == before
    # a retyped column the view uses is refused as well (called as the Dagster publish calls it)
    retyped = _tiny_snapshot(tmp_path / "retyped", "retyped", 3, extra=(
        "ALTER TABLE export_area_indicator ALTER value TYPE VARCHAR",))
    with pytest.raises(RuntimeError, match=r"the column\(s\) value .*view analyst\.area_value"):
        load_snapshot(retyped, postgres_dsn, schema=schema)
    assert _query(postgres_dsn, everything) == before
    # a role that does not exist: refused before anything is written
    with pytest.raises(RuntimeError, match="no_such_role"):
        load_snapshot(renamed, postgres_dsn, schema=schema, read_roles=["no_such_role"])
    assert _query(postgres_dsn, everything) == before
    assert _query(postgres_dsn, f"SELECT nspname FROM pg_namespace WHERE nspname LIKE '{schema}%'") == [(schema,)]

    # a column the view does not use may change: `n` dropped, a column added, the view keeps working
    load_snapshot(_tiny_snapshot(tmp_path / "compatible", "compatible", 2, extra=(
        "ALTER TABLE export_area_indicator DROP COLUMN n",
        "ALTER TABLE export_area_indicator ADD COLUMN note VARCHAR")),
        postgres_dsn, schema=schema)
    assert _query(postgres_dsn, "SELECT count(*) FROM analyst.area_value") == [(2,)]
    assert _query(postgres_dsn, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                  f"'{schema}' AND table_name = 'export_area_indicator' ORDER BY column_name") == [
        ("area",), ("note",), ("value",)]
    # once the analyst drops the view, the renamed column loads
    _psql(postgres_dsn, "DROP VIEW analyst.area_value")
    load_snapshot(renamed, postgres_dsn, schema=schema)
    assert _query(postgres_dsn, f"SELECT count(value_pct), max(target_year) FROM {schema}.export_area_indicator, "
                  f"{schema}.export_plan") == [(3, 2030)]
    # a relation no longer published that a view uses is refused too, the table and its rows kept
    _psql(postgres_dsn, f"CREATE VIEW analyst.plans AS SELECT plan FROM {schema}.export_plan")
    with pytest.raises(RuntimeError, match=rf"{schema}\.export_plan is no longer published, and view analyst\.plans"):
        load_snapshot(_tiny_snapshot(tmp_path / "no_plan", "no_plan", 3, extra=("DROP TABLE export_plan",)),
                      postgres_dsn, schema=schema)
    assert _query(postgres_dsn, "SELECT plan FROM analyst.plans") == [("Helhedsplan",)]
