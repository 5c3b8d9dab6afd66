"""Indicators that belong to departments or institutions, not to where people live: leases,
moves, evictions and complaints by the department's area (seeds/housing_departments.csv);
daycare language by institution group (seeds/institutions.csv)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.oracle.extracts import HP2017_AREAS, HP2025_AREAS, SEEDS, Extracts, age_on


def _departments() -> pd.DataFrame:
    d = pd.read_csv(SEEDS / "housing_departments.csv", dtype={"department_number": int})
    return d[["org_code", "department_number", "area_code"]]


def _company() -> dict[str, str]:
    c = pd.read_csv(SEEDS / "housing_source_codes.csv", dtype=str)
    return dict(zip(c[c.source_system == "randersbolig"].source_code, c[c.source_system == "randersbolig"].org_code))


def _rb(ex: Extracts, name: str) -> pd.DataFrame:
    if not ex.frames(name):
        return pd.DataFrame(columns=["org_code", "department_number", "file_year"])
    f = ex.stacked(name)
    f["org_code"] = f.SELSKAB_NR.map(_company())
    f["department_number"] = f.AFDELING_NR.astype(int)
    return f


def _lj(ex: Extracts, name: str) -> pd.DataFrame:
    if not ex.frames(name):
        return pd.DataFrame(columns=["org_code", "department_number", "file_year"])
    f = ex.stacked(name)
    f["org_code"] = "LEJERBO"
    f["department_number"] = f.Afdelingsnr.astype(int)
    return f


def _by_geography(df: pd.DataFrame, geographies: tuple[str, ...]) -> pd.DataFrame:
    """Count rows per area, plan totals and the municipality (every department delivered)."""
    df = df.merge(_departments(), on=["org_code", "department_number"], how="left")
    rows = []
    for y, g in df.groupby("file_year"):
        for geo in geographies:
            if geo == "RANDERS":
                sel = g
            elif geo == "HP2025_ALL":
                sel = g[g.area_code.isin(HP2025_AREAS)]
            elif geo == "HP2017_ALL":
                sel = g[g.area_code.isin(HP2017_AREAS)]
            else:
                sel = g[g.area_code == geo]
            rows.append({"period": str(y), "geography_code": geo, "count": len(sel)})
    return pd.DataFrame(rows)


def _missing(years_delivered: set[int], years: range) -> list[int]:
    return [y for y in years if y not in years_delivered]


def housing(ex: Extracts, years: range) -> list[pd.DataFrame]:
    out = []
    geos25 = (*HP2025_AREAS, "HP2025_ALL", "RANDERS")
    geos17 = (*HP2017_AREAS, "HP2017_ALL", "RANDERS")
    leases = pd.concat([_rb(ex, "randersbolig_lejemaal"), _lj(ex, "lejerbo_lejemaal")])
    lc = _by_geography(leases, geos25 + ("HP2017_ALL",))  # HP2017_ALL: the move-out rate's denominator
    lc25 = lc[lc.geography_code != "HP2017_ALL"]
    out.append(lc25.assign(indicator_id="HP2025_PROFIL_LEJEMAAL", numerator=lc25["count"], denominator=float("nan"), value=lc25["count"]))
    moves = pd.concat([_rb(ex, "randersbolig_flytninger").query("HAENDELSE == 'Fraflytning'"),
                       _lj(ex, "lejerbo_flytninger").query("Haendelse == 'Fraflytning'")])
    mc = _by_geography(moves, geos17).merge(lc, on=["period", "geography_code"], suffixes=("", "_leases"), how="right")
    mc = mc[mc.geography_code.isin(geos17)].fillna({"count": 0})
    out.append(mc.assign(indicator_id="HP2017_SK_FRAFLYTNING", numerator=mc["count"], denominator=mc.count_leases,
                         value=100 * mc["count"] / mc.count_leases))
    complaints = pd.concat([_rb(ex, "randersbolig_klager"), _lj(ex, "lejerbo_klager")])
    cc = _by_geography(complaints, geos17)
    gaps = set(_missing(set(ex.frames("randersbolig_klager")), years)) | set(_missing(set(ex.frames("lejerbo_klager")), years))
    cc["value"] = cc["count"].where(~cc.period.astype(int).isin(gaps))
    for y in gaps:  # a year one organisation did not deliver: the count is unknown, never a part
        cc = pd.concat([cc[cc.period != str(y)], pd.DataFrame({"period": str(y), "geography_code": geos17, "value": float("nan")})])
    out.append(cc.assign(indicator_id="HP2017_SK_KLAGESAGER", numerator=cc.value, denominator=float("nan")))
    ev = _rb(ex, "randersbolig_udsaettelser")
    for ind, sel in [("HP2025_SAMH_UDSAETTELSER", ev), ("HP2025_SAMH_EFFEKTIVE_UDSAETTELSER", ev[ev.FULDBYRDET == "J"] if len(ev) else ev)]:
        c = _by_geography(sel, geos25)
        delivered = set(ex.frames("randersbolig_udsaettelser"))
        full = pd.DataFrame([(str(y), g) for y in years for g in geos25], columns=["period", "geography_code"])
        c = full.merge(c, on=["period", "geography_code"], how="left")
        c["value"] = c["count"].fillna(0).where(c.period.astype(int).isin(delivered))
        out.append(c.assign(indicator_id=ind, numerator=c.value, denominator=float("nan")))
    return out


def daycare(ex: Extracts, res: pd.DataFrame) -> list[pd.DataFrame]:
    """Children enrolled on 1 January by the year's file: 2-5-year-olds in a daginstitution (not
    dagpleje) by institution group, and every child of the three NUSSA institutions."""
    inst = pd.read_csv(SEEDS / "institutions.csv", dtype=str)
    nordby = set(inst[inst.is_nordby_daginstitution_2017 == "true"].institution_code)
    nussa = set(inst[inst.is_nussa_2017 == "true"].institution_code)
    births = res.drop_duplicates("person").set_index("person").FOEDSELSDATO
    rows = []
    for y, f in ex.frames("dagtilbud").items():
        jan1 = date(y, 1, 1)
        f = f[(f.INDMELDT <= jan1) & (f.UDMELDT.isna() | (f.UDMELDT >= jan1))].copy()
        f["age"] = age_on(f.PNR_PSEUDO.map(births), jan1)
        inst_f = f[(f.TILBUDSTYPE != "Dagpleje") & f.age.between(2, 5)].drop_duplicates("PNR_PSEUDO")
        for geo, sel in [("HP2017_ALL", inst_f[inst_f.INSTITUTION_KODE.isin(nordby)]),
                         ("RANDERS_EXCL_HP2017", inst_f[~inst_f.INSTITUTION_KODE.isin(nordby)]), ("RANDERS", inst_f)]:
            num = (sel.PRIMAER_UDFORDRING == "Sproglig").sum()
            rows.append(("HP2017_SK_SPROG_DAGINSTITUTION", geo, str(y), num, len(sel)))
        # a child in dagpleje is not enrolled in the institution, whatever code the row carries
        n = f[f.INSTITUTION_KODE.isin(nussa) & (f.TILBUDSTYPE != "Dagpleje")].drop_duplicates("PNR_PSEUDO")
        rows.append(("HP2017_SK_NUSSA_SPROG", "HP2017_NUSSA", str(y), (n.PRIMAER_UDFORDRING == "Sproglig").sum(), len(n)))
        rows.append(("HP2017_SK_NUSSA_SOCIAL", "HP2017_NUSSA", str(y), (n.PRIMAER_UDFORDRING == "Social og miljømæssig").sum(), len(n)))
    df = pd.DataFrame(rows, columns=["indicator_id", "geography_code", "period", "numerator", "denominator"])
    df["value"] = 100 * df.numerator / df.denominator.where(df.denominator > 0)
    return [df]
