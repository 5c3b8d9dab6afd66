"""The code location loads the way `make ui` loads it: from a fresh copy of the repository (no
dbt manifest yet), in processes of its own started from the workspace file, with nothing on PATH
but the system's. `dagster dev` parses the dbt project on load (prepare_if_dev); the stock
dagster-dbt preparer looks `dbt` up on PATH and failed there ("The dbt executable 'dbt' was not
found on PATH") unless .venv/bin was on it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT, resolve_settings

VENV_BIN = Path(sys.executable).parent
SYSTEM_PATH = "/usr/bin:/bin"
LOCATION = "boligmonitor"


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory) -> Path:
    """The repository's files as a clone has them: no dbt target, no var/, no published exports."""
    clone = tmp_path_factory.mktemp("clone") / "boligmonitor"
    shutil.copytree(REPO_ROOT, clone, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "target", "logs", "published", "__pycache__", ".pytest_cache",
        "*.egg-info", "*.duckdb", "*.duckdb.wal", ".user.yml"))
    assert not (clone / "dbt_project" / "target").exists()
    return clone


def plain_env(clone: Path, dagster_home: Path) -> dict[str, str]:
    """Only the system PATH; PYTHONPATH makes the venv import the clone's code, as the editable
    install of a real clone does."""
    dagster_home.mkdir(exist_ok=True)
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return {"PATH": SYSTEM_PATH, "HOME": os.environ.get("HOME", str(dagster_home)), "PYTHONPATH": str(clone),
            "DAGSTER_HOME": str(dagster_home), "LANG": "C.UTF-8"}


def test_code_location_loads_without_venv_on_path(fresh_clone, tmp_path):
    env = {**plain_env(fresh_clone, tmp_path / "dagster_home"), "DAGSTER_IS_DEV_CLI": "1"}
    done = subprocess.run([str(VENV_BIN / "dagster"), "definitions", "validate", "--load-with-grpc",
                           "-w", "workspace.yaml"], cwd=fresh_clone, env=env, capture_output=True, text=True,
                          timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert f"Validation successful for code location {LOCATION}" in output, output[-3000:]
    assert (fresh_clone / "dbt_project" / "target" / "manifest.json").exists()

    # A dbt command with the same settings reuses that parse: the same --vars and profile as
    # `boligmonitor prepare` (the clone's default warehouse), so dbt does not parse it all again.
    settings = resolve_settings(warehouse=fresh_clone / "var" / "warehouse.duckdb")
    reparse = subprocess.run([str(VENV_BIN / "dbt"), "parse", "--profiles-dir", ".", "--vars", settings.dbt_vars()],
                             cwd=fresh_clone / "dbt_project", env={**env, **settings.dbt_env()},
                             capture_output=True, text=True, timeout=300)
    assert reparse.returncode == 0, reparse.stdout[-3000:]
    assert "Unable to do partial parsing" not in reparse.stdout, reparse.stdout[-3000:]


LOCATION_QUERY = """{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
  locationOrLoadError { __typename ... on PythonError { message }
    ... on RepositoryLocation { repositories { assetNodes { id } schedules { name } } } } } } } }"""


def _location(port: int) -> dict | None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": LOCATION_QUERY}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            entries = json.load(response)["data"]["workspaceOrError"]["locationEntries"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the webserver is not up yet
    return next((entry for entry in entries if entry["name"] == LOCATION), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dagster_dev_serves_the_location_without_venv_on_path(fresh_clone, tmp_path):
    """`dagster dev` as `make ui` runs it: the webserver, daemon and code server it spawns must find
    their executables and dbt without PATH."""
    port = _free_port()
    log = (tmp_path / "dagster_dev.log").open("w")
    server = subprocess.Popen([str(VENV_BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1",
                               "-p", str(port)], cwd=fresh_clone, env=plain_env(fresh_clone, tmp_path / "dagster_home"),
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, entry = time.monotonic() + 180, None
        while time.monotonic() < deadline and server.poll() is None:
            entry = _location(port)
            if entry and entry["loadStatus"] == "LOADED":
                break
            time.sleep(0.25)  # the next poll of the webserver
        output = (tmp_path / "dagster_dev.log").read_text()[-3000:]
        assert entry and entry["loadStatus"] == "LOADED", output
        loaded = entry["locationOrLoadError"]
        assert loaded["__typename"] == "RepositoryLocation", loaded.get("message", output)
        (repository,) = loaded["repositories"]
        assert repository["assetNodes"]
        assert "yearly_refresh_schedule" in {s["name"] for s in repository["schedules"]}
    finally:
        # dagster dev shuts its children down on SIGINT; the whole group is killed if it does not
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait()
        log.close()
