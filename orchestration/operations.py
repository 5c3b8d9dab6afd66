"""The yearly-operations subcommands of ``boligmonitor``: export only,
backfill report years, load PostgreSQL, generate dbt docs. Each prints numbered progress
steps with elapsed time, since a refresh on the full municipality takes minutes."""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from orchestration.arguments import (
    EXPORTS_HELP,
    WAREHOUSE_HELP,
    ArgumentProblem,
    check_publish_arguments,
    report_year_help,
    settings_from,
)
from orchestration.dbt_parse import prepare_dbt
from orchestration.refresh import published_summary, run_job, say
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, Settings, dbt_executable, default_report_year


class Progress:
    """'[boligmonitor] [2/4 12.3 s] message' lines, flushed at once (they go to log files too)."""

    def __init__(self, steps: int):
        self.steps, self.step, self.started = steps, 0, time.perf_counter()

    def __call__(self, message: str, advance: bool = True) -> None:
        if advance:
            self.step += 1
        say(f"[{self.step}/{self.steps} {time.perf_counter() - self.started:.1f} s] {message}")


def _publish_only(settings: Settings, progress: Progress) -> bool:
    """One partition (report year) of the Dagster job publish_exports, in this process: the marts
    and exports rebuilt with dbt var report_year, checked, published. Stage lines on the
    terminal, the rest in a log file (orchestration/run_log.py)."""
    year = settings.report_year
    progress(f"report year {year}: rebuilding the marts and exports as known at the report year's end, "
             "checking them and publishing ...")
    ok, tracker, log_file = run_job("publish_exports", settings, prefix=f"report year {year}: ")
    for line in tracker.summary():
        say(f"report year {year}: {line}")
    if not ok:
        say(f"report year {year}: the full log: {log_file}")
    return ok


def _guarded(warehouse: Path, work: Callable[[Path], bool]) -> bool | None:
    """``work(copy)`` under the refresh lock, against a copy of the warehouse that is swapped in
    only if it passed (orchestration/refresh_guard.py); None when another refresh holds the lock."""
    from orchestration.refresh_guard import LockHeld, SwapRefused, refresh_warehouse

    try:
        with refresh_warehouse(warehouse, say=say) as build:
            # the Dagster runs' Warehouse resource joins this refresh: they all write build.path
            ok = work(build.path)
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
    settings = settings_from(args)
    warehouse, exports = settings.warehouse, settings.export_dir
    check_publish_arguments(warehouse, [settings.report_year])
    progress = Progress(2)

    def work(copy: Path) -> bool:
        progress("parsing the dbt project ...")
        prepare_dbt(settings.replace(warehouse=copy))  # as the run's dbt build will run
        return _publish_only(settings, progress)

    ok = _guarded(warehouse, work)
    if ok is None:
        return 3
    if not ok:
        say(f"EXPORT FAILED; the warehouse and the published exports in {exports} are unchanged.")
        return 1
    say(f"exports published in {exports}")
    say(published_summary(exports, settings.report_year))
    return 0


def backfill(args) -> int:
    """The exports and annex for each report year in turn, each into its own folder: the marts
    cut as of that year, from the intermediate models as they stand. The warehouse is left at
    the last year (swapped in only if every year passed)."""
    years = list(range(args.first, args.last + 1))
    if not years:
        raise ArgumentProblem(f"no years to backfill: FIRST ({args.first}) is after LAST ({args.last})")
    settings = settings_from(args, report_year=years[0])
    warehouse, exports = settings.warehouse, settings.export_dir
    check_publish_arguments(warehouse, years)
    progress = Progress(len(years) + 1)
    failed: list[int] = []

    def work(copy: Path) -> bool:
        progress("parsing the dbt project ...")
        # as the first year's dbt build will run (the later years' vars differ: dbt parses again)
        prepare_dbt(settings.replace(warehouse=copy))
        for year in years:
            if not _publish_only(settings.replace(report_year=year), progress):
                failed.append(year)
                return False
        return True

    ok = _guarded(warehouse, work)
    if ok is None:
        return 3
    if not ok:
        say(f"BACKFILL FAILED at report year {failed[0] if failed else '?'}; the years before it are "
            "published in their folders, the warehouse is unchanged.")
        return 1
    say(f"report years {years[0]}-{years[-1]} published in {exports}/<year>/")
    return 0


def load_postgres(args) -> int:
    import psycopg

    from exports.pointer import resolve_published
    from exports.postgres import ReloadRefused, load_snapshot
    from exports.snapshot import SNAPSHOT_FILE

    settings = settings_from(args)  # --grant-select-to adds to BOLIGMONITOR_POSTGRES_READ_ROLES
    exports = settings.export_dir
    try:  # the latest report year's snapshot, resolved once (a publish may switch it meanwhile)
        snapshot = resolve_published(exports) / SNAPSHOT_FILE
    except FileNotFoundError:
        snapshot = exports / SNAPSHOT_FILE
    if not snapshot.exists():
        say(f"no published snapshot at {snapshot}: run `boligmonitor run` first")
        return 2
    progress = Progress(1)
    try:
        loaded = load_snapshot(snapshot, args.dsn, schema=args.schema, read_roles=list(settings.postgres_read_roles))
    except ReloadRefused as refused:
        say(str(refused))
        return 1
    except psycopg.Error as error:
        say(f"PostgreSQL not loaded, nothing changed: {error}")
        return 1
    progress(f"loaded {len(loaded)} table(s) into PostgreSQL schema {args.schema}: "
             + ", ".join(f"{t['relation']} ({t['rows']})" for t in loaded))
    return 0


def dbt_docs(args) -> int:
    """`dbt docs generate` against the warehouse; the static site lands in ``--out``."""
    settings = settings_from(args)
    if not settings.warehouse.exists():
        raise ArgumentProblem(f"no warehouse at {settings.warehouse}: run `boligmonitor run` first")
    out = (args.out or REPO_ROOT / "var" / "dbt_docs").resolve()
    progress = Progress(1)
    env = {**os.environ, **settings.dbt_env()}
    done = subprocess.run([str(dbt_executable()), "docs", "generate", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR),
                           "--target-path", str(out)], cwd=DBT_PROJECT_DIR, env=env)
    if done.returncode != 0:
        return done.returncode
    if args.port is None:
        progress(f"dbt docs written to {out}: `boligmonitor docs --port 8080` serves them (index.html loads "
                 "its catalogue over HTTP, so it does not render opened as a file)")
        return 0
    progress(f"dbt docs written to {out}")
    serve_folder(out, args.port, say=lambda url: say(f"serving the docs at {url} (Ctrl-C stops)"))
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
    "export": export_only, "backfill": backfill, "postgres": load_postgres, "docs": dbt_docs,
}


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
