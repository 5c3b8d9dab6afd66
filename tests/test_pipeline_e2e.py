"""The whole graph on the small demo municipality: Definitions load, every asset and check
materialises, the language table reproduces plan 2025-29, and the exports are published."""

from __future__ import annotations

import json
import os

import dagster as dg
import duckdb
import pandas as pd
import pytest

from orchestration.settings import ENV_EXPORTS, ENV_EXTRACTS, ENV_WAREHOUSE

# Plan 2025-29, delmål "Bedre sprogkompetencer ved overgang til skole", 2023 (seed 003 lines 968-1030).
PUBLISHED_LANGUAGE_2023 = {
    "GJP": (37, 45.9, 5.4, 48.6),
    "GLV": (42, 40.5, 31.0, 28.6),
    "HSV": (23, 65.2, 21.7, 13.0),
    "ENV": (17, 58.8, 17.6, 23.5),
    "VGD": (27, 55.6, 14.8, 29.6),
    "SJK": (13, 53.8, 23.1, 23.1),
    "CRA": (5, 40.0, 0.0, 60.0),
}


@pytest.fixture(scope="module")
def refreshed(small_demo, tmp_path_factory):
    """Run the yearly refresh job once, in-process, against a fresh warehouse."""
    work = tmp_path_factory.mktemp("refresh")
    env = {ENV_EXTRACTS: str(small_demo), ENV_WAREHOUSE: str(work / "warehouse.duckdb"),
           ENV_EXPORTS: str(work / "exports")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    from orchestration.definitions import defs

    result = defs.resolve_job_def("yearly_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    yield result, work
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_every_asset_and_check_materialises(refreshed):
    result, _ = refreshed
    assert result.success
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    materialised = {e.asset_key for e in result.get_asset_materialization_events()}
    assert materialised == set(graph.get_all_asset_keys())
    evaluations = result.get_asset_check_evaluations()
    failed_blocking = [e.check_name for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    assert not failed_blocking


def test_language_table_matches_seed_003(refreshed):
    _, work = refreshed
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT geography_code, n_assessed, pct_generel, pct_fokuseret, pct_saerlig "
        "FROM marts.mart_language_assessment WHERE assessment_year = 2023 AND geography_type = 'area'"
    ).fetchall()
    computed = {g: (n, round(a, 1), round(b, 1), round(c, 1)) for g, n, a, b, c in rows}
    assert computed == PUBLISHED_LANGUAGE_2023
    all_areas = con.execute(
        "SELECT n_assessed FROM marts.mart_language_assessment WHERE assessment_year = 2023 AND geography_code = 'HP2025_ALL'"
    ).fetchone()[0]
    assert all_areas == sum(v[0] for v in PUBLISHED_LANGUAGE_2023.values()) == 164  # not the seed's 141


def test_fidelity_reports_the_seeds_own_inconsistencies(refreshed):
    _, work = refreshed
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    status = dict(con.execute(
        "SELECT geography_code || ':' || measure, fidelity_status FROM quality.fidelity_published_values"
    ).fetchall())
    assert {k for k, v in status.items() if v == "inconsistent_in_seed"} == {
        "HP2025_ALL:n_assessed", "HP2025_ALL:pct_generel", "HP2025_ALL:pct_fokuseret", "HP2025_ALL:pct_saerlig",
        "RANDERS:pct_generel",
    }
    area_status = {v for k, v in status.items() if k.split(":")[0] in PUBLISHED_LANGUAGE_2023}
    assert area_status == {"reproduced"}


def test_exports_are_published_without_small_cells(refreshed):
    _, work = refreshed
    exports = work / "exports"
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    assert [t["relation"] for t in manifest["tables"]] == ["export_language_assessment"]
    parquet = pd.read_parquet(exports / "export_language_assessment.parquet")
    csv = pd.read_csv(exports / "export_language_assessment.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert len(parquet) == len(csv) == manifest["tables"][0]["rows"]
    assert "Særlig indsats (%)" in csv.columns  # Danish headers survive the BOM'd UTF-8
    # no published count below 3, and no person key anywhere
    assert (parquet["Antal vurderede"].dropna() >= 3).all()
    assert not any("person" in c.lower() for c in parquet.columns)
    cra = parquet[(parquet["geography_code"] == "CRA") & (parquet["År"] == 2023)].iloc[0]
    # 2 / 0 / 3 children: the 2 is suppressed, and so is the 0 (else 5 - 0 - 3 gives it back)
    assert pd.isna(cra["Generel indsats (%)"]) and pd.isna(cra["Fokuseret indsats (%)"])
    assert cra["Særlig indsats (%)"] == 60.0
