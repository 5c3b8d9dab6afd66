"""Generate the whole demo municipality: one simulated population, every source derived from it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from demo import output_folder
from demo.model import DemoConfig, Population

MANIFEST = "demo_manifest.json"


def generate(config: DemoConfig, out_dir: Path, simulated: Population | None = None) -> Path:
    """Write every extract for ``config`` to ``out_dir`` (replaced as a whole). ``simulated`` is
    ``config``'s population when the caller has simulated it already (the tests' session); the
    writers may change it, so pass a copy of one that is used again."""
    from demo import children, housing, interventions, jobcenter, population, published, references, vintage

    work, started = output_folder.start(out_dir)
    pop = simulated if simulated is not None else population.simulate(config)
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
    return output_folder.finish(work, out_dir, MANIFEST, asdict(config), len(files), started)


def is_current(config: DemoConfig, out_dir: Path) -> bool:
    """True when ``out_dir`` already holds the demo generated from ``config``."""
    return output_folder.is_current(out_dir, MANIFEST, asdict(config))
