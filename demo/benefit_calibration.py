"""Calibration of Jobcenter Randers' benefits to the published job-centre figures.

``calibrate_benefits`` (run by ``population.simulate`` on the finished population) changes
``person_year``'s benefit rows, never anyone's attachment to the labour market, so DST's
measures stay as they are; the months below are then what the warehouse computes:
- outside the labour market, October 2023 - September 2024 (seed 003 lines 1954-1962, Randers
  17.7 % at full scale): first one level per area for every year (``_benefit_level``), so the
  published window sits on the area's trend: part-year spells of people outside employment run
  the whole year, a full-year spell runs on 1-11 months into a year without a benefit, and
  residents in a job or outside the labour force get a full-year sickness, unemployment or
  rehabilitation benefit, each step by a fixed draw per person and year below the area's
  threshold, the thresholds chosen so the published window comes out just under its share. Then
  ``_outside_window`` lands the window on the one-decimal share with the few remaining months;
  Energivej's head count in July 2024 (57 %, line 289) is set by the continuations' lengths and
  limits who may get a benefit reaching July;
- jobparate and aktivitetsparate on kontanthjælp over the same window (lines 1966-1972):
  recipients who are not mothers move to another benefit from 2023 on;
- førtidspension's share of the full-time persons on a benefit 2023 (Vangdalen 33 %, the others
  "omkring 40 %", lines 1928-1929): full-year benefits of people outside employment become
  førtidspension in every year for the persons whose draw is under the area's threshold (fitted
  to 2021-2025), and 2023 is made exact by the fewest persons starting or leaving it from 2023 on;
- 2017-21 plan (seed 000 lines 1128-1132, 1172): recipients of kontanthjælp or similar in 2018 and
  2019 per area and in Randers, and Randers' 7 % on førtidspension in 2019.
Spells are placed by a hash of person and year, so changing one row never moves another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import published_values as pv
from demo import targets_children as T
from demo.children_world import N_AREAS, rng_for, world
from demo.dates import age_on, day, jan1
from demo.jobcenter import KONTANTHJAELP, mothers_in, spread_benefits
from demo.keys import fixed_uniform
from demo.model import PLAN_AREAS_2025, Population

# Published job-centre figures (exact to the printed digits). The window October 2023 - September
# 2024 is the municipality's own 12-month monitoring (seed 003 lines 1954-1972; July 2024 line 289);
# the førtidspension shares are DST's Nøgletal 2023 (line 1928-1929, "omkring 40 %" except
# Vangdalen); the 2017-21 figures are seed 000 lines 1128-1132 (kontanthjælp recipients) and 1172
# (førtidspension, Randers 2019).
WINDOW_END_YEAR = 2024
WINDOW = f"{WINDOW_END_YEAR - 1}-10..{WINDOW_END_YEAR}-09"
# {area (and Randers, last: it makes up the rest): %}, read from the published-values seed
OUTSIDE_WINDOW = pv.by_area("HP2025_BESK_UDEN_FOR_ARBEJDSMARKEDET", WINDOW)
KONTANTHJAELP_WINDOW = pv.by_area("HP2025_BESK_KONTANTHJAELP", WINDOW)
MONTH_HEADCOUNT = {"ENV": (2024, 7, 0.57)}
FOERTIDSPENSION_SHARE = {"year": 2023, "VGD": 0.33, "default": 0.40}
RANDERS_FOERTIDSPENSION = {"year": 2019, "share": 0.07}
KONTANTHJAELP_RECIPIENTS = {2018: {"GJP": 164, "VGD": 85, "GLV": 163, T.RANDERS: 2776},
                            2019: {"GJP": 146, "VGD": 77, "GLV": 155, T.RANDERS: 2626}}
FP = "Førtidspension"
FLEX = "Fleksjob"
KH_LIKE = ("Kontanthjælp", "Uddannelseshjælp", "Selvforsørgelses- og hjemrejseydelse", "Overgangsydelse")
OTHER_BENEFITS = np.array(["Sygedagpenge", "Dagpenge", "Ressourceforløb", "Jobafklaring"], dtype=object)
AREA_CODE = {a: i for i, a in enumerate(PLAN_AREAS_2025)}


class _Benefits:
    """person_year's benefit columns as arrays, with a (person, year) -> row look-up."""

    def __init__(self, pop: Population):
        self.pop, self.w = pop, world(pop)
        py = pop.person_year
        self.pidx = pd.Index(self.w.key).get_indexer(py["person_key"])
        self.year = py["year"].to_numpy(dtype=np.int64)
        self.benefit = py["benefit"].astype(object).where(py["benefit"].notna(), None).to_numpy(dtype=object).copy()
        self.match = py["match_group"].astype(object).where(py["match_group"].notna(), None).to_numpy(dtype=object).copy()
        self.frac = py["fulltime_fraction"].to_numpy(dtype=float).copy()
        self.att = py["attachment"].astype(object).where(py["attachment"].notna(), None).to_numpy(dtype=object).copy()
        y0 = pop.config.first_year
        self.y0 = y0
        self.row_of = np.full((len(self.w.key), pop.config.last_year - y0 + 1), -1, np.int64)
        ok = (self.pidx >= 0) & (self.year >= y0) & (self.year <= pop.config.last_year)
        self.row_of[self.pidx[ok], self.year[ok] - y0] = np.flatnonzero(ok)

    def rows(self, persons: np.ndarray, year: int) -> np.ndarray:
        if year < self.y0 or year - self.y0 >= self.row_of.shape[1]:
            return np.full(len(persons), -1, np.int64)
        return self.row_of[persons, year - self.y0]

    def flush(self) -> None:
        py = self.pop.person_year
        for col, values in (("benefit", self.benefit), ("match_group", self.match), ("attachment", self.att)):
            py[col] = pd.Series(pd.array(values, dtype="str"), index=py.index)
        py["fulltime_fraction"] = self.frac

    def months(self) -> pd.DataFrame:
        self.flush()
        return spread_benefits(self.pop)

    def adults(self, year: int) -> tuple[np.ndarray, np.ndarray]:
        """(person indices, their group) of the 18-64-year-olds in the stock of 1 January ``year``."""
        g = self.w.group_in(year)
        a = age_on(self.w.birth, day(year, 1, 1))
        p = np.flatnonzero((g >= 0) & (a >= 18) & (a <= 64))
        return p, g[p]


