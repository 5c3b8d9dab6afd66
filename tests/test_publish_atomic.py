"""Atomic publication: a publish SIGKILLed before or after any rename leaves readers exactly the
old or exactly the new snapshot, through every path they read (the top-level names, ``latest``
and each year's pointer); old snapshots are pruned but never one a pointer names; an export
folder named o'brien publishes; a folder published flat by an earlier version is taken over
without readers seeing anything but its files.

The kill is deterministic: the publishing process has os.replace/os.rename wrapped so that the
k-th rename out of the staging folder or in the export folder writes a marker and waits; the
test then SIGKILLs it (k = 1, 2, ... until a publish runs through). Each state is checked
against the manifest read through the same path."""

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

import duckdb
import pytest

from exports.pointer import KEEP_SNAPSHOTS, LATEST, SNAPSHOTS_DIR, migrate_flat_layout, prune, resolve_published
from exports.publish import STAGING_PREFIX, publish
from exports.snapshot import verify_snapshot

ROOT = Path(__file__).parent.parent
PAUSING_PUBLISHER = """
import os, signal, sys
from pathlib import Path
warehouse, exports, pause_at, marker = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
calls = 0
def pausing(real):
    def rename(src, dst, *args, **kwargs):
        global calls
        # renames inside the staging folder are not seen by readers (test_publish.py kills there)
        if os.path.basename(os.path.dirname(os.path.abspath(dst))).startswith(".staging-"):
            return real(src, dst, *args, **kwargs)
        calls += 1
        if calls == pause_at:
            marker.write_text(f"{os.path.basename(src)} -> {os.path.basename(dst)}")
            signal.pause()  # the test SIGKILLs the process here
        return real(src, dst, *args, **kwargs)
    return rename
os.replace, os.rename = pausing(os.replace), pausing(os.rename)
from exports.publish import publish
publish(warehouse, exports)
"""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listed(manifest: dict) -> dict[str, str]:
    """Every file a manifest names, with its checksum."""
    files = {manifest["snapshot"]["file"]: manifest["snapshot"]["sha256"], **manifest["quality_report"]["files"]}
    for table in manifest["tables"]:
        files[table["parquet_file"]] = table["parquet_sha256"]
        files[table["csv_file"]] = table["csv_sha256"]
    for item in (*manifest["workbooks"], *manifest["annexes"]):
        files[item["file"]] = item["sha256"]
    return files


def whole_snapshot(base: Path) -> dict:
    """The manifest at ``base``, after checking that every file it names is there with its
    checksum and that the DuckDB snapshot's tables are its own."""
    manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in _listed(manifest).items():
        assert _sha(base / name) == digest, f"{base / name} is not the file of snapshot {manifest['snapshot_id']}"
    con = duckdb.connect(str(base / manifest["snapshot"]["file"]), read_only=True)
    try:
        assert verify_snapshot(con) == manifest["snapshot_id"]
    finally:
        con.close()
    return manifest


def what_readers_see(exports: Path) -> dict:
    """One whole snapshot through the top-level names and through ``latest``; every year's
    pointer names a whole snapshot too. Returns the top-level manifest."""
    top = whole_snapshot(exports)
    assert whole_snapshot(exports / LATEST)["snapshot_id"] == top["snapshot_id"]
    for pointer in exports.iterdir():
        if pointer.name.isdigit():
            whole_snapshot(pointer)
    return top


def _deterministic(manifest: dict) -> dict[str, str]:
    """The files that depend only on the data: all but the DuckDB file (its id row)."""
    return {k: v for k, v in _listed(manifest).items() if not k.endswith(".duckdb")}


