"""Load validated extracts into the warehouse's raw schema.

raw.<source> holds every column as the delivered text plus lineage columns. Raw data is
immutable: raw._deliveries records every file loaded (its year, name, sha256 and rows), and a
refresh (refresh_source) validates and loads only the files that are new or changed since,
removes the rows of a year whose file was withdrawn, and leaves the other years untouched. A
rerun with the same files writes nothing. load_source replaces a source with exactly the given
files (the first load, or a rebuild).

Either way a source changes in one transaction: every file to load is validated (all problems
collected) and inserted a chunk at a time from Arrow, so memory holds one chunk; a failed load
leaves the raw table as it was. Rows whose institution or school code the reference data do
not know go to raw.<source>__quarantine with the reason (ingestion.row_rules).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ingestion.contract import Source
from ingestion.errors import ExtractError, Problem
from ingestion.readers import ValidChunk, validate_files

LINEAGE_COLUMNS = {
    "_extract_year": "INTEGER",
    "_source_file": "VARCHAR",
    "_source_row": "INTEGER",
    "_loaded_at": "TIMESTAMP",
}

QUARANTINE_COLUMNS = {"_quarantine_column": "VARCHAR", "_quarantine_reason": "VARCHAR"}

# One row per delivered file in the raw tables: what a refresh compares new deliveries with
# (and what incremental dbt models may read to see which years changed).
DELIVERIES = "raw._deliveries"
DELIVERIES_DDL = (f"CREATE TABLE IF NOT EXISTS {DELIVERIES} (source VARCHAR, extract_year INTEGER, file VARCHAR, "
                  "sha256 VARCHAR, rows BIGINT, loaded_at TIMESTAMP)")


def quarantine_table(source: Source) -> str:
    return f"{source.name}__quarantine"


def raw_table_ddl(source: Source, quarantined: bool = False) -> str:
    columns = [f'"{c}" VARCHAR' for c in source.column_names]
    columns += [f"{name} {kind}" for name, kind in LINEAGE_COLUMNS.items()]
    if quarantined:
        columns += [f"{name} {kind}" for name, kind in QUARANTINE_COLUMNS.items()]
    name = quarantine_table(source) if quarantined else source.name
    return f"CREATE TABLE raw.{name} ({', '.join(columns)})"


# after a chunk this big, freed memory is handed back to the system (see release_memory)
RELEASE_AFTER_ROWS = 100_000


def release_memory() -> None:
    """Hand memory freed by validated chunks back to the system. Arrow's allocator and glibc's
    keep freed pages for reuse; on a big file they add up to a gigabyte the process holds
    while DuckDB commits, and, in the refresh, while dbt (a subprocess) runs."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def use_returning_memory_pool() -> str:
    """Make Arrow allocate from jemalloc rather than its default, mimalloc. mimalloc keeps
    ~100 MiB of freed pages resident after the load even when asked to release them
    (release_unused), and the refresh's process holds them while dbt runs: at Randers scale the
    process held 550 MiB during dbt with mimalloc, ~60 MiB less with jemalloc, at the same speed
    and a lower peak during the load. Wheels without jemalloc keep their default. Returns the
    pool's backend name."""
    if pa.default_memory_pool().backend_name != "jemalloc":
        try:
            pa.set_memory_pool(pa.jemalloc_memory_pool())
        except NotImplementedError:
            pass
    return pa.default_memory_pool().backend_name


use_returning_memory_pool()  # before any extract is read: memory from the old pool is not moved


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 -- only glibc has it
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _glibc()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class LoadResult:
    """What a load did to one source: its rows afterwards and the files behind the change."""

    rows: int
    loaded: list[str] = field(default_factory=list)  # files validated and (re)loaded
    skipped: list[str] = field(default_factory=list)  # files unchanged since they were loaded
    withdrawn: list[int] = field(default_factory=list)  # years removed: their file is no longer delivered


def load_source(con: duckdb.DuckDBPyConnection, source: Source, files: dict[int, Path]) -> int:
    """Replace raw.<source> with the given yearly files. Returns the number of rows loaded;
    raises ExtractError listing the problems of every file, with nothing written."""
    return _load(con, source, files, rebuild=True).rows


def refresh_source(con: duckdb.DuckDBPyConnection, source: Source, files: dict[int, Path]) -> LoadResult:
    """Bring raw.<source> up to date with the given yearly files, loading only what changed
    (by sha256). Raises ExtractError listing the problems of every changed file, with nothing written."""
    return _load(con, source, files, rebuild=False)


def _delivered(con: duckdb.DuckDBPyConnection, source: Source) -> dict[int, tuple[str, str]] | None:
    """{year: (file, sha256)} as recorded, or None when the recorded state cannot be trusted
    (no raw table, a table of another layout, rows without a record): then the source is rebuilt."""
    tables = {r[0]: r[1] for r in con.execute(
        "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'raw' GROUP BY table_name").fetchall()}
    layout = source.column_names + list(LINEAGE_COLUMNS)
    if tables.get(source.name) != layout or tables.get(quarantine_table(source)) != layout + list(QUARANTINE_COLUMNS) \
            or "_deliveries" not in tables:
        return None
    recorded = {year: (file, sha, rows) for year, file, sha, rows in con.execute(
        f"SELECT extract_year, file, sha256, rows FROM {DELIVERIES} WHERE source = ?", [source.name]).fetchall()}
    present = dict(con.execute(f"SELECT _extract_year, count(*) FROM raw.{source.name} GROUP BY 1").fetchall())
    held = dict(con.execute(f"SELECT _extract_year, count(*) FROM raw.{quarantine_table(source)} GROUP BY 1").fetchall())
    # the recorded rows of each year are still there (the raw table was not edited by hand)
    if any(present.get(y, 0) + held.get(y, 0) != rows for y, (_, _, rows) in recorded.items()) \
            or set(present) - set(recorded):
        return None
    return {year: (file, sha) for year, (file, sha, _) in recorded.items()}


