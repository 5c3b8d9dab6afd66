"""Participation in the plans' activities (indsatsdeltagelse), one spell per person and activity.

Three plans run in the demo years (residents of their areas in the stock of 1 January of the
start year take part; MiLife and a few others also reach pupils from elsewhere):
- HP2017 (Randers Nordby 2017-21, 1 June 2017 - 31 May 2021): GJP, GLV, VGD. The 2019 file
  reproduces the Årsrapport 2019 exactly: the number of distinct persons with a spell active in
  2019 per activity, and, where the report gives them, how many finished in 2019 and how many
  of those completed (GENNEMFOERT 'J'); see targets_children.ACTIVITIES_2019 for the lines.
- HP2021 (2021-25, 1 June 2021 - 31 July 2025; not in the dbt seeds): its areas are not in the
  seeds either, so the demo assumes the seven areas of 2025 and a plausible mix of activities.
- HP2025 (from 1 August 2025): the sixteen activities of the plan, started August-December 2025,
  volumes from the plan where it gives one (``ACTIVITIES_2025``), otherwise assumed.

Contact-type activities (HOTSPOT, SOCIAL_VICEVAERT, ...) have no completion: GENNEMFOERT blank,
and the spell runs to the end of the year. As in real extracts, a year's file shows SLUT and
GENNEMFOERT only for a spell that had ended by 31 December of that year; a spell still open then
is blank and delivered again in the next year's file (the last file is extracted 31 December
2025). Files are written for 2017-2025, the years with a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import rng_for, rows_by_year, world
from demo.dates import age_on, day, uniform_dates
from demo.model import PLAN_AREAS_2017, PLAN_AREAS_2025, Population
from demo.writers import write_extract
from ingestion.contract import source

EXACT_YEAR = 2019


@dataclass(frozen=True)
class Activity:
    code: str
    ages: tuple[int, int]  # age on 1 January of the start year
    days: int | None  # length of a spell; None = to the end of the year (contact activities)
    completion: float | None  # share completing; None = no completion recorded
    who: str = "any"  # any | girls | mothers (women with a child in the age range ``child_ages``)
    child_ages: tuple[int, int] = (0, 17)
    reach: float = 0.0  # share of participants from outside the plan areas


HP2017 = {
    "BOLIGSOCIALE_MOEDREGRUPPER": Activity("BOLIGSOCIALE_MOEDREGRUPPER", (18, 45), 56, 0.89, "mothers", (0, 1)),
    "NUSSA": Activity("NUSSA", (3, 5), 70, 0.9),
    "FRA_FRAVAER_TIL_FREMMOEDE": Activity("FRA_FRAVAER_TIL_FREMMOEDE", (6, 15), 120, 0.75, reach=0.1),
    "FAMILIEKLASSEN": Activity("FAMILIEKLASSEN", (6, 11), 84, 0.85),
    "DE_UTROLIGE_AAR": Activity("DE_UTROLIGE_AAR", (20, 50), 98, 0.8, "mothers", (0, 8)),
    "RAADGIVNING_OG_MESTRING": Activity("RAADGIVNING_OG_MESTRING", (15, 24), 90, None),
    "FRITIDSTJANSEN": Activity("FRITIDSTJANSEN", (13, 17), 60, 0.85, reach=0.2),
    "LEGEPATRULJEN": Activity("LEGEPATRULJEN", (13, 17), 150, 0.95),
    "BRANDKADET": Activity("BRANDKADET", (14, 15), 240, 0.8),
    "MILIFE": Activity("MILIFE", (13, 14), 60, 0.95, reach=0.55),  # every 7th-8th grader at Nørrevangsskolen
    "UDDANNELSESTILBUD_TIL_UNGE": Activity("UDDANNELSESTILBUD_TIL_UNGE", (16, 24), 180, 0.8),
    "FAMILIEORIENTERET_UDDANNELSESVEJLEDNING": Activity("FAMILIEORIENTERET_UDDANNELSESVEJLEDNING", (14, 15), 120, 0.9),
    "HOTSPOT": Activity("HOTSPOT", (7, 17), None, None),
    "TEENAGEGRUPPER": Activity("TEENAGEGRUPPER", (10, 15), 56, 0.85, "girls"),
    "GO_FERIE": Activity("GO_FERIE", (22, 50), 60, 0.9, "mothers", (4, 14)),
}
HP2021 = {
    "NUSSA": (HP2017["NUSSA"], 50),
    "FRA_FRAVAER_TIL_FREMMOEDE": (HP2017["FRA_FRAVAER_TIL_FREMMOEDE"], 60),
    "FAMILIEDAGE": (Activity("FAMILIEDAGE", (22, 45), 42, 0.85, "mothers", (0, 5)), 12),
    "FAMILIEORIENTERET_UDDANNELSESVEJLEDNING": (HP2017["FAMILIEORIENTERET_UDDANNELSESVEJLEDNING"], 12),
    "BRANDKADET": (HP2017["BRANDKADET"], 11),
    "LOMMEPENGEJOB": (Activity("LOMMEPENGEJOB", (13, 17), 180, 0.9), 16),
    "HOTSPOT": (HP2017["HOTSPOT"], 150),
    "TEENAGEGRUPPER": (HP2017["TEENAGEGRUPPER"], 20),
    "SOCIAL_VICEVAERT": (Activity("SOCIAL_VICEVAERT", (18, 90), None, None), 60),
}
# HP2025: activity, participants started August-December 2025.
HP2025 = {
    "NPU": (Activity("NPU", (1, 5), 120, 0.95), 90),
    "FAMILIEORIENTERET_UDDANNELSESVEJLEDNING": (HP2017["FAMILIEORIENTERET_UDDANNELSESVEJLEDNING"], 8),
    "FREMMOEDE_I_SKOLEN": (Activity("FREMMOEDE_I_SKOLEN", (6, 15), 150, 0.75), 15),
    "TRIVSEL_I_SKOLEN": (Activity("TRIVSEL_I_SKOLEN", (6, 15), 90, 0.85), 25),
    "FAMILIEDAGE": (HP2021["FAMILIEDAGE"][0], 5),
    "SUNDHEDSINDSATS": (Activity("SUNDHEDSINDSATS", (22, 50), 90, 0.8, "mothers", (0, 17)), 12),
    "TRIVSELSFORLOEB_FOR_FAMILIER": (Activity("TRIVSELSFORLOEB_FOR_FAMILIER", (22, 50), 56, 0.85, "mothers", (0, 17)), 6),
    "FREMSKUDT_BESKAEFTIGELSE": (Activity("FREMSKUDT_BESKAEFTIGELSE", (18, 64), 180, None), 45),
    "JOB_TIL_MOR": (Activity("JOB_TIL_MOR", (20, 55), 365, 0.6, "mothers", (0, 17)), 15),
    "BRANDKADET": (HP2017["BRANDKADET"], 12),
    "LOMMEPENGEJOB": (HP2021["LOMMEPENGEJOB"][0], 11),
    "TEENAGEGRUPPER": (HP2017["TEENAGEGRUPPER"], 10),
    "SOCIAL_VICEVAERT": (HP2021["SOCIAL_VICEVAERT"][0], 30),
    "BROBYGNING_TIL_FORENINGSLIVET": (Activity("BROBYGNING_TIL_FORENINGSLIVET", (6, 17), None, None), 20),
    "FRITIDSAKTIVITETER": (Activity("FRITIDSAKTIVITETER", (6, 17), None, None), 60),
    # Last, so the draws of the activities above stay as they were: the children of the
    # institutions' language groups (the plan gives staff hours only, no volume).
    "SPROGLIGE_LAERINGSMILJOER": (Activity("SPROGLIGE_LAERINGSMILJOER", (1, 5), 90, 0.9), 40),
}
# Volume of the HP2017 activities by year relative to 2019 (start June 2017; covid 2020; end May 2021).
HP2017_VOLUME = {2017: 0.5, 2018: 0.9, 2020: 0.75, 2021: 0.35}
HP2021_VOLUME = {2021: 0.55, 2022: 1.0, 2023: 1.0, 2024: 1.0, 2025: 0.55}


def _age(w, year: int) -> np.ndarray:
    """Age on 1 January ``year``, cached on the world (asked for ~150 times)."""
    key = ("age_jan1", year)
    if key not in w.cache:
        w.cache[key] = age_on(w.birth, day(year))
    return w.cache[key]


def _eligible(w, act: Activity, year: int, areas: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(area residents, others in Randers) who fit the activity in ``year``."""
    g = w.group_in(year)
    age = _age(w, year)
    ok = (g >= 0) & (age >= act.ages[0]) & (age <= act.ages[1]) & (w.death > day(year, 12, 31))
    if act.who == "girls":
        ok &= w.sex == "K"
    elif act.who == "mothers":
        child_age = age
        kids = (w.mother >= 0) & (child_age >= act.child_ages[0]) & (child_age <= act.child_ages[1])
        has_child = np.zeros(len(g), dtype=bool)
        has_child[w.mother[kids]] = True
        ok &= has_child & (w.sex == "K")
    codes = [PLAN_AREAS_2025.index(a) for a in areas]
    in_area = np.isin(g, codes)
    return np.flatnonzero(ok & in_area), np.flatnonzero(ok & ~in_area)


