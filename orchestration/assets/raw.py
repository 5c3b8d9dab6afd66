"""One asset per source extract: validate the source's new or changed files, then bring
raw.<source> up to date (ingestion.loader.refresh_source: unchanged files are skipped).

The assets are generated from the data contract, so a new source is a new contract entry."""


from pathlib import Path

import dagster as dg

from ingestion.contract import SOURCES, Source
from ingestion.loader import refresh_source, release_memory
from ingestion.readers import find_files
from orchestration.resources import Warehouse


def raw_asset_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.name])


def build_raw_asset(source: Source) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(source),
        group_name=f"raw_{source.kind}",
        description=f"{source.description} Source: {source.provider}. Period: {source.period}",
        kinds={"csv", "duckdb"},
        metadata={"file_pattern": source.file_pattern, "person_level": source.person_level},
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
        finally:
            # the refresh runs in this one process and dbt (a subprocess) runs next: what the
            # load freed must not count towards the refresh's peak while dbt works
            release_memory()
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
            }
        )

    return _raw_asset


raw_assets = [build_raw_asset(s) for s in SOURCES]
