"""Load the published snapshot into a shared PostgreSQL database for BI tools that need a server.

Reads the read-only snapshot (never the warehouse), so PostgreSQL receives exactly the
disclosure-controlled relations the files hold, plus ``_snapshot`` and ``_snapshot_tables``.

A reload never drops the published schema or its tables: analysts' views on them and the grants
a DBA gave a BI role belong to the table objects, and would go with them. So rows go in with COPY
into a staging schema, and then, in the same single transaction, each live table gets its new
rows (DELETE + INSERT ... SELECT, which readers see under MVCC: the old rows until the commit,
the new ones after, never an empty table). A relation new in the snapshot is moved into the
schema; a column added is added; a column dropped or retyped is dropped or retyped, unless
another object (a view) depends on it: then the whole load is refused with a message naming
those objects, and nothing changes. Grants configured for read-only roles are re-applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

DEFAULT_SCHEMA = "boligmonitor"
# a BI session idle inside a transaction must not make the reload wait for ever
LOCK_TIMEOUT = "5min"

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


class ReloadRefused(RuntimeError):
    """The snapshot cannot replace the live tables without breaking objects that depend on them."""


def postgres_type(duckdb_type: str) -> str:
    if duckdb_type in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[duckdb_type]
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type)
    if decimal:
        return f"numeric({decimal.group(1)}, {decimal.group(2)})"
    raise ValueError(f"no PostgreSQL type for the DuckDB type {duckdb_type}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class _Relation:
    name: str
    columns: list[tuple[str, str]]  # (name, DuckDB type) in order
    comment: str | None = None
    column_comments: dict[str, str] = field(default_factory=dict)


def _snapshot_relations(source: duckdb.DuckDBPyConnection) -> list[_Relation]:
    relations = []
    for name, comment in source.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "ORDER BY table_name"
    ).fetchall():
        columns = source.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index", [name]
        ).fetchall()
        relations.append(_Relation(name, [(c, t) for c, t, _ in columns], comment or None,
                                   {c: text for c, _, text in columns if text}))
    return relations


def load_snapshot(snapshot_path: str | Path, dsn: str, schema: str = DEFAULT_SCHEMA,
                  read_roles: Iterable[str] = ()) -> list[dict]:
    """Reload ``schema`` in PostgreSQL from the snapshot in one transaction, keeping the schema,
    its tables (so views and grants on them), and granting ``read_roles`` USAGE on the schema and
    SELECT on every loaded table. Returns relation and rows. Raises ReloadRefused, changing
    nothing, when a column that dependent objects use would be dropped or retyped."""
    import psycopg

    roles = list(dict.fromkeys(read_roles))
    staging = f"{schema}__loading"
    source = duckdb.connect(str(snapshot_path), read_only=True)
    try:
        relations = _snapshot_relations(source)
        # leaving the block commits; an exception rolls everything back, the staging schema too
        with psycopg.connect(dsn) as pg, pg.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"boligmonitor reload {schema}"])
            cur.execute(f"SET LOCAL lock_timeout = {_literal(LOCK_TIMEOUT)}")
            if roles:
                _check_roles(cur, roles)
            cur.execute(f"DROP SCHEMA IF EXISTS {_ident(staging)} CASCADE")
            cur.execute(f"CREATE SCHEMA {_ident(staging)}")
            loaded = [{"relation": r.name, "rows": _copy_into_staging(cur, source, staging, r)} for r in relations]
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)}")
            _swap(cur, schema, staging, relations)
            cur.execute(f"DROP SCHEMA {_ident(staging)} CASCADE")
            for relation in relations:
                _comment(cur, schema, relation)
            for role in roles:
                cur.execute(f"GRANT USAGE ON SCHEMA {_ident(schema)} TO {_ident(role)}")
                for relation in relations:
                    cur.execute(f"GRANT SELECT ON {_ident(schema)}.{_ident(relation.name)} TO {_ident(role)}")
    finally:
        source.close()
    return loaded


def _check_roles(cur, roles: list[str]) -> None:
    cur.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [roles])
    missing = sorted(set(roles) - {r for (r,) in cur.fetchall()})
    if missing:
        raise ReloadRefused(f"PostgreSQL not loaded, nothing changed: the read-only role(s) {', '.join(missing)} "
                            "given to grant SELECT to do not exist in the database; create them (CREATE ROLE "
                            "... LOGIN) or remove them from --grant-select-to / BOLIGMONITOR_POSTGRES_READ_ROLES.")


def _copy_into_staging(cur, source: duckdb.DuckDBPyConnection, staging: str, relation: _Relation) -> int:
    target = f"{_ident(staging)}.{_ident(relation.name)}"
    cur.execute(f"CREATE TABLE {target} ("
                + ", ".join(f"{_ident(c)} {postgres_type(t)}" for c, t in relation.columns) + ")")
    names = ", ".join(_ident(c) for c, _ in relation.columns)
    result = source.execute(f"SELECT {names} FROM main.{_ident(relation.name)}")
    rows = 0
    with cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        while batch := result.fetchmany(5000):
            for row in batch:
                copy.write_row(row)
            rows += len(batch)
    return rows


def _columns(cur, schema: str, table: str) -> dict[str, str]:
    """Column name -> PostgreSQL type as format_type spells it, so staging and live compare."""
    cur.execute("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attnum", [schema, table])
    return dict(cur.fetchall())


def _relkind(cur, schema: str, name: str) -> str | None:
    cur.execute("SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = %s", [schema, name])
    found = cur.fetchone()
    return found[0] if found else None


def _dependents(cur, schema: str, table: str, columns: list[str] | None) -> list[str]:
    """Objects (views, materialized views, foreign keys, ...) that depend on ``columns`` of the
    table, or on the table at all when ``columns`` is None, named as PostgreSQL describes them."""
    cur.execute(
        """
        SELECT DISTINCT coalesce(
            (SELECT CASE v.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' ELSE 'relation ' END
                    || v.oid::regclass::text
             FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class
             WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid),
            pg_describe_object(d.classid, d.objid, d.objsubid)) AS dependent
        FROM pg_depend d
        LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = %s::regclass AND d.deptype = 'n'
          AND (%s::text[] IS NULL OR a.attname = ANY(%s::text[]))
        ORDER BY dependent
        """, [f"{_ident(schema)}.{_ident(table)}", columns, columns])
    return [d for (d,) in cur.fetchall()]


def _previously_loaded(cur, schema: str) -> set[str]:
    """The relations the last load wrote, as its ``_snapshot_tables`` lists them."""
    if _relkind(cur, schema, "_snapshot_tables") is None:
        return set()
    cur.execute(f"SELECT relation FROM {_ident(schema)}._snapshot_tables")
    return {r for (r,) in cur.fetchall()}


def _swap(cur, schema: str, staging: str, relations: list[_Relation]) -> None:
    """Check every relation first, so a refusal names all blocking objects and changes nothing."""
    problems, refills, moves = [], [], []
    for relation in relations:
        kind = _relkind(cur, schema, relation.name)
        if kind is None:
            moves.append(relation.name)
            continue
        if kind not in ("r", "p"):
            problems.append(f"{schema}.{relation.name} exists but is not a table (relkind {kind}): "
                            "rename or drop it, the snapshot has a table by that name")
            continue
        new, old = _columns(cur, staging, relation.name), _columns(cur, schema, relation.name)
        changed = [c for c in old if c not in new or new[c] != old[c]]
        blocking = _dependents(cur, schema, relation.name, changed) if changed else []
        if blocking:
            problems.append(f"{schema}.{relation.name}: the column(s) {', '.join(changed)} are dropped or change "
                            f"type in the new snapshot, and {', '.join(blocking)} depend(s) on them")
        refills.append((relation.name, old, new))
    stale = sorted(_previously_loaded(cur, schema) - {r.name for r in relations})
    stale = [name for name in stale if _relkind(cur, schema, name) in ("r", "p")]
    for name in stale:
        blocking = _dependents(cur, schema, name, None)
        if blocking:
            problems.append(f"{schema}.{name} is no longer published, and {', '.join(blocking)} depend(s) on it")
    if problems:
        raise ReloadRefused("PostgreSQL not loaded, nothing changed: " + "; ".join(problems)
                            + ". Drop or adapt the dependent objects (recreate them after the load), then load again.")

    for name, old, new in refills:
        live = f"{_ident(schema)}.{_ident(name)}"
        cur.execute(f"DELETE FROM {live}")  # MVCC: readers keep seeing the old rows until the commit
        for column, kind in old.items():
            if column not in new:
                cur.execute(f"ALTER TABLE {live} DROP COLUMN {_ident(column)}")
            elif new[column] != kind:
                cur.execute(f"ALTER TABLE {live} ALTER COLUMN {_ident(column)} TYPE {new[column]} "
                            f"USING NULL::{new[column]}")  # the table is empty by now
        for column, kind in new.items():
            if column not in old:
                cur.execute(f"ALTER TABLE {live} ADD COLUMN {_ident(column)} {kind}")
        names = ", ".join(_ident(c) for c in new)
        cur.execute(f"INSERT INTO {live} ({names}) SELECT {names} FROM {_ident(staging)}.{_ident(name)}")
    for name in moves:
        cur.execute(f"ALTER TABLE {_ident(staging)}.{_ident(name)} SET SCHEMA {_ident(schema)}")
    for name in stale:
        cur.execute(f"DROP TABLE {_ident(schema)}.{_ident(name)}")


def _comment(cur, schema: str, relation: _Relation) -> None:
    """The snapshot's descriptions, set again at each load (a comment the snapshot lacks is kept)."""
    live = f"{_ident(schema)}.{_ident(relation.name)}"
    if relation.comment:
        cur.execute(f"COMMENT ON TABLE {live} IS {_literal(relation.comment)}")
    for column, text in relation.column_comments.items():
        cur.execute(f"COMMENT ON COLUMN {live}.{_ident(column)} IS {_literal(text)}")
