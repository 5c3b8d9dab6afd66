"""Generate the whole demo municipality: one simulated population, every source derived from it."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from ingestion.demo.model import DemoConfig

MANIFEST = "demo_manifest.json"


def generate(config: DemoConfig, out_dir: Path) -> Path:
    """Write every extract for ``config`` to ``out_dir`` (replaced as a whole)."""
    from ingestion.demo import children, housing, interventions, jobcenter, population, published, references, vintage

    out_dir = Path(out_dir)
    work = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    pop = population.simulate(config)
    files = []
    files += population.write_cpr_extracts(pop, work)
    files += housing.write_housing_extracts(pop, work)
    files += published.write_published_extracts(pop, work)
    files += children.write_children_extracts(pop, work)
    files += jobcenter.write_jobcenter_extracts(pop, work)
    files += interventions.write_intervention_extracts(pop, work)
    files += references.write_reference_extracts(pop, work)
    # last: the partial year of a later vintage reads the full years' files just written
    files += vintage.write_vintage_extracts(pop, work)
    (work / MANIFEST).write_text(
        json.dumps({"config": asdict(config), "files": len(files),
                    "seconds": round(time.perf_counter() - started, 1)}, indent=2),
        encoding="utf-8",
    )
    # Swap the finished folder in, so an interrupted run never leaves half a municipality.
    if out_dir.exists():
        shutil.rmtree(out_dir)
    work.rename(out_dir)
    return out_dir


def is_current(config: DemoConfig, out_dir: Path) -> bool:
    """True when ``out_dir`` already holds the demo generated from ``config``."""
    manifest = Path(out_dir) / MANIFEST
    if not manifest.exists():
        return False
    return json.loads(manifest.read_text(encoding="utf-8")).get("config") == asdict(config)
