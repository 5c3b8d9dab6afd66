"""The bench's measurements, each returning a plain dict the report renders."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC
from pathlib import Path

import pandas as pd

from bench import stages, subset
from bench.memory import run_child
from orchestration.settings import DBT_PROJECT_DIR, resolve_settings

PY = sys.executable


def generate_randers_demo(extracts: Path, small: bool) -> dict:
    from demo.generate import is_current
    from demo.model import DemoConfig

    config = DemoConfig.small() if small else DemoConfig()
    if is_current(config, extracts):
        return {"cached": True}
    code, seconds, peak = run_child([PY, "-m", "demo", str(extracts), *(["--small"] if small else [])])
    if code:
        raise RuntimeError("the demo generator failed")
    return {"cached": False, "seconds": seconds, "peak_mib": peak}


def refresh(extracts: Path, warehouse: Path, exports: Path, log: Path, fresh: bool = True) -> dict:
    """The product's full refresh (Dagster job, every check, exports) in a child process."""
    if fresh:
        warehouse.unlink(missing_ok=True)
        shutil.rmtree(exports, ignore_errors=True)
    out = log.with_suffix(".json")
    out.unlink(missing_ok=True)
    code, seconds, peak = run_child([PY, "-m", "bench.refresh", "--extracts", str(extracts), "--warehouse",
                                     str(warehouse), "--exports", str(exports), "--out", str(out)], log=log)
    if code or not out.exists():
        raise RuntimeError(f"the refresh failed (see {log})")
    result = json.loads(out.read_text())
    result.pop("steps", None)
    result.update(process_seconds=seconds, peak_mib=peak)
    return result


