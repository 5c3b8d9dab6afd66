"""The command line's arguments: their checks before any work (an argument that cannot produce
anything stops at once, exit code 2), their help texts, and the settings they resolve to."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.settings import Settings, default_report_year, resolve_settings


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
    from orchestration.partitions import REPORT_YEARS

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


WAREHOUSE_HELP = "the DuckDB warehouse file (default: $BOLIGMONITOR_WAREHOUSE or var/warehouse.duckdb)"
EXPORTS_HELP = "the folder the exports are published to (default: $BOLIGMONITOR_EXPORTS or var/published)"


def report_year_help() -> str:
    return f"the year to report on (default {default_report_year()}, from dbt_project.yml)"


def settings_from(args: argparse.Namespace, **resolved) -> Settings:
    """The settings of a command: its options where given, then the environment, then the
    defaults (orchestration/settings.py). ``resolved`` wins (e.g. the demo's extract folder)."""
    given = {"report_year": getattr(args, "report_year", None), "extract_dir": getattr(args, "extracts", None),
             "warehouse": getattr(args, "warehouse", None), "export_dir": getattr(args, "exports", None),
             "postgres_dsn": getattr(args, "postgres_dsn", None),
             "postgres_read_roles": getattr(args, "grant_select_to", None)}
    return resolve_settings(**{**given, **resolved})
