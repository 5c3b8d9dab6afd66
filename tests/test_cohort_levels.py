"""Cohort outcomes on an awkward delivery: persons with no measurement before the start, and
cohorts so small that Student's t matters.

Hand-made upstream tables (the same relations tests/test_population_marts.py writes) are built
into a fresh DuckDB and only the cohort and population-mart models run on them:
- Fra fravær til fremmøde 2018 (GJP, age 10): 10 participants with no absence before the start;
  among the non-participants, 20 without a before value whose absence after is like the
  participants' (mean 5 %), and 20 with 20 % before and after. Docs/population-marts.md: "ingen
  måling" is a starting level of its own, so the participants are compared with the 20 unmeasured
  only, and the after difference is 0 (the bug put everyone unmeasured into "over 15 %").
- HotSpot 2018 (GLV, age 13): youth school; 13-year-olds have no before (the panel is 13-17).
  Participants and unmeasured others are both 50 % enrolled after; 14-year-olds measured "ikke
  tilmeldt" before are 0 % after. The after difference is 0.
- Familieklassen 2018 (VGD): two participants (absence 4 % and 6 % after, no before) and ten
  others at 5 %: difference 0, standard error exactly 1, so the 95 % interval is ±t(0.975; 1) =
  ±12.706 (the former approximation gave ±9.71).
And the seed of t quantiles is checked against scipy and a textbook table.
"""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pandas as pd
import pytest

from test_population_marts import COHORT_SELECTION, DBT_PROJECT, build_cohort_marts

COHORT_YEAR = 2018
SEED = DBT_PROJECT / "seeds" / "t_quantiles_975.csv"

# t(0.975, df) from a printed table (e.g. Montgomery & Runger, Applied Statistics, Table V)
TEXTBOOK_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 10: 2.228, 20: 2.086, 30: 2.042,
                 60: 2.000, 120: 1.980}


def _spell(person: str, activity: str) -> tuple:
    return (person, activity, date(COHORT_YEAR, 3, 1), date(COHORT_YEAR, 6, 1), True, COHORT_YEAR)


def _inputs() -> dict[str, pd.DataFrame]:
    spells, absence, residents, youth_school = [], [], [], []

    # absence: school year 2017/18 is 'before', 2018/19 'after' (lookback 1, after_from 0)
    for i in range(10):
        p = f"FRAP{i:03d}"
        spells.append(_spell(p, "FRA_FRAVAER_TIL_FREMMOEDE"))
        absence.append((p, COHORT_YEAR, 0.04 if i % 2 else 0.06))
        residents.append((p, COHORT_YEAR, 10, "GJP"))
    for i in range(20):
        p = f"FRAN{i:03d}"  # not measured before, like the participants
        absence.append((p, COHORT_YEAR, 0.04 if i % 2 else 0.06))
        residents.append((p, COHORT_YEAR, 10, "GJP"))
        p = f"FRAH{i:03d}"  # over 15 % before, and after
        absence += [(p, COHORT_YEAR - 1, 0.20), (p, COHORT_YEAR, 0.20)]
        residents.append((p, COHORT_YEAR, 10, "GJP"))

    for i, value in enumerate((0.04, 0.06)):
        p = f"FKLP{i:03d}"
        spells.append(_spell(p, "FAMILIEKLASSEN"))
        absence.append((p, COHORT_YEAR, value))
        residents.append((p, COHORT_YEAR, 8, "VGD"))
    for i in range(10):
        p = f"FKLC{i:03d}"
        absence.append((p, COHORT_YEAR, 0.05))
        residents.append((p, COHORT_YEAR, 8, "VGD"))

    # youth school: residents 13-17; 13-year-olds were 12 the year before, so no before value
    for prefix, n in (("HOTP", 10), ("HOTN", 20)):
        for i in range(n):
            p = f"{prefix}{i:03d}"
            residents += [(p, COHORT_YEAR - 1, 12, "GLV"), (p, COHORT_YEAR, 13, "GLV")]
            if i % 2:
                youth_school.append((p, COHORT_YEAR))
            if prefix == "HOTP":
                spells.append(_spell(p, "HOTSPOT"))
    for i in range(20):
        p = f"HOTM{i:03d}"  # measured before: 13 and not enrolled; not enrolled after either
        residents += [(p, COHORT_YEAR - 1, 13, "GLV"), (p, COHORT_YEAR, 14, "GLV")]

    return {
        "staging.stg_kommune__indsatsdeltagelse": pd.DataFrame(spells),
        "intermediate.int_person__residence_year": pd.DataFrame(residents),
        "intermediate.int_school__absence_pupil_year": pd.DataFrame(absence),
        "intermediate.int_youth_school__enrolments": pd.DataFrame(youth_school),
    }


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("cohort_levels")
    path = tmp / "warehouse.duckdb"
    build_cohort_marts(path, _inputs(), COHORT_SELECTION)
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _cell(con, activity: str, period_kind: str) -> dict:
    df = con.execute("SELECT * FROM marts.mart_population_indicator WHERE activity_code = ? AND cohort_year = ? "
                     "AND period_kind = ?", [activity, COHORT_YEAR, period_kind]).df()
    assert len(df) == 1, (activity, period_kind, len(df))
    return df.iloc[0].to_dict()


