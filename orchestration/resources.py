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
from orchestration.settings import ENV_WAREHOUSE, default_export_dir, default_extract_dir, default_warehouse_path


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse and the folders the refresh reads from and publishes to."""

    path: str = str(default_warehouse_path())
    extract_dir: str = str(default_extract_dir())
    export_dir: str = str(default_export_dir())

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        # One short-lived connection per step: DuckDB allows a single writing process, and
        # dbt (a subprocess) needs the file free while it runs.
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(self.path, read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    def export_to_dbt(self) -> None:
        """dbt reads the warehouse path from the environment (profiles.yml)."""
        os.environ[ENV_WAREHOUSE] = self.path


def build_resources() -> dict[str, object]:
    return {
        "warehouse": Warehouse(),
        "dbt": DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir)),
    }
