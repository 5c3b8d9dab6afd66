"""python -m bench  (or `make bench`): measure the refresh and rewrite docs/performance.md.

    python -m bench                     # Randers scale, then national scale (the issue's figures)
    python -m bench --only randers      # one of the two
    python -m bench --scale small       # the small test municipality instead of Randers (a quick try)
    python -m bench --national-residents 600000   # a smaller "national" run (a quick try)

Generated extracts and warehouses are kept under var/bench/ (the demo extracts are reused
when current). Every figure, the machine and the load average are written to
docs/performance.json and rendered into docs/performance.md."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench import measure, report
from orchestration.settings import REPO_ROOT


def run_randers(work: Path, small: bool, add_year: bool) -> dict:
    scale = "small" if small else "randers"
    work = work / scale
    work.mkdir(parents=True, exist_ok=True)
    extracts = work / "extracts"
    result = {"scale": scale, "started": measure.now(), "load_before": os.getloadavg()}
    _say(f"{scale}: demo extracts in {extracts}")
    result["demo"] = measure.generate_randers_demo(extracts, small)
    _say(f"{scale}: full refresh (Dagster job: ingestion, dbt build, checks, exports)")
    result["full_refresh"] = measure.refresh(extracts, work / "full.duckdb", work / "full_exports", work / "refresh_full.log")
    _say(f"{scale}: full refresh {result['full_refresh']['process_seconds']:.1f} s, "
         f"peak {result['full_refresh']['peak_mib']:.0f} MiB; indicator subset: ours, floor, pandas")
    result["subset"] = measure.indicator_subset(work / "full.duckdb", work / "subset")
    if add_year:
        _say(f"{scale}: adding a year to an existing warehouse")
        result["add_year"] = measure.add_a_year(extracts, work, result["full_refresh"]["process_seconds"])
    result["load_after"] = os.getloadavg()
    return result


def run_national(work: Path, residents: int | None, prepare_only: bool = False, budget: float | None = None) -> dict:
    from bench import national

    if budget is None:
        budget = national.OURS_BUDGET_VS_FLOOR
    return national.run(work / "national", residents, prepare_only, budget)


def _say(message: str) -> None:
    print(f"[bench] {time.strftime('%H:%M:%S')} {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("randers", "national"))
    parser.add_argument("--scale", choices=("randers", "small"), default="randers")
    parser.add_argument("--national-residents", type=int, default=None)
    parser.add_argument("--no-add-year", action="store_true")
    parser.add_argument("--ours-budget", type=float, default=None,
                        help="nationally, stop dbt after this many times the floor's time (default 3, 0: no limit)")
    parser.add_argument("--prepare-national", action="store_true",
                        help="only generate and load the national warehouse (kept for the next run)")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "var" / "bench")
    parser.add_argument("--results", type=Path, default=REPO_ROOT / "docs" / "performance.json")
    parser.add_argument("--doc", type=Path, default=REPO_ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)

    if args.prepare_national:
        print(json.dumps(run_national(args.work, args.national_residents, prepare_only=True), indent=2))
        return 0
    results = json.loads(args.results.read_text()) if args.results.exists() else {}
    results["machine"] = measure.machine()
    command = "python -m bench" + (f" {' '.join(argv)}" if argv else "")
    if args.only != "national":
        key = "randers" if args.scale == "randers" else "small"
        results[key] = run_randers(args.work, args.scale == "small", not args.no_add_year)
        results[key]["command"] = command
        _save(args, results)
    if args.only != "randers":
        results["national"] = run_national(args.work, args.national_residents, budget=args.ours_budget)
        results["national"]["command"] = command
        _save(args, results)
    _say(f"wrote {args.doc}")
    return 0


def _save(args, results: dict) -> None:
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    args.doc.write_text(report.render(results), encoding="utf-8")


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
