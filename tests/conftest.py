import sys
from pathlib import Path

import pytest

# tests/ holds shared helpers (contract_examples) next to the test modules
sys.path.insert(0, str(Path(__file__).parent))


# Tiers (pyproject.toml markers): a test that uses the simulated demo or its refresh is e2e; one in
# a module below (dbt, the CLI, Dagster, a subprocess or a server on inputs built in the test) is
# integration; every other test is pure Python on small inputs, unit. A marker set by hand wins.
E2E_FIXTURES = {"small_population", "small_demo", "published_demo", "built_warehouse", "backfilled_2021"}
INTEGRATION_MODULES = {
    "test_address_ranges", "test_awkward_generator", "test_bench", "test_cli_output", "test_code_location",
    "test_cohort_levels", "test_dbt_unit_tests", "test_definitions", "test_definitions_awkward", "test_delivery_gaps",
    "test_delivery_manifest", "test_expectations", "test_ingestion_incremental", "test_memory_settings",
    "test_oracle_agreement", "test_oracle_findings", "test_partial_totals", "test_population_marts",
    "test_postgres", "test_refresh_guard_commit", "test_refresh_guard_runs", "test_refresh_lock",
    "test_spell_deliveries", "test_staging_models",
}
# single tests that load the Dagster definitions (and so dbt's manifest) in a module of quicker ones
INTEGRATION_TESTS = {"test_publish_job_is_partitioned_by_report_year"}
TIERS = ("unit", "integration", "e2e")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.get_closest_marker(tier) for tier in TIERS):
            continue
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
        elif item.module.__name__.rpartition(".")[2] in INTEGRATION_MODULES or item.originalname in INTEGRATION_TESTS:
            item.add_marker(pytest.mark.integration)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def small_population():
    """The small demo municipality's simulated population, simulated once per test session (about
    a minute): the demo tests read it, and ``small_demo`` writes its extracts from it. Read-only:
    a test that changes it works on ``copy.deepcopy`` of it."""
    from demo.model import DemoConfig
    from demo.population import simulate

    return simulate(DemoConfig.small())


@pytest.fixture(scope="session")
def small_demo(small_population, tmp_path_factory) -> Path:
    """The small demo municipality's extracts, generated once per test session from the session's
    population (a copy: the writers may change it)."""
    import copy

    from demo.generate import generate
    from demo.model import DemoConfig

    return generate(DemoConfig.small(), tmp_path_factory.mktemp("demo") / "extracts",
                    simulated=copy.deepcopy(small_population))


def pytest_sessionstart(session):
    """Write dbt's manifest.json before collection: the Dagster definitions read it at import,
    and a clean clone has none. The unit tier (`-m unit`) reads no dbt output, so it keeps a
    manifest that is there and saves the parse (half a minute)."""
    from orchestration.cli import prepare_dbt
    from orchestration.settings import DBT_PROJECT_DIR

    if session.config.option.markexpr.strip() == "unit" and (DBT_PROJECT_DIR / "target" / "manifest.json").exists():
        return
    prepare_dbt()


@pytest.fixture(scope="session")
def built_warehouse(published_demo) -> Path:
    """The warehouse of the session's refresh (marts, quality and exports schemas built), for
    tests that read it. Read-only for the tests: copy it to change it."""
    return published_demo["warehouse"]


@pytest.fixture(scope="session")
def published_demo(small_demo, tmp_path_factory) -> dict:
    """The one refresh of the small demo per test session: `boligmonitor run` (a subprocess, as
    the monitoring unit runs it, default report year) with its own Dagster instance. Its
    warehouse, published exports, Dagster home and console output are shared by every test that
    only reads them; a test that changes the warehouse or the exports copies them into its
    tmp_path first (a file copy takes well under a second, a refresh minutes)."""
    import os
    import subprocess

    from orchestration.operations import default_report_year

    work = tmp_path_factory.mktemp("published")
    paths = {"work": work, "warehouse": work / "warehouse.duckdb", "exports": work / "exports",
             "extracts": small_demo, "dagster_home": work / "dagster_home", "report_year": default_report_year()}
    env = {**os.environ, "DAGSTER_HOME": str(paths["dagster_home"])}
    paths["dagster_home"].mkdir()
    done = subprocess.run([str(Path(sys.executable).with_name("boligmonitor")), "run", "--extracts", str(small_demo),
                           "--warehouse", str(paths["warehouse"]), "--exports", str(paths["exports"])],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    paths["stdout"] = done.stdout
    return paths


@pytest.fixture(scope="session")
def backfilled_2021(published_demo, tmp_path_factory) -> dict:
    """`boligmonitor backfill 2021 2021` on a copy of the session's warehouse and exports: the
    marts rebuilt as known at the end of 2021 and published over the default year's files."""
    import os
    import shutil
    import subprocess

    work = tmp_path_factory.mktemp("backfill")
    paths = {"warehouse": work / "warehouse.duckdb", "exports": work / "exports", "report_year": 2021}
    shutil.copy(published_demo["warehouse"], paths["warehouse"])
    shutil.copytree(published_demo["exports"], paths["exports"], symlinks=True)  # the pointers stay links
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home")}
    done = subprocess.run([str(Path(sys.executable).with_name("boligmonitor")), "backfill", "2021", "2021",
                           "--warehouse", str(paths["warehouse"]), "--exports", str(paths["exports"])],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    paths["stdout"] = done.stdout
    return paths
