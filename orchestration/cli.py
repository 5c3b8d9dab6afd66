"""Command line for the monitoring unit: ``boligmonitor run`` does the whole yearly refresh.

    boligmonitor run                      # demo municipality: generate, refresh, export
    boligmonitor run --extracts DIR       # a real extract folder takes the same path
    boligmonitor run --small              # the small demo municipality the tests use
    boligmonitor demo OUT_DIR [--small]   # only write the demo extracts
    boligmonitor prepare                  # only parse the dbt project (manifest for Dagster)
    boligmonitor load --extracts DIR      # only validate and load the raw schema (development)
    boligmonitor refresh 2025 --extracts DIR   # the yearly refresh for report year 2025
    boligmonitor export [--report-year Y]      # only rebuild marts + exports for year Y, check and publish
    boligmonitor backfill 2019 2024            # publish each report year as known at its end, annex per year
    boligmonitor postgres --dsn DSN            # load the published snapshot into PostgreSQL
    boligmonitor docs                          # dbt docs (static HTML) into var/dbt_docs

While a refresh or export runs, a line per stage (ingestion, dbt, checks, exports) with its
elapsed time; Dagster's and dbt's full output go to the log file it names, in logs/ beside the
warehouse. An argument that cannot produce anything stops at once (exit code 2).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from orchestration.operations import (
    ENV_POSTGRES_DSN,
    EXPORTS_HELP,
    OPERATIONS,
    WAREHOUSE_HELP,
    ArgumentProblem,
    add_operations_commands,
    check_extracts,
    check_report_years,
    check_run_arguments,
    default_report_year,
    delivered_years,
    report_year_help,
)
from orchestration.refresh_guard import LockHeld, SwapRefused, refresh_warehouse
from orchestration.settings import (
    DBT_PROJECT_DIR,
    ENV_EXPORTS,
    ENV_EXTRACTS,
    ENV_WAREHOUSE,
    REPO_ROOT,
    dbt_executable,
    duckdb_config,
    default_export_dir,
    default_warehouse_path,
)


def _say(message: str) -> None:
    print(f"[boligmonitor] {message}", flush=True)


def prepare_dbt() -> None:
    """Write dbt's manifest.json, which the Dagster definitions load at import. Parsed with the
    vars the refresh passes (orchestration/assets/dbt.py), so its dbt build can parse only
    what changed instead of the whole project again (dbt re-parses when the vars differ)."""
    from orchestration.dbt_project import dbt_vars

    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run([str(dbt_executable()), "parse", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR),
                    "--vars", dbt_vars(default_report_year())], cwd=DBT_PROJECT_DIR, env=env, check=True)


def generate_demo(out_dir: Path, small: bool, force: bool = False) -> Path:
    # A child process run from the repository (python -m demo): the product never imports the demo
    # package, and the simulated population's memory is returned before the refresh starts. The
    # generator itself skips a folder that is current and says so.
    flags = [*(["--small"] if small else []), *(["--force"] if force else [])]
    with subprocess.Popen([sys.executable, "-m", "demo", str(Path(out_dir).resolve()), *flags], cwd=REPO_ROOT,
                          stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout:
            _say(line.rstrip())
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    return out_dir


def _delivery_is_whole(extract_dir: Path, warehouse: Path) -> bool:
    """The delivery manifest check (ingestion.manifest), before anything is written."""
    from ingestion.manifest import delivery_problems

    problems = delivery_problems(extract_dir, warehouse)
    if problems:
        _say(f"REFRESH STOPPED before anything was written; the warehouse and exports are unchanged.\n{problems}")
    return problems is None


def load_raw(extract_dir: Path, warehouse: Path) -> None:
    """Validate and load every source, outside Dagster (for development and debugging)."""
    import duckdb

    from ingestion.contract import SOURCES
    from ingestion.loader import load_source, quarantine_counts
    from ingestion.manifest import declared_gaps, record_gaps
    from ingestion.readers import find_files

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), config=duckdb_config())
    try:
        for source in SOURCES:
            rows = load_source(con, source, find_files(extract_dir, source))
            held = quarantine_counts(con, source)
            _say(f"raw.{source.name}: {rows} rows" + "".join(f"; {n} quarantined ({why})" for why, n in held.items()))
        record_gaps(con, declared_gaps(extract_dir))
    finally:
        con.close()


def run_refresh(report_year: int, warehouse: Path, job_name: str = "yearly_refresh"):
    """Materialise the whole asset graph in this process (one writer for the DuckDB file): a
    line per stage on the terminal, Dagster's and dbt's output in a log file beside the
    warehouse. Returns (passed, the StageTracker with the failed checks, the log file)."""
    from orchestration.run_log import run_dagster_job
    from orchestration.schedules import refresh_run_config

    # the run's partition is the published files' report year (orchestration/partitions.py)
    return run_dagster_job(job_name, report_year, warehouse, run_config=refresh_run_config(report_year),
                           partition_key=str(report_year), tags={"report_year": str(report_year)})


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


def _peak_memory_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # ru_maxrss is KiB on Linux


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boligmonitor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="the yearly refresh: extracts -> warehouse -> exports")
    run.add_argument("--extracts", type=Path, help="a real extract folder (default: the demo municipality)")
    run.add_argument("--small", action="store_true", help="use the small demo municipality")
    run.add_argument("--regenerate", action="store_true", help="regenerate the demo even if present")
    run.add_argument("--report-year", type=int, default=default_report_year(), help=report_year_help())
    run.add_argument("--warehouse", type=Path, default=None, help=WAREHOUSE_HELP)
    run.add_argument("--exports", type=Path, default=None, help=EXPORTS_HELP)
    demo = commands.add_parser("demo", help="write the demo municipality's extracts")
    demo.add_argument("out_dir", type=Path, help="the folder to write the extracts to")
    demo.add_argument("--small", action="store_true", help="the small demo municipality the tests use")
    commands.add_parser("prepare", help="parse the dbt project")
    load = commands.add_parser("load", help="only validate and load the extracts into the raw schema (no dbt)")
    load.add_argument("--extracts", type=Path, required=True, help="the extract folder to load")
    load.add_argument("--warehouse", type=Path, default=None, help=WAREHOUSE_HELP)
    run.add_argument("--postgres-dsn", default=None, help="also load the published snapshot into this PostgreSQL")
    add_operations_commands(commands)
    return parser


def subcommand_parsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _command(args)
    except ArgumentProblem as problem:  # before any work: usage, message, exit 2
        subcommand_parsers(parser)[args.command].error(str(problem))


def _command(args: argparse.Namespace) -> int:
    if args.command in OPERATIONS:
        return OPERATIONS[args.command](args)

    if args.command == "demo":
        generate_demo(args.out_dir, args.small, force=True)
        return 0
    if args.command == "prepare":
        prepare_dbt()
        return 0
    if args.command == "load":
        check_extracts(args.extracts)
        if not _delivery_is_whole(args.extracts.resolve(), (args.warehouse or default_warehouse_path()).resolve()):
            return 1
        load_raw(args.extracts.resolve(), (args.warehouse or default_warehouse_path()).resolve())
        return 0
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    check_run_arguments(args.extracts, args.report_year)
    if args.extracts:
        extract_dir = args.extracts.resolve()
    else:
        name = "extracts-small" if args.small else "extracts"
        extract_dir = generate_demo(REPO_ROOT / "var" / "demo" / name, args.small, force=args.regenerate)
        check_report_years([args.report_year], delivered_years(extract_dir), f"the demo municipality {extract_dir}")
    # The resources read these when the definitions are imported below.
    os.environ[ENV_EXTRACTS] = str(extract_dir)
    warehouse = (args.warehouse or default_warehouse_path()).resolve()
    os.environ[ENV_WAREHOUSE] = str(warehouse)
    os.environ[ENV_EXPORTS] = str((args.exports or default_export_dir()).resolve())
    if args.postgres_dsn:
        os.environ[ENV_POSTGRES_DSN] = args.postgres_dsn
    try:
        # the refresh lock, and a copy of the warehouse that is swapped in only if all passes; the
        # job's Warehouse resource joins this refresh, so the run writes the copy
        with refresh_warehouse(warehouse, say=_say) as build:
            # the delivery is checked whole before anything is written (the copy is discarded)
            if not _delivery_is_whole(extract_dir, warehouse):
                return 1
            _say("parsing the dbt project ...")
            prepare_dbt()
            _say(f"refreshing the warehouse {warehouse} (a copy beside it, swapped in when all passed) from "
                 f"{extract_dir} ...")
            ok, tracker, log_file = run_refresh(args.report_year, warehouse)
            if ok:
                build.commit()
    except SwapRefused as refused:
        # every step passed and the exports went out during the run; only the swap failed
        _say(f"REFRESH NOT SWAPPED IN: {refused}. The warehouse {warehouse} is as it was; the exports in "
             f"{os.environ[ENV_EXPORTS]} are the new ones. Run again when nothing else writes the warehouse.")
        return 1
    except LockHeld as held:
        _say(f"REFRESH NOT STARTED: {held}")
        return 3
    elapsed = time.perf_counter() - started
    for line in tracker.summary():
        _say(line)
    if not ok:
        _say(f"REFRESH FAILED after {elapsed:.1f} s; the warehouse {warehouse} and the published exports in "
             f"{os.environ[ENV_EXPORTS]} are unchanged. The error is above; the full log: {log_file}")
        return 1
    _say(f"exports published in {os.environ[ENV_EXPORTS]}")
    _say(published_summary(Path(os.environ[ENV_EXPORTS]), args.report_year))
    _say(fidelity_summary(Path(os.environ[ENV_WAREHOUSE])))
    _say(f"wall time {elapsed:.1f} s, peak memory {_peak_memory_mib():.0f} MiB; the full log: {log_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
