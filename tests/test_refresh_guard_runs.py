"""Every Dagster run that writes the warehouse follows the refresh's discipline, however it is
launched (the UI, the schedule, `dagster job execute`, `boligmonitor run`): the run holds the
refresh lock, writes a copy beside the warehouse, and the copy is swapped in only when every step
passed, blocking checks included. A failed or killed run leaves the warehouse byte-identical and
the lock free for the next run; an analyst's read-only connection never makes a run fail. A run
the guard cannot keep whole (a process per step, a re-execution of some steps) is refused.

The mechanism is tested on a two-asset job using the project's Warehouse resource (seconds), and
once on the real yearly_refresh job loading a hand-made three-row extract (no dbt)."""

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.refresh_guard import building_path, lock_path
from orchestration.resources import Warehouse

TABLE = dg.AssetKey(["marts", "m"])
READER = str(Path(__file__).with_name("warehouse_reader.py"))
REPO = Path(__file__).resolve().parent.parent


class StepConfig(dg.Config):
    value: int = 2
    check_passes: bool = True
    raise_error: bool = False
    hold_until: str = ""  # a file the step waits for after writing: a run kept open while the test acts


@dg.asset(key=TABLE, check_specs=[dg.AssetCheckSpec("value_is_plausible", asset=TABLE, blocking=True)])
def table(warehouse: Warehouse, config: StepConfig) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        con.execute(f"CREATE OR REPLACE TABLE marts.m AS SELECT {config.value} AS v")
    if config.hold_until:
        Path(config.hold_until + ".started").touch()
        while not Path(config.hold_until).exists():
            time.sleep(0.05)
    if config.raise_error:
        raise RuntimeError("the step broke after writing")
    return dg.MaterializeResult(check_results=[
        dg.AssetCheckResult(check_name="value_is_plausible", passed=config.check_passes)])


@dg.asset(key=dg.AssetKey(["marts", "e"]), deps=[TABLE])
def downstream(warehouse: Warehouse) -> None:
    with warehouse.connect() as con:
        con.execute("CREATE OR REPLACE TABLE marts.e AS SELECT v * 10 AS v FROM marts.m")


def run_tiny(live: Path | str, instance: dg.DagsterInstance | None = None, **config) -> dg.ExecuteInProcessResult:
    job = dg.define_asset_job("tiny_refresh", selection=dg.AssetSelection.all(), executor_def=dg.in_process_executor)
    defs = dg.Definitions(assets=[table, downstream], jobs=[job], resources={"warehouse": Warehouse(path=str(live))})
    return defs.resolve_job_def("tiny_refresh").execute_in_process(
        run_config={"ops": {"marts__m": {"config": config}}}, instance=instance or dg.DagsterInstance.ephemeral(),
        raise_on_error=False)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _value(path: Path, table_name: str = "marts.m"):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT v FROM {table_name}").fetchone()[0]
    finally:
        con.close()


def _said(result, instance: dg.DagsterInstance) -> str:
    """Every message and error the run logged, as one text."""
    parts = []
    for entry in instance.all_logs(result.run_id):
        parts.append(entry.user_message or "")
        error = getattr(entry.dagster_event and entry.dagster_event.event_specific_data, "error", None)
        if error is not None:
            parts.append(error.to_string())
    return "\n".join(parts)


def _assert_released(live: Path) -> None:
    assert not building_path(live).parent.exists(), "the run's copy was left behind"
    lock = lock_path(live)
    assert not lock.exists() or not lock.read_text(encoding="utf-8"), "the refresh lock still names a holder"


@pytest.fixture
def live(tmp_path) -> Path:
    """The live warehouse: marts.m = 1."""
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m AS SELECT 1 AS v")
    con.close()
    return path


def _start_reader(warehouse: Path, work: Path, sql: str) -> tuple[subprocess.Popen, Path, Path]:
    stop, out = work / "stop_reader", work / "reader.jsonl"
    reader = subprocess.Popen([sys.executable, READER, str(warehouse), str(stop), str(out), "persistent", sql])
    deadline = time.monotonic() + 30
    while not (out.exists() and len(out.read_text(encoding="utf-8").splitlines()) >= 2):
        assert reader.poll() is None and time.monotonic() < deadline, "the analyst could not open the warehouse"
        time.sleep(0.05)
    return reader, stop, out


def _stop_reader(reader: subprocess.Popen, stop: Path, out: Path) -> list[dict]:
    stop.touch()
    reader.wait(timeout=30)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_failing_blocking_check_leaves_the_warehouse_byte_identical(live):
    before = _sha(live)
    instance = dg.DagsterInstance.ephemeral()
    result = run_tiny(live, instance, value=2, check_passes=False)
    assert not result.success
    assert "value_is_plausible" in _said(result, instance)
    assert _sha(live) == before and _value(live) == 1
    _assert_released(live)


