"""School: ninth-grade and youth-education cohorts, language assessments (sprogvurdering) and
leaving exams (afgangsprøver)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import (
    GROUPS,
    N_AREAS,
    REST_CODE,
    RESULTS,
    YOUTH_STATUS_YEAR,
    Tracks,
    World,
    daycare_code,
    draw_results,
    ninth_grade_groups,
    rest_factor,
    rng_for,
    school_code,
    split_counts,
    whole_pct_k,
    yearly_frame,
)
from demo.dates import add_months, age_on, day, uniform_dates, ymd
from demo.model import PLAN_AREAS_2025


def tracks(w: World) -> Tracks:
    rng = rng_for(w.pop, "school_tracks")
    n = len(w.key)
    by, bm, _ = ymd(w.birth)
    # Late-born children start a year later more often (skoleudsættelse).
    delay = np.where(rng.random(n) < np.where(bm >= 10, 0.15, 0.04), 1, 0)
    delay = np.where(rng.random(n) < 0.004, -1, delay)
    ever_area = (w.group[:, :] >= 0).any(axis=1) & ((w.group < N_AREAS) & (w.group >= 0)).any(axis=1)
    tenth = rng.random(n) < np.where(ever_area, 0.42, 0.50)
    special = rng.random(n) < np.where(ever_area, 0.06, 0.035)
    ability = rng.standard_normal(n)
    drive = rng.random(n)
    tr = Tracks(by + 6 + delay, tenth, special, ability, drive)
    calibrate_cohorts(w, tr, rng)
    calibrate_ninth_grade(w, tr, rng_for(w.pop, "school_tracks_hp2017"))
    return tr


def calibrate_ninth_grade(w: World, tr: Tracks, rng) -> None:
    """HP2017's 9th-grade measure: choose who goes on to 10th grade so that the number leaving for good
    after 9th grade in 2016 and 2018 allows the published whole-per-cent shares (k/n)."""
    for year, targets in T.NINTH_GRADE_YOUTH_EDU.items():
        if not isinstance(year, int) or not (w.first_year <= year <= w.last_year):
            continue
        for mask, pct in zip(ninth_grade_groups(w, year), targets):
            members = np.flatnonzero(mask & (tr.start + 10 == year))
            leavers = members[~tr.tenth[members]]
            n = len(leavers)
            # nearest feasible cohort size, preferring small moves
            for d in sorted(range(-min(n - 1, 12), 13), key=abs):
                if 0 < n + d <= len(members) and whole_pct_k(n + d, pct) is not None:
                    break
            if d < 0:
                tr.tenth[rng.choice(leavers, -d, replace=False)] = True
            elif d > 0:
                tr.tenth[rng.choice(members[tr.tenth[members]], d, replace=False)] = False


def _youth_edu_targets(w: World, status_year: int, spec: dict) -> dict[int, int]:
    """Cohort size per group code for one of the UU measures of ``status_year``."""
    out = {i: spec[a][0] for i, a in enumerate(PLAN_AREAS_2025)}
    if w.pop.config.is_full_scale:
        out[REST_CODE] = spec[T.RANDERS][0] - sum(spec[a][0] for a in PLAN_AREAS_2025)
    return out


def calibrate_cohorts(w: World, tr: Tracks, rng) -> None:
    """Choose who takes 10th grade (and, if that is not enough, who started school a year early
    or late) so that the stock of 1 January 2024 holds exactly the seed's numbers of persons
    leaving basic schooling in 2023 and in 2024, per area (and for Randers at full scale).

    Leaving year L = start + 10 + tenth. Persons are moved between L=2023, L=2024 and any other
    year at the smallest cost: flipping 10th grade costs 1, moving the school start by a year 3;
    the start stays within a year of the usual age (6 in the year of school start).
    """
    year = YOUTH_STATUS_YEAR
    if not (w.first_year <= year <= w.last_year):
        return
    g = w.group_in(year)
    alive = w.death > day(year, 10, 1)
    by = ymd(w.birth)[0]
    t23 = _youth_edu_targets(w, year, T.YOUTH_EDU_15_MONTHS)
    t24 = _youth_edu_targets(w, year, T.YOUTH_EDU_STARTED)
    lv23, lv24 = T.YOUTH_EDU_15_MONTHS["leaving_year"], T.YOUTH_EDU_STARTED["leaving_year"]
    for code in t23:
        members = np.flatnonzero((g == code) & alive & (np.abs(by + 16 - lv23) <= 3))
        targets = {lv23: t23[code], lv24: t24[code]}

        def count(L):
            return int((tr.start[members] + 10 + tr.tenth[members] == L).sum())

        # First swap between the two cohorts, then fill from / empty into other years.
        for src, dst in ((lv24, lv23), (lv23, lv24), (None, lv23), (None, lv24), (lv23, None), (lv24, None)):
            if dst is not None:
                k = targets[dst] - count(dst)
                if src is not None:
                    k = min(k, count(src) - targets[src])
            else:
                k = count(src) - targets[src]
            if k > 0:
                _move_leavers(rng, tr, members, by[members], src, dst, k, (lv23, lv24))


def _move_leavers(rng, tr: Tracks, members, birth_year, src, dst, k: int, fixed: tuple[int, int]) -> None:
    """Move ``k`` members from leaving year ``src`` (None: any year but ``fixed``) to ``dst``
    (None: the nearest year outside ``fixed``), cheapest first."""
    L = tr.start[members] + 10 + tr.tenth[members]
    cand = np.isin(L, fixed, invert=True) if src is None else L == src
    best_cost = np.full(len(members), np.inf)
    best_s, best_t = tr.start[members].copy(), tr.tenth[members].copy()
    for ds in (-1, 0, 1):
        for t in (False, True):
            s = birth_year + 6 + ds
            new_l = s + 10 + t
            ok = np.isin(new_l, fixed, invert=True) if dst is None else new_l == dst
            cost = 3 * np.abs(s - tr.start[members]) + (t != tr.tenth[members]) + rng.random(len(members)) * 0.5
            better = cand & ok & (cost < best_cost)
            best_cost = np.where(better, cost, best_cost)
            best_s = np.where(better, s, best_s)
            best_t = np.where(better, t, best_t)
    order = np.argsort(best_cost, kind="stable")
    chosen = order[: min(k, int(np.isfinite(best_cost).sum()))]
    tr.start[members[chosen]] = best_s[chosen]
    tr.tenth[members[chosen]] = best_t[chosen]


# -------------------------------------------------------------------------- sprogvurdering
LANGUAGE_YEAR = T.LANGUAGE_2023["year"]


def _language_targets(w: World) -> dict[int, np.ndarray]:
    out = {i: np.array(T.LANGUAGE_2023[a]) for i, a in enumerate(PLAN_AREAS_2025)}
    rest = np.array(T.LANGUAGE_2023[T.RANDERS]) - sum(out.values())
    if not w.pop.config.is_full_scale:
        rest = split_counts(int(round(rest.sum() / rest_factor(w.pop))), rest)
    out[REST_CODE] = rest
    return out


def _language_trend(year: int) -> float:
    # Assessments for a presumed need grew as the municipality's language work was built up.
    return float(np.interp(year, [2011, 2020, 2025], [0.7, 1.0, 1.02]))


def language_assessments(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "sprogvurdering")
    targets = _language_targets(w)
    area_pool = sum(targets[i] for i in range(N_AREAS)) / sum(targets[i].sum() for i in range(N_AREAS))
    probs = {}
    for code, t in targets.items():
        own = t / max(t.sum(), 1)
        probs[code] = own if code == REST_CODE else 0.5 * own + 0.5 * area_pool
    daycare = daycare_code(w)
    years = [LANGUAGE_YEAR] + [y for y in w.years if y != LANGUAGE_YEAR]  # 2023 first: sets the rates
    rate: dict[int, float] = {}
    frames = []
    for year in years:
        g = w.group_in(year)
        jan1, last = day(year), day(year, 12, 20)
        hi = np.minimum(np.minimum(last, add_months(w.birth, 84) - 1), w.death - 1)
        lo_norm = np.maximum(jan1, add_months(w.birth, 33))
        lo_ext = np.maximum(jan1, add_months(w.birth, 24))  # ALDER 2 is allowed by the contract
        norm = (g >= 0) & (lo_norm <= hi)
        ext = (g >= 0) & (lo_ext <= hi) & ~norm
        weight = np.where(w.nonwestern, 2.5, 1.0)
        picked, lo_used, result = [], [], []
        for code in range(len(GROUPS)):
            cand = np.flatnonzero(norm & (g == code))
            spare = np.flatnonzero(ext & (g == code))
            if year == LANGUAGE_YEAR:
                counts = targets[code]
                n = int(counts.sum())
                rate[code] = min(0.85, n / max(len(cand), 1))
            else:
                n = int(round(len(cand) * rate[code] * _language_trend(year) / _language_trend(LANGUAGE_YEAR)))
                counts = None
            if n > len(cand) + len(spare):
                if year == LANGUAGE_YEAR:
                    raise ValueError(f"sprogvurdering {year}: {GROUPS[code]} has {len(cand) + len(spare)} "
                                     f"children aged 2-6 in the stock, the seed needs {n}")
                n = len(cand) + len(spare)
            take = min(n, len(cand))
            p = weight[cand] / weight[cand].sum() if len(cand) else None
            sel = rng.choice(cand, take, replace=False, p=p) if take else cand[:0]
            lo = lo_norm[sel]
            if n > take:
                extra = rng.choice(spare, n - take, replace=False)
                sel, lo = np.concatenate([sel, extra]), np.concatenate([lo, lo_ext[extra]])
            if counts is None:
                counts = rng.multinomial(n, probs[code])
            picked.append(sel)
            lo_used.append(lo)
            result.append(rng.permutation(np.repeat(np.arange(3), counts)))
        sel = np.concatenate(picked)
        when = uniform_dates(rng, np.concatenate(lo_used), hi[sel])
        frames.append(yearly_frame(w, sel, year, VURDERINGSDATO=when, ALDER=age_on(w.birth[sel], when),
                             INSTITUTION_KODE=daycare[sel], AARSAG="Formodet behov",
                             RESULTAT=RESULTS[np.concatenate(result)]))
        # Every child turning 3 is assessed around the birthday ('Alle 3-årige') ...
        bday3 = add_months(w.birth, 36)
        three = np.flatnonzero((g >= 0) & (bday3 >= jan1) & (bday3 <= day(year, 12, 31)) & (rng.random(len(g)) < 0.88))
        when = np.minimum(bday3[three] + rng.integers(0, 90, len(three)), day(year, 12, 31))
        keep = when < w.death[three]
        three, when = three[keep], when[keep]
        frames.append(yearly_frame(w, three, year, VURDERINGSDATO=when, ALDER=3, INSTITUTION_KODE=daycare[three],
                             AARSAG="Alle 3-årige", RESULTAT=draw_results(rng, g[three], (0.70, 0.15, 0.15), (0.86, 0.09, 0.05))))
        # ... and every school starter in the autumn of 0. klasse ('Skolestart').
        start = np.flatnonzero((g >= 0) & (tr.start == year) & (rng.random(len(g)) < 0.93))
        when = uniform_dates(rng, np.full(len(start), day(year, 8, 20)), np.full(len(start), day(year, 10, 31)))
        keep = when < w.death[start]
        start, when = start[keep], when[keep]
        frames.append(yearly_frame(w, start, year, VURDERINGSDATO=when, ALDER=np.clip(age_on(w.birth[start], when), 2, 7),
                             INSTITUTION_KODE=school_code(w, start, g[start], 0),
                             AARSAG="Skolestart", RESULTAT=draw_results(rng, g[start], (0.66, 0.17, 0.17), (0.85, 0.09, 0.06))))
    df = pd.concat(frames, ignore_index=True)
    df["VURDERINGSDATO"] = pd.to_datetime(df["VURDERINGSDATO"])
    # One assessment per child and day; 'Formodet behov' rows come first and are kept.
    df = df.drop_duplicates(["PNR_PSEUDO", "VURDERINGSDATO"], keep="first")
    return df.sort_values(["_year", "VURDERINGSDATO", "PNR_PSEUDO"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------ afgangsprøver
GRADE_VALUES = np.array([-3, 0, 2, 4, 7, 10, 12])
GRADE_TEXT = np.array(["-3", "00", "02", "4", "7", "10", "12"], dtype=object)
GRADE_CUTS = np.array([-2.4, -1.8, -1.0, -0.2, 0.75, 1.7])
DISCIPLINES = (("Dansk", "Læsning"), ("Dansk", "Retskrivning"), ("Dansk", "Skriftlig fremstilling"),
               ("Dansk", "Mundtlig"), ("Matematik", "Færdighedsregning"), ("Matematik", "Problemløsning"))


def _exam_target(year: int) -> tuple[float, float]:
    """(areas, Randers) average for exams ending the school year ``year``/``year+1``; LBF's '2023'
    is the summer-2023 exams (school year 2022/23)."""
    if year + 1 in T.EXAM_AVERAGE:
        return T.EXAM_AVERAGE[year + 1]
    return 6.1 + 0.03 * (year - 2011), 7.0 + 0.02 * (year - 2011)


def _shift_for_mean(z: np.ndarray, target: float) -> float:
    """The shift of latent ability that makes the average grade ``target``."""
    shifts = np.linspace(-2.5, 2.5, 101)
    means = [GRADE_VALUES[np.searchsorted(GRADE_CUTS, z + s)].mean() for s in shifts]
    return float(np.interp(target, means, shifts))


def exams(w: World, tr: Tracks, absence: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for(w.pop, "afgangsproever")
    idx_of = pd.Index(w.key)
    frames = []
    for year, ab in absence[absence["KLASSETRIN"] == 9].groupby("_year"):
        # Pupils still registered at the end of the school year sit the exams.
        ab = ab[(ab["MAANEDER_INDSKREVET"] == 12) | ~ab["_calib"]]
        idx = idx_of.get_indexer(ab["PNR_PSEUDO"])
        area = ab["_group"].to_numpy() < N_AREAS
        base = (tr.ability[idx] - 0.8 * tr.special[idx] - 0.04 * (ab["_rate"].to_numpy() - 6)
                + 0.35 * rng.standard_normal(len(idx)))
        t_area, t_randers = _exam_target(int(year))
        scores = base[:, None] + 0.55 * rng.standard_normal((len(idx), len(DISCIPLINES)))
        ordinary = ~tr.special[idx]  # the averages leave special classes out
        for mask, target in ((area, t_area), (~area, t_randers + 0.1)):
            # Shift on the drawn scores themselves, so even a small year group hits its average.
            if (mask & ordinary).any():
                scores[mask] += _shift_for_mean(scores[mask & ordinary].ravel(), target)
        grades = GRADE_TEXT[np.searchsorted(GRADE_CUTS, scores)]
        sat = rng.random(grades.shape) > 0.02  # absent from a test now and then
        rows, cols = np.nonzero(sat)
        frames.append(pd.DataFrame({
            "PNR_PSEUDO": ab["PNR_PSEUDO"].to_numpy()[rows], "SKOLEAAR": ab["SKOLEAAR"].to_numpy()[rows],
            "SKOLE_KODE": ab["SKOLE_KODE"].to_numpy()[rows],
            "SPECIALKLASSE": np.where(tr.special[idx][rows], "J", "N"),
            "FAG": np.array([d[0] for d in DISCIPLINES], dtype=object)[cols],
            "DISCIPLIN": np.array([d[1] for d in DISCIPLINES], dtype=object)[cols],
            "KARAKTER": grades[rows, cols], "_year": int(year),
        }))
    return pd.concat(frames, ignore_index=True)
