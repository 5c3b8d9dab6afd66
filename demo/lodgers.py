"""Short stays ("lodgers") that give the 2017-21 plan's areas the resident counts its
one-decimal figures need.

The annual report 2019 prints charged residents per 1,000 with one decimal per area (seed 000
lines 1110-1112) and Randers Nordby's education shares with one decimal (lines 992, 1078). A
count over a denominator of some 1,300 residents prints as the published decimal only for a few
denominators, and the simulated households rarely have them. So, for 1 January of 2018 and 2019
only, a few adults are registered with another household for that year: a resident of the rest
of the municipality stays with a household in the area, or an area resident stays with a
household outside it. Nobody is added or removed and no person-year row appears or disappears,
so every random draw of the generator stays where it was; the calibrations that run afterwards
(charges, employment, education, benefits) then hit their figures on the new denominators.

Movers who only change an area's count are 30-64 years old, outside every age band the plan
publishes for those years; movers who change Nordby's 20-24 or 18-29 count are in that band. A
mover lives in the same place the year before and the year after, and in a household without
children under 18, so no child's home and no household's composition with children changes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import published_values as pv
from demo.dates import age_on_jan1
from demo.model import PLAN_AREAS_2017

# Charged residents per 1,000 (DST's file of the year: stock of 1 January), seed 000 lines
# 1110-1112, and Nordby's education shares (stock of 1 January of the file year), lines 992/1078;
# read from the published-values seed, as person_calibration's SIGTEDE_PER_1000_PUBLISHED and NORDBY_*.
PER_1000 = {year: {a: pv.value("HP2017_OM_SIGTEDE_PR_1000", a, str(year)) for a in PLAN_AREAS_2017}
            for year in (2018, 2019)}
# Bands in the order they are fixed; a later band's movers are outside the earlier bands.
NORDBY_BANDS = {2018: (((20, 24), pv.value("HP2017_SK_20_24_KUN_GRUNDSKOLE", "HP2017_ALL", "2018")),
                       ((18, 29), pv.value("HP2017_OM_UDDANNELSE_18_29", "HP2017_ALL", "2018"))),
                2019: (((18, 29), pv.value("HP2017_OM_UDDANNELSE_18_29", "HP2017_ALL", "2019")),)}
MOVER_AGES = (30, 64)
MAX_SHIFT = 40
ADDRESS_COLS = ("street", "number", "letter", "floor", "door", "postal_code", "household_id", "area_code",
                "org_code", "department_number", "lease_id")


def _prints_as(value: float, n: int, scale: int) -> bool:
    """True when some whole count over n prints as ``value`` (one decimal) per ``scale``."""
    if n <= 0:
        return False
    lo = int(np.floor(value / scale * n))
    return any(round(scale * k / n, 1) == value for k in (lo - 1, lo, lo + 1, lo + 2))


def _shift(value: float, n: int, scale: int) -> int:
    """The smallest change of n (ties: fewer people moved in) that lets the value print."""
    for d in sorted(range(-MAX_SHIFT, MAX_SHIFT + 1), key=lambda x: (abs(x), x)):
        if _prints_as(value, n + d, scale):
            return d
    return 0


def calibrate_stays(residence: pd.DataFrame, birth: pd.Series, rng, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Re-register a few residents for 1 January 2018 and 2019 (see the module docstring).

    ``birth`` maps person_key to the birth day number (days since 1970). ``extra`` holds residence
    rows (person_key, year, area_code, household_id) of persons appended to the population later
    (``newcomers``): they count, but never move. Returns ``residence`` with the moved
    person-years' address columns replaced by their host household's."""
    if extra is None:
        extra = residence.iloc[:0]

    years = residence.year.to_numpy()
    area_all = residence.area_code.astype(object).to_numpy()
    area_all = np.where(pd.isna(area_all), "REST", area_all).astype(object)
    key_all = residence.person_key.to_numpy()
    for y, targets in PER_1000.items():
        if not (years.min() < y < years.max()):
            continue
        idx = np.flatnonzero(years == y)
        ext = extra[extra.year == y]
        n_res = len(idx)
        keys = np.concatenate([key_all[idx], ext.person_key.to_numpy(dtype=object)])
        area = np.concatenate([area_all[idx], ext.area_code.fillna("REST").to_numpy(dtype=object)]).astype(object)
        age = age_on_jan1(birth.reindex(keys).to_numpy().astype(np.int64), y)
        hh = np.concatenate([residence.household_id.to_numpy(dtype=object)[idx], ext.household_id.to_numpy(dtype=object)])
        has_child = pd.Series(age < 18).groupby(hh).transform("any").to_numpy()
        # where each person lives the year before and after (movers stay put around the year)
        same = np.arange(len(keys)) < n_res
        for other in (y - 1, y + 1):
            o = years == other
            prev = pd.Series(area_all[o], index=key_all[o])
            same &= prev.reindex(keys).to_numpy(dtype=object) == area
        movable = same & ~has_child
        moved = np.zeros(len(keys), bool)

        def move(src_mask: np.ndarray, dest: str, k: int) -> None:
            """Register k movable residents of ``src_mask`` with random households in ``dest``."""
            cand = rng.permutation(np.flatnonzero(src_mask & movable & ~moved))[:k]
            hosts = np.flatnonzero((area[:n_res] == dest) & ~moved[:n_res])
            if len(cand) < k or not len(hosts):
                raise ValueError(f"lodgers {y}: only {len(cand)} of {k} movers for {dest}")
            host = hosts[rng.integers(0, len(hosts), len(cand))]
            for c in ADDRESS_COLS:
                col = residence[c]
                residence.iloc[idx[cand], residence.columns.get_loc(c)] = col.iloc[idx[host]].to_numpy()
            area[cand] = dest
            moved[cand] = True

        # Nordby's age bands first, through the area that needs most people in (or out)
        need = {a: _shift(v, int((area == a).sum()), 1000) for a, v in targets.items()}
        earlier = np.zeros(len(keys), bool)
        for (lo, hi), pct in NORDBY_BANDS[y]:
            band = (age >= lo) & (age <= hi)
            d_band = _shift(pct, int((band & np.isin(area, PLAN_AREAS_2017)).sum()), 100)
            if d_band > 0:
                a = max(PLAN_AREAS_2017, key=lambda x: need[x])
                move(band & ~earlier & (area == "REST"), a, d_band)
            elif d_band < 0:
                a = min(PLAN_AREAS_2017, key=lambda x: need[x])
                move(band & ~earlier & (area == a), "REST", -d_band)
            earlier |= band
        adult = (age >= MOVER_AGES[0]) & (age <= MOVER_AGES[1])
        for a in PLAN_AREAS_2017:
            d = _shift(targets[a], int((area == a).sum()), 1000)  # again: the band movers count
            if d > 0:
                move(adult & (area == "REST"), a, d)
            elif d < 0:
                move(adult & (area == a), "REST", -d)
    return residence
