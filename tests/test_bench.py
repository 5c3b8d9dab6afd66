"""The bench's three ways of computing the indicator subset agree with the warehouse.

On the small demo municipality (recent years only, to stay fast): the product's dbt models
of the subset, the hand-written DuckDB floor and the pandas peer must give the same rows,
so the times docs/performance.md compares are times for the same answer."""

from pathlib import Path

import pytest

from bench import pandas_peer, stages, subset

FIRST_YEAR = 2021


@pytest.fixture(scope="module")
def subset_warehouse(small_demo, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("bench")
    extracts = work / "extracts"
    for path in Path(small_demo).rglob("*.csv"):
        name, year = path.stem.rsplit("_", 1)
        if name in subset.SUBSET_SOURCES and int(year) >= FIRST_YEAR:
            (extracts / path.parent.name).mkdir(parents=True, exist_ok=True)
            (extracts / path.parent.name / path.name).symlink_to(path)
    warehouse = work / "warehouse.duckdb"
    stages.load_raw(extracts, warehouse, only=set(subset.SUBSET_SOURCES))
    stages.dbt(["build", "--select", *subset.OURS_SELECTION, "--resource-type", "seed", "--resource-type", "model"],
               warehouse, work / "target")
    return warehouse


@pytest.fixture(scope="module")
def ours(subset_warehouse):
    con = stages.connect(subset_warehouse)
    try:
        return subset.ours_frame(con)
    finally:
        con.close()


def test_the_subset_covers_every_measure(ours):
    expected = set(subset.SUBSET_INDICATORS) | set(subset.LANGUAGE_MEASURES)
    assert set(ours["measure"]) == expected
    # every kind of geography the population model places residents in
    assert {"GJP", "HP2025_ALL", "RANDERS", "RANDERS_EXCL_HP2025"} <= set(ours["geography_code"])


def test_floor_equals_ours(subset_warehouse, ours):
    con = stages.connect(subset_warehouse)
    try:
        floor = subset.floor_frame(con)
    finally:
        con.close()
    assert subset.differences(ours, floor) == []


def test_pandas_peer_equals_ours(subset_warehouse, ours):
    con = stages.connect(subset_warehouse)
    try:
        peer = pandas_peer.compute(con)
    finally:
        con.close()
    assert subset.differences(ours, peer) == []


def test_differences_notices_a_changed_value_and_a_missing_row(ours):
    changed = ours.copy()
    changed.loc[0, "value"] = changed.loc[0, "value"] + 0.001
    assert any("value differs" in p for p in subset.differences(ours, changed))
    assert any("missing" in p for p in subset.differences(ours, ours.iloc[1:]))