def _target_groups(full_scale: bool, table: dict) -> list[tuple[str, int | None]]:
    """(label, group code) in order: the areas, then the rest (None), which makes Randers' figure."""
    out = [(a, AREA_CODE[a]) for a in PLAN_AREAS_2025 if a in table]
    if full_scale and T.RANDERS in table:
        out.append((T.RANDERS, None))
    return out


def calibrate_benefits(pop: Population) -> dict:
    """Adjust ``pop.person_year``'s benefit rows (type, full-time fraction) so that the published
    job-centre figures come out of the benefit months exactly, and return what was reached.
    Attachment to the labour market (DST's measures) is never changed: benefits are only moved
    between residents outside employment, or added as sickness/unemployment benefit to the employed."""
    if not (pop.config.first_year <= 2018 and pop.config.last_year >= WINDOW_END_YEAR + 1):
        return {}
    b = _Benefits(pop)
    rng = rng_for(pop, "jobcenter_calibration")
    full = pop.config.is_full_scale
    _recipients_hp2017(b, rng, full)
    _foertidspension_randers(b, rng, full)
    # the level first: the kontanthjælp moved by _kontanthjaelp_window keeps its part-year spells
    continued = _benefit_level(b, full)
    _kontanthjaelp_window(b, rng)
    _july_headcount(b, continued)
    _outside_window(b, rng, full)
    _foertidspension_share(b)
    b.flush()
    return benefit_report(pop)


def _recipients_hp2017(b: _Benefits, rng, full: bool) -> None:
    """Recipients of kontanthjælp or similar in the year (stock of 1 January), 2018 and 2019."""
    for y, table in KONTANTHJAELP_RECIPIENTS.items():
        g = b.w.group_in(y)
        p_all = np.flatnonzero(g >= 0)
        r_all = b.rows(p_all, y)
        has = r_all >= 0
        ben = np.where(has, b.benefit[np.maximum(r_all, 0)], None)
        fr = np.where(has, b.frac[np.maximum(r_all, 0)], 0.0)
        is_rec = np.isin(ben, KH_LIKE) & (fr > 0)
        for label, code in _target_groups(full, table):
            sel = (g[p_all] == code) if code is not None else (g[p_all] >= N_AREAS)
            k = table[label]
            if code is None:  # the rest: Randers minus the seven areas
                k = table[label] - int((is_rec & (g[p_all] < N_AREAS)).sum())
            cur = int((is_rec & sel).sum())
            if cur > k:  # move recipients to another benefit (still outside employment)
                pick = rng.permutation(np.flatnonzero(is_rec & sel))[: cur - k]
                rows = r_all[pick]
                b.benefit[rows] = OTHER_BENEFITS[rng.integers(0, 3, len(rows))]
                b.match[rows] = None
                is_rec[pick] = False
            elif cur < k:
                cand = np.flatnonzero(sel & has & ~is_rec & (fr > 0) & ~np.isin(ben, [FP, FLEX]) & pd.notna(ben))
                pick = rng.permutation(cand)[: k - cur]
                rows = r_all[pick]
                b.benefit[rows] = "Kontanthjælp"
                b.match[rows] = np.where(rng.random(len(rows)) < 0.65, "Aktivitetsparat", "Jobparat")
                is_rec[pick] = True