def _load(con: duckdb.DuckDBPyConnection, source: Source, files: dict[int, Path], rebuild: bool) -> LoadResult:
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    digests = {year: sha256_of(path) for year, path in files.items()}
    recorded = None if rebuild else _delivered(con, source)
    if recorded is None:
        rebuild, to_load, withdrawn = True, sorted(files), []
    else:
        to_load = sorted(y for y in files if recorded.get(y) != (Path(files[y]).name, digests[y]))
        withdrawn = sorted(set(recorded) - set(files))
    skipped = [Path(files[y]).name for y in sorted(files) if y not in to_load]
    if not rebuild and not to_load and not withdrawn:
        rows = con.execute(f"SELECT count(*) FROM raw.{source.name}").fetchone()[0]
        return LoadResult(rows, skipped=skipped)  # nothing changed: nothing is written

    problems: list[Problem] = []
    writer = _Writer()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute(DELIVERIES_DDL)
        if rebuild:
            for quarantined in (False, True):
                con.execute(f"DROP TABLE IF EXISTS raw.{quarantine_table(source) if quarantined else source.name}")
                # rows the reference data do not know are kept beside the source, never dropped silently
                con.execute(raw_table_ddl(source, quarantined))
            con.execute(f"DELETE FROM {DELIVERIES} WHERE source = ?", [source.name])
        else:
            for year in [*to_load, *withdrawn]:
                for table in (source.name, quarantine_table(source)):
                    con.execute(f"DELETE FROM raw.{table} WHERE _extract_year = ?", [year])
                con.execute(f"DELETE FROM {DELIVERIES} WHERE source = ? AND extract_year = ?", [source.name, year])
        rows = dict.fromkeys(to_load, 0)
        try:
            for chunk in validate_files([(year, Path(files[year])) for year in to_load], source):
                writer.submit(_insert, con, source, chunk, loaded_at)
                rows[chunk.year] += chunk.table.num_rows
                if chunk.table.num_rows >= RELEASE_AFTER_ROWS:
                    release_memory()
        except ExtractError as exc:
            problems.extend(exc.problems)  # every problem of every file: nothing is committed
        writer.wait()
        release_memory()  # before DuckDB writes the table out at the commit
        if problems:
            raise ExtractError(problems)
        for year in to_load:
            con.execute(f"INSERT INTO {DELIVERIES} VALUES (?, ?, ?, ?, ?, ?)",
                        [source.name, year, Path(files[year]).name, digests[year], rows[year], loaded_at])
        con.execute("COMMIT")
    except BaseException:
        writer.close()  # the connection is free again before the rollback
        con.execute("ROLLBACK")
        raise
    finally:
        writer.close()
    rows = con.execute(f"SELECT count(*) FROM raw.{source.name}").fetchone()[0]
    return LoadResult(rows, loaded=[Path(files[y]).name for y in to_load], skipped=skipped, withdrawn=withdrawn)


class _Writer:
    """Inserts validated chunks on a second thread, in order, while the main thread validates
    the next ones (DuckDB works without Python's lock). At most two chunks wait, which bounds
    memory; only one thread uses the connection at a time."""

    def __init__(self, depth: int = 2):
        self.pool: ThreadPoolExecutor | None = None
        self.pending: deque[Future] = deque()
        self.depth = depth

    def submit(self, fn, *args) -> None:
        while len(self.pending) >= self.depth:
            self.pending.popleft().result()  # an insert's error surfaces here
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw-insert")
        self.pending.append(self.pool.submit(fn, *args))

    def wait(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def close(self) -> None:
        """Wait for the thread to stop (errors are the caller's already, or moot after one)."""
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None


def _insert(con: duckdb.DuckDBPyConnection, source: Source, chunk: ValidChunk, loaded_at: datetime) -> None:
    """One validated chunk into raw.<source>, its quarantined rows beside it."""
    year, path = chunk.year, chunk.path
    n = chunk.table.num_rows
    # _source_row is the 1-based data row in the file (line - 1)
    table = chunk.table.append_column("_source_row", pa.array(np.arange(chunk.first_row + 1, chunk.first_row + n + 1,
                                                                         dtype=np.int32)))
    quoted = ", ".join(f'"{c}"' for c in source.column_names)
    lineage = f"{int(year)} AS _extract_year, ? AS _source_file, _source_row, ?::TIMESTAMP AS _loaded_at"
    held = np.zeros(n, dtype=bool)
    for q in chunk.held:
        held[q.positions] = True
        bad = table.take(pa.array(q.positions, type=pa.int64()))
        con.register("held_rows", bad)
        con.execute(f"INSERT INTO raw.{quarantine_table(source)} SELECT {quoted}, {lineage}, ?, ? FROM held_rows",
                    [path.name, loaded_at, q.column, q.reason])
        con.unregister("held_rows")
    con.register("incoming", table.filter(pa.array(~held)) if held.any() else table)
    con.execute(f"INSERT INTO raw.{source.name} SELECT {quoted}, {lineage} FROM incoming", [path.name, loaded_at])
    con.unregister("incoming")


def quarantine_counts(con: duckdb.DuckDBPyConnection, source: Source) -> dict[str, int]:
    """Rows held in raw.<source>__quarantine, by reason: what the load summary reports."""
    return dict(con.execute(f"SELECT _quarantine_column || ': ' || _quarantine_reason, count(*) "
                            f"FROM raw.{quarantine_table(source)} GROUP BY 1 ORDER BY 1").fetchall())
