"""The dbt project as Dagster assets: seeds, staging, intermediate and marts, with dbt tests
as asset checks (error severity blocks what is downstream, warn does not)."""


import json
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_project import code_fingerprint, dbt_project, prune_build_targets
from orchestration.resources import Warehouse
from orchestration.settings import Settings, default_report_year


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys follow the warehouse's schemas: raw.<source> for dbt sources (the raw
    assets load them), <schema>.<model> for everything dbt builds."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props["schema"]
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or dbt_resource_props["schema"]

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: Any) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is not None and not spec.description:
            spec = spec._replace(description=describe_dbt_test(manifest["nodes"][unique_id]))
        return spec


def describe_dbt_test(test: Mapping[str, Any]) -> str:
    """What a dbt test checks, in one sentence, for the asset check's description in the UI: the
    test's own YAML description, or one made from its kind and arguments."""
    severity = (test.get("config", {}).get("severity") or "error").lower()
    effect = ("Severity error: a failure blocks everything downstream (nothing is published)." if severity == "error"
              else "Severity warn: a failure is reported in the run summary and the quality report, nothing is blocked.")
    if test.get("description"):
        return f"{test['description'].strip()} {effect}"
    meta = test.get("test_metadata") or {}
    kind, kwargs = meta.get("name"), meta.get("kwargs", {})
    column = kwargs.get("column_name") or test.get("column_name")
    if kind == "not_null":
        what = f"No row has an empty `{column}`."
    elif kind == "unique":
        what = f"`{column}` is unique: one row per key."
    elif kind == "accepted_values" and kwargs.get("values") == [True] and kwargs.get("quote") is False:
        what = f"On every row: `{column}`."
    elif kind == "accepted_values":
        what = f"`{column}` is one of: {', '.join(map(str, kwargs.get('values', [])))}."
    elif kind == "unique_combination":
        what = f"One row per ({', '.join(kwargs.get('combination_of_columns', []))})."
    elif kind == "no_sharp_drop_between_years":
        what = (f"The rows per `{kwargs.get('year_column')}` never drop by more than "
                f"{float(kwargs.get('max_drop', 0)):.0%} from one year to the next (a partial delivery).")
    elif kind == "relationships":
        target = str(kwargs.get("to", "")).replace("ref('", "").replace("')", "")
        what = f"Every `{column}` exists in {target}.{kwargs.get('field')}."
    else:
        what = f"dbt test {kind or test.get('name')}" + (f" on `{column}`." if column else ".")
    return f"{what} {effect}"


def model_keys_in_schema(schema: str) -> list[dg.AssetKey]:
    """Asset keys of the dbt models materialised in ``schema``, read from the manifest."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return sorted(
        dg.AssetKey([schema, node["name"]])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == schema
    )


class DbtRefreshConfig(dg.Config):
    # dbt var report_year: the marts keep the periods that had ended by its as-of date
    # (dbt_project/macros/as_of.sql)
    report_year: int = default_report_year()


def dbt_build_args(settings: Settings) -> list[str]:
    """The refresh's dbt build: the same --vars as its parse (orchestration/refresh.py prepare_dbt).
    dbt's unit tests pin the macros on hand-made rows: they test the code, which the test suite
    does (tests/test_dbt_unit_tests.py), not the delivery, so a refresh does not run them."""
    return ["build", "--vars", settings.dbt_vars(), "--exclude-resource-type", "unit_test"]


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse,
                         config: DbtRefreshConfig):
    settings = warehouse.settings(report_year=config.report_year)
    # dbt builds the run's copy of the warehouse; the code fingerprint is read by the incremental
    # models at run time only, so it never invalidates dbt's parse
    try:
        with settings.dbt_environment(code_fingerprint=code_fingerprint()):
            yield from dbt.cli(dbt_build_args(settings), context=context).stream()
    finally:
        prune_build_targets()
