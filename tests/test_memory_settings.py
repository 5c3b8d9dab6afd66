"""The memory settings that keep a Randers-scale refresh under 1 GiB (docs/performance.md)."""

import re
import subprocess
import sys

from orchestration.settings import DBT_PROJECT_DIR, DEFAULT_DUCKDB_MEMORY, duckdb_config


def test_dbt_profile_uses_the_same_default_memory_limit():
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text()
    defaults = re.findall(r"env_var\('BOLIGMONITOR_DUCKDB_MEMORY', '([^']+)'\)", profile)
    assert defaults == [DEFAULT_DUCKDB_MEMORY]


def test_the_memory_limit_follows_the_environment(monkeypatch):
    monkeypatch.setenv("BOLIGMONITOR_DUCKDB_MEMORY", "3GB")
    assert duckdb_config() == {"memory_limit": "3GB"}
    monkeypatch.delenv("BOLIGMONITOR_DUCKDB_MEMORY")
    assert duckdb_config() == {"memory_limit": DEFAULT_DUCKDB_MEMORY}


def test_arrow_allocates_from_jemalloc_in_the_refresh_process():
    # a fresh process, as the refresh is: importing the product sets the pool before pyarrow loads
    code = ("import os; os.environ.pop('ARROW_DEFAULT_MEMORY_POOL', None); import orchestration.definitions; "
            "import pyarrow as pa; print(pa.default_memory_pool().backend_name)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    if sys.platform == "linux":
        assert out.strip() == "jemalloc"
