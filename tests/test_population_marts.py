"""The population marts find an effect that is known by construction and do not report one that
is not there.

Hand-made upstream tables (the columns the cohort models read from staging and the person-year
models) are written into a fresh DuckDB, and only the cohort, population-mart and export models
are built on them with dbt. The residents of one area and age band get school absence, youth
guidance status and a participation extract whose outcome the test sets:
- Fra fravær til fremmøde 2018: participants' absence falls 4 points more than the comparison's
  (a difference-in-differences of -4 by construction);
- Familieklassen 2018: participants drawn exactly like non-participants (no effect);
- Brandkadet 2018: 90 % of participants in a youth education against 60 % of the others;
- Legepatruljen 2018: two participants, a cell the export must suppress.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"

COHORT_YEAR = 2018
ABSENCE_EFFECT = -4.0  # percentage points, participants' change minus the comparison's change
N_PARTICIPANTS = 80
N_OTHERS = 800

# Upstream relations the cohort models read, with the columns they use.
UPSTREAM = {
    "staging.stg_kommune__indsatsdeltagelse": "person_key VARCHAR, activity_code VARCHAR, start_date DATE, "
                                               "end_date DATE, is_completed BOOLEAN, extract_year INTEGER",
    "staging.stg_kommune__cpr_befolkning": "person_key VARCHAR, birth_date DATE, stock_date DATE, extract_year INTEGER, "
                                           "mother_person_key VARCHAR, father_person_key VARCHAR, street_name VARCHAR, "
                                           "house_number INTEGER, house_letter VARCHAR, floor VARCHAR, door VARCHAR",
    "intermediate.int_person__residence_year": "person_key VARCHAR, year INTEGER, age_years BIGINT, area_code VARCHAR",
    "intermediate.int_school__absence_pupil_year": "person_key VARCHAR, school_year_start INTEGER, absence_rate DOUBLE",
    "intermediate.int_language__assessments": "person_key VARCHAR, assessment_date DATE, assessment_year BIGINT, "
                                              "result_category VARCHAR, is_presumed_need BOOLEAN, "
                                              "extract_year INTEGER, source_row BIGINT",
    "staging.stg_kommune__uu_vejledning": "person_key VARCHAR, status_date DATE, education_status VARCHAR",
    "intermediate.int_jobcenter__benefit_months": "person_key VARCHAR, window_end_year BIGINT, benefit_month DATE",
    "staging.stg_randersbolig__udsaettelser": "org_source_code VARCHAR, department_number INTEGER, "
                                              "lease_number VARCHAR, decision_date DATE",
    "staging.stg_randersbolig__lejemaal": "org_source_code VARCHAR, department_number INTEGER, lease_number VARCHAR, "
                                          "extract_year INTEGER, street_name VARCHAR, house_number INTEGER, "
                                          "house_letter VARCHAR, floor VARCHAR, door VARCHAR",
    "intermediate.int_youth_school__enrolments": "person_key VARCHAR, school_year_start INTEGER",
    # read only by data_vintage(), which the build below sets with --vars instead
    "staging.stg_kommune__jobcenter_ydelser": "benefit_month DATE",
    "staging.stg_kommune__sprogvurdering": "assessment_date DATE",
    "staging.stg_randersbolig__flytninger": "move_date DATE",
    "staging.stg_lejerbo__flytninger": "move_date DATE",
    "staging.stg_randersbolig__klager": "complaint_date DATE",
    "staging.stg_lejerbo__klager": "complaint_date DATE",
}


# The cohort models and the seeds they read, built on hand-made upstream tables (UPSTREAM).
COHORT_SELECTION = ["plans", "activities", "activities_published_2019", "activities_outcomes", "t_quantiles_975",
                    "int_spells__participation", "path:models/intermediate/cohorts", "path:models/marts/population"]


def build_cohort_marts(path: Path, frames: dict[str, pd.DataFrame], select: list[str]) -> None:
    """A warehouse at ``path`` whose UPSTREAM tables hold ``frames`` (the others empty), then
    `dbt build` of ``select`` on it. The hand-made tables end in 2019; the data vintage is given,
    as a refresh may give it."""
    con = duckdb.connect(str(path))
    for schema in ("staging", "intermediate"):
        con.execute(f"CREATE SCHEMA {schema}")
    for name, columns in UPSTREAM.items():
        con.execute(f"CREATE TABLE {name} ({columns})")
        if name in frames:
            con.register("frame", frames[name])
            con.execute(f"INSERT INTO {name} SELECT * FROM frame")
            con.unregister("frame")
    con.close()
    tmp = path.parent
    env = {**os.environ, "BOLIGMONITOR_WAREHOUSE": str(path), "DBT_TARGET_PATH": str(tmp / "target"),
           "DBT_LOG_PATH": str(tmp / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run([str(DBT), "build", "--select", *select, "--indirect-selection", "cautious",
                             "--profiles-dir", ".", "--vars", "{report_year: 2024, data_vintage: '2024-12-31'}"],
                            cwd=DBT_PROJECT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"


def _people(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(n)]


def _absence_cohort(rng, activity: str, effect: float, area: str) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Participants and non-participants aged 10 in ``area``; before absence 2-14 %, after = before
    plus a common trend plus noise, and ``effect`` more for the participants."""
    spells, absence, residents = [], [], []
    for prefix, n, extra in ((f"{activity[:3]}P", N_PARTICIPANTS, effect), (f"{activity[:3]}C", N_OTHERS, 0.0)):
        for person in _people(prefix, n):
            before = rng.uniform(2, 14)
            after = max(before + 1.0 + extra + rng.normal(0, 1.5), 0.0)
            absence += [(person, COHORT_YEAR - 1, before / 100), (person, COHORT_YEAR + 1, after / 100)]
            residents.append((person, COHORT_YEAR, 10, area))
            if prefix.endswith("P"):
                spells.append((person, activity, date(COHORT_YEAR, 3, 1), date(COHORT_YEAR, 6, 1), True, COHORT_YEAR))
    return spells, absence, residents


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("population")
    path = tmp / "warehouse.duckdb"
    rng = np.random.default_rng(20260601)

    spells, absence, residents = [], [], []
    # the two absence cohorts live in different areas, so neither is the other's comparison
    for activity, effect, area in (("FRA_FRAVAER_TIL_FREMMOEDE", ABSENCE_EFFECT, "GJP"), ("FAMILIEKLASSEN", 0.0, "VGD")):
        s, a, r = _absence_cohort(rng, activity, effect, area)
        spells += s
        absence += a
        residents += r
    # Youth education: 15-year-olds, status the year after; participants 90 %, others 60 %.
    uu = []
    for prefix, n, share in (("BRKP", N_PARTICIPANTS, 0.9), ("BRKC", N_OTHERS, 0.6)):
        for i, person in enumerate(_people(prefix, n)):
            status = "I ungdomsuddannelse" if i < round(n * share) else "Ikke i uddannelse"
            uu.append((person, date(COHORT_YEAR + 1, 10, 1), status))
            if prefix == "BRKP":
                spells.append((person, "BRANDKADET", date(COHORT_YEAR, 2, 1), date(COHORT_YEAR, 9, 30), True, COHORT_YEAR))
    # Legepatruljen: two participants and twenty others in GLV
    for person in _people("LEGP", 2):
        uu.append((person, date(COHORT_YEAR + 1, 10, 1), "I ungdomsuddannelse"))
        spells.append((person, "LEGEPATRULJEN", date(COHORT_YEAR, 4, 1), date(COHORT_YEAR, 8, 1), True, COHORT_YEAR))
    uu += [(person, date(COHORT_YEAR + 1, 10, 1), "I ungdomsuddannelse") for person in _people("LEGC", 20)]

    residents += [(p, COHORT_YEAR, 15, "GLV" if p.startswith("LEG") else "GJP") for p, _, _ in uu]
    frames = {
        "staging.stg_kommune__indsatsdeltagelse": pd.DataFrame(spells),
        "intermediate.int_person__residence_year": pd.DataFrame(residents),
        "intermediate.int_school__absence_pupil_year": pd.DataFrame(absence),
        "staging.stg_kommune__uu_vejledning": pd.DataFrame(uu),
    }
    build_cohort_marts(path, frames, COHORT_SELECTION + ["disclosure_decisions", "disclosure_population_indicator",
                                                        "export_population_indicator"])
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _cell(con, activity: str, period_kind: str, relation: str = "marts.mart_population_indicator") -> dict:
    df = con.execute(
        f"SELECT * FROM {relation} WHERE activity_code = ? AND cohort_year = ? AND period_kind = ?",
        [activity, COHORT_YEAR, period_kind],
    ).df()
    assert len(df) == 1, (activity, period_kind, len(df))
    return df.iloc[0].to_dict()


