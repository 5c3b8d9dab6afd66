"""Load the published snapshot into a shared PostgreSQL database for BI tools that need a server.

Reads the read-only snapshot (never the warehouse), so PostgreSQL receives exactly the
disclosure-controlled relations the files hold, plus ``_snapshot`` and ``_snapshot_tables``.
Rows go in with COPY into a fresh loading schema; one transaction then swaps it for the
published schema, so a BI tool querying PostgreSQL sees the old tables or the new ones, and a
failed load leaves the old ones in place.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

DEFAULT_SCHEMA = "boligmonitor"
ENV_POSTGRES_DSN = "BOLIGMONITOR_POSTGRES_DSN"  # set: every publish also loads PostgreSQL

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38, 0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


def postgres_type(duckdb_type: str) -> str:
    if duckdb_type in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[duckdb_type]
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type)
    if decimal:
        return f"numeric({decimal.group(1)}, {decimal.group(2)})"
    raise ValueError(f"no PostgreSQL type for the DuckDB type {duckdb_type}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def load_snapshot(snapshot_path: str | Path, dsn: str, schema: str = DEFAULT_SCHEMA) -> list[dict]:
    """Replace ``schema`` in PostgreSQL with the snapshot's tables; returns relation and rows."""
    import psycopg

    loading, previous = f"{schema}__loading", f"{schema}__previous"
    source = duckdb.connect(str(snapshot_path), read_only=True)
    loaded = []
    try:
        tables = [r[0] for r in source.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
        ).fetchall()]
        with psycopg.connect(dsn) as pg:
            with pg.cursor() as cur:
                cur.execute(f"DROP SCHEMA IF EXISTS {_ident(loading)} CASCADE")
                cur.execute(f"CREATE SCHEMA {_ident(loading)}")
                for table in tables:
                    columns = source.execute(
                        "SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table]
                    ).fetchall()
                    ddl = ", ".join(f"{_ident(c)} {postgres_type(t)}" for c, t in columns)
                    cur.execute(f"CREATE TABLE {_ident(loading)}.{_ident(table)} ({ddl})")
                    names = ", ".join(_ident(c) for c, _ in columns)
                    result = source.execute(f'SELECT * FROM main."{table}"')
                    rows = 0
                    with cur.copy(f"COPY {_ident(loading)}.{_ident(table)} ({names}) FROM STDIN") as copy:
                        while batch := result.fetchmany(5000):
                            for row in batch:
                                copy.write_row(row)
                            rows += len(batch)
                    loaded.append({"relation": table, "rows": rows})
            pg.commit()
            # the swap: one transaction, so readers see the old schema or the new one
            with pg.cursor() as cur:
                cur.execute(f"DROP SCHEMA IF EXISTS {_ident(previous)} CASCADE")
                cur.execute(f"ALTER SCHEMA {_ident(schema)} RENAME TO {_ident(previous)}"
                            if _schema_exists(cur, schema) else "SELECT 1")
                cur.execute(f"ALTER SCHEMA {_ident(loading)} RENAME TO {_ident(schema)}")
                cur.execute(f"DROP SCHEMA IF EXISTS {_ident(previous)} CASCADE")
            pg.commit()
    finally:
        source.close()
    return loaded


def _schema_exists(cur, schema: str) -> bool:
    cur.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [schema])
    return cur.fetchone() is not None
