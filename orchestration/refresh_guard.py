"""One refresh per warehouse, built beside the warehouse analysts may have open.

DuckDB lets one process write a file, and a process holding it open read-only (an analyst's
notebook on the marts) keeps a writer out. So a refresh never writes the warehouse itself: it
takes the refresh lock (``warehouse.duckdb.refresh.lock``, naming its holder), copies the
warehouse to ``.warehouse.duckdb.building/warehouse.duckdb`` beside it (the same file name, so DuckDB's catalog
name and dbt's relations stay ``warehouse``), runs there, and only when everything has passed
renames the copy over the warehouse. An analyst's open connection keeps reading the old file;
the next connection gets the new one. A refresh that fails or is killed leaves the last good
warehouse byte-identical; its copy is discarded by the next refresh.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from exports.locks import LockHeld, hold_lock

__all__ = ["LockHeld", "WarehouseBuild", "building_path", "lock_path", "refresh_warehouse"]



def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".refresh.lock")


def building_path(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.building" / warehouse.name


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


class WarehouseBuild:
    """The copy a refresh writes; ``commit()`` swaps it in."""

    def __init__(self, warehouse: Path):
        self.warehouse, self.path = warehouse, building_path(warehouse)

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

        # everything into the file itself, so no WAL has to move with it
        duckdb.connect(str(self.path), config=duckdb_config()).execute("CHECKPOINT").close()
        # an old WAL beside the new file would be replayed into it; its changes are in the copy
        _wal(self.warehouse).unlink(missing_ok=True)
        os.replace(self.path, self.warehouse)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


@contextmanager
def refresh_warehouse(warehouse: Path, say: Callable[[str], None] | None = None) -> Iterator[WarehouseBuild]:
    """Hold the refresh lock and a fresh copy of the warehouse for the whole refresh. The caller
    points everything at ``build.path`` and calls ``build.commit()`` when the refresh passed;
    otherwise the copy is dropped and the warehouse stays as it was. Raises LockHeld at once
    when another refresh holds the lock."""
    warehouse = Path(warehouse)
    with hold_lock(lock_path(warehouse), f"A refresh of {warehouse}", say=say):
        build = WarehouseBuild(warehouse)
        build.start()
        try:
            yield build
        finally:
            build.discard()
