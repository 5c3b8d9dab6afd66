"""One settings object (orchestration/settings.py): resolved once, command line over environment
over defaults, and the only way the report year, the paths and the rest reach Dagster and dbt.
Nothing here runs dbt or a Dagster job: the tests follow the values up to dbt's arguments."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from orchestration.settings import (
    DBT_PROJECT_DIR,
    ENV_DUCKDB_MEMORY,
    ENV_EXPORTS,
    ENV_EXTRACTS,
    ENV_POSTGRES_DSN,
    ENV_POSTGRES_READ_ROLES,
    ENV_WAREHOUSE,
    REPO_ROOT,
    resolve_settings,
)

SETTINGS_ENV = [ENV_EXTRACTS, ENV_WAREHOUSE, ENV_EXPORTS, ENV_DUCKDB_MEMORY, ENV_POSTGRES_DSN, ENV_POSTGRES_READ_ROLES]
PACKAGES = ("orchestration", "exports", "ingestion", "expectations")


@pytest.fixture
def clean_env(monkeypatch):
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _product_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (REPO_ROOT / package).rglob("*.py"))


def test_no_module_but_settings_reads_or_writes_the_settings_environment():
    env_names = "|".join(SETTINGS_ENV + ["BOLIGMONITOR_"])
    constants = "|".join(["ENV_EXTRACTS", "ENV_WAREHOUSE", "ENV_EXPORTS", "ENV_DUCKDB_MEMORY", "ENV_POSTGRES_DSN",
                          "ENV_POSTGRES_READ_ROLES", "ENV_CODE_FINGERPRINT"])
    found = []
    for path in _product_files():
        if path == REPO_ROOT / "orchestration" / "settings.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            touches_env = re.search(r"\benviron\b|getenv|putenv", line)
            if (touches_env and re.search(env_names, line)) or re.search(rf"\b({constants})\b", line):
                found.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_command_line_wins_over_the_environment_which_wins_over_the_defaults(clean_env, tmp_path):
    project_vars = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    default = resolve_settings()
    assert (default.report_year, default.small_n_threshold) == (project_vars["report_year"],
                                                                project_vars["small_n_threshold"])
    assert default.postgres_dsn is None and default.postgres_read_roles == ()

    clean_env.setenv(ENV_WAREHOUSE, str(tmp_path / "from_env.duckdb"))
    clean_env.setenv(ENV_DUCKDB_MEMORY, "3GB")
    clean_env.setenv(ENV_POSTGRES_DSN, "postgresql://env@host/db")
    clean_env.setenv(ENV_POSTGRES_READ_ROLES, "analyst, bi")
    from_env = resolve_settings()
    assert from_env.warehouse == tmp_path / "from_env.duckdb"
    assert from_env.duckdb_config() == {"memory_limit": "3GB"}
    assert from_env.postgres_dsn == "postgresql://env@host/db"
    assert from_env.postgres_read_roles == ("analyst", "bi")
    assert from_env.export_dir == default.export_dir  # not set: the default

    given = resolve_settings(warehouse=tmp_path / "given.duckdb", report_year=2021, postgres_dsn="postgresql://cli",
                             postgres_read_roles=["bi", "auditor"])
    assert given.warehouse == tmp_path / "given.duckdb" and given.report_year == 2021
    assert given.postgres_dsn == "postgresql://cli"
    assert given.postgres_read_roles == ("analyst", "bi", "auditor")  # the command line's roles add to the env's


def test_dbt_gets_the_settings_in_its_environment_only_while_it_runs(clean_env, tmp_path):
    import os

    clean_env.setenv(ENV_DUCKDB_MEMORY, "2GB")
    settings = resolve_settings(warehouse=tmp_path / "copy.duckdb", duckdb_memory="512MB")
    with settings.dbt_environment(code_fingerprint="abc"):
        assert os.environ[ENV_WAREHOUSE] == str(tmp_path / "copy.duckdb")
        assert os.environ[ENV_DUCKDB_MEMORY] == "512MB"
        assert os.environ["BOLIGMONITOR_CODE_FINGERPRINT"] == "abc"
    assert ENV_WAREHOUSE not in os.environ and "BOLIGMONITOR_CODE_FINGERPRINT" not in os.environ
    assert os.environ[ENV_DUCKDB_MEMORY] == "2GB"


def _dbt_vars_of_the_run(run_config: dict) -> tuple[dict, object]:
    """What the dbt step of a run with ``run_config`` passes to dbt build, as the step computes it
    (orchestration/assets/dbt.py): its resource and op config, through the settings."""
    from orchestration.assets.dbt import DbtRefreshConfig, dbt_build_args
    from orchestration.resources import Warehouse

    warehouse = Warehouse(**run_config.get("resources", {}).get("warehouse", {}).get("config", {}))
    config = DbtRefreshConfig(**run_config["ops"]["warehouse_dbt_assets"]["config"])
    settings = warehouse.settings(report_year=config.report_year)
    args = dbt_build_args(settings)
    return json.loads(args[args.index("--vars") + 1]), settings


def test_the_report_year_of_the_command_line_reaches_the_parse_and_the_build(clean_env, tmp_path, monkeypatch):
    """`boligmonitor run --report-year 2024`: the parse and the job get the same settings, the
    job's run config carries every path (nothing through the environment), and the dbt build's
    vars equal the parse's, so dbt reuses the parse."""
    from ingestion.contract import SOURCES
    from orchestration import cli
    from orchestration.dbt_parse import dbt_parse_args
    from orchestration.refresh_guard import building_path
    from orchestration.schedules import settings_run_config

    extracts = tmp_path / "extracts"  # the argument checks read file names only
    (extracts / SOURCES[0].folder).mkdir(parents=True)
    (extracts / SOURCES[0].folder / f"{SOURCES[0].name}_2024.csv").write_text("x\n", encoding="utf-8")
    clean_env.setenv(ENV_WAREHOUSE, str(tmp_path / "not_this.duckdb"))
    seen = {}

    class NoChecks:
        def summary(self) -> list[str]:
            return []

    def job(name, settings, prefix=""):
        seen["job"] = (name, settings)
        return False, NoChecks(), tmp_path / "log"

    monkeypatch.setattr(cli, "delivery_is_whole", lambda extract_dir, warehouse: True)
    monkeypatch.setattr(cli, "prepare_dbt", lambda settings: seen.setdefault("parse", settings))
    monkeypatch.setattr(cli, "run_job", job)
    argv = ["refresh", "2024", "--extracts", str(extracts), "--warehouse", str(tmp_path / "w.duckdb"),
            "--exports", str(tmp_path / "exports")]
    assert cli.main(argv) == 1  # the faked job did not pass

    name, settings = seen["job"]
    # the parse as the job's dbt build will run: the same settings, on the run's copy of the warehouse
    assert name == "yearly_refresh" and seen["parse"] == settings.replace(warehouse=building_path(settings.warehouse))
    assert settings.report_year == 2024 and settings.warehouse == tmp_path / "w.duckdb"
    assert settings.extract_dir == extracts and settings.export_dir == tmp_path / "exports"
    import os

    assert ENV_EXTRACTS not in os.environ and os.environ[ENV_WAREHOUSE] == str(tmp_path / "not_this.duckdb")

    clean_env.setenv(ENV_WAREHOUSE, str(tmp_path / "changed_meanwhile.duckdb"))
    build_vars, run_settings = _dbt_vars_of_the_run(settings_run_config(settings))
    assert build_vars["report_year"] == 2024
    assert run_settings == settings  # the run resolves nothing from the environment
    parse = dbt_parse_args(seen["parse"], tmp_path / "target")
    assert json.loads(parse[parse.index("--vars") + 1]) == build_vars


