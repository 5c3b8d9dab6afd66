"""Dagster code location: assets, checks, resources and schedules of the yearly refresh."""
