"""Helpers for the publishing tests: the export relations as the warehouse holds them, and a
canonical form of rows so a file read back by any reader compares with the warehouse."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb

NUMERIC_TYPES = ("DOUBLE", "FLOAT", "REAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DECIMAL")


def relation_kinds(warehouse: Path, relation: str) -> list[tuple[str, str]]:
    """(column, 'num' | 'bool' | 'str') for every column of publication.<relation>."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'publication' "
            "AND table_name = ? ORDER BY ordinal_position", [relation]).fetchall()
    finally:
        con.close()
    return [(c, "num" if t.startswith(NUMERIC_TYPES) else "bool" if t == "BOOLEAN" else "str") for c, t in columns]


def export_relation_names(warehouse: Path) -> list[str]:
    """Every relation of the warehouse's publication schema: all of them are published."""
    from exports.publish import export_relations

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return export_relations(con)
    finally:
        con.close()


def mart_rows(warehouse: Path, relation: str, where: str = "") -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f'SELECT * FROM publication."{relation}" {where}').fetchall()
    finally:
        con.close()


def norm(value, kind: str):
    """One form per value whatever the reader returned: numbers as float (a Danish CSV's
    decimal comma read as a point), booleans and text as lower-case / plain strings."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    if kind == "num":
        return float(str(value).replace(",", "."))
    if kind == "bool":
        return str(value).lower()
    return str(value)


class Rows(list):
    """Rows in a fixed order; equal to another Rows when every text is equal and every number
    is within 1e-6 (the files round floats to 9 decimals)."""

    def __eq__(self, other):
        return len(self) == len(other) and all(
            len(a) == len(b) and all(x == y or (isinstance(x, float) and isinstance(y, float)
                                                and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-6))
                                     for x, y in zip(a, b))
            for a, b in zip(self, other))

    __hash__ = None


def _sort_key(row: tuple) -> tuple:
    return tuple("" if v is None else f"{v:.3f}" if isinstance(v, float) else v for v in row)


def canonical(rows, kinds: list[tuple[str, str]]) -> Rows:
    return Rows(sorted((tuple(norm(v, k) for v, (_, k) in zip(row, kinds)) for row in rows), key=_sort_key))