def test_the_report_year_of_the_schedule_reaches_the_build(clean_env):
    from datetime import datetime

    import dagster as dg

    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("yearly_refresh_schedule")
    request = schedule(dg.build_schedule_context(scheduled_execution_time=datetime(2027, 9, 1, 6)))
    build_vars, settings = _dbt_vars_of_the_run(request.run_config)
    assert build_vars["report_year"] == 2026 and request.partition_key == "2026"
    assert settings.warehouse == resolve_settings().warehouse  # the schedule's paths: environment or defaults


def _imports(path: Path, package: str) -> set[str]:
    """The modules of ``package`` that ``path`` imports, at top level or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.split(".")[0] == package}


@pytest.mark.parametrize("package", ["orchestration", "exports"])
def test_the_imports_of_orchestration_and_exports_form_no_circle_and_no_file_is_long(package):
    files = {".".join(p.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__"): p
             for p in (REPO_ROOT / package).rglob("*.py")}
    graph = {module: {m for m in _imports(path, package) if m in files and m != module}
             for module, path in files.items()}

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            module, trail = stack.pop()
            for imported in graph[module]:
                if imported == start:
                    return trail + [start]
                if imported not in trail:
                    stack.append((imported, trail + [imported]))
        return None

    circles = [c for m in sorted(graph) if not m.endswith("__init__") and (c := circle_from(m))]
    assert circles == []
    long_files = {str(p.relative_to(REPO_ROOT)): n for p in files.values()
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long_files == {}
