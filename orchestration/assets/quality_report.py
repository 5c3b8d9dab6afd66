"""The data-quality report of a refresh (HTML and JSON, expectations/quality_report.py), written
next to the exports once they are published: a refresh stopped by a blocking check publishes
no new report either."""

import dagster as dg

from expectations.quality_report import HTML_NAME, JSON_NAME, write_report
from orchestration.resources import Warehouse


@dg.asset(
    key=dg.AssetKey(["published", "quality_report"]),
    deps=[dg.AssetKey(["published", "export_files"])],
    group_name="published",
    kinds={"html", "json"},
    description="Datakvalitetsrapport: every flag by plan, area and indicator, the hidden cells and why, "
    "and the rows quarantined at ingestion.",
)
def quality_report(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    year = context.run.tags.get("report_year")
    summary = write_report(warehouse.db_path, warehouse.exports, int(year) if year else None)
    context.log.info(f"Data-quality report: {summary}")
    return dg.MaterializeResult(
        metadata={
            "html": dg.MetadataValue.path(f"{warehouse.exports}/{HTML_NAME}"),
            "json": dg.MetadataValue.path(f"{warehouse.exports}/{JSON_NAME}"),
            "summary": dg.MetadataValue.json(summary),
        }
    )
