"""Generate awkward municipalities, refresh each with `boligmonitor run`, compare with the oracle.

    python -m tests.oracle.run_seeds --seeds 30 [--first 100] [--work var/oracle]

One refresh at a time. Prints, per seed, the time and the mismatches not explained by the
known findings (tests/test_oracle_agreement.py's AWAITING_FIX and NEW_FINDINGS), and a summary."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bench import stages
from tests.awkward.generate import config_for_seed, generate
from tests.oracle.cohort_outcomes import cohort_outcomes
from tests.oracle.cohorts import cohort_outputs, cohort_sizes
from tests.oracle.compare import (
    cohort_mismatches,
    cohort_outcome_mismatches,
    mart_values,
    mismatches,
    output_mismatches,
)
from tests.oracle.compute import expected
from tests.oracle.extracts import Extracts, residents


@dataclass
class SeedRun:
    seed: int
    mismatches: pd.DataFrame
    published: bool
    output: str
    seconds: dict
    work: Path
    cohort_cells: int = 0  # cohort cells (activity × cohort year × outcome × period) compared
    output_rows: int = 0  # activity outputs (plan × activity × year) compared


def run_seed(seed: int, work: Path, **config) -> SeedRun:
    work = Path(work).resolve()  # the refresh runs dbt elsewhere: relative paths would move
    shutil.rmtree(work, ignore_errors=True)
    (work / "dagster_home").mkdir(parents=True)
    t0 = time.perf_counter()
    extracts = generate(config_for_seed(seed, **config), work / "extracts")
    t1 = time.perf_counter()
    env = {**os.environ, "DAGSTER_HOME": str(work / "dagster_home")}
    done = subprocess.run([str(Path(sys.executable).with_name("boligmonitor")), "run", "--extracts", str(extracts),
                           "--warehouse", str(work / "warehouse.duckdb"), "--exports", str(work / "exports")],
                          env=env, capture_output=True, text=True)
    t2 = time.perf_counter()
    warehouse = work / "warehouse.duckdb"
    if done.returncode != 0:
        # a refresh that does not publish keeps no warehouse (the build is swapped in only when
        # every check passed): the marts are compared on the same load and dbt build without
        # the publication's checks, so a refusal to publish and wrong figures are told apart
        warehouse = work / "unpublished.duckdb"
        stages.load_raw(extracts, warehouse)
        stages.dbt(["build", "--exclude", "resource_type:test"], warehouse, work / "target")
    if not warehouse.exists():
        raise RuntimeError(f"seed {seed}: no warehouse was built:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    oracle = expected(extracts)
    found = mismatches(mart_values(warehouse), oracle)
    ex = Extracts(extracts)
    res = residents(ex)
    outcomes, cells = cohort_outcome_mismatches(warehouse, cohort_outcomes(ex, res))
    outputs = cohort_outputs(ex)
    found = pd.concat([found, cohort_mismatches(warehouse, cohort_sizes(ex, res)), outcomes, output_mismatches(warehouse, outputs)],
                      ignore_index=True)
    t3 = time.perf_counter()
    return SeedRun(seed, found, done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:],
                   {"generate": round(t1 - t0, 1), "refresh": round(t2 - t1, 1), "oracle": round(t3 - t2, 1)}, work, cells, len(outputs))


def main() -> None:
    from tests.test_oracle_agreement import unexplained

    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--first", type=int, default=100)
    ap.add_argument("--work", default="var/oracle")
    args = ap.parse_args()
    summary = []
    for seed in range(args.first, args.first + args.seeds):
        run = run_seed(seed, Path(args.work) / f"seed_{seed}")
        left, skipped = unexplained(run.mismatches)
        summary.append({"seed": seed, "published": run.published, "mismatches": len(run.mismatches),
                        "explained": len(skipped), "unexplained": len(left), "cohort_cells": run.cohort_cells,
                        "output_rows": run.output_rows,
                        **run.seconds})
        print(f"seed {seed}: {summary[-1]}", flush=True)
        if len(left):
            print(left.to_string(index=False, max_rows=60), flush=True)
    print(pd.DataFrame(summary).to_string(index=False))


if __name__ == "__main__":
    main()