def _pick(rng, area: np.ndarray, other: np.ndarray, n: int, reach: float) -> np.ndarray:
    n_other = min(int(round(n * reach)), len(other))
    n_area = min(n - n_other, len(area))
    n_other = min(n - n_area, len(other))  # too few area residents: fill from the rest of Randers
    return np.concatenate([rng.choice(area, n_area, replace=False), rng.choice(other, n_other, replace=False)])


def _spells(rng, act: Activity, idx: np.ndarray, lo, hi, flags=None, end=None) -> pd.DataFrame:
    """Spells starting uniformly in [lo, hi] (or ending on ``end`` when given)."""
    n = len(idx)
    if end is not None:
        start = end - (act.days - 1)
    else:
        start = uniform_dates(rng, np.full(n, lo), np.full(n, hi))
        if act.days is None:
            end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
        else:
            end = start + act.days - 1
    if flags is None:
        flags = np.where(rng.random(n) < (act.completion or 0), "J", "N").astype(object)
        if act.completion is None:
            flags[:] = None
    return pd.DataFrame({"pidx": idx, "AKTIVITET": act.code, "START": start, "SLUT": end, "GENNEMFOERT": flags})


def _exact_2019(rng, w, act: Activity, spec: dict) -> pd.DataFrame:
    """Spells active in 2019 with the report's participants, finished and completed counts."""
    area, other = _eligible(w, act, EXACT_YEAR, PLAN_AREAS_2017)
    idx = _pick(rng, area, other, spec["participants"], act.reach)
    jan1, dec31 = day(EXACT_YEAR), day(EXACT_YEAR, 12, 31)
    if "finished" not in spec:  # only participants published: spells within the year
        return _spells(rng, act, idx, jan1, dec31 - (act.days or 1) + 1)
    # The finished end in 2019 (some started in 2018); the others are still running at New Year.
    k = spec["finished"]
    flags = rng.permutation(np.array(["J"] * spec["completed"] + ["N"] * (k - spec["completed"]), dtype=object))
    fin = _spells(rng, act, idx[:k], None, None, flags=flags,
                  end=uniform_dates(rng, np.full(k, jan1), np.full(k, dec31)))
    running = _spells(rng, act, idx[k:], dec31 - (act.days - 2), dec31)
    return pd.concat([fin, running], ignore_index=True)


