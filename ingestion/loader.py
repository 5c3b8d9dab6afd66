"""Load validated extracts into the warehouse's raw schema.

raw.<source> holds every column as the delivered text plus lineage columns. A source is
replaced as a whole in one transaction: every file is validated (all problems collected) and
inserted one at a time, so memory holds one file, a failed load leaves the previous raw table
as it was, and a rerun gives the same table (idempotent). Rows whose institution or school code
the reference data do not know go to raw.<source>__quarantine with the reason (ingestion.row_rules).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.contract import Source
from ingestion.errors import ExtractError, Problem
from ingestion.readers import read_extract
from ingestion.row_rules import quarantine

LINEAGE_COLUMNS = {
    "_extract_year": "INTEGER",
    "_source_file": "VARCHAR",
    "_source_row": "INTEGER",
    "_loaded_at": "TIMESTAMP",
}


QUARANTINE_COLUMNS = {"_quarantine_column": "VARCHAR", "_quarantine_reason": "VARCHAR"}


def quarantine_table(source: Source) -> str:
    return f"{source.name}__quarantine"


def raw_table_ddl(source: Source, quarantined: bool = False) -> str:
    columns = [f'"{c}" VARCHAR' for c in source.column_names]
    columns += [f"{name} {kind}" for name, kind in LINEAGE_COLUMNS.items()]
    if quarantined:
        columns += [f"{name} {kind}" for name, kind in QUARANTINE_COLUMNS.items()]
    name = quarantine_table(source) if quarantined else source.name
    return f"CREATE TABLE raw.{name} ({', '.join(columns)})"


def _with_lineage(frame: pd.DataFrame, year: int, path: Path, loaded_at: datetime) -> pd.DataFrame:
    return frame.assign(
        _extract_year=year,
        _source_file=Path(path).name,
        _source_row=range(1, len(frame) + 1),
        _loaded_at=loaded_at,
    )


def load_source(con: duckdb.DuckDBPyConnection, source: Source, files: dict[int, Path]) -> int:
    """Replace raw.<source> with the given yearly files. Returns the number of rows loaded;
    raises ExtractError listing the problems of every file, with nothing written."""
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    columns = source.column_names + list(LINEAGE_COLUMNS)
    quoted = ", ".join(f'"{c}"' for c in columns)
    problems: list[Problem] = []
    rows = 0
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute(f"DROP TABLE IF EXISTS raw.{source.name}")
        con.execute(raw_table_ddl(source))
        # rows the reference data do not know are kept beside the source, never dropped silently
        con.execute(f"DROP TABLE IF EXISTS raw.{quarantine_table(source)}")
        con.execute(raw_table_ddl(source, quarantined=True))
        for year, path in sorted(files.items()):
            try:
                frame = read_extract(path, source)
            except ExtractError as exc:
                problems.extend(exc.problems)  # keep validating the other files: report them all
                continue
            if problems:
                continue  # nothing more will be committed; don't spend time inserting
            frame = _with_lineage(frame, year, path, loaded_at)
            held = pd.Series(False, index=frame.index)
            for q in quarantine(frame, source):
                bad = frame.iloc[q.positions][columns].assign(_quarantine_column=q.column, _quarantine_reason=q.reason)
                held.iloc[q.positions] = True
                con.register("held", bad)
                con.execute(f"INSERT INTO raw.{quarantine_table(source)} SELECT * FROM held")
                con.unregister("held")
            con.register("incoming", frame.loc[~held, columns])
            con.execute(f"INSERT INTO raw.{source.name} ({quoted}) SELECT {quoted} FROM incoming")
            con.unregister("incoming")
            rows += int((~held).sum())
        if problems:
            raise ExtractError(problems)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return rows
