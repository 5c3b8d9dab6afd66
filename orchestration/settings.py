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
    return Path(os.environ.get(ENV_EXPORTS, REPO_ROOT / "var" / "published")).resolve()


def dbt_executable() -> Path:
    """dbt from the same environment as this Python, whether or not that is on PATH."""
    import sys

    return Path(sys.executable).with_name("dbt")


ENV_POSTGRES_READ_ROLES = "BOLIGMONITOR_POSTGRES_READ_ROLES"


def postgres_read_roles() -> list[str]:
    """The read-only PostgreSQL roles (comma-separated) every load grants USAGE on the schema and
    SELECT on each published table: the publish that BOLIGMONITOR_POSTGRES_DSN triggers, and
    `boligmonitor postgres`, whose --grant-select-to adds to them."""
    return [role.strip() for role in os.environ.get(ENV_POSTGRES_READ_ROLES, "").split(",") if role.strip()]


ENV_DUCKDB_MEMORY = "BOLIGMONITOR_DUCKDB_MEMORY"
# The default must match dbt_project/profiles.yml. At Randers scale a build from scratch needs
# more than 512MB in int_indicator__computed_values (out of memory at 256MB and 512MB since every
# person gets a row in the count models, 3 December 2026); with 1GB the whole refresh peaked at
# 1173 MiB. Bigger municipalities set more (the national bench: 3GB).
DEFAULT_DUCKDB_MEMORY = "1GB"


def duckdb_memory_limit() -> str:
    return os.environ.get(ENV_DUCKDB_MEMORY, DEFAULT_DUCKDB_MEMORY)


def duckdb_config() -> dict[str, str]:
    """The same memory cap for every DuckDB connection as dbt's profile uses:
    DuckDB would otherwise take most of the machine and leave nothing for a BI tool."""
    return {"memory_limit": duckdb_memory_limit()}


def prefer_jemalloc_for_arrow() -> None:
    """Arrow's default allocator (mimalloc) keeps ~100 MiB of freed pages resident after the
    load, which the refresh's process then holds while dbt runs; jemalloc returns them. The
    choice is read once, when pyarrow is first imported, so this runs before any import of it
    (orchestration/__init__.py); ingestion.loader switches the Python-level pool as a fallback."""
    import sys

    if sys.platform == "linux":
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")


def default_report_year() -> int:
    """The dbt var report_year as dbt_project.yml sets it: the one default for dbt, the Dagster
    configs and the command line (the September refresh reports the year before)."""
    import yaml

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return int(project["vars"]["report_year"])
