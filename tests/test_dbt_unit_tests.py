"""dbt's unit tests (the `unit_tests:` YAML beside the models) pass: the status, value and
period macros (macros/indicator_status.sql, indicator_models.sql::indicator_value,
periods.sql::is_latest_period) give the expected rows on hand-made inputs.

The unit tests give every input as SQL, so they need no built parents: an empty DuckDB file
is the whole warehouse here, and the run takes a full parse (another warehouse path is another
profile, so the session's parse cannot be reused: about 20-30 s) plus a few seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

# Each macro's unit test, by model and name: a deleted or renamed unit test fails here too.
EXPECTED_UNIT_TESTS = {
    "int_indicator__area_values::indicator_value_by_unit",
    "mart_area_indicator::indicator_status_against_the_target",
    "mart_area_indicator::latest_period_with_the_multi_year_average_headline",
}


def test_dbt_unit_tests_pass_on_an_empty_warehouse(tmp_path):
    target = tmp_path / "target"
    env = {**os.environ,
           "BOLIGMONITOR_WAREHOUSE": str(tmp_path / "unit.duckdb"),  # profiles.yml reads it
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "test", "--select", "test_type:unit",
         "--target-path", str(target), "--profiles-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert (target / "run_results.json").exists(), done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    statuses = {r["unique_id"].removeprefix("unit_test.boligmonitor.").replace(".", "::"): r["status"]
                for r in results if r["unique_id"].startswith("unit_test.")}  # not the project's hooks
    assert EXPECTED_UNIT_TESTS <= set(statuses), statuses
    failed = {name: status for name, status in statuses.items() if status != "pass"}
    assert not failed and done.returncode == 0, f"{failed}\n{done.stdout[-3000:]}"
