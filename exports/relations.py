"""The export relations as every published format reads them (Parquet, CSV, workbooks, annex):
below exports.publish, so the writers it calls never import it back."""

from __future__ import annotations

import duckdb

from exports.snapshot import EXPORT_SCHEMA

_FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def export_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
        [EXPORT_SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str, schema: str = EXPORT_SCHEMA) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, relation],
    ).fetchall()


def published_select(con: duckdb.DuckDBPyConnection, relation: str, danish_decimals: bool = False) -> str:
    """The relation as published: floats rounded to 9 decimals, rows in a fixed order; with
    ``danish_decimals`` the decimals are rendered with a comma (DuckDB's CSV writer uses '.')."""
    parts = []
    for name, data_type in relation_columns(con, relation):
        expr = f'"{name}"'
        if data_type in _FLOAT_TYPES:
            expr = f'round("{name}", 9)'
        if danish_decimals and (data_type in _FLOAT_TYPES or data_type.startswith("DECIMAL")):
            expr = f"replace(CAST({expr} AS VARCHAR), '.', ',')"
        parts.append(f'{expr} AS "{name}"')
    return f'SELECT {", ".join(parts)} FROM {EXPORT_SCHEMA}."{relation}" ORDER BY ALL'
