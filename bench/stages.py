"""The pieces the bench times: loading the raw schema, dbt commands, the floor and the peer.

Each runs the product's own code (ingestion.loader, the dbt project) unless its name says
otherwise; ``dbt`` runs in a subprocess exactly as Dagster's dbt resource does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR, ENV_WAREHOUSE, dbt_executable, duckdb_config


def load_raw(extract_dir: Path, warehouse: Path, only: set[str] | None = None) -> dict[str, int]:
    """Validate and load the sources with the product's loader (pandera, one file at a time).
    Sources not in ``only`` are loaded as empty tables, so dbt's staging views resolve."""
    from ingestion.contract import SOURCES
    from ingestion.loader import load_source
    from ingestion.readers import find_files

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), config=duckdb_config())
    try:
        return {s.name: load_source(con, s, find_files(extract_dir, s) if only is None or s.name in only else {})
                for s in SOURCES}
    finally:
        con.close()


def dbt(args: list[str], warehouse: Path, target_path: Path, project_dir: Path = DBT_PROJECT_DIR,
        timeout: float | None = None) -> dict:
    """Run one dbt command against ``warehouse``: wall seconds, peak MiB of the dbt process
    tree and per-node execution times (from run_results.json)."""
    from bench.memory import run_child

    target_path.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, ENV_WAREHOUSE: str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "DBT_TARGET_PATH": str(target_path)}
    log = target_path / "bench_dbt.log"
    code, seconds, peak = run_child([str(dbt_executable()), *args, "--profiles-dir", str(project_dir),
                                     "--project-dir", str(project_dir)], log=log, env=env, timeout=timeout)
    if code is None:
        return {"seconds": seconds, "peak_mib": peak, "nodes": {}, "timed_out": True}
    if code != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed (see {log}):\n{log.read_text()[-4000:]}")
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    nodes = {r["unique_id"]: r["execution_time"] for r in results}
    return {"seconds": seconds, "peak_mib": peak, "nodes": nodes}


def connect(warehouse: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse), read_only=read_only, config=duckdb_config())
