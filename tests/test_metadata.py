"""Every mart and every mart column is described once, in the YAML beside its model (issue 14):
the descriptions are what the docs site, the published database's column comments and the
workbooks carry, so a column added to a mart without one fails here.

dbt's manifest says what is documented; the session's refreshed warehouse (``built_warehouse``)
says which columns each relation really has, ``select *`` and pivots included."""

import json

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR

# Schemas whose every relation and column must be described (the published relations and the
# marts), and in schema quality the one table the monitoring unit reads in SQL and BI tools.
DESCRIBED_SCHEMAS = ["marts", "publication"]
DESCRIBED_QUALITY_MODELS = ["reconciliation_sources"]


def load_manifest() -> dict:
    # written by `dbt parse` when the session starts (tests/conftest.py, pytest_sessionstart)
    return json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))


def schema_models(manifest: dict, schema: str) -> dict[str, dict]:
    return {node["name"]: node for node in manifest["nodes"].values()
            if node["resource_type"] == "model" and node["schema"] == schema}


def metadata_gaps(manifest: dict, con: duckdb.DuckDBPyConnection, schema: str,
                  only: list[str] | None = None) -> list[str]:
    """What is not described in a schema (or in its relations ``only``): a model without a
    description, a relation that is no dbt model, a model the warehouse lacks, a column without a
    description, and a documented column the relation does not have (a renamed or dropped column
    left behind in the YAML)."""
    models = schema_models(manifest, schema)
    actual: dict[str, list[str]] = {}
    for table, column in con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = ? "
            "order by table_name, ordinal_position", [schema]).fetchall():
        actual.setdefault(table, []).append(column)
    if only is not None:
        models = {name: node for name, node in models.items() if name in only}
        actual = {name: columns for name, columns in actual.items() if name in only}
    gaps = []
    for name in sorted(set(models) | set(actual)):
        node = models.get(name)
        if node is None:
            gaps.append(f"{schema}.{name}: a relation in the warehouse that is no dbt model")
            continue
        if not node["description"].strip():
            gaps.append(f"{schema}.{name}: the model has no description")
        if name not in actual:
            if node["config"]["materialized"] != "ephemeral":
                gaps.append(f"{schema}.{name}: a model the warehouse does not have")
            continue
        described = {column: spec["description"].strip() for column, spec in node["columns"].items()}
        gaps += [f"{schema}.{name}.{column}: no description" for column in actual[name] if not described.get(column)]
        gaps += [f"{schema}.{name}.{column}: documented, but the relation has no such column"
                 for column in described if column not in actual[name]]
    return gaps


@pytest.mark.parametrize("schema", DESCRIBED_SCHEMAS)
def test_every_relation_and_column_of_the_schema_is_described(schema, built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        gaps = metadata_gaps(load_manifest(), con, schema)
    finally:
        con.close()
    assert not gaps, f"{len(gaps)} gap(s) in the descriptions of schema {schema}:\n" + "\n".join(gaps)


def test_every_column_of_the_reconciliation_is_described(built_warehouse):
    """reconciliation_sources is read beside the marts, though it lives in schema quality."""
    manifest = load_manifest()
    assert set(DESCRIBED_QUALITY_MODELS) <= set(schema_models(manifest, "quality"))
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        gaps = metadata_gaps(manifest, con, "quality", DESCRIBED_QUALITY_MODELS)
    finally:
        con.close()
    assert not gaps, f"{len(gaps)} gap(s) in the descriptions in schema quality:\n" + "\n".join(gaps)


def test_the_check_names_each_kind_of_gap():
    """The comparison itself, on a hand-made schema: each kind of gap is reported, by name, and
    a fully described relation is not."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.mart_good (a integer, \"GJP_value\" double)")
    con.execute("create table marts.mart_gappy (a integer, b integer)")
    con.execute("create view marts.stray as select 1 as x")

    def model(name, description, columns, materialized="table"):
        return {"resource_type": "model", "schema": "marts", "name": name, "description": description,
                "config": {"materialized": materialized},
                "columns": {column: {"name": column, "description": text} for column, text in columns.items()}}

    manifest = {"nodes": {
        "model.p.mart_good": model("mart_good", "Fine.", {"a": "A count.", "GJP_value": "A value."}),
        "model.p.mart_gappy": model("mart_gappy", " ", {"a": "", "c": "Gone."}),
        "model.p.mart_unbuilt": model("mart_unbuilt", "Not built.", {}),
        "model.p.mart_ephemeral": model("mart_ephemeral", "No relation.", {}, materialized="ephemeral"),
        "model.p.other_schema": {**model("other_schema", "", {}), "schema": "publication"},
        "test.p.not_a_model": {**model("not_a_model", "", {}), "resource_type": "test"},
    }}
    assert sorted(metadata_gaps(manifest, con, "marts")) == sorted([
        "marts.mart_gappy: the model has no description",
        "marts.mart_gappy.a: no description",
        "marts.mart_gappy.b: no description",
        "marts.mart_gappy.c: documented, but the relation has no such column",
        "marts.mart_unbuilt: a model the warehouse does not have",
        "marts.stray: a relation in the warehouse that is no dbt model",
    ])
    # restricted to some relations, the others are neither checked nor reported
    assert metadata_gaps(manifest, con, "marts", ["mart_good"]) == []
    assert sorted(metadata_gaps(manifest, con, "marts", ["mart_gappy", "mart_unbuilt"])) == sorted([
        "marts.mart_gappy: the model has no description",
        "marts.mart_gappy.a: no description",
        "marts.mart_gappy.b: no description",
        "marts.mart_gappy.c: documented, but the relation has no such column",
        "marts.mart_unbuilt: a model the warehouse does not have",
    ])
