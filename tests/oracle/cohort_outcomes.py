"""The cohort marts' outcomes (marts.mart_population_indicator), from docs/population-marts.md's words
and the design note at the top of macros/cohort_outcome.sql; plain pandas over the extract files.

Per outcome kind a panel: one value per person and outcome year, and the day its period ends.
For cohort year Y every resident on 1 January Y is in the pool, in a stratum of area (or outside
the areas), age band (3-year bands under 18, 10-year bands for adults) and starting level (the
before value bucketed; no before value: 'ingen måling'). Before = the latest value in
[Y - lookback, Y - 1]; after = the first in [Y + after_from, Y + lookahead] whose period has ended
by the as-of date; change = after - before for persons with both. Participants are compared with
the stratum's non-participants (never anyone followed in the activity in any plan or year), the
stratum means weighted by the participants per stratum; a stratum with fewer than two
comparisons is unmatched. Interval: difference ± t(0.975; n_p - 1) · se,
se² = s²_p/n_p + Σ w_s² s²_c(s)/n_c(s), 0/100 shares Agresti-Caffo-adjusted outside 'change'."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from tests.oracle.cohorts import cohort_members
from tests.oracle.extracts import SEEDS, Extracts, age_on

COVERED = ("absence", "language", "youth_school", "benefit", "youth_education", "eviction")
FIELDS = ["n_participants", "participants_value", "n_comparison", "comparison_value", "difference", "ci_low", "ci_high",
          "n_unmatched"]
KEY = ["plan_code", "activity_code", "cohort_year", "outcome_kind", "period_kind"]
FOCUSED = ("Fokuseret indsats", "Særlig indsats")
IN_YOUTH_EDUCATION = ("I ungdomsuddannelse", "Fuldført ungdomsuddannelse")


def _bucket(edges_labels):
    def level(v: float) -> str:
        for edge, label in edges_labels:
            if v < edge:
                return label
        return edges_labels[-1][1]
    return level


# Starting levels (the before value bucketed): absence by 5-point steps; a 0/100 share by its value.
LEVELS = {
    "absence": _bucket([(5, "under 5 %"), (10, "5-10 %"), (15, "10-15 %"), (np.inf, "over 15 %")]),
    "language": lambda v: "fokuseret/særlig" if v > 0 else "generel",
    "youth_school": lambda v: "tilmeldt" if v > 0 else "ikke tilmeldt",
    "benefit": lambda v: "ingen ydelse" if v == 0 else ("under halvdelen" if v < 50 else "halvdelen eller mere"),
    "eviction": lambda v: "udsat" if v > 0 else "ikke udsat",
    "youth_education": lambda v: "målt",
}


def _age_jan1(r: pd.DataFrame) -> pd.Series:
    """Age on 1 January of each row's stock year (one year less unless born on 1 January)."""
    b = pd.to_datetime(r.FOEDSELSDATO)
    return r.year - b.dt.year - ((b.dt.month > 1) | (b.dt.day > 1)).astype(int)


def _panel(person, year, end, value) -> pd.DataFrame:
    return pd.DataFrame({"person": np.asarray(person), "outcome_year": np.asarray(year, dtype=int),
                         "period_end": np.asarray(end), "value": np.asarray(value, dtype=float)})


def absence_panel(ex: Extracts, res: pd.DataFrame) -> pd.DataFrame:
    """Absence % of the school year starting in the outcome year: the pupil's days of absence (all
    three kinds) over the pupil's school days, summed over the pupil's schools; ends 31 July."""
    rows = []
    for y, f in ex.frames("skolefravaer").items():
        f = f.assign(absent=f.FRAVAER_SYGDOM + f.FRAVAER_LOVLIGT + f.FRAVAER_ULOVLIGT)
        p = f.groupby("PNR_PSEUDO")[["absent", "SKOLEDAGE"]].sum()
        p = p[p.SKOLEDAGE > 0]
        rows.append(_panel(p.index, y, date(y + 1, 7, 31), 100 * p.absent / p.SKOLEDAGE))
    return pd.concat(rows, ignore_index=True)


def language_panel(ex: Extracts, res: pd.DataFrame) -> pd.DataFrame:
    """Per child and calendar year one assessment: the latest for a presumed need, else the latest
    (the one the area indicator counts); 100 when it needs focused or special support."""
    a = ex.stacked("sprogvurdering").sort_values("file_year").drop_duplicates(["PNR_PSEUDO", "VURDERINGSDATO"], keep="last")
    a = a[a.RESULTAT.isin(("Generel indsats",) + FOCUSED)].copy()
    a["year"] = [d.year for d in a.VURDERINGSDATO]
    a["presumed"] = a.AARSAG == "Formodet behov"
    a = a.sort_values(["presumed", "VURDERINGSDATO"]).drop_duplicates(["PNR_PSEUDO", "year"], keep="last")
    return _panel(a.PNR_PSEUDO, a.year, a.VURDERINGSDATO, np.where(a.RESULTAT.isin(FOCUSED), 100, 0))


