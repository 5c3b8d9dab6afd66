"""The pandas peer: the indicator subset of bench/subset.py as an analyst would script it.

It starts where the floor starts (the raw tables, text as delivered, read one yearly file at
a time as an analyst loops over the extract files), parses with pandas, places addresses in
areas with the printed ranges, aggregates per area and rolls the area rows up to the
geographies. Vectorised throughout (no Python loops over rows); memory holds about one year.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from bench.subset import normalise


def _year_frame(con: duckdb.DuckDBPyConnection, table: str, columns: str, year: int) -> pd.DataFrame:
    return con.execute(f"select {columns} from raw.{table} where _extract_year = ?", [year]).df()


def _years(con: duckdb.DuckDBPyConnection, table: str) -> list[int]:
    return [r[0] for r in con.execute(f"select distinct _extract_year from raw.{table} order by 1").fetchall()]


def _decimal(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.str.replace(",", ".", regex=False))


def area_geography(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The address ranges, and area_code (NA = outside) -> every geography it counts towards."""
    ranges = con.execute("select * from reference.area_address_ranges").df()
    plan_areas = con.execute("select plan_code, area_code from reference.plan_areas").df()
    geographies = con.execute("select geography_code, geography_type, plan_code from reference.geographies").df()
    ranges["street_key"] = ranges["street_name"].str.strip().str.lower()
    letters = ranges["letters"].astype("string").str.strip().str.upper()
    ranges["letters"] = letters.mask(letters == "")
    areas = pd.Series(sorted(ranges["area_code"].unique()), dtype="string")
    all_areas = pd.concat([areas, pd.Series([pd.NA], dtype="string")], ignore_index=True)
    parts = [pd.DataFrame({"area_code": areas, "geography_code": areas})]
    totals = geographies[geographies["geography_type"] == "plan_total"]
    parts.append(plan_areas.merge(totals, on="plan_code")[["area_code", "geography_code"]])
    parts.append(pd.DataFrame({"area_code": all_areas, "geography_code": "RANDERS"}))
    for row in geographies[geographies["geography_type"] == "municipality_excl_plan"].itertuples():
        inside = set(plan_areas.loc[plan_areas["plan_code"] == row.plan_code, "area_code"])
        outside = all_areas[~all_areas.isin(inside)]
        parts.append(pd.DataFrame({"area_code": outside, "geography_code": row.geography_code}))
    mapping = pd.concat(parts, ignore_index=True).astype("string")
    mapping["area_key"] = mapping["area_code"].fillna("")
    return ranges, mapping[["area_key", "geography_code"]]


def place_addresses(addresses: pd.DataFrame, ranges: pd.DataFrame) -> pd.DataFrame:
    """(street, nr, letter) -> area_code by the printed ranges (NA outside every area)."""
    a = addresses.copy()
    a["street_key"] = a["street"].str.strip().str.lower()
    m = a.merge(ranges[["street_key", "area_code", "number_from", "number_to", "parity", "letters"]], on="street_key")
    nr = m["nr"]
    parity_ok = (m["parity"] == "all") | ((m["parity"] == "odd") & (nr % 2 == 1)) | ((m["parity"] == "even") & (nr % 2 == 0))
    letter = m["letter"].astype("string").str.strip().str.upper()
    # a range with letters covers only those letters: compare row by row, vectorised
    haystack = ("|" + m["letters"].fillna("") + "|").astype(str).to_numpy(dtype="U")
    needle = ("|" + letter.fillna("") + "|").astype(str).to_numpy(dtype="U")
    letter_ok = m["letters"].isna().to_numpy() | (np.char.find(haystack, needle) >= 0)
    hit = m[(nr >= m["number_from"]) & (nr <= m["number_to"]) & parity_ok & letter_ok]
    hit = hit.groupby(["street", "nr", "letter"], dropna=False, as_index=False)["area_code"].min()
    return a.drop(columns="street_key").merge(hit, on=["street", "nr", "letter"], how="left")


def residence_year(con, year: int, ranges: pd.DataFrame) -> pd.DataFrame:
    cpr = _year_frame(con, "cpr_befolkning", "PNR_PSEUDO, FOEDSELSDATO, VEJNAVN, HUSNR, HUSBOGSTAV", year)
    cpr = cpr.rename(columns={"PNR_PSEUDO": "person_key", "VEJNAVN": "street", "HUSBOGSTAV": "letter"})
    cpr["nr"] = pd.to_numeric(cpr["HUSNR"]).astype("int64")
    cpr["letter"] = cpr["letter"].astype("string").fillna("")
    placed = place_addresses(cpr[["street", "nr", "letter"]].drop_duplicates(), ranges)
    cpr = cpr.merge(placed, on=["street", "nr", "letter"], how="left")
    birth = pd.to_datetime(cpr["FOEDSELSDATO"], format="%Y-%m-%d")
    # completed years on 1 January
    cpr["age"] = year - birth.dt.year - ((birth.dt.month > 1) | (birth.dt.day > 1)).astype(int)
    cpr["area_key"] = cpr["area_code"].astype("string").fillna("")
    return cpr[["person_key", "age", "area_key"]]


def _roll_up(per_area: pd.DataFrame, mapping: pd.DataFrame, sums: list[str]) -> pd.DataFrame:
    return per_area.merge(mapping, on="area_key").groupby(["geography_code", "period"], as_index=False)[sums].sum()


