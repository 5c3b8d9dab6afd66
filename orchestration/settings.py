"""The run's settings, resolved once: command-line arguments, then the environment
(BOLIGMONITOR_*), then the defaults below (the report year and the small-count threshold from
dbt_project.yml's vars, so dbt and Python never disagree). This is the only module that reads
these variables; everything else is handed a ``Settings`` (the Dagster resources as their config,
dbt as --vars and as its subprocess environment, both built here)."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

ENV_EXTRACTS = "BOLIGMONITOR_EXTRACTS"
ENV_WAREHOUSE = "BOLIGMONITOR_WAREHOUSE"
ENV_EXPORTS = "BOLIGMONITOR_EXPORTS"
ENV_DUCKDB_MEMORY = "BOLIGMONITOR_DUCKDB_MEMORY"
ENV_POSTGRES_DSN = "BOLIGMONITOR_POSTGRES_DSN"  # set: every publish also loads PostgreSQL
ENV_POSTGRES_READ_ROLES = "BOLIGMONITOR_POSTGRES_READ_ROLES"
# read by the incremental models at run time (dbt_project/macros/incremental_years.sql)
ENV_CODE_FINGERPRINT = "BOLIGMONITOR_CODE_FINGERPRINT"

DEFAULT_EXTRACT_DIR = REPO_ROOT / "var" / "demo" / "extracts"
DEFAULT_WAREHOUSE = REPO_ROOT / "var" / "warehouse.duckdb"
DEFAULT_EXPORT_DIR = REPO_ROOT / "var" / "published"
# The default must match dbt_project/profiles.yml. At Randers scale a build from scratch needs
# more than 512MB in int_indicator__computed_values (out of memory at 256MB and 512MB since every
# person gets a row in the count models, 3 December 2026); with 1GB the whole refresh peaked at
# 1173 MiB. Bigger municipalities set more (the national bench: 3GB).
DEFAULT_DUCKDB_MEMORY = "1GB"


@functools.cache
def dbt_project_vars() -> dict:
    """dbt_project.yml's vars, read once: the one place the report year's and the threshold's
    defaults are written (dbt reads them there when no --vars override them)."""
    import yaml

    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def default_report_year() -> int:
    """The September refresh reports the year before: dbt_project.yml's var report_year."""
    return int(dbt_project_vars()["report_year"])


@dataclass(frozen=True)
class Settings:
    report_year: int
    small_n_threshold: int  # cells with fewer persons are flagged as small (disclosure control)
    extract_dir: Path
    warehouse: Path
    export_dir: Path
    duckdb_memory: str
    postgres_dsn: str | None  # set: every publish also loads the snapshot into PostgreSQL
    postgres_read_roles: tuple[str, ...]  # granted USAGE and SELECT on every load

    def replace(self, **changes) -> Settings:
        return dataclasses.replace(self, **changes)

    def duckdb_config(self) -> dict[str, str]:
        """The same memory cap for every DuckDB connection as dbt's profile uses: DuckDB would
        otherwise take most of the machine and leave nothing for a BI tool."""
        return {"memory_limit": self.duckdb_memory}

    def dbt_vars(self) -> str:
        """dbt's --vars: the parse (`boligmonitor prepare`, the refresh's own parse) and the build
        pass the same, so the build reuses the parse (dbt re-parses the whole project when the
        vars differ)."""
        return json.dumps({"report_year": self.report_year, "small_n_threshold": self.small_n_threshold})

    def dbt_env(self, code_fingerprint: str | None = None) -> dict[str, str]:
        """What dbt's subprocess reads from its environment: profiles.yml's warehouse path and
        memory cap, and for a build the code fingerprint. The warehouse path travels here, not in
        --vars, because each run builds its own copy of the warehouse, and vars that differ from
        the parse's make dbt parse the whole project again (the profile's values do not)."""
        env = {ENV_WAREHOUSE: str(self.warehouse), ENV_DUCKDB_MEMORY: self.duckdb_memory,
               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        if code_fingerprint:
            env[ENV_CODE_FINGERPRINT] = code_fingerprint
        return env

    @contextmanager
    def dbt_environment(self, code_fingerprint: str | None = None) -> Iterator[None]:
        """``dbt_env`` in this process's environment while dbt runs (dagster-dbt starts dbt with a
        copy of it and takes no environment of its own), as it was afterwards: a later run in
        this process resolves its settings from the environment again."""
        env = self.dbt_env(code_fingerprint)
        before = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            yield
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def resolve_settings(*, report_year: int | None = None, small_n_threshold: int | None = None,
                     extract_dir: str | Path | None = None, warehouse: str | Path | None = None,
                     export_dir: str | Path | None = None, duckdb_memory: str | None = None,
                     postgres_dsn: str | None = None, postgres_read_roles: list[str] | None = None) -> Settings:
    """The one resolver: each argument given (a command-line option, a resource's config) wins,
    then the environment, then the default. Paths come back absolute."""
    env = os.environ

    def path(given, name: str, default: Path) -> Path:
        return Path(given or env.get(name) or default).resolve()

    roles = [r.strip() for r in env.get(ENV_POSTGRES_READ_ROLES, "").split(",") if r.strip()]
    return Settings(
        report_year=int(report_year if report_year is not None else default_report_year()),
        small_n_threshold=int(small_n_threshold if small_n_threshold is not None
                              else dbt_project_vars()["small_n_threshold"]),
        extract_dir=path(extract_dir, ENV_EXTRACTS, DEFAULT_EXTRACT_DIR),
        warehouse=path(warehouse, ENV_WAREHOUSE, DEFAULT_WAREHOUSE),
        export_dir=path(export_dir, ENV_EXPORTS, DEFAULT_EXPORT_DIR),
        duckdb_memory=duckdb_memory or env.get(ENV_DUCKDB_MEMORY) or DEFAULT_DUCKDB_MEMORY,
        postgres_dsn=postgres_dsn or env.get(ENV_POSTGRES_DSN) or None,
        # the command line's roles add to the environment's
        postgres_read_roles=tuple(dict.fromkeys(roles + list(postgres_read_roles or []))),
    )


def duckdb_config() -> dict[str, str]:
    """The memory cap for a DuckDB connection made outside a run (scripts, the refresh guard)."""
    return resolve_settings().duckdb_config()


def dbt_executable() -> Path:
    """dbt from the same environment as this Python, whether or not that is on PATH."""
    return Path(sys.executable).with_name("dbt")


def prefer_jemalloc_for_arrow() -> None:
    """Arrow's default allocator (mimalloc) keeps ~100 MiB of freed pages resident after the
    load, which the refresh's process then holds while dbt runs; jemalloc returns them. The
    choice is read once, when pyarrow is first imported, so this runs before any import of it
    (orchestration/__init__.py); ingestion.loader switches the Python-level pool as a fallback."""
    if sys.platform == "linux":
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
