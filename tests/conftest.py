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