def _foertidspension_randers(b: _Benefits, rng, full: bool) -> None:
    """Randers Kommune 2019: 7 % of the 18-64-year-olds had førtidspension in some month."""
    if not full:
        return
    y = RANDERS_FOERTIDSPENSION["year"]
    p, g = b.adults(y)
    r = b.rows(p, y)
    ok = r >= 0
    p, g, r = p[ok], g[ok], r[ok]
    k = int(round(RANDERS_FOERTIDSPENSION["share"] * len(p)))
    cur = int(((b.benefit[r] == FP) & (b.frac[r] > 0)).sum())
    if cur >= k:
        return
    age = age_on(b.w.birth[p], day(y, 1, 1))
    # residents of the rest of Randers outside employment with a benefit that is not kontanthjælp-like
    cand = (g >= N_AREAS) & (age >= 40) & np.isin(b.att[r], ["benefit", "other"]) & ~np.isin(b.benefit[r], [*KH_LIKE, FP, FLEX])
    pick = p[rng.permutation(np.flatnonzero(cand))[: k - cur]]
    # førtidspension is lasting: it continues while the person stays outside employment (to 2022)
    alive = np.ones(len(pick), bool)
    for yy in range(y, WINDOW_END_YEAR - 1):
        rr = b.rows(pick, yy)
        ok = alive & (rr >= 0)
        ok[ok] = np.isin(b.att[rr[ok]], ["benefit", "other", "pension"]) & ~np.isin(b.benefit[rr[ok]], [*KH_LIKE, FLEX])
        alive = ok
        rr = rr[alive]
        b.benefit[rr], b.match[rr], b.frac[rr], b.att[rr] = FP, None, 1.0, "pension"


def _window_sums(months: pd.DataFrame, kh_only: bool) -> pd.Series:
    y = WINDOW_END_YEAR
    mo = months.MAANED.str.slice(5, 7).astype(int).to_numpy()
    inw = ((months._year.to_numpy() == y - 1) & (mo >= 10)) | ((months._year.to_numpy() == y) & (mo <= 9))
    keep = inw & (months.YDELSE != FLEX).to_numpy()
    if kh_only:
        keep &= (months.YDELSE == KONTANTHJAELP).to_numpy() & months.MATCHGRUPPE.isin(["Jobparat", "Aktivitetsparat"]).to_numpy()
    return months[keep]


def _kontanthjaelp_window(b: _Benefits, rng) -> None:
    """Jobparate and aktivitetsparate on kontanthjælp, full-time persons over the window, per area:
    recipients (not mothers, whose December is calibrated) move to another benefit from 2023 on."""
    months = b.months()
    win = _window_sums(months, kh_only=True)
    per_person = win.groupby("PNR_PSEUDO").FULDTIDSANDEL.sum()
    p, g = b.adults(WINDOW_END_YEAR)
    c = per_person.reindex(b.w.key[p]).fillna(0.0).to_numpy()
    # mothers' spells are placed by _place_mothers; the window holds months of both years
    mothers = np.isin(p, np.union1d(mothers_in(b.w, WINDOW_END_YEAR - 1), mothers_in(b.w, WINDOW_END_YEAR)))
    for area, pct in KONTANTHJAELP_WINDOW.items():
        sel = g == AREA_CODE[area]
        target = pct / 100 * 12 * sel.sum()
        excess = c[sel].sum() - target
        if excess <= 0:
            continue
        cand = np.flatnonzero(sel & ~mothers & (c > 0))
        cand = cand[np.argsort(-c[cand], kind="stable")]
        cum = np.cumsum(c[cand])
        n = int(np.searchsorted(cum, excess))  # the first n leave less than the excess
        chosen = list(cand[:n])
        rest = excess - (cum[n - 1] if n else 0.0)
        if n < len(cand) and rest > 0:  # the remainder: the recipient whose share is nearest to it
            others = cand[n:]
            chosen.append(others[np.argmin(np.abs(c[others] - rest))])
        pick = p[np.array(chosen, dtype=np.int64)]
        for yy in range(WINDOW_END_YEAR - 1, b.pop.config.last_year + 1):
            rr = b.rows(pick, yy)
            rr = rr[(rr >= 0)]
            rr = rr[b.benefit[rr] == KONTANTHJAELP]
            # one new benefit per person; Ressourceforløb is not any neighbouring year's benefit
            b.benefit[rr], b.match[rr] = "Ressourceforløb", None


