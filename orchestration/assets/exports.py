"""Publish the export relations once everything upstream, checks included, has passed."""


import os

import dagster as dg

from exports.publish import EXPORT_SCHEMA, publish
from orchestration.assets.dbt import model_keys_in_schema
from orchestration.partitions import REPORT_YEAR_PARTITIONS
from orchestration.resources import Warehouse


@dg.asset(
    key=dg.AssetKey(["published", "export_files"]),
    deps=model_keys_in_schema(EXPORT_SCHEMA),
    group_name="published",
    # one partition per report year: each year's files stay in their folder, so the UI shows which
    # years are published; the run's partition is also the year the dbt step cut the marts at
    # (the same run config sets both), and publish() refuses marts built for another year
    partitions_def=REPORT_YEAR_PARTITIONS,
    kinds={"parquet", "csv", "duckdb"},
    description="Every relation in the publication schema as Parquet and Danish-Excel CSV, an XLSX workbook and "
    "the indicator annex (HTML) per plan, the read-only DuckDB snapshot warehouse_published.duckdb, "
    "and a manifest: one snapshot folder per publication, named by the report year's pointer "
    "<exports>/<year> (and <exports>/latest), switched atomically; loaded into PostgreSQL when "
    "BOLIGMONITOR_POSTGRES_DSN is set.",
)
def export_files(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    settings = warehouse.settings(report_year=int(context.partition_key))
    manifest = publish(settings.warehouse, settings.export_dir, report_year=settings.report_year,
                       progress=context.log.info)
    context.log.info(f"Published {len(manifest['tables'])} table(s) to {manifest['folder']}")
    metadata = {
        "export_dir": dg.MetadataValue.path(str(settings.export_dir)),
        "snapshot_folder": dg.MetadataValue.path(manifest["folder"]),
        "report_year": manifest["data_vintage"]["report_year"],
        "snapshot_id": manifest["snapshot_id"],
        "tables": dg.MetadataValue.json(manifest["tables"]),
    }
    if settings.postgres_dsn:
        from exports.postgres import load_snapshot

        try:
            loaded = load_snapshot(os.path.join(manifest["folder"], manifest["snapshot"]["file"]),
                                   settings.postgres_dsn, read_roles=list(settings.postgres_read_roles))
        except Exception as error:
            # the files are published by now; PostgreSQL keeps its previous tables (one transaction)
            raise dg.Failure(description=f"The files are published, but loading PostgreSQL failed and its tables "
                             f"are unchanged: {error}. Rerun `boligmonitor postgres --dsn ...`.") from error
        context.log.info(f"Loaded {len(loaded)} table(s) into PostgreSQL")
        metadata["postgres_tables"] = dg.MetadataValue.json(loaded)
    return dg.MaterializeResult(metadata=metadata)
