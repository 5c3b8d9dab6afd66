"""The oracle's expected values: ``expected(extract_dir)`` → one row per indicator × geography ×
period with numerator, denominator and value (NaN: the period cannot be known, e.g. a year a
source did not deliver)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from tests.oracle import groups, person
from tests.oracle.extracts import SEEDS, Extracts, geographies_of_area, residents

COLUMNS = ["indicator_id", "geography_code", "period", "numerator", "denominator", "value", "persons"]
# The source-year each yearly chunk of an indicator stands on, for periods never delivered.
PERIOD_OF_YEAR = {
    "skolefravaer": lambda y: f"{y}/{(y + 1) % 100:02d}",
    "uu_vejledning": str, "sprogvurdering": str, "anbringelser": str, "ungdomsskole": lambda y: f"{y}-09",
}
SOURCE_OF = {"HP2017_SK_FRAVAERSDAGE": "skolefravaer", "HP2025_UDD_FRAVAERSPROCENT": "skolefravaer",
             "HP2025_UDD_FRAVAER_OVER_10PCT": "skolefravaer", "HP2025_PROFIL_FRAVAER_OVER_15PCT": "skolefravaer",
             "HP2017_SK_9KL_UNGDOMSUDDANNELSE": "uu_vejledning", "HP2025_UDD_UNGDOMSUDD_15_MDR": "uu_vejledning",
             "HP2025_UDD_UNGDOMSUDD_SAMME_AAR": "uu_vejledning", "HP2025_SPROGVURDERING": "sprogvurdering",
             "HP2025_KRIM_UNGDOMSSKOLE_13_18": "ungdomsskole"}


def _units() -> dict[str, str]:
    cat = pd.concat([pd.read_csv(SEEDS / f"indicators_{p}.csv", dtype=str) for p in ("hp2017", "hp2025")])
    return dict(zip(cat.indicator_id, cat.unit))


def _aggregate(indicator: str, chunks: list[pd.DataFrame], places: pd.DataFrame, delivered, unit: str) -> pd.DataFrame:
    rows = []
    for chunk in chunks:
        if chunk.empty:
            continue
        missing = any(y not in delivered(src) for src, ys in chunk.attrs.get("needs", {}).items() for y in ys)
        c = chunk.merge(places, on=["person", "res_year"])
        c = c.explode("geos")
        g = c.groupby("geos").agg(numerator=("num", "sum"), denominator=("den", "sum"), persons=("person", "nunique"))
        for geo, r in g.iterrows():
            rows.append((indicator, geo, chunk.period.iloc[0], r.numerator, r.denominator, r.persons, missing))
    df = pd.DataFrame(rows, columns=["indicator_id", "geography_code", "period", "numerator", "denominator", "persons", "missing"])
    if unit == "count":
        df["value"], df["denominator"] = df.numerator, np.nan
    elif unit == "pct":
        df["value"] = 100 * df.numerator / df.denominator.where(df.denominator > 0)
    else:
        df["value"] = df.numerator / df.denominator.where(df.denominator > 0)
    df.loc[df.missing, ["numerator", "denominator", "value"]] = np.nan
    return df.drop(columns="missing")


def _period_end(period: str) -> date:
    """The last day of a period as the catalogue writes it: 2023, 2023/24 (ends 31 July 2024),
    2023-10..2024-09, 2024-12."""
    if "/" in period:
        return date(int(period[:4]) + 1, 7, 31)
    last = period.split("..")[-1]
    if len(last) == 7:
        y, m = int(last[:4]), int(last[5:])
        return date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    return date(int(last), 12, 31)


def expected(extract_dir: Path, report_year: int = 2025) -> pd.DataFrame:
    """Periods that had ended by 31 December of ``report_year`` (the extracts run to its end)."""
    as_of = date(report_year, 12, 31)
    ex = Extracts(extract_dir)
    res = residents(ex)
    places = res[["person", "year", "area"]].rename(columns={"year": "res_year"})
    places["geos"] = places.area.map(geographies_of_area)
    places = places.drop(columns="area")
    years = range(min(res.year), max(res.year) + 1)
    units = _units()
    delivered = lambda src: ex.years(src)  # noqa: E731
    frames = []
    for fn in person.ALL:
        for indicator, chunks in fn(ex, res).items():
            frames.append(_aggregate(indicator, chunks, places, delivered, units[indicator]))
    for indicator, src in SOURCE_OF.items():  # years a source never delivered: unknown
        gaps = [y for y in years if y not in ex.years(src)]
        geos = sorted({g for gs in places.geos for g in gs})
        frames.append(pd.DataFrame([(indicator, g, PERIOD_OF_YEAR[src](y)) for y in gaps for g in geos],
                                   columns=["indicator_id", "geography_code", "period"]).assign(value=np.nan))
    frames += groups.housing(ex, years)
    frames += groups.daycare(ex, res)
    out = pd.concat([f.reindex(columns=COLUMNS) for f in frames if len(f)], ignore_index=True)
    out = out[out.period.map(_period_end) <= as_of]
    return out.drop_duplicates(["indicator_id", "geography_code", "period"], keep="last")
