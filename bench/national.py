"""The national-scale part of the bench (python -m bench --only national).

    python -m bench.national load EXTRACTS WAREHOUSE    # the bench's bulk loader (child process)
    python -m bench.national probe FILE                 # the product's loader on one file (child process)

The national demo (demo/national) covers the sources of the indicator subset. Its
raw tables are loaded by DuckDB's CSV reader into exactly the product's raw layout (every
column text, lineage columns); the product's pandera loader is timed on one national CPR file
(``probe``) to show what it would cost. The subset's dbt models run in a copy of the dbt
project whose area-model seeds are the national ones (see docs/performance.md)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

from bench import measure, stages, subset
from bench.memory import run_child
from exports.snapshot import sql_string
from orchestration.settings import DBT_PROJECT_DIR, duckdb_config

PY = sys.executable
# Nationally DuckDB gets 3 GB (warehouse, dbt and floor alike), leaving room under 4 GiB.
NATIONAL_DUCKDB_MEMORY = "3GB"
# The product's loader on one national file, and dbt on the subset, are stopped after these:
# past them a target is shown to be missed (the budget is a multiple of the floor's time).
PROBE_TIMEOUT = 300.0
OURS_BUDGET_VS_FLOOR = 3.0


def _say(message: str) -> None:
    print(f"[bench] {time.strftime('%H:%M:%S')} {message}", flush=True)


def load_fast(extracts: Path, warehouse: Path) -> dict[str, int]:
    from ingestion.contract import SOURCES
    from ingestion.loader import DELIVERIES, DELIVERIES_DDL, LINEAGE_COLUMNS, load_source, raw_table_ddl, sha256_of
    from ingestion.readers import find_files

    warehouse.unlink(missing_ok=True)
    con = duckdb.connect(str(warehouse), config=duckdb_config())
    rows = {}
    try:
        con.execute("create schema raw")
        for s in SOURCES:
            files = find_files(extracts, s) if s.name in subset.SUBSET_SOURCES else {}
            if not files:
                rows[s.name] = load_source(con, s, files)  # empty: the product's loader makes the tables
                continue
            # Not the product's loader for sprogvurdering either: the national institution codes are
            # not in Randers' reference data, so it would quarantine every row (its cost is probed
            # separately on a CPR file). Windows-1252 is read as Latin-1: the same for æ, ø, å.
            encoding = "utf-8" if s.encoding.lower().replace("-", "") == "utf8" else "latin-1"
            con.execute(raw_table_ddl(s))
            con.execute(raw_table_ddl(s, quarantined=True))
            columns = ", ".join(f'"{c}"' for c in s.column_names + list(LINEAGE_COLUMNS))
            selected = ", ".join(f'"{c}"' for c in s.column_names)
            for year, path in sorted(files.items()):
                con.execute(
                    f"insert into raw.{s.name} ({columns}) select {selected}, {year}, ?, "
                    f"row_number() over (), now()::timestamp from read_csv({sql_string(path)}, "
                    f"delim={sql_string(s.delimiter)}, header=true, all_varchar=true, quote='\"', "
                    f"encoding='{encoding}')", [path.name])
                # recorded as the product's loader does: the incremental models read it
                con.execute(DELIVERIES_DDL)
                con.execute(f"insert into {DELIVERIES} select ?, ?, ?, ?, count(*), now()::timestamp "
                            f"from raw.{s.name} where _extract_year = ?", [s.name, year, path.name, sha256_of(path), year])
            rows[s.name] = con.execute(f"select count(*) from raw.{s.name}").fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()
    return rows


def probe_product_loader(path: Path) -> None:
    """The product's read + pandera validation + insert of one file, into a scratch warehouse."""
    from ingestion.contract import SOURCES_BY_NAME
    from ingestion.loader import load_source

    s = SOURCES_BY_NAME[path.stem.rsplit("_", 1)[0]]
    scratch = path.parent.parent.parent / "probe.duckdb"
    scratch.unlink(missing_ok=True)
    con = duckdb.connect(str(scratch), config=duckdb_config())
    try:
        load_source(con, s, {int(path.stem.rsplit("_", 1)[1]): path})
    finally:
        con.close()
        scratch.unlink(missing_ok=True)


def national_dbt_project(work: Path, area_model: Path) -> Path:
    project = work / "dbt_project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    for seed in area_model.glob("*.csv"):
        shutil.copyfile(seed, project / "seeds" / seed.name)
    return project