def test_an_exception_in_a_step_leaves_the_warehouse_byte_identical(live):
    before = _sha(live)
    result = run_tiny(live, value=2, raise_error=True)
    assert not result.success
    assert _sha(live) == before and _value(live) == 1
    _assert_released(live)


def test_a_passing_run_is_swapped_in_while_an_analyst_reads(live, tmp_path):
    reader, stop, out = _start_reader(live, tmp_path, "SELECT v FROM marts.m")
    try:
        instance = dg.DagsterInstance.ephemeral()
        result = run_tiny(live, instance, value=3)
    finally:
        lines = _stop_reader(reader, stop, out)
    assert result.success, _said(result, instance)[-3000:]
    assert _value(live) == 3 and _value(live, "marts.e") == 30
    errors = [x["error"] for x in lines if "error" in x]
    assert not errors, errors[:3]
    # the analyst's open connection kept reading the warehouse it opened
    assert {x["value"] for x in lines if "value" in x} == {"1"}
    _assert_released(live)


HOLDER = """
import sys
sys.path.insert(0, sys.argv[3])
from test_refresh_guard_runs import run_tiny
run_tiny(sys.argv[1], value=2, hold_until=sys.argv[2])
"""


def test_a_second_run_is_refused_naming_the_first_and_a_killed_runs_lock_is_taken_over(live, tmp_path):
    before = _sha(live)
    hold = tmp_path / "release"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(live), str(hold), str(Path(__file__).parent)],
                              cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not Path(str(hold) + ".started").exists():
            assert holder.poll() is None and time.monotonic() < deadline, "the first run did not start its step"
            time.sleep(0.1)
        # the first run has written marts.m = 2 and is still running: a second run is refused at once
        started = time.monotonic()
        instance = dg.DagsterInstance.ephemeral()
        second = run_tiny(live, instance, value=5)
        assert time.monotonic() - started < 30
        assert not second.success
        said = _said(second, instance)
        assert f"pid {holder.pid} on {socket.gethostname()}" in said, said[-3000:]
        assert "tiny_refresh" in said and "since 20" in said
        assert _sha(live) == before, "a running refresh (or the refused one) changed the warehouse"
    finally:
        holder.send_signal(signal.SIGKILL)  # killed mid-run: no teardown, no commit
        holder.wait()
    assert _sha(live) == before and _value(live) == 1
    # the dead run's lock and copy do not block the next run, which says whose lock it took over
    instance = dg.DagsterInstance.ephemeral()
    third = run_tiny(live, instance, value=4)
    said = _said(third, instance)
    assert third.success, said[-3000:]
    assert f"taking over the lock {lock_path(live)} left by pid {holder.pid}" in said and "has ended" in said
    assert _value(live) == 4
    _assert_released(live)


