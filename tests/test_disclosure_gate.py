"""The gate in front of publishing: a refresh whose blocking check fails, or whose extract is
broken, publishes nothing new; the last good exports stay byte-identical, and the run says
which check failed and on which rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.settings import ENV_EXPORTS, ENV_EXTRACTS, ENV_WAREHOUSE

EXPORT_FILES = dg.AssetKey(["published", "export_files"])
LANGUAGE_EXPORT = dg.AssetKey(["publication", "export_language_assessment"])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def published(built_warehouse, small_demo, tmp_path, monkeypatch):
    """A copy of the built warehouse, its exports published once (the last good exports),
    and the environment pointing the Dagster resources at them."""
    from exports.publish import publish

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, warehouse)
    exports = tmp_path / "exports"
    publish(warehouse, exports)
    extracts = tmp_path / "extracts"
    shutil.copytree(small_demo, extracts)
    for key, value in {ENV_WAREHOUSE: warehouse, ENV_EXPORTS: exports, ENV_EXTRACTS: extracts}.items():
        monkeypatch.setenv(key, str(value))
    return warehouse, exports, extracts


def _refresh(selection: list[dg.AssetKey]) -> dg.ExecuteInProcessResult:
    from orchestration.definitions import defs
    from orchestration.operations import default_report_year

    # the published files are partitioned by report year (orchestration/partitions.py)
    return defs.resolve_job_def("yearly_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, asset_selection=selection,
        partition_key=str(default_report_year()))


def test_a_failing_blocking_check_publishes_nothing_and_names_check_and_rows(published):
    warehouse, exports, _ = published
    before = _snapshot(exports)
    assert "export_language_assessment.parquet" in before
    # tamper: disclosure control "forgets" Vangdalen 2023, so the export would show a count under 3
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE marts.mart_language_assessment SET n_assessed = 2, n_generel = 1, n_fokuseret = 1, "
                "n_saerlig = 0 WHERE geography_code = 'VGD' AND assessment_year = 2023")
    con.execute("UPDATE quality.disclosure_language_assessment SET is_suppressed = false "
                "WHERE geography_code = 'VGD' AND assessment_year = 2023")
    con.close()

    result = _refresh([LANGUAGE_EXPORT, EXPORT_FILES])

    assert EXPORT_FILES not in {e.asset_key for e in result.get_asset_materialization_events()}
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed
              and e.severity == dg.AssetCheckSeverity.ERROR]
    assert {(e.asset_key, e.check_name) for e in failed} >= {
        (LANGUAGE_EXPORT, "great_expectations_suite"), (LANGUAGE_EXPORT, "no_person_data_or_small_counts")}
    by_name = {e.check_name: e for e in failed}
    small = by_name["no_person_data_or_small_counts"].metadata["rows_with_small_counts"].value
    assert [(r["geography_code"], r["assessment_year"], r["n_assessed"]) for r in small] == [("VGD", 2023, 2)]
    failures = by_name["great_expectations_suite"].metadata["failures"].value
    assert {"geography_code": "VGD", "assessment_year": "2023", "n_assessed": "2"} in failures[0]["rows"]
    assert _snapshot(exports) == before


def test_a_broken_extract_publishes_nothing(published):
    warehouse, exports, extracts = published
    before = _snapshot(exports)
    bad = extracts / "kommune" / "sprogvurdering_2023.csv"
    if not bad.exists():
        bad = next(extracts.rglob("sprogvurdering_2023.csv"))
    text = bad.read_text(encoding="cp1252")
    bad.write_text(text.replace("Generel indsats", "Ukendt indsats", 1), encoding="cp1252")

    from orchestration.definitions import defs

    # the source and everything built on it, as in the yearly refresh (which runs all of it)
    downstream = dg.AssetSelection.assets(dg.AssetKey(["raw", "sprogvurdering"])).downstream()
    selection = sorted(downstream.resolve(defs.resolve_asset_graph()))
    assert EXPORT_FILES in selection and LANGUAGE_EXPORT in selection
    result = _refresh(selection)

    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "sprogvurdering_2023.csv, line" in str(failure.event_specific_data.error)
    assert EXPORT_FILES not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert _snapshot(exports) == before
