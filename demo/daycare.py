"""Day care (dagtilbud): spells, institutions and language challenges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import (
    DAYCARES,
    N_AREAS,
    NO_DATE,
    NORDBY_DAYCARES,
    NUSSA_DAYCARES,
    REST,
    Tracks,
    World,
    daycare_code,
    rng_for,
    rows_by_year,
    stable_pick,
    whole_pct_k,
)
from demo.dates import add_months, age_on, day, jan1


# -------------------------------------------------------------------------------- dagtilbud
def daycare(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "dagtilbud")
    n = len(w.key)
    res = w.group >= 0
    ever = res.any(axis=1)
    first_y = w.first_year + np.argmax(res, axis=1)
    last_y = w.last_year - np.argmax(res[:, ::-1], axis=1)
    home = w.group[np.arange(n), first_y - w.first_year]
    # Take-up tuned to LBF 2021: 1-5-year-olds in daycare 94.3 % in the areas, 89.7 % in Randers.
    idx = np.flatnonzero(ever & (w.birth >= day(w.first_year - 6)) & (rng.random(n) < np.where(home < N_AREAS, 0.96, 0.905)))
    birth = w.birth[idx]
    born_here = birth >= jan1(first_y[idx] - 1)
    arrival = np.where((first_y[idx] > w.first_year) & ~born_here,
                       jan1(first_y[idx]) - rng.integers(1, 300, len(idx)), birth)
    start = np.maximum(add_months(birth, rng.integers(9, 15, len(idx))), arrival + rng.integers(7, 40, len(idx)))
    school = jan1(tr.start[idx])
    school_end = np.where(rng.random(len(idx)) < 0.6, school + 119, school + 211)  # 30 April (tidlig SFO) or 31 July
    departure = np.where(last_y[idx] < w.last_year,
                         jan1(last_y[idx] + 1) - rng.integers(1, 330, len(idx)),
                         NO_DATE)
    end = np.minimum(np.minimum(school_end, departure), w.death[idx])
    ok = start < end
    idx, start, end, birth = idx[ok], start[ok], end[ok], birth[ok]
    codes = daycare_code(w)[idx]
    u = rng.random(len(idx))
    kind0 = np.where(u < 0.25, "Integreret", np.where(u < 0.6, "Dagpleje", "Vuggestue"))
    switch = add_months(birth, rng.integers(34, 38, len(idx)))
    two = (kind0 != "Integreret") & (start < switch) & (switch < end)
    kind0 = np.where((kind0 != "Integreret") & (start >= switch), "Børnehave", kind0)
    first_end = np.where(two, switch - 1, end)
    # Area children mostly stay in their integrated institution; elsewhere they change house.
    kg_codes = np.array(DAYCARES[REST], dtype=object)[stable_pick(w, idx, len(DAYCARES[REST]), 29)]
    kg_codes = np.where(home[idx] < N_AREAS, codes, kg_codes)
    spells = pd.DataFrame({
        "pidx": np.concatenate([idx, idx[two]]),
        "INSTITUTION_KODE": np.concatenate([codes, kg_codes[two]]),
        "TILBUDSTYPE": np.concatenate([kind0, np.full(two.sum(), "Børnehave")]),
        "PRIMAER_UDFORDRING": None,
        "INDMELDT": np.concatenate([start, switch[two]]),
        "UDMELDT": np.concatenate([first_end, end[two]]),
    })
    crng = rng_for(w.pop, "dagtilbud_hp2017")  # own stream: the spells above stay as they were
    _calibrate_institutions(w, crng, spells)
    w.cache["spells:dagtilbud"] = spells  # a later vintage delivers the same spells again
    out = rows_by_year(w, spells, "INDMELDT", "UDMELDT")
    out["PRIMAER_UDFORDRING"] = _primary_challenge(w, crng, out)
    return out


CHALLENGES = np.array(["Sproglig", "Social og miljømæssig", "Motorisk", "Andet"], dtype=object)
LANGUAGE, SOCIAL = CHALLENGES[0], CHALLENGES[1]


def _on_jan1(w: World, df: pd.DataFrame, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(enrolled in a daycare institution on 1 January ``year``, age in whole years that day)."""
    jan = day(year)
    s = df["INDMELDT"].to_numpy().astype("datetime64[D]")
    e = df["UDMELDT"].to_numpy().astype("datetime64[D]")
    active = (s <= jan) & (np.isnat(e) | (e >= jan)) & (df["TILBUDSTYPE"].to_numpy() != "Dagpleje")
    pidx = df["pidx"].to_numpy() if "pidx" in df else pd.Index(w.key).get_indexer(df["PNR_PSEUDO"])
    return active, age_on(w.birth[pidx], jan)


def _move(rng, spells: pd.DataFrame, pool: np.ndarray, k: int, targets: tuple[str, ...]) -> None:
    """Give ``k`` spells from ``pool`` an institution drawn from ``targets``."""
    if k <= 0:
        return
    if k > len(pool):
        raise ValueError(f"dagtilbud: {k} spells to move, {len(pool)} available")
    chosen = rng.choice(pool, k, replace=False)
    spells.iloc[chosen, spells.columns.get_loc("INSTITUTION_KODE")] = rng.choice(np.array(targets, dtype=object), k)


