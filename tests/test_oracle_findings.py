"""Two classes the independent oracle found (docs/oracle.md, "true zero count dropped" and
"benefits in one month added up"), each on a tiny hand-built delivery.

Six or three residents per area in the contract's formats, CPR stocks 2019-2021, placement and
jobcenter files for 2019 and 2021 but not 2020 (a gap, "ingen levering"):
  Gl. Jennumparken (GJP)  three adults and three children; one child placed, two adults on
                          benefits (one of them on førtidspension and kontanthjælp in the same
                          months, the other on kontanthjælp);
  Glarbjergvej (GLV)      three adults and three children: nobody placed, nobody on a benefit;
  Vangdalen (VGD)         three adults, no children, nobody on a benefit.
Loaded with the loader and built with dbt through mart_area_indicator."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from demo.writers import write_extract
from exports.disclosure.cells import area_primary_reason
from ingestion.contract import SOURCES_BY_NAME
from test_incremental_models import _dbt_run, _load

PLACED_COUNT, PLACED_SHARE = "HP2017_OM_ANBRAGTE_BOERN", "HP2017_OM_ANBRAGTE_ANDEL"
RECIPIENTS = "HP2017_OM_KONTANTHJAELP_ANTAL"
RESIDENTS, CHILDREN = "HP2025_PROFIL_BEBOERE", "HP2025_PROFIL_BOERN_UNDER_18"
PENSION_SHARE = "HP2025_PROFIL_FOERTIDSPENSION_ANDEL"
# Flyvervej 2-26 even: GJP; Falkevej 1-41 odd: GLV; Rørhaven 2-12 even: VGD (seeds/area_address_ranges.csv)
ADDRESSES = {"GJP": ("Flyvervej", 2), "GLV": ("Falkevej", 1), "VGD": ("Rørhaven", 2)}
THRESHOLD = 3


AREA_NO = {"GJP": 1, "GLV": 2, "VGD": 3}


def _key(area: str, kind: str, i: int) -> str:
    # hex person keys: area, adult (a) or child (c), number
    return f"{AREA_NO[area]:x}{kind}{i:x}".ljust(16, "0")


def _residents() -> pd.DataFrame:
    rows = []
    for area, (street, number) in ADDRESSES.items():
        adults = [_key(area, "a", i) for i in range(3)]
        children = [_key(area, "c", i) for i in range(3)] if area != "VGD" else []
        for person in adults + children:
            is_child = person in children
            rows.append({"PNR_PSEUDO": person, "FOEDSELSDATO": pd.Timestamp("2012-06-01" if is_child else "1985-03-14"),
                         "KOEN": "K", "VEJNAVN": street, "HUSNR": number, "HUSBOGSTAV": None, "ETAGE": "1",
                         "DOER": "tv", "POSTNR": 8930, "MOR_PNR_PSEUDO": adults[0] if is_child else None,
                         "FAR_PNR_PSEUDO": None, "FAMILIE_ID": f"F{AREA_NO[area]:08d}", "STATSBORGERSKAB": "DK",
                         "OPRINDELSE": "1"})
    return pd.DataFrame(rows)


def _placements(start: str, end: str | None) -> pd.DataFrame:
    return pd.DataFrame({"PNR_PSEUDO": [_key("GJP", "c", 0)], "START": [pd.Timestamp(start)],
                         "SLUT": [pd.Timestamp(end) if end else pd.NaT], "ANBRINGELSESSTED": ["Plejefamilie"]})


def _benefit_months(year: int) -> pd.DataFrame:
    pensioner, recipient = _key("GJP", "a", 0), _key("GJP", "a", 1)
    rows = [(pensioner, m, "Førtidspension", None, 1.0) for m in range(1, 13)]
    # half-time kontanthjælp beside a full pension in January-June: still one full-time person
    rows += [(pensioner, m, "Kontanthjælp", "Aktivitetsparat", 0.5) for m in range(1, 7)]
    rows += [(recipient, m, "Kontanthjælp", "Jobparat", 1.0) for m in range(1, 13)]
    return pd.DataFrame([{"PNR_PSEUDO": p, "MAANED": f"{year}-{m:02d}", "YDELSE": y, "MATCHGRUPPE": g,
                          "FULDTIDSANDEL": f} for p, m, y, g, f in rows])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("oracle_findings")
    extracts = work / "extracts"
    for year in (2019, 2020, 2021):
        write_extract(_residents(), SOURCES_BY_NAME["cpr_befolkning"], year, extracts)
    write_extract(_placements("2019-03-01", "2019-06-30"), SOURCES_BY_NAME["anbringelser"], 2019, extracts)
    write_extract(_placements("2021-02-01", None), SOURCES_BY_NAME["anbringelser"], 2021, extracts)
    for year in (2019, 2021):
        write_extract(_benefit_months(year), SOURCES_BY_NAME["jobcenter_ydelser"], year, extracts)
    warehouse = work / "warehouse.duckdb"
    _load(extracts, warehouse)
    _dbt_run(warehouse, work / "target", "--vars", "{report_year: 2021}",
             "--select", "+mart_area_indicator", "--exclude", "test_type:data", command="build")
    return warehouse


def _cell(warehouse: Path, indicator: str, geography: str, period: str) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("""select m.*, c.value_kind, c.unit_factor from marts.mart_area_indicator as m
                             join intermediate.int_catalogue__indicators as c using (indicator_id)
                             where m.indicator_id = ? and m.geography_code = ? and m.period = ?""",
                          [indicator, geography, period]).fetchdf()
    assert len(row) == 1, (indicator, geography, period)
    return row.iloc[0].to_dict()


# (count, geography with nobody in the group, persons in the count's population there)
TRUE_ZEROS = [
    (PLACED_COUNT, "GLV", 3),  # children 0-17, none placed
    (RECIPIENTS, "GLV", 6),  # residents, none on a benefit
    (RECIPIENTS, "VGD", 3),
    (CHILDREN, "VGD", 3),  # residents, none under 18
]


@pytest.mark.parametrize(("indicator", "geography", "population"), TRUE_ZEROS)
def test_a_true_zero_count_is_zero_over_its_population(warehouse, indicator, geography, population):
    cell = _cell(warehouse, indicator, geography, "2019")
    assert cell["value"] == 0 and cell["numerator"] == 0
    # n of a count is the persons it counts; the population is behind the complement
    assert cell["n"] == 0 and not cell["flag_missing"]
    assert cell["n_persons_with"] == 0 and cell["n_persons_without"] == population
    # disclosure decides on persons: nobody in the group is no one to protect
    assert area_primary_reason(SimpleNamespace(**cell), THRESHOLD) is None


def test_a_zero_count_agrees_with_the_share_beside_it(warehouse):
    share = _cell(warehouse, PLACED_SHARE, "GLV", "2019")
    count = _cell(warehouse, PLACED_COUNT, "GLV", "2019")
    assert share["value"] == 0 and count["value"] == 0 and count["n_persons_without"] == share["n"]


def test_counts_with_members_keep_their_value_and_persons(warehouse):
    placed = _cell(warehouse, PLACED_COUNT, "HP2017_ALL", "2019")
    assert placed["value"] == 1 and placed["n"] == 1 and placed["n_persons_without"] == 5  # of GJP's and GLV's 6
    recipients = _cell(warehouse, RECIPIENTS, "GJP", "2019")
    assert recipients["value"] == 2 and recipients["n"] == 2 and recipients["n_persons_without"] == 4
    assert _cell(warehouse, CHILDREN, "RANDERS", "2020")["value"] == 6


@pytest.mark.parametrize(("indicator", "source"), [(PLACED_COUNT, "anbringelser"), (RECIPIENTS, "jobcenter_ydelser")])
def test_an_undelivered_year_stays_missing_not_zero(warehouse, indicator, source):
    for geography in ("GJP", "GLV", "HP2017_ALL"):
        cell = _cell(warehouse, indicator, geography, "2020")
        assert pd.isna(cell["value"]) and pd.isna(cell["n"]) and cell["flag_missing"]
        assert f"ingen levering for 2020 ({source})" in cell["flag_reasons_da"]


def test_every_person_level_count_is_covered_here():
    # a new count over persons must show its true zero too: add it to TRUE_ZEROS
    seeds = Path(__file__).parents[1] / "dbt_project/seeds"
    catalogue = pd.concat(pd.read_csv(seeds / f"indicators_{p}.csv", dtype=str) for p in ("hp2017", "hp2025"))
    person_sources = {"cpr_befolkning", "anbringelser", "jobcenter_ydelser", "skolefravaer", "sprogvurdering",
                      "uu_vejledning", "ungdomsskole", "dagtilbud", "afgangsproever"}
    counts = catalogue[(catalogue.unit == "count") & (catalogue.source_kind == "computed")
                       & catalogue.source.isin(person_sources)]
    assert set(counts.indicator_id) == {i for i, _, _ in TRUE_ZEROS} | {RESIDENTS}


def test_a_person_month_is_at_most_one_full_time_person(warehouse):
    # pension 12 full months (+ half-time kontanthjælp in 6 of them) and kontanthjælp 12 months:
    # 1 full-time person on pension among 2 on a benefit, not 1 among 2.25
    cell = _cell(warehouse, PENSION_SHARE, "GJP", "2019")
    assert cell["numerator"] == pytest.approx(1.0) and cell["denominator"] == pytest.approx(2.0)
    assert cell["value"] == pytest.approx(50.0)