def test_known_absence_effect_is_found_within_its_interval(marts):
    change = _cell(marts, "FRA_FRAVAER_TIL_FREMMOEDE", "change")
    assert change["n_participants"] == N_PARTICIPANTS and change["n_comparison"] == N_OTHERS
    assert change["ci_low"] <= ABSENCE_EFFECT <= change["ci_high"]
    assert change["ci_high"] < 0
    assert change["flag_effect"] and change["is_primary_estimate"]
    assert change["assessment"] == "bedre end sammenligningsgruppen"  # lower absence is better
    # matching on the starting level leaves no difference at the start
    before = _cell(marts, "FRA_FRAVAER_TIL_FREMMOEDE", "before")
    assert abs(before["difference"]) < 1.5 and not before["flag_effect"]


def test_no_effect_cohort_is_not_reported_as_an_effect(marts):
    change = _cell(marts, "FAMILIEKLASSEN", "change")
    assert change["n_participants"] == N_PARTICIPANTS
    assert change["ci_low"] <= 0 <= change["ci_high"]
    assert not change["flag_effect"]
    assert change["assessment"] == "ingen påviselig forskel"


def test_known_youth_education_difference_is_found(marts):
    after = _cell(marts, "BRANDKADET", "after")
    assert after["participants_value"] == pytest.approx(90.0)
    assert after["comparison_value"] == pytest.approx(60.0)
    assert after["ci_low"] <= 30.0 <= after["ci_high"] and after["ci_low"] > 0
    assert after["flag_effect"] and after["assessment"] == "bedre end sammenligningsgruppen"
    assert after["is_primary_estimate"]  # youth education has no before: 'after' is the estimate


