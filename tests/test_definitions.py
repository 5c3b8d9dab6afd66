"""The code location as the UI loads it: every source has its asset, the schedule is there."""

import subprocess
import sys
from pathlib import Path

from ingestion.contract import SOURCES
from orchestration.settings import REPO_ROOT


def test_workspace_loads_in_dagster():
    dagster = Path(sys.executable).with_name("dagster")
    done = subprocess.run([str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Validation successful for code location boligmonitor" in done.stderr + done.stdout


def test_graph_has_every_source_schedule_and_blocking_checks():
    import dagster as dg

    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {f"raw/{s.name}" for s in SOURCES} <= keys
    assert {"marts/mart_language_assessment", "publication/export_language_assessment", "published/export_files"} <= keys
    # every dbt source is fed by its raw asset: no dangling source assets
    assert all(graph.get(dg.AssetKey(["raw", s.name])).is_materializable for s in SOURCES)
    schedule = defs.resolve_schedule_def("yearly_refresh_schedule")
    assert schedule.cron_schedule == "0 6 1 9 *"
    # the September run reports the year before, as that report year's partition of the files
    from datetime import datetime

    request = schedule(dg.build_schedule_context(scheduled_execution_time=datetime(2027, 9, 1, 6)))
    assert request.partition_key == "2026"
    assert request.run_config["ops"]["warehouse_dbt_assets"]["config"]["report_year"] == 2026
    check_names = {k.name for k in graph.asset_check_keys}
    # every check says in the UI what it checks and whether it blocks (dbt tests get one made
    # from their kind and arguments: orchestration/assets/dbt.py describe_dbt_test)
    undescribed = sorted(k.to_user_string() for k in graph.asset_check_keys if not graph.get_check_spec(k).description)
    assert undescribed == []
    spec = graph.get_check_spec(dg.AssetCheckKey(dg.AssetKey(["marts", "mart_population_indicator"]),
                                                 "mart_population_indicator_unique_cell"))
    assert spec.description.startswith("`plan_code || '|' || activity_code") and "blocks" in spec.description
    assert {"language_categories_add_up", "great_expectations_suite"} <= check_names
