"""Yearly operations: the Dagster job publish_exports is partitioned by report year (a backfill
over years) and rebuilds the marts as of each year; a warehouse built for a later year is not
published under an earlier one; the CLI's backfill runs each year with progress and publishes
each into its own folder, leaving the other years' folders as they were; dbt docs are generated."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from exports.publish import ReportYearError, check_report_year, publish

BOLIGMONITOR = str(Path(sys.executable).with_name("boligmonitor"))


def test_publish_job_is_partitioned_by_report_year():
    from orchestration.definitions import defs
    from orchestration.schedules import REPORT_YEARS

    job = defs.resolve_job_def("publish_exports")
    assert job.partitions_def.get_partition_keys() == REPORT_YEARS
    assert {"2019", "2024", "2029"} <= set(REPORT_YEARS)
    config = job.partitioned_config.get_run_config_for_partition_key("2019")
    assert config["ops"]["warehouse_dbt_assets"]["config"]["report_year"] == 2019
    # the published files are partitioned by report year, in both jobs: the UI shows per year
    # whether it is published (each year's files stay in their folder)
    for name in ("publish_exports", "yearly_refresh"):
        assert defs.resolve_job_def(name).partitions_def.get_partition_keys() == REPORT_YEARS
    published = defs.resolve_assets_def(dg.AssetKey(["published", "export_files"]))
    assert published.partitions_def.get_partition_keys() == REPORT_YEARS
    selected = {k.to_user_string() for k in job.asset_layer.executable_asset_keys}
    # the marts are cut as of the partition's year, so they are rebuilt with it, from the
    # intermediate models as they stand; the backtest against the documents is not published
    assert {"published/export_files", "publication/export_area_indicator", "marts/mart_area_indicator",
            "marts/mart_language_assessment", "quality/disclosure_area_indicator"} <= selected
    assert not any(k.startswith(("raw/", "staging/")) for k in selected)
    # no intermediate model depends on the report year (the cohort outcomes keep every report
    # year's state of an after-period, int_cohort__outcome_states): none is rebuilt per year
    assert not any(k.startswith("intermediate/") for k in selected)
    assert "quality/fidelity_published_values" not in selected


def test_a_later_years_warehouse_is_not_published_under_an_earlier_year(published_demo, tmp_path):
    exports = tmp_path / "exports"
    shutil.copytree(published_demo["exports"], exports, symlinks=True)

    def published() -> dict[str, str]:
        return {str(p.relative_to(exports)): os.readlink(p) if p.is_symlink()
                else hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
                for p in exports.rglob("*") if not p.name.startswith(".")}

    before = published()
    built = published_demo["report_year"]
    with pytest.raises(ReportYearError, match=rf"built for report year {built} \(as of {built}-12-31\), not 2019"):
        publish(published_demo["warehouse"], exports, report_year=2019)
    assert published() == before
    assert not (exports / "2019").exists()
    # a warehouse that does not say which year it was built for is judged by its latest periods
    with pytest.raises(ReportYearError, match=r"after report year 2019 \(export_area_indicator up to 2025\)"):
        check_report_year({"export_area_indicator": 2025, "export_population_indicator": None}, 2019, None)
    check_report_year({"export_area_indicator": 2019}, 2019, {"report_year": 2019, "as_of_date": "2019-12-31"})


def test_cli_backfill_one_report_year_and_dbt_docs(backfilled_2021, published_demo, tmp_path, monkeypatch):
    exports, year, default = backfilled_2021["exports"], backfilled_2021["report_year"], published_demo["report_year"]
    stdout = backfilled_2021["stdout"]
    assert "[2/2" in stdout and f"report year {year}" in stdout  # numbered progress steps
    # each report year in its own folder: the backfilled year's beside the default year's, which
    # stays as it was and stays `latest` (the highest year published)
    manifest = json.loads((exports / str(year) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_vintage"]["report_year"] == year
    assert {(a["plan_code"], a["year"]) for a in manifest["annexes"]} == {("HP2017", year), ("HP2025", year)}
    assert all((exports / str(year) / a["file"]).exists() for a in manifest["annexes"])
    assert os.readlink(exports / "latest") == str(default)
    default_folder = published_demo["exports"] / str(default)
    assert (exports / str(default)).resolve().name == default_folder.resolve().name
    published_files = list(default_folder.iterdir())
    assert published_files
    for path in published_files:
        assert hashlib.sha256((exports / str(default) / path.name).read_bytes()).hexdigest() == \
            hashlib.sha256(path.read_bytes()).hexdigest(), path.name
    assert json.loads((exports / "manifest.json").read_text(encoding="utf-8"))["data_vintage"]["report_year"] == default
    html = (exports / str(year) / f"bilag_HP2017_{year}.html").read_text(encoding="utf-8")
    periods = re.findall(r'data-period="([^"]+)"', html)
    assert periods
    for period in periods:
        years_in = [int(y) for y in re.findall(r"\d{4}", period)]
        end = years_in[0] + 1 if re.fullmatch(r"\d{4}/\d{2}", period) else max(years_in)
        assert end <= year, period
    assert f"Resultater på indsatsområderne {year}" in html

    # Dagster records each report year as a partition of the published files: the UI shows which
    # years are published (the refresh's instance has the default year, the backfill's 2021)
    for home, expected in ((published_demo["dagster_home"], {str(default)}),
                           (backfilled_2021["exports"].parent / "dagster_home", {str(year)})):
        monkeypatch.setenv("DAGSTER_HOME", str(home))
        instance = dg.DagsterInstance.get()
        try:
            assert instance.get_materialized_partitions(dg.AssetKey(["published", "export_files"])) == expected
        finally:
            instance.dispose()

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(backfilled_2021["warehouse"], warehouse)
    out = tmp_path / "dbt_docs"
    done = subprocess.run([BOLIGMONITOR, "docs", "--warehouse", str(warehouse), "--out", str(out)],
                          env={**os.environ, "DBT_TARGET_PATH": str(out)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert (out / "index.html").exists()
    assert any(key.endswith(".export_area_indicator") for key in catalog["nodes"])


def test_the_docs_are_served_over_http(tmp_path):
    """dbt's index.html loads its manifest and catalogue with fetch(), which a browser refuses on
    a file:// page: `boligmonitor docs --port` serves the folder instead."""
    import threading
    import urllib.request

    from orchestration.operations import serve_folder

    (tmp_path / "index.html").write_text("<html>dbt docs</html>", encoding="utf-8")
    (tmp_path / "catalog.json").write_text('{"nodes": {}}', encoding="utf-8")
    urls: list[str] = []
    ready = threading.Event()

    def say(url: str) -> None:
        urls.append(url)
        ready.set()

    server = threading.Thread(target=serve_folder, args=(tmp_path, 0, say), daemon=True)
    server.start()
    assert ready.wait(10)
    assert urls[0].startswith("http://127.0.0.1:")
    with urllib.request.urlopen(urls[0] + "catalog.json", timeout=10) as response:
        assert json.loads(response.read()) == {"nodes": {}}
    with urllib.request.urlopen(urls[0], timeout=10) as response:
        assert b"dbt docs" in response.read()
