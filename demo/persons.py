"""Person attributes per year (person_year): education, attachment, benefits, income, charges."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import calibration as cal
from demo import published_values as pv
from demo.dates import age_on_jan1, year_of
from demo.dwellings import GROUPS, REST, G, choose_exact
from demo.keys import fixed_uniform
from demo.model import PLAN_AREAS_2025, Population

BENEFITS_YOUNG = np.array(["Uddannelseshjælp", "Kontanthjælp", "Sygedagpenge", "Dagpenge"])
BENEFITS_YOUNG_P = np.array([0.6, 0.2, 0.1, 0.1])
BENEFITS_ADULT = np.array(["Kontanthjælp", "Sygedagpenge", "Dagpenge", "Ressourceforløb", "Jobafklaring",
                           "Ledighedsydelse", "Revalidering", "Selvforsørgelses- og hjemrejseydelse", "Overgangsydelse"])
BENEFITS_ADULT_P = np.array([0.42, 0.13, 0.14, 0.10, 0.06, 0.06, 0.02, 0.05, 0.02])
MATCH_BENEFITS = ("Kontanthjælp", "Uddannelseshjælp", "Selvforsørgelses- og hjemrejseydelse", "Overgangsydelse")
EDU = np.array(["grundskole", "ungdomsudd", "videregående"])

# ------------------------------------------------------------------------------------ person_year
# Plausible levels where nothing is published (shares of 18-64 outside job and education in 2022,
# yearly change; basic-schooling propensity; charged share of 15-29 relative to Randers;
# convicted share of 15+ relative to the national level).
NOT_ATTACHED = {"GJP": (0.434, -0.008), "GLV": (0.406, -0.006), "HSV": (0.50, 0.006), "ENV": (0.55, 0.010),
                "VGD": (0.40, 0.0), "SJK": (0.31, 0.008), "CRA": (0.54, 0.006), "REST": (0.15, -0.002)}
P_BASIC = {"GJP": 0.55, "GLV": 0.52, "HSV": 0.45, "ENV": 0.50, "VGD": 0.45, "SJK": 0.33, "CRA": 0.45, "REST": 0.14}
CHARGED_REL = {"GJP": 0.5, "GLV": 0.5, "HSV": 3.0, "ENV": 4.0, "VGD": 0.55, "SJK": 0.55, "CRA": 4.5, "REST": 1.0}
CONVICTED_REL = {"GJP": 2.2, "GLV": 2.4, "HSV": 3.3, "ENV": 3.0, "VGD": 1.5, "SJK": 1.3, "CRA": 3.5, "REST": 0.85}
RANDERS_CHARGED_15_29 = cal.LBF_BASELINES["ANDEL_15_29_SIGTEDE"][2023][1] / 100


def _group_index(area_code: pd.Series) -> np.ndarray:
    return area_code.map(G).fillna(REST).to_numpy().astype(int)


def _edu_status(final, a_ung, a_vid, a_drop, age):
    """(in_education, highest level 0/1/2) at a completed age, from the person's education path."""
    completion = np.where(final == 0, a_drop, np.where(final == 1, a_ung, a_vid))
    in_edu = ((age >= 6) & (age < 16)) | ((age >= 16) & (age < completion))
    level = np.where((final >= 1) & (age >= a_ung), 1, 0)
    level = np.where((final == 2) & (age >= a_vid), 2, level)
    return in_edu, level


def _in_adult_education(p, year, group, age, final, adult_rate, exact_year: int) -> np.ndarray:
    """The 30-59-year-olds with only basic schooling in adult education in ``year``: the share the
    published 2023 figure needs in their area (``adult_rate``) in every year, so 2023, whose
    residents are chosen exactly, sits on the area's trend. A fixed draw per person and year (a
    hash), so no other draw moves."""
    u = fixed_uniform(p, year)
    rate = np.where(group >= 0, adult_rate[np.maximum(group, 0)], 0.0)
    return (year != exact_year) & (final[p] == 0) & (age >= 30) & (age <= 59) & (u < rate)


