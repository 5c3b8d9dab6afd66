"""The catalogue is the single list of indicators: every row is well-formed, names a real
source and measure, and every indicator model is registered where the marts read it."""

from __future__ import annotations

import csv
import re

import pytest

from ingestion.contract import SOURCES_BY_NAME
from orchestration.settings import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"
INDICATORS = DBT_PROJECT_DIR / "models" / "intermediate" / "indicators"


def _rows(name: str) -> list[dict]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CATALOGUE = _rows("indicators_hp2017.csv") + _rows("indicators_hp2025.csv")
PUBLISHED = _rows("published_values_hp2017.csv") + _rows("published_values_hp2025.csv")
GEOGRAPHIES = {r["geography_code"] for r in _rows("geographies.csv")}


def test_ids_are_unique_and_carry_their_plan():
    ids = [r["indicator_id"] for r in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(r["indicator_id"].startswith(r["plan_code"] + "_") for r in CATALOGUE)


def test_both_plans_have_every_level():
    levels = {(r["plan_code"], r["level"]) for r in CATALOGUE}
    assert {("HP2017", "succeskriterie"), ("HP2017", "overordnet_maal")} <= levels
    assert {("HP2025", "lbf_strategisk"), ("HP2025", "delmaal"), ("HP2025", "omraadeprofil")} <= levels


@pytest.mark.parametrize("row", CATALOGUE, ids=lambda r: r["indicator_id"])
def test_source_and_measures_exist_in_the_contract(row):
    source = SOURCES_BY_NAME.get(row["source"])
    assert source is not None, f"{row['indicator_id']}: unknown source {row['source']!r}"
    if row["source_kind"] == "published" and row["source_numerator"]:
        columns = {c.name for c in source.columns}
        # a measure published per election is named MEASURE@Valg (see int_published__cells)
        measure = lambda name: name.split("@")[0]  # noqa: E731
        assert measure(row["source_numerator"]) in columns
        assert not row["source_denominator"] or measure(row["source_denominator"]) in columns
    if row["unit"] in ("pct_of_reference", "ratio") and row["source_kind"] == "published":
        assert row["value_reference_geography"] in GEOGRAPHIES


def test_every_published_value_belongs_to_an_indicator_and_a_geography():
    ids = {r["indicator_id"] for r in CATALOGUE}
    assert {r["indicator_id"] for r in PUBLISHED} <= ids
    assert {r["geography_code"] for r in PUBLISHED} <= GEOGRAPHIES
    unexplained = [r for r in PUBLISHED if r["seed_consistent"] == "false" and not r["note"].strip()]
    assert unexplained == []


def _registered(path: Path, list_name: str) -> set[str]:
    sql = path.read_text(encoding="utf-8")
    block = re.search(rf"set {list_name} = \[(.*?)\]", sql, re.S).group(1)
    return set(re.findall(r"'([a-z0-9_]+)'", block))


def _tagged(folder: str, tag: str) -> set[str]:
    return {p.stem for p in (INDICATORS / folder).glob("*.sql")
            if re.search(rf"tags=\[[^\]]*'{tag}'", p.read_text(encoding="utf-8"))}


def test_every_indicator_model_is_registered():
    assert _registered(DBT_PROJECT_DIR / "macros" / "indicator_models.sql", "person_indicator_models") \
        == _tagged("person", "person_indicator")
    assert _registered(INDICATORS / "int_indicator__area_values.sql", "area_indicator_models") == _tagged("area", "area_indicator")