# ------------------------------------------------------------------ the benefit level of every year
# The published window is reached by one level per area applied to every year, so it sits on the
# area's trend (``_benefit_level``); ``_outside_window`` then lands it on the printed decimal
# with what LEVEL_MARGIN leaves (a fraction of the window's person-months: a few per area).
LEVEL_MARGIN = 0.003
CONTINUATION_MONTHS = 11  # a full-year spell runs on 1-11 months into a year without a benefit
NEW_BENEFITS = {"job": np.array(["Sygedagpenge", "Dagpenge"], dtype=object),
                "other": np.array(["Ressourceforløb", "Jobafklaring"], dtype=object)}
NOT_LEVELLED = (KONTANTHJAELP, FP, FLEX)  # mothers, kontanthjælp and førtidspension have their own figures
FP_LEVEL_YEARS = 2  # the førtidspension level fits the published year and two on each side


def _draw(keys: np.ndarray, year: np.ndarray, step: int) -> np.ndarray:
    """A fixed uniform per person, year and step of the level (a hash), so a threshold per area
    picks the same kind of people in every year and changing one row never moves another."""
    return fixed_uniform(keys, year * 10 + step)


def _neighbour(b: _Benefits, pidx: np.ndarray, year: np.ndarray, step: int) -> np.ndarray:
    """The person_year row of the same person ``step`` years away (-1: none)."""
    y = year + step - b.y0
    ok = (y >= 0) & (y < b.row_of.shape[1])
    return np.where(ok, b.row_of[pidx, np.clip(y, 0, b.row_of.shape[1] - 1)], -1)


def _threshold(u: np.ndarray, gain: np.ndarray, need: float) -> tuple[float, float]:
    """(threshold, gain reached): the highest draw below which the rows' gains stay within ``need``."""
    if need <= 0 or not gain.size:
        return 0.0, 0.0
    order = np.argsort(u, kind="stable")
    cum = np.cumsum(gain[order])
    if cum[-1] <= need:
        return 1.0, float(cum[-1])
    i = int(np.searchsorted(cum, need, side="right"))
    return (float(u[order[i - 1]]), float(cum[i - 1])) if i else (0.0, 0.0)


