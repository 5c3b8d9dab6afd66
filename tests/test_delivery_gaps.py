"""A year a source never delivered is missing, never 0 (issue 12, finding 2).

A tiny housing delivery in the contract's formats: RandersBolig's leases for 2019-2021 in
Gl. Jennumparken and Glarbjergvej-området, its eviction files for 2019 and 2021 (cases in Gl.
Jennumparken only: Glarbjergvej's 0 is a delivered 0) but none for 2020, and no complaint file
from either organisation in any year, and no published table at all. Beside it two residents of Gl. Jennumparken (CPR 2019-2021),
placement files and jobcenter files for 2019 and 2021 but not 2020: a yearly share whose
numerator source is missing, and October-September windows that read the missing year. Loaded with the
loader (raw._deliveries records what came) and built with dbt through the marts and exports.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from demo.writers import write_extract
from ingestion.contract import SOURCES_BY_NAME
from test_incremental_models import _dbt_run, _load

EVICTIONS = "HP2025_SAMH_UDSAETTELSER"
PLACED_SHARE = "HP2017_OM_ANBRAGTE_ANDEL"
PLACED_COUNT = "HP2017_OM_ANBRAGTE_BOERN"
BENEFIT_WINDOW = "HP2025_BESK_KONTANTHJAELP"
ADULT, CHILD = "a1b2c3d4e5f60718", "0123456789abcdef"
COMPLAINTS = "HP2017_SK_KLAGESAGER"
MODELS = ["mart_area_indicator", "mart_area_indicator_wide_hp2025", "export_area_indicator", "reconciliation_sources"]


def _leases() -> pd.DataFrame:
    # Flyvervej 2-26 (even) lies in Gl. Jennumparken, Falkevej 1-41 (odd) in Glarbjergvej-området
    # (seeds/area_address_ranges.csv)
    return pd.DataFrame({
        "SELSKAB_NR": "10", "AFDELING_NR": 27, "LEJEMAAL_NR": [f"{i:04d}" for i in range(1, 5)],
        "VEJNAVN": ["Flyvervej", "Flyvervej", "Falkevej", "Falkevej"], "HUSNR": [2, 4, 1, 3], "BOGSTAV": None,
        "ETAGE": "1", "DOER": "tv", "BOLIGTYPE": "Familie", "ANTAL_RUM": 3, "AREAL_M2": 75.0,
    })


def _evictions(dates: list[str]) -> pd.DataFrame:
    source = SOURCES_BY_NAME["randersbolig_udsaettelser"]
    rows = [{"SELSKAB_NR": "10", "AFDELING_NR": 27, "LEJEMAAL_NR": "0001", "SAG_DATO": pd.Timestamp(d),
             "AARSAG": "Restance", "FULDBYRDET": "J"} for d in dates]
    return pd.DataFrame(rows, columns=source.column_names)


def _residents() -> pd.DataFrame:
    return pd.DataFrame({
        "PNR_PSEUDO": [ADULT, CHILD], "FOEDSELSDATO": pd.to_datetime(["1985-03-14", "2012-06-01"]),
        "KOEN": ["K", "M"], "VEJNAVN": "Flyvervej", "HUSNR": 2, "HUSBOGSTAV": None, "ETAGE": "1", "DOER": "tv",
        "POSTNR": 8930, "MOR_PNR_PSEUDO": [None, ADULT], "FAR_PNR_PSEUDO": None, "FAMILIE_ID": "F00000001",
        "STATSBORGERSKAB": "DK", "OPRINDELSE": "1",
    })


def _placements(start: str, end: str | None) -> pd.DataFrame:
    return pd.DataFrame({"PNR_PSEUDO": [CHILD], "START": [pd.Timestamp(start)],
                         "SLUT": [pd.Timestamp(end) if end else pd.NaT], "ANBRINGELSESSTED": ["Plejefamilie"]})


def _benefit_months(year: int) -> pd.DataFrame:
    return pd.DataFrame({"PNR_PSEUDO": ADULT, "MAANED": [f"{year}-{m:02d}" for m in range(1, 13)],
                         "YDELSE": "Kontanthjælp", "MATCHGRUPPE": "Aktivitetsparat", "FULDTIDSANDEL": 1.0})


@pytest.fixture(scope="module")
def gap_warehouse(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("delivery_gaps")
    extracts = work / "extracts"
    for year in (2019, 2020, 2021):
        write_extract(_leases(), SOURCES_BY_NAME["randersbolig_lejemaal"], year, extracts)
    write_extract(_evictions(["2019-05-02"]), SOURCES_BY_NAME["randersbolig_udsaettelser"], 2019, extracts)
    write_extract(_evictions(["2021-03-01", "2021-12-10"]), SOURCES_BY_NAME["randersbolig_udsaettelser"], 2021, extracts)
    for year in (2019, 2020, 2021):
        write_extract(_residents(), SOURCES_BY_NAME["cpr_befolkning"], year, extracts)
    write_extract(_placements("2019-03-01", "2019-06-30"), SOURCES_BY_NAME["anbringelser"], 2019, extracts)
    write_extract(_placements("2021-02-01", None), SOURCES_BY_NAME["anbringelser"], 2021, extracts)
    for year in (2019, 2021):
        write_extract(_benefit_months(year), SOURCES_BY_NAME["jobcenter_ydelser"], year, extracts)
    warehouse = work / "warehouse.duckdb"
    _load(extracts, warehouse)
    _dbt_run(warehouse, work / "target", "--vars", "{report_year: 2021}",
             "--select", *[f"+{m}" for m in MODELS], "--exclude", "test_type:data", command="build")
    return warehouse


def _query(warehouse: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _cell(warehouse: Path, indicator: str, geography: str, period: str) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("select * from marts.mart_area_indicator where indicator_id = ? and geography_code = ? "
                          "and period = ?", [indicator, geography, period]).fetchdf()
    finally:
        con.close()
    assert len(row) == 1, (indicator, geography, period)
    return row.iloc[0].to_dict()


def test_coverage_lists_the_gap_from_the_deliveries(gap_warehouse):
    rows = dict(_query(gap_warehouse, "select year, is_delivered from intermediate.int_delivery__coverage "
                                      "where source = 'randersbolig_udsaettelser'"))
    assert rows == {2019: True, 2020: False, 2021: True}
    never = _query(gap_warehouse, "select year, gap_da from intermediate.int_delivery__coverage "
                                  "where source = 'randersbolig_klager' order by year")
    assert never == [(y, f"ingen levering for {y} (randersbolig_klager)") for y in (2019, 2020, 2021)]


@pytest.mark.parametrize("geography", ["GJP", "HP2025_ALL", "RANDERS"])
def test_an_undelivered_year_is_missing_with_the_reason(gap_warehouse, geography):
    cell = _cell(gap_warehouse, EVICTIONS, geography, "2020")
    assert pd.isna(cell["value"]) and pd.isna(cell["n"]) and pd.isna(cell["numerator"])
    assert cell["flag_missing"] and not cell["flag_partial_coverage"]
    assert "ingen levering for 2020 (randersbolig_udsaettelser)" in cell["flag_reasons_da"]
    assert cell["status"] == "kan ikke vurderes"


def test_delivered_years_keep_their_counts(gap_warehouse):
    assert _cell(gap_warehouse, EVICTIONS, "GJP", "2019")["value"] == 1
    assert _cell(gap_warehouse, EVICTIONS, "GJP", "2021")["value"] == 2
    # no case in Glarbjergvej-området in a delivered file: a true 0
    for year in ("2019", "2021"):
        cell = _cell(gap_warehouse, EVICTIONS, "GLV", year)
        assert cell["value"] == 0 and not cell["flag_missing"]


def test_a_source_never_delivered_is_missing_every_year(gap_warehouse):
    for year in ("2019", "2020", "2021"):
        cell = _cell(gap_warehouse, COMPLAINTS, "GJP", year)
        assert pd.isna(cell["value"]) and cell["flag_missing"]
        assert f"ingen levering for {year} (randersbolig_klager)" in cell["flag_reasons_da"]


def test_person_level_indicators_of_an_undelivered_year_are_missing(gap_warehouse):
    # placements 2020 were never delivered: the share is missing, not 0 %, and the count has a row
    for indicator in (PLACED_SHARE, PLACED_COUNT):
        cell = _cell(gap_warehouse, indicator, "GJP", "2020")
        assert pd.isna(cell["value"]) and pd.isna(cell["n"]) and cell["flag_missing"]
        assert "ingen levering for 2020 (anbringelser)" in cell["flag_reasons_da"]
    assert _cell(gap_warehouse, PLACED_SHARE, "GJP", "2021")["value"] == 100


@pytest.mark.parametrize("window", ["2019-10..2020-09", "2020-10..2021-09"])
def test_a_window_reading_an_undelivered_year_is_missing(gap_warehouse, window):
    cell = _cell(gap_warehouse, BENEFIT_WINDOW, "GJP", window)
    assert pd.isna(cell["value"]) and pd.isna(cell["n"]) and cell["flag_missing"]
    assert "ingen levering for 2020 (jobcenter_ydelser)" in cell["flag_reasons_da"]


def test_wide_mart_and_export_carry_the_gap(gap_warehouse):
    wide = _query(gap_warehouse, 'select "GJP_value", "GJP_status" from marts.mart_area_indicator_wide_hp2025 '
                                 "where indicator_id = ? and period = '2020'", [EVICTIONS])
    assert wide == [(None, "kan ikke vurderes")]
    exported = _query(gap_warehouse, "select value, n, flag_missing, flag_reasons_da from publication.export_area_indicator "
                                     "where indicator_id = ? and geography_code = 'GJP' and period = '2020'", [EVICTIONS])
    assert len(exported) == 1
    value, n, missing, reasons = exported[0]
    assert value is None and n is None and missing
    assert "ingen levering for 2020" in reasons


def test_reconciliation_keeps_a_side_that_was_never_delivered(gap_warehouse):
    # residents from the CPR extract against Danmarks Statistik's table, which never came
    rows = _query(gap_warehouse, "select value_a, value_b, difference, coverage_note_da from quality.reconciliation_sources "
                                 "where pair_id = 'BEBOERE' and geography_code = 'GJP' and period_a = '2020'")
    assert len(rows) == 1
    value_a, value_b, difference, note = rows[0]
    assert value_a == 2 and value_b is None and difference is None
    assert "ingen levering for 2020 (dst_boligomraader)" in note


@pytest.fixture(scope="module")
def cpr_gap_warehouse(tmp_path_factory) -> Path:
    """The CPR stock of 2020 never came; placements were delivered every year."""
    work = tmp_path_factory.mktemp("cpr_gap")
    extracts = work / "extracts"
    for year in (2019, 2021):
        write_extract(_residents(), SOURCES_BY_NAME["cpr_befolkning"], year, extracts)
    for year in (2019, 2020, 2021):
        write_extract(_placements("2019-03-01", "2021-12-31"), SOURCES_BY_NAME["anbringelser"], year, extracts)
    warehouse = work / "warehouse.duckdb"
    _load(extracts, warehouse)
    _dbt_run(warehouse, work / "target", "--vars", "{report_year: 2021}",
             "--select", "+mart_area_indicator", "--exclude", "test_type:data", command="build")
    return warehouse


def test_persons_without_the_years_cpr_stock_are_missing_with_the_reason(cpr_gap_warehouse):
    # the placement was delivered, but without the 2020 stock nobody can be placed in an area
    for indicator in (PLACED_SHARE, "HP2025_PROFIL_BEBOERE"):
        cell = _cell(cpr_gap_warehouse, indicator, "GJP", "2020")
        assert pd.isna(cell["value"]) and cell["flag_missing"]
        assert "ingen levering for 2020 (cpr_befolkning)" in cell["flag_reasons_da"]
    assert _cell(cpr_gap_warehouse, PLACED_SHARE, "GJP", "2021")["value"] == 100


def test_coverage_knows_what_every_contract_source_delivers():
    # the model's list of what a file year covers must name every source of the contract
    from ingestion.contract import SOURCES

    model = (Path(__file__).parents[1] / "dbt_project/models/intermediate/delivery/int_delivery__coverage.sql").read_text()
    assert [s.name for s in SOURCES if f"('{s.name}', '{s.folder}', " not in model] == []
