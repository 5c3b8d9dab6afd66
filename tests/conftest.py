import sys
from pathlib import Path

import pytest

# tests/ holds shared helpers (contract_examples) next to the test modules
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory) -> Path:
    """The small demo municipality, generated once per test session."""
    from ingestion.demo.generate import generate
    from ingestion.demo.model import DemoConfig

    return generate(DemoConfig.small(), tmp_path_factory.mktemp("demo") / "extracts")


def pytest_sessionstart(session):
    """Write dbt's manifest.json before collection: the Dagster definitions read it at import,
    and a clean clone has none."""
    from orchestration.cli import prepare_dbt

    prepare_dbt()


@pytest.fixture(scope="session")
def built_warehouse(small_demo, tmp_path_factory) -> Path:
    """The small demo loaded and built by dbt (no Dagster run): for tests that read the
    marts, the quality schema and the exports schema. Read-only for the tests: copy it to change it."""
    import os
    import subprocess

    from orchestration.cli import load_raw
    from orchestration.settings import DBT_PROJECT_DIR, ENV_WAREHOUSE, dbt_executable

    work = tmp_path_factory.mktemp("built")
    warehouse = work / "warehouse.duckdb"
    load_raw(small_demo, warehouse)
    env = {**os.environ, ENV_WAREHOUSE: str(warehouse), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    # one thread: two big models side by side can exceed DuckDB's 1 GB cap in one process
    done = subprocess.run([str(dbt_executable()), "build", "--threads", "1", "--exclude", "test_type:unit", "--profiles-dir",
                           str(DBT_PROJECT_DIR)], cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    return warehouse
