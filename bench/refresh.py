"""One full refresh (raw files -> exports, every check) through the product's Dagster job,
in a child process, with the time of each step read from Dagster's event log.

    python -m bench.refresh --extracts DIR --warehouse W --exports E --out result.json

The parent (bench.__main__) samples the child's process tree for peak memory. Steps are
grouped into the stages of the issue: ingestion (one asset per source), dbt (dbt build: the
models and dbt's tests), checks (the Python and Great Expectations asset checks), exports.
What the wall time has beyond the steps is orchestration: imports, dbt parse, Dagster."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

START = time.perf_counter()  # before the heavy imports: they are part of the overhead


def step_seconds(instance, run_id: str) -> dict[str, float]:
    import dagster as dg

    started, seconds = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
        elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            seconds[event.step_key] = entry.timestamp - started[event.step_key]
    return seconds


def dbt_test_seconds(since: float) -> float | None:
    """Thread-seconds dbt spent in tests, from the newest run_results.json of this run."""
    from orchestration.settings import DBT_PROJECT_DIR

    candidates = [p for p in (DBT_PROJECT_DIR / "target").rglob("run_results.json") if p.stat().st_mtime >= since]
    if not candidates:
        return None
    results = json.loads(max(candidates, key=lambda p: p.stat().st_mtime).read_text())["results"]
    return sum(r["execution_time"] for r in results if r["unique_id"].startswith("test."))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extracts", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--exports", type=Path, required=True)
    parser.add_argument("--report-year", type=int, default=None, help="default: the product's (dbt_project.yml)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    wall_clock_start = time.time()

    from orchestration.settings import ENV_EXPORTS, ENV_EXTRACTS, ENV_WAREHOUSE

    os.environ[ENV_EXTRACTS] = str(args.extracts.resolve())
    os.environ[ENV_WAREHOUSE] = str(args.warehouse.resolve())
    os.environ[ENV_EXPORTS] = str(args.exports.resolve())
    from orchestration.cli import prepare_dbt

    prepare_dbt()  # as `boligmonitor run` does: the definitions load dbt's manifest

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.run_log import stage_of_steps
    from orchestration.schedules import refresh_run_config
    from orchestration.settings import default_report_year

    instance = dg.DagsterInstance.ephemeral()
    report_year = args.report_year or default_report_year()
    job = defs.resolve_job_def("yearly_refresh")
    stage_of = stage_of_steps(job)  # the stages `boligmonitor run` counts
    result = job.execute_in_process(
        run_config=refresh_run_config(report_year), partition_key=str(report_year), instance=instance,
        raise_on_error=False)
    wall = time.perf_counter() - START
    steps = step_seconds(instance, result.run_id)
    stages: dict[str, float] = {}
    for key, seconds in steps.items():
        stage = stage_of.get(key, "checks")
        stages[stage] = stages.get(stage, 0.0) + seconds
    out = {
        "success": result.success,
        "wall_seconds": wall,
        "stages": stages,
        "orchestration_seconds": wall - sum(steps.values()),
        "dbt_test_thread_seconds": dbt_test_seconds(wall_clock_start),
        "steps": steps,
    }
    args.out.write_text(json.dumps(out, indent=2))
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
