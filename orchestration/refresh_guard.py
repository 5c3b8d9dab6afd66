"""One refresh per warehouse, built beside the warehouse analysts may have open.

DuckDB lets one process write a file, and a process holding it open read-only (an analyst's
notebook on the marts) keeps a writer out. So a refresh never writes the warehouse itself: it
takes the refresh lock (``warehouse.duckdb.refresh.lock``, naming its holder), copies the
warehouse to ``.warehouse.duckdb.building/warehouse.duckdb`` beside it (the same file name, so DuckDB's catalog
name and dbt's relations stay ``warehouse``), runs there, and only when everything has passed
renames the copy over the warehouse. An analyst's open connection keeps reading the old file;
the next connection gets the new one. A refresh that fails or is killed leaves the last good
warehouse byte-identical; its copy is discarded by the next refresh.

Every Dagster run that uses the ``Warehouse`` resource goes through ``refresh_warehouse``
(orchestration/resources.py), however it was launched. A run started inside a refresh of this
process (``boligmonitor run``/``export``/``backfill`` hold one around their runs) works in that
refresh's copy, and the refresh that opened it swaps it in.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from exports.locks import LockHeld, hold_lock

__all__ = ["LockHeld", "WarehouseBuild", "building_path", "lock_path", "refresh_warehouse"]

# the refreshes this process has open, by warehouse: a Dagster run inside one joins it
_open: dict[str, "WarehouseBuild"] = {}


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".refresh.lock")


def building_path(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.building" / warehouse.name


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


class WarehouseBuild:
    """The copy a refresh writes; ``commit()`` swaps it in. ``owned`` is False for a refresh
    that joined one already open in this process: the one that opened it commits."""

    def __init__(self, warehouse: Path, owned: bool = True):
        self.warehouse, self.path, self.owned = warehouse, building_path(warehouse), owned

    def start(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)  # a killed refresh's copy
        self.path.parent.mkdir(parents=True)
        if self.warehouse.exists():
            shutil.copyfile(self.warehouse, self.path)
            if _wal(self.warehouse).exists():  # changes not yet checkpointed belong to the file
                shutil.copyfile(_wal(self.warehouse), _wal(self.path))

    def commit(self) -> None:
        import duckdb

        from orchestration.settings import duckdb_config

        if not self.owned:
            raise RuntimeError(f"the refresh that opened {self.path} swaps it in, not one that joined it")
        if not self.path.exists():  # nothing was written (and there was no warehouse to copy)
            return
        # everything into the file itself, so no WAL has to move with it
        duckdb.connect(str(self.path), config=duckdb_config()).execute("CHECKPOINT").close()
        # an old WAL beside the new file would be replayed into it; its changes are in the copy
        _wal(self.warehouse).unlink(missing_ok=True)
        os.replace(self.path, self.warehouse)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


@contextmanager
def refresh_warehouse(warehouse: Path, say: Callable[[str], None] | None = None,
                      command: str | None = None) -> Iterator[WarehouseBuild]:
    """Hold the refresh lock and a fresh copy of the warehouse for the whole refresh. The caller
    points everything at ``build.path`` and calls ``build.commit()`` when the refresh passed;
    otherwise the copy is dropped and the warehouse stays as it was. Raises LockHeld at once
    when another refresh holds the lock (``command`` names this one in the lock file). Inside a
    refresh this process already has open on the same warehouse, yields that refresh's copy,
    not owned."""
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
