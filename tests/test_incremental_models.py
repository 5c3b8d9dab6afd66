"""Adding a year rebuilds only the years it can change (macros/incremental_years.sql), and
gives exactly what a build from scratch gives.

The small demo without its 2026 files is loaded and built; then the 2026 files arrive, the raw
layer loads them (refresh_source) and dbt builds again, incrementally. The result is compared
row for row with a --full-refresh build of the same warehouse."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import SOURCES
from ingestion.loader import refresh_source
from ingestion.readers import find_files
from orchestration.settings import DBT_PROJECT_DIR, ENV_WAREHOUSE

MODELS = ["int_person__residence_year", "int_indicator__computed_values"]
SELECT = ["--select", "+int_indicator__computed_values"]


def _extracts_until(extracts: Path, target: Path, last_year: int) -> Path:
    for path in sorted(extracts.rglob("*.csv")):
        year = path.stem.rsplit("_", 1)[-1]
        if year.isdigit() and int(year) > last_year:
            continue
        link = target / path.relative_to(extracts)
        link.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, link)  # a hard link: the delivery check refuses symlinks
    return target


def _load(extracts: Path, warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        for source in SOURCES:
            refresh_source(con, source, find_files(extracts, source))
    finally:
        con.close()


def _dbt_run(warehouse: Path, target: Path, *args: str, command: str = "run") -> dict[str, dict]:
    """dbt run (or seed); per incremental model the years it recomputed, as it logs them
    ({partition: first year}; absent: a build from scratch)."""
    env = {**os.environ, ENV_WAREHOUSE: str(warehouse), "DBT_TARGET_PATH": str(target),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run([str(Path(sys.executable).with_name("dbt")), command, *(SELECT if command == "run" else []), *args,
                           "--profiles-dir", str(DBT_PROJECT_DIR)],
                          cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    return {model: json.loads(plan) for model, plan in re.findall(r"(\w+): recomputing (\{.*\})", done.stdout)}


def _rows(warehouse: Path, model: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = [c for (c,) in con.execute(
            "select column_name from duckdb_columns() where schema_name = 'intermediate' and table_name = ? "
            "order by column_name", [model]).fetchall()]
        # values rounded: sums of doubles vary in their last bits between runs
        select = ", ".join(f"round({c}, 9)" if c in ("numerator", "denominator", "weighted_sum_of_squares", "value")
                           else c for c in columns)
        return con.execute(f"select {select} from intermediate.{model} order by all").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def added_year(small_demo, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("incremental")
    extracts = _extracts_until(small_demo, work / "extracts", 2025)
    warehouse = work / "warehouse.duckdb"
    target = work / "target"  # one target path: each dbt call parses only what changed (nothing)
    _load(extracts, warehouse)
    _dbt_run(warehouse, target, command="seed")
    first = _dbt_run(warehouse, target)
    for path in sorted(small_demo.rglob("*_2026.csv")):  # the 2026 delivery arrives
        os.link(path, extracts / path.relative_to(small_demo))
    _load(extracts, warehouse)
    added = _dbt_run(warehouse, target)
    incremental = {model: _rows(warehouse, model) for model in MODELS}
    rerun = _dbt_run(warehouse, target)  # nothing new: nothing recomputed
    _dbt_run(warehouse, target, "--full-refresh")
    full = {model: _rows(warehouse, model) for model in MODELS}
    return {"first": first, "added": added, "rerun": rerun, "incremental": incremental, "full": full}


@pytest.mark.parametrize("model", MODELS)
def test_adding_a_year_equals_a_build_from_scratch(added_year, model):
    assert added_year["full"][model]
    assert added_year["incremental"][model] == added_year["full"][model]


def test_adding_a_year_recomputes_only_what_it_can_change(added_year):
    assert added_year["first"] == {}  # a build from scratch
    # the 2026 CPR stock: 2025 on (rebuild_years_back 1), not the fifteen years before
    assert added_year["added"]["int_person__residence_year"] == {"int_person__residence_year": 2025}
    plan = added_year["added"]["int_indicator__computed_values"]
    assert plan["int_indicator__population_profile"] == plan["int_indicator__kontanthjaelp"] == 2025
    # placements are spells re-delivered with their history: every year
    assert plan["int_indicator__placements"] == 0
    # nothing new: nothing recomputed
    assert set(added_year["rerun"]["int_person__residence_year"].values()) == {9999}
    assert set(added_year["rerun"]["int_indicator__computed_values"].values()) == {9999}
