"""The steps of a refresh that the commands share: dbt's parse, the delivery check, the Dagster
job in this process, and the lines that sum up what was published."""

from __future__ import annotations

import resource
from pathlib import Path

from orchestration.settings import Settings


def say(message: str) -> None:
    print(f"[boligmonitor] {message}", flush=True)


def delivery_is_whole(extract_dir: Path, warehouse: Path) -> bool:
    """The delivery manifest check (ingestion.manifest), before anything is written."""
    from ingestion.manifest import delivery_problems

    problems = delivery_problems(extract_dir, warehouse)
    if problems:
        say(f"REFRESH STOPPED before anything was written; the warehouse and exports are unchanged.\n{problems}")
    return problems is None


def load_raw(settings: Settings) -> None:
    """Validate and load every source, outside Dagster (for development and debugging)."""
    import duckdb

    from ingestion.contract import SOURCES
    from ingestion.loader import load_source, quarantine_counts
    from ingestion.manifest import declared_gaps, record_gaps
    from ingestion.readers import find_files

    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse), config=settings.duckdb_config())
    try:
        for source in SOURCES:
            rows = load_source(con, source, find_files(settings.extract_dir, source))
            held = quarantine_counts(con, source)
            say(f"raw.{source.name}: {rows} rows" + "".join(f"; {n} quarantined ({why})" for why, n in held.items()))
        record_gaps(con, declared_gaps(settings.extract_dir))
    finally:
        con.close()


def run_job(job_name: str, settings: Settings, prefix: str = ""):
    """One report year (``settings.report_year``) of a job of the code location, in this process
    (one writer for the DuckDB file), with the settings as its run config: a line per stage on
    the terminal, Dagster's and dbt's output in a log file beside the warehouse. Returns
    (passed, the StageTracker with the failed checks, the log file)."""
    from orchestration.run_log import run_dagster_job
    from orchestration.schedules import settings_run_config

    year = str(settings.report_year)  # the run's partition is the published files' report year
    return run_dagster_job(job_name, settings.report_year, settings.warehouse, prefix=prefix,
                           run_config=settings_run_config(settings), partition_key=year, tags={"report_year": year})


def fidelity_summary(warehouse: Path) -> str:
    """One line for the backtest against the plan documents' published figures."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = dict(con.execute(
            "SELECT fidelity_status, count(*) FROM quality.fidelity_published_values GROUP BY 1"
        ).fetchall())
    finally:
        con.close()
    consistent = sum(n for status, n in counts.items() if status != "inconsistent_in_seed")
    return (f"{counts.get('reproduced', 0)} of {consistent} published values reproduced; "
            f"{counts.get('inconsistent_in_seed', 0)} contradicted by the documents themselves "
            "(see quality.fidelity_published_values)")


def published_summary(export_dir: Path, report_year: int | None = None) -> str:
    """What the manifest says was published: the snapshot, the workbooks and the annex pages."""
    import json

    from exports.pointer import resolve_published

    folder = resolve_published(export_dir, report_year)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return (f"report year {manifest['data_vintage']['report_year']} in {folder}: "
            f"snapshot {manifest['snapshot_id']} ({manifest['snapshot']['file']}): {len(manifest['tables'])} table(s); "
            f"workbooks {', '.join(w['file'] for w in manifest['workbooks'])}; "
            f"annex {', '.join(a['file'] for a in manifest['annexes'])}")


def peak_memory_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # ru_maxrss is KiB on Linux
