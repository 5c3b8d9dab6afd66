"""The swap at the end of a refresh (WarehouseBuild.commit) is safe at every point: a process
killed before any line of it leaves a warehouse that opens and is exactly the old one or exactly
the new one, also when the live warehouse or the refresh's copy has a WAL (changes DuckDB has
not yet written into the file, left by a writer that was killed). The live file must never lose
its WAL, nor meet a WAL that is not its own.

Each kill is a fresh process that runs commit() (or start(), which writes a WAL left on the live
warehouse into it) under a trace function and exits (os._exit, no cleanup) at the n-th line
executed in orchestration/refresh_guard.py, for every n."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.refresh_guard import (
    LockHeld,
    SwapRefused,
    WarehouseBuild,
    WarehouseInUse,
    building_path,
    lock_path,
    refresh_warehouse,
)

REPO = Path(__file__).resolve().parent.parent
KILLED = 17
KILLED_AT_LINE = """
import os, sys
from pathlib import Path
import orchestration.refresh_guard as guard

kill_at, lines = int(sys.argv[2]), 0

def count(frame, event, arg):
    global lines
    if event == "line":
        lines += 1
        if lines == kill_at:
            os._exit(17)
    return count

def trace(frame, event, arg):
    return count if frame.f_code.co_filename == guard.__file__ else None

build = guard.WarehouseBuild(Path(sys.argv[1]))
step = getattr(build, sys.argv[3])
sys.settrace(trace)
step()
sys.settrace(None)
print(lines)
"""
# a writer killed after its statements: DuckDB has them only in the WAL
WRITE_AND_DIE = """
import os, sys
import duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SET checkpoint_threshold = '1GB'")
con.execute(sys.argv[2])
os._exit(0)
"""


def _python(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _write(path: Path, sql: str, leave_wal: bool) -> None:
    if leave_wal:
        done = _python(WRITE_AND_DIE, str(path), sql)
        assert done.returncode == 0, done.stderr
        assert _wal(path).exists(), "the killed writer left no WAL: the case is not tested"
    else:
        con = duckdb.connect(str(path))
        con.execute(sql)
        con.close()
        assert not _wal(path).exists()


def _contents(path: Path) -> dict:
    """Every table's rows, read the way an analyst opens the warehouse (read-only, at its path)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                             "ORDER BY ALL").fetchall()
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for (name,) in tables}
    finally:
        con.close()


def _prepared(folder: Path, live_wal: bool, copy_wal: bool) -> Path:
    """A live warehouse and a refresh's copy of it with other contents, each with or without a
    WAL. The live one gets its WAL after the refresh started (start() writes an earlier one into
    the file): a writer outside the refresh, killed."""
    folder.mkdir()
    live = folder / "warehouse.duckdb"
    _write(live, "CREATE SCHEMA marts; CREATE TABLE marts.m AS SELECT 1 AS v", leave_wal=False)
    WarehouseBuild(live).start()
    _write(live, "INSERT INTO marts.m VALUES (2); CREATE TABLE marts.old AS SELECT 'old' AS s", leave_wal=live_wal)
    _write(building_path(live), "CREATE OR REPLACE TABLE marts.m AS SELECT range AS v FROM range(10, 13); "
                                "CREATE TABLE marts.new AS SELECT 'new' AS s", leave_wal=copy_wal)
    return live


def _copy_of(folder: Path, to: Path) -> Path:
    shutil.copytree(folder, to)
    return to / "warehouse.duckdb"


@pytest.mark.parametrize("step, live_wal, copy_wal", [("commit", True, False), ("commit", False, True),
                                                     ("start", True, False)],
                         ids=["swap-live-has-a-wal", "swap-copy-has-a-wal", "start-live-has-a-wal"])
