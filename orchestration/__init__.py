"""Dagster code location: assets, checks, resources and schedules of the yearly refresh."""

from orchestration.settings import prefer_jemalloc_for_arrow

prefer_jemalloc_for_arrow()  # before pyarrow is imported anywhere in this process
