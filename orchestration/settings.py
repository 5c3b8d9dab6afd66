"""Where things live. Every path can be overridden by an environment variable, so the
CLI, the Dagster UI, dbt and the tests can point at their own extract folder and warehouse."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

ENV_EXTRACTS = "BOLIGMONITOR_EXTRACTS"
ENV_WAREHOUSE = "BOLIGMONITOR_WAREHOUSE"
ENV_EXPORTS = "BOLIGMONITOR_EXPORTS"


def default_extract_dir() -> Path:
    return Path(os.environ.get(ENV_EXTRACTS, REPO_ROOT / "var" / "demo" / "extracts")).resolve()


def default_warehouse_path() -> Path:
    return Path(os.environ.get(ENV_WAREHOUSE, REPO_ROOT / "var" / "warehouse.duckdb")).resolve()


def default_export_dir() -> Path:
    return Path(os.environ.get(ENV_EXPORTS, REPO_ROOT / "exports" / "published")).resolve()


def dbt_executable() -> Path:
    """dbt from the same environment as this Python, whether or not that is on PATH."""
    import sys

    return Path(sys.executable).with_name("dbt")


def duckdb_config() -> dict[str, str]:
    """The same memory cap for every DuckDB connection as dbt's profile uses (default 1 GB):
    DuckDB would otherwise take most of the machine and leave nothing for a BI tool."""
    return {"memory_limit": os.environ.get("BOLIGMONITOR_DUCKDB_MEMORY", "1GB")}
