"""Jobcenter Randers' benefit months (jobcenter_ydelser), derived from ``person_year``.

``person_year`` says, per person and year, which benefit (if any) the person received and for
what full-time fraction of the year. This module spreads that over months: ``ceil(12 × f)``
consecutive months, all full except one partial month, so Σ FULDTIDSANDEL over the year is
exactly 12 × f (to three decimals) and the warehouse's full-time persons equal the population's.
A spell that continues from the year before starts in January; one that continues into the next
year ends in December, so spells run on across New Year.

Area of a benefit month: the person's residence in the CPR stock of 1 January of the month's year
(the same rule as every other extract, see ``children``).

Calibration
-----------
- Mothers on kontanthjælp, status December 2024 (seed 003 line 1972): a mother is a woman in the
  stock of 1 January 2024 who is ``mother_key`` of someone in that stock aged under 18 on
  31 December 2024; she counts when she has a 'Kontanthjælp' row for 2024-12. Which mothers on
  kontanthjælp in 2024 are still on it in December is chosen so that the areas together have
  79/788 of their mothers on it, and (full scale) the rest of Randers 148/10,085 (227 of 10,873 in
  all). Mothers on kontanthjælp all year are always counted, so the target is only reachable
  when ``person_year`` gives enough part-year mothers; the result is reported by
  ``mothers_on_kontanthjaelp``.
- The other employment figures (outside the labour market, kontanthjælp share, Oct 2023-Sep
  2024) follow from ``person_year`` and are not adjusted here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.contract import source
from ingestion.demo import targets_children as T
from ingestion.demo.children import N_AREAS, age_on, day, rng_for, world
from ingestion.demo.model import Population
from ingestion.writers import write_extract

KONTANTHJAELP = "Kontanthjælp"
MOTHERS_YEAR = 2024


def _mothers(w, year: int) -> np.ndarray:
    """Person indices of mothers of under-18s, both in the stock of 1 January ``year``."""
    g = w.group_in(year)
    child = (g >= 0) & (w.mother >= 0) & (age_on(w.birth, day(year, 12, 31)) < 18) & (age_on(w.birth, day(year, 12, 31)) >= 0)
    m = np.unique(w.mother[child])
    return m[g[m] >= 0]


def benefit_months(pop: Population) -> pd.DataFrame:
    w = world(pop)
    rng = rng_for(pop, "jobcenter_ydelser")
    py = pop.person_year
    py = py[py["benefit"].notna() & (py["fulltime_fraction"] > 0)]
    pidx = pd.Index(w.key).get_indexer(py["person_key"])
    keep = pidx >= 0
    py, pidx = py[keep], pidx[keep]
    year = py["year"].to_numpy(dtype=np.int64)
    frac = np.clip(py["fulltime_fraction"].to_numpy(dtype=float).round(3), 0.001, 1.0)
    benefit = py["benefit"].to_numpy(dtype=object)
    match = py["match_group"].astype(object).where(py["match_group"].notna(), None).to_numpy(dtype=object)
    # Same benefit the year before / after: the spell runs across New Year.
    k = pd.MultiIndex.from_arrays([pidx, year, benefit])
    prev_same = k.isin(pd.MultiIndex.from_arrays([pidx, year + 1, benefit]))
    next_same = k.isin(pd.MultiIndex.from_arrays([pidx, year - 1, benefit]))
    months = np.ceil(np.round(12 * frac, 6)).astype(np.int64).clip(1, 12)
    start = 1 + np.floor(rng.random(len(months)) * (13 - months)).astype(np.int64)
    start = np.where(next_same, 13 - months, start)
    start = np.where(prev_same, 1, start)
    start = _place_mothers(w, pidx, year, benefit, months, start, rng)
    partial_last = prev_same & ~next_same  # a spell that ends in the year ends mid-month
    n = months.sum()
    row = np.repeat(np.arange(len(months)), months)
    offset = np.arange(n) - np.repeat(np.cumsum(months) - months, months)
    month = start[row] + offset
    share = np.ones(n)
    partial = np.round(12 * frac - (months - 1), 3)
    is_partial = np.where(partial_last[row], offset == months[row] - 1, offset == 0)
    share[is_partial] = partial[row][is_partial]
    return pd.DataFrame({
        "PNR_PSEUDO": w.key[pidx[row]],
        "MAANED": _month_text(year[row], month),
        "YDELSE": benefit[row],
        "MATCHGRUPPE": match[row],
        "FULDTIDSANDEL": share,
        "_year": year[row],
    })


def _month_text(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """'YYYY-MM' by table look-up (millions of rows at full scale)."""
    y0 = int(year.min()) if len(year) else 2000
    years = np.arange(y0, int(year.max()) + 1 if len(year) else y0 + 1)
    table = np.array([f"{y}-{m:02d}" for y in years for m in range(1, 13)], dtype=object)
    return table[(year - y0) * 12 + month - 1]


def _place_mothers(w, pidx, year, benefit, months, start, rng) -> np.ndarray:
    """Move part-year kontanthjælp spells of mothers into or out of December 2024 to hit the seed."""
    if not (w.first_year <= MOTHERS_YEAR <= w.last_year):
        return start
    mothers = _mothers(w, MOTHERS_YEAR)
    g = w.group_in(MOTHERS_YEAR)
    rows = np.flatnonzero((year == MOTHERS_YEAR) & (benefit == KONTANTHJAELP) & np.isin(pidx, mothers))
    spec = T.MOTHERS_KONTANTHJAELP
    area_n, area_k = spec[T.ALL_AREAS]
    all_n, all_k = spec[T.RANDERS]
    in_area = g[mothers] < N_AREAS
    targets = {True: area_k / area_n * in_area.sum(), False: (all_k - area_k) / (all_n - area_n) * (~in_area).sum()}
    start = start.copy()
    for area_flag, target in targets.items():
        sel = rows[(g[pidx[rows]] < N_AREAS) == area_flag]
        full = sel[months[sel] == 12]
        flex = sel[months[sel] < 12]
        k = int(np.clip(round(target) - len(full), 0, len(flex)))
        on = np.zeros(len(flex), dtype=bool)
        on[rng.permutation(len(flex))[:k]] = True
        # On in December: the spell ends in December; off: it ends before December.
        start[flex[on]] = 13 - months[flex[on]]
        start[flex[~on]] = np.minimum(start[flex[~on]], 12 - months[flex[~on]])
    return start


def mothers_on_kontanthjaelp(pop: Population, months: pd.DataFrame | None = None) -> dict[str, tuple[int, int]]:
    """(mothers, mothers on kontanthjælp in December 2024) for the areas together and Randers."""
    w = world(pop)
    months = benefit_months(pop) if months is None else months
    mothers = _mothers(w, MOTHERS_YEAR)
    on = set(months.loc[(months["MAANED"] == f"{MOTHERS_YEAR}-12") & (months["YDELSE"] == KONTANTHJAELP), "PNR_PSEUDO"])
    is_on = pd.Index(w.key[mothers]).isin(list(on))
    area = w.group_in(MOTHERS_YEAR)[mothers] < N_AREAS
    return {T.ALL_AREAS: (int(area.sum()), int(is_on[area].sum())), T.RANDERS: (len(mothers), int(is_on.sum()))}


def write_jobcenter_extracts(pop: Population, out_dir: Path) -> list[Path]:
    df = benefit_months(pop)
    src = source("jobcenter_ydelser")
    return [write_extract(part.reset_index(drop=True), src, int(y), Path(out_dir))
            for y, part in df.groupby("_year", sort=True)]
