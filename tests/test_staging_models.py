"""The dbt staging layer against hand-written raw rows in the delivered formats.

Builds the raw tables of all 21 sources from the data contract (every contract column VARCHAR,
plus the load metadata), inserts a few rows per source as the files deliver them (Danish
decimals, Lejerbo's dd-mm-YYYY dates and "12B" house numbers, DST/LBF markers), runs
`dbt run` and `dbt test` on the staging models and checks the typed result.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import SOURCES, SOURCES_BY_NAME, Source
from ingestion.loader import LINEAGE_COLUMNS, raw_table_ddl

REPO = Path(__file__).resolve().parents[1]

DBT_PROJECT = REPO / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"

EXTRACT_YEAR = 2024
P1 = "a1b2c3d4e5f60718"  # an adult
P2 = "0123456789abcdef"  # a child

# Rows per source in contract column order, as the files deliver them (None = empty field).
RAW_ROWS: dict[str, list[tuple]] = {
    "cpr_befolkning": [
        (P1, "1985-03-14", "K", "Flyvervej", "12", "B", "st", "tv", "8930", None, None, "F00000001", "DK", "1"),
        (P2, "2015-06-01", "M", "Glarbjergvej", "5", None, "2", "th", "8930", P1, None, "F00000001", "SY", "5"),
    ],
    "skolefravaer": [(P2, "2023/24", "751001", "3", "200", "12", "4,5", "1", "0,5")],
    "sprogvurdering": [(P2, "2019-09-12", "3", "751234", "Alle 3-årige", "Særlig indsats")],
    "dagtilbud": [(P2, "751234", "Børnehave", "Sproglig", "2018-08-01", None)],
    "afgangsproever": [
        (P2, "2022/23", "751001", "N", "Dansk", "Læsning", "02"),
        (P2, "2022/23", "751001", "N", "Matematik", "Færdighedsregning", "-3"),
    ],
    "jobcenter_ydelser": [
        (P1, "2023-05", "Kontanthjælp", "Aktivitetsparat", "0,75"),
        (P1, "2023-06", "Sygedagpenge", None, "1"),
    ],
    "uu_vejledning": [(P2, "2023", "10", "2023-10-01", "I ungdomsuddannelse", "EUD")],
    "ungdomsskole": [(P2, "2023/24", "Klub", "2023-09-04")],
    "anbringelser": [(P2, "2021-02-01", "2022-01-31", "Plejefamilie")],
    "indsatsdeltagelse": [
        (P1, "LEKTIECAFE", "2024-01-10", None, None),
        (P1, "JOB_1", "2024-02-01", "2024-05-01", "J"),
    ],
    "randersbolig_lejemaal": [
        ("10", "27", "0012", "Flyvervej", "12", "B", "1", "tv", "Familie", "3", "78,5"),
        ("20", "24", "0001", "Glarbjergvej", "5", None, None, None, "Ældre", "2", "64"),
    ],
    "randersbolig_flytninger": [("10", "27", "0012", "Fraflytning", "2023-03-31", "Ekstern", "2015-04-01")],
    "randersbolig_udsaettelser": [("10", "27", "0012", "2023-02-15", "Restance", "N")],
    "randersbolig_klager": [("10", "27", "0012", "2023-06-01", "Støj")],
    "lejerbo_lejemaal": [
        ("0104", "104-012", "Flyvervej", "12B", "st. tv", "Familiebolig", "3", "72.5"),
        ("0013", "013-001", "Jennumvej", "7", None, "Ungdomsbolig", "1", "35"),
    ],
    "lejerbo_flytninger": [("0104", "104-012", "Indflytning", "01-04-2023", "Intern", "01-04-2023")],
    "lejerbo_klager": [("0104", "104-012", "15-08-2023", "Affald")],
    "dst_valgdeltagelse": [
        ("Gl. Jennumparken", "Kommunalvalg", "1.004", ".."),
        ("Randers Kommune", "Kommunalvalg", "76.543", "52.109"),
    ],
    "nationale_referencer": [
        ("FRAVAERSPROCENT", "Fraværsprocent, hele landet", "2023/24", "7,1", "BUVM"),
        ("ANDEL_OVER_10PCT", "Andel elever over 10 % fravær", "2023/24", "..", "BUVM"),
    ],
    "lbf_tryghedsmaaling": [
        ("Gl. Jennumparken", "212", "78,5", "*", "22"),
        ("Alle boligområder", None, "81", "12,5", None),
    ],
}

# The wide published tables are filled programmatically: chosen cells below, every marker of
# the source's contract somewhere, and a plain number elsewhere.
PUBLISHED_CELLS = {
    "dst_boligomraader": {"BEFOLKNING": "1.270", "GNS_HUSSTANDSINDKOMST": "312.456,5", "BEF_15_64": "1.234,5"},
    "lbf_boligsociale_data": {"ANDEL_1_5_I_DAGTILBUD": "45,2", "FRAFLYTNINGSPROCENT": "12,0"},
}


def marker_cells(source: Source) -> dict[str, tuple[str, str]]:
    """measure -> (delivered text, meaning): every marker of the source in a cell of its own."""
    free = [c.name for c in source.columns if c.markers_allowed and c.name not in PUBLISHED_CELLS[source.name]]
    return dict(zip(free[-len(source.markers):], source.markers.items()))


def published_rows(source: Source) -> list[tuple]:
    measures = [c.name for c in source.columns if c.markers_allowed]
    row = {"OMRAADE": "Gl. Jennumparken", "BOLIGOMRAADE": "Gl. Jennumparken",
           "AFDELINGER_MEDREGNET": "MS 27, MS 28"}
    row.update({m: "10" for m in measures})
    row.update(PUBLISHED_CELLS[source.name])
    # The raw layer holds an empty field as NULL, so LBF's '' marker arrives as NULL.
    row.update({m: (text or None) for m, (text, _) in marker_cells(source).items()})
    return [tuple(row[c] for c in source.column_names)]


for _name in PUBLISHED_CELLS:
    RAW_ROWS[_name] = published_rows(SOURCES_BY_NAME[_name])


def build_raw(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA raw")
    loaded_at = dt.datetime(2024, 3, 1, 12, 0)
    for source in SOURCES:
        con.execute(raw_table_ddl(source))
        placeholders = ", ".join("?" for _ in range(len(source.columns) + len(LINEAGE_COLUMNS)))
        for i, row in enumerate(RAW_ROWS[source.name], start=1):
            assert len(row) == len(source.columns), source.name
            file_name = source.file_name(EXTRACT_YEAR)  # the loader stores the bare file name
            con.execute(f"INSERT INTO raw.{source.name} VALUES ({placeholders})",
                        [*row, EXTRACT_YEAR, file_name, i, loaded_at])
    con.close()


def dbt(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(DBT), *args, "--profiles-dir", "."], cwd=DBT_PROJECT, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("staging")
    path = tmp / "warehouse.duckdb"
    build_raw(path)
    env = {
        **os.environ,
        "BOLIGMONITOR_WAREHOUSE": str(path),
        # Keep dbt's artefacts out of the project so that parallel runs do not collide.
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    for command in ("run", "test"):
        result = dbt(command, "--select", "staging", env=env)
        assert result.returncode == 0, f"dbt {command} failed:\n{result.stdout}\n{result.stderr}"
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def staging_model(source: Source) -> str:
    """stg_kommune__cpr_befolkning, stg_lejerbo__lejemaal, stg_dst__boligomraader, ..."""
    if source.kind == "municipal":
        return f"stg_kommune__{source.name}"
    org, rest = source.name.split("_", 1)
    return f"stg_{org}__{rest}"


def rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def test_raw_table_ddl_has_contract_and_metadata_columns():
    ddl = raw_table_ddl(SOURCES_BY_NAME["lejerbo_lejemaal"])
    assert ddl.startswith("CREATE TABLE raw.lejerbo_lejemaal (")
    assert '"Husnummer" VARCHAR' in ddl and "_extract_year INTEGER" in ddl and "_loaded_at TIMESTAMP" in ddl


def test_every_source_has_a_staging_model_with_one_row_per_raw_row(warehouse):
    models = {r["table_name"] for r in rows(
        warehouse, "select table_name from information_schema.tables where table_schema = 'staging'")}
    assert len(models) == len(SOURCES)
    for source in SOURCES:
        model = staging_model(source)
        assert model in models
        if source.kind == "published":
            continue  # long; checked below
        n = warehouse.execute(f"select count(*) from staging.{model}").fetchone()[0]
        assert n == len(RAW_ROWS[source.name]), model


def test_cpr_befolkning_is_typed(warehouse):
    got = rows(warehouse, "select * from staging.stg_kommune__cpr_befolkning order by person_key")
    child, adult = got
    assert adult["birth_date"] == dt.date(1985, 3, 14)
    assert adult["house_number"] == 12 and adult["house_letter"] == "B"
    assert adult["postal_code"] == 8930 and adult["is_non_western"] is False
    assert child["mother_person_key"] == P1 and child["father_person_key"] is None
    assert child["origin_group"] == "5" and child["is_non_western"] is True
    assert adult["stock_date"] == dt.date(EXTRACT_YEAR, 1, 1) and adult["extract_year"] == EXTRACT_YEAR
    assert adult["source_file"] == f"cpr_befolkning_{EXTRACT_YEAR}.csv" and adult["source_row"] == 1


def test_municipal_decimals_dates_school_years_and_codes(warehouse):
    (absence,) = rows(warehouse, "select * from staging.stg_kommune__skolefravaer")
    assert absence["absence_illness_days"] == 4.5 and absence["absence_unlawful_days"] == 0.5
    assert absence["school_year"] == "2023/24" and absence["school_year_start"] == 2023
    assert absence["grade_level"] == 3

    (assessment,) = rows(warehouse, "select * from staging.stg_kommune__sprogvurdering")
    assert assessment["assessment_reason"] == "Alle 3-årige" and assessment["assessment_result"] == "Særlig indsats"
    assert assessment["assessment_date"] == dt.date(2019, 9, 12)

    grades = {r["subject"]: r for r in rows(warehouse, "select * from staging.stg_kommune__afgangsproever")}
    assert grades["Dansk"]["exam_grade"] == "02" and grades["Dansk"]["exam_grade_value"] == 2
    assert grades["Matematik"]["exam_grade_value"] == -3 and grades["Matematik"]["is_special_class"] is False

    months = rows(warehouse, "select * from staging.stg_kommune__jobcenter_ydelser order by benefit_month")
    assert [m["benefit_month"] for m in months] == [dt.date(2023, 5, 1), dt.date(2023, 6, 1)]
    assert [m["fulltime_fraction"] for m in months] == [0.75, 1.0]
    assert months[1]["match_group"] is None

    (daycare,) = rows(warehouse, "select * from staging.stg_kommune__dagtilbud")
    assert daycare["daycare_type"] == "Børnehave" and daycare["end_date"] is None

    activities = {r["activity_code"]: r for r in rows(warehouse, "select * from staging.stg_kommune__indsatsdeltagelse")}
    assert activities["JOB_1"]["is_completed"] is True and activities["LEKTIECAFE"]["is_completed"] is None


def test_randersbolig_keeps_company_number_and_types_department(warehouse):
    leases = rows(warehouse, "select * from staging.stg_randersbolig__lejemaal order by org_source_code")
    assert leases[0]["org_source_code"] == "10" and leases[0]["department_number"] == 27
    assert leases[0]["lease_number"] == "0012" and leases[0]["floor_area_m2"] == 78.5
    assert leases[1]["dwelling_type"] == "Ældre" and leases[1]["house_letter"] is None
    (eviction,) = rows(warehouse, "select * from staging.stg_randersbolig__udsaettelser")
    assert eviction["is_carried_out"] is False and eviction["decision_date"] == dt.date(2023, 2, 15)


def test_lejerbo_house_number_department_and_dates(warehouse):
    leases = {r["lease_number"]: r for r in rows(warehouse, "select * from staging.stg_lejerbo__lejemaal")}
    lease = leases["104-012"]
    assert lease["department_number"] == 104
    assert lease["house_number"] == 12 and lease["house_letter"] == "B"
    assert lease["floor_door"] == "st. tv" and lease["floor_area_m2"] == 72.5
    assert lease["stock_date"] == dt.date(EXTRACT_YEAR, 1, 1)
    assert leases["013-001"]["house_number"] == 7 and leases["013-001"]["house_letter"] is None
    assert leases["013-001"]["department_number"] == 13
    (move,) = rows(warehouse, "select * from staging.stg_lejerbo__flytninger")
    assert move["move_date"] == dt.date(2023, 4, 1) and move["tenancy_start_date"] == dt.date(2023, 4, 1)
    (complaint,) = rows(warehouse, "select * from staging.stg_lejerbo__klager")
    assert complaint["complaint_date"] == dt.date(2023, 8, 15)


@pytest.mark.parametrize("model,source_name", [
    ("stg_dst__boligomraader", "dst_boligomraader"),
    ("stg_lbf__boligsociale_data", "lbf_boligsociale_data"),
])
def test_published_tables_are_long_with_markers_from_the_contract(warehouse, model, source_name):
    source = SOURCES_BY_NAME[source_name]
    got = {r["measure"]: r for r in rows(warehouse, f"select * from staging.{model}")}
    measures = [c.name for c in source.columns if c.markers_allowed]
    assert sorted(got) == sorted(measures)  # one row per measure, none dropped
    for measure, (text, meaning) in marker_cells(source).items():
        assert got[measure]["value"] is None, (measure, text)
        assert got[measure]["value_marker"] == meaning, (measure, text)
    plain = [m for m in measures if m not in marker_cells(source) and m not in PUBLISHED_CELLS[source_name]]
    assert all(got[m]["value"] == 10.0 and got[m]["value_marker"] is None for m in plain)
    assert {r["geography_name"] for r in got.values()} == {"Gl. Jennumparken"}
    assert {r["extract_year"] for r in got.values()} == {EXTRACT_YEAR}


def test_published_danish_numbers(warehouse):
    dst = {r["measure"]: r for r in rows(warehouse, "select * from staging.stg_dst__boligomraader")}
    assert dst["BEFOLKNING"]["value"] == 1270
    assert dst["BEF_15_64"]["value"] == 1234.5
    assert dst["GNS_HUSSTANDSINDKOMST"]["value"] == 312456.5
    assert dst["BEF_15_64"]["value_as_delivered"] == "1.234,5"

    lbf = {r["measure"]: r for r in rows(warehouse, "select * from staging.stg_lbf__boligsociale_data")}
    assert lbf["ANDEL_1_5_I_DAGTILBUD"]["value"] == 45.2
    assert {r["departments_included"] for r in lbf.values()} == {"MS 27, MS 28"}

    votes = {(r["geography_name"], r["measure"]): r for r in rows(warehouse, "select * from staging.stg_dst__valgdeltagelse")}
    assert len(votes) == 4 and {r["election"] for r in votes.values()} == {"Kommunalvalg"}
    assert votes[("Gl. Jennumparken", "STEMMEBERETTIGEDE")]["value"] == 1004
    assert votes[("Gl. Jennumparken", "AFGIVNE_STEMMER")]["value"] is None
    assert votes[("Gl. Jennumparken", "AFGIVNE_STEMMER")]["value_marker"] == "suppressed"
    assert votes[("Randers Kommune", "STEMMEBERETTIGEDE")]["value"] == 76543

    survey = {(r["geography_name"], r["measure"]): r for r in rows(warehouse, "select * from staging.stg_lbf__tryghedsmaaling")}
    assert len(survey) == 8  # 2 rows x 4 measures: an empty cell is kept as a row, not dropped by the unpivot
    assert survey[("Gl. Jennumparken", "ANDEL_TRYGGE")]["value"] == 78.5
    assert survey[("Gl. Jennumparken", "ANDEL_FRIVILLIGE")]["value_marker"] == "suppressed"
    assert survey[("Alle boligområder", "ANTAL_INTERVIEWS")]["value"] is None
    assert survey[("Alle boligområder", "ANTAL_INTERVIEWS")]["value_marker"] == "not_available"
    assert survey[("Alle boligområder", "ANDEL_FRIVILLIGE")]["value"] == 12.5
    assert survey[("Gl. Jennumparken", "ANDEL_SAVNER_SELSKAB")]["value"] == 22.0


@pytest.mark.parametrize("name", [s.name for s in SOURCES if sum(c.markers_allowed for c in s.columns) > 1])
def test_published_staging_unpivots_every_contract_measure(name):
    """The staged measure list is the contract's list of measure columns, so a measure added to
    the contract cannot be silently left out of the warehouse."""
    import re

    sql = next((REPO / "dbt_project" / "models" / "staging" / "publicerede").glob(f"stg_*__{name.split('_', 1)[1]}.sql"))
    listed = re.findall(r"'([A-Z0-9_]+)'", re.search(r"set measures = \[(.*?)\]", sql.read_text(), re.S).group(1))
    assert listed == [c.name for c in SOURCES_BY_NAME[name].columns if c.markers_allowed]