def test_a_kill_at_any_line_of_start_or_swap_leaves_exactly_the_old_or_exactly_the_new_warehouse(
        tmp_path, step, live_wal, copy_wal):
    """``start`` writes the live WAL into the file: a kill there must leave exactly the old one."""
    template = _prepared(tmp_path / "template", live_wal, copy_wal).parent
    old = _contents(_copy_of(template, tmp_path / "old"))
    assert old["marts.m"] == [(1,), (2,)] and "marts.old" in old  # the WAL's changes are part of it
    whole = _python(KILLED_AT_LINE, str(_copy_of(template, tmp_path / "whole")), "0", step)
    assert whole.returncode == 0, whole.stderr
    new = _contents(tmp_path / "whole" / "warehouse.duckdb")
    if step == "commit":
        assert new["marts.m"] == [(10,), (11,), (12,)] and "marts.new" in new and "marts.old" not in new
    else:
        assert new == old and not _wal(tmp_path / "whole" / "warehouse.duckdb").exists()
    lines = int(whole.stdout.split()[-1])

    seen = []
    for kill_at in range(1, lines + 1):
        live = _copy_of(template, tmp_path / f"killed_at_{kill_at}")
        killed = _python(KILLED_AT_LINE, str(live), str(kill_at), step)
        assert killed.returncode == KILLED, killed.stderr
        try:
            after = _contents(live)
        except duckdb.Error as error:
            pytest.fail(f"killed at line {kill_at} of {step}(), the warehouse does not open: {error}")
        assert after in (old, new), f"killed at line {kill_at} of {step}(), the warehouse is neither old nor new"
        seen.append("old" if after == old else "new")
        # and the next refresh starts and swaps in over whatever the kill left
        again = WarehouseBuild(live)
        again.start()
        again.commit()
        assert _contents(live) == after and not _wal(live).exists() and not building_path(live).parent.exists()
        shutil.rmtree(live.parent)
    # old until the rename, new after it, never back
    assert seen[0] == "old" and seen == sorted(seen, key=["old", "new"].index), seen


def _shas(live: Path) -> tuple[str, str]:
    return hashlib.sha256(live.read_bytes()).hexdigest(), hashlib.sha256(_wal(live).read_bytes()).hexdigest()


@pytest.mark.parametrize("at", ["start", "swap"])
def test_a_warehouse_with_a_wal_that_an_analyst_holds_is_refused_and_left_as_it_was(tmp_path, at):
    """The live WAL can only be written into the file by a process that has the file to itself:
    with an analyst reading it, replacing the file would lose the WAL's changes or leave a WAL
    beside a file it does not belong to. A refresh is refused when it starts (before anything is
    published), and the swap of one whose warehouse got a WAL while it ran; the warehouse, file
    and WAL, is left byte-identical. Without the analyst both go through."""
    live = _prepared(tmp_path / "w", live_wal=True, copy_wal=False)
    old, before = _contents(live), _shas(live)
    analyst = duckdb.connect(str(live), read_only=True)
    try:
        if at == "start":
            with pytest.raises(WarehouseInUse, match="nothing was changed") as refused:
                with refresh_warehouse(live):
                    pass
            assert isinstance(refused.value, LockHeld)  # the commands say "not started", exit code 3
        else:
            with pytest.raises(SwapRefused, match="Close the connections to the warehouse"):
                WarehouseBuild(live).commit()
        assert analyst.execute("SELECT count(*) FROM marts.old").fetchone()[0] == 1
    finally:
        analyst.close()
    assert _shas(live) == before and _contents(live) == old
    if at == "start":
        assert not lock_path(live).read_text(encoding="utf-8")  # released
        with refresh_warehouse(live) as build:  # the WAL is written into the file, the copy is the same
            assert not _wal(live).exists() and not _wal(build.path).exists()
            assert _contents(live) == old and _contents(build.path) == old
    else:
        WarehouseBuild(live).commit()
        assert _contents(live)["marts.m"] == [(10,), (11,), (12,)] and not _wal(live).exists()