def test_unmeasured_absence_participants_are_compared_with_the_unmeasured(marts):
    after = _cell(marts, "FRA_FRAVAER_TIL_FREMMOEDE", "after")
    assert after["n_participants"] == 10
    assert after["participants_value"] == pytest.approx(5.0)
    # only the 20 non-participants without a before value share the participants' stratum
    assert after["n_comparison"] == 20
    assert after["comparison_value"] == pytest.approx(5.0)
    assert after["difference"] == pytest.approx(0.0, abs=1e-9)
    # nobody has a before value, so there is no before or change to compare
    assert pd.isna(_cell(marts, "FRA_FRAVAER_TIL_FREMMOEDE", "change")["difference"])


def test_unmeasured_youth_school_participants_are_not_ikke_tilmeldt(marts):
    after = _cell(marts, "HOTSPOT", "after")
    assert after["n_participants"] == 10 and after["n_comparison"] == 20
    assert after["participants_value"] == pytest.approx(50.0)
    assert after["comparison_value"] == pytest.approx(50.0)
    assert after["difference"] == pytest.approx(0.0, abs=1e-9)


def test_interval_uses_the_exact_t_quantile(marts):
    after = _cell(marts, "FAMILIEKLASSEN", "after")
    assert after["n_participants"] == 2 and after["n_comparison"] == 10
    assert after["difference"] == pytest.approx(0.0, abs=1e-9)
    # participants 4 and 6: s^2 = 2, se^2 = 2/2 = 1; the comparison's variance is 0
    assert after["ci_high"] == pytest.approx(12.706205, abs=1e-5)
    assert after["ci_low"] == pytest.approx(-12.706205, abs=1e-5)


def _seed() -> dict[int, float]:
    with SEED.open(newline="") as f:
        return {int(r["df"]): float(r["t_975"]) for r in csv.DictReader(f)}


def test_t_seed_matches_scipy_and_a_textbook_table():
    stats = pytest.importorskip("scipy.stats")
    seed = _seed()
    assert sorted(seed) == list(range(1, max(seed) + 1))
    for df, value in TEXTBOOK_T975.items():
        assert round(seed[df], 3) == value, df
    for df, value in seed.items():
        assert value == pytest.approx(stats.t.ppf(0.975, df), abs=1e-11), df
    # beyond the seed the macro's normal quantile is within 0.0005 of t (t falls with df), so an
    # interval end with a standard error up to 100 points moves less than half a printed decimal
    z = stats.norm.ppf(0.975)
    assert (stats.t.ppf(0.975, max(seed) + 1) - z) * 100 < 0.05
    assert (stats.t.ppf(0.975, max(seed)) - z) * 100 >= 0.05  # and the seed is no longer than needed
