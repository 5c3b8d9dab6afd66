"""Publish every relation of the warehouse's ``publication`` schema: Parquet and CSV for Danish Excel
(semicolon, decimal comma, UTF-8 with BOM) per relation, an XLSX workbook per plan, the HTML
indicator annex per plan, the read-only DuckDB snapshot, and a manifest.

Only the ``publication`` schema is ever published: its models aggregate and apply disclosure
control, so person-level rows cannot reach a file. Everything is first written into a staging
folder inside the export folder; only when all of it is complete is the folder named as a
snapshot and the report year's pointer switched to it (``exports/pointer.py``): a reader sees
the whole old publication or the whole new one. A run that fails or is killed before that
leaves the last good publication as it was (the next run removes the abandoned staging folder).
One publish at a time per export folder (a lock file naming its holder).

Files are deterministic: rows are sorted, floating-point figures rounded to 9 decimals (the
order dbt sums in may change the last bits), workbooks carry the data's date, so two runs on
the same data give byte-identical files; only the manifest's time and snapshot id differ.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from exports.annex import write_annexes
from exports.labels import period_end_year
from exports.locks import hold_lock
from exports.pointer import Hook, install, migrate_flat_layout, remove_abandoned_links
from exports.quality_report import HTML_NAME, JSON_NAME, write_report
from exports.relations import export_relations, published_select, relation_columns
from exports.snapshot import EXPORT_SCHEMA, SNAPSHOT_FILE, build_snapshot, sql_string
from exports.workbook import write_workbooks

MANIFEST_FILE = "manifest.json"
# one row: the report year the marts were built for and their as-of date (dbt_project/macros/as_of.sql)
REPORT_YEAR_RELATION = "marts.mart_report_year"
STAGING_PREFIX = ".staging-"
PUBLISH_LOCK = ".publish.lock"
_BOM = "\ufeff".encode()

Progress = Callable[[str], None]


class ReportYearError(RuntimeError):
    """The export relations hold periods after the report year they are to be published under."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_version() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _latest_data_year(con: duckdb.DuckDBPyConnection, relation: str) -> int | None:
    columns = {name for name, _ in relation_columns(con, relation)}
    if "period" in columns:
        periods = [r[0] for r in con.execute(f'SELECT DISTINCT period FROM {EXPORT_SCHEMA}."{relation}"').fetchall()]
        years = [y for y in map(period_end_year, periods) if y]
        return max(years) if years else None
    for year_column in ("year", "assessment_year"):
        if year_column in columns:
            return con.execute(f'SELECT max("{year_column}") FROM {EXPORT_SCHEMA}."{relation}"').fetchone()[0]
    return None


def _write_csv(con: duckdb.DuckDBPyConnection, relation: str, target: Path) -> None:
    body = target.with_name(target.name + ".body")
    con.execute(f"COPY ({published_select(con, relation, danish_decimals=True)}) TO {sql_string(body)} "
                "(HEADER, DELIMITER ';')")
    with open(target, "wb") as out, open(body, "rb") as handle:
        out.write(_BOM)  # Excel needs the BOM to read UTF-8 (æøå)
        shutil.copyfileobj(handle, out)
    body.unlink()


