"""The command line as a monitoring unit meets it: every option explains itself; arguments that
cannot produce anything stop at once, argparse-style, before anything is written; `run` prints a
line per stage with its elapsed time, names a log file holding Dagster's and dbt's output, and
lists every check that failed at warn level."""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

BOLIGMONITOR = str(Path(sys.executable).with_name("boligmonitor"))
STAGES = ("ingestion", "dbt", "checks", "exports")


def test_every_option_of_every_subcommand_has_help():
    from orchestration.cli import build_parser, subcommand_parsers

    parser = build_parser()
    commands = subcommand_parsers(parser)
    assert {"run", "refresh", "export", "backfill", "load", "demo", "postgres", "docs"} <= set(commands)
    listed = {a.dest: a.help for a in next(a for a in parser._actions
                                           if isinstance(a, argparse._SubParsersAction))._choices_actions}
    missing = [f"boligmonitor {name}" for name in commands if not listed.get(name)]
    for name, sub in commands.items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS or not action.help.strip():
                missing.append(f"boligmonitor {name} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, f"no help text: {missing}"


def _tiny_extracts(folder: Path, years: list[int]) -> Path:
    """An extract folder whose files only name their years: the argument checks read names,
    never contents, so a year's absence is all that matters here."""
    from ingestion.contract import SOURCES

    source = SOURCES[0]
    (folder / source.folder).mkdir(parents=True)
    for year in years:
        (folder / source.folder / f"{source.name}_{year}.csv").write_text("x\n", encoding="utf-8")
    return folder


def _tiny_warehouse(path: Path, years: list[int]) -> Path:
    """A warehouse whose last delivery (raw._deliveries) had files for ``years``."""
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw._deliveries (source VARCHAR, extract_year INTEGER)")
    con.executemany("INSERT INTO raw._deliveries VALUES ('cpr_befolkning', ?)", [[y] for y in years])
    con.close()
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in folder.rglob("*")}


