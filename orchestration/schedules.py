"""The yearly refresh job and its schedule (early September, when the yearly data report is due)."""

from __future__ import annotations

import dagster as dg

from orchestration.partitions import REPORT_YEARS
from orchestration.resources import warehouse_config
from orchestration.settings import Settings

# Every run of these jobs holds the warehouse's refresh lock (the Warehouse resource), so a second
# run at the same time is refused. Runs carrying this tag queue one at a time instead (a backfill
# over report years in the UI) under the instance settings orchestration/dagster.yaml, which
# `make ui` puts in var/dagster_home.
WAREHOUSE_RUN_TAG = {"boligmonitor/warehouse": "refresh"}

yearly_refresh_job = dg.define_asset_job(
    name="yearly_refresh",
    selection=dg.AssetSelection.all(),
    # One process writes the DuckDB file at a time, and the Warehouse resource copies the
    # warehouse once per run and swaps it in at the run's end: run the steps in-process, in order.
    executor_def=dg.in_process_executor,
    tags=WAREHOUSE_RUN_TAG,
    description="Validate and load every extract, build and test the warehouse, publish the exports.",
)


@dg.static_partitioned_config(partition_keys=REPORT_YEARS)
def report_year_config(partition_key: str) -> dict:
    return refresh_run_config(int(partition_key))


# The marts cut as of the report year (dbt var report_year), the disclosure models and the
# publication schema (rebuilt from the intermediate models as they stand, which do not depend on the
# report year, with their tests and checks) and the publishing, partitioned by report year: a backfill over years in the UI (or
# `boligmonitor backfill 2019 2024`) publishes each year as it was known at its end, with its
# annex; `boligmonitor export` runs one year. The backtest against the plan documents is left
# out: it checks the computation at the default report year and is not published.
publish_exports_job = dg.define_asset_job(
    name="publish_exports",
    selection=dg.AssetSelection.groups("marts", "quality", "publication", "published")
    - dg.AssetSelection.assets(dg.AssetKey(["quality", "fidelity_published_values"])),
    # it rebuilds the marts and the publication schema: the same lock and copy as the refresh, so an
    # analyst reading the warehouse never blocks it and a failed year leaves the warehouse as it was
    executor_def=dg.in_process_executor,
    tags=WAREHOUSE_RUN_TAG,
    config=report_year_config,
    description="Rebuild the marts as of the report year and the publication schema, check them, then publish the year.",
)


@dg.schedule(job=yearly_refresh_job, cron_schedule="0 6 1 9 *", execution_timezone="Europe/Copenhagen")
def yearly_refresh_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    # The September report covers the year before: its latest complete calendar year.
    report_year = context.scheduled_execution_time.year - 1
    return dg.RunRequest(
        run_key=f"refresh-{report_year}",
        run_config=refresh_run_config(report_year),
        partition_key=str(report_year),
        tags={"report_year": str(report_year)},
    )


def refresh_run_config(report_year: int) -> dict:
    """The dbt step's report year; the published files take theirs from the run's partition
    (orchestration/partitions.py), which every run of these jobs has."""
    return {"ops": {"warehouse_dbt_assets": {"config": {"report_year": report_year}}}}


def settings_run_config(settings: Settings) -> dict:
    """A run with these settings: the dbt step's report year and every field of the Warehouse
    resource, so the run resolves nothing from the environment (`boligmonitor` runs the jobs so)."""
    return {**refresh_run_config(settings.report_year),
            "resources": {"warehouse": {"config": warehouse_config(settings)}}}
