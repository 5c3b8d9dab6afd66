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
