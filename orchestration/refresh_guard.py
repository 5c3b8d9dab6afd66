"""One refresh per warehouse, built beside the warehouse analysts may have open.

DuckDB lets one process write a file, and a process holding it open read-only (an analyst's
notebook on the marts) keeps a writer out. So a refresh never writes the warehouse itself: it
takes the refresh lock (``warehouse.duckdb.refresh.lock``, naming its holder), copies the
warehouse to ``.warehouse.duckdb.building/warehouse.duckdb`` beside it (the same file name, so DuckDB's catalog
name and dbt's relations stay ``warehouse``), runs there, and only when everything has passed
renames the copy over the warehouse. An analyst's open connection keeps reading the old file;
the next connection gets the new one. A refresh that fails or is killed leaves the last good
warehouse byte-identical; its copy is discarded by the next refresh.

A database with a WAL (DuckDB's log of changes not yet written into the file,
``warehouse.duckdb.wal``) is two files, and two renames are never one: the live file without its
WAL has lost changes, and the new file beside the old WAL does not open ("WAL does not match
database file"). So the swap is one rename of a file without a WAL over a file without a WAL:
before it, DuckDB writes each file's WAL into the file itself (CHECKPOINT). A reader that opens
the warehouse at any moment, or after a kill at any point of the swap, gets exactly the old
warehouse or exactly the new one (tests/test_refresh_guard_commit.py). The live warehouse only
has a WAL if something wrote it outside a refresh and was killed; writing that one in needs the
file to itself, so while an analyst has it open the refresh is refused when it starts (or, for a
WAL that appeared during the refresh, the swap), and the warehouse left as it was.

Every Dagster run that uses the ``Warehouse`` resource goes through ``refresh_warehouse``
(orchestration/resources.py), however it was launched. A run started inside a refresh of this
process (``boligmonitor run``/``export``/``backfill`` hold one around their runs) works in that
refresh's copy, and the refresh that opened it swaps it in.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from exports.locks import LockHeld, hold_lock

__all__ = ["LockHeld", "SwapRefused", "WarehouseBuild", "WarehouseInUse", "building_path", "lock_path",
           "refresh_warehouse"]

# the refreshes this process has open, by warehouse: a Dagster run inside one joins it
_open: dict[str, WarehouseBuild] = {}


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".refresh.lock")


def building_path(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.building" / warehouse.name


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


class SwapRefused(RuntimeError):
    """The new warehouse could not replace the live one whole; the live one is unchanged."""


class WarehouseInUse(LockHeld):
    """A refresh cannot start: the warehouse has a WAL and another process has it open."""


def _fold_wal(path: Path, always: bool = False) -> None:
    """Make the file alone the whole database: DuckDB writes the WAL's changes into it and removes
    the WAL, crash-safe (a kill leaves file and WAL as they were, or the file with the changes).
    Opens the file for writing, so it fails while another process has the file open; that is why
    the live warehouse is only opened when it has a WAL (``always`` is for the refresh's own copy)."""
    import duckdb

    from orchestration.settings import duckdb_config

    if not (always or _wal(path).exists()):
        return
    con = duckdb.connect(str(path), config=duckdb_config())
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if _wal(path).exists():
        raise SwapRefused(f"DuckDB left the WAL {_wal(path)} after a checkpoint of {path}; nothing was swapped in")


def _fold_live_wal(warehouse: Path, refused: type[Exception], why: str) -> None:
    import duckdb

    try:
        _fold_wal(warehouse)
    except duckdb.Error as error:  # another process has it open (an analyst), or DuckDB cannot read it
        raise refused(
            f"The warehouse {warehouse} has changes not yet written into its file ({_wal(warehouse).name}, left by a "
            f"process that wrote it outside a refresh and was killed), and they could not be written in now "
            f"({error}). {why} Close the connections to the warehouse and run again; nothing was changed.") from error


class WarehouseBuild:
    """The copy a refresh writes; ``commit()`` swaps it in. ``owned`` is False for a refresh
    that joined one already open in this process: the one that opened it commits."""

    def __init__(self, warehouse: Path, owned: bool = True):
        self.warehouse, self.path, self.owned = warehouse, building_path(warehouse), owned

    def start(self) -> None:
        # a WAL left on the warehouse is written into it now, before anything is published: later
        # an analyst holding the file would stop the swap after the run (commit)
        _fold_live_wal(self.warehouse, WarehouseInUse, "A refresh could not swap its result in without losing them.")
        shutil.rmtree(self.path.parent, ignore_errors=True)  # a killed refresh's copy
        self.path.parent.mkdir(parents=True)
        if self.warehouse.exists():
            shutil.copyfile(self.warehouse, self.path)

    def commit(self) -> None:
        if not self.owned:
            raise RuntimeError(f"the refresh that opened {self.path} swaps it in, not one that joined it")
        if not self.path.exists():  # nothing was written (and there was no warehouse to copy)
            return
        _fold_wal(self.path, always=True)  # the copy is this refresh's: nobody else has it open
        # a WAL since start(): something wrote the warehouse outside the refresh and was killed
        _fold_live_wal(self.warehouse, SwapRefused, "Replacing the file now would lose them or leave a WAL that "
                                                    "does not belong to the new file.")
        if _wal(self.warehouse).exists():  # written to between the two lines above, outside any refresh
            raise SwapRefused(f"The warehouse {self.warehouse} was written to while it was being swapped; "
                              "nothing was changed. Run again.")
        os.replace(self.path, self.warehouse)  # the swap: one rename, no WAL on either side
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


@contextmanager
def refresh_warehouse(warehouse: Path, say: Callable[[str], None] | None = None,
                      command: str | None = None) -> Iterator[WarehouseBuild]:
    """Hold the refresh lock and a fresh copy of the warehouse for the whole refresh. The caller
    points everything at ``build.path`` and calls ``build.commit()`` when the refresh passed;
    otherwise the copy is dropped and the warehouse stays as it was. Raises LockHeld at once
    when another refresh holds the lock (``command`` names this one in the lock file), and its
    WarehouseInUse when the warehouse has a WAL that cannot be written into it because another
    process has it open. Inside a refresh this process already has open on the same warehouse,
    yields that refresh's copy, not owned."""
    warehouse = Path(warehouse).resolve()
    key = str(warehouse)
    if key in _open:
        yield WarehouseBuild(warehouse, owned=False)
        return
    with hold_lock(lock_path(warehouse), f"A refresh of {warehouse}", command=command, say=say):
        build = WarehouseBuild(warehouse)
        build.start()
        _open[key] = build
        try:
            yield build
        finally:
            del _open[key]
            build.discard()
