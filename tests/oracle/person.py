"""Person-level indicators of both plans, from the catalogue's words (see docs/oracle.md).

Each function returns one row per person and period: ``res_year`` (the 1 January stock that
places the person), ``period`` (as the catalogue writes periods), ``num`` and ``den`` (the
person's contribution to numerator and denominator), and the years of sources the period needs
(``needs``: {source: [years]}) so that a period a source did not deliver comes out missing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from tests.oracle.extracts import Extracts, age_on

MATCHED = ("Kontanthjælp", "Uddannelseshjælp", "Selvforsørgelses- og hjemrejseydelse", "Overgangsydelse")
IN_YOUTH_EDUCATION = ("I ungdomsuddannelse", "Fuldført ungdomsuddannelse")


def _rows(df, period, num, den, res_year, needs=None):
    out = pd.DataFrame({"person": df.person.to_numpy(), "res_year": res_year, "period": period,
                        "num": np.asarray(num, dtype=float), "den": np.asarray(den, dtype=float)})
    out.attrs["needs"] = needs or {}
    return out


def stock_profile(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    out = {"HP2025_PROFIL_BEBOERE": [], "HP2025_PROFIL_BOERN_UNDER_18": [], "HP2025_PROFIL_ANDEL_BOERN_UNDER_18": []}
    for y, s in res.groupby("year"):
        child = (age_on(s.FOEDSELSDATO, date(y, 1, 1)) < 18).to_numpy()
        out["HP2025_PROFIL_BEBOERE"].append(_rows(s, str(y), 1, 1, y))
        out["HP2025_PROFIL_BOERN_UNDER_18"].append(_rows(s, str(y), child, child, y))
        out["HP2025_PROFIL_ANDEL_BOERN_UNDER_18"].append(_rows(s, str(y), child, 1, y))
    return out


def placements(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    """Children 0-17 on 1 January with a placement active some time in the year; each spell
    counted once, as its latest delivery states it. A year whose file was not delivered is
    unknown: spells that began and ended inside it are in no other file."""
    spells = ex.latest_spells("anbringelser", ["PNR_PSEUDO", "START"])
    out = {"HP2017_OM_ANBRAGTE_BOERN": [], "HP2017_OM_ANBRAGTE_ANDEL": []}
    for y, s in res.groupby("year"):
        s = s[age_on(s.FOEDSELSDATO, date(y, 1, 1)) < 18]
        active = spells[(spells.START <= date(y, 12, 31)) & (spells.SLUT.isna() | (spells.SLUT >= date(y, 1, 1)))]
        placed = s.person.isin(active.PNR_PSEUDO).to_numpy()
        needs = {"anbringelser": [y]}
        out["HP2017_OM_ANBRAGTE_BOERN"].append(_rows(s, str(y), placed, placed, y, needs))
        out["HP2017_OM_ANBRAGTE_ANDEL"].append(_rows(s, str(y), placed, 1, y, needs))
    return out


def _months(ex: Extracts) -> pd.DataFrame:
    j = ex.stacked("jobcenter_ydelser").rename(columns={"PNR_PSEUDO": "person"})
    j["year"] = j.MAANED.str[:4].astype(int)
    j["month"] = j.MAANED.str[5:7].astype(int)
    return j


def benefits(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    j = _months(ex)
    out = {k: [] for k in ("HP2017_OM_KONTANTHJAELP_ANTAL", "HP2017_OM_KONTANTHJAELP_AKTIVITETSPARAT", "HP2017_OM_FOERTIDSPENSION",
                           "HP2025_PROFIL_FOERTIDSPENSION_ANDEL", "HP2025_PROFIL_UDEN_FOR_ARBEJDSMARKEDET_MAANED",
                           "HP2025_BESK_UDEN_FOR_ARBEJDSMARKEDET", "HP2025_BESK_KONTANTHJAELP", "HP2025_BESK_MOEDRE_KONTANTHJAELP")}
    not_flex = j[j.YDELSE != "Fleksjob"]
    # a person is at most one full-time person in a month, however many benefits the month holds
    ft_month = not_flex.groupby(["person", "year", "month"]).FULDTIDSANDEL.sum().clip(upper=1).rename("ft").reset_index()
    for y, s in res.groupby("year"):
        needs = {"jobcenter_ydelser": [y]}
        jy = j[j.year == y]
        matched = jy[jy.YDELSE.isin(MATCHED)]
        m_months = matched.drop_duplicates(["person", "month"])
        got = s.person.isin(matched.person).to_numpy()
        out["HP2017_OM_KONTANTHJAELP_ANTAL"].append(_rows(s, str(y), got, got, y, needs))
        per = m_months.groupby("person").agg(months=("month", "size"), active=("MATCHGRUPPE", lambda g: (g == "Aktivitetsparat").sum()))
        r = s[s.person.isin(per.index)]
        out["HP2017_OM_KONTANTHJAELP_AKTIVITETSPARAT"].append(
            _rows(r, str(y), per.active.reindex(r.person).to_numpy(), per.months.reindex(r.person).to_numpy(), y, needs))
        a = s[age_on(s.FOEDSELSDATO, date(y, 1, 1)).between(18, 64)]
        pension = jy[jy.YDELSE == "Førtidspension"]
        out["HP2017_OM_FOERTIDSPENSION"].append(_rows(a, str(y), a.person.isin(pension.person), 1, y, needs))
        ft_pension = pension.groupby("person").FULDTIDSANDEL.sum() / 12
        ft_all = ft_month[ft_month.year == y].groupby("person").ft.sum() / 12
        r = a[a.person.isin(ft_all.index)]
        out["HP2025_PROFIL_FOERTIDSPENSION_ANDEL"].append(
            _rows(r, str(y), ft_pension.reindex(r.person).fillna(0).to_numpy(), ft_all.reindex(r.person).to_numpy(), y, needs))
        for m in range(1, 13):
            on = set(not_flex[(not_flex.year == y) & (not_flex.month == m)].person)
            out["HP2025_PROFIL_UDEN_FOR_ARBEJDSMARKEDET_MAANED"].append(
                _rows(a, f"{y}-{m:02d}", a.person.isin(on), 1, y, needs))
        # October (y-1) to September y: the 1 January stock inside the window is y's
        window = lambda df, y=y: df[((df.year == y - 1) & (df.month >= 10)) | ((df.year == y) & (df.month <= 9))]  # noqa: E731
        wneeds = {"jobcenter_ydelser": [y - 1, y]}
        period = f"{y - 1}-10..{y}-09"
        ft = window(ft_month).groupby("person").ft.sum() / 12
        out["HP2025_BESK_UDEN_FOR_ARBEJDSMARKEDET"].append(_rows(a, period, ft.reindex(a.person).fillna(0).to_numpy(), 1, y, wneeds))
        kh = window(j)
        kh = kh[(kh.YDELSE == "Kontanthjælp") & kh.MATCHGRUPPE.isin(["Jobparat", "Aktivitetsparat"])]
        kh = kh.groupby(["person", "year", "month"]).FULDTIDSANDEL.sum().clip(upper=1).groupby("person").sum() / 12
        out["HP2025_BESK_KONTANTHJAELP"].append(_rows(a, period, kh.reindex(a.person).fillna(0).to_numpy(), 1, y, wneeds))
        # mothers with a child under 18 at the December snapshot living with them: the same CPR
        # household (FAMILIE_ID) in the 1 January stock, the only household the extracts give
        kids = s[(age_on(s.FOEDSELSDATO, date(y, 12, 31)) < 18) & s.MOR_PNR_PSEUDO.notna()]
        at_home = kids.merge(s[["person", "FAMILIE_ID"]], left_on=["MOR_PNR_PSEUDO", "FAMILIE_ID"], right_on=["person", "FAMILIE_ID"],
                             suffixes=("_child", ""))
        mothers = s[s.person.isin(at_home.person)]
        dec = set(jy[(jy.month == 12) & (jy.YDELSE == "Kontanthjælp")].person)
        out["HP2025_BESK_MOEDRE_KONTANTHJAELP"].append(_rows(mothers, f"{y}-12", mothers.person.isin(dec), 1, y, needs))
    return out


def school(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    """Per pupil and school year, summed over the pupil's schools; placed by 1 January of the
    school year's first calendar year."""
    out = {k: [] for k in ("HP2017_SK_FRAVAERSDAGE", "HP2025_UDD_FRAVAERSPROCENT", "HP2025_UDD_FRAVAER_OVER_10PCT",
                           "HP2025_PROFIL_FRAVAER_OVER_15PCT")}
    for y, f in ex.frames("skolefravaer").items():
        f = f.assign(absent=f.FRAVAER_SYGDOM + f.FRAVAER_LOVLIGT + f.FRAVAER_ULOVLIGT)
        p = f.groupby("PNR_PSEUDO").agg(absent=("absent", "sum"), days=("SKOLEDAGE", "sum"), months=("MAANEDER_INDSKREVET", "sum"),
                                        grade=("KLASSETRIN", "max")).reset_index().rename(columns={"PNR_PSEUDO": "person"})
        s = res[res.year == y][["person"]].merge(p, on="person")
        share = s.absent / s.days
        period = f"{y}/{(y + 1) % 100:02d}"
        needs = {"skolefravaer": [y]}
        g9 = s[s.grade <= 9]
        out["HP2017_SK_FRAVAERSDAGE"].append(_rows(g9, period, g9.absent, 1, y, needs))
        out["HP2025_UDD_FRAVAERSPROCENT"].append(_rows(s, period, s.months * share, s.months, y, needs))
        # "over 10 %": strictly above, compared exactly (days have one decimal): 21,9 of 146 days
        # is 15 %, though 21.9 / 146 is 0.15000000000000002 in floating point
        tenths = (s.absent * 10).round()
        out["HP2025_UDD_FRAVAER_OVER_10PCT"].append(_rows(s, period, s.months * (tenths * 10 > 10 * s.days), s.months, y, needs))
        out["HP2025_PROFIL_FRAVAER_OVER_15PCT"].append(_rows(s, period, s.months * (tenths * 10 > 15 * s.days), s.months, y, needs))
    return out


