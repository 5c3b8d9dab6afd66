"""The yearly-operations subcommands of ``boligmonitor``: refresh a year, export only,
backfill report years, load PostgreSQL, generate dbt docs. Each prints numbered progress
steps with elapsed time, since a refresh on the full municipality takes minutes."""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path
from typing import Callable

from exports.postgres import ENV_POSTGRES_DSN
from orchestration.settings import (
    DBT_PROJECT_DIR,
    ENV_EXPORTS,
    ENV_WAREHOUSE,
    REPO_ROOT,
    dbt_executable,
    default_export_dir,
    default_report_year,
    default_warehouse_path,
    postgres_read_roles,
)

__all__ = ["ENV_POSTGRES_DSN", "OPERATIONS", "ArgumentProblem", "add_operations_commands", "check_extracts",
           "check_report_years", "default_report_year"]


class ArgumentProblem(Exception):
    """An argument that cannot produce anything (a folder that does not exist, a report year with
    no data): ``boligmonitor`` says so argparse-style (exit 2) before any work is done."""


def check_extracts(extract_dir: Path | None) -> None:
    if extract_dir is not None and not extract_dir.is_dir():
        what = "is not a folder" if extract_dir.exists() else "does not exist"
        raise ArgumentProblem(f"the extract folder {extract_dir} {what}")


def delivered_years(extract_dir: Path) -> set[int]:
    """The years any source has a file for in the extract folder (names only: the delivery
    check reads the rest before anything is written)."""
    from ingestion.contract import SOURCES
    from ingestion.errors import ExtractError
    from ingestion.readers import find_files

    years: set[int] = set()
    for source in SOURCES:
        try:
            years |= set(find_files(extract_dir, source))
        except ExtractError:  # a misnamed file: the delivery check lists it
            continue
    return years


def loaded_years(warehouse: Path) -> set[int] | None:
    """The years the warehouse's last delivery had files for (raw._deliveries); None when that
    is not known (no such table, or a process writing the file keeps a reader out)."""
    import duckdb

    from ingestion.manifest import previous_delivery_of

    try:
        return set().union(*previous_delivery_of(warehouse).values()) or None
    except duckdb.Error:
        return None


def check_report_years(years: list[int], data_years: set[int] | None, where: str) -> None:
    """Each report year must be one the plans report on (the partitions of publish_exports) and
    have data in ``data_years`` (None: not known yet). ``where`` names the data in the message."""
    from orchestration.schedules import REPORT_YEARS

    outside = [y for y in years if str(y) not in REPORT_YEARS]
    if outside:
        raise ArgumentProblem(f"report year {', '.join(map(str, outside))} is outside the years the plans report on "
                              f"({REPORT_YEARS[0]}-{REPORT_YEARS[-1]})")
    if data_years is None:
        return
    if not data_years:
        raise ArgumentProblem(f"{where} has no data for any year")
    missing = [y for y in years if y not in data_years]
    if missing:
        raise ArgumentProblem(f"no data for report year {', '.join(map(str, missing))} in {where} "
                              f"(it has {min(data_years)}-{max(data_years)})")


class Progress:
    """'[boligmonitor] [2/4 12.3 s] message' lines, flushed at once (they go to log files too)."""

    def __init__(self, steps: int):
        self.steps, self.step, self.started = steps, 0, time.perf_counter()

    def __call__(self, message: str, advance: bool = True) -> None:
        if advance:
            self.step += 1
        print(f"[boligmonitor] [{self.step}/{self.steps} {time.perf_counter() - self.started:.1f} s] {message}",
              flush=True)


def _paths(args) -> tuple[Path, Path]:
    warehouse = (args.warehouse or default_warehouse_path()).resolve()
    exports = (args.exports or default_export_dir()).resolve()
    os.environ[ENV_WAREHOUSE], os.environ[ENV_EXPORTS] = str(warehouse), str(exports)
    if getattr(args, "postgres_dsn", None):
        os.environ[ENV_POSTGRES_DSN] = args.postgres_dsn
    return warehouse, exports


def refresh(args) -> int:
    """The whole yearly refresh for one report year: the `run` command with that year."""
    from orchestration.cli import main

    check_run_arguments(args.extracts, args.year)  # reported as this command's error
    argv = ["run", "--report-year", str(args.year)]
    for flag in ("extracts", "warehouse", "exports", "postgres_dsn"):
        if getattr(args, flag):
            argv += [f"--{flag.replace('_', '-')}", str(getattr(args, flag))]
    if args.small:
        argv.append("--small")
    return main(argv)


def check_run_arguments(extracts: Path | None, report_year: int) -> None:
    """`run`/`refresh` before any work: the extract folder exists and has data for the year (the
    demo municipality's folder is checked once it is generated)."""
    check_extracts(extracts)
    check_report_years([report_year], delivered_years(extracts.resolve()) if extracts else None,
                       f"the extract folder {extracts}")