def _benefit_level(b: _Benefits, full: bool) -> dict:
    """Raise the benefit level of each area (at full scale also the rest of Randers) in every year
    by three steps, each taken by the rows whose draw is under the area's threshold for it:
    1. part-year spells (not kontanthjælp, førtidspension or fleksjob; not a continuing spell of
       up to 9 months, which ``_outside_window`` may lengthen) run the whole year;
    2. a year without a benefit after a full-year spell continues it for 1-11 months;
    3. residents in a job or outside the labour force get a full-year benefit.
    The thresholds (a step is taken whole before the next) bring the published window to its share
    less LEVEL_MARGIN. Returns {row: months} of the continuations."""
    y = WINDOW_END_YEAR
    rows = np.flatnonzero((b.pidx >= 0) & (b.year >= b.y0))
    pidx, year = b.pidx[rows], b.year[rows]
    keys = b.w.key[pidx]
    group = np.full(len(rows), -1, np.int64)
    for yy in np.unique(year):
        sel = year == yy
        now, after = b.w.group_in(int(yy))[pidx[sel]], b.w.group_in(int(yy) + 1)[pidx[sel]]
        group[sel] = np.where(now >= 0, now, after)
    group = np.where(group >= N_AREAS, N_AREAS, group)  # the rest of Randers is one group
    age = age_on(b.w.birth[pidx], jan1(year))
    adult = (age >= 17) & (age <= 64)
    ben, frac, att = b.benefit[rows], b.frac[rows], b.att[rows]
    prev, nxt = _neighbour(b, pidx, year, -1), _neighbour(b, pidx, year, 1)
    prev_ben = np.where(prev >= 0, b.benefit[np.maximum(prev, 0)], None)
    next_ben = np.where(nxt >= 0, b.benefit[np.maximum(nxt, 0)], None)
    levelled = pd.notna(ben) & ~np.isin(ben, NOT_LEVELLED)
    short_continuing = (prev_ben == ben) & (np.ceil(np.round(12 * frac, 6)) <= 9)
    raise_ = adult & levelled & (frac < 1) & ~short_continuing
    raise_all = np.zeros(len(b.benefit), bool)
    raise_all[rows[raise_]] = True
    free = adult & pd.isna(ben) & np.isin(att, list(NEW_BENEFITS))
    prev_full = (prev >= 0) & ((b.frac[np.maximum(prev, 0)] == 1.0) | raise_all[np.maximum(prev, 0)])
    # a continuation never joins the next year's spell of the same benefit (that spell would move),
    # nor makes a recipient of kontanthjælp or similar (the 2017-21 plan counts them)
    cont = free & prev_full & pd.notna(prev_ben) & ~np.isin(prev_ben, [*NOT_LEVELLED, *KH_LIKE]) \
        & (next_ben != prev_ben)
    new = free & ~cont
    months = 1 + np.floor(_draw(keys, year, 4) * CONTINUATION_MONTHS)
    u = [_draw(keys, year, step) for step in (1, 2, 3)]

    # each row's gain in the published window (October y-1 - September y, stock of 1 January y)
    part = _window_sums(b.months(), kh_only=False).groupby("_row").FULDTIDSANDEL.sum()
    row_part = np.zeros(len(b.benefit))
    row_part[part.index.to_numpy()] = part.to_numpy()
    p, g = b.adults(y)
    window_group = np.full(len(b.w.key), -1, np.int64)
    window_group[p] = np.where(g >= N_AREAS, N_AREAS, g)
    in_window = (window_group[pidx] >= 0) & ((year == y - 1) | (year == y))
    whole = np.where(year == y, 9.0, 3.0)
    gains = [whole - row_part[rows], np.where(year == y, np.minimum(months, 9), np.maximum(months - 9, 0)), whole]
    current = pd.Series(row_part[rows][in_window]).groupby(window_group[pidx][in_window]).sum()
    theta = np.zeros((N_AREAS + 1, 3))
    reached = 0.0
    for label, code in _target_groups(full, OUTSIDE_WINDOW):
        wg = N_AREAS if code is None else code
        n = int((window_group[p] == wg).sum())
        target = OUTSIDE_WINDOW[label] / 100 * 12 * (len(p) if code is None else n) - (reached if code is None else 0)
        reached += target
        need = target - LEVEL_MARGIN * 12 * n - current.get(wg, 0.0)
        mine = in_window & (window_group[pidx] == wg)
        for step, sel in enumerate((raise_, cont, new)):
            theta[wg, step], got = _threshold(u[step][mine & sel], gains[step][mine & sel], need)
            need -= got
            if theta[wg, step] < 1.0:
                break
    take = [sel & (u[step] <= theta[group, step]) & (group >= 0) for step, sel in enumerate((raise_, cont, new))]
    b.frac[rows[take[0]]] = 1.0
    take[1] &= (prev >= 0) & (b.frac[np.maximum(prev, 0)] == 1.0)  # the spell before did fill its year
    r = rows[take[1]]
    b.benefit[r], b.match[r], b.frac[r] = prev_ben[take[1]], None, np.round(months[take[1]] / 12, 3)
    r = rows[take[2]]
    typ = np.where(att == "job", NEW_BENEFITS["job"][(u[2] * 1e3 % 1 < 0.5).astype(int)],
                   NEW_BENEFITS["other"][(u[2] * 1e3 % 1 < 0.5).astype(int)])
    # the new benefit is neither the year before's nor the year after's, so no neighbouring spell moves
    typ = np.where((typ == prev_ben) | (typ == next_ben), "Revalidering", typ)
    b.benefit[r], b.match[r], b.frac[r] = typ[take[2]], None, 1.0
    for r in (rows[take[1]], rows[take[2]]):
        b.att[r] = np.where(b.att[r] == "other", "benefit", b.att[r])
    return dict(zip(rows[take[1]].tolist(), months[take[1]].tolist()))


def _july_headcount(b: _Benefits, continued: dict) -> None:
    """Energivej's head count in July 2024 (MONTH_HEADCOUNT): continuations of 2024 end in June
    or reach July (the fewest months moved), so the month prints the published share."""
    for area, (y, month, share) in MONTH_HEADCOUNT.items():
        p, g = b.adults(y)
        p = p[g == AREA_CODE[area]]
        months = b.months()
        on = months[(months.MAANED == f"{y}-{month:02d}") & (months.YDELSE != FLEX)].PNR_PSEUDO.unique()
        diff = int(round(share * len(p))) - int(pd.Index(b.w.key[p]).isin(on).sum())
        r = b.rows(p, y)
        r = r[(r >= 0)]
        r = r[np.isin(r, list(continued))]
        m = np.array([continued[i] for i in r])
        if diff < 0:  # the shortest that reach July end in June
            pick = r[m >= month][np.argsort(m[m >= month], kind="stable")][:-diff]
            b.frac[pick] = np.round((month - 1) / 12, 3)
        elif diff > 0:  # the longest that end before July reach it
            pick = r[m < month][np.argsort(-m[m < month], kind="stable")][:diff]
            b.frac[pick] = np.round(month / 12, 3)