def build_person_year(pop: Population, rng) -> pd.DataFrame:
    cfg = pop.config
    persons, res = pop.persons, pop.residence
    P = len(persons)
    pk = pd.Index(persons.person_key)
    birth = persons.birth_date.to_numpy().astype("datetime64[D]").astype(np.int64)
    nw = persons.origin.isin(["4", "5"]).to_numpy()
    male = (persons.sex == "M").to_numpy()

    # stock group of each person-year (-1 = not resident on 1 January)
    rp = pk.get_indexer(res.person_key)
    ny = cfg.last_year - cfg.first_year + 2
    stock = np.full((P, ny + 1), -1, np.int16)
    stock[rp, res.year.to_numpy() - cfg.first_year] = _group_index(res.area_code)
    first_g = pd.Series(_group_index(res.area_code)).groupby(rp).first()
    home = np.full(P, REST)
    home[first_g.index.to_numpy()] = first_g.to_numpy()

    # persistent education path
    pb = np.array([P_BASIC[g] for g in GROUPS])[home] + 0.12 * (nw & (persons.origin == "4").to_numpy())
    pb = np.clip(pb + 0.08 * (year_of(birth) < 1960), 0, 0.9)
    u = rng.random(P)
    final = np.where(u < pb, 0, np.where(rng.random(P) < np.where(home == REST, 0.45, 0.2), 2, 1))
    a_ung = rng.integers(18, 22, P)
    a_vid = rng.integers(22, 29, P)
    a_drop = rng.integers(16, 20, P)
    adult_edu_year = np.where(rng.random(P) < 0.10, rng.integers(cfg.first_year, cfg.last_year + 1, P), 0)

    # --- exact education figures in the 2023 stock (DST file 2023)
    y = 2023
    gi = stock[:, y - cfg.first_year]
    age23 = age_on_jan1(birth, y)
    adult_edu_year[(gi >= 0) & (adult_edu_year == y)] = 0
    N_all = {g: gi == G[g] for g in GROUPS}
    in_r = gi >= 0

    def target(table_pub, table_ass, g, n):
        if g in table_pub:
            return int(round(table_pub[g] * n))
        if g in table_ass:
            return int(round(table_ass[g] * n))
        return None

    ob30 = {k: v for k, v in cal.ONLY_BASIC_30_59_2023.items() if k != "line"}
    ob15 = {k: v for k, v in cal.ONLY_BASIC_15_64_2023.items() if k != "line"}
    yu18 = {k: v for k, v in cal.YOUTH_EDUCATION_18_29_2023.items() if k != "line"}
    ass30, ass15 = cal.ASSUMED["ONLY_BASIC_30_59_2023"], cal.ASSUMED["ONLY_BASIC_15_64_2023"]
    assyu = cal.ASSUMED["YOUTH_EDUCATION_18_29_2023"]

    def randers_rest(share, sel_all, area_counts):  # the rest makes Randers as a whole hit the share
        return int(round(share * sel_all.sum())) - sum(area_counts)

    order = list(PLAN_AREAS_2025) + ["REST"]
    counts30, counts18, counts15 = [], [], []
    adult_rate = np.zeros(len(GROUPS))  # share of the 30-59s with basic schooling in adult education
    for g in order:
        m = N_all[g]
        b30 = m & (age23 >= 30) & (age23 <= 59)
        b18 = m & (age23 >= 18) & (age23 <= 29)
        b15 = m & (age23 >= 15) & (age23 <= 64)
        if g == "REST":
            k30 = randers_rest(ass30[cal.RANDERS], in_r & (age23 >= 30) & (age23 <= 59), counts30)
            k18 = randers_rest(yu18[cal.RANDERS], in_r & (age23 >= 18) & (age23 <= 29), counts18)
            k15 = randers_rest(ob15[cal.RANDERS], in_r & (age23 >= 15) & (age23 <= 64), counts15)
        else:
            k30 = target(ob30, ass30, g, b30.sum())
            k18 = target(yu18, assyu, g, b18.sum())
            k15 = target(ob15, ass15, g, b15.sum())
            if k15 is None:  # Centrale Randers etc.: plausible
                k15 = int(round(0.42 * b15.sum()))
        # 30-59: exactly k30 with only basic schooling
        basic = choose_exact(rng, b30, k30, u)
        final[b30 & basic] = 0
        final[b30 & ~basic & (final == 0)] = 1
        # 18-29: exactly n - k18 with only basic schooling and not in education
        nk = b18.sum() - k18
        none = choose_exact(rng, b18, nk, u)
        final[b18 & none] = 0
        a_drop[b18 & none] = np.minimum(a_drop[b18 & none], age23[b18 & none])
        fix = b18 & ~none & (final == 0)
        final[fix] = 1
        a_ung[fix] = np.where(age23[fix] >= 22, rng.integers(18, 22, fix.sum()), np.maximum(age23[fix] + 1, 19))
        # 15-17: counted as they come
        b1517 = m & (age23 >= 15) & (age23 <= 17)
        ie, lv = _edu_status(final, a_ung, a_vid, a_drop, age23)
        g1517 = int((b1517 & ~ie & (lv == 0)).sum())
        # 60-64 and adults in education make up the 15-64 figure
        b6064 = m & (age23 >= 60) & (age23 <= 64)
        need = k15 - nk - g1517 - int(basic[b30].sum())
        k60 = int(np.clip(need, 0, b6064.sum()))
        basic60 = choose_exact(rng, b6064, k60, u)
        final[b6064 & basic60] = 0
        final[b6064 & ~basic60 & (final == 0)] = 1
        if need < 0:  # some 30-59-year-olds with basic schooling are in adult education
            adult_edu_year[choose_exact(rng, b30 & basic, -need)] = y
            adult_rate[G[g]] = -need / max(int((b30 & basic).sum()), 1)
        counts30.append(int((b30 & (final == 0)).sum()))
        counts18.append(int(k18))
        counts15.append(int(k15))

    # --- rows
    ry = res.year.to_numpy() - cfg.first_year
    both = np.concatenate([ry * P + rp, (ry[ry > 0] - 1) * P + rp[ry > 0]])
    both = np.unique(both)  # sorted by year, then person
    p = (both % P).astype(np.int32)
    yr = (both // P + cfg.first_year).astype(np.int16)
    del both, ry
    rows = pd.DataFrame({"p": p, "year": yr})
    g_now = stock[p, yr - cfg.first_year]
    g_next = stock[p, yr + 1 - cfg.first_year]
    gm = np.where(g_next >= 0, g_next, g_now)
    age = age_on_jan1(birth[p], yr).astype(np.int16)
    age_m = age_on_jan1(birth[p], np.where(g_next >= 0, yr + 1, yr)).astype(np.int16)
    in_edu, level = _edu_status(final[p], a_ung[p], a_vid[p], a_drop[p], age)
    in_edu |= (adult_edu_year[p] == yr) & (age >= 18)
    in_edu |= _in_adult_education(p, yr, g_now, age, final, adult_rate, y)
    in_edu_now, _ = _edu_status(final[p], a_ung[p], a_vid[p], a_drop[p], age_m)
    in_edu_now |= (adult_edu_year[p] == yr + 1) & (age_m >= 18)
    in_edu_now |= _in_adult_education(p, yr + 1, g_next, age_m, final, adult_rate, y)
    R = len(rows)

    # --- attachment (calendar year), exact per measure group and year
    z = rng.normal(0, 1, P) - 0.7 * (final == 0) + 0.3 * (final == 2)
    score = z[p] + 0.45 * rng.normal(0, 1, R)
    b1864 = (age_m >= 18) & (age_m <= 64)
    elig = b1864 & ~in_edu_now
    not_att = np.zeros(R, bool)
    # Exact on the population a measure is taken on (residents on 1 January the year after);
    # those who left during the year get the same share separately.
    stays = g_next >= 0
    b1829 = (age_m >= 18) & (age_m <= 29)
    for Y in range(cfg.first_year, cfg.last_year + 1):
        sel_y = yr == Y
        area_counts = []
        employed_targets = _employed_targets(Y + 1, sel_y & stays, gm, b1829, b1864)
        for g in order:
            base, slope = NOT_ATTACHED[g]
            share = base + slope * (Y - 2022)
            if g == "ENV" and Y == 2024:
                share = cal.ENV_OUTSIDE_LABOUR_MARKET_2024["value"]
            for part in (stays, ~stays):
                sel = sel_y & (gm == G[g]) & part
                n = int((sel & b1864).sum())
                if g == "REST" and Y == 2022 and part is stays:
                    k = int(round(cal.LBF_BASELINES["ANDEL_18_64_UDEN_TILKNYTNING"][2022][1] / 100
                                  * (sel_y & b1864 & stays).sum())) - sum(area_counts)
                else:
                    k = int(round(share * n))
                emp = employed_targets.get(g) if part is stays else None
                if emp:
                    # published employment (DST's file of Y+1): the not attached are the rest of
                    # the band after the employed and those in education
                    def rest_of(band, e):
                        return int((sel & band).sum()) - int((sel & band & in_edu_now).sum()) - e
                    k29 = rest_of(b1829, emp["18_29"]) if "18_29" in emp else None
                    k_all = rest_of(b1864, emp["18_64"]) if "18_64" in emp else k
                    if k29 is not None:
                        not_att |= choose_exact(rng, sel & elig & b1829, k29, score)
                        not_att |= choose_exact(rng, sel & elig & b1864 & ~b1829, k_all - k29, score)
                    else:
                        not_att |= choose_exact(rng, sel & elig, k_all, score)
                else:
                    not_att |= choose_exact(rng, sel & elig, k, score)
                if part is stays:
                    area_counts.append(int((not_att & sel & b1864).sum()))
    # Integer codes while computing (1.5 million rows); text only in the returned frame.
    ATT = np.array(["job", "education", "benefit", "pension", "other"])
    att = np.where(age_m < 15, 4, np.where(in_edu_now & (age_m < 65), 1, np.where(age_m >= 65, 3, np.where(not_att, 2, 0))))
    att = np.where((age_m >= 15) & (age_m < 18) & ~in_edu_now, 4, att)
    to_pension = not_att & (age_m >= 40) & (rng.random(R) < 0.42)
    to_other = not_att & ~to_pension & (rng.random(R) < 0.08)
    att = np.where(to_pension, 3, np.where(to_other, 4, att)).astype(np.int8)
    on_benefit = not_att & ~to_pension & ~to_other
    BEN = np.concatenate([BENEFITS_YOUNG, BENEFITS_ADULT, ["Førtidspension", "Fleksjob"]])
    b_y = np.searchsorted(np.cumsum(BENEFITS_YOUNG_P), rng.random(R) * 0.9999)
    b_a = len(BENEFITS_YOUNG) + np.searchsorted(np.cumsum(BENEFITS_ADULT_P), rng.random(R) * BENEFITS_ADULT_P.sum() * 0.9999)
    # only immigrants get selvforsørgelses- and overgangsydelse
    imm = (persons.origin.to_numpy() == "4")[p]
    imm_only = np.isin(BEN[b_a], ["Selvforsørgelses- og hjemrejseydelse", "Overgangsydelse"])
    b_a = np.where(~imm & imm_only, int(np.flatnonzero(BEN == "Kontanthjælp")[-1]), b_a)
    ben = np.where(on_benefit, np.where(age_m < 30, b_y, b_a), -1)
    ben = np.where(to_pension, len(BEN) - 2, ben)
    flex = (att == 0) & (rng.random(R) < np.where(gm < REST, 0.04, 0.015))
    ben = np.where(flex, len(BEN) - 1, ben).astype(np.int8)
    match_ok = np.isin(ben, np.flatnonzero(np.isin(BEN, MATCH_BENEFITS)))
    mg = np.where(match_ok, np.where(rng.random(R) < np.where(gm < REST, 0.65, 0.45), 1, 0), -1).astype(np.int8)
    fulltime = np.where(on_benefit, np.round(rng.uniform(0.4, 1.0, R), 2), np.where(to_pension | flex, 1.0, 0.0))
    del b_y, b_a, imm, imm_only, match_ok, to_other, to_pension, on_benefit, flex, score, elig, not_att

    # --- gross income (kr, calendar year); area households earn less
    area = gm < REST
    cat = np.select([age_m < 15, (age_m < 18) & (att != 0), att == 1, att == 0, att == 2, (att == 3) & (age_m < 65), att == 3],
                    [0, 1, 2, 3, 4, 5, 6], 7)
    mu = np.log(np.array([1.0, 20_000, 70_000, 410_000, 190_000, 235_000, 250_000, 40_000]))[cat]
    mu = np.where(area & (cat == 3), np.log(300_000), np.where(area & (cat == 6), np.log(185_000), mu))
    sd = np.array([0.0, 0.5, 0.4, 0.35, 0.2, 0.1, 0.3, 0.8])[cat]
    inc = np.where(cat == 0, 0.0, np.exp(mu + sd * rng.standard_normal(R))) * 1.025 ** (yr - 2023)
    del mu, sd, cat
    inc = _calibrate_household_income(rows, inc, res, pk, cfg)

    # --- charged / convicted (calendar year), exact per group-year ranks
    c = rng.random(P) - 0.15 * male - 0.1 * (final == 0)
    cscore = c[p] + 0.2 * rng.random(R)
    vscore = cscore + 0.1 * rng.random(R)
    b1529 = (age_m >= 15) & (age_m <= 29)
    b30p = age_m >= 30
    charged = np.zeros(R, bool)
    convicted = np.zeros(R, bool)
    for Y in range(cfg.first_year, cfg.last_year + 1):
        sel_y = yr == Y
        for g, part in ((g, part) for g in order for part in (stays, ~stays)):
            sel = sel_y & (gm == G[g]) & part
            rate = RANDERS_CHARGED_15_29 * CHARGED_REL[g]
            k = int(round(rate * (sel & b1529).sum()))
            if g == "REST" and Y == 2023 and part is stays:  # Randers as a whole at LBF's 1.81 %
                k = int(round(RANDERS_CHARGED_15_29 * (sel_y & b1529 & stays).sum())) - int((charged & sel_y & b1529 & stays).sum())
            charged |= choose_exact(rng, sel & b1529, k, cscore)
            charged |= choose_exact(rng, sel & b30p, int(round(rate * 0.35 * (sel & b30p).sum())), cscore)
            crate = cal.ASSUMED["NATIONAL_CONVICTED_15_PLUS"] * CONVICTED_REL[g]
            convicted |= choose_exact(rng, sel & (age_m >= 15), int(round(crate * (sel & (age_m >= 15)).sum())), vscore)

    def text(values, codes):  # compact arrow-backed strings, NA where the code is -1
        return pd.Series(pd.array(np.asarray(values, dtype=object), dtype="str")).take(codes).reset_index(drop=True) \
            .where(pd.Series(codes) >= 0)

    return pd.DataFrame({
        "person_key": text(persons.person_key.to_numpy(), p), "year": yr.astype(int), "in_education": in_edu,
        "highest_education": text(EDU, level), "attachment": text(ATT, att), "benefit": text(BEN, ben),
        "match_group": text(np.array(["Jobparat", "Aktivitetsparat"]), mg),
        "fulltime_fraction": fulltime, "gross_income": np.round(inc), "charged": charged, "convicted": convicted,
    })


# Employed residents (DST's BEF_*_BESKAEFTIGEDE, status of the year before the file year), 2017-21
# plan (seed 000 lines 1002-1004 and 1154-1160): Randers Nordby's 18-29-year-olds 38 % (2015) and
# 39 % (2018); Vangdalen 18-64 44 % / 49 % and 18-29 40 % / 43 % (2017 / 2018); Gl. Jennumparken
# 18-29 45 % / 36 %. Where Nordby's total is published, the areas without a figure make it up.
EMPLOYED_INDICATORS = {"18_29": ("HP2017_OM_BESKAEFTIGELSE_18_29", "HP2017_SK_BESKAEFTIGELSE_18_29"),
                       "18_64": ("HP2017_OM_BESKAEFTIGELSE_18_64",)}


def _employed_published() -> dict[int, dict[str, dict[str, float]]]:
    """{file year: {area or HP2017_ALL: {band: share}}}, read from the published-values seed."""
    out: dict[int, dict[str, dict[str, float]]] = {}
    for band, indicators in EMPLOYED_INDICATORS.items():
        for indicator in indicators:
            for geo in ("GJP", "GLV", "VGD", "HP2017_ALL"):
                try:
                    years = pv.by_year(indicator, geo)
                except KeyError:
                    continue
                for year, pct in years.items():
                    out.setdefault(year, {}).setdefault(geo, {})[band] = pct / 100
    return out


EMPLOYED_PUBLISHED = _employed_published()
HP2017_AREAS = ("GJP", "GLV", "VGD")


def _employed_targets(file_year: int, stays_y: np.ndarray, gm: np.ndarray, b1829: np.ndarray,
                      b1864: np.ndarray) -> dict[str, dict[str, int]]:
    """Employed counts per area and band for DST's file of ``file_year`` (only where published)."""
    pub = EMPLOYED_PUBLISHED.get(file_year, {})
    n = {(g, band): int((stays_y & (gm == G[g]) & m).sum()) for g in HP2017_AREAS
         for band, m in (("18_29", b1829), ("18_64", b1864))}
    out = {g: {band: int(round(v * n[(g, band)])) for band, v in pub[g].items()} for g in HP2017_AREAS if g in pub}
    total = pub.get("HP2017_ALL", {}).get("18_29")
    if total is not None:
        free = [g for g in HP2017_AREAS if "18_29" not in out.get(g, {})]
        k_free = int(round(total * sum(n[(g, "18_29")] for g in HP2017_AREAS))) - sum(
            out[g]["18_29"] for g in HP2017_AREAS if g not in free)
        n_free = sum(n[(g, "18_29")] for g in free)
        for i, g in enumerate(free):  # split in proportion to the age group, the last takes the rest
            share = k_free - sum(out[x]["18_29"] for x in free[:i]) if i == len(free) - 1 \
                else int(round(k_free * n[(g, "18_29")] / max(n_free, 1)))
            out.setdefault(g, {})["18_29"] = share
    return out


def _income_rows(rows, res, pk, y: int):
    """(rows of the year-before incomes, their groups, the stock) of the residents of 1 January ``y``."""
    r = res[res.year == y]
    rp = pk.get_indexer(r.person_key)
    sel = rows.year.to_numpy() == y - 1
    row_of = pd.Series(np.flatnonzero(sel), index=rows.p.to_numpy()[sel])
    ri = row_of.reindex(rp).to_numpy()
    has = ~np.isnan(ri)
    return ri[has].astype(int), _group_index(r.area_code)[has], r


def _calibrate_household_income(rows, inc, res, pk, cfg) -> np.ndarray:
    """Scale the 2023 incomes of the households living in each area on 1 January 2024 so that the
    average household income is the published share of Randers (577,970 kr). The same factor per
    group scales every other year's incomes of the households living there, so the calibrated
    year sits on the area's trend instead of standing out from the years around it."""
    y = 2024
    ri_i, grp, r = _income_rows(rows, res, pk, y)
    n_hh_all = r.household_id.nunique()
    randers_total = cal.RANDERS_HOUSEHOLD_INCOME_2023["value"] * n_hh_all
    area_total = 0.0
    factor = np.ones(len(GROUPS))
    for g in PLAN_AREAS_2025:
        m = grp == G[g]
        n_hh = r.household_id[r.area_code == g].nunique()
        tgt = cal.HOUSEHOLD_INCOME_RATIO_2023[g] * cal.RANDERS_HOUSEHOLD_INCOME_2023["value"] * n_hh
        factor[G[g]] = tgt / inc[ri_i[m]].sum()
        area_total += tgt
    m = grp == REST
    factor[REST] = (randers_total - area_total) / inc[ri_i[m]].sum()
    for year in sorted(set(res.year)):
        ri_y, grp_y, _ = _income_rows(rows, res, pk, year)
        inc[ri_y] *= factor[grp_y]
    return inc
