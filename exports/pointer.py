"""The published folder: whole snapshots, switched by one atomic pointer per report year.

    var/published/
      snapshots/2025-<snapshot id>/   one whole publication (Parquet, CSV, XLSX, annex, DuckDB, manifest)
      snapshots/2021-<snapshot id>/
      2025 -> snapshots/2025-<id>     the report year's current publication (relative symlink)
      2021 -> snapshots/2021-<id>
      latest -> 2025                  the highest report year published
      manifest.json -> latest/manifest.json, and so on for every file of the latest year

A publication is written whole into its own folder; only then does one pointer change, by
rename(2) of a new symlink over the old one, which is atomic: a reader resolving ``2025`` or
``latest`` gets the old folder or the new one, never a mix. Nothing inside a snapshot folder
is ever changed after it is named. The top-level names (``manifest.json``,
``warehouse_published.duckdb``, ...) are fixed links through ``latest``, so the paths readers
used before keep working; a reader that reads several files and needs them from one snapshot
resolves ``latest`` (or the year) once, e.g. with ``resolve_published``.

Old snapshots are pruned: per year the one its pointer names and the ``KEEP_SNAPSHOTS - 1``
published before it stay (a reader that resolved the previous one a moment ago can still open
its files); a killed run's folder that no pointer ever named goes.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

SNAPSHOTS_DIR = "snapshots"
LATEST = "latest"
KEEP_SNAPSHOTS = 3
_MANIFEST = "manifest.json"

Hook = Callable[[str], None]


def snapshot_name(report_year: int, snapshot_id: str) -> str:
    return f"{report_year}-{snapshot_id}"


def replace_symlink(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` (relative) atomically: a new symlink renamed over the old."""
    temp = link.with_name(f".{link.name}.tmp-{uuid.uuid4().hex[:8]}")
    os.symlink(target, temp)
    os.replace(temp, link)


def published_years(export_dir: Path) -> list[int]:
    return sorted(int(p.name) for p in Path(export_dir).iterdir() if p.name.isdigit() and p.is_symlink())


def resolve_published(export_dir: str | Path, report_year: int | None = None) -> Path:
    """The snapshot folder ``latest`` (or the report year's pointer) names, resolved once."""
    export_dir = Path(export_dir)
    pointer = export_dir / (str(report_year) if report_year is not None else LATEST)
    if not pointer.is_symlink():
        raise FileNotFoundError(f"nothing published at {pointer}")
    return pointer.resolve(strict=True)


def _latest_year(export_dir: Path) -> int | None:
    try:
        return int(os.readlink(export_dir / LATEST))
    except (FileNotFoundError, ValueError):
        return None


def install(export_dir: Path, staging: Path, report_year: int, snapshot_id: str, *,
            hook: Hook | None = None, keep: int = KEEP_SNAPSHOTS) -> Path:
    """Name the complete publication in ``staging`` and switch the pointers to it. Each step
    leaves a state in which every pointer names one whole snapshot."""
    hook = hook or (lambda point: None)
    snapshots = export_dir / SNAPSHOTS_DIR
    snapshots.mkdir(exist_ok=True)
    final = snapshots / snapshot_name(report_year, snapshot_id)
    readable_by_all(staging)
    os.replace(staging, final)  # named, but no pointer names it yet
    hook("snapshot_named")
    latest_year = _latest_year(export_dir)
    becomes_latest = latest_year is None or report_year >= latest_year
    if becomes_latest:
        # links for names new in this snapshot, before `latest` can name it (they dangle till then)
        for path in sorted(final.iterdir()):
            top = export_dir / path.name
            if not top.is_symlink() and not top.exists():
                replace_symlink(top, f"{LATEST}/{path.name}")
        hook("links_added")
    replace_symlink(export_dir / str(report_year), f"{SNAPSHOTS_DIR}/{final.name}")
    hook("year_switched")
    if becomes_latest and latest_year != report_year:
        replace_symlink(export_dir / LATEST, str(report_year))
        hook("latest_switched")
    remove_dangling_links(export_dir)
    prune(export_dir, keep)
    return final


def remove_abandoned_links(export_dir: Path) -> None:
    """A run killed between making a new symlink and renaming it over the pointer leaves it."""
    for path in export_dir.glob(".*.tmp-*"):
        if path.is_symlink():
            path.unlink(missing_ok=True)


def readable_by_all(folder: Path) -> None:
    """A staging folder is made private (mkdtemp); as a snapshot it is read by everyone the
    umask allows, as the files in it are."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)


def remove_dangling_links(export_dir: Path) -> None:
    """Top-level links to a file the latest snapshot no longer has (e.g. a plan's workbook)."""
    for path in export_dir.iterdir():
        if path.is_symlink() and os.readlink(path).startswith(f"{LATEST}/") and not path.exists():
            path.unlink(missing_ok=True)


def prune(export_dir: Path, keep: int = KEEP_SNAPSHOTS) -> list[str]:
    """Per report year keep the snapshot its pointer names and the ``keep - 1`` published before
    it; a folder newer than the named one, or of a year without a pointer, is a killed run's
    (publishing holds a lock, so no other run is writing one)."""
    snapshots = export_dir / SNAPSHOTS_DIR
    if not snapshots.is_dir():
        return []
    named = {p.name: os.path.basename(os.readlink(p)) for p in export_dir.iterdir() if p.is_symlink()
             and p.name.isdigit()}
    by_year: dict[str, list[str]] = {}
    for folder in snapshots.iterdir():
        by_year.setdefault(folder.name.split("-", 1)[0], []).append(folder.name)
    removed = []
    for year, names in by_year.items():
        current = named.get(year)
        # the id starts with the publishing time, so names sort oldest first
        earlier = sorted(n for n in names if current and n < current)
        kept = {current, *(earlier[-(keep - 1):] if keep > 1 else [])}
        for name in names:
            if name not in kept:
                shutil.rmtree(snapshots / name, ignore_errors=True)
                removed.append(name)
    return removed


def migrate_flat_layout(export_dir: Path, staging_prefix: str) -> None:
    """An export folder published before snapshots had their own folders (files side by side)
    becomes one snapshot, without a moment in which a reader sees anything but the old files:
    hard links (the same bytes) into a snapshot folder, the pointers, then each top-level file
    replaced by its link through ``latest``, which resolves to the same bytes."""
    manifest_path = export_dir / _MANIFEST
    if manifest_path.is_symlink() or not manifest_path.is_file():
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    year = (manifest.get("data_vintage") or {}).get("report_year") or 0
    name = snapshot_name(year, manifest.get("snapshot_id", "legacy"))
    final = export_dir / SNAPSHOTS_DIR / name
    if not final.exists():
        staging = export_dir / f"{staging_prefix}legacy-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        for path in export_dir.iterdir():
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                try:
                    os.link(path, staging / path.name)
                except OSError:
                    shutil.copy2(path, staging / path.name)
        (export_dir / SNAPSHOTS_DIR).mkdir(exist_ok=True)
        os.replace(staging, final)
    if not (export_dir / str(year)).is_symlink():
        replace_symlink(export_dir / str(year), f"{SNAPSHOTS_DIR}/{name}")
    if not (export_dir / LATEST).is_symlink():
        replace_symlink(export_dir / LATEST, str(year))
    for path in sorted(final.iterdir(), key=lambda p: p.name == _MANIFEST):  # the manifest last
        top = export_dir / path.name
        if top.is_file() and not top.is_symlink():
            replace_symlink(top, f"{LATEST}/{path.name}")
