"""Configuration as resources: the warehouse file, the extract folder and the export folder."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.settings import (
    ENV_WAREHOUSE,
    dbt_executable,
    duckdb_config,
    default_export_dir,
    default_extract_dir,
    default_warehouse_path,
)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse and the folders the refresh reads from and publishes to.

    Empty fields fall back to the environment (BOLIGMONITOR_*) at run time, then to the
    defaults under var/ and exports/published/."""

    path: str = ""
    extract_dir: str = ""
    export_dir: str = ""

    @property
    def db_path(self) -> str:
        return self.path or str(default_warehouse_path())

    @property
    def extracts(self) -> str:
        return self.extract_dir or str(default_extract_dir())

    @property
    def exports(self) -> str:
        return self.export_dir or str(default_export_dir())

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        # One short-lived connection per step: DuckDB allows a single writing process, and
        # dbt (a subprocess) needs the file free while it runs.
        Path(self.db_path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.db_path, read_only=read_only, config=duckdb_config())
        try:
            yield con
        finally:
            con.close()

    def export_to_dbt(self) -> None:
        """dbt reads the warehouse path from the environment (profiles.yml)."""
        os.environ[ENV_WAREHOUSE] = self.db_path


def build_resources() -> dict[str, object]:
    return {
        "warehouse": Warehouse(),
        "dbt": DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir),
                              dbt_executable=str(dbt_executable())),
    }
