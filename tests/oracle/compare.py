"""Compare the warehouse's marts with the oracle: a table of every disagreement."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# What the oracle defines; rows of other geographies are not compared (docs/oracle.md).
NOT_COMPARED_GEOGRAPHIES = {
    # Institution-group indicators: the catalogue counts by institution, not by residence.
    "HP2017_SK_SPROG_DAGINSTITUTION": {"GJP", "GLV", "VGD"},
    "HP2017_SK_NUSSA_SPROG": {"GJP", "GLV", "VGD", "HP2017_ALL", "RANDERS"},
    "HP2017_SK_NUSSA_SOCIAL": {"GJP", "GLV", "VGD", "HP2017_ALL", "RANDERS"},
    # pupils of the three schools: not in the oracle yet
    "HP2017_SK_FRAVAERSDAGE": {"HP2017_FRAVAER_SKOLER"},
}


def mart_values(warehouse: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql("""
            select indicator_id, geography_code, period, numerator, denominator, value
            from marts.mart_area_indicator
            where source_kind = 'computed' and period not like '____-____'
        """).df()


def _close(a, b) -> np.ndarray:
    a, b = np.asarray(a, float), np.asarray(b, float)
    both_nan = np.isnan(a) & np.isnan(b)
    return both_nan | np.isclose(a, b, rtol=1e-9, atol=1e-6)


def mismatches(ours: pd.DataFrame, oracle: pd.DataFrame) -> pd.DataFrame:
    """Rows where the mart and the oracle disagree on value, numerator or denominator, or where
    one has a value the other has not. Columns: indicator_id, geography_code, period, field,
    ours, oracle."""
    keep = ~ours.apply(lambda r: r.geography_code in NOT_COMPARED_GEOGRAPHIES.get(r.indicator_id, ()), axis=1)
    ours = ours[keep]
    oracle = oracle[oracle.indicator_id.isin(ours.indicator_id.unique()) | oracle.value.notna()]
    oracle = oracle.rename(columns={"persons": "persons_oracle"})
    m = ours.merge(oracle, on=["indicator_id", "geography_code", "period"], how="outer", suffixes=("_ours", "_oracle"), indicator=True)
    out = []
    for field in ("value", "numerator", "denominator"):
        a, b = m[f"{field}_ours"], m[f"{field}_oracle"]
        if field in ("numerator", "denominator"):  # counts carry no denominator in the oracle
            bad = ~_close(a, b) & b.notna()
        else:
            bad = ~_close(a, b)
            # a geography with nobody in the population: no row in the mart is right too
            bad &= ~((m._merge == "right_only") & (m.persons_oracle.fillna(0) == 0) & b.isna())
        sel = m[bad]
        out.append(pd.DataFrame({"indicator_id": sel.indicator_id, "geography_code": sel.geography_code, "period": sel.period,
                                 "field": field, "ours": a[bad], "oracle": b[bad]}))
    return pd.concat(out, ignore_index=True).sort_values(["indicator_id", "geography_code", "period", "field"])


def cohort_mismatches(warehouse: Path, oracle: pd.DataFrame) -> pd.DataFrame:
    """Cohort sizes (n_cohort, and n_resident on 1 January of the start year, per plan × activity ×
    cohort year) that differ, in the same layout."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ours = con.sql("""select plan_code, activity_code, cohort_year, max(n_cohort) as n_cohort, max(n_resident) as n_resident
                          from marts.mart_population_indicator group by all""").df()
    m = ours.merge(oracle, on=["plan_code", "activity_code", "cohort_year"], how="outer", suffixes=("_ours", "_oracle"))
    out = []
    for field in ("n_cohort", "n_resident"):
        bad = m[~_close(m[f"{field}_ours"], m[f"{field}_oracle"])]
        out.append(pd.DataFrame({"indicator_id": "cohort:" + bad.plan_code + ":" + bad.activity_code, "geography_code": "",
                                 "period": bad.cohort_year.astype(str), "field": field,
                                 "ours": bad[f"{field}_ours"], "oracle": bad[f"{field}_oracle"]}))
    return pd.concat(out, ignore_index=True)


def cohort_outcome_mismatches(warehouse: Path, oracle: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Every cohort cell (plan × activity × cohort year × period kind) of the outcome kinds the
    oracle covers: each field of tests.oracle.cohort_outcomes.FIELDS that differs, and a cell one
    side has and the other not. Returns (mismatches in the layout above, cells compared)."""
    from tests.oracle.cohort_outcomes import FIELDS, KEY

    kinds = sorted(oracle.outcome_kind.unique())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ours = con.execute(f"select {', '.join(KEY + FIELDS)} from marts.mart_population_indicator "
                           f"where outcome_kind in (select unnest(?))", [kinds]).df()
    m = ours.merge(oracle, on=KEY, how="outer", suffixes=("_ours", "_oracle"), indicator=True)
    out = []
    for field in FIELDS + ["row"]:
        if field == "row":
            bad = m._merge != "both"
            a, b = (m._merge != "right_only").astype(float), (m._merge != "left_only").astype(float)
        else:
            a, b = m[f"{field}_ours"], m[f"{field}_oracle"]
            bad = ~_close(a, b) & (m._merge == "both")
        sel = m[bad]
        out.append(pd.DataFrame({"indicator_id": "cohort:" + sel.plan_code + ":" + sel.activity_code + ":" + sel.outcome_kind,
                                 "geography_code": sel.period_kind, "period": sel.cohort_year.astype(str),
                                 "field": field, "ours": a[bad], "oracle": b[bad]}))
    return pd.concat(out, ignore_index=True), int((m._merge == "both").sum())


OUTPUT_FIELDS = ["participants", "started", "finished", "completed", "completion_pct"]


def output_mismatches(warehouse: Path, oracle: pd.DataFrame) -> pd.DataFrame:
    """The activities' outputs per plan × activity × year (intermediate.int_cohort__outputs, the
    table the population export's outputs come from) that differ, or that one side has."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ours = con.sql(f"""select coalesce(plan_code, '') as plan_code, activity_code, year, {', '.join(OUTPUT_FIELDS)}
                           from intermediate.int_cohort__outputs""").df()
    m = ours.merge(oracle, on=["plan_code", "activity_code", "year"], how="outer", suffixes=("_ours", "_oracle"))
    out = []
    for field in OUTPUT_FIELDS:
        a, b = m[f"{field}_ours"], m[f"{field}_oracle"]
        bad = ~_close(a, b)
        sel = m[bad]
        out.append(pd.DataFrame({"indicator_id": "outputs:" + sel.plan_code + ":" + sel.activity_code, "geography_code": "",
                                 "period": sel.year.astype(str), "field": field, "ours": a[bad], "oracle": b[bad]}))
    return pd.concat(out, ignore_index=True)