def compute(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    ranges, mapping = area_geography(con)
    absence_parts, kh_parts, language_parts = [], [], []
    benefit_years = set(_years(con, "jobcenter_ydelser"))
    school_years = set(_years(con, "skolefravaer"))
    language = con.execute("select PNR_PSEUDO, VURDERINGSDATO, AARSAG, RESULTAT from raw.sprogvurdering").df()
    language = language[language["AARSAG"] == "Formodet behov"]
    language["year"] = pd.to_datetime(language["VURDERINGSDATO"], format="%Y-%m-%d").dt.year
    kh_previous = None
    for year in _years(con, "cpr_befolkning"):
        residents = residence_year(con, year, ranges)

        if year in school_years:
            pupils = _year_frame(con, "skolefravaer", "PNR_PSEUDO, SKOLEAAR, SKOLEDAGE, MAANEDER_INDSKREVET, "
                                 "FRAVAER_SYGDOM, FRAVAER_LOVLIGT, FRAVAER_ULOVLIGT", year)
            if not (pupils["SKOLEAAR"].str[:4].astype(int) == year).all():
                raise ValueError(f"skolefravaer_{year}: a school year that does not start in {year}")
            days = pd.to_numeric(pupils["SKOLEDAGE"])
            months = pd.to_numeric(pupils["MAANEDER_INDSKREVET"])
            absent = _decimal(pupils["FRAVAER_SYGDOM"]) + _decimal(pupils["FRAVAER_LOVLIGT"]) + _decimal(pupils["FRAVAER_ULOVLIGT"])
            per_pupil = pd.DataFrame({"person_key": pupils["PNR_PSEUDO"], "months": months, "days": days,
                                      "absent": absent, "weighted": months * absent / days})
            per_pupil = per_pupil.groupby("person_key", as_index=False).sum()
            per_pupil["over10"] = np.where(per_pupil["absent"] - 0.10 * per_pupil["days"] > 1e-9, per_pupil["months"], 0)
            per_pupil = per_pupil.merge(residents, on="person_key")
            per_area = per_pupil.groupby("area_key", as_index=False).agg(
                n=("person_key", "size"), den=("months", "sum"), num_rate=("weighted", "sum"), num_over10=("over10", "sum"))
            per_area["period"] = f"{year}/{(year + 1) % 100:02d}"
            absence_parts.append(_roll_up(per_area, mapping, ["n", "den", "num_rate", "num_over10"]))

        kh_current = None
        if year in benefit_years:
            months_ = _year_frame(con, "jobcenter_ydelser", "PNR_PSEUDO, MAANED, YDELSE, MATCHGRUPPE, FULDTIDSANDEL", year)
            months_ = months_[(months_["YDELSE"] == "Kontanthjælp") & months_["MATCHGRUPPE"].isin(["Jobparat", "Aktivitetsparat"])]
            month_no = months_["MAANED"].str[5:7].astype(int)
            kh_current = pd.DataFrame({"person_key": months_["PNR_PSEUDO"], "month": month_no,
                                       "fulltime": _decimal(months_["FULDTIDSANDEL"])})
        if year in benefit_years and year - 1 in benefit_years:
            window = pd.concat([kh_previous[kh_previous["month"] >= 10], kh_current[kh_current["month"] < 10]])
            per_person = window.groupby("person_key", as_index=False)["fulltime"].sum()
            per_person["fulltime"] = per_person["fulltime"].clip(upper=12.0) / 12.0
            adults = residents[(residents["age"] >= 18) & (residents["age"] <= 64)]
            adults = adults.merge(per_person, on="person_key", how="left").fillna({"fulltime": 0.0})
            per_area = adults.groupby("area_key", as_index=False).agg(n=("person_key", "size"), num=("fulltime", "sum"))
            per_area["den"] = per_area["n"]
            per_area["period"] = f"{year - 1}-10..{year}-09"
            kh_parts.append(_roll_up(per_area, mapping, ["n", "den", "num"]))
        kh_previous = kh_current

        assessed = language[language["year"] == year].merge(residents, left_on="PNR_PSEUDO", right_on="person_key")
        if len(assessed):
            result = assessed["RESULTAT"]
            per_area = assessed.assign(n_generel=result == "Generel indsats", n_fokuseret=result == "Fokuseret indsats",
                                       n_saerlig=result == "Særlig indsats").groupby("area_key", as_index=False).agg(
                n_assessed=("person_key", "size"), n_generel=("n_generel", "sum"),
                n_fokuseret=("n_fokuseret", "sum"), n_saerlig=("n_saerlig", "sum"))
            per_area["period"] = str(year)
            language_parts.append(_roll_up(per_area, mapping, ["n_assessed", "n_generel", "n_fokuseret", "n_saerlig"]))

    out = []
    if absence_parts:
        a = pd.concat(absence_parts)
        out.append(a.assign(measure="HP2025_UDD_FRAVAERSPROCENT", value=100.0 * a["num_rate"] / a["den"]))
        out.append(a.assign(measure="HP2025_UDD_FRAVAER_OVER_10PCT", value=100.0 * a["num_over10"] / a["den"]))
    if kh_parts:
        k = pd.concat(kh_parts)
        out.append(k.assign(measure="HP2025_BESK_KONTANTHJAELP", value=100.0 * k["num"] / k["den"]))
    if language_parts:
        lang = pd.concat(language_parts).rename(columns={"n_assessed": "n"})
        lang["n_assessed"] = lang["n"]
        for measure, column in (("LANG_N_ASSESSED", "n_assessed"), ("LANG_N_GENEREL", "n_generel"),
                                ("LANG_N_FOKUSERET", "n_fokuseret"), ("LANG_N_SAERLIG", "n_saerlig")):
            out.append(lang.assign(measure=measure, value=lang[column].astype(float)))
    columns = ["measure", "geography_code", "period", "n", "value"]
    return normalise(pd.concat([o[columns] for o in out], ignore_index=True))
