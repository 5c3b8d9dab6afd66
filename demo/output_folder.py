"""A generated extract folder, for the Randers demo and the national one alike: written aside and
swapped in whole, so an interrupted run never leaves half a municipality, with a manifest of the
configuration it came from, so a rerun with the same configuration can reuse it."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path


def start(out_dir: Path) -> tuple[Path, float]:
    """An empty working folder beside ``out_dir`` and the start time."""
    work = Path(out_dir).with_name(Path(out_dir).name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work, time.perf_counter()


def finish(work: Path, out_dir: Path, manifest: str, config: dict, files: int, started: float) -> Path:
    """Write the manifest into ``work`` and swap it in as ``out_dir``."""
    (work / manifest).write_text(
        json.dumps({"config": config, "files": files, "seconds": round(time.perf_counter() - started, 1)}, indent=2),
        encoding="utf-8",
    )
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    work.rename(out_dir)
    return out_dir


def is_current(out_dir: Path, manifest: str, config: dict) -> bool:
    """True when ``out_dir`` already holds a folder generated from ``config``."""
    path = Path(out_dir) / manifest
    return path.exists() and json.loads(path.read_text(encoding="utf-8")).get("config") == config
