"""An upgraded warehouse loses the relations earlier versions built under names they no longer
have (schema exports, marts.mart_reconciliation): dbt's on-run-start hooks drop them, so a
reader of an old name gets an error instead of last year's figures. The hooks run here on a
hand-made warehouse holding old and new names side by side."""

import duckdb
import yaml

from orchestration.settings import DBT_PROJECT_DIR

OLD = ["exports.export_area_indicator", "exports.export_language_assessment", "marts.mart_reconciliation"]
NEW = ["publication.export_area_indicator", "quality.reconciliation_sources", "marts.mart_area_indicator"]


def _hooks() -> list[str]:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return list(project.get("on-run-start") or [])


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {f"{schema}.{name}" for schema, name in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}


def test_the_hooks_drop_the_old_names_and_keep_the_new(tmp_path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    for schema in ("exports", "publication", "quality", "marts"):
        con.execute(f"create schema {schema}")
    for relation in OLD + NEW:
        con.execute(f"create table {relation} as select 1 as x")
    hooks = _hooks()
    assert hooks, "dbt_project.yml has no on-run-start hooks"
    for _ in range(2):  # every dbt run repeats them: the second time they find nothing
        for hook in hooks:
            con.execute(hook)
        assert _relations(con) == set(NEW)
    assert "exports" not in {s for (s,) in con.execute("select schema_name from information_schema.schemata").fetchall()}


def test_the_hooks_pass_on_a_new_warehouse(tmp_path):
    """The first run on an empty warehouse (no schema marts yet) must not fail on them."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    hooks = _hooks()
    assert hooks, "dbt_project.yml has no on-run-start hooks"
    for hook in hooks:
        con.execute(hook)
    assert _relations(con) == set()
