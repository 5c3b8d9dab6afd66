"""Spell sources delivered as real extracts are: the file of year Y holds every spell active in Y,
as known at its extraction, so a spell still open then is restated (closed or still open) in the
next year's file, a spell a later file no longer holds has ended, and a year can be missing.

A tiny municipality is written in the contract's formats (demo/writers.py), loaded by the
loader and built with `dbt build` (the spell models, their consumers and their tests); the
placed children, the youth-school denominator, daycare enrolment on 1 January, activity
participants and the data vintage are then checked per year against what the files say.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from demo.writers import write_extract
from ingestion.contract import SOURCES, source
from ingestion.loader import refresh_source
from ingestion.readers import find_files
from orchestration.settings import DBT_PROJECT_DIR, ENV_WAREHOUSE

D = dt.date
CHILD_A = "a000000000000001"  # placed 2021, restated open, closed in 2022's file
CHILD_B = "b000000000000002"  # teen placed open in 2021's file, absent from 2022's: ended in 2021
CHILD_C = "c000000000000003"  # teen placed 2021 on, open in every file
TEEN_F = "f000000000000006"  # teen never placed
KID_D = "d000000000000004"  # daycare open in 2021's file and 2023's (2022's file is missing)
KID_E = "e000000000000005"  # daycare open in 2021's file, absent from 2023's
KID_G = "9000000000000007"  # daycare open in 2020's file, corrected by 2021's: it had ended in 2019
ADULT = "1000000000000008"  # benefit months and participation

BIRTHS = {CHILD_A: "2015-04-01", CHILD_B: "2008-02-01", CHILD_C: "2009-05-01", TEEN_F: "2007-07-01",
          KID_D: "2019-01-15", KID_E: "2019-03-01", KID_G: "2018-06-01", ADULT: "1980-01-01"}
CPR_YEARS = [2020, 2021, 2022, 2023, 2024]

PLACEMENTS = {  # year -> rows (person, START, SLUT); 2024 is not delivered
    2021: [(CHILD_A, "2021-03-01", None), (CHILD_B, "2020-05-01", None), (CHILD_C, "2021-06-01", None)],
    2022: [(CHILD_A, "2021-03-01", "2022-02-28"), (CHILD_C, "2021-06-01", None)],
    2023: [(CHILD_C, "2021-06-01", None)],
}
DAYCARE = {  # year -> rows (person, INDMELDT, UDMELDT); 2022 is not delivered
    2020: [(KID_G, "2019-08-01", None)],
    # G's unenrolment of 31 December 2019 was registered late: 2021's file restates the spell with it
    2021: [(KID_D, "2020-08-01", None), (KID_E, "2020-09-01", None), (KID_G, "2019-08-01", "2019-12-31")],
    2023: [(KID_D, "2020-08-01", None)],
}
PARTICIPATION = {  # year -> rows (person, AKTIVITET, START, SLUT, GENNEMFOERT)
    2021: [(ADULT, "HOTSPOT", "2021-07-01", None, None), (CHILD_A, "HOTSPOT", "2021-09-01", None, None)],
    # A's spell is gone (ended in 2021); the adult's goes on with a planned end in 2027 (a planned
    # start after the file's year is refused at ingestion: ingestion/period_rules.py)
    2022: [(ADULT, "HOTSPOT", "2021-07-01", "2027-06-30", None)],
}
BENEFIT_MONTHS = {2021: 12, 2022: 10}  # the jobcenter file of 2022 runs to October


def _cpr(year: int) -> pd.DataFrame:
    people = [p for p, born in BIRTHS.items() if int(born[:4]) <= year]
    return pd.DataFrame({
        "PNR_PSEUDO": people, "FOEDSELSDATO": [BIRTHS[p] for p in people], "KOEN": "K",
        "VEJNAVN": "Testvej", "HUSNR": 1, "HUSBOGSTAV": None, "ETAGE": None, "DOER": None, "POSTNR": 8930,
        "MOR_PNR_PSEUDO": None, "FAR_PNR_PSEUDO": None, "FAMILIE_ID": "F00000001", "STATSBORGERSKAB": "DK",
        "OPRINDELSE": "1",
    })


def _write_deliveries(folder) -> None:
    for year in CPR_YEARS:
        write_extract(_cpr(year), source("cpr_befolkning"), year, folder)
    for year, rows in PLACEMENTS.items():
        frame = pd.DataFrame(rows, columns=["PNR_PSEUDO", "START", "SLUT"]).assign(ANBRINGELSESSTED="Plejefamilie")
        write_extract(frame, source("anbringelser"), year, folder)
    for year, rows in DAYCARE.items():
        frame = pd.DataFrame(rows, columns=["PNR_PSEUDO", "INDMELDT", "UDMELDT"]).assign(
            INSTITUTION_KODE="751101", TILBUDSTYPE="Børnehave", PRIMAER_UDFORDRING=None)
        write_extract(frame, source("dagtilbud"), year, folder)
    for year, rows in PARTICIPATION.items():
        frame = pd.DataFrame(rows, columns=["PNR_PSEUDO", "AKTIVITET", "START", "SLUT", "GENNEMFOERT"])
        write_extract(frame, source("indsatsdeltagelse"), year, folder)
    for year in (2021, 2022, 2023):  # one enrolment a school year: the years the share is made for
        frame = pd.DataFrame({"PNR_PSEUDO": [TEEN_F], "SKOLEAAR": [f"{year}/{(year + 1) % 100:02d}"],
                              "TILBUD": ["Klub"], "TILMELDT": [f"{year}-08-20"]})
        write_extract(frame, source("ungdomsskole"), year, folder)
    for year, last_month in BENEFIT_MONTHS.items():
        frame = pd.DataFrame({"PNR_PSEUDO": ADULT, "MAANED": [f"{year}-{m:02d}" for m in range(1, last_month + 1)],
                              "YDELSE": "Kontanthjælp", "MATCHGRUPPE": "Jobparat", "FULDTIDSANDEL": 1.0})
        write_extract(frame, source("jobcenter_ydelser"), year, folder)


MODELS = ["int_indicator__placements", "int_indicator__youth_school", "int_daycare__enrolment_1jan",
          "int_cohort__outputs", "int_delivery__vintage"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    work = tmp_path_factory.mktemp("spells")
    extracts, path = work / "extracts", work / "warehouse.duckdb"
    _write_deliveries(extracts)
    con = duckdb.connect(str(path))
    try:
        for src in SOURCES:  # every source, most of them without a file: empty raw tables
            refresh_source(con, src, find_files(extracts, src))
    finally:
        con.close()
    env = {**os.environ, ENV_WAREHOUSE: str(path), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run([str(os.path.join(os.path.dirname(sys.executable), "dbt")), "build",
                           # every seed: tests of the selected models read seeds they do not
                           "--select", *("+" + model for model in MODELS), "resource_type:seed",
                           "--indirect-selection", "cautious",
                           "--profiles-dir", str(DBT_PROJECT_DIR)],
                          cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _by_year(con, sql: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for year, person in con.execute(sql).fetchall():
        out.setdefault(int(year), []).append(person)
    return {year: sorted(people) for year, people in sorted(out.items())}


def test_a_restated_open_placement_counts_only_while_the_latest_file_has_it_running(warehouse):
    placed = _by_year(warehouse, "select membership_year, person_key from intermediate.int_indicator__placements "
                                 "where indicator_id = 'HP2017_OM_ANBRAGTE_BOERN' and value = 1")
    # A closed in 2022's file, B gone from 2022's file: neither is placed in a later year
    assert placed == {2021: sorted([CHILD_A, CHILD_B, CHILD_C]), 2022: sorted([CHILD_A, CHILD_C]), 2023: [CHILD_C]}


def test_a_year_without_a_placement_file_has_no_share_not_zero(warehouse):
    years = {y for (y,) in warehouse.execute(
        "select distinct membership_year from intermediate.int_indicator__placements "
        "where indicator_id = 'HP2017_OM_ANBRAGTE_ANDEL'").fetchall()}
    assert years == {2021, 2022, 2023}  # CPR has 2020 and 2024, anbringelser does not


def test_youth_school_leaves_out_only_those_placed_on_1_september(warehouse):
    counted = _by_year(warehouse, "select membership_year, person_key from intermediate.int_indicator__youth_school")
    # B (born 2008) counts again once the placement has ended; C (born 2009) is placed throughout
    assert counted == {2021: [TEEN_F], 2022: sorted([CHILD_B, TEEN_F]), 2023: sorted([CHILD_B, TEEN_F])}


def test_daycare_enrolment_follows_the_latest_file_and_skips_the_missing_year(warehouse):
    enrolled = _by_year(warehouse, "select year, person_key from intermediate.int_daycare__enrolment_1jan")
    # G's later file ended it before 1 January 2020; E is gone from 2023's file; 2022 has no file
    assert enrolled == {2021: sorted([KID_D, KID_E]), 2023: [KID_D]}


def test_a_participation_spell_a_later_file_drops_ends_in_its_last_year(warehouse):
    participants = dict(warehouse.execute(
        "select year, participants from intermediate.int_cohort__outputs "
        "where activity_code = 'HOTSPOT' and year <= 2022").fetchall())
    assert participants == {2021: 2, 2022: 1}
    spells = warehouse.execute("select person_key, active_until, is_end_unknown from intermediate.int_spells__participation "
                               "where activity_code = 'HOTSPOT' order by person_key").fetchall()
    assert spells == [(ADULT, D(2027, 6, 30), False), (CHILD_A, D(2021, 12, 31), True)]
    # the planned end (2027) counts in no year after the last file
    (last_year,) = warehouse.execute("select max(year) from intermediate.int_cohort__outputs").fetchone()
    assert last_year == 2022


def test_a_planned_end_in_the_future_does_not_move_the_data_vintage(warehouse):
    (vintage,) = warehouse.execute("select data_vintage from intermediate.int_delivery__vintage").fetchone()
    # the last benefit month delivered: not the planned end in 2027, nor the start planned in 2023
    assert vintage == D(2022, 10, 31)
