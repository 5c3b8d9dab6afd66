"""Definitions on awkward deliveries: each case is legal under the data contract and the demo
never makes it (issue 12, findings 4 and 5).

Hand-made staging and intermediate tables are written into a fresh DuckDB and only the models
under test are built on them with dbt (no tests during the build: the uniqueness test that a
repeated assessment used to break is run on its own below):
- a mother whose only child under 18 lives in another household (FAMILIE_ID) is not a mother
  "med hjemmeboende børn";
- a pupil at two schools in a school year: the fraværsprocent and the share above 10 % come from
  the same pupil-level total (all days absent / all school days);
- leases and move-outs in an area of only the 2025-29 plan and outside every area: the area
  profile's move-out rate exists for every area and total with leases, and a year an
  organisation delivered no move file is missing, not 0;
- a child assessed twice in one year (the contract's key is person + date): one assessment
  counts, the uniqueness test passes, and the data-quality report counts the others per file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from exports import quality_report
from exports.labels import FLAG_LABELS_DA

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"
YEAR = 2024
AREAS = ["GJP", "GLV", "HSV", "ENV", "VGD", "SJK", "CRA"]
LANGUAGE_FILE = f"sprogvurdering_{YEAR}.csv"

# hand-made upstream relations: columns, rows
UPSTREAM: dict[str, tuple[str, list[tuple]]] = {}


def _upstream(name: str, columns: str, rows: list[tuple]) -> None:
    UPSTREAM[name] = (columns, rows)


# ---- mothers: M1 lives with her 5-year-old (same FAMILIE_ID); M2's only child lives with its
# father in another household. Both have kontanthjælp in December.
_upstream("staging.stg_kommune__cpr_befolkning",
          "person_key VARCHAR, extract_year INTEGER, mother_person_key VARCHAR, birth_date DATE, household_id VARCHAR",
          [("MOTHER_HOME", YEAR, None, date(1990, 5, 1), "F00000001"),
           ("CHILD_HOME", YEAR, "MOTHER_HOME", date(2019, 5, 1), "F00000001"),
           ("MOTHER_AWAY", YEAR, None, date(1988, 5, 1), "F00000002"),
           ("CHILD_AWAY", YEAR, "MOTHER_AWAY", date(2015, 5, 1), "F00000003")])
_upstream("intermediate.int_person__residence_year",
          "person_key VARCHAR, year INTEGER, sex VARCHAR, birth_date DATE, stock_date DATE, age_years BIGINT",
          [("MOTHER_HOME", YEAR, "K", date(1990, 5, 1), date(YEAR, 1, 1), 33),
           ("CHILD_HOME", YEAR, "M", date(2019, 5, 1), date(YEAR, 1, 1), 4),
           ("MOTHER_AWAY", YEAR, "K", date(1988, 5, 1), date(YEAR, 1, 1), 35),
           ("CHILD_AWAY", YEAR, "K", date(2015, 5, 1), date(YEAR, 1, 1), 8)])
_upstream("intermediate.int_jobcenter__benefit_months",
          "person_key VARCHAR, benefit_month DATE, year BIGINT, month BIGINT, window_end_year BIGINT, "
          "benefit_type VARCHAR, match_group VARCHAR, fulltime_fraction DOUBLE",
          [(p, date(YEAR, m, 1), YEAR, m, YEAR + (m >= 10), "Kontanthjælp", "Jobparat", 1.0)
           for p in ("MOTHER_HOME", "MOTHER_AWAY") for m in (1, 12)]
          + [("MOTHER_HOME", date(YEAR - 1, 12, 1), YEAR - 1, 12, YEAR, "Kontanthjælp", "Jobparat", 1.0)])

# ---- a pupil at two schools: 12 of 40 days (30 %) over 4 months, then 9 of 160 days over 6
# months; the pupil's fraværsprocent is 21 / 200 = 10.5 % (a months-weighted mean of the two
# schools' rates would say 15.4 %); a pupil at one school at 8 %.
_upstream("staging.stg_kommune__skolefravaer",
          "person_key VARCHAR, school_year VARCHAR, school_year_start INTEGER, school_code VARCHAR, "
          "grade_level INTEGER, school_days INTEGER, months_enrolled INTEGER, absence_illness_days DECIMAL(9,2), "
          "absence_permitted_days DECIMAL(9,2), absence_unlawful_days DECIMAL(9,2)",
          [("PUPIL_TWO", f"{YEAR}/25", YEAR, "730001", 5, 40, 4, 10, 2, 0),
           ("PUPIL_TWO", f"{YEAR}/25", YEAR, "730002", 5, 160, 6, 5, 2, 2),
           ("PUPIL_ONE", f"{YEAR}/25", YEAR, "730001", 5, 200, 10, 16, 0, 0)])

# ---- leases and moves. RandersBolig in ENV (only in the 2025-29 plan): 100 leases, 10 external
# move-outs plus one internal and one of a tenancy of under a month (not counted). Lejerbo in GJP:
# 50 leases, 8 move-outs. Outside every area: 200 RandersBolig leases, 20 move-outs. 2023: both
# have leases, only RandersBolig delivered a move file.
_leases = ([("RANDERSBOLIG", "ENV", y) for y in (YEAR - 1, YEAR) for _ in range(100)]
           + [("LEJERBO", "GJP", y) for y in (YEAR - 1, YEAR) for _ in range(50)]
           + [("RANDERSBOLIG", None, y) for y in (YEAR - 1, YEAR) for _ in range(200)])
_moves = ([("RANDERSBOLIG", "ENV", YEAR, True, YEAR)] * 10
          + [("RANDERSBOLIG", "ENV", YEAR, False, YEAR)] * 2
          + [("LEJERBO", "GJP", YEAR, True, YEAR)] * 8
          + [("RANDERSBOLIG", None, YEAR, True, YEAR)] * 20
          + [("RANDERSBOLIG", "ENV", YEAR - 1, True, YEAR - 1)] * 5)
_upstream("intermediate.int_housing__leases", "org_code VARCHAR, area_code VARCHAR, year INTEGER", _leases)
_upstream("intermediate.int_housing__moves",
          "org_code VARCHAR, area_code VARCHAR, move_year BIGINT, counts_as_lbf_move_out BOOLEAN, extract_year INTEGER",
          _moves)
_upstream("intermediate.int_address__area", "area_code VARCHAR", [(a,) for a in AREAS])
_upstream("marts.mart_area_indicator",
          "indicator_id VARCHAR, geography_code VARCHAR, geography_name VARCHAR, geography_type VARCHAR, "
          "period VARCHAR, value DOUBLE",
          [("HP2025_PROFIL_BEBOERE", "ENV", "Energivej-området", "area", str(YEAR), 1200.0)])

# ---- language: L1 assessed twice for a presumed need (særlig in March, generel in October: the
# latest counts); L2 for a presumed need in February (fokuseret) and routinely at school start
# (generel: the presumed-need one counts); L3 once.
_upstream("staging.stg_kommune__sprogvurdering",
          "person_key VARCHAR, assessment_date DATE, age_years INTEGER, assessment_reason VARCHAR, "
          "assessment_result VARCHAR, source_file VARCHAR, source_row BIGINT, extract_year INTEGER",
          [("CHILD_L1", date(YEAR, 3, 1), 4, "Formodet behov", "Særlig indsats", LANGUAGE_FILE, 1, YEAR),
           ("CHILD_L1", date(YEAR, 10, 1), 4, "Formodet behov", "Generel indsats", LANGUAGE_FILE, 2, YEAR),
           ("CHILD_L2", date(YEAR, 2, 1), 5, "Formodet behov", "Fokuseret indsats", LANGUAGE_FILE, 3, YEAR),
           ("CHILD_L2", date(YEAR, 9, 1), 5, "Skolestart", "Generel indsats", LANGUAGE_FILE, 4, YEAR),
           ("CHILD_L3", date(YEAR, 5, 1), 3, "Formodet behov", "Generel indsats", LANGUAGE_FILE, 5, YEAR)])
_upstream("intermediate.int_person__geography_year", "person_key VARCHAR, year INTEGER, geography_code VARCHAR",
          [(p, YEAR, "GJP") for p in ("CHILD_L1", "CHILD_L2", "CHILD_L3")])

# ---- what the data-quality report reads besides (empty: nothing flagged or hidden here)
_upstream("publication.export_area_indicator",
          "plan_code VARCHAR, geography_code VARCHAR, geography_name VARCHAR, indicator_id VARCHAR, "
          "indicator_name VARCHAR, period VARCHAR, " + ", ".join(f"{f} BOOLEAN" for f in FLAG_LABELS_DA)
          + ", flag_reasons_da VARCHAR", [])
_upstream("quality.disclosure_area_indicator",
          "indicator_id VARCHAR, geography_code VARCHAR, period VARCHAR, is_suppressed BOOLEAN", [])
_upstream("quality.disclosure_language_assessment",
          "geography_code VARCHAR, assessment_year INTEGER, category VARCHAR, is_suppressed BOOLEAN", [])
_upstream("quality.disclosure_population_indicator",
          "activity_code VARCHAR, outcome_kind VARCHAR, plan_code VARCHAR, cohort_year INTEGER, "
          "period_kind VARCHAR, is_suppressed BOOLEAN", [])

MODELS = ["geographies", "plan_areas", "int_indicator__kontanthjaelp", "int_school__absence_pupil_year",
          "int_indicator__school_absence", "int_area__geographies", "mart_area_profile", "int_language__assessments",
          "int_indicator__language", "int_language__assessment_counts", "mart_language_assessment"]


def _dbt(tmp: Path, path: Path, command: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOLIGMONITOR_WAREHOUSE": str(path), "DBT_TARGET_PATH": str(tmp / "target"),
           "DBT_LOG_PATH": str(tmp / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run([str(DBT), command, *args, "--profiles-dir", ".",
                           "--vars", f"{{report_year: {YEAR}, data_vintage: '{YEAR}-12-31'}}"],
                          cwd=DBT_PROJECT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("definitions")
    path = tmp / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    for name, (columns, rows) in UPSTREAM.items():
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {name.split('.')[0]}")
        con.execute(f"CREATE TABLE {name} ({columns})")
        if rows:
            con.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    con.close()
    # seeds and models only; the models' data tests run in the tests below
    seeded = _dbt(tmp, path, "seed", "--select", "geographies", "plan_areas")
    assert seeded.returncode == 0, seeded.stdout[-3000:]
    result = _dbt(tmp, path, "run", "--select", *MODELS)
    assert result.returncode == 0, f"dbt run failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    # the data tests the refresh would run, before any test opens the warehouse read-only
    tested = _dbt(tmp, path, "test", "--select", "int_language__assessments", "int_indicator__language",
                  "int_school__absence_pupil_year")
    return path, tested


@pytest.fixture(scope="module")
def con(built):
    connection = duckdb.connect(str(built[0]), read_only=True)
    yield connection
    connection.close()


def _values(con, model: str, indicator: str) -> dict[str, float]:
    return dict(con.execute(f"SELECT person_key, value FROM intermediate.{model} WHERE indicator_id = ?",
                            [indicator]).fetchall())


def test_mothers_count_only_with_a_child_living_with_them(con):
    mothers = con.execute("SELECT person_key, value FROM intermediate.int_indicator__kontanthjaelp "
                          "WHERE indicator_id = 'HP2025_BESK_MOEDRE_KONTANTHJAELP' AND period = ?",
                          [f"{YEAR}-12"]).fetchall()
    assert mothers == [("MOTHER_HOME", 1.0)]


def test_pupil_at_two_schools_has_one_rate_behind_mean_and_shares(con):
    rate = _values(con, "int_indicator__school_absence", "HP2025_UDD_FRAVAERSPROCENT")
    over_10 = _values(con, "int_indicator__school_absence", "HP2025_UDD_FRAVAER_OVER_10PCT")
    over_15 = _values(con, "int_indicator__school_absence", "HP2025_PROFIL_FRAVAER_OVER_15PCT")
    assert rate["PUPIL_TWO"] == pytest.approx(21 / 200)
    assert rate["PUPIL_ONE"] == pytest.approx(16 / 200)
    for pupil, value in rate.items():
        assert over_10[pupil] == (1.0 if value > 0.10 else 0.0), pupil
        assert over_15[pupil] == (1.0 if value > 0.15 else 0.0), pupil
    weights = dict(con.execute("SELECT person_key, weight FROM intermediate.int_indicator__school_absence "
                               "WHERE indicator_id = 'HP2025_UDD_FRAVAERSPROCENT'").fetchall())
    assert weights == {"PUPIL_TWO": 10, "PUPIL_ONE": 10}  # months registered at all schools
    # the cohorts read the same rate
    cohort_rate = con.execute("SELECT absence_rate FROM intermediate.int_school__absence_pupil_year "
                              "WHERE person_key = 'PUPIL_TWO'").fetchone()[0]
    assert cohort_rate == pytest.approx(rate["PUPIL_TWO"])


def test_move_out_rate_for_every_area_and_total_with_leases(con):
    rows = con.execute("SELECT geography_code, year, move_out_rate FROM marts.mart_area_profile "
                       "WHERE move_out_rate IS NOT NULL OR year = ? - 1", [YEAR]).fetchall()
    rate = {(g, y): v for g, y, v in rows}
    assert rate[("ENV", YEAR)] == pytest.approx(10.0)  # an area of the 2025-29 plan only
    assert rate[("GJP", YEAR)] == pytest.approx(16.0)
    assert rate[("HP2025_ALL", YEAR)] == pytest.approx(100 * 18 / 150)  # the 7-area total
    assert rate[("HP2017_ALL", YEAR)] == pytest.approx(16.0)
    assert rate[("RANDERS", YEAR)] == pytest.approx(100 * 38 / 350)
    assert rate[("RANDERS_EXCL_HP2025", YEAR)] == pytest.approx(10.0)
    assert rate[("RANDERS_EXCL_HP2017", YEAR)] == pytest.approx(100 * 30 / 300)
    # the year before: Lejerbo delivered no move file, so wherever it has leases the rate is
    # missing, not 0; RandersBolig's own area has its rate
    assert rate[("ENV", YEAR - 1)] == pytest.approx(5.0)
    assert rate[("GJP", YEAR - 1)] is None and rate[("HP2025_ALL", YEAR - 1)] is None
    assert rate[("RANDERS", YEAR - 1)] is None
    # the other profile columns still come from mart_area_indicator
    residents = con.execute("SELECT residents FROM marts.mart_area_profile WHERE geography_code = 'ENV' "
                            "AND year = ?", [YEAR]).fetchone()[0]
    assert residents == 1200.0


def test_child_assessed_twice_counts_once_with_the_chosen_assessment(con):
    values = _values(con, "int_indicator__language", "HP2025_SPROGVURDERING")
    # L1: the latest (generel); L2: the presumed-need one (fokuseret), not the later routine one
    assert values == {"CHILD_L1": 0.0, "CHILD_L2": 1.0, "CHILD_L3": 0.0}
    mart = con.execute("SELECT n_assessed, n_generel, n_fokuseret, n_saerlig FROM marts.mart_language_assessment "
                       "WHERE geography_code = 'GJP' AND assessment_year = ?", [YEAR]).fetchone()
    assert mart == (3, 2, 1, 0)


def test_uniqueness_tests_pass_on_a_repeated_assessment(built):
    tested = built[1]
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert "PASS=" in tested.stdout and "ERROR=0" in tested.stdout


def test_quality_report_counts_the_assessments_that_do_not_count(built, tmp_path):
    path = built[0]
    quality_report.write_report(path, tmp_path, YEAR)
    report = json.loads((tmp_path / quality_report.JSON_NAME).read_text(encoding="utf-8"))
    assert report["repeated_language_assessments"] == [
        {"year": YEAR, "file": LANGUAGE_FILE, "assessments": 5, "not_counted": 2}]
    assert report["summary"]["language_assessments_not_counted"] == 2
    page = (tmp_path / quality_report.HTML_NAME).read_text(encoding="utf-8")
    assert "sprogvurderet flere gange" in page and LANGUAGE_FILE in page
    # counts only: no person key, date or result leaves in the report
    for text in (page, json.dumps(report)):
        assert "CHILD_L" not in text and f"{YEAR}-03-01" not in text and "Særlig indsats" not in text
