"""The bench's three ways of computing the indicator subset agree with the warehouse.

On the small demo municipality (recent years only, to stay fast): the product's dbt models
of the subset, the hand-written DuckDB floor and the pandas peer must give the same rows,
so the times docs/performance.md compares are times for the same answer."""

import os
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
            os.link(path, extracts / path.parent.name / path.name)  # a symlink is refused
    warehouse = work / "warehouse.duckdb"
    stages.load_raw(extracts, warehouse, only=set(subset.SUBSET_SOURCES))
    stages.dbt(["build", "--select", *subset.OURS_SELECTION, "--resource-type", "seed", "--resource-type", "model",
                *subset.OURS_VARS], warehouse, work / "target")
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
        floor = subset.within_as_of(subset.floor_frame(con), con)
    finally:
        con.close()
    assert subset.differences(ours, floor) == []


def test_pandas_peer_equals_ours(subset_warehouse, ours):
    con = stages.connect(subset_warehouse)
    try:
        peer = subset.within_as_of(pandas_peer.compute(con), con)
    finally:
        con.close()
    assert subset.differences(ours, peer) == []


def test_differences_notices_a_changed_value_and_a_missing_row(ours):
    changed = ours.copy()
    changed.loc[0, "value"] = changed.loc[0, "value"] + 0.001
    assert any("value differs" in p for p in subset.differences(ours, changed))
    assert any("missing" in p for p in subset.differences(ours, ours.iloc[1:]))


def test_national_demo_writes_valid_extracts_and_its_area_model_places_residents(tmp_path):
    """The national generator's files pass the product's reader (encoding, header, pandera),
    and its area model places about the configured share of residents in an area."""
    import duckdb

    from demo.national.config import NationalConfig
    from demo.national.generate import generate
    from demo.national.seeds import AREA_MODEL_DIR
    from ingestion.contract import source
    from ingestion.readers import read_source

    config = NationalConfig.tiny()
    out = generate(config, tmp_path / "national")
    frames = {name: read_source(out, source(name)) for name in subset.SUBSET_SOURCES}
    assert all(sorted(f) == list(config.years) for f in frames.values())
    stock = frames["cpr_befolkning"][config.last_year]
    assert abs(len(stock) - config.residents) < 0.1 * config.residents
    assert stock["PNR_PSEUDO"].is_unique

    con = duckdb.connect()
    ranges = con.execute(f"select * from read_csv('{out / AREA_MODEL_DIR / 'area_address_ranges.csv'}')").df()
    assert ranges["area_code"].nunique() == config.areas
    placed = stock.merge(ranges, left_on="VEJNAVN", right_on="street_name")
    in_area = placed["PNR_PSEUDO"].nunique() / len(stock)
    assert 0.15 < in_area < 0.45

    # the bench's bulk loader keeps every row of every source the subset reads, æøå intact
    # (the product's loader would quarantine the national institution codes Randers does not know)
    from bench.national import load_fast

    loaded = load_fast(out, tmp_path / "national.duckdb")
    assert {name: loaded[name] for name in frames} == {name: sum(map(len, f.values())) for name, f in frames.items()}
    con = duckdb.connect(str(tmp_path / "national.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw.sprogvurdering where AARSAG = 'Alle 3-årige'").fetchone()[0] > 0