def _outside_window(b: _Benefits, rng, full: bool) -> None:
    """Full-time persons on a benefit (not fleksjob) over the window per 18-64-year-old: spells of
    people outside employment run the whole year, employed people get sickness or unemployment
    benefit, and continuing spells are lengthened to land on the published share."""
    y = WINDOW_END_YEAR
    months = b.months()
    win = _window_sums(months, kh_only=False)
    part = win.groupby("_row").FULDTIDSANDEL.sum()
    p, g = b.adults(y)
    r23, r24, r25 = b.rows(p, y - 1), b.rows(p, y), b.rows(p, y + 1)
    row_part = np.zeros(len(b.benefit))
    row_part[part.index.to_numpy()] = part.to_numpy()

    def col(arr, r, fill):
        return np.where(r >= 0, arr[np.maximum(r, 0)], fill)

    ben23, ben24, ben25 = col(b.benefit, r23, None), col(b.benefit, r24, None), col(b.benefit, r25, None)
    f24 = col(b.frac, r24, 0.0)
    part23, part24 = col(row_part, r23, 0.0), col(row_part, r24, 0.0)
    person_sum = part23 + part24
    july = months[(months.MAANED == "2024-07") & (months.YDELSE != FLEX)].PNR_PSEUDO.unique()
    in_july = pd.Index(b.w.key[p]).isin(july)
    fixed = np.isin(ben24, ["Kontanthjælp", FP, FLEX]) | np.isin(ben23, ["Kontanthjælp", FLEX])
    prev_same = (ben24 == ben23) & pd.notna(ben24)
    # adjustable: a 2024 spell continuing from 2023 and shorter than 9 months lies within January-September
    tune = prev_same & ~fixed & (f24 > 0) & (np.ceil(np.round(12 * f24, 6)) <= 9)
    reached = 0.0
    for label, code in _target_groups(full, OUTSIDE_WINDOW):
        sel = (g == code) if code is not None else (g >= N_AREAS)
        if code is None:
            target = OUTSIDE_WINDOW[label] / 100 * 12 * len(p) - reached
        else:
            target = OUTSIDE_WINDOW[label] / 100 * 12 * sel.sum()
        need = target - person_sum[sel].sum()
        heads = None
        if label in MONTH_HEADCOUNT:
            heads = int(round(MONTH_HEADCOUNT[label][2] * sel.sum())) - int(in_july[sel].sum())
        # 1. raise spells of 2023 and 2024 (not kontanthjælp, førtidspension, fleksjob) to the whole year
        gains, rows, persons = [], [], []
        for r, full_part, cur in ((r23, 3.0, part23), (r24, 9.0, part24)):
            ok = sel & (r >= 0) & ~tune & ~np.isin(col(b.benefit, r, None), ["Kontanthjælp", FP, FLEX]) \
                & pd.notna(col(b.benefit, r, None)) & (col(b.frac, r, 1.0) < 1.0)
            gains.append(full_part - cur[ok])
            rows.append(r[ok])
            persons.append(np.flatnonzero(ok))
        gains, rows, persons = np.concatenate(gains), np.concatenate(rows), np.concatenate(persons)
        # a raised 2024 spell reaches July: with a head-count target, raise those already counted first
        prio = -gains + (0 if heads is None else 100.0 * ~in_july[persons])
        order = np.argsort(prio, kind="stable")
        cum = np.cumsum(gains[order])
        n = int(np.searchsorted(cum, need, side="right"))
        take = order[:n]
        if heads is not None:  # never raise past the head count
            new_heads = np.cumsum(~in_july[persons[take]] & (rows[take] == r24[persons[take]]))
            take = take[new_heads <= max(heads, 0)]
        b.frac[rows[take]] = 1.0
        got = gains[take].sum()
        counted = in_july.copy()
        counted[persons[take][rows[take] == r24[persons[take]]]] = True
        # 2. employed or other residents without a benefit in 2024: a benefit the whole year (9 months in the window)
        rem = need - got
        free = sel & (r24 >= 0) & pd.isna(ben24) & np.isin(col(b.att, r24, None), ["job", "other"])
        n_add = int(max(rem // 9, 0))
        if heads is not None:
            n_add = min(n_add, max(int(heads - (counted[sel].sum() - in_july[sel].sum())), 0))
        cand = np.flatnonzero(free)[:0] if n_add == 0 else rng.permutation(np.flatnonzero(free))
        typ = np.where(col(b.att, r24, None)[cand] == "job", OTHER_BENEFITS[rng.integers(0, 2, len(cand))],
                       OTHER_BENEFITS[2 + rng.integers(0, 2, len(cand))])
        # the new benefit is not the 2023 or 2025 one, so no neighbouring spell moves
        cand = cand[(typ != ben23[cand]) & (typ != ben25[cand])][:n_add]
        typ = np.where(col(b.att, r24, None)[cand] == "job", OTHER_BENEFITS[rng.integers(0, 2, len(cand))],
                       OTHER_BENEFITS[2 + rng.integers(0, 2, len(cand))])
        typ = np.where((typ == ben23[cand]) | (typ == ben25[cand]), "Revalidering", typ)
        rr = r24[cand]
        b.benefit[rr], b.match[rr], b.frac[rr] = typ, None, 1.0
        b.att[rr] = np.where(b.att[rr] == "other", "benefit", b.att[rr])
        ben24[cand] = typ
        rem -= 9.0 * len(cand)
        if heads is not None and rem > 0:
            # 2b. with a head count to keep: spells that filled 2023 continue into January-June 2024
            f23 = col(b.frac, r23, 0.0)
            cont = np.flatnonzero(sel & (r24 >= 0) & pd.isna(ben24) & (f23 == 1.0) & pd.notna(ben23)
                                  & ~np.isin(ben23, ["Kontanthjælp", FP, FLEX]))
            n_c = min(int(np.ceil(rem / 6)), cont.size)
            cont = cont[:n_c]
            ext = np.full(n_c, 6.0)
            if n_c:
                ext[-1] = rem - 6.0 * (n_c - 1) if rem < 6.0 * n_c else 6.0
            rr = r24[cont]
            b.benefit[rr], b.match[rr], b.frac[rr] = ben23[cont], None, np.round(ext / 12, 3)
            rem -= ext.sum()
        # 3. the remainder: lengthen continuing spells within January-September (window part = 12 f)
        tc = np.flatnonzero(sel & tune)
        if rem > 0 and tc.size:
            # with a head count to keep, spells not yet reaching July stop in June
            room = np.clip((9.0 if heads is None else np.where(in_july[tc], 9.0, 6.0)) - 12 * f24[tc], 0, None)
            cum = np.cumsum(room)
            k = int(np.searchsorted(cum, rem))
            add = np.zeros(tc.size)
            add[:k] = room[:k]
            if k < tc.size:
                add[k] = rem - (cum[k - 1] if k else 0.0)
            b.frac[r24[tc]] = np.round(f24[tc] + add / 12, 3)
        if code is not None:
            reached += target


def _foertidspension_share(b: _Benefits) -> None:
    """Førtidspension's share of the full-time persons on a benefit, one level per area for every
    year: the full-year benefits (not kontanthjælp or similar, not fleksjob) of people from 30 outside
    employment become førtidspension when the person's draw (one per person, so the pension lasts)
    is under the area's threshold, chosen so 2023 (stock 2023) prints the published share. A row
    whose neighbouring year continues the same benefit part-year is left, so no spell moves."""
    y = FOERTIDSPENSION_SHARE["year"]
    rows = np.flatnonzero((b.pidx >= 0) & (b.year >= b.y0))
    pidx, year = b.pidx[rows], b.year[rows]
    ben, fr, att = b.benefit[rows], b.frac[rows], b.att[rows]
    prev, nxt = _neighbour(b, pidx, year, -1), _neighbour(b, pidx, year, 1)

    def moves(n):  # the neighbouring row continues the benefit part-year
        return (n >= 0) & (b.benefit[np.maximum(n, 0)] == ben) & (b.frac[np.maximum(n, 0)] < 1.0)

    age = age_on(b.w.birth[pidx], jan1(year))
    ok = (fr == 1.0) & pd.notna(ben) & ~np.isin(ben, [*KH_LIKE, FP, FLEX]) & (att != "job") & (age >= 18) \
        & (age <= 64) & ~moves(prev) & ~moves(nxt)
    group = np.full(len(rows), -1, np.int64)
    for yy in np.unique(year):
        sel = year == yy
        group[sel] = b.w.group_in(int(yy))[pidx[sel]]
    u = _draw(b.w.key[pidx], np.zeros(len(rows), np.int64), 5)
    # per year around the published one: full-time persons on a benefit and on førtidspension of
    # the stock's 18-64-year-olds, and which rows count (stock of 1 January, area)
    years = range(y - FP_LEVEL_YEARS, y + FP_LEVEL_YEARS + 1)
    counted_group = np.full(len(b.benefit), -1, np.int64)
    totals = {}
    for yy in years:
        p, g = b.adults(yy)
        r = b.rows(p, yy)
        p, g, r = p[r >= 0], g[r >= 0], r[r >= 0]
        c = (b.frac[r] > 0) & pd.notna(b.benefit[r]) & (b.benefit[r] != FLEX)
        counted_group[r[c]] = g[c]
        totals[yy] = (pd.Series(b.frac[r[c]]).groupby(g[c]).sum(),
                      pd.Series(b.frac[r[c]] * (b.benefit[r[c]] == FP)).groupby(g[c]).sum())
    in_area = counted_group[rows]
    theta = np.zeros(N_AREAS)
    for area in PLAN_AREAS_2025:
        code = AREA_CODE[area]
        share = FOERTIDSPENSION_SHARE.get(area, FOERTIDSPENSION_SHARE["default"])
        cand = np.flatnonzero(ok & (in_area == code) & (year >= years[0]) & (year <= years[-1]))
        cand = cand[np.argsort(u[cand], kind="stable")]
        all_ft = np.array([totals[yy][0].get(code, np.nan) for yy in years])
        fp_ft = np.array([totals[yy][1].get(code, 0.0) for yy in years])
        gained = np.zeros((len(cand) + 1, len(years)))
        gained[np.arange(1, len(cand) + 1), year[cand] - years[0]] = fr[cand]
        mean_share = np.nanmean((fp_ft + np.cumsum(gained, axis=0)) / all_ft, axis=1)
        i = int(np.argmin(np.abs(mean_share - share)))  # the mean share nearest the published one
        theta[code] = u[cand[i - 1]] if i else -1.0
    take = ok & (group >= 0) & (group < N_AREAS)
    take[take] = u[take] <= theta[group[take]]
    r = rows[take]
    b.benefit[r], b.match[r], b.att[r] = FP, None, "pension"
    _foertidspension_year(b, rows[ok], u[ok], theta, ben[ok])


def _foertidspension_year(b: _Benefits, rows: np.ndarray, u: np.ndarray, theta: np.ndarray,
                          before: np.ndarray) -> None:
    """The published year exactly: the persons next above an area's threshold get førtidspension
    from that year on, or those just under it leave it then (the fewest that print the share)."""
    y = FOERTIDSPENSION_SHARE["year"]
    p, g = b.adults(y)
    r = b.rows(p, y)
    p, g, r = p[r >= 0], g[r >= 0], r[r >= 0]
    c = (b.frac[r] > 0) & pd.notna(b.benefit[r]) & (b.benefit[r] != FLEX)
    year, pidx = b.year[rows], b.pidx[rows]
    for area in PLAN_AREAS_2025:
        code = AREA_CODE[area]
        share = FOERTIDSPENSION_SHARE.get(area, FOERTIDSPENSION_SHARE["default"])
        sel = c & (g == code)
        need = share * b.frac[r[sel]].sum() - b.frac[r[sel][b.benefit[r[sel]] == FP]].sum()
        k = int(round(need))  # whole full-time persons (full-year rows)
        own = (year == y) & np.isin(rows, r[sel])
        if k > 0:
            persons = pidx[own & (u > theta[code])][np.argsort(u[own & (u > theta[code])], kind="stable")][:k]
            change, to = np.isin(pidx, persons) & (year >= y), FP
        elif k < 0:
            under = own & (u <= theta[code])
            persons = pidx[under][np.argsort(-u[under], kind="stable")][:-k]
            change, to = np.isin(pidx, persons) & (year >= y), None
        else:
            continue
        rr = rows[change]
        b.benefit[rr] = FP if to is not None else before[change]
        b.att[rr] = "pension" if to is not None else np.where(b.att[rr] == "pension", "benefit", b.att[rr])
        b.match[rr] = None


def benefit_report(pop: Population) -> dict:
    """The calibrated figures as the warehouse computes them (areas; 'RANDERS' = all)."""
    b = _Benefits(pop)
    months = spread_benefits(pop)
    out = {}
    p, g = b.adults(WINDOW_END_YEAR)
    keys = pd.Index(b.w.key[p])
    for name, kh in (("outside", False), ("kontanthjaelp", True)):
        s = _window_sums(months, kh).groupby("PNR_PSEUDO").FULDTIDSANDEL.sum().clip(upper=12)
        v = s.reindex(keys).fillna(0.0).to_numpy()
        out[name] = {a: round(100 * v[g == AREA_CODE[a]].sum() / 12 / (g == AREA_CODE[a]).sum(), 2) for a in PLAN_AREAS_2025}
        out[name][T.RANDERS] = round(100 * v.sum() / 12 / len(p), 2)
    jul = months[(months.MAANED == "2024-07") & (months.YDELSE != FLEX)].PNR_PSEUDO.unique()
    inj = keys.isin(jul)
    out["july_2024"] = {a: round(100 * inj[g == AREA_CODE[a]].mean(), 2) for a in PLAN_AREAS_2025}
    return out