def check_publish_arguments(warehouse: Path, years: list[int]) -> None:
    """`export`/`backfill` before any work: a warehouse whose loaded delivery has the years."""
    if not warehouse.exists():
        raise ArgumentProblem(f"no warehouse at {warehouse}: run `boligmonitor run` first")
    check_report_years(years, loaded_years(warehouse), f"the warehouse {warehouse}")


def _publish_only(report_year: int, warehouse: Path, progress: Progress) -> bool:
    """One partition (report year) of the Dagster job publish_exports, in this process: the marts
    and exports rebuilt with dbt var report_year, checked, published. Stage lines on the
    terminal, the rest in a log file (orchestration/run_log.py)."""
    from orchestration.run_log import run_dagster_job

    progress(f"report year {report_year}: rebuilding the marts and exports as known at the report year's end, "
             "checking them and publishing ...")
    ok, tracker, log_file = run_dagster_job("publish_exports", report_year, warehouse,
                                            prefix=f"report year {report_year}: ", partition_key=str(report_year))
    for line in tracker.summary():
        print(f"[boligmonitor] report year {report_year}: {line}", flush=True)
    if not ok:
        print(f"[boligmonitor] report year {report_year}: the full log: {log_file}", flush=True)
    return ok


def _guarded(warehouse: Path, work: Callable[[], bool]) -> bool | None:
    """``work`` under the refresh lock, against a copy of the warehouse that is swapped in only
    if it passed (orchestration/refresh_guard.py); None when another refresh holds the lock."""
    from orchestration.refresh_guard import LockHeld, SwapRefused, refresh_warehouse

    def say(message: str) -> None:
        print(f"[boligmonitor] {message}", flush=True)

    try:
        with refresh_warehouse(warehouse, say=say) as build:
            # the Dagster runs' Warehouse resource joins this refresh: they all write build.path
            ok = work()
            if ok:
                build.commit()
            return ok
    except SwapRefused as refused:
        say(f"NOT SWAPPED IN: {refused}. The warehouse {warehouse} is as it was; the files published by the "
            "run are the new ones. Run again when nothing else writes the warehouse.")
        return False
    except LockHeld as held:
        say(f"NOT STARTED: {held}")
        return None


def export_only(args) -> int:
    """Rebuild the marts and the publication schema for the report year from the intermediate models
    as they are (no extract is read), run their checks, publish."""
    from orchestration.cli import prepare_dbt

    warehouse, exports = _paths(args)
    check_publish_arguments(warehouse, [args.report_year])
    progress = Progress(2)

    def work() -> bool:
        progress("parsing the dbt project ...")
        prepare_dbt()
        return _publish_only(args.report_year, warehouse, progress)

    ok = _guarded(warehouse, work)
    if ok is None:
        return 3
    if not ok:
        print(f"[boligmonitor] EXPORT FAILED; the warehouse and the published exports in {exports} are unchanged.",
              flush=True)
        return 1
    from orchestration.cli import published_summary

    print(f"[boligmonitor] exports published in {exports}", flush=True)
    print(f"[boligmonitor] {published_summary(exports, args.report_year)}", flush=True)
    return 0


def backfill(args) -> int:
    """The exports and annex for each report year in turn, each into its own folder: the marts
    cut as of that year, from the intermediate models as they stand. The warehouse is left at
    the last year (swapped in only if every year passed)."""
    from orchestration.cli import prepare_dbt

    years = list(range(args.first, args.last + 1))
    if not years:
        raise ArgumentProblem(f"no years to backfill: FIRST ({args.first}) is after LAST ({args.last})")
    warehouse, exports = _paths(args)
    check_publish_arguments(warehouse, years)
    progress = Progress(len(years) + 1)
    failed: list[int] = []

    def work() -> bool:
        progress("parsing the dbt project ...")
        prepare_dbt()
        for year in years:
            if not _publish_only(year, warehouse, progress):
                failed.append(year)
                return False
        return True

    ok = _guarded(warehouse, work)
    if ok is None:
        return 3
    if not ok:
        print(f"[boligmonitor] BACKFILL FAILED at report year {failed[0] if failed else '?'}; the years before it are "
              f"published in their folders, the warehouse is unchanged.", flush=True)
        return 1
    print(f"[boligmonitor] report years {years[0]}-{years[-1]} published in {exports}/<year>/", flush=True)
    return 0


def load_postgres(args) -> int:
    import psycopg

    from exports.pointer import resolve_published
    from exports.postgres import ReloadRefused, load_snapshot
    from exports.snapshot import SNAPSHOT_FILE

    exports = (args.exports or default_export_dir()).resolve()
    try:  # the latest report year's snapshot, resolved once (a publish may switch it meanwhile)
        snapshot = resolve_published(exports) / SNAPSHOT_FILE
    except FileNotFoundError:
        snapshot = exports / SNAPSHOT_FILE
    if not snapshot.exists():
        print(f"[boligmonitor] no published snapshot at {snapshot}: run `boligmonitor run` first", flush=True)
        return 2
    progress = Progress(1)
    roles = list(dict.fromkeys(postgres_read_roles() + (args.grant_select_to or [])))
    try:
        loaded = load_snapshot(snapshot, args.dsn, schema=args.schema, read_roles=roles)
    except ReloadRefused as refused:
        print(f"[boligmonitor] {refused}", flush=True)
        return 1
    except psycopg.Error as error:
        print(f"[boligmonitor] PostgreSQL not loaded, nothing changed: {error}", flush=True)
        return 1
    progress(f"loaded {len(loaded)} table(s) into PostgreSQL schema {args.schema}: "
             + ", ".join(f"{t['relation']} ({t['rows']})" for t in loaded))
    return 0


