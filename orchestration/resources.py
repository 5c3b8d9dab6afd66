"""The settings as resources: the warehouse file, the extract and export folders, the DuckDB
memory cap and the PostgreSQL target (orchestration/settings.py).

The ``Warehouse`` resource is also every run's refresh guard (orchestration/refresh_guard.py),
whether the run was launched from the UI, the schedule, ``dagster job execute`` or
``boligmonitor``: it takes the refresh lock when the run starts, hands the steps a Warehouse on a
copy beside the warehouse, and when the run ends swaps the copy in only if every step passed
(a failed blocking check fails its step); a swap that fails fails the run. A failed, cancelled
or killed run leaves the warehouse byte-identical, and a killed run's lock is freed by the kernel.
This needs the whole run in one process (the in-process executor): steps in processes of their
own would each take the lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.refresh_guard import refresh_warehouse
from orchestration.settings import Settings, dbt_executable, resolve_settings


class WarehouseNotSwapped(dg.DagsterError):
    """The run's copy was not swapped in at the run's end. Dagster logs an ordinary exception from
    a resource's teardown and still marks the run succeeded (dagster-io/dagster#10259); a
    DagsterError passes its user-code boundary and ends the run failed, as a monitoring unit must
    see it (tests/test_refresh_guard_runs.py). Resources torn down after this one (dbt, the IO
    manager: nothing to release) are skipped."""


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse and the folders the refresh reads from and publishes to, with the
    rest of the run's settings (orchestration/settings.py).

    The fields are the settings given to this run (``boligmonitor`` hands all of them in the run
    config: settings_run_config); an empty field is resolved when the run starts, from the
    environment (BOLIGMONITOR_*) or the default. In a run, ``path`` is the run's copy."""

    path: str = ""
    extract_dir: str = ""
    export_dir: str = ""
    duckdb_memory: str = ""
    postgres_dsn: str = ""
    postgres_read_roles: list[str] = []

    def settings(self, **given) -> Settings:
        """This resource's settings, resolved (``given`` wins over its fields, e.g. the report year)."""
        return resolve_settings(warehouse=self.path or None, extract_dir=self.extract_dir or None,
                                export_dir=self.export_dir or None, duckdb_memory=self.duckdb_memory or None,
                                postgres_dsn=self.postgres_dsn or None,
                                postgres_read_roles=self.postgres_read_roles or None, **given)

    @property
    def db_path(self) -> str:
        return str(self.settings().warehouse)

    @property
    def extracts(self) -> str:
        return str(self.settings().extract_dir)

    @property
    def exports(self) -> str:
        return str(self.settings().export_dir)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[Warehouse]:
        run, instance = context.run, context.instance
        if run is None or instance is None:  # built outside a run (a test, a script): the file itself
            yield self
            return
        plan = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
        _refuse_unsafe_runs(instance, run, plan)
        warehouse = Path(self.db_path).resolve()
        with refresh_warehouse(warehouse, say=context.log.warning,
                               command=f"Dagster run {run.run_id} of job {run.job_name}") as build:
            if build.owned:
                context.log.info(f"this run writes a copy of {warehouse} ({build.path}), swapped in when every "
                                 "step has passed")
            else:
                context.log.info(f"this run writes the copy {build.path} of the refresh that started it (boligmonitor), "
                                 "which swaps it in when all its runs have passed")
            # the settings as they resolve now: the run sees one extract and one export folder
            yield Warehouse.for_run(self.settings().replace(warehouse=build.path))
            if not build.owned:
                return  # the refresh around this run (boligmonitor) swaps its copy in
            not_passed = _steps_not_passed(instance, run.run_id, plan.step_keys_to_execute)
            if not_passed:
                context.log.warning(f"the warehouse {warehouse} is unchanged: step(s) {', '.join(not_passed)} did "
                                    "not pass; this run's copy is discarded")
                return
            try:
                build.commit()
            except Exception as error:
                raise WarehouseNotSwapped(f"Every step passed, but this run's copy could not replace the warehouse "
                                          f"{warehouse}, which is unchanged: {error}") from error
            context.log.info(f"every step passed: the warehouse {warehouse} is now this run's copy")

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        # One short-lived connection per step: DuckDB allows a single writing process, and
        # dbt (a subprocess) needs the file free while it runs.
        settings = self.settings()
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(settings.warehouse), read_only=read_only, config=settings.duckdb_config())
        try:
            yield con
        finally:
            con.close()

    @classmethod
    def for_run(cls, settings: Settings) -> Warehouse:
        return cls(**warehouse_config(settings))


def warehouse_config(settings: Settings) -> dict:
    """The Warehouse resource's fields from the settings: every one given, nothing left to the
    environment."""
    return {"path": str(settings.warehouse), "extract_dir": str(settings.extract_dir),
            "export_dir": str(settings.export_dir), "duckdb_memory": settings.duckdb_memory,
            "postgres_dsn": settings.postgres_dsn or "", "postgres_read_roles": list(settings.postgres_read_roles)}


def _refuse_unsafe_runs(instance: dg.DagsterInstance, run: dg.DagsterRun, plan) -> None:
    """The runs the guard cannot keep whole: steps in worker processes of their own (the
    multiprocess executor: each would take the lock and copy the warehouse), a run resumed after
    its process died (its earlier steps wrote the dead process's copy), and a re-execution of
    some steps only (the steps an earlier run passed wrote that run's copy)."""
    workers = instance.all_logs(run.run_id, of_type={dg.DagsterEventType.STEP_WORKER_STARTING,
                                                     dg.DagsterEventType.STEP_WORKER_STARTED,
                                                     dg.DagsterEventType.STEP_START})
    if workers:
        raise dg.Failure(
            f"The job {run.job_name} writes the warehouse and must run all its steps in one process, but this run "
            "starts a worker process per step, or was resumed after its process died: give the job "
            "executor_def=dg.in_process_executor, as the project's jobs have, and start a new run. Nothing was "
            "changed.")
    if set(plan.step_keys_to_execute) != {step.key for step in plan.steps}:
        raise dg.Failure(
            "This run executes only some of its job's steps (a re-execution from failure?): the steps an earlier "
            "run passed wrote that run's copy of the warehouse, which was discarded when it failed. Re-execute "
            "all steps, or materialise the assets you need. Nothing was changed.")


def _steps_not_passed(instance: dg.DagsterInstance, run_id: str, step_keys: list[str]) -> list[str]:
    """The run's steps that did not end in success so far: failed, skipped or never reached."""
    passed = {record.step_key for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)}
    failed = {record.step_key for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)}
    return sorted((set(step_keys) - passed) | failed)


def build_resources() -> dict[str, object]:
    return {
        "warehouse": Warehouse(),
        "dbt": DbtCliResource(project_dir=dbt_project, profiles_dir=str(dbt_project.profiles_dir),
                              dbt_executable=str(dbt_executable())),
    }
