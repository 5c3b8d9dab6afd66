"""Concurrency around the warehouse: an analyst with the warehouse open read-only never makes a
refresh fail (the refresh builds a copy beside it and swaps it in), and a second refresh fails
at once naming the one that holds the refresh lock; a lock left by a dead process is taken over."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from exports.locks import LockHeld, hold_lock
from orchestration.refresh_guard import building_path, lock_path, refresh_warehouse

BOLIGMONITOR = str(Path(sys.executable).with_name("boligmonitor"))
READER = str(Path(__file__).with_name("warehouse_reader.py"))
HOLD_SCRIPT = """
import sys, time
from exports.locks import hold_lock
with hold_lock(sys.argv[1], "a test holder", command="boligmonitor refresh 2025 (test holder)"):
    print("held", flush=True)
    time.sleep(120)
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lines(path: Path) -> list[dict]:
    """The reader's complete JSON lines so far (it may be writing the next one)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [json.loads(x) for x in text.splitlines(keepends=True) if x.endswith("\n")]


def _wait_for_more_queries(out: Path, more: int = 2, timeout: float = 60) -> None:
    """Wait until the reader writing ``out`` has made ``more`` queries since now."""
    target, deadline = len(_lines(out)) + more, time.monotonic() + timeout
    while len(_lines(out)) < target:
        assert time.monotonic() < deadline, f"the reader writing {out.name} stopped querying"
        time.sleep(0.05)


def _start_reader(warehouse: Path, stop: Path, out: Path, mode: str, sql: str) -> subprocess.Popen:
    reader = subprocess.Popen([sys.executable, READER, str(warehouse), str(stop), str(out), mode, sql])
    deadline = time.monotonic() + 30
    while not (out.exists() and out.read_text(encoding="utf-8")):
        assert reader.poll() is None and time.monotonic() < deadline, "the reader did not open the warehouse"
        time.sleep(0.05)
    return reader


def test_a_live_holder_is_named_at_once_and_a_dead_ones_lock_is_taken_over(tmp_path):
    lock = tmp_path / "warehouse.duckdb.refresh.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_SCRIPT, str(lock)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).parent.parent)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(LockHeld) as held:
            with hold_lock(lock, "A refresh of warehouse.duckdb"):
                pass
        assert time.monotonic() - started < 2
        message = str(held.value)
        assert f"pid {holder.pid}" in message and socket.gethostname() in message
        assert "boligmonitor refresh 2025 (test holder)" in message and "since 20" in message
    finally:
        holder.kill()
        holder.wait()
    # the holder was killed: its lock file still names it, and the next one takes it over
    assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == holder.pid
    said = []
    with hold_lock(lock, "A refresh of warehouse.duckdb", say=said.append):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert len(said) == 1 and f"pid {holder.pid}" in said[0] and "has ended" in said[0]


def test_the_refresh_writes_a_copy_beside_the_warehouse_an_analyst_has_open(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m AS SELECT 1 AS v")
    con.close()
    stop = tmp_path / "stop"
    reader = _start_reader(warehouse, stop, tmp_path / "reader.jsonl", "persistent", "SELECT v FROM marts.m")
    try:
        before = _sha(warehouse)
        # a refresh that fails: the warehouse stays byte-identical and the copy goes
        with refresh_warehouse(warehouse) as build:
            assert build.path == building_path(warehouse) and build.path.name == warehouse.name
            con = duckdb.connect(str(build.path))  # the analyst's read-only connection does not block this
            con.execute("CREATE OR REPLACE TABLE marts.m AS SELECT 2 AS v")
            con.close()
        assert _sha(warehouse) == before and not build.path.parent.exists()
        # a refresh that passes is swapped in; the analyst's open connection keeps the old file
        with refresh_warehouse(warehouse) as build:
            con = duckdb.connect(str(build.path))
            con.execute("CREATE OR REPLACE TABLE marts.m AS SELECT 3 AS v")
            con.close()
            build.commit()
        _wait_for_more_queries(tmp_path / "reader.jsonl")  # the open connection reads on after the swap
        assert not lock_path(warehouse).read_text(encoding="utf-8")  # released: nobody to name
    finally:
        stop.touch()
        reader.wait(timeout=30)
    fresh = duckdb.connect(str(warehouse), read_only=True)
    assert fresh.execute("SELECT v FROM marts.m").fetchone()[0] == 3
    fresh.close()
    lines = _lines(tmp_path / "reader.jsonl")
    assert not [x for x in lines if "error" in x] and {x["value"] for x in lines if "value" in x} == {"1"}


@pytest.fixture(scope="module")
def export_beside_an_analyst(published_demo, tmp_path_factory) -> dict:
    """`boligmonitor export` on a copy of the session's warehouse while two analysts query its
    marts read-only (one connection kept open, one reconnecting), and a second `export` started
    while the first holds the refresh lock."""
    work = tmp_path_factory.mktemp("refresh_lock")
    warehouse, exports = work / "warehouse.duckdb", work / "exports"
    shutil.copy(published_demo["warehouse"], warehouse)
    shutil.copytree(published_demo["exports"], exports, symlinks=True)
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home")}
    (work / "dagster_home").mkdir()
    stop = work / "stop"
    sql = "SELECT count(*) FROM marts.mart_area_indicator"
    readers = {mode: _start_reader(warehouse, stop, work / f"{mode}.jsonl", mode, sql)
               for mode in ("persistent", "reconnect")}
    command = [BOLIGMONITOR, "export", "--warehouse", str(warehouse), "--exports", str(exports)]
    result = {"warehouse": warehouse, "work": work, "before": _sha(warehouse)}
    try:
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lock, deadline = lock_path(warehouse), time.monotonic() + 120
        while not (lock.exists() and lock.read_text(encoding="utf-8")):
            assert first.poll() is None and time.monotonic() < deadline, "the export took no refresh lock"
            time.sleep(0.05)
        result["holder"] = json.loads(lock.read_text(encoding="utf-8"))
        started = time.monotonic()
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        result["second"] = (second.returncode, second.stdout + second.stderr, time.monotonic() - started)
        output, _ = first.communicate(timeout=1200)
        result["first"] = (first.returncode, output, first.pid)
        # each analyst queries again after the swap: the reconnecting one opens the swapped-in file
        for mode in readers:
            _wait_for_more_queries(work / f"{mode}.jsonl")
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=60)
    result["readers"] = {mode: _lines(work / f"{mode}.jsonl") for mode in readers}
    return result


def test_an_analyst_reading_the_warehouse_does_not_make_the_refresh_fail(export_beside_an_analyst):
    returncode, output, _ = export_beside_an_analyst["first"]
    assert returncode == 0, output[-4000:]
    assert "exports published" in output
    warehouse = export_beside_an_analyst["warehouse"]
    assert _sha(warehouse) != export_beside_an_analyst["before"], "the rebuilt warehouse was not swapped in"
    assert not building_path(warehouse).parent.exists()
    for mode, lines in export_beside_an_analyst["readers"].items():
        errors = [x["error"] for x in lines if "error" in x]
        assert not errors, f"{mode} analyst: {errors[:3]}"
        assert len([x for x in lines if "value" in x]) > 10, mode


def test_a_second_refresh_fails_at_once_naming_the_holder(export_beside_an_analyst):
    returncode, output, seconds = export_beside_an_analyst["second"]
    holder = export_beside_an_analyst["holder"]
    _, _, first_pid = export_beside_an_analyst["first"]
    assert returncode == 3, output[-3000:]
    assert seconds < 15, seconds  # at once: not after DuckDB's lock timeout, not after a dbt parse
    assert holder["pid"] == first_pid
    assert f"pid {first_pid} on {socket.gethostname()}" in output
    assert "export" in holder["command"] and holder["command"] in output and f"since {holder['since']}" in output
    assert "nothing was changed" in output
