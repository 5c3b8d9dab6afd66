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


@pytest.fixture(scope="session")
def published_demo(small_demo, tmp_path_factory) -> dict:
    """One `boligmonitor run` (a subprocess, as the monitoring unit runs it) on the small demo:
    its warehouse, published exports and console output. For the publishing tests."""
    import os
    import subprocess

    work = tmp_path_factory.mktemp("published")
    paths = {"work": work, "warehouse": work / "warehouse.duckdb", "exports": work / "exports",
             "extracts": small_demo}
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home")}
    (work / "dagster_home").mkdir()
    done = subprocess.run([str(Path(sys.executable).with_name("boligmonitor")), "run", "--extracts", str(small_demo),
                           "--warehouse", str(paths["warehouse"]), "--exports", str(paths["exports"]),
                           "--report-year", "2024"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    paths["stdout"] = done.stdout
    return paths
