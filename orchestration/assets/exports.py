"""Publish the export relations once everything upstream, checks included, has passed."""


import dagster as dg

from exports.publish import EXPORT_SCHEMA, publish
from orchestration.assets.dbt import model_keys_in_schema
from orchestration.resources import Warehouse


@dg.asset(
    key=dg.AssetKey(["published", "export_files"]),
    deps=model_keys_in_schema(EXPORT_SCHEMA),
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