def _calibrate_institutions(w: World, rng, spells: pd.DataFrame) -> None:
    """HP2017 daycare groups on 1 January 2016 and 2018: 2-5-year-olds in Nordby's institutions and
    all children in the three NUSSA institutions number exactly what the published shares imply.
    Spells are moved between Nordby and elsewhere (2-5-year-olds, outside NUSSA), then between NUSSA
    and the other Nordby institutions (which keeps the Nordby count); a later year only moves spells
    not running on 1 January of an earlier one, so it does not undo it."""
    nordby_other = tuple(c for c in NORDBY_DAYCARES if c not in NUSSA_DAYCARES)
    fixed = np.zeros(len(spells), dtype=bool)
    for year in sorted(y for y in T.DAYCARE_LANGUAGE if isinstance(y, int)):
        if not (w.first_year <= year <= w.last_year):
            continue
        active, age = _on_jan1(w, spells, year)
        inst = spells["INSTITUTION_KODE"].to_numpy()
        nussa, nordby = np.isin(inst, NUSSA_DAYCARES), np.isin(inst, NORDBY_DAYCARES)
        kid = active & (age >= 2) & (age <= 5)
        free = ~fixed
        d = T.DAYCARE_LANGUAGE[year][2] - int((kid & nordby).sum())
        if d > 0:
            _move(rng, spells, np.flatnonzero(kid & ~nordby & free), d, nordby_other)
        else:
            _move(rng, spells, np.flatnonzero(kid & nordby & ~nussa & free), -d, DAYCARES[REST])
        inst = spells["INSTITUTION_KODE"].to_numpy()
        nussa = np.isin(inst, NUSSA_DAYCARES)
        d = T.NUSSA[year][2] - int((active & nussa).sum())
        # Moving 2-5-year-olds between NUSSA and the other Nordby institutions, or children of other
        # ages from anywhere into NUSSA, leaves the Nordby 2-5 count as it is.
        if d > 0:
            pool = np.flatnonzero(active & np.isin(inst, nordby_other) & free & kid)
            _move(rng, spells, pool, min(d, len(pool)), NUSSA_DAYCARES)
            d -= min(d, len(pool))
            _move(rng, spells, np.flatnonzero(active & ~kid & ~nussa & free), d, NUSSA_DAYCARES)
        else:
            _move(rng, spells, np.flatnonzero(active & nussa & free & kid), -d, nordby_other)
        fixed |= active


def _primary_challenge(w: World, rng, rows: pd.DataFrame) -> np.ndarray:
    """The primary challenge the institution registered, per row of each yearly file (None: none).
    Plausible levels everywhere; on 1 January of HP2017's years the published counts exactly."""
    pidx = pd.Index(w.key).get_indexer(rows["PNR_PSEUDO"])
    u = rng.random(len(rows))
    lang = np.where(w.nonwestern[pidx], 0.10, 0.03)
    cum = np.stack([lang, lang + 0.04, lang + 0.07, lang + 0.09], axis=1)
    pick = (u[:, None] > cum).sum(axis=1)
    out = np.where(pick < 4, CHALLENGES[np.minimum(pick, 3)], None).astype(object)
    year_of = rows["_year"].to_numpy()
    inst = rows["INSTITUTION_KODE"].to_numpy()
    for year, ((lang_n, _), (social_n, _), _) in ((y, v) for y, v in T.NUSSA.items() if isinstance(y, int)):
        if year not in set(year_of):
            continue
        active, age = _on_jan1(w, rows, year)
        snap = active & (year_of == year)
        kid = snap & (age >= 2) & (age <= 5)
        nussa = snap & np.isin(inst, NUSSA_DAYCARES)
        nordby = kid & np.isin(inst, NORDBY_DAYCARES)
        rest = kid & ~np.isin(inst, NORDBY_DAYCARES)
        # the published groups get their exact counts below
        out[(nussa | nordby | (rest if year == 2018 else False)) & (out == LANGUAGE)] = None
        out[nussa & (out == SOCIAL)] = None
        both = np.flatnonzero(nordby & nussa)
        x = min(lang_n, len(both))
        first = rng.choice(both, x, replace=False)
        out[first] = LANGUAGE
        out[rng.choice(np.flatnonzero(nussa & ~nordby), lang_n - x, replace=False)] = LANGUAGE
        n_nordby = T.DAYCARE_LANGUAGE[year][0]
        out[rng.choice(np.flatnonzero(nordby & ~nussa), n_nordby - x, replace=False)] = LANGUAGE
        out[rng.choice(np.flatnonzero(nussa & (out != LANGUAGE)), social_n, replace=False)] = SOCIAL
        if year == 2018 and rest.any():
            k = whole_pct_k(int(rest.sum()), T.DAYCARE_LANGUAGE["rest_2018"])
            out[rng.choice(np.flatnonzero(rest), k, replace=False)] = LANGUAGE
    return out