def dbt_docs(args) -> int:
    """`dbt docs generate` against the warehouse; the static site lands in ``--out``."""
    warehouse = (args.warehouse or default_warehouse_path()).resolve()
    if not warehouse.exists():
        raise ArgumentProblem(f"no warehouse at {warehouse}: run `boligmonitor run` first")
    out = (args.out or REPO_ROOT / "var" / "dbt_docs").resolve()
    progress = Progress(1)
    env = {**os.environ, ENV_WAREHOUSE: str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run([str(dbt_executable()), "docs", "generate", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR),
                           "--target-path", str(out)], cwd=DBT_PROJECT_DIR, env=env)
    if done.returncode != 0:
        return done.returncode
    if args.port is None:
        progress(f"dbt docs written to {out}: `boligmonitor docs --port 8080` serves them (index.html loads "
                 "its catalogue over HTTP, so it does not render opened as a file)")
        return 0
    progress(f"dbt docs written to {out}")
    serve_folder(out, args.port, say=lambda url: print(f"[boligmonitor] serving the docs at {url} (Ctrl-C stops)",
                                                       flush=True))
    return 0


def serve_folder(folder: Path, port: int, say: Callable[[str], None], host: str = "127.0.0.1") -> None:
    """Serve ``folder`` over HTTP until interrupted (port 0: any free port, named by ``say``)."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # no line per request on the terminal
            pass

    with ThreadingHTTPServer((host, port), functools.partial(Quiet, directory=str(folder))) as server:
        say(f"http://{host}:{server.server_address[1]}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


OPERATIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "refresh": refresh, "export": export_only, "backfill": backfill, "postgres": load_postgres, "docs": dbt_docs,
}


WAREHOUSE_HELP = "the DuckDB warehouse file (default: $BOLIGMONITOR_WAREHOUSE or var/warehouse.duckdb)"
EXPORTS_HELP = "the folder the exports are published to (default: $BOLIGMONITOR_EXPORTS or var/published)"


def report_year_help() -> str:
    return f"the year to report on (default {default_report_year()}, from dbt_project.yml)"


def add_operations_commands(commands) -> None:
    def paths(p, postgres: bool = True):
        p.add_argument("--warehouse", type=Path, default=None, help=WAREHOUSE_HELP)
        p.add_argument("--exports", type=Path, default=None, help=EXPORTS_HELP)
        if postgres:
            p.add_argument("--postgres-dsn", default=None, help="also load the published snapshot into PostgreSQL")

    p = commands.add_parser("refresh", help="the yearly refresh for one report year (extracts -> exports)")
    p.add_argument("year", type=int, help="the report year, e.g. 2025 (the September refresh reports the year before)")
    p.add_argument("--extracts", type=Path, help="the folder with the year's extracts (default: demo municipality)")
    p.add_argument("--small", action="store_true", help="use the small demo municipality")
    paths(p)
    p = commands.add_parser("export", help="only rebuild the marts and exports for a report year, check, publish")
    p.add_argument("--report-year", type=int, default=default_report_year(), help=report_year_help())
    paths(p)
    p = commands.add_parser("backfill", help="publish each report year FIRST..LAST in turn, each as known at its "
                            "end (annex per year)")
    p.add_argument("first", type=int, help="the first report year to publish")
    p.add_argument("last", type=int, help="the last report year to publish (the warehouse is left at it)")
    paths(p)
    p = commands.add_parser("postgres", help="load the published snapshot into PostgreSQL")
    p.add_argument("--dsn", required=True, help="e.g. postgresql://user@host:5432/db")
    p.add_argument("--schema", default="boligmonitor", help="the published schema (kept; its tables are reloaded)")
    p.add_argument("--exports", type=Path, default=None, help=EXPORTS_HELP)
    p.add_argument("--grant-select-to", action="append", metavar="ROLE",
                   help="a read-only role to grant USAGE on the schema and SELECT on every table (repeatable; "
                   "adds to BOLIGMONITOR_POSTGRES_READ_ROLES)")
    p = commands.add_parser("docs", help="generate the dbt docs site (and serve it with --port)")
    p.add_argument("--warehouse", type=Path, default=None, help=WAREHOUSE_HELP)
    p.add_argument("--out", type=Path, default=None, help="the folder for the static site (default: var/dbt_docs)")
    p.add_argument("--port", type=int, default=None,
                   help="then serve the site on http://127.0.0.1:PORT until Ctrl-C (0: any free port)")
