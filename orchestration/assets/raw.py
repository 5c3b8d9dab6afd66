"""One asset per source extract: validate the source's new or changed files, then bring
raw.<source> up to date (ingestion.loader.refresh_source: unchanged files are skipped).

Every one of them waits for raw/delivery_manifest, the delivery manifest check
(ingestion.manifest): a delivery that is not whole stops the run before any raw table is
touched, a scheduled run included. The assets are generated from the data contract, so a new
source is a new contract entry."""


from pathlib import Path

import dagster as dg

from ingestion.contract import SOURCES, Source
from ingestion.loader import quarantine_counts, refresh_source, release_memory
from ingestion.manifest import check_delivery, declared_gaps, previous_delivery, record_gaps
from ingestion.readers import find_files
from orchestration.resources import Warehouse

MANIFEST_KEY = dg.AssetKey(["raw", "delivery_manifest"])


def raw_asset_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.name])


@dg.asset(key=MANIFEST_KEY, group_name="raw_manifest", kinds={"csv"},
          description="The delivery manifest check: every expected source and year present, nothing misplaced, "
          "misnamed or unknown, before any raw table is written (ingestion.manifest).")
def delivery_manifest(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    extract_dir = Path(warehouse.extracts)
    previous = {}
    if Path(warehouse.db_path).exists():
        with warehouse.connect(read_only=True) as con:
            previous = previous_delivery(con)
    delivery = check_delivery(extract_dir, previous)  # ExtractError lists every problem: the run stops
    for gap in delivery.gaps:
        context.log.info(f"declared gap: {gap.source} {gap.year} ({gap.reason})")
    return dg.MaterializeResult(metadata={
        "files": sum(len(f) for f in delivery.files.values()),
        "declared_gaps": dg.MetadataValue.json([[g.source, g.year] for g in delivery.gaps]),
    })


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(source),
        group_name=f"raw_{source.kind}",
        description=f"{source.description} Source: {source.provider}. Period: {source.period}",
        kinds={"csv", "duckdb"},
        metadata={"file_pattern": source.file_pattern, "person_level": source.person_level},
        deps=[MANIFEST_KEY],
    )
    def _raw_asset(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        extract_dir = Path(warehouse.extracts)
        files = find_files(extract_dir, source)
        if not files:
            context.log.warning(f"No files for {source.name} in {extract_dir / source.folder}; loading an empty table")
        try:
            with warehouse.connect() as con:
                # validates every new or changed file; on any problem raises ExtractError and writes nothing
                result = refresh_source(con, source, files)
                record_gaps(con, declared_gaps(extract_dir), source)
                held = quarantine_counts(con, source)
        finally:
            # the refresh runs in this one process and dbt (a subprocess) runs next: what the
            # load freed must not count towards the refresh's peak while dbt works
            release_memory()
        for reason, count in held.items():
            context.log.warning(f"{source.name}: {count} row(s) quarantined in raw.{source.name}__quarantine, {reason}")
        if result.skipped:
            context.log.info(f"{source.name}: {len(result.skipped)} file(s) unchanged since they were loaded, skipped")
        return dg.MaterializeResult(
            metadata={
                "rows": result.rows,
                "years": dg.MetadataValue.json(sorted(files)),
                "files": dg.MetadataValue.json([p.name for p in files.values()]),
                "files_loaded": dg.MetadataValue.json(result.loaded),
                "files_skipped": len(result.skipped),
                "years_withdrawn": dg.MetadataValue.json(result.withdrawn),
                "rows_quarantined": dg.MetadataValue.json(held),
            }
        )

    return _raw_asset


raw_assets = [delivery_manifest, *(build_raw_asset(s) for s in SOURCES)]
