"""Yearly operations: the Dagster job publish_exports is partitioned by report year (a backfill
over years), an earlier report year's annex holds only periods up to that year and stays listed
after later publishes, the CLI's backfill runs each year with progress, dbt docs are generated."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from exports.publish import publish

BOLIGMONITOR = str(Path(sys.executable).with_name("boligmonitor"))


def test_publish_job_is_partitioned_by_report_year():
    from orchestration.definitions import defs
    from orchestration.schedules import REPORT_YEARS

    job = defs.resolve_job_def("publish_exports")
    assert job.partitions_def.get_partition_keys() == REPORT_YEARS
    assert {"2019", "2024", "2029"} <= set(REPORT_YEARS)
    config = job.partitioned_config.get_run_config_for_partition_key("2019")
    assert config["ops"]["published__export_files"]["config"]["report_year"] == 2019
    assert config["ops"]["warehouse_dbt_assets"]["config"]["report_year"] == 2019
    selected = {k.to_user_string() for k in job.asset_layer.executable_asset_keys}
    assert "published/export_files" in selected and "exports/export_area_indicator" in selected
    assert not any(k.startswith(("raw/", "staging/", "marts/")) for k in selected)


def test_an_earlier_report_year_has_its_own_annex(published_demo, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(published_demo["exports"], exports)
    publish(published_demo["warehouse"], exports, report_year=2019)
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    years = {(a["plan_code"], a["year"]) for a in manifest["annexes"]}
    assert {("HP2017", 2019), ("HP2017", 2024), ("HP2025", 2024)} <= years
    assert manifest["data_vintage"]["report_year"] == 2019
    html = (exports / "bilag_HP2017_2019.html").read_text(encoding="utf-8")
    periods = re.findall(r'data-period="([^"]+)"', html)
    assert periods
    for period in periods:
        years_in = [int(y) for y in re.findall(r"\d{4}", period)]
        end = years_in[0] + 1 if re.fullmatch(r"\d{4}/\d{2}", period) else max(years_in)
        assert end <= 2019, period
    assert "Resultater på indsatsområderne 2019" in html


def test_cli_backfill_one_report_year_and_dbt_docs(published_demo, tmp_path):
    warehouse, exports = tmp_path / "warehouse.duckdb", tmp_path / "exports"
    shutil.copy(published_demo["warehouse"], warehouse)
    shutil.copytree(published_demo["exports"], exports)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    done = subprocess.run([BOLIGMONITOR, "backfill", "2021", "2021", "--warehouse", str(warehouse),
                           "--exports", str(exports)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "[2/2" in done.stdout and "report year 2021" in done.stdout  # numbered progress steps
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_vintage"]["report_year"] == 2021
    assert (exports / "bilag_HP2017_2021.html").exists() and (exports / "bilag_HP2025_2024.html").exists()

    out = tmp_path / "dbt_docs"
    done = subprocess.run([BOLIGMONITOR, "docs", "--warehouse", str(warehouse), "--out", str(out)],
                          env={**env, "DBT_TARGET_PATH": str(out)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert (out / "index.html").exists()
    assert any(key.endswith(".export_area_indicator") for key in catalog["nodes"])