def prepare(work: Path, config) -> dict:
    """Generate and load the national warehouse once; the figures are kept in prepared.json so
    that a later run measures the indicator subset on the same warehouse without redoing it."""
    from demo.national.generate import is_current
    from demo.national.seeds import AREA_MODEL_DIR

    marker, warehouse, extracts = work / "prepared.json", work / "national.duckdb", work / "extracts"
    if marker.exists() and warehouse.exists() and is_current(config, extracts):
        prepared = json.loads(marker.read_text())
        if prepared["config"] == config.as_dict():
            return prepared
    marker.unlink(missing_ok=True)
    prepared: dict = {"config": config.as_dict(), "prepared": measure.now(), "load_before": os.getloadavg()}
    if is_current(config, extracts):
        prepared["demo"] = {"cached": True}
    else:
        _say(f"national: generating the demo ({config.residents:,} residents) in {extracts}")
        code, seconds, peak = run_child([PY, "-m", "demo.national", str(extracts), "--residents",
                                         str(config.residents)], log=work / "generate.log")
        if code:
            raise RuntimeError(f"the national generator failed (see {work / 'generate.log'})")
        prepared["demo"] = {"cached": False, "seconds": seconds, "peak_mib": peak}
    prepared["extract_gib"] = sum(p.stat().st_size for p in extracts.rglob("*.csv")) / 2**30

    _say("national: bulk-loading the raw tables")
    code, seconds, peak = run_child([PY, "-m", "bench.national", "load", str(extracts), str(warehouse)],
                                    log=work / "load.log")
    if code:
        raise RuntimeError(f"the national load failed (see {work / 'load.log'})")
    con = stages.connect(warehouse)
    try:
        rows = {s: con.execute(f"select count(*) from raw.{s}").fetchone()[0] for s in subset.SUBSET_SOURCES}
        stock = con.execute("select count(*) / count(distinct _extract_year) from raw.cpr_befolkning").fetchone()[0]
    finally:
        con.close()
    prepared["load"] = {"seconds": seconds, "peak_mib": peak, "rows": rows, "residents_per_stock": stock}

    probe_file = extracts / "kommune" / f"cpr_befolkning_{config.last_year}.csv"
    _say(f"national: the product's loader on {probe_file.name}")
    code, seconds, peak = run_child([PY, "-m", "bench.national", "probe", str(probe_file)], log=work / "probe.log",
                                    timeout=PROBE_TIMEOUT)
    prepared["product_loader_one_cpr_file"] = {"ok": code == 0, "timed_out": code is None, "seconds": seconds,
                                               "peak_mib": peak, "file": probe_file.name}
    project = national_dbt_project(work, extracts / AREA_MODEL_DIR)
    _say("national: dbt seed (the national area model)")
    prepared["seed_seconds"] = stages.dbt(["seed"], warehouse, work / "target-seed", project)["seconds"]
    prepared["load_after"] = os.getloadavg()
    marker.write_text(json.dumps(prepared, indent=2))
    return prepared


def run(work: Path, residents: int | None, prepare_only: bool = False,
        ours_budget_vs_floor: float | None = OURS_BUDGET_VS_FLOOR) -> dict:
    from demo.national.config import NationalConfig
    from demo.national.seeds import AREA_MODEL_DIR

    os.environ.setdefault("BOLIGMONITOR_DUCKDB_MEMORY", NATIONAL_DUCKDB_MEMORY)
    config = NationalConfig(residents=residents) if residents else NationalConfig()
    work.mkdir(parents=True, exist_ok=True)
    result = {**prepare(work, config), "duckdb_memory_limit": os.environ["BOLIGMONITOR_DUCKDB_MEMORY"]}
    if prepare_only:
        return result
    result.update(started=measure.now(), subset_load_before=os.getloadavg())
    project = national_dbt_project(work, work / "extracts" / AREA_MODEL_DIR)
    _say("national: indicator subset: floor, pandas, ours")
    result["subset"] = measure.indicator_subset(work / "national.duckdb", work / "subset", project, with_marts=False,
                                                ours_budget_vs_floor=ours_budget_vs_floor or None)
    if not result["subset"]["ours"]["timed_out"]:
        _say("national: ours again, adding the last year to the warehouse it built")
        result["add_year"] = measure.add_a_year_ours(work / "national.duckdb", work / "subset", project,
                                                     result["subset"])
    result["subset_load_after"] = os.getloadavg()
    return result


if __name__ == "__main__":
    if sys.argv[1] == "load":
        print(load_fast(Path(sys.argv[2]), Path(sys.argv[3])))
    elif sys.argv[1] == "probe":
        probe_product_loader(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