def youth_school_panel(ex: Extracts, res: pd.DataFrame) -> pd.DataFrame:
    """Residents aged 13-17 on 1 January of the school year's first year: 100 when enrolled in
    Ungdomsskolen in that school year. A school year not delivered is unknown."""
    enrolled = ex.stacked("ungdomsskole")
    enrolled = set(zip(enrolled.PNR_PSEUDO, enrolled.SKOLEAAR.str[:4].astype(int)))
    delivered = {int(y) for y in ex.stacked("ungdomsskole").SKOLEAAR.str[:4].unique()}
    r = res[res.year.isin(delivered)]
    r = r[_age_jan1(r).between(13, 17)]
    value = [100 if (p, y) in enrolled else 0 for p, y in zip(r.person, r.year)]
    return _panel(r.person, r.year, [date(y + 1, 7, 31) for y in r.year], value)


def benefit_panel(ex: Extracts, res: pd.DataFrame) -> pd.DataFrame:
    """Residents aged 18-64 on 1 January of the outcome year y: months with any jobcenter benefit
    in October y-1 to September y, in % of 12 (0 without one). A window with a month of a year
    not delivered is unknown."""
    j = ex.stacked("jobcenter_ydelser")
    yr, mo = j.MAANED.str[:4].astype(int), j.MAANED.str[5:7].astype(int)
    j = j.assign(window=np.where(mo >= 10, yr + 1, yr))
    months = j.drop_duplicates(["PNR_PSEUDO", "MAANED"]).groupby(["PNR_PSEUDO", "window"]).size()
    delivered = ex.years("jobcenter_ydelser")
    r = res[res.year.isin(delivered) & res.year.sub(1).isin(delivered)]
    r = r[_age_jan1(r).between(18, 64)]
    n = np.array([min(months.get((p, y), 0), 12) for p, y in zip(r.person, r.year)])
    return _panel(r.person, r.year, [date(y, 9, 30) for y in r.year], 100 * n / 12)


def youth_education_panel(ex: Extracts, res: pd.DataFrame) -> pd.DataFrame:
    """UU's 1 October status of the year (10th grade left out): 100 when in or finished a youth
    education."""
    u = ex.stacked("uu_vejledning")
    u = u[u.STATUS != "I 10. klasse"].assign(year=[d.year for d in u[u.STATUS != "I 10. klasse"].STATUSDATO])
    u = u.assign(v=np.where(u.STATUS.isin(IN_YOUTH_EDUCATION), 100.0, 0.0))
    g = u.groupby(["PNR_PSEUDO", "year"]).agg(v=("v", "max"), end=("STATUSDATO", "max")).reset_index()
    return _panel(g.PNR_PSEUDO, g.year, g.end, g.v)


def _address(street, number, letter, floor, door) -> list[tuple]:
    norm = lambda x: str(x).strip().upper() if isinstance(x, str) and x.strip() else None  # noqa: E731
    return [(norm(s), int(n), norm(ltr), norm(f), norm(d)) for s, n, ltr, f, d in zip(street, number, letter, floor, door)]


def eviction_panel(ex: Extracts, res: pd.DataFrame) -> pd.DataFrame:
    """Adults (18 or over on 1 January of the outcome year y): 100 when an eviction case decided in
    October y-1 to September y is on the lease at the address (floor and door included) they lived
    at on 1 January of the decision's year (RandersBolig's cases; Lejerbo delivers none). A window
    with a month of a year not delivered is unknown."""
    cases = ex.stacked("randersbolig_udsaettelser")
    leases = ex.stacked("randersbolig_lejemaal")
    cases = cases.assign(year=[d.year for d in cases.SAG_DATO], window=[d.year + (d.month >= 10) for d in cases.SAG_DATO])
    key = ["SELSKAB_NR", "AFDELING_NR", "LEJEMAAL_NR"]
    c = cases.merge(leases, left_on=key + ["year"], right_on=key + ["file_year"])
    c["address"] = _address(c.VEJNAVN, c.HUSNR, c.BOGSTAV, c.ETAGE, c.DOER)
    r = res.assign(address=_address(res.VEJNAVN, res.HUSNR, res.HUSBOGSTAV, res.ETAGE, res.DOER))
    hit = r.merge(c[["address", "year", "window"]], on=["address", "year"])
    evicted = set(zip(hit.person, hit.window))
    delivered = ex.years("randersbolig_udsaettelser")
    r = r[r.year.isin(delivered) & r.year.sub(1).isin(delivered) & (_age_jan1(r) >= 18)].drop_duplicates(["person", "year"])
    value = [100 if (p, y) in evicted else 0 for p, y in zip(r.person, r.year)]
    return _panel(r.person, r.year, [date(y, 9, 30) for y in r.year], value)


PANELS = {"absence": absence_panel, "language": language_panel, "youth_school": youth_school_panel,
          "benefit": benefit_panel, "youth_education": youth_education_panel, "eviction": eviction_panel}


