"""Load validated extracts into the warehouse's raw schema.

raw.<source> holds every column as the delivered text plus lineage columns. A source is
replaced as a whole in one transaction, so a failed load leaves the previous raw table as
it was and a rerun gives the same table (idempotent).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.contract import Source

LINEAGE_COLUMNS = {
    "_extract_year": "INTEGER",
    "_source_file": "VARCHAR",
    "_source_row": "INTEGER",
    "_loaded_at": "TIMESTAMP",
}


def raw_table_ddl(source: Source) -> str:
    columns = [f'"{c}" VARCHAR' for c in source.column_names]
    columns += [f"{name} {kind}" for name, kind in LINEAGE_COLUMNS.items()]
    return f"CREATE TABLE raw.{source.name} ({', '.join(columns)})"


def load_source(con: duckdb.DuckDBPyConnection, source: Source, frames: dict[int, pd.DataFrame],
                files: dict[int, Path]) -> int:
    """Replace raw.<source> with the given years. Returns the number of rows loaded."""
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    parts = []
    for year, frame in sorted(frames.items()):
        part = frame.copy()
        part["_extract_year"] = year
        part["_source_file"] = Path(files[year]).name
        part["_source_row"] = range(1, len(part) + 1)
        part["_loaded_at"] = loaded_at
        parts.append(part)
    columns = source.column_names + list(LINEAGE_COLUMNS)
    combined = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS raw")
        con.execute(f"DROP TABLE IF EXISTS raw.{source.name}")
        con.execute(raw_table_ddl(source))
        con.register("incoming", combined[columns])
        quoted = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO raw.{source.name} ({quoted}) SELECT {quoted} FROM incoming")
        con.unregister("incoming")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(combined)