@pytest.fixture(scope="module")
def changed_data(published_demo, tmp_path_factory) -> dict:
    """A second warehouse with other figures (every area indicator value + 0.5), in a folder
    named o'brien, published once into an export folder there: the reference publication of
    that data."""
    work = tmp_path_factory.mktemp("atomic") / "o'brien"
    work.mkdir()
    warehouse = work / "warehouse.duckdb"
    shutil.copy(published_demo["warehouse"], warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE publication.export_area_indicator SET value = value + 0.5 WHERE value IS NOT NULL")
    con.close()
    exports = work / "exports"
    manifest = publish(warehouse, exports)
    return {"warehouse": warehouse, "exports": exports, "manifest": manifest}


def test_an_export_folder_named_obrien_publishes(changed_data):
    exports = changed_data["exports"]
    assert "'" in str(exports)
    top = what_readers_see(exports)
    assert top["snapshot_id"] == changed_data["manifest"]["snapshot_id"]
    assert resolve_published(exports) == Path(changed_data["manifest"]["folder"])


def _kill_at_every_rename(warehouse: Path, exports: Path, references: list[dict], tmp_path: Path) -> list[tuple]:
    """Publish ``warehouse`` into ``exports`` again and again, pausing before the 1st, 2nd, ...
    rename and SIGKILLing there, until a publish runs through. After each kill readers see the
    snapshot they saw before, or a whole new one holding the new data."""
    new_files = [_deterministic(r) for r in references]
    seen, k = [], 1
    while True:
        before = what_readers_see(exports)
        marker = tmp_path / f"paused-{k}"
        publisher = subprocess.Popen([sys.executable, "-c", PAUSING_PUBLISHER, str(warehouse), str(exports), str(k),
                                      str(marker)], cwd=ROOT)
        deadline = time.monotonic() + 300
        while not marker.exists() and publisher.poll() is None:
            assert time.monotonic() < deadline, "the publish neither paused nor ended"
            time.sleep(0.02)
        if not marker.exists():
            assert publisher.wait() == 0
            after = what_readers_see(exports)
            assert after["snapshot_id"] != before["snapshot_id"] and _deterministic(after) in new_files
            seen.append((k, "ran through", "new"))
            return seen
        paused = what_readers_see(exports)  # while it waits before rename k
        assert paused["snapshot_id"] == before["snapshot_id"]
        os.kill(publisher.pid, signal.SIGKILL)
        publisher.wait()
        after = what_readers_see(exports)
        if after["snapshot_id"] == before["snapshot_id"]:
            seen.append((k, marker.read_text(), "old"))
        else:
            assert _deterministic(after) in new_files, "a new snapshot id with other files"
            seen.append((k, marker.read_text(), "new"))
        k += 1
        assert k < 60, "more renames than a publish has files"


def test_a_publish_killed_at_any_rename_leaves_the_old_or_the_new_snapshot(published_demo, changed_data, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(published_demo["exports"], exports, symlinks=True)
    old = what_readers_see(exports)
    assert _deterministic(old) != _deterministic(changed_data["manifest"])  # the data differ in the files
    seen = _kill_at_every_rename(changed_data["warehouse"], exports, [changed_data["manifest"]], tmp_path)
    # the publish is killed before its first rename, so the old snapshot stays, and a kill after
    # the pointer switch leaves the new one; nothing in between
    assert seen[0][2] == "old" and seen[-1][2] == "new"
    assert [s[2] for s in seen] == sorted((s[2] for s in seen), key=lambda v: v == "new"), seen
    assert len(seen) >= 3, seen
    # a killed run's abandoned staging folder and unnamed snapshot folders go with the next publish
    assert not list(exports.glob(f"{STAGING_PREFIX}*"))
    folders = sorted(p.name for p in (exports / SNAPSHOTS_DIR).iterdir())
    assert len(folders) <= KEEP_SNAPSHOTS and resolve_published(exports).name in folders


def test_a_new_report_year_killed_at_any_rename_keeps_each_years_folder(published_demo, changed_data, tmp_path):
    """The session's publication relabelled as report year 2024 (its own folder, `latest`); a
    publish of the next year switches `latest` too, and the 2024 folder stays as it was."""
    exports = tmp_path / "exports"
    shutil.copytree(published_demo["exports"], exports, symlinks=True)
    year = published_demo["report_year"]
    folder = resolve_published(exports)
    earlier = exports / SNAPSHOTS_DIR / f"{year - 1}-{folder.name.split('-', 1)[1]}"
    folder.rename(earlier)
    (exports / str(year)).unlink()
    os.symlink(f"{SNAPSHOTS_DIR}/{earlier.name}", exports / str(year - 1))
    (exports / LATEST).unlink()
    os.symlink(str(year - 1), exports / LATEST)
    kept = {p.name: _sha(p) for p in earlier.iterdir()}
    seen = _kill_at_every_rename(changed_data["warehouse"], exports, [changed_data["manifest"]], tmp_path)
    assert [s[2] for s in seen] == sorted((s[2] for s in seen), key=lambda v: v == "new"), seen
    assert len(seen) >= 4, seen  # the snapshot folder, the year's pointer, `latest`, and through
    assert os.readlink(exports / LATEST) == str(year)
    assert resolve_published(exports, year - 1) == earlier.resolve()
    assert {p.name: _sha(p) for p in earlier.iterdir()} == kept


def test_pruning_keeps_the_named_snapshot_and_those_before_it(tmp_path):
    exports = tmp_path / "exports"
    snapshots = exports / SNAPSHOTS_DIR
    for name in ["2019-2026-01-01T000000-a", "2021-2026-01-01T000000-a", "2025-2026-01-01T000000-a",
                 "2025-2026-02-01T000000-b", "2025-2026-03-01T000000-c", "2025-2026-04-01T000000-d",
                 "2025-2026-05-01T000000-e"]:
        (snapshots / name).mkdir(parents=True)
    os.symlink(f"{SNAPSHOTS_DIR}/2021-2026-01-01T000000-a", exports / "2021")
    # 2025 points at c (d and e: killed runs that never got named); 2019 has no pointer at all
    os.symlink(f"{SNAPSHOTS_DIR}/2025-2026-03-01T000000-c", exports / "2025")
    prune(exports, keep=2)
    assert sorted(p.name for p in snapshots.iterdir()) == [
        "2021-2026-01-01T000000-a", "2025-2026-02-01T000000-b", "2025-2026-03-01T000000-c"]


def test_a_flat_folder_from_an_earlier_version_is_taken_over_file_by_file(published_demo, tmp_path):
    """Before snapshot folders, the files lay side by side in the export folder: the first publish
    makes them a snapshot, and every top-level name reads the same bytes throughout."""
    flat = tmp_path / "exports"
    shutil.copytree(resolve_published(published_demo["exports"]), flat)
    before = {p.name: _sha(p) for p in flat.iterdir()}
    migrate_flat_layout(flat, STAGING_PREFIX)
    assert (flat / "manifest.json").is_symlink()
    assert {name: _sha(flat / name) for name in before} == before
    manifest = what_readers_see(flat)
    assert resolve_published(flat, manifest["data_vintage"]["report_year"]) == resolve_published(flat)
    migrate_flat_layout(flat, STAGING_PREFIX)  # a second call changes nothing
    assert len(list((flat / SNAPSHOTS_DIR).iterdir())) == 1
