"""Publish the export relations once everything upstream, checks included, has passed."""


import json

import dagster as dg

from exports.publish import EXPORT_SCHEMA, publish
from orchestration.dbt_project import dbt_project
from orchestration.resources import Warehouse


def _export_model_keys() -> list[dg.AssetKey]:
    """The dbt models materialised in the exports schema, read from the manifest."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return sorted(
        dg.AssetKey([EXPORT_SCHEMA, node["name"]])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == EXPORT_SCHEMA
    )


@dg.asset(
    key=dg.AssetKey(["published", "export_files"]),
    deps=_export_model_keys(),
    group_name="published",
    kinds={"parquet", "csv"},
    description="Parquet and Danish-Excel CSV files of every relation in the exports schema, with a manifest.",
)
def export_files(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    manifest = publish(warehouse.db_path, warehouse.exports)
    context.log.info(f"Published {len(manifest['tables'])} table(s) to {warehouse.exports}")
    return dg.MaterializeResult(
        metadata={
            "export_dir": dg.MetadataValue.path(warehouse.exports),
            "tables": dg.MetadataValue.json(manifest["tables"]),
        }
    )
