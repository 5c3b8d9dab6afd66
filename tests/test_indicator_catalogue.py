"""The catalogue is the single list of indicators: every row is well-formed, names a real
source and measure, and names the model that computes it (the registry,
orchestration/indicator_registry.py; the dbt side is in tests/test_indicator_registry_dbt.py)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from ingestion.contract import SOURCES_BY_NAME
from orchestration import indicator_registry as registry
from orchestration.settings import DBT_PROJECT_DIR

SEEDS = DBT_PROJECT_DIR / "seeds"


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


def test_generated_model_lists_and_docs_are_current():
    """The unions' model lists and docs/indicators.md are derived from the seeds, never edited."""
    for path, text in registry.outputs(DBT_PROJECT_DIR, registry.REPO_ROOT).items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: python -m orchestration.indicator_registry"


def test_every_computed_row_names_its_models():
    loaded = registry.load(DBT_PROJECT_DIR)
    computed = [r for r in loaded.indicators if r.values["source_kind"] == "computed"]
    assert computed and all(r.models for r in computed)
    assert {r.values["outcome_kind"] for r in loaded.outcomes} == {m.split("__")[1] for m in loaded.outcome_models}


def _tiny_project(tmp_path: Path) -> Path:
    """A dbt project of one computed indicator, one published one and one outcome."""
    project = tmp_path / "dbt_project"
    (project / "seeds").mkdir(parents=True)
    header = (SEEDS / "indicators_hp2017.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")

    def row(**values):
        return ",".join(values.get(c, "") for c in columns)

    (project / "seeds" / "indicators_hp2017.csv").write_text("\n".join([
        header,
        row(indicator_id="HP2017_A", plan_code="HP2017", source_kind="computed", computed_by="int_indicator__a"),
        row(indicator_id="HP2017_B", plan_code="HP2017", source_kind="published"),
    ]) + "\n", encoding="utf-8")
    (project / "seeds" / "indicators_hp2025.csv").write_text(header + "\n", encoding="utf-8")
    outcomes = (SEEDS / "activities_outcomes.csv").read_text(encoding="utf-8").splitlines()
    (project / "seeds" / "activities_outcomes.csv").write_text("\n".join(outcomes[:2]) + "\n", encoding="utf-8")
    for folder, name in [("indicators/person", "int_indicator__a"), ("cohorts", outcomes[1].split(",")[0])]:
        model = project / "models" / "intermediate" / folder / (name if folder != "cohorts" else f"int_cohort_outcome__{name}")
        model.parent.mkdir(parents=True, exist_ok=True)
        model.with_suffix(".sql").write_text("select 1\n", encoding="utf-8")
    (project / "models" / "intermediate" / "indicators" / "area").mkdir()
    return project


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_tiny_registry_derives_its_model_lists(tmp_path):
    loaded = registry.load(_tiny_project(tmp_path))
    assert (loaded.person_models, loaded.area_models) == (["int_indicator__a"], [])
    assert "'int_indicator__a'," in registry.render_macros(loaded)


@pytest.mark.parametrize("breakage, message", [
    (lambda p: _edit(p / "seeds" / "indicators_hp2017.csv", "computed,,,,int_indicator__a", "computed,,,,"),
     "indicators_hp2017.csv, line 2, column computed_by: HP2017_A is computed"),
    (lambda p: _edit(p / "seeds" / "indicators_hp2017.csv", "int_indicator__a", "int_indicator__aa"),
     "indicators_hp2017.csv, line 2, column computed_by: no model 'int_indicator__aa'"),
    (lambda p: _edit(p / "seeds" / "indicators_hp2017.csv", "published,,,,,", "published,,,,int_indicator__a,"),
     "indicators_hp2017.csv, line 3, column computed_by: HP2017_B is published"),
    (lambda p: shutil.copy(p / "models/intermediate/indicators/person/int_indicator__a.sql",
                           p / "models/intermediate/indicators/area/int_indicator__orphan.sql"),
     "int_indicator__orphan.sql: no row"),
    (lambda p: _edit(p / "seeds" / "activities_outcomes.csv", ",int_cohort_outcome__", ",int_cohort_outcom__"),
     "activities_outcomes.csv, line 2, column computed_by: outcome"),
], ids=["computed without model", "missing model", "published with model", "model no row names", "outcome model"])
def test_a_registry_row_without_its_model_is_an_error(tmp_path, breakage, message):
    project = _tiny_project(tmp_path)
    breakage(project)
    with pytest.raises(registry.RegistryError, match=re.escape(message)):
        registry.load(project)
