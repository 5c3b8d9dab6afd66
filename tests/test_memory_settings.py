"""The memory settings that keep a Randers-scale refresh under 1 GiB (docs/performance.md). Each
test checks the setting where it takes effect (a connection's limit, Arrow's pool in a fresh
process) next to the same place without it, so it fails when the setting is not made."""

import re
import subprocess
import sys

import duckdb
import pytest

from orchestration.resources import Warehouse
from orchestration.settings import DBT_PROJECT_DIR, DEFAULT_DUCKDB_MEMORY, ENV_DUCKDB_MEMORY


def test_dbt_profile_uses_the_same_default_memory_limit():
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    defaults = re.findall(r"env_var\('BOLIGMONITOR_DUCKDB_MEMORY', '([^']+)'\)", profile)
    assert defaults == [DEFAULT_DUCKDB_MEMORY]


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def _limit_of(**config) -> str:
    with duckdb.connect(config=config) as con:
        return _limit(con)


def test_the_warehouse_connections_take_the_memory_limit_from_the_environment(monkeypatch, tmp_path):
    warehouse = Warehouse(path=str(tmp_path / "warehouse.duckdb"))
    for setting in ("1536MB", None):
        if setting:
            monkeypatch.setenv(ENV_DUCKDB_MEMORY, setting)
        else:
            monkeypatch.delenv(ENV_DUCKDB_MEMORY)
        expected = _limit_of(memory_limit=setting or DEFAULT_DUCKDB_MEMORY)
        assert expected != _limit_of(), "DuckDB's own default equals the setting: the test would prove nothing"
        with warehouse.connect() as con:
            assert _limit(con) == expected, setting
        with warehouse.connect(read_only=True) as con:
            assert _limit(con) == expected, setting


def _pool_in_a_fresh_process(imports: str, pool_variable: str | None) -> str:
    """Arrow's pool in a new process (the refresh's is one) after ``imports``: the variable is read
    when pyarrow is first imported, so only a fresh process shows it."""
    code = ("import os; os.environ.pop('ARROW_DEFAULT_MEMORY_POOL', None)\n"
            + (f"os.environ['ARROW_DEFAULT_MEMORY_POOL'] = {pool_variable!r}\n" if pool_variable else "")
            + f"{imports}\nimport pyarrow as pa; print(pa.default_memory_pool().backend_name)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.skipif(sys.platform != "linux", reason="the product prefers jemalloc on Linux only")
def test_importing_the_product_makes_arrow_allocate_from_jemalloc():
    # pyarrow alone uses another pool (mimalloc): the product's choice is what the test sees
    if _pool_in_a_fresh_process("", None) == "jemalloc":
        pytest.skip("pyarrow's own default is jemalloc here: nothing to tell apart")
    # importing the package sets the variable before pyarrow's first import, so even the first
    # allocations come from jemalloc (without the loader, whose fallback below switches later)
    assert _pool_in_a_fresh_process("import orchestration", None) == "jemalloc"


@pytest.mark.skipif(sys.platform != "linux", reason="the product prefers jemalloc on Linux only")
def test_the_loader_switches_arrow_to_jemalloc_when_the_environment_chose_another_pool():
    assert _pool_in_a_fresh_process("", "mimalloc") == "mimalloc"
    assert _pool_in_a_fresh_process("import ingestion.loader", "mimalloc") == "jemalloc"
