"""What ``boligmonitor`` prints while a Dagster job runs in its process: one line when a stage
(ingestion, dbt, checks, exports) starts and one when it ends, with its elapsed time, then the
failed warn-level checks. Everything else (Dagster's event log at debug level, dbt's output,
warnings) goes to a log file beside the warehouse, ``logs/<job>-<year>-<time>.log``, named
before the run starts and again at its end."""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import TextIO

STAGES = ("ingestion", "dbt", "checks", "exports")


def log_file_for(warehouse: Path, job_name: str, report_year: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    return Path(warehouse).parent / "logs" / f"{job_name}-{report_year}-{stamp}.log"


def stage_of_steps(job) -> dict[str, str]:
    """{step key: stage} for a job whose steps are top-level ops (the in-process asset jobs):
    an op that only runs checks is a check step; an op materialising raw.* is ingestion,
    published.* the exports, anything else (the dbt build and its tests) dbt."""
    from dagster._core.definitions.dependency import NodeHandle

    stages = {}
    for name in job.graph.node_dict:
        assets_def = job.asset_layer.get_assets_def_for_node(NodeHandle(name, None))
        keys = list(assets_def.keys)
        if not keys:
            stages[name] = "checks"
        elif all(key.path[0] == "raw" for key in keys):
            stages[name] = "ingestion"
        elif all(key.path[0] == "published" for key in keys):
            stages[name] = "exports"
        else:
            stages[name] = "dbt"
    return stages


def check_descriptions(job) -> dict[tuple[str, str], str]:
    """{(asset, check name): the check's description} for every check the job can run."""
    from dagster._core.definitions.dependency import NodeHandle

    out = {}
    for name in job.graph.node_dict:
        for spec in job.asset_layer.get_assets_def_for_node(NodeHandle(name, None)).check_specs:
            out[(".".join(spec.asset_key.path), spec.name)] = spec.description or ""
    return out


def _error_text(error, lines: int = 4, width: int = 240) -> str:
    """The innermost cause of a step's error, first lines only (the log has the traceback)."""
    while error is not None and error.cause is not None:
        error = error.cause
    if error is None:
        return "no error recorded (see the log)"
    text = [line[:width] for line in error.message.strip().splitlines() if line.strip()]
    return "\n    ".join(text[:lines] + (["..."] if len(text) > lines else []))


class StageTracker:
    """Turns the run's Dagster events into stage lines (``say``) and keeps the failed checks."""

    def __init__(self, stage_of: dict[str, str], say: Callable[[str], None], descriptions=None):
        self.stage_of, self.say = stage_of, say
        self.descriptions = descriptions or {}
        self.stages = [s for s in STAGES if s in set(stage_of.values())]
        self.pending = Counter(stage_of.values())
        self.started: dict[str, float] = {}
        self.ended: set[str] = set()
        self.failed: set[str] = set()
        self.checks_evaluated = 0
        self.failed_warn: list[str] = []

    def label(self, stage: str) -> str:
        return f"[{self.stages.index(stage) + 1}/{len(self.stages)}] {stage}"

    def _elapsed(self, stage: str) -> str:
        return f"{time.perf_counter() - self.started[stage]:.1f} s"

    def handle(self, event) -> None:
        from dagster import DagsterEventType as E

        kind, stage = event.event_type, self.stage_of.get(event.step_key or "")
        if kind == E.ASSET_CHECK_EVALUATION:
            self._check(event.event_specific_data)
        if stage is None:
            return
        if kind == E.STEP_START and stage not in self.started:
            self.started[stage] = time.perf_counter()
            self.say(f"{self.label(stage)} ...")
        elif kind in (E.STEP_SUCCESS, E.STEP_FAILURE, E.STEP_SKIPPED):
            self.pending[stage] -= 1
            if kind == E.STEP_FAILURE:
                self.failed.add(stage)
                self.say(f"{self.label(stage)}: step {event.step_key} FAILED after {self._elapsed(stage)}:\n    "
                         + _error_text(event.event_specific_data.error))
            if self.pending[stage] == 0 and stage in self.started:
                self.ended.add(stage)
                outcome = "FAILED" if stage in self.failed else "done"
                self.say(f"{self.label(stage)}: {outcome} in {self._elapsed(stage)}")

    def _check(self, evaluation) -> None:
        from dagster import AssetCheckSeverity

        self.checks_evaluated += 1
        if evaluation.passed or evaluation.severity != AssetCheckSeverity.WARN:
            return
        asset = ".".join(evaluation.asset_key.path)
        what = evaluation.description or self.descriptions.get((asset, evaluation.check_name), "")
        # scalar metadata only (counts, short texts): lists of rows stay in the log and the UI
        details = [f"{key}: {value.value}" for key, value in evaluation.metadata.items()
                   if isinstance(value.value, (int, float, str)) and len(str(value.value)) <= 80]
        self.failed_warn.append(f"{evaluation.check_name} on {asset}" + (f": {what}" if what else "")
                                + (f" ({'; '.join(details)})" if details else ""))

    def finish(self) -> None:
        """A line for each stage that did not end: stopped by a failure, or never reached."""
        for stage in self.stages:
            if stage in self.ended:
                continue
            if stage in self.started:
                self.say(f"{self.label(stage)}: stopped after {self._elapsed(stage)} "
                         f"({self.pending[stage]} step(s) not run)")
            else:
                self.say(f"{self.label(stage)}: not run")

    def summary(self) -> list[str]:
        lines = [f"{self.checks_evaluated} check(s) evaluated; {len(self.failed_warn)} failed at warn level "
                 "(reported, not blocking)" + (":" if self.failed_warn else "")]
        return lines + [f"  - {line}" for line in self.failed_warn]


class _EventHandler(logging.Handler):
    def __init__(self, tracker: StageTracker):
        super().__init__(logging.DEBUG)
        self.tracker = tracker

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is not None:
            self.tracker.handle(event)


def with_stage_logger(job, tracker: StageTracker):
    """The job with Dagster's console logger (into the log file: see ``output_to``) and a logger
    feeding ``tracker``; run it with ``LOGGERS_CONFIG`` in its run config."""
    import dagster as dg
    from dagster._loggers import colored_console_logger

    @dg.logger
    def stages(_init_context) -> logging.Logger:
        logger = logging.Logger("boligmonitor.stages", level=logging.DEBUG)
        logger.addHandler(_EventHandler(tracker))
        return logger

    return job.with_logger_defs({"console": colored_console_logger, "stages": stages})


LOGGERS_CONFIG = {"console": {"config": {"log_level": "DEBUG"}}, "stages": {}}


@contextmanager
def output_to(log_file: Path) -> Iterator[TextIO]:
    """Send this process's stdout and stderr (Python's streams and file descriptors 1 and 2,
    which dbt and other children inherit) into ``log_file``; yields a stream on what stdout was,
    for the stage lines."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        on_fd1 = sys.stdout.fileno() == 1
    except (AttributeError, ValueError, io.UnsupportedOperation):
        on_fd1 = False
    saved_out, saved_err = os.dup(1), os.dup(2)
    # stdout is the process's own: write to a copy of its descriptor (fd 1 now goes to the
    # log); replaced (pytest, a notebook): keep writing to what replaced it
    terminal = os.fdopen(os.dup(saved_out), "w", buffering=1, encoding="utf-8") if on_fd1 else sys.stdout
    with open(log_file, "ab") as log_fd, open(log_file, "a", buffering=1, encoding="utf-8") as log_text:
        os.dup2(log_fd.fileno(), 1)
        os.dup2(log_fd.fileno(), 2)
        try:
            with redirect_stdout(log_text), redirect_stderr(log_text):
                yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            if on_fd1:
                terminal.close()


def run_job_quietly(job, log_file: Path, prefix: str = "", **execute) -> tuple[bool, StageTracker]:
    """``job.execute_in_process(**execute)`` with stage lines on the terminal and the rest in
    ``log_file``. ``execute['run_config']`` gets the loggers' config added."""

    def say(message: str) -> None:
        line = f"[boligmonitor] {prefix}{message}"
        terminal.write(line + "\n")
        print(line, flush=True)  # into the log too, between the events it sums up

    tracker = StageTracker(stage_of_steps(job), say, check_descriptions(job))
    run_config = execute.pop("run_config", None)
    if run_config is None and execute.get("partition_key") and job.partitioned_config:
        # Dagster takes the partition's config only when no run config is given
        run_config = job.partitioned_config.get_run_config_for_partition_key(execute["partition_key"])
    run_config = {**(run_config or {}), "loggers": LOGGERS_CONFIG}
    with output_to(log_file) as terminal:
        try:
            if "instance" not in execute:  # loading it may warn (no dagster.yaml): into the log
                import dagster as dg

                execute["instance"] = dg.DagsterInstance.get()
            result = with_stage_logger(job, tracker).execute_in_process(
                run_config=run_config, raise_on_error=False, **execute)
        except Exception as error:  # a run that could not start (config, instance): short, then the log
            import traceback

            traceback.print_exc()
            say(f"the run could not start: {type(error).__name__}: {str(error).splitlines()[0][:240]}")
            tracker.finish()
            return False, tracker
        tracker.finish()
    return result.success, tracker


def run_dagster_job(job_name: str, report_year: int, warehouse: Path, prefix: str = "",
                    **execute) -> tuple[bool, StageTracker, Path]:
    """Run a job of the code location in this process (one writer for the DuckDB file) with the
    Dagster instance in DAGSTER_HOME (default var/dagster_home), quietly: see run_job_quietly."""
    from orchestration.definitions import defs
    from orchestration.settings import REPO_ROOT

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "var" / "dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    log_file = log_file_for(warehouse, job_name, report_year)
    print(f"[boligmonitor] {prefix}the full log of this run (Dagster's events, dbt's output): {log_file}", flush=True)
    ok, tracker = run_job_quietly(defs.resolve_job_def(job_name), log_file, prefix=prefix, **execute)
    return ok, tracker, log_file
