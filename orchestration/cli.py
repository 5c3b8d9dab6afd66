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
import subprocess
import sys
import time
from pathlib import Path

from orchestration.arguments import (
    EXPORTS_HELP,
    WAREHOUSE_HELP,
    ArgumentProblem,
    check_extracts,
    check_report_years,
    check_run_arguments,
    delivered_years,
    report_year_help,
    settings_from,
)
from orchestration.dbt_parse import prepare_dbt
from orchestration.operations import OPERATIONS, add_operations_commands
from orchestration.refresh import (
    delivery_is_whole,
    fidelity_summary,
    load_raw,
    peak_memory_mib,
    published_summary,
    run_job,
    say,
)
from orchestration.refresh_guard import LockHeld, SwapRefused, refresh_warehouse
from orchestration.settings import REPO_ROOT, default_report_year

__all__ = ["generate_demo", "main", "prepare_dbt"]  # prepare_dbt: the tests' session start imports it here


def generate_demo(out_dir: Path, small: bool, force: bool = False) -> Path:
    # A child process run from the repository (python -m demo): the product never imports the demo
    # package, and the simulated population's memory is returned before the refresh starts. The
    # generator itself skips a folder that is current and says so.
    flags = [*(["--small"] if small else []), *(["--force"] if force else [])]
    with subprocess.Popen([sys.executable, "-m", "demo", str(Path(out_dir).resolve()), *flags], cwd=REPO_ROOT,
                          stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout:
            say(line.rstrip())
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    return out_dir


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
        settings = settings_from(args)
        if not delivery_is_whole(settings.extract_dir, settings.warehouse):
            return 1
        load_raw(settings)
        return 0
    if args.command == "refresh":  # the `run` command with that year (its errors as this command's)
        return _run(argparse.Namespace(**vars(args), report_year=args.year, regenerate=False))
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
    # resolved once; the Dagster run gets them as its run config, dbt as --vars and environment
    settings = settings_from(args, extract_dir=extract_dir)
    warehouse, exports = settings.warehouse, settings.export_dir
    try:
        # the refresh lock, and a copy of the warehouse that is swapped in only if all passes; the
        # job's Warehouse resource joins this refresh, so the run writes the copy
        with refresh_warehouse(warehouse, say=say) as build:
            # the delivery is checked whole before anything is written (the copy is discarded)
            if not delivery_is_whole(extract_dir, warehouse):
                return 1
            say("parsing the dbt project ...")
            # as the run's dbt build will run: its vars and its copy of the warehouse (dbt parses
            # the whole project again when the profile's path differs)
            prepare_dbt(settings.replace(warehouse=build.path))
            say(f"refreshing the warehouse {warehouse} (a copy beside it, swapped in when all passed) from "
                 f"{extract_dir} ...")
            ok, tracker, log_file = run_job("yearly_refresh", settings)
            if ok:
                build.commit()
    except SwapRefused as refused:
        # every step passed and the exports went out during the run; only the swap failed
        say(f"REFRESH NOT SWAPPED IN: {refused}. The warehouse {warehouse} is as it was; the exports in "
             f"{exports} are the new ones. Run again when nothing else writes the warehouse.")
        return 1
    except LockHeld as held:
        say(f"REFRESH NOT STARTED: {held}")
        return 3
    elapsed = time.perf_counter() - started
    for line in tracker.summary():
        say(line)
    if not ok:
        say(f"REFRESH FAILED after {elapsed:.1f} s; the warehouse {warehouse} and the published exports in "
             f"{exports} are unchanged. The error is above; the full log: {log_file}")
        return 1
    say(f"exports published in {exports}")
    say(published_summary(exports, settings.report_year))
    say(fidelity_summary(warehouse))
    say(f"wall time {elapsed:.1f} s, peak memory {peak_memory_mib():.0f} MiB; the full log: {log_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
