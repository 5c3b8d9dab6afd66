"""Plan totals summed from published areas use the same areas for numerator and denominator
(issue 12, finding 3).

A DST small-area table and an LBF table for 2024 in the contract's formats, with one area's
cell suppressed by the source ('..' at DST, '*' at LBF), loaded with the loader and built with
dbt through mart_area_indicator. A plan total the source does not print is summed over the
areas where both measures were published, flagged partial with the missing areas named; a
plain count (DST residents) is rolled up too; a total with no comparable area is withheld.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from demo.writers import write_extract
from ingestion.contract import SOURCES_BY_NAME
from test_incremental_models import _dbt_run, _load

YEAR = 2024
DST = SOURCES_BY_NAME["dst_boligomraader"]
LBF = SOURCES_BY_NAME["lbf_boligsociale_data"]

HP2025_AREAS = {"GJP": "Gl. Jennumparken", "GLV": "Glarbjergvej-området", "HSV": "Hermann Stillingsvej-området",
                "ENV": "Energivej-området", "VGD": "Vangdalen", "SJK": "Sjællandsgadekvarteret",
                "CRA": "Centrale Randers"}
HP2017_AREAS = ["GJP", "GLV", "VGD"]

# residents and non-western residents per area: DST suppresses Sjællandsgadekvarteret's residents
# and Centrale Randers' non-western count
RESIDENTS = {"GJP": 1000, "GLV": 1200, "HSV": 900, "ENV": 800, "VGD": 700, "SJK": "..", "CRA": 400}
NON_WESTERN = {"GJP": 400, "GLV": 500, "HSV": 300, "ENV": 200, "VGD": 250, "SJK": 600, "CRA": ".."}
# children of single providers: suppressed in every area, so no total is comparable
SINGLE_PROVIDER = dict.fromkeys(HP2025_AREAS, "..")
# LBF: 10-17-year-olds charged; Glarbjergvej-området's count is suppressed
CHARGED_10_17 = {"GJP": 12, "GLV": "*", "VGD": 7}
AGED_10_17 = {"GJP": 300, "GLV": 350, "VGD": 200}


def _dst_table() -> pd.DataFrame:
    rows = []
    for code, name in [*HP2025_AREAS.items(), ("RANDERS", "Randers Kommune")]:
        row = {c.name: 100 for c in DST.columns if c.markers_allowed}
        row.update(OMRAADE=name, BEFOLKNING=RESIDENTS.get(code, 98000), BEF_IKKEVESTLIG=NON_WESTERN.get(code, 9000),
                   BOERN_ENLIG_FORSOERGER=SINGLE_PROVIDER.get(code, 30))  # within BEF_0_17 (100)
        rows.append(row)
    return pd.DataFrame(rows, columns=DST.column_names)


def _lbf_table() -> pd.DataFrame:
    rows = []
    for code in HP2017_AREAS:
        row = {c.name: 10 for c in LBF.columns if c.markers_allowed}
        row.update(BOLIGOMRAADE=HP2025_AREAS[code], AFDELINGER_MEDREGNET=None,
                   BEF_10_17=AGED_10_17[code], BEF_10_17_SIGTEDE=CHARGED_10_17[code])
        rows.append(row)
    return pd.DataFrame(rows, columns=LBF.column_names)


@pytest.fixture(scope="module")
def totals_warehouse(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("partial_totals")
    extracts = work / "extracts"
    write_extract(_dst_table(), DST, YEAR, extracts)
    write_extract(_lbf_table(), LBF, YEAR, extracts)
    warehouse = work / "warehouse.duckdb"
    _load(extracts, warehouse)
    _dbt_run(warehouse, work / "target", "--vars", f"{{report_year: {YEAR}}}",
             "--select", "+mart_area_indicator", "--exclude", "test_type:data", command="build")
    return warehouse


def _cell(warehouse: Path, indicator: str, geography: str) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("select * from marts.mart_area_indicator where indicator_id = ? and geography_code = ? "
                          "and period = ?", [indicator, geography, str(YEAR)]).fetchdf()
    finally:
        con.close()
    assert len(row) == 1, (indicator, geography)
    return row.iloc[0].to_dict()


def _comparable(numerators: dict, denominators: dict) -> list[str]:
    return [a for a in numerators if isinstance(numerators[a], int) and isinstance(denominators[a], int)]


def test_published_share_total_uses_the_same_areas(totals_warehouse):
    areas = _comparable(NON_WESTERN, RESIDENTS)
    cell = _cell(totals_warehouse, "HP2025_PROFIL_IKKEVESTLIG_ANDEL", "HP2025_ALL")
    assert cell["numerator"] == sum(NON_WESTERN[a] for a in areas)
    assert cell["denominator"] == sum(RESIDENTS[a] for a in areas)
    assert cell["value"] == pytest.approx(100 * cell["numerator"] / cell["denominator"])
    assert cell["flag_partial_coverage"] and cell["areas_missing"] == 2
    assert "Sjællandsgadekvarteret, Centrale Randers mangler i kilden" in cell["flag_reasons_da"]


def test_lbf_share_total_uses_the_same_areas(totals_warehouse):
    areas = _comparable(CHARGED_10_17, AGED_10_17)
    cell = _cell(totals_warehouse, "HP2017_OM_LBF_SIGTEDE_10_17", "HP2017_ALL")
    assert cell["numerator"] == sum(CHARGED_10_17[a] for a in areas)
    assert cell["denominator"] == sum(AGED_10_17[a] for a in areas)
    assert cell["flag_partial_coverage"]
    assert "Glarbjergvej-området mangler i kilden" in cell["flag_reasons_da"]


def test_published_resident_count_is_rolled_up_and_flagged_partial(totals_warehouse):
    cell = _cell(totals_warehouse, "HP2025_PROFIL_BEBOERE_DST", "HP2025_ALL")
    assert cell["value"] == sum(v for v in RESIDENTS.values() if isinstance(v, int))
    assert cell["flag_partial_coverage"] and cell["areas_missing"] == 1
    assert "Sjællandsgadekvarteret mangler i kilden" in cell["flag_reasons_da"]
    # every area published: a whole total, not flagged
    whole = _cell(totals_warehouse, "HP2025_PROFIL_BEBOERE_DST", "HP2017_ALL")
    assert whole["value"] == sum(RESIDENTS[a] for a in HP2017_AREAS)
    assert not whole["flag_partial_coverage"]


def test_a_total_with_no_comparable_area_is_withheld(totals_warehouse):
    cell = _cell(totals_warehouse, "HP2025_PROFIL_BOERN_ENLIG_FORSOERGER", "HP2025_ALL")
    assert pd.isna(cell["value"]) and pd.isna(cell["numerator"]) and pd.isna(cell["denominator"])
    assert pd.isna(cell["n"])
