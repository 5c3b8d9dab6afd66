"""School absence (skolefravær), calibrated to the published shares and days."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.children_world import (
    GROUPS,
    HP2017_CODES,
    INSTITUTIONS,
    N_AREAS,
    REST_CODE,
    Tracks,
    World,
    grade_in,
    rest_factor,
    rng_for,
    school_code,
    yearly_frame,
)
from demo.dates import day, ymd
from demo.model import PLAN_AREAS_2025

# ----------------------------------------------------------------------------- skolefravær
ABSENCE_YEAR = T.ABSENCE_2023["year"]
# The last school year delivered is the last one ended by the extract date (DemoConfig.last_school_year):
# 2024/25 for the vintage of 31 December 2025, 2025/26 for 31 October 2026. It is drawn last, on
# the stock of 1 January of its first year like every school year, so earlier years never move.


def _absence_trend(year: int) -> float:
    """Absence relative to 2023/24: lower before covid, a peak in 2021/22 (national pattern)."""
    return float(np.interp(year, [2011, 2019, 2020, 2021, 2022, 2023, 2024], [0.78, 0.86, 0.84, 1.06, 1.03, 1.0, 0.98]))


def _calibrated_rates(rng, months: np.ndarray, mean: float, share: float, risk: np.ndarray) -> np.ndarray:
    """Absence rates (%) whose months-weighted mean is ``mean`` and of which round(share × N) exceed 10 %."""
    n = len(months)
    if n == 0:
        return np.zeros(0)
    k = int(round(share / 100 * n))
    high = np.zeros(n, dtype=bool)
    p = risk / risk.sum()
    high[rng.choice(n, k, replace=False, p=p)] = True
    low_r = 9.8 * rng.beta(1.3, 2.2, n)
    excess = rng.gamma(1.3, 6.0, n) + 0.05
    m = months.astype(float)
    M = m.sum()
    base_high = 10.1
    lo_sum = (m * low_r)[~high].sum()
    need = mean * M - base_high * m[high].sum()
    ex_sum = (m * excess)[high].sum()
    if k and need - lo_sum > 0.2 * ex_sum:
        a = (need - lo_sum) / ex_sum
        rates = np.where(high, base_high + a * excess, low_r)
    else:  # the share alone nearly reaches the mean: keep the high group low, scale the low group
        rates = np.where(high, base_high + 0.2 * excess, low_r)
        rest = mean * M - (m * rates)[high].sum()
        if lo_sum > 0:
            rates = np.where(high, rates, np.minimum(low_r * max(rest, 0) / lo_sum, 9.8))
    # Nobody misses more than 95 % of the days; the mean is restored when days are rounded.
    return np.minimum(rates, 95.0)


def _absence_targets(w: World, year: int, months_by_group: dict[int, float], n_by_group: dict[int, int]):
    f = _absence_trend(year)
    mean = {i: T.ABSENCE_2023["mean"][a] * f for i, a in enumerate(PLAN_AREAS_2025)}
    share = {i: min(T.ABSENCE_2023["above_10"][a] * f ** 1.3, 60.0) for i, a in enumerate(PLAN_AREAS_2025)}
    k = rest_factor(w.pop)
    Ma = sum(months_by_group.get(i, 0) for i in range(N_AREAS))
    Na = sum(n_by_group.get(i, 0) for i in range(N_AREAS))
    Mr, Nr = k * months_by_group.get(REST_CODE, 0), k * n_by_group.get(REST_CODE, 0)
    if Mr:
        R_mean = T.ABSENCE_2023["mean"][T.RANDERS] * f
        R_share = T.ABSENCE_2023["above_10"][T.RANDERS] * f ** 1.3
        mean[REST_CODE] = (R_mean * (Ma + Mr) - sum(mean[i] * months_by_group.get(i, 0) for i in range(N_AREAS))) / Mr
        share[REST_CODE] = (R_share * (Na + Nr) - sum(share[i] * n_by_group.get(i, 0) for i in range(N_AREAS))) / Nr
    return mean, share


def school_absence(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "skolefravaer")
    n = len(w.key)
    frames = []
    for year in range(w.first_year, min(w.last_year, w.pop.config.last_school_year) + 1):
        grade = grade_in(tr, year)
        g0, g1 = w.group_in(year), w.group_in(year + 1)
        if year + 1 > w.last_year:
            g1 = g0
        pupil = (grade >= 0) & (w.death > day(year, 8, 1))
        moved_day = day(year) + rng.integers(0, 365, n)  # when a leaver left / an arrival came
        _, moved_month, _ = ymd(moved_day)
        months = np.zeros(n, dtype=np.int64)
        stay = pupil & (g0 >= 0) & (g1 >= 0)
        months[stay] = 12
        left = pupil & (g0 >= 0) & (g1 < 0) & (moved_month >= 8)
        months[left] = moved_month[left] - 7
        came = pupil & (g0 < 0) & (g1 >= 0)
        months[came] = np.where(moved_month[came] <= 8, 12, 20 - moved_month[came])
        # A few pupils change school within the year and so have fewer months at this one.
        part = stay & (rng.random(n) < 0.03)
        months[part] = rng.integers(3, 12, part.sum())
        idx = np.flatnonzero(months > 0)
        group = np.where(g0[idx] >= 0, g0[idx], REST_CODE)  # arrivals behave like the rest of Randers
        calib = g0[idx] >= 0
        m = months[idx]
        mg = {c: float(m[calib & (group == c)].sum()) for c in range(len(GROUPS))}
        ng = {c: int((calib & (group == c)).sum()) for c in range(len(GROUPS))}
        risk = 1.0 + 0.08 * grade[idx] + 0.6 * tr.special[idx] + 0.4 * w.nonwestern[idx]
        rates = np.zeros(len(idx))
        exact = []
        if year == ABSENCE_YEAR:
            # The published year: months are trimmed so that the months-weighted shares hit the seed.
            exact = _exact_absence_year(w, rng, m, risk, calib, group, rates)
            mg = {c: float(m[calib & (group == c)].sum()) for c in range(len(GROUPS))}
        mean, share = _absence_targets(w, year, mg, ng)
        for c in range(len(GROUPS)):
            sel = np.flatnonzero(calib & (group == c))
            if c not in exact:
                rates[sel] = _calibrated_rates(rng, m[sel], mean[c], share[c], risk[sel])
            new = np.flatnonzero(~calib & (group == c))
            rates[new] = _calibrated_rates(rng, m[new], mean[c], share[c], risk[new])
        days_full = 200 + (year % 3) - 1
        school_days = np.maximum(1, np.round(days_full * m / 12)).astype(np.int64)
        absent = _absence_days(rng, rates, school_days, m, {c: mean[c] for c in mean}, group, calib)
        if year in T.ABSENCE_DAYS:
            rates = _exact_absence_days(w, rng, absent, school_days, rates, idx, grade[idx], group, calib, year)
        ill, lawful, unlawful = _split_absence(rng, absent, group)
        frames.append(yearly_frame(
            w, idx, year, SKOLEAAR=f"{year}/{(year + 1) % 100:02d}",
            SKOLE_KODE=school_code(w, idx, group, grade[idx]), KLASSETRIN=grade[idx], SKOLEDAGE=school_days,
            MAANEDER_INDSKREVET=m, FRAVAER_SYGDOM=ill / 10, FRAVAER_LOVLIGT=lawful / 10, FRAVAER_ULOVLIGT=unlawful / 10,
            _rate=rates, _group=group, _calib=calib,
        ))
    return pd.concat(frames, ignore_index=True)


def _months_trim(sums: np.ndarray, cond, caps: np.ndarray) -> np.ndarray | None:
    """Fewest months to take from each of the pupil groups (very high, high, low absence) with
    sums ``sums`` so that ``cond(very_high, high, low)`` holds; None when no trim of up to ``caps`` does."""
    grids = np.meshgrid(*[np.arange(min(int(c), lim) + 1) for c, lim in zip(caps, (25, 25, 80))], indexing="ij")
    d = np.stack([g.ravel() for g in grids], axis=1)
    ok = cond(sums[0] - d[:, 0], sums[1] - d[:, 1], sums[2] - d[:, 2])
    if not ok.any():
        return None
    cand = d[ok]
    return cand[np.argmin(cand.sum(axis=1))]


def _take_months(rng, m: np.ndarray, members: np.ndarray, total: int) -> None:
    """Take ``total`` months from ``members`` (pupils who changed school during the year), 3 months kept at least."""
    for i in rng.permutation(members):
        if total <= 0:
            break
        cut = min(total, int(m[i]) - 3)
        if cut > 0:
            m[i] -= cut
            total -= cut


def _exact_absence_year(w: World, rng, m, risk, calib, group, rates) -> list[int]:
    """Rates of the published school year for pupils in the stock: per area, the months-weighted
    share above 10 % (and 15 % where published) and the months-weighted mean hit the seed, and so
    does Randers Kommune at full scale. ``m`` is trimmed in place."""
    A = T.ABSENCE_2023
    # 'Alle 7 boligområder' (33,3 % above 10 %) is not a target: the area shares weighted by any
    # plausible pupil numbers give about 32,7 % (seed row marked inconsistent).
    order = list(range(N_AREAS)) + ([REST_CODE] if w.pop.config.is_full_scale else [])
    done = np.zeros(3)  # months (very high, high, low) of the groups already calibrated
    area_k = np.zeros(2, dtype=np.int64)  # pupils above 10 % and above 15 % in the areas
    for c in order:
        sel = np.flatnonzero(calib & (group == c))
        if not len(sel):
            continue
        name = T.RANDERS if c == REST_CODE else PLAN_AREAS_2025[c]
        t10, t15 = A["above_10"][name], A["above_15"].get(name)
        n = len(sel)
        p = risk[sel] / risk[sel].sum()
        if c == REST_CODE:  # the rest carries what Randers needs beyond the areas
            n_all = n + sum(int((calib & (group == a)).sum()) for a in range(N_AREAS))
            k10 = int(round(t10 / 100 * n_all)) - int(area_k[0])
        else:
            k10 = int(round(t10 / 100 * n))
        high = np.zeros(n, dtype=bool)
        high[rng.choice(n, min(max(k10, 0), n), replace=False, p=p)] = True
        vhigh = np.zeros(n, dtype=bool)
        k15 = int(round((t15 if t15 is not None else 0.55 * t10) / 100 * n)) if c != REST_CODE else \
            int(round(t15 / 100 * n_all)) - int(area_k[1])
        hi_idx = np.flatnonzero(high)
        vhigh[hi_idx[rng.choice(len(hi_idx), min(max(k15, 0), len(hi_idx)), replace=False)]] = True
        mm = m[sel]
        sums = np.array([mm[vhigh].sum(), mm[high & ~vhigh].sum(), mm[~high].sum()], dtype=float)
        base = done.copy()

        def cond(v, h, lo, t10=t10, t15=t15, c=c, base=base):
            ok = _rounds_to_vec(v + h, v + h + lo, t10) if c != REST_CODE else \
                _rounds_to_vec(base[0] + base[1] + v + h, base.sum() + v + h + lo, t10)
            if t15 is not None:
                ok &= _rounds_to_vec(v, v + h + lo, t15) if c != REST_CODE else \
                    _rounds_to_vec(base[0] + v, base.sum() + v + h + lo, t15)
            return ok

        caps = np.array([(mm[g] - 3).clip(0).sum() for g in (vhigh, high & ~vhigh, ~high)])
        trim = _months_trim(sums, cond, caps)
        if trim is None:
            raise ValueError(f"skolefravær {ABSENCE_YEAR}: no months trim reproduces {name}")
        for g, d in zip((vhigh, high & ~vhigh, ~high), trim):
            _take_months(rng, mm, np.flatnonzero(g), int(d))
        m[sel] = mm
        done += np.array([mm[vhigh].sum(), mm[high & ~vhigh].sum(), mm[~high].sum()])
        if c < N_AREAS:
            area_k += np.array([high.sum(), vhigh.sum()])
        # Rates: low below 10 %, high 10-15 %, very high above 15 %, scaled to the months-weighted mean.
        if c == REST_CODE:
            M_all = done.sum()
            target = (A["mean"][T.RANDERS] * M_all - sum(A["mean"][a] * m[calib & (group == i)].sum()
                                                          for i, a in enumerate(PLAN_AREAS_2025))) / mm.sum()
        else:
            target = A["mean"][name]
        r = np.where(high, rng.uniform(10.3, 14.6, n), 9.6 * rng.beta(1.3, 2.2, n))
        excess = rng.gamma(1.3, 6.0, n) + 0.05
        need = target * mm.sum() - (mm * r)[~vhigh].sum() - 15.4 * mm[vhigh].sum()
        ex = (mm * excess)[vhigh].sum()
        if need >= 0 and ex > 0:
            r = np.where(vhigh, 15.4 + need / ex * excess, r)
        else:  # the shares alone pass the mean: keep the very high group low, scale the low group down
            r = np.where(vhigh, 15.4 + 0.2 * excess, r)
            low_sum = (mm * r)[~high].sum()
            rest = target * mm.sum() - (mm * r)[high].sum()
            r = np.where(high, r, r * max(rest, 0) / low_sum)
        rates[sel] = np.minimum(r, 95.0)
    return order


def _rounds_to_vec(k, n, pct):
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    return (n > 0) & (np.abs(1000 * k / np.where(n > 0, n, 1) - round(pct * 10)) < 0.49)


def _absence_days(rng, rates, school_days, months, mean, group, calib) -> np.ndarray:
    """Absent days in tenths of a day; pupils stay on their side of 10 % and of 15 %, and the
    months-weighted mean of each calibrated group is nudged back onto its target after rounding."""
    cap_low = np.floor(school_days * 1.0).astype(np.int64)  # 10 % of the days, in tenths
    cap_15 = np.floor(school_days * 1.5).astype(np.int64)  # 15 % of the days, in tenths
    tenths = np.where(rates > 10, np.ceil(rates * school_days / 10), np.floor(rates * school_days / 10)).astype(np.int64)
    tenths = np.where(rates > 10, np.maximum(tenths, cap_low + 1), np.minimum(tenths, cap_low))
    tenths = np.where(rates > 15, np.maximum(tenths, cap_15 + 1), np.where(rates > 10, np.minimum(tenths, cap_15), tenths))
    for c, target in mean.items():
        sel = np.flatnonzero(calib & (group == c))
        if not len(sel):
            continue
        m, d = months[sel], school_days[sel]
        step = (m * 10 / d).mean() / m.sum()  # effect of one tenth-day on the mean, on average
        for _ in range(5):  # a few rounds: each moves a pupil by at most one tenth-day
            gap = target - (m * tenths[sel] * 10 / d).sum() / m.sum()
            need = int(round(abs(gap) / step))
            if not need:
                break
            t = tenths[sel]
            movable = (t < cap_low[sel]) if gap > 0 else ((t > 0) & (t <= cap_low[sel]))
            fix = sel[rng.permutation(np.flatnonzero(movable))[:need]]
            tenths[fix] += 1 if gap > 0 else -1
    return tenths


def _scale_tenths(rng, tenths: np.ndarray, sel: np.ndarray, cap: np.ndarray, total: int) -> None:
    """Scale the absence (tenths of days) of pupils ``sel`` to sum to ``total`` exactly, in place."""
    if not len(sel):
        return
    cur = tenths[sel].sum()
    new = np.minimum(np.floor(tenths[sel] * (total / max(cur, 1))).astype(np.int64), cap[sel])
    for _ in range(20):  # hand out (or take back) the rounding remainder a tenth at a time
        gap = int(total - new.sum())
        if gap == 0:
            break
        room = np.flatnonzero(new < cap[sel]) if gap > 0 else np.flatnonzero(new > 0)
        pick = rng.permutation(room)[:abs(gap)]
        new[pick] += 1 if gap > 0 else -1
    tenths[sel] = new


def _exact_absence_days(w: World, rng, tenths, school_days, rates, idx, grade, group, calib, year) -> np.ndarray:
    """HP2017: mean absent days per pupil in 0.-9. klasse, exact to one decimal: Randers Nordby,
    Nordby pupils at the three schools (where published) and Randers Kommune (full scale; otherwise
    the rest of the municipality carries its level as if it had its real size)."""
    nordby_mean, randers_mean = T.ABSENCE_DAYS[year]
    three_mean = T.ABSENCE_DAYS_THREE_SCHOOLS.get(year)
    cap = school_days * 10
    pupils = calib & (grade <= 9)
    nordby = pupils & np.isin(group, HP2017_CODES)
    rest = pupils & ~nordby
    codes = school_code(w, idx, group, grade)
    at_three = nordby & np.isin(codes, INSTITUTIONS.loc[INSTITUTIONS["is_fravaer_skole_2017"], "institution_code"])
    n_all = int(nordby.sum())
    total = int(round(nordby_mean * 10 * n_all))
    if three_mean is not None:
        n3 = int(at_three.sum())
        t3 = int(round(three_mean * 10 * n3))
        _scale_tenths(rng, tenths, np.flatnonzero(at_three), cap, t3)
        _scale_tenths(rng, tenths, np.flatnonzero(nordby & ~at_three), cap, total - t3)
    else:
        _scale_tenths(rng, tenths, np.flatnonzero(nordby), cap, total)
    k = rest_factor(w.pop)
    n_rest = int(rest.sum())
    rest_total = (randers_mean * 10 * (n_all + k * n_rest) - total) / k
    _scale_tenths(rng, tenths, np.flatnonzero(rest), cap, int(round(rest_total)))
    return np.where(pupils, tenths / np.maximum(school_days, 1) * 10, rates)


def _split_absence(rng, tenths: np.ndarray, group: np.ndarray):
    """Illness / permitted / unlawful absence; unlawful absence is a larger part in the areas."""
    area = group < N_AREAS
    alpha = np.where(area[:, None], np.array([5.5, 1.5, 2.5])[None, :], np.array([7.0, 2.0, 1.0])[None, :])
    p = rng.gamma(alpha)
    p /= p.sum(axis=1, keepdims=True)
    ill = np.floor(tenths * p[:, 0]).astype(np.int64)
    lawful = np.floor((tenths - ill) * p[:, 1] / (p[:, 1] + p[:, 2])).astype(np.int64)
    return ill, lawful, tenths - ill - lawful