def test_a_terminated_run_leaves_the_warehouse_byte_identical_and_frees_the_lock(live, tmp_path):
    """Terminate in the UI sends the run's process SIGTERM: the step stops, the run ends failed."""
    before = _sha(live)
    hold = tmp_path / "release"
    run = subprocess.Popen([sys.executable, "-c", HOLDER, str(live), str(hold), str(Path(__file__).parent)],
                           cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not Path(str(hold) + ".started").exists():  # marts.m = 2 is written in its copy
        assert run.poll() is None and time.monotonic() < deadline, "the run did not start its step"
        time.sleep(0.1)
    run.send_signal(signal.SIGTERM)
    run.wait(timeout=60)
    assert _sha(live) == before and _value(live) == 1
    _assert_released(live)


def test_the_yearly_refresh_job_loads_into_a_copy_while_an_analyst_reads(tmp_path, monkeypatch):
    """The real job (the UI's, the schedule's, `dagster job execute`'s): its raw load runs in the
    copy, is swapped in, and dbt's warehouse setting is left as it was."""
    from contract_examples import example_frame
    from demo.writers import write_extract
    from ingestion.contract import source
    from orchestration.definitions import defs
    from orchestration.settings import ENV_EXTRACTS, ENV_WAREHOUSE

    language = source("sprogvurdering")
    extracts = tmp_path / "extracts"
    write_extract(example_frame(language, rows=3, year=2023), language, 2023, extracts)
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.m AS SELECT 1 AS v")
    con.close()
    monkeypatch.setenv(ENV_WAREHOUSE, str(warehouse))
    monkeypatch.setenv(ENV_EXTRACTS, str(extracts))

    reader, stop, out = _start_reader(warehouse, tmp_path, "SELECT v FROM marts.m")
    instance = dg.DagsterInstance.ephemeral()
    try:
        result = defs.resolve_job_def("yearly_refresh").execute_in_process(
            instance=instance, raise_on_error=False, asset_selection=[dg.AssetKey(["raw", language.name])])
    finally:
        lines = _stop_reader(reader, stop, out)
    assert result.success, _said(result, instance)[-3000:]
    assert not [x for x in lines if "error" in x]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(f"SELECT count(*) FROM raw.{language.name}").fetchone()[0] == 3
    finally:
        con.close()
    assert os.environ[ENV_WAREHOUSE] == str(warehouse)
    _assert_released(warehouse)


def _tiny_job(executor: dg.ExecutorDefinition) -> dg.JobDefinition:
    job = dg.define_asset_job("tiny_refresh", selection=dg.AssetSelection.all(), executor_def=executor)
    defs = dg.Definitions(assets=[table, downstream], jobs=[job], resources={"warehouse": Warehouse()})
    return defs.resolve_job_def("tiny_refresh")


def tiny_job_with_a_process_per_step() -> dg.JobDefinition:
    """The tiny job on Dagster's multiprocess executor; the warehouse from the environment."""
    return _tiny_job(dg.multiprocess_executor)


def test_a_run_with_a_process_per_step_is_refused_and_changes_nothing(live, tmp_path, monkeypatch):
    """Each step process would take the lock and copy the warehouse on its own, so the run as a
    whole could not be swapped in: the run stops before any step writes."""
    from orchestration.settings import ENV_WAREHOUSE

    monkeypatch.setenv(ENV_WAREHOUSE, str(live))
    before = _sha(live)
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        result = dg.execute_job(dg.reconstructable(tiny_job_with_a_process_per_step), instance=instance,
                                raise_on_error=False)
        said = _said(result, instance)
    assert not result.success
    assert "must run all its steps in one process" in said, said[-2000:]
    assert _sha(live) == before and _value(live) == 1
    _assert_released(live)


def tiny_job_in_process() -> dg.JobDefinition:
    """The tiny job as a code location has it (for a re-execution); the warehouse from the environment."""
    return _tiny_job(dg.in_process_executor)


def test_a_reexecution_of_some_steps_is_refused_and_changes_nothing(live, tmp_path, monkeypatch):
    """Re-executing some steps of an earlier run (from failure, or selected steps in the UI) would
    swap in a warehouse without what the earlier run's other steps wrote: they wrote that run's
    copy, which is discarded when it fails."""
    from orchestration.settings import ENV_WAREHOUSE

    monkeypatch.setenv(ENV_WAREHOUSE, str(live))
    (tmp_path / "dagster_home").mkdir()
    job = dg.reconstructable(tiny_job_in_process)
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        first = dg.execute_job(job, instance=instance, raise_on_error=False,
                               run_config={"ops": {"marts__m": {"config": {"value": 2}}}})
        assert first.success and _value(live) == 2
        before = _sha(live)
        again = dg.execute_job(job, instance=instance, raise_on_error=False, reexecution_options=dg.ReexecutionOptions(
            parent_run_id=first.run_id, step_selection=["marts__e"]))
        said = _said(again, instance)
    assert not again.success
    assert "executes only some of its job's steps" in said, said[-2000:]
    assert _sha(live) == before
    _assert_released(live)


@pytest.mark.parametrize("launch", ["execute_in_process", "execute_job"])
def test_a_run_whose_swap_fails_ends_failed_and_leaves_the_warehouse_byte_identical(live, tmp_path, monkeypatch,
                                                                                     launch):
    """Every step passed but the rename at the run's end fails (a full disk, a folder made
    read-only): the run must end FAILURE, not SUCCESS with a logged teardown error, so the
    monitoring unit sees it. `execute_job` is the path of the UI's, the schedule's and `dagster job
    execute`'s runs (the job's own executor); `execute_in_process` that of scripts."""
    from orchestration.settings import ENV_WAREHOUSE

    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).resolve() == live.resolve():
            raise PermissionError(13, "Permission denied (the test's refusal)", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setenv(ENV_WAREHOUSE, str(live))
    before = _sha(live)
    (tmp_path / "dagster_home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster_home")) as instance:
        if launch == "execute_in_process":
            result = run_tiny(live, instance, value=2)
        else:
            result = dg.execute_job(dg.reconstructable(tiny_job_in_process), instance=instance, raise_on_error=False,
                                    run_config={"ops": {"marts__m": {"config": {"value": 2}}}})
        said = _said(result, instance)
        status = instance.get_run_by_id(result.run_id).status
        steps_passed = {record.step_key for record in instance.all_logs(
            result.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)}
    assert steps_passed == {"marts__m", "marts__e"}, said[-3000:]  # the swap, not a step, failed
    assert status == dg.DagsterRunStatus.FAILURE, said[-3000:]
    assert not result.success
    assert "could not replace the warehouse" in said and "the test's refusal" in said, said[-3000:]
    assert _sha(live) == before and _value(live) == 1
    _assert_released(live)
