"""Youth guidance (UU) and the youth school (ungdomsskole)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import (
    GROUPS,
    N_AREAS,
    REST_CODE,
    YOUTH_STATUS_YEAR,
    Tracks,
    World,
    ninth_grade_groups,
    rest_factor,
    rng_for,
    whole_pct_k,
    yearly_frame,
)
from demo.dates import age_on, day, uniform_dates, ymd
from demo.model import PLAN_AREAS_2025

# ------------------------------------------------------------------------------------- UU
EDUCATIONS = np.array(["STX", "HHX", "HTX", "HF", "EUD", "EUX"], dtype=object)


def _uu_rate(code: int, spec: dict, default_area: float, default_rest: float) -> float:
    if code == REST_CODE:
        n, k = spec[T.RANDERS]
        na = sum(spec[a][0] for a in PLAN_AREAS_2025)
        ka = sum(spec[a][1] for a in PLAN_AREAS_2025)
        return (k - ka) / (n - na) if n > na else default_rest
    n, k = spec[PLAN_AREAS_2025[code]]
    # Small cohorts: lean on the all-areas rate so other years are not extreme.
    pooled = sum(spec[a][1] for a in PLAN_AREAS_2025) / sum(spec[a][0] for a in PLAN_AREAS_2025)
    return (k + 10 * pooled) / (n + 10) if n else default_area


def youth_guidance(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "uu_vejledning")
    L = tr.leaving_year()
    nine = tr.start + 10  # year 9th grade is left
    edu = EDUCATIONS[np.searchsorted(np.cumsum([0.36, 0.10, 0.06, 0.05, 0.36, 0.07]), rng.random(len(L)) * 0.9999)]
    frames = []
    for year in w.years:
        g = w.group_in(year)
        status_day = day(year, 10, 1)
        idx = np.flatnonzero((g >= 0) & (w.death > status_day) & (((L <= year) & (L >= year - 4)) | ((nine == year) & tr.tenth)))
        grp = g[idx]
        in_tenth = L[idx] > year
        d = np.where(in_tenth, -1, year - L[idx])
        success = np.zeros(len(idx), dtype=bool)
        for dd, spec, area_p, rest_p in ((0, T.YOUTH_EDU_STARTED, 0.79, 0.87), (1, T.YOUTH_EDU_15_MONTHS, 0.77, 0.84)):
            for code in range(len(GROUPS)):
                sel = np.flatnonzero((d == dd) & (grp == code))
                if not len(sel):
                    continue
                exact = year == YOUTH_STATUS_YEAR and (code < N_AREAS or w.pop.config.is_full_scale)
                if exact:
                    k = spec[T.RANDERS if code == REST_CODE else PLAN_AREAS_2025[code]][1]
                    if code == REST_CODE:
                        k -= sum(spec[a][1] for a in PLAN_AREAS_2025)
                    k = min(k, len(sel))
                else:
                    p = _uu_rate(code, spec, area_p, rest_p) * (0.97 + 0.03 * (year - 2011) / 14)
                    k = int(round(min(p, 0.98) * len(sel)))
                # The most driven persons succeed, so statuses hang together over the years.
                success[sel[np.argsort(tr.drive[idx[sel]], kind="stable")[:k]]] = True
        if year in T.NINTH_GRADE_YOUTH_EDU:
            # HP2017: leavers after 9th grade, exact to the whole per cent (cohorts set in tracks()).
            for mask, pct in zip(ninth_grade_groups(w, year), T.NINTH_GRADE_YOUTH_EDU[year]):
                sel = np.flatnonzero((d == 0) & ~tr.tenth[idx] & mask[idx])
                k = whole_pct_k(len(sel), pct) if len(sel) else None
                if k is not None:
                    success[sel] = False
                    success[sel[np.argsort(tr.drive[idx[sel]], kind="stable")[:k]]] = True
        older = d >= 2
        p_old = np.where(grp == REST_CODE, 0.86, 0.74) - 0.03 * (d - 2)
        success[older] = tr.drive[idx[older]] < p_old[older]
        finished = success & (d >= 3) & (rng.random(len(idx)) < np.where(d == 3, 0.55, 0.8))
        status = np.where(success, "I ungdomsuddannelse", None).astype(object)
        status[finished] = "Fuldført ungdomsuddannelse"
        other = ~success & ~in_tenth
        u = rng.random(len(idx))
        first_year = d == 0
        status[other & first_year] = np.where(u[other & first_year] < 0.3, "I beskæftigelse",
                                             np.where(u[other & first_year] < 0.85, "Andet", "Ukendt"))
        later = other & ~first_year
        status[later] = np.where(u[later] < 0.35, "Afbrudt ungdomsuddannelse",
                                 np.where(u[later] < 0.6, "I beskæftigelse", np.where(u[later] < 0.9, "Andet", "Ukendt")))
        status[in_tenth] = "I 10. klasse"
        education = np.where(success, edu[idx], None).astype(object)
        education[(status == "Andet") & (u > 0.6)] = "FGU"
        frames.append(yearly_frame(
            w, idx, year, AFGANGSAAR=np.where(in_tenth, year, L[idx]),
            AFGANGSKLASSE=np.where(in_tenth | ~tr.tenth[idx], "9", "10"),
            STATUSDATO=pd.Timestamp(year, 10, 1), STATUS=status, UDDANNELSE=education,
        ))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------- ungdomsskole
YOUTH_SCHOOL_YEAR = 2024


def _youth_school_share(w: World, code: int, year: int, n_by_group: dict[int, int]) -> float:
    trend = float(np.interp(year, [2011, 2020, 2021, 2024, 2025], [0.9, 0.95, 0.85, 1.0, 1.0]))
    if code < N_AREAS:
        return T.YOUTH_SCHOOL_2024[PLAN_AREAS_2025[code]] / 100 * trend
    k = rest_factor(w.pop)
    na = sum(n_by_group.get(i, 0) for i in range(N_AREAS))
    nr = k * n_by_group.get(REST_CODE, 0)
    area_sum = sum(T.YOUTH_SCHOOL_2024[a] / 100 * trend * n_by_group.get(i, 0) for i, a in enumerate(PLAN_AREAS_2025))
    return (T.YOUTH_SCHOOL_2024[T.RANDERS] / 100 * trend * (na + nr) - area_sum) / nr if nr else 0.3


def _youth_school_exact_k(w: World, c: int, n: dict[int, int]) -> int:
    """Enrolled persons that print the published whole per cent (placements make the cohort fit, see
    ``_teen_placements``); the rest carries Randers Kommune at full scale."""
    Y = T.YOUTH_SCHOOL_2024
    if c < N_AREAS:
        return whole_pct_k(n[c], Y[PLAN_AREAS_2025[c]]) or int(round(Y[PLAN_AREAS_2025[c]] / 100 * n[c]))
    areas = sum(_youth_school_exact_k(w, a, n) for a in range(N_AREAS))
    return whole_pct_k(sum(n.values()), Y[T.RANDERS]) - areas


def youth_school_population(w: World, year: int, placed: np.ndarray) -> np.ndarray:
    """Who the ungdomsskole share counts, as the warehouse does: residents of 1 January who turn
    13-18 in the year, less those placed outside the home on 1 September (``placed``: bool per person)."""
    by = ymd(w.birth)[0]
    return (w.group_in(year) >= 0) & (by >= year - 18) & (by <= year - 13) & ~placed


def placed_on(w: World, placements_frame: pd.DataFrame, when: np.datetime64) -> np.ndarray:
    """Bool per person: a placement active on ``when``, each placement as its latest yearly file
    shows it (as the warehouse reads them: an earlier file's open copy is stale)."""
    placements_frame = (placements_frame.sort_values("_year", kind="stable")
                        .drop_duplicates(["PNR_PSEUDO", "START"], keep="last"))
    s = placements_frame["START"].to_numpy().astype("datetime64[D]")
    e = placements_frame["SLUT"].to_numpy().astype("datetime64[D]")
    on = (s <= when) & (np.isnat(e) | (e >= when))
    out = np.zeros(len(w.key), dtype=bool)
    out[pd.Index(w.key).get_indexer(placements_frame.loc[on, "PNR_PSEUDO"])] = True
    return out


def youth_school(w: World, placements_frame: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for(w.pop, "ungdomsskole")
    frames = []
    for year in w.years:
        g = w.group_in(year)
        sep1 = day(year, 9, 1)
        age = age_on(w.birth, sep1)
        counted = youth_school_population(w, year, placed_on(w, placements_frame, sep1))
        idx = np.flatnonzero(counted & (w.death > sep1))
        grp = g[idx]
        counts = {c: int((grp == c).sum()) for c in range(len(GROUPS))}
        n_counted = {c: int((counted & (g == c)).sum()) for c in range(len(GROUPS))}
        early = np.zeros(len(idx), dtype=bool)
        for c in range(len(GROUPS)):
            sel = np.flatnonzero(grp == c)
            k = int(round(np.clip(_youth_school_share(w, c, year, counts), 0, 0.95) * len(sel)))
            if year == YOUTH_SCHOOL_YEAR and (c < N_AREAS or w.pop.config.is_full_scale):
                k = _youth_school_exact_k(w, c, n_counted)
                k = min(k, len(sel))
            # Younger teenagers use the youth school most.
            wt = np.where(age[idx[sel]] <= 15, 2.0, 1.0)
            early[sel[rng.choice(len(sel), k, replace=False, p=wt / wt.sum())] if k else []] = True
        late = ~early & (rng.random(len(idx)) < 0.08)  # sign up during the year
        enrolled = early | late
        first_day = np.where(early, uniform_dates(rng, np.full(len(idx), day(year, 8, 5)), np.full(len(idx), sep1)),
                             uniform_dates(rng, np.full(len(idx), day(year, 9, 2)), np.full(len(idx), day(year + 1, 3, 31))))
        klub = rng.random(len(idx)) < 0.55
        fritid = ~klub | (rng.random(len(idx)) < 0.35)
        heltid = (grp < N_AREAS) & (age[idx] >= 14) & (age[idx] <= 16) & (rng.random(len(idx)) < 0.015)
        rows = []
        for offer, has, lag in (("Klub", klub, 0), ("Fritidsundervisning", fritid, 1), ("Heltidsundervisning", heltid, 2)):
            sel = np.flatnonzero(enrolled & has)
            # The first offer carries the first enrolment date; further offers come later.
            second = (offer != "Klub") & klub[sel] if lag else np.zeros(len(sel), dtype=bool)
            when = first_day[sel] + np.where(second, rng.integers(1, 60, len(sel)), 0)
            rows.append(yearly_frame(w, idx[sel], year, SKOLEAAR=f"{year}/{(year + 1) % 100:02d}", TILBUD=offer, TILMELDT=when))
        frames.extend(rows)
    df = pd.concat(frames, ignore_index=True)
    df["TILMELDT"] = pd.to_datetime(df["TILMELDT"])
    return df
