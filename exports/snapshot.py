"""The published, read-only DuckDB snapshot analysts and BI tools open instead of the warehouse.

DuckDB allows one writing process per file, and a BI tool holding the warehouse open would
block the yearly refresh. So readers never open the warehouse: they open
``warehouse_published.duckdb``, a separate file holding only the export relations (aggregates
after disclosure control). Each publish builds a new snapshot inside a new snapshot folder and
switches a pointer to it (``exports/pointer.py``); the old file is never written to. A reader
with an open connection keeps reading the old file, a new connection opens the new one, and
nobody ever sees half of each.

Each snapshot carries ``_snapshot`` (one row: id, time, code version, report year) and
``_snapshot_tables`` (per relation: rows and an order-independent content hash), so a reader can
prove that every table it reads belongs to the snapshot it thinks it is reading.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

SNAPSHOT_FILE = "warehouse_published.duckdb"
EXPORT_SCHEMA = "publication"  # the dbt schema whose relations are published (models/publication)


def sql_string(value: str | Path) -> str:
    """A SQL string literal: a path with a quote in it (a folder named o'brien) stays one string."""
    return "'" + str(value).replace("'", "''") + "'"


def content_hash_sql(relation: str, schema: str | None = None) -> str:
    """An order-independent hash of every row: the same rows give the same hash in any order."""
    qualified = f'{schema}."{relation}"' if schema else f'"{relation}"'
    return content_hash_of_select(f"SELECT * FROM {qualified}")


def content_hash_of_select(select: str) -> str:
    """``content_hash_sql`` of the rows a query returns (the workbooks hash what they publish)."""
    return f"SELECT coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM ({select}) AS t"


def build_snapshot(warehouse_path: str | Path, relations: list[str], target: Path, *,
                   select_for: Callable[[duckdb.DuckDBPyConnection, str], str], snapshot_id: str,
                   published_at: str, code_version: str, report_year: int | None) -> list[dict]:
    """Copy ``relations`` from the warehouse's publication schema, as ``select_for`` publishes them,
    into a new DuckDB file ``target``. Returns per relation its row count and content hash."""
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        snap = con.execute("SELECT current_database()").fetchone()[0]
        con.execute(f"ATTACH {sql_string(warehouse_path)} AS wh (READ_ONLY)")
        con.execute("USE wh")  # the SELECTs name publication.<relation>, as in the warehouse
        tables = []
        for relation in relations:
            con.execute(f'CREATE TABLE "{snap}".main."{relation}" AS {select_for(con, relation)}')
            _copy_comments(con, relation, f'"{snap}".main."{relation}"')
        con.execute(f'USE "{snap}"')
        con.execute("DETACH wh")
        for relation in relations:
            rows = con.execute(f'SELECT count(*) FROM main."{relation}"').fetchone()[0]
            digest = con.execute(content_hash_sql(relation, "main")).fetchone()[0]
            tables.append({"relation": relation, "rows": rows, "content_hash": digest})
        con.execute("CREATE TABLE _snapshot (snapshot_id VARCHAR, published_at VARCHAR, code_version VARCHAR, "
                    "report_year INTEGER)")
        con.execute("INSERT INTO _snapshot VALUES (?, ?, ?, ?)", [snapshot_id, published_at, code_version, report_year])
        con.execute("CREATE TABLE _snapshot_tables (relation VARCHAR, row_count BIGINT, content_hash VARCHAR)")
        con.executemany("INSERT INTO _snapshot_tables VALUES (?, ?, ?)",
                        [[t["relation"], t["rows"], t["content_hash"]] for t in tables])
        con.execute("COMMENT ON TABLE _snapshot IS 'The publication this file belongs to: id, time, code version "
                    "and report year.'")
        con.execute("COMMENT ON TABLE _snapshot_tables IS 'Per relation of this publication: its rows and an "
                    "order-independent content hash, to prove a table belongs to the snapshot.'")
        con.execute("CHECKPOINT")  # everything in the file itself: no WAL beside it to rename
    finally:
        con.close()
    return tables


def _copy_comments(con: duckdb.DuckDBPyConnection, relation: str, target: str) -> None:
    """The warehouse's descriptions (dbt persist_docs: the models' YAML) on the published table
    and its columns, so that BI tools, PostgreSQL (exports/postgres.py) and analysts see them."""
    table = con.execute("SELECT comment FROM duckdb_tables() WHERE database_name = 'wh' AND schema_name = ? "
                        "AND table_name = ?", [EXPORT_SCHEMA, relation]).fetchone()
    if table and table[0]:
        con.execute(f"COMMENT ON TABLE {target} IS {sql_string(table[0])}")
    columns = con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'wh' "
                          "AND schema_name = ? AND table_name = ? AND comment IS NOT NULL AND comment <> ''",
                          [EXPORT_SCHEMA, relation]).fetchall()
    for column, comment in columns:
        con.execute(f'COMMENT ON COLUMN {target}."{column}" IS {sql_string(comment)}')


def verify_snapshot(con: duckdb.DuckDBPyConnection) -> str:
    """Check every table of an open snapshot against its ``_snapshot_tables`` row; return the
    snapshot id. Raises AssertionError on a table that does not belong to the snapshot."""
    snapshot_id = con.execute("SELECT snapshot_id FROM _snapshot").fetchone()[0]
    for relation, row_count, digest in con.execute("SELECT * FROM _snapshot_tables ORDER BY relation").fetchall():
        rows = con.execute(f'SELECT count(*) FROM "{relation}"').fetchone()[0]
        actual = con.execute(content_hash_sql(relation)).fetchone()[0]
        if (rows, actual) != (row_count, digest):
            raise AssertionError(f"{relation} in snapshot {snapshot_id}: {rows} rows / {actual}, "
                                 f"expected {row_count} / {digest}")
    return snapshot_id