def test_export_suppresses_a_cohort_of_two_and_keeps_the_large_ones(marts):
    small = _cell(marts, "LEGEPATRULJEN", "after", "publication.export_population_indicator")
    assert small["flag_disclosure_suppressed"]
    assert all(pd.isna(small[c]) for c in ("n_participants", "participants_value", "difference", "n_cohort"))
    assert small["assessment"] == "kan ikke vurderes"
    large = _cell(marts, "FRA_FRAVAER_TIL_FREMMOEDE", "change", "publication.export_population_indicator")
    assert not large["flag_disclosure_suppressed"] and large["n_participants"] == N_PARTICIPANTS
    # the export carries no person-level column
    columns = {r[0] for r in marts.execute("DESCRIBE publication.export_population_indicator").fetchall()}
    assert not columns & {"person_key", "participant_key"}


# ---------------------------------------------------------------- the small demo, two vintages
# The small demo holds the vintage of 31 October 2026 (demo/vintage.py). The session's
# warehouse is built with the default report year; one extra build of the cohort and population
# models with report year 2026 measures the 2025-29 plan's cohorts of 2025.
HP2025_START_YEAR = 2025


@pytest.fixture(scope="module")
def report_year_2026(built_warehouse, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    import shutil

    tmp = tmp_path_factory.mktemp("report_year_2026")
    path = tmp / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, path)
    env = {**os.environ, "BOLIGMONITOR_WAREHOUSE": str(path), "DBT_TARGET_PATH": str(tmp / "target"),
           "DBT_LOG_PATH": str(tmp / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run([str(DBT), "build", "--select", "path:models/intermediate/cohorts", "path:models/marts/population",
                             "--threads", "1", "--profiles-dir", ".", "--vars", "{report_year: 2026}"],
                            cwd=DBT_PROJECT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _hp2025(con) -> pd.DataFrame:
    return con.execute("SELECT * FROM marts.mart_population_indicator WHERE plan_code = 'HP2025' AND cohort_year = ?",
                       [HP2025_START_YEAR]).df()


def test_default_report_year_leaves_the_2025_cohorts_after_unmeasured(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        default_year = con.execute("SELECT max(year(as_of_date)) FROM marts.mart_population_indicator").fetchone()[0]
        df = _hp2025(con)
    finally:
        con.close()
    assert default_year <= HP2025_START_YEAR  # the as-of date is the end of the report year, not the data's
    later = df[df.period_kind != "before"]
    assert len(later) and later.flag_not_yet_observed.all()
    assert set(later.assessment) == {"kan ikke vurderes endnu"}
    assert later.n_participants.eq(0).all()  # nothing after the report year leaks in


def test_vintage_2026_measures_every_2025_29_activity(report_year_2026):
    df = _hp2025(report_year_2026)
    # the data vintage is derived from the loaded events: benefit month 2026-10
    assert set(df.as_of_date.astype(str)) == {"2026-10-31"}
    activities = set(report_year_2026.execute(
        "SELECT activity_code FROM reference.activities WHERE plan_code = 'HP2025' AND outcome_kind <> 'none'"
        " AND participant_kind <> 'none'").df().activity_code)
    after = df[(df.period_kind == "after") & ~df.flag_not_yet_observed & (df.n_participants > 0)
               & (df.n_comparison > 0) & df.difference.notna() & df.ci_low.notna() & df.ci_high.notna()]
    assert set(after.activity_code) == activities, activities - set(after.activity_code)
    # most have a before as well, so the change (difference-in-differences) is the estimate
    change = df[(df.period_kind == "change") & (df.n_participants >= 3) & df.ci_low.notna()]
    assert len(change) >= len(activities) - 4
    # the periods are those the 2026 vintage holds: school year 2025/26, October 2025 - September
    # 2026, the 1 October 2026 status, assessments in 2026
    labels = dict(zip(after.outcome_kind, after.period_label))
    assert labels["absence"] == "2025/26" and labels["youth_school"] == "2025/26"
    assert labels["benefit"] == "2025-10..2026-09" and labels["eviction"] == "2025-10..2026-09"
    assert labels["youth_education"] == "2026" and "2026" in labels["language"]


def test_vintage_2026_cuts_periods_not_ended_by_the_vintage(report_year_2026):
    # the cohorts starting in 2026 have no ended after-period yet, whatever the report year
    late = report_year_2026.execute(
        "SELECT * FROM marts.mart_population_indicator WHERE cohort_year = 2026 AND period_kind <> 'before'").df()
    assert len(late) and late.flag_not_yet_observed.all()


def test_a_spell_closed_by_the_later_delivery_counts_once(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = con.execute("""
            with delivered as (
                select person_key, activity_code, start_date,
                       bool_or(extract_year = 2025 and end_date is null) as open_2025,
                       max(end_date) filter (where extract_year = 2026) as end_2026
                from staging.stg_kommune__indsatsdeltagelse group by all
            )
            select d.end_2026, s.end_date, count(*) over (partition by s.person_key, s.activity_code, s.start_date) as n
            from delivered as d
            join intermediate.int_cohort__spells as s using (person_key, activity_code, start_date)
            where d.open_2025 and d.end_2026 is not null
        """).df()
    finally:
        con.close()
    assert len(rows) > 50
    assert (rows.n == 1).all() and (rows.end_date == rows.end_2026).all()
