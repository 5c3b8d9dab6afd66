"""One asset per source extract: validate every file of the source, then load raw.<source>.

The assets are generated from the data contract, so a new source is a new contract entry."""


from pathlib import Path

import dagster as dg

from ingestion.contract import SOURCES, Source
from ingestion.loader import load_source
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
        with warehouse.connect() as con:
            # validates every file; on any problem raises ExtractError and writes nothing
            rows = load_source(con, source, files)
        return dg.MaterializeResult(
            metadata={
                "rows": rows,
                "years": dg.MetadataValue.json(sorted(files)),
                "files": dg.MetadataValue.json([p.name for p in files.values()]),
            }
        )

    return _raw_asset


raw_assets = [build_raw_asset(s) for s in SOURCES]