def built_for(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The report year and as-of date the marts were built for; None for a warehouse without them."""
    try:
        row = con.execute(f"SELECT report_year, as_of_date FROM {REPORT_YEAR_RELATION}").fetchall()
    except duckdb.CatalogException:
        return None
    return {"report_year": row[0][0], "as_of_date": row[0][1].isoformat()} if len(row) == 1 else None


def check_report_year(latest_years: dict[str, int | None], report_year: int | None, built: dict | None) -> None:
    """Refuse to publish figures under another report year than the one the marts were built for
    (dbt var report_year): they keep only the periods that had ended by then, so a later year's
    build would publish today's figures under an earlier year's name, and an earlier build would
    pass old figures off as new. A warehouse that does not say its year is judged by its periods."""
    if report_year is None:
        return
    if built and built["report_year"] != report_year:
        raise ReportYearError(
            f"Not published: the marts were built for report year {built['report_year']} (as of "
            f"{built['as_of_date']}), not {report_year}. Rebuild them with dbt var report_year={report_year} "
            f"(`boligmonitor export --report-year {report_year}` or `boligmonitor backfill`). The published files "
            "are unchanged.")
    later = {relation: year for relation, year in latest_years.items() if year and year > report_year}
    if later:
        found = ", ".join(f"{relation} up to {year}" for relation, year in sorted(later.items()))
        raise ReportYearError(
            f"Not published: the export relations hold periods after report year {report_year} ({found}); they "
            f"were built for a later year. Rebuild the marts and exports with dbt var report_year={report_year} "
            f"(`boligmonitor export --report-year {report_year}` or `boligmonitor backfill`). The published files "
            "are unchanged.")


def remove_abandoned_staging(export_dir: Path) -> None:
    """A killed run leaves its staging folder behind; it was never published, so it goes."""
    for stale in export_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def publish(warehouse_path: str | Path, export_dir: str | Path, *, report_year: int | None = None,
            progress: Progress | None = None, hook: Hook | None = None) -> dict:
    """Publish every export relation as a new snapshot of its report year; returns the manifest
    that was written (``folder``: the snapshot folder, added to the returned dict only)."""
    say = progress or (lambda message: None)
    export_dir = Path(export_dir)
    export_dir.mkdir(parents=True, exist_ok=True)
    with hold_lock(export_dir / PUBLISH_LOCK, f"A publish into {export_dir}", say=say):
        remove_abandoned_staging(export_dir)
        remove_abandoned_links(export_dir)
        migrate_flat_layout(export_dir, STAGING_PREFIX)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=export_dir))
        try:
            manifest = _write_publication(Path(warehouse_path), staging, report_year, say)
            year = manifest["data_vintage"]["report_year"]
            folder = install(export_dir, staging, year, manifest["snapshot_id"], hook=hook)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    say(f"published {len(manifest['tables'])} table(s), {len(manifest['workbooks'])} workbook(s), "
        f"{len(manifest['annexes'])} annex page(s) as {folder.relative_to(export_dir)} (report year {year})")
    return {**manifest, "folder": str(folder)}


def _write_publication(warehouse_path: Path, staging: Path, report_year: int | None, say: Progress) -> dict:
    """Every file of one publication, the manifest last, into ``staging``."""
    published_at = datetime.now(UTC).isoformat(timespec="seconds")
    snapshot_id = f"{published_at[:19].replace(':', '')}-{uuid.uuid4().hex[:8]}"
    version = code_version()
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        relations = export_relations(con)
        latest_by_relation = {relation: _latest_data_year(con, relation) for relation in relations}
        built = built_for(con)
        check_report_year(latest_by_relation, report_year, built)
        entries, latest_years = [], []
        for relation in relations:
            say(f"writing {relation} (Parquet, CSV)")
            con.execute(f"COPY ({published_select(con, relation)}) TO {sql_string(staging / (relation + '.parquet'))} "
                        "(FORMAT parquet)")
            _write_csv(con, relation, staging / f"{relation}.csv")
            latest = latest_by_relation[relation]
            latest_years.append(latest)
            entries.append({"relation": relation,
                            "rows": con.execute(f'SELECT count(*) FROM {EXPORT_SCHEMA}."{relation}"').fetchone()[0],
                            "latest_data_year": latest})
        latest_data_year = max((y for y in latest_years if y), default=None)
        # the snapshot is filed under its report year: the one asked for, else the marts', else the data's
        year = report_year or (built["report_year"] if built else None) or latest_data_year
        if year is None:
            raise ReportYearError("Not published: no report year given, and the warehouse says none.")
        vintage = {"report_year": year, "latest_data_year": latest_data_year,
                   "as_of_date": built["as_of_date"] if built else None}
        say("writing the XLSX workbooks")
        workbooks = write_workbooks(con, relations, staging, vintage)
        say("writing the indicator annex")
        annexes = write_annexes(con, relations, staging, vintage)
    finally:
        con.close()
    say("writing the data-quality report")
    quality = write_report(warehouse_path, staging, report_year)
    say(f"building the read-only snapshot {SNAPSHOT_FILE}")
    snapshot_tables = build_snapshot(warehouse_path, relations, staging / SNAPSHOT_FILE, select_for=published_select,
                                     snapshot_id=snapshot_id,
                                     published_at=published_at, code_version=version, report_year=year)
    for entry, snap in zip(entries, snapshot_tables):
        entry["content_hash"] = snap["content_hash"]
        for kind in ("parquet", "csv"):
            path = staging / f"{entry['relation']}.{kind}"
            entry[f"{kind}_file"] = path.name
            entry[f"{kind}_sha256"] = _sha256(path)
    for item in (*workbooks, *annexes):
        item["sha256"] = _sha256(staging / item["file"])
    manifest = {
        "published_at": published_at,
        "snapshot_id": snapshot_id,
        "code_version": version,
        "data_vintage": vintage,
        "tables": entries,
        "workbooks": workbooks,
        "annexes": annexes,
        "snapshot": {"file": SNAPSHOT_FILE, "sha256": _sha256(staging / SNAPSHOT_FILE)},
        "quality_report": {"files": {name: _sha256(staging / name) for name in (HTML_NAME, JSON_NAME)},
                           "summary": quality},
    }
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest
