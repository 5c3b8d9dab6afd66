"""A whole refresh while analysts read the published snapshot, and a refresh killed mid-way.

Readers never block the refresh and never see a mix of two snapshots; a killed refresh leaves
the published files and the warehouse as they were; the next run completes and, on the same
extracts, publishes byte-identical files (idempotent), only the manifest's time and snapshot id
differ."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from exports.snapshot import SNAPSHOT_FILE

BOLIGMONITOR = str(Path(sys.executable).with_name("boligmonitor"))


def _checksums(exports: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(exports.iterdir()) if p.is_file()}


def _lines(path: Path) -> list[dict]:
    """The reader's complete JSON lines so far (it may be writing the next one)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    """Poll ``condition`` until it holds: the test waits on progress, not for a fixed time."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(0.05)


def _read_until(process: subprocess.Popen, text: str, timeout: float = 600) -> None:
    """Read the run's console output until a line holds ``text`` (the run's stage lines)."""
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        if text in line:
            return
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {text!r}"
    raise AssertionError(f"the refresh ended (code {process.wait()}) before printing {text!r}")


def _run(paths: dict, env: dict, **popen) -> subprocess.Popen:
    return subprocess.Popen([BOLIGMONITOR, "refresh", str(paths["report_year"]), "--extracts", str(paths["extracts"]),
                             "--warehouse", str(paths["warehouse"]), "--exports", str(paths["exports"])],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, **popen)


def test_readers_during_refresh_killed_refresh_and_idempotent_rerun(published_demo, tmp_path):
    # the session's refresh is "the last good run"; the same report year makes the rerun comparable
    paths = {"extracts": published_demo["extracts"], "warehouse": tmp_path / "warehouse.duckdb",
             "exports": tmp_path / "exports", "report_year": published_demo["report_year"]}
    shutil.copy(published_demo["warehouse"], paths["warehouse"])
    shutil.copytree(published_demo["exports"], paths["exports"], symlinks=True)
    first = _checksums(paths["exports"])
    warehouse_before = hashlib.sha256(paths["warehouse"].read_bytes()).hexdigest()
    first_id = json.loads((paths["exports"] / "manifest.json").read_text(encoding="utf-8"))["snapshot_id"]
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir()

    stop = tmp_path / "stop"
    reader_script = str(Path(__file__).with_name("snapshot_reader.py"))
    readers = {mode: subprocess.Popen([sys.executable, reader_script, str(paths["exports"] / SNAPSHOT_FILE), str(stop),
                                       str(tmp_path / f"{mode}.jsonl"), mode]) for mode in ("persistent", "reconnect")}
    logs = {mode: tmp_path / f"{mode}.jsonl" for mode in readers}
    try:
        _wait_for(lambda: all(_lines(log) for log in logs.values()), "both readers' first query")
        # 1. killed while dbt rebuilds the warehouse: the copy is loaded, dbt's stage has started
        killed = _run(paths, env)
        _read_until(killed, "refreshing the warehouse")
        _read_until(killed, "] dbt ...")
        assert killed.poll() is None, "the refresh ended before it could be killed"
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
        assert _checksums(paths["exports"]) == first, "a killed refresh changed the published files"
        # it wrote a copy beside the warehouse, never the warehouse itself
        assert hashlib.sha256(paths["warehouse"].read_bytes()).hexdigest() == warehouse_before
        assert (tmp_path / ".warehouse.duckdb.building").exists()
        # 2. the next run completes, with both readers still reading
        done = _run(paths, env)
        output, _ = done.communicate(timeout=900)
        assert done.returncode == 0, output[-4000:]
        # the reconnecting reader's next query sees the new snapshot; the open connection reads
        # on after it (two more queries), still on the old one
        new_id = json.loads((paths["exports"] / "manifest.json").read_text(encoding="utf-8"))["snapshot_id"]
        _wait_for(lambda: any(x.get("snapshot_id") == new_id for x in _lines(logs["reconnect"])),
                  "the reconnecting reader to see the new snapshot")
        persistent_seen = len(_lines(logs["persistent"]))
        _wait_for(lambda: len(_lines(logs["persistent"])) >= persistent_seen + 2, "the open connection's next queries")
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=60)
    second = _checksums(paths["exports"])
    second_id = json.loads((paths["exports"] / "manifest.json").read_text(encoding="utf-8"))["snapshot_id"]
    assert second_id != first_id
    assert not (tmp_path / ".warehouse.duckdb.building").exists()  # the killed run's copy is gone

    seen = {}
    for mode in readers:
        lines = _lines(logs[mode])
        errors = [x["error"] for x in lines if "error" in x]
        assert not errors, f"{mode} reader: {errors[:3]}"
        assert len(lines) > 20, mode
        ids = [x["snapshot_id"] for x in lines]
        assert set(ids) <= {first_id, second_id}
        # old, then new: never back
        assert ids == sorted(ids, key=lambda i: i == second_id), mode
        seen[mode] = ids
    # the open connection keeps the snapshot it opened; a new connection gets the new one
    assert set(seen["persistent"]) == {first_id}
    assert seen["reconnect"][0] == first_id and seen["reconnect"][-1] == second_id

    # idempotent: same extracts, same files; only the manifest and the snapshot's id row differ
    changed = {name for name in first if first[name] != second.get(name)}
    assert changed == {"manifest.json", SNAPSHOT_FILE}, changed
    assert "exports published" in output
