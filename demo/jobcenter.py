"""Jobcenter Randers' benefit months (jobcenter_ydelser), derived from ``person_year``.

``person_year`` says, per person and year, which benefit (if any) the person received and for
what full-time fraction of the year. This module spreads that over months: ``ceil(12 × f)``
consecutive months, all full except one partial month, so Σ FULDTIDSANDEL over the year is
exactly 12 × f (to three decimals) and the warehouse's full-time persons equal the population's.
A spell that continues from the year before starts in January; one that continues into the next
year ends in December, so spells run on across New Year.

Area of a benefit month: the person's residence in the CPR stock of 1 January of the month's year
(the same rule as every other extract, see ``children``).

Mothers on kontanthjælp, status December 2024 (seed 003 line 1972; the counts are read from the
published-values seed): a mother is a woman in the stock of 1 January who is ``mother_key`` of
someone in that stock aged under 18 on 31 December and living in her household (same FAMILIE_ID);
she counts when she has a 'Kontanthjælp' row for December. Which mothers on kontanthjælp in a year
are still on it in December is chosen so that the areas together have the published share
(79/788) of their mothers on it in 2024, and (full scale) the rest of Randers 148/10,085 (227 of
10,873 in all); the other years follow the same share on a gentle trend
(``MOTHERS_TREND_PER_YEAR``). Mothers on kontanthjælp all year are always counted, so the target
is only reachable when ``person_year`` gives enough part-year mothers; the result is reported by
``mothers_on_kontanthjaelp``. The target is the published share times the mothers the population
has at home (the family sizes give fewer than 788, a registered demo gap;
``households.mothers_elsewhere`` gives some children a mother in another household, who is not
counted).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import N_AREAS, world
from demo.dates import age_on, day
from demo.keys import fixed_uniform
from demo.model import Population
from demo.writers import write_extract
from ingestion.contract import source

KONTANTHJAELP = "Kontanthjælp"
MOTHERS_YEAR = 2024


def _household(w, year: int) -> np.ndarray:
    """Household (FAMILIE_ID) of every person in the stock of 1 January ``year``, None elsewhere."""
    key = f"household:{year}"
    if key not in w.cache:
        res = w.pop.residence
        r = res[res["year"] == year]
        pidx = pd.Index(w.key).get_indexer(r["person_key"])
        out = np.full(len(w.key), None, dtype=object)
        out[pidx[pidx >= 0]] = r["household_id"].to_numpy(dtype=object)[pidx >= 0]
        w.cache[key] = out
    return w.cache[key]


def mothers_in(w, year: int) -> np.ndarray:
    """Person indices of mothers with children at home: the mother of someone in the stock of
    1 January ``year`` who is under 18 on 31 December and lives in her household (same FAMILIE_ID)."""
    g = w.group_in(year)
    age = age_on(w.birth, day(year, 12, 31))
    child = (g >= 0) & (w.mother >= 0) & (age < 18) & (age >= 0)
    hh = _household(w, year)
    c = np.flatnonzero(child)
    home = c[hh[w.mother[c]] == hh[c]]
    m = np.unique(w.mother[home])
    return m[g[m] >= 0]


def benefit_months(pop: Population) -> pd.DataFrame:
    return spread_benefits(pop).drop(columns="_row")



def spread_benefits(pop: Population) -> pd.DataFrame:
    """The benefit months, with ``_row`` = the row of ``pop.person_year`` each month comes from."""
    w = world(pop)
    py = pop.person_year
    rows_all = np.flatnonzero((py["benefit"].notna() & (py["fulltime_fraction"] > 0)).to_numpy())
    py = py.iloc[rows_all]
    pidx = pd.Index(w.key).get_indexer(py["person_key"])
    keep = pidx >= 0
    py, pidx, rows_all = py[keep], pidx[keep], rows_all[keep]
    year = py["year"].to_numpy(dtype=np.int64)
    frac = np.clip(py["fulltime_fraction"].to_numpy(dtype=float).round(3), 0.001, 1.0)
    benefit = py["benefit"].to_numpy(dtype=object).copy()
    match = py["match_group"].astype(object).where(py["match_group"].notna(), None).to_numpy(dtype=object).copy()
    # Same benefit the year before / after: the spell runs across New Year.
    k = pd.MultiIndex.from_arrays([pidx, year, benefit])
    prev_same = k.isin(pd.MultiIndex.from_arrays([pidx, year + 1, benefit]))
    next_same = k.isin(pd.MultiIndex.from_arrays([pidx, year - 1, benefit]))
    months = np.ceil(np.round(12 * frac, 6)).astype(np.int64).clip(1, 12)
    start = 1 + np.floor(fixed_uniform(w.key[pidx], year) * (13 - months)).astype(np.int64)
    start = np.where(next_same, 13 - months, start)
    start = np.where(prev_same, 1, start)
    start = _placemothers_in(w, pidx, year, benefit, months, start)
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
        "_row": rows_all[row],
    })


def _month_text(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """'YYYY-MM' by table look-up (millions of rows at full scale)."""
    y0 = int(year.min()) if len(year) else 2000
    years = np.arange(y0, int(year.max()) + 1 if len(year) else y0 + 1)
    table = np.array([f"{y}-{m:02d}" for y in years for m in range(1, 13)], dtype=object)
    return table[(year - y0) * 12 + month - 1]


# The mothers' share on kontanthjælp in December outside the published year: the published share
# times this factor per year before it (kontanthjælp fell slowly over the period), so the calibrated
# year lies on a smooth trend instead of standing out (not published; plausible).
MOTHERS_TREND_PER_YEAR = 0.02


def mothers_share_target(share: float, year: int) -> float:
    return share * (1 + MOTHERS_TREND_PER_YEAR * (MOTHERS_YEAR - year))


def _placemothers_in(w, pidx, year, benefit, months, start) -> np.ndarray:
    """Move part-year kontanthjælp spells of mothers into or out of December so that, every year,
    the share of mothers on it in December follows the published 2024 share on a smooth trend
    (the published share exactly in 2024, to whole persons). Which spells move is a hash of person and year, so
    changing one row never moves another year's spells."""
    spec = T.MOTHERS_KONTANTHJAELP
    area_n, area_k = spec[T.ALL_AREAS]
    all_n, all_k = spec[T.RANDERS]
    shares = {True: area_k / area_n, False: (all_k - area_k) / (all_n - area_n)}
    start = start.copy()
    for y in sorted(set(year.tolist()) & set(w.years)):
        mothers = mothers_in(w, y)
        g = w.group_in(y)
        rows = np.flatnonzero((year == y) & (benefit == KONTANTHJAELP) & np.isin(pidx, mothers))
        in_area = g[mothers] < N_AREAS
        for area_flag, share in shares.items():
            target = mothers_share_target(share, y) * (in_area == area_flag).sum()
            sel = rows[(g[pidx[rows]] < N_AREAS) == area_flag]
            full = sel[months[sel] == 12]
            flex = sel[months[sel] < 12]
            k = int(np.clip(round(target) - len(full), 0, len(flex)))
            on = np.zeros(len(flex), dtype=bool)
            on[np.argsort(fixed_uniform(w.key[pidx[flex]], year[flex]), kind="stable")[:k]] = True
            # On in December: the spell ends in December; off: it ends before December.
            start[flex[on]] = 13 - months[flex[on]]
            start[flex[~on]] = np.minimum(start[flex[~on]], 12 - months[flex[~on]])
    return start


def mothers_on_kontanthjaelp(pop: Population, months: pd.DataFrame | None = None) -> dict[str, tuple[int, int]]:
    """(mothers, mothers on kontanthjælp in December 2024) for the areas together and Randers."""
    w = world(pop)
    months = benefit_months(pop) if months is None else months
    mothers = mothers_in(w, MOTHERS_YEAR)
    on = set(months.loc[(months["MAANED"] == f"{MOTHERS_YEAR}-12") & (months["YDELSE"] == KONTANTHJAELP), "PNR_PSEUDO"])
    is_on = pd.Index(w.key[mothers]).isin(list(on))
    area = w.group_in(MOTHERS_YEAR)[mothers] < N_AREAS
    return {T.ALL_AREAS: (int(area.sum()), int(is_on[area].sum())), T.RANDERS: (len(mothers), int(is_on.sum()))}


def write_jobcenter_extracts(pop: Population, out_dir: Path) -> list[Path]:
    df = benefit_months(pop)
    src = source("jobcenter_ydelser")
    return [write_extract(part.reset_index(drop=True), src, int(y), Path(out_dir))
            for y, part in df.groupby("_year", sort=True)]
