"""The code location: one Definitions assembled from the small modules beside it."""

import dagster as dg

from orchestration.assets.dbt import warehouse_dbt_assets
from orchestration.assets.exports import export_files
from orchestration.assets.raw import raw_assets
from orchestration.checks import asset_checks
from orchestration.resources import build_resources
from orchestration.schedules import publish_exports_job, yearly_refresh_job, yearly_refresh_schedule

defs = dg.Definitions(
    assets=[*raw_assets, warehouse_dbt_assets, export_files],
    asset_checks=asset_checks,
    jobs=[yearly_refresh_job, publish_exports_job],
    schedules=[yearly_refresh_schedule],
    resources=build_resources(),
    # every run in one process, ad-hoc materialisations from the UI included: the Warehouse
    # resource copies the warehouse once per run and swaps it in at the run's end
    executor=dg.in_process_executor,
)