def add_a_year(extracts: Path, work: Path, full_seconds: float) -> dict:
    """A warehouse refreshed without the last year's files, then the refresh after the last
    year's files arrive (the raw layer loads only the new files; every dbt model is rebuilt)."""
    last = max(int(p.stem.rsplit("_", 1)[1]) for p in extracts.rglob("*_[0-9][0-9][0-9][0-9].csv"))
    partial = work / f"extracts-until-{last - 1}"
    shutil.rmtree(partial, ignore_errors=True)
    newest = []
    for path in sorted(extracts.rglob("*.csv")):
        target = partial / path.relative_to(extracts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.stem.endswith(f"_{last}"):
            newest.append((path, target))
        else:
            os.link(path, target)  # the delivery check refuses symlinks
    warehouse, exports = work / "add_year.duckdb", work / "add_year_exports"
    before = refresh(partial, warehouse, exports, work / "refresh_until_previous.log")
    for path, target in newest:
        os.link(path, target)
    after = refresh(partial, warehouse, exports, work / "refresh_add_year.log", fresh=False)
    return {"year_added": last, "files_added": len(newest), "refresh_before": before, "refresh_adding": after,
            "share_of_full_refresh": after["process_seconds"] / full_seconds}


def _compute_child(how: str, warehouse: Path, work: Path) -> tuple[dict, pd.DataFrame]:
    out = work / f"{how}.parquet"
    code, seconds, peak = run_child([PY, "-m", "bench.run_subset", how, str(warehouse), str(out)],
                                    log=work / f"{how}.log")
    if code:
        raise RuntimeError(f"the {how} computation failed (see {work / f'{how}.log'})")
    inner = json.loads(out.with_suffix(".json").read_text())
    return {"process_seconds": seconds, "compute_seconds": inner["compute_seconds"], "peak_mib": peak,
            "rows": inner["rows"]}, pd.read_parquet(out)


def indicator_subset(warehouse: Path, work: Path, project_dir: Path = DBT_PROJECT_DIR,
                     with_marts: bool = True, with_pandas: bool = True, ours_budget_vs_floor: float | None = None) -> dict:
    """The floor, the pandas peer and ours (dbt, the subset's models and everything upstream)
    on the same raw tables, and whether all agree. With ``ours_budget_vs_floor``, dbt is
    stopped once it has taken that many times the floor (plus its fixed start-up): the target
    is then shown to be missed without waiting for the end."""
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {}
    result["floor"], floor_rows = _compute_child("floor", warehouse, work)
    if with_pandas:
        result["pandas"], pandas_rows = _compute_child("pandas", warehouse, work)
    # dbt's fixed cost (start-up, project parse, connection) is the orchestration overhead
    idle = stages.dbt(["run", "--select", "tag:bench_selects_nothing"], warehouse, work / "target-idle", project_dir)
    budget = None
    if ours_budget_vs_floor:
        budget = ours_budget_vs_floor * result["floor"]["compute_seconds"] + idle["seconds"]
    ours = stages.dbt(["run", "--select", *subset.OURS_SELECTION, *subset.OURS_VARS], warehouse, work / "target-ours", project_dir,
                      timeout=budget)
    slowest = sorted(ours["nodes"].items(), key=lambda kv: -kv[1])[:8]
    result["ours"] = {"process_seconds": ours["seconds"], "peak_mib": ours["peak_mib"],
                      "overhead_seconds": idle["seconds"], "compute_seconds": ours["seconds"] - idle["seconds"],
                      "models": len(ours["nodes"]), "slowest_models": [[k.split(".")[-1], v] for k, v in slowest],
                      "timed_out": bool(ours.get("timed_out"))}
    if result["ours"]["timed_out"]:
        result["rows"] = len(floor_rows)
        result["checks"] = {"pandas_equals_floor": subset.differences(floor_rows, pandas_rows)} if with_pandas else {}
        return result
    con = stages.connect(warehouse)
    try:
        ours_rows = subset.ours_frame(con)
        mart_rows = subset.mart_frame(con) if with_marts else None
        floor_rows = subset.within_as_of(floor_rows, con)
        pandas_rows = subset.within_as_of(pandas_rows, con) if with_pandas else pandas_rows
    finally:
        con.close()
    result["rows"] = len(ours_rows)
    result["checks"] = {"floor_equals_ours": subset.differences(ours_rows, floor_rows)}
    if with_pandas:
        result["checks"]["pandas_equals_ours"] = subset.differences(ours_rows, pandas_rows)
    if mart_rows is not None:
        result["checks"]["mart_area_indicator_equals_floor"] = subset.differences(mart_rows, floor_rows,
                                                                                 subset_of_actual=True)
        result["mart_rows_compared"] = len(mart_rows)
    return result


def add_a_year_ours(warehouse: Path, work: Path, project_dir: Path, subset_result: dict) -> dict:
    """Ours (the subset's dbt models) when the last year arrives in a warehouse it has built:
    the last year's raw rows and delivery records are set aside and ours is brought up to date
    without them; then they come back and ours runs again, timed. Its rows must equal the
    floor's on the whole warehouse."""
    # each table the last year is set aside from, with its year column
    tables = {**{source: "_extract_year" for source in subset.SUBSET_SOURCES}, "_deliveries": "extract_year"}
    con = stages.connect(warehouse, read_only=False)
    try:
        last = con.execute("select max(_extract_year) from raw.cpr_befolkning").fetchone()[0]
        for table, year in tables.items():
            con.execute(f"create or replace table raw._held__{table.lstrip('_')} as select * from raw.{table} where {year} = ?", [last])
            con.execute(f"delete from raw.{table} where {year} = ?", [last])
    finally:
        con.close()
    ours_args = ["run", "--select", *subset.OURS_SELECTION, *subset.OURS_VARS]
    before = stages.dbt(ours_args, warehouse, work / "target-ours-before", project_dir)
    con = stages.connect(warehouse, read_only=False)
    try:
        for table in tables:
            con.execute(f"insert into raw.{table} select * from raw._held__{table.lstrip('_')}")
            con.execute(f"drop table raw._held__{table.lstrip('_')}")
    finally:
        con.close()
    adding = stages.dbt(ours_args, warehouse, work / "target-ours-adding", project_dir)
    con = stages.connect(warehouse)
    try:
        ours_rows = subset.ours_frame(con)
        floor_rows = subset.within_as_of(pd.read_parquet(work / "floor.parquet"), con)
    finally:
        con.close()
    compute = adding["seconds"] - subset_result["ours"]["overhead_seconds"]
    slowest = sorted(adding["nodes"].items(), key=lambda kv: -kv[1])[:5]
    return {"year_added": last, "before_seconds": before["seconds"], "process_seconds": adding["seconds"],
            "peak_mib": adding["peak_mib"], "compute_seconds": compute,
            "share_of_full": compute / subset_result["ours"]["compute_seconds"],
            "slowest_models": [[k.split(".")[-1], v] for k, v in slowest],
            "equals_floor": subset.differences(ours_rows, floor_rows)}


def machine() -> dict:
    import platform
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "duckdb_memory_limit": resolve_settings().duckdb_memory,
        "versions": {p: version(p) for p in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "pandas", "pandera")},
    }


def now() -> str:
    from datetime import datetime

    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