def _refused(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    done = subprocess.run([BOLIGMONITOR, *argv], cwd=cwd, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - started
    # argparse's error style: usage, "boligmonitor <command>: error: ...", exit code 2, at once
    assert done.returncode == 2, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert elapsed < 20, f"took {elapsed:.0f} s to refuse {argv}"
    assert f"boligmonitor {argv[0]}: error: " in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    return done


@pytest.mark.parametrize("command, expected", [
    (["run", "--extracts", "{missing}"], r"the extract folder \S+ does not exist"),
    (["refresh", "2025", "--extracts", "{missing}"], r"the extract folder \S+ does not exist"),
    (["load", "--extracts", "{missing}"], r"the extract folder \S+ does not exist"),
    (["run", "--extracts", "{extracts}", "--report-year", "1990"],
     r"report year 1990 is outside the years the plans report on \(\d{4}-\d{4}\)"),
    (["refresh", "2024", "--extracts", "{extracts}"],
     r"no data for report year 2024 in the extract folder \S+ \(it has 2019-2020\)"),
])
def test_run_arguments_that_cannot_produce_anything_fail_at_once(tmp_path, command, expected):
    extracts = _tiny_extracts(tmp_path / "extracts", [2019, 2020])
    out = tmp_path / "out"
    argv = [a.format(missing=tmp_path / "no_such_folder", extracts=extracts) for a in command]
    argv += ["--warehouse", str(out / "warehouse.duckdb")]
    if command[0] != "load":
        argv += ["--exports", str(out / "exports")]
    before = _snapshot(tmp_path)
    done = _refused(argv, tmp_path)
    assert re.search(expected, done.stderr), done.stderr
    # nothing written: no warehouse, lock, copy, log or export folder, and the extracts as they were
    assert not out.exists()
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("command, expected", [
    (["export", "--report-year", "2031"], r"report year 2031 is outside the years the plans report on"),
    (["export", "--report-year", "2022"], r"no data for report year 2022 in the warehouse \S+ \(it has 2019-2020\)"),
    (["backfill", "2019", "2022"], r"no data for report year 2021, 2022 in the warehouse"),
    (["backfill", "2020", "2019"], r"no years to backfill: FIRST \(2020\) is after LAST \(2019\)"),
    (["export", "--report-year", "2020", "--warehouse", "{missing}"], r"no warehouse at \S+: run `boligmonitor run`"),
    (["docs", "--warehouse", "{missing}"], r"no warehouse at \S+: run `boligmonitor run`"),
])
def test_publish_arguments_that_cannot_produce_anything_fail_at_once(tmp_path, command, expected):
    warehouse = _tiny_warehouse(tmp_path / "warehouse.duckdb", [2019, 2020])
    argv = [a.format(missing=tmp_path / "none" / "warehouse.duckdb") for a in command]
    if "--warehouse" not in argv:
        argv += ["--warehouse", str(warehouse)]
    if command[0] != "docs":
        argv += ["--exports", str(tmp_path / "exports")]
    before = _snapshot(tmp_path)
    done = _refused(argv, tmp_path)
    assert re.search(expected, done.stderr), done.stderr
    assert _snapshot(tmp_path) == before  # the warehouse unchanged, no lock, copy, log or exports


def _failed_warn_checks(dagster_home: Path) -> list[tuple[str, str]]:
    """(check, asset) of every check that failed at warn level in the session's refresh, from
    the Dagster instance's event log (not from what the command printed)."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(dagster_home))
    [run] = instance.get_runs(filters=dg.RunsFilter(job_name="yearly_refresh"))
    failed = []
    for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        evaluation = record.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN:
            failed.append((evaluation.check_name, ".".join(evaluation.asset_key.path)))
    return failed


def test_run_prints_stages_with_times_a_log_file_and_the_failed_warn_checks(published_demo):
    stdout = published_demo["stdout"]
    lines = stdout.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines on the terminal:\n" + "\n".join(lines[:80])
    # each stage starts, then ends with its elapsed time, numbered in the order they run
    for number, stage in enumerate(STAGES, start=1):
        started = [i for i, line in enumerate(lines) if line.endswith(f"[{number}/4] {stage} ...")]
        ended = [i for i, line in enumerate(lines) if re.search(rf"\[{number}/4\] {stage}: done in \d+\.\d s$", line)]
        assert len(started) == 1 and len(ended) == 1 and started[0] < ended[0], (stage, stdout)
    # Dagster's event lines and dbt's node lines are not on the terminal, but in the named log
    assert not re.search(r" - (DEBUG|INFO) - |STEP_START| of \d+ (START|OK|PASS) ", stdout)
    logs = set(re.findall(r"the full log[^:]*: (\S+\.log)", stdout))
    assert len(logs) == 1, stdout
    log = Path(logs.pop())
    assert log.is_file() and log.parent == published_demo["warehouse"].parent / "logs"
    text = log.read_text(encoding="utf-8")
    assert text.count("STEP_START") >= len(STAGES) and " - DEBUG - " in text
    assert re.search(r"\d+ of \d+ START sql table model marts\.", text)  # dbt's own output
    # every check that failed at warn level is listed, with the count
    failed = _failed_warn_checks(published_demo["dagster_home"])
    assert re.search(rf"\b{len(failed)} failed at warn level", stdout), stdout
    for check, asset in failed:
        assert re.search(rf"^\[boligmonitor\]\s+- {re.escape(check)} on {re.escape(asset)}\b", stdout, re.M), \
            (check, asset, stdout)


def test_a_failing_step_shows_its_error_briefly_and_the_rest_stays_in_the_log(tmp_path, capfd):
    """A tiny job shaped like the refresh (raw -> marts -> check -> published) whose export step
    fails: the terminal gets the stage lines, the step's error in a few lines, the stages not
    reached and the failed warn-level check; the log gets Dagster's events and what the steps print."""
    import dagster as dg

    from orchestration.run_log import run_job_quietly

    @dg.asset(key=["raw", "source"])
    def source():
        print("a line the step prints itself")

    @dg.asset(key=["marts", "mart"], deps=[source])
    def mart():
        return 1

    @dg.asset_check(asset=mart, description="the mart looks like last year's")
    def like_last_year():
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, metadata={"rows_differing": 3})

    @dg.asset(key=["published", "files"], deps=[mart])
    def files():
        raise ValueError("the export folder is read-only\n" + "\n".join(f"detail {i}" for i in range(20)))

    job = dg.Definitions(assets=[source, mart, files], asset_checks=[like_last_year], jobs=[
        dg.define_asset_job("tiny", executor_def=dg.in_process_executor)]).resolve_job_def("tiny")
    log = tmp_path / "logs" / "tiny.log"
    ok, tracker = run_job_quietly(job, log, instance=dg.DagsterInstance.ephemeral())
    terminal = capfd.readouterr().out
    assert not ok
    assert re.search(r"\[4/4\] exports: step published__files FAILED after \d+\.\d s:\n\s+ValueError: the export "
                     r"folder is read-only\n", terminal), terminal
    assert "detail 19" not in terminal and "Traceback" not in terminal  # short: the rest is in the log
    assert re.search(r"\[1/4\] ingestion: done in \d+\.\d s", terminal)
    assert "1 failed at warn level" in "\n".join(tracker.summary())
    assert any("like_last_year on marts.mart: the mart looks like last year's (rows_differing: 3)" in line
               for line in tracker.summary())
    text = log.read_text(encoding="utf-8")
    assert "a line the step prints itself" in text and "STEP_FAILURE" in text and "detail 19" in text
    assert "a line the step prints itself" not in terminal
