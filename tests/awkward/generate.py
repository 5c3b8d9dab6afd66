"""Generate an awkward municipality's extract folder: ``generate(Config(seed=3), out_dir)``.

Every source the refresh reads, in the contract's formats (written by demo.writers), for
the years of the config, except the (source, year) pairs in ``config.missing``: those files are
not delivered, and ``awkward_manifest.json`` says so (with what else the seed made awkward)."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from demo.writers import write_extract
from ingestion.contract import source
from ingestion.manifest import GAPS_FILE
from tests.awkward import housing, kommune, spells
from tests.awkward.people import Config, People, simulate

MANIFEST = ".awkward_manifest.json"  # a dotfile: the delivery check ignores it


def config_for_seed(seed: int, **overrides) -> Config:
    """The seed decides which source misses which year, so the seeds together cover several."""
    choices = [("randersbolig_udsaettelser", 2020), ("anbringelser", 2019), ("sprogvurdering", 2022),
               ("randersbolig_klager", 2016), ("jobcenter_ydelser", 2018)]
    return Config(seed=seed, missing=(choices[seed % len(choices)],), **overrides)


def build_frames(people: People) -> dict[tuple[str, int], pd.DataFrame]:
    years = people.config.years
    frames: dict[tuple[str, int], pd.DataFrame] = {}
    part = spells.participation(people)
    for y in years:
        frames[("cpr_befolkning", y)] = kommune.cpr(people, y)
        frames[("skolefravaer", y)] = kommune.school_absence(people, y, part)
        frames[("sprogvurdering", y)] = kommune.language(people, y)
        frames[("ungdomsskole", y)] = kommune.youth_school(people, y)
        frames[("afgangsproever", y)] = kommune.exams(people, y)
    for name, spell_df, start, end in [("anbringelser", spells.placements(people), "START", "SLUT"),
                                       ("dagtilbud", spells.daycare(people), "INDMELDT", "UDMELDT"),
                                       ("indsatsdeltagelse", part, "START", "SLUT")]:
        for y, df in spells.yearly_files(spell_df, years, start, end).items():
            if name == "indsatsdeltagelse":  # completion is known only once the spell has ended
                df["GENNEMFOERT"] = df.GENNEMFOERT.where(df.SLUT.notna(), None)
            frames[(name, y)] = df
    for y, df in kommune.jobcenter(people, years).items():
        frames[("jobcenter_ydelser", y)] = df
    for y, df in kommune.youth_guidance(people, years).items():
        frames[("uu_vejledning", y)] = df
    frames.update(housing.housing_frames(people, years))
    frames.update(housing.published_frames(people, years))
    return frames


def generate(config: Config, out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    people = simulate(config)
    frames = build_frames(people)
    missing = {tuple(m) for m in config.missing}
    written, empty = 0, []
    for (name, year), df in sorted(frames.items()):
        if (name, year) in missing:
            continue
        if df.empty:  # a source with nothing in a year (no activity before 2017) delivers no file
            empty.append(f"{source(name).folder}/{source(name).file_name(year)}")
            continue
        src = source(name)
        df = df.reindex(columns=[c.name for c in src.columns])
        write_extract(df, src, year, out_dir)
        written += 1
    # the year left out is declared, as a monitoring unit must (ingestion/manifest.py)
    gaps = ["kilde;aar;begrundelse"] + [f"{n};{y};ikke leveret (awkward seed {config.seed})" for n, y in sorted(missing)]
    (out_dir / GAPS_FILE).write_text("\n".join(gaps) + "\n", encoding="utf-8")
    (out_dir / MANIFEST).write_text(json.dumps({
        "config": asdict(config), "files": written,
        "not_delivered": [f"{source(n).folder}/{source(n).file_name(y)}" for n, y in sorted(missing)],
        "no_rows_no_file": empty,
        "small_area": people.small_area, "childless_area": people.childless_area,
    }, indent=2, ensure_ascii=False), encoding="utf-8")
    return out_dir


if __name__ == "__main__":
    import sys

    extra = {"repeated_assessments": False} if "--no-repeats" in sys.argv else {}
    print(generate(config_for_seed(int(sys.argv[1]), **extra), Path(sys.argv[2])))