def youth_education(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    out = {"HP2017_SK_9KL_UNGDOMSUDDANNELSE": [], "HP2025_UDD_UNGDOMSUDD_15_MDR": [], "HP2025_UDD_UNGDOMSUDD_SAMME_AAR": []}
    for y, f in ex.frames("uu_vejledning").items():
        f = f[f.STATUS != "I 10. klasse"].rename(columns={"PNR_PSEUDO": "person"})
        s = res[res.year == y][["person"]]
        needs = {"uu_vejledning": [y]}
        k9 = s.merge(f[(f.AFGANGSKLASSE == "9") & (f.AFGANGSAAR == y)], on="person")
        out["HP2017_SK_9KL_UNGDOMSUDDANNELSE"].append(_rows(k9, str(y), k9.STATUS == "I ungdomsuddannelse", 1, y, needs))
        same = s.merge(f[f.AFGANGSAAR == y], on="person")
        out["HP2025_UDD_UNGDOMSUDD_SAMME_AAR"].append(_rows(same, str(y), same.STATUS.isin(IN_YOUTH_EDUCATION), 1, y, needs))
        later = s.merge(f[f.AFGANGSAAR == y - 1], on="person")
        out["HP2025_UDD_UNGDOMSUDD_15_MDR"].append(_rows(later, str(y), later.STATUS.isin(IN_YOUTH_EDUCATION), 1, y, needs))
    return out


def youth_school(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    """13-18 (born y-18..y-13) on 1 January, not placed outside the home on 1 September; enrolled
    in school year y/y+1 with TILMELDT by 1 September."""
    spells = ex.latest_spells("anbringelser", ["PNR_PSEUDO", "START"])
    out = {"HP2025_KRIM_UNGDOMSSKOLE_13_18": []}
    frames = ex.frames("ungdomsskole")
    for y, s in res.groupby("year"):
        if y not in frames:
            continue
        born = pd.to_datetime(s.FOEDSELSDATO).dt.year
        s = s[born.between(y - 18, y - 13)]
        sep1 = date(y, 9, 1)
        placed = spells[(spells.START <= sep1) & (spells.SLUT.isna() | (spells.SLUT >= sep1))]
        s = s[~s.person.isin(placed.PNR_PSEUDO)]
        f = frames[y]
        enrolled = set(f[f.TILMELDT <= sep1].PNR_PSEUDO)
        out["HP2025_KRIM_UNGDOMSSKOLE_13_18"].append(
            _rows(s, f"{y}-09", s.person.isin(enrolled), 1, y, {"ungdomsskole": [y], "anbringelser": [y]}))
    return out


def language(ex: Extracts, res: pd.DataFrame) -> dict[str, list]:
    """Children assessed for a presumed need, placed by 1 January of the year; a child assessed
    twice in the year counts once, with the year's last assessment."""
    out = {"HP2025_SPROGVURDERING": []}
    for y, f in ex.frames("sprogvurdering").items():
        f = f[f.AARSAG == "Formodet behov"].sort_values("VURDERINGSDATO").drop_duplicates("PNR_PSEUDO", keep="last")
        s = res[res.year == y][["person"]].merge(f.rename(columns={"PNR_PSEUDO": "person"}), on="person")
        out["HP2025_SPROGVURDERING"].append(_rows(s, str(y), s.RESULTAT != "Generel indsats", 1, y, {"sprogvurdering": [y]}))
    return out


ALL = (stock_profile, placements, benefits, school, youth_education, youth_school, language)
