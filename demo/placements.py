"""Placements outside the home (anbringelser)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import N_AREAS, NO_DATE, World, rng_for, rows_by_year, whole_pct_k
from demo.dates import add_months, age_on, day, uniform_dates, ymd
from demo.model import PLAN_AREAS_2025
from demo.youth import YOUTH_SCHOOL_YEAR, youth_school_population

# ----------------------------------------------------------------------------- anbringelser
PLACEMENTS = np.array(["Plejefamilie", "Netværksplejefamilie", "Døgninstitution", "Opholdssted", "Eget værelse"], dtype=object)


def placements(w: World) -> pd.DataFrame:
    rng = rng_for(w.pop, "anbringelser")
    n = len(w.key)
    first = np.full(n, NO_DATE)
    for year in w.years:
        g = w.group_in(year)
        age = age_on(w.birth, day(year))
        hazard = np.where(g < N_AREAS, 0.006, 0.0025)
        hit = (g >= 0) & (age >= 0) & (age <= 16) & (rng.random(n) < hazard) & (first == NO_DATE)
        first[hit] = day(year) + rng.integers(0, 365, hit.sum())
    idx = np.flatnonzero((first != NO_DATE) & (first < w.death))
    start = first[idx]
    end = np.minimum(start + 60 + rng.exponential(900, len(idx)).astype(np.int64), add_months(w.birth[idx], 216) - 1)
    end = np.minimum(end, w.death[idx])
    teen = age_on(w.birth[idx], start) >= 15
    kind = PLACEMENTS[np.searchsorted(np.cumsum([0.42, 0.12, 0.18, 0.22]), rng.random(len(idx)))]
    kind = np.where(teen & (rng.random(len(idx)) < 0.2), "Eget værelse", kind)
    spells = pd.DataFrame({"pidx": idx, "START": start, "SLUT": np.maximum(end, start), "ANBRINGELSESSTED": kind})
    spells = _exact_gjp_placements(w, rng_for(w.pop, "anbringelser_hp2017"), spells)
    spells = _teen_placements(w, rng_for(w.pop, "anbringelser_ungdomsskole"), spells)
    w.cache["spells:anbringelser"] = spells  # a later vintage delivers the same spells again
    return rows_by_year(w, spells, "START", "SLUT")


def _teen_placements(w: World, rng, spells: pd.DataFrame) -> pd.DataFrame:
    """A few more teenagers placed outside the home on 1 September of the ungdomsskole year, where
    the area's count of 13-18-year-olds at home cannot print the published whole per cent (k/n):
    the warehouse leaves placed young people out of that count."""
    year = YOUTH_SCHOOL_YEAR
    if not (w.first_year <= year <= w.last_year):
        return spells
    sep1 = day(year, 9, 1)
    s = spells["START"].to_numpy().astype("datetime64[D]")
    e = spells["SLUT"].to_numpy().astype("datetime64[D]")
    placed = np.zeros(len(w.key), dtype=bool)
    placed[spells["pidx"].to_numpy()[(s <= sep1) & (e >= sep1)]] = True
    ever = np.zeros(len(w.key), dtype=bool)
    ever[spells["pidx"].to_numpy()] = True
    counted = youth_school_population(w, year, placed)
    g = w.group_in(year)
    by = ymd(w.birth)[0]
    new = []
    for c, area in enumerate(PLAN_AREAS_2025):
        n = int((counted & (g == c)).sum())
        d = next((d for d in range(0, min(n, 15)) if whole_pct_k(n - d, T.YOUTH_SCHOOL_2024[area]) is not None), 0)
        # under 18 until after the placement ends; never placed before (one spell per child)
        cand = np.flatnonzero(counted & (g == c) & ~ever & (by >= year - 17) & (w.death > day(year + 1, 7, 1)))
        new.append(rng.choice(cand, min(d, len(cand)), replace=False))
    idx = np.concatenate(new).astype(np.int64)
    if not len(idx):
        return spells
    start = uniform_dates(rng, np.full(len(idx), day(year - 1, 9, 1)), np.full(len(idx), day(year, 8, 15)))
    end = np.minimum(uniform_dates(rng, np.full(len(idx), day(year, 10, 1)), np.full(len(idx), day(year + 1, 6, 30))),
                     add_months(w.birth[idx], 216) - 1)
    kind = np.where(rng.random(len(idx)) < 0.5, "Opholdssted", "Døgninstitution")
    return pd.concat([spells, pd.DataFrame({"pidx": idx, "START": start, "SLUT": end, "ANBRINGELSESSTED": kind})],
                     ignore_index=True)


def _exact_gjp_placements(w: World, rng, spells: pd.DataFrame) -> pd.DataFrame:
    """Gl. Jennumparken 2018 and 2019 (HP2017): exactly the published number of children aged 0-17 on
    1 January, living there that day, with a placement active in the year. Their placements in
    those years are redrawn: some run through both years, the rest end in 2018."""
    (y1, n1), (y2, n2) = sorted((y, v) for y, v in T.PLACEMENTS_GJP.items() if isinstance(y, int))
    if not (w.first_year <= y1 and y2 <= w.last_year):
        return spells
    gjp = PLAN_AREAS_2025.index("GJP")

    def kids(y):
        return (w.group_in(y) == gjp) & (w.birth > day(y - 18)) & (w.birth <= day(y)) & (w.death > day(y, 12, 31))

    k1, k2 = kids(y1), kids(y2)
    s = spells["START"].to_numpy().astype("datetime64[D]")
    e = spells["SLUT"].to_numpy().astype("datetime64[D]")
    touch = (s <= day(y2, 12, 31)) & (e >= day(y1)) & (k1 | k2)[spells["pidx"].to_numpy()]
    spells = spells[~touch]
    both = rng.choice(np.flatnonzero(k1 & k2), n2, replace=False)
    only = rng.choice(np.flatnonzero(k1 & ~np.isin(np.arange(len(k1)), both) & (w.birth <= day(y1 - 1))), n1 - n2, replace=False)
    # earlier placements of the chosen children would double them up: drop those too
    spells = spells[~spells["pidx"].isin(np.concatenate([both, only]))]
    lo = np.full(n2, day(y1 - 2))
    new_both = pd.DataFrame({"pidx": both, "START": uniform_dates(rng, lo, np.full(n2, day(y1, 6, 30))),
                             "SLUT": uniform_dates(rng, np.full(n2, day(y2 + 1, 1, 1)), np.full(n2, day(y2 + 3)))})
    m = n1 - n2
    new_only = pd.DataFrame({"pidx": only, "START": uniform_dates(rng, np.full(m, day(y1 - 1)), np.full(m, day(y1, 3, 31))),
                             "SLUT": uniform_dates(rng, np.full(m, day(y1, 4, 1)), np.full(m, day(y1, 12, 31)))})
    new = pd.concat([new_both, new_only], ignore_index=True)
    new["START"] = np.maximum(new["START"].to_numpy().astype("datetime64[D]"), w.birth[new["pidx"].to_numpy()])
    new["SLUT"] = np.minimum(new["SLUT"].to_numpy().astype("datetime64[D]"), add_months(w.birth[new["pidx"].to_numpy()], 216) - 1)
    new["ANBRINGELSESSTED"] = PLACEMENTS[np.searchsorted(np.cumsum([0.42, 0.12, 0.18, 0.22]), rng.random(len(new)))]
    return pd.concat([spells, new], ignore_index=True)