def participation(pop: Population) -> pd.DataFrame:
    w = world(pop)
    rng = rng_for(pop, "indsatsdeltagelse")
    spells = []
    for code, act in HP2017.items():
        spec = T.ACTIVITIES_2019[code]
        spells.append(_exact_2019(rng, w, act, spec))
        for year, volume in HP2017_VOLUME.items():
            if not (w.first_year <= year <= w.last_year):
                continue
            n = int(round(spec["participants"] * volume * rng.uniform(0.85, 1.15)))
            lo = day(2017, 6, 1) if year == 2017 else day(year)
            hi = day(2021, 5, 31) if year == 2021 else day(year, 12, 31)
            if year == EXACT_YEAR - 1:  # 2018 spells must be over before 2019, which is exact
                hi = day(year, 12, 31) - (act.days or 366)
            elif year == 2021 and act.days:  # the plan's courses end with it
                hi = day(2021, 5, 31) - act.days
            if hi < lo:
                continue
            area, other = _eligible(w, act, year, PLAN_AREAS_2017)
            spells.append(_spells(rng, act, _pick(rng, area, other, n, act.reach), lo, hi))
    for plan, lo_date, hi_date, volume in ((HP2021, day(2021, 6, 1), day(2025, 7, 31), HP2021_VOLUME),
                                           (HP2025, day(2025, 8, 1), day(2025, 12, 31), {2025: 1.0})):
        for act, per_year in plan.values():
            for year, v in volume.items():
                if not (w.first_year <= year <= w.last_year):
                    continue
                lo, hi = max(lo_date, day(year)), min(hi_date, day(year, 12, 31))
                if plan is HP2021 and act.days:
                    hi = min(hi, hi_date - act.days)  # HP2021's courses end with the plan
                if hi < lo:
                    continue
                n = int(round(per_year * v * rng.uniform(0.85, 1.15)))
                area, other = _eligible(w, act, year, PLAN_AREAS_2025)
                spells.append(_spells(rng, act, _pick(rng, area, other, n, act.reach), lo, hi))
    df = pd.concat(spells, ignore_index=True)
    w.cache["spells:indsatsdeltagelse"] = df.drop_duplicates(["pidx", "AKTIVITET", "START"])  # for a later vintage
    df = df.drop_duplicates(["pidx", "AKTIVITET", "START"])
    out = rows_by_year(w, df, "START", "SLUT")
    # a year's file knows the completion only of a spell that had ended by its extraction
    out.loc[out["SLUT"].isna(), "GENNEMFOERT"] = None
    return out[out["_year"] >= 2017].reset_index(drop=True)


def write_intervention_extracts(pop: Population, out_dir: Path) -> list[Path]:
    df = participation(pop)
    src = source("indsatsdeltagelse")
    return [write_extract(part.reset_index(drop=True), src, int(y), Path(out_dir))
            for y, part in df.groupby("_year", sort=True)]