def _age_band(age: pd.Series) -> pd.Series:
    return np.where(age < 18, (age // 3) * 3, (age // 10) * 10)


def _pool(res: pd.DataFrame, year: int) -> pd.DataFrame:
    r = res[res.year == year].drop_duplicates("person")
    age = age_on(r.FOEDSELSDATO, date(year, 1, 1))
    return pd.DataFrame({"person": r.person.to_numpy(), "area": r.area.fillna("UDEN_FOR").to_numpy(),
                         "band": _age_band(age.to_numpy())})


def _observed(panel: pd.DataFrame, pool: pd.DataFrame, y: int, o, as_of: date, level) -> pd.DataFrame:
    """Per pool person: before, after and start level; long layout (person, stratum, period_kind, value)."""
    lb, af, la = int(o.lookback_years), int(o.after_from_years), int(o.lookahead_years)
    pp = panel[panel.person.isin(pool.person)]
    before = pp[pp.outcome_year.between(y - lb, y - 1)].sort_values("outcome_year").drop_duplicates("person", keep="last")
    after = pp[pp.outcome_year.between(y + af, y + la) & (pp.period_end <= as_of)]
    after = after.sort_values("outcome_year").drop_duplicates("person", keep="first")
    obs = pool.merge(before[["person", "value"]].rename(columns={"value": "before"}), on="person", how="left")
    obs = obs.merge(after[["person", "value"]].rename(columns={"value": "after"}), on="person", how="left")
    obs["level"] = [("ingen måling" if np.isnan(b) else level(b)) for b in obs.before]
    obs["change"] = obs.after - obs.before
    long = obs.melt(id_vars=["person", "area", "band", "level"], value_vars=["before", "after", "change"],
                    var_name="period_kind", value_name="value")
    return long[long.value.notna()]


def _var_of_mean(values: pd.Series, share: bool) -> float:
    n = len(values)
    if share:  # Agresti-Caffo: one success and one failure added
        p = (values.sum() / 100 + 1) / (n + 2)
        return 10000 * p * (1 - p) / (n + 2)
    return values.var(ddof=1) / n if n > 1 else np.nan


def _cell(treated: pd.DataFrame, comparison: pd.DataFrame, share: bool) -> dict:
    strata = ["area", "band", "level"]
    comp = {k: g.value for k, g in comparison.groupby(strata)}
    n_p, n_unmatched, n_c, s_p, weighted_c, weighted_var = 0, 0, 0, [], 0.0, 0.0
    for k, g in treated.groupby(strata):
        c = comp.get(k)
        if c is None or len(c) < 2:
            n_unmatched += len(g)
            continue
        n_p += len(g)
        s_p.append(g.value)
        n_c += len(c)
        weighted_c += len(g) * c.mean()
        weighted_var += len(g) ** 2 * _var_of_mean(c, share)
    out = {"n_participants": n_p, "n_unmatched": n_unmatched, "n_comparison": n_c}
    if n_p == 0:
        return out
    values = pd.concat(s_p)
    p_value, c_value = values.mean(), weighted_c / n_p
    se = np.sqrt(_var_of_mean(values, share) + weighted_var / n_p**2)
    q = student_t.ppf(0.975, max(n_p - 1, 1))  # one participant: 1 degree of freedom (docs/oracle.md)
    diff = p_value - c_value
    return {**out, "participants_value": p_value, "comparison_value": c_value, "difference": diff,
            "ci_low": diff - q * se, "ci_high": diff + q * se}


def cohort_outcomes(ex: Extracts, res: pd.DataFrame, as_of: date = date(2025, 12, 31), kinds=COVERED) -> pd.DataFrame:
    """One row per plan × activity × cohort year × outcome kind × period kind (the mart's scaffold)
    for the covered outcome kinds, with FIELDS (NaN where nobody is measured)."""
    outcomes = pd.read_csv(SEEDS / "activities_outcomes.csv").set_index("outcome_kind")
    members = cohort_members(ex, res, as_of)
    members = members[members.cohort_year <= as_of.year]
    rows = []
    for kind in kinds:
        o = outcomes.loc[kind]
        panel = PANELS[kind](ex, res)
        m = members[members.outcome_kind == kind]
        ever = m.groupby("activity_code").person.agg(set)
        share = o.value_kind == "share"
        periods = ["before", "after", "change"] if o.lookback_years > 0 else ["after"]
        for y, cohorts in m.groupby("cohort_year"):
            long = _observed(panel, _pool(res, y), y, o, as_of, LEVELS[kind])
            for (plan, act), c in cohorts.groupby(["plan_code", "activity_code"]):
                for pk in periods:
                    lp = long[long.period_kind == pk]
                    cell = _cell(lp[lp.person.isin(c.person)], lp[~lp.person.isin(ever[act])], share and pk != "change")
                    rows.append({"plan_code": plan, "activity_code": act, "cohort_year": int(y), "outcome_kind": kind,
                                 "period_kind": pk, **cell})
    return pd.DataFrame(rows).reindex(columns=KEY + FIELDS)
