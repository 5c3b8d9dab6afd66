"""The prose of docs/performance.md around the measured figures (bench/report.py fills them in)."""

INTRO = """# Performance: the refresh measured against the DuckDB floor and a pandas peer

This file is written by the bench: `make bench` (= `.venv/bin/python -m bench`) from a fresh
clone regenerates the demo extracts it needs, runs every measurement and rewrites this page
and `docs/performance.json` (every figure, machine-readable). Nothing below is typed by hand
except the text between the tables.

What is measured:

- **Full refresh** at Randers scale: the product's Dagster job (raw files → exports, every dbt
  test and asset check) in a fresh process, wall time per stage and the peak resident memory
  of the whole process tree (the job and its dbt subprocess, sampled every 50 ms from /proc).
- **The indicator subset**, computed three ways from the same raw tables (text as delivered)
  and the same area model: *ours* (the dbt models, `dbt run` of the subset's models and
  everything upstream of them), the *floor* (one hand-written DuckDB query) and the *pandas
  peer* (the script an analyst would write). The subset: the absence percentage and the share
  with more than 10 % absence (0.-10. klasse, months-weighted), full-time kontanthjælp
  recipients per 18-64-year-old, and the Sprogvurdering categories (assessed, generel,
  fokuseret, særlig) — every geography residents count towards (areas, plan totals, the
  municipality, the municipality without each plan's areas). The bench checks that the three
  give the same rows before it reports a time; at Randers scale it also checks the floor
  against `marts.mart_area_indicator`. `tests/test_bench.py` checks the same on the small
  municipality in the test suite.
- **Adding one year** to an existing warehouse, against the full refresh.
- **National scale** (see below for how national areas are represented)."""

NATIONAL_DESIGN = """## How national areas are represented

The warehouse's area model is a set of dbt seeds for Randers: `area_address_ranges` (the
printed address ranges), `plan_areas`, `geographies`. The national demo
(`demo/national/`) writes, next to the extracts, national versions of those three
seeds: about 1,000 housing areas, each a set of address ranges on its own streets, in about
100 municipalities; each municipality's areas form one plan (`plan_total` geography per
municipality). The bench copies the dbt project to `var/bench/national/dbt_project`,
replaces those three seeds and runs the subset's models there; the floor and the pandas peer
read the same seed tables. The product's own project is not changed.

Two things do not carry over and are stated rather than hidden:

- The models place everyone in one municipality geography, hard-coded `RANDERS`; nationally
  that row is the whole country. A national warehouse needs the municipality as a column of
  the residence (DST's KOM code) and a municipality geography per code.
- The indicators aggregate per area and roll the areas up through `int_area__geographies`
  (one row per area and geography), so no person-level row is written per geography.
  `int_person__geography_year` is now a view over that map, read only by
  `mart_language_assessment` and `int_indicator__institution_groups`; with a
  `municipality_excl_plan` geography per plan it would still expand every person-year ~100
  times where it is read, so the national seeds keep none.

The national extracts cover the sources the subset needs (`cpr_befolkning`, `skolefravaer`,
`sprogvurdering`, `jobcenter_ydelser`); the other 18 sources are loaded as empty tables.
They are loaded with DuckDB's CSV reader into the same `raw` tables (every column as text,
with the lineage columns): the product's pandera loader holds a whole yearly file in pandas,
which at 6 million rows does not fit the 4 GiB budget and takes many minutes per source; its
cost is measured on one national CPR file and reported separately."""

NEXT_STEPS = """## What was made fast, and what is left

Done:

1. **Aggregate per area before the geography roll-up.** `int_indicator__computed_values` joins
   each person-level row to its 1 January residence once, sums per area, and rolls the few
   area rows up through `int_area__geographies`; it no longer joins persons to every geography
   or counts distinct persons per geography.
2. **No stacked person-level table.** Every person-level indicator model is a view: DuckDB
   streams them into that one aggregation (on one DuckDB thread, which keeps it inside the
   memory cap). With `--vars '{indicator_ids: [...]}'` only those indicators' branches are
   computed; *ours* above uses it so that it computes the floor's indicators, not every
   indicator of both plans.
3. `int_indicator__labour_market` reads the benefit months once (one row per person and month,
   a month bitmask per person-year); `int_school__absence_pupil_year` and `int_address__area`
   lost their distinct aggregates.
4. **The loader** reads with pyarrow and validates every row with pandera in batches of 250,000
   rows; the raw layer loads only new or changed files (`raw._deliveries`, by sha256).
5. **Adding a year recomputes only what it can change.** `int_person__residence_year` and
   `int_indicator__computed_values` are incremental by year (dbt_project/macros/incremental_years.sql):
   each build records the deliveries it was computed from; the next recomputes, per person
   indicator model, the years from each changed delivery's year minus one (source meta
   `rebuild_years_back`), every year for spell sources that are re-delivered with their history,
   and everything when the code or reference data changed. `tests/test_incremental_models.py`
   checks that adding 2026 gives exactly a build from scratch.
6. **Memory.** DuckDB's default cap is 1 GB since 3 December 2026 (256 MB when measured, until
   a build from scratch ran out of memory there; `BOLIGMONITOR_DUCKDB_MEMORY`; the dbt process
   peaked at about 930 MiB with 1 GB, about 500 MiB now, at about 4 s of spilling in
   `int_indicator__computed_values`), Arrow allocates from jemalloc (mimalloc kept about
   100 MiB of freed pages in the Dagster process while dbt ran), and the refresh's dbt build
   reuses the parse made before it (it parsed the whole project again because the vars
   differed: about 3 s).

Left:

- **Adding a year at Randers scale** is dominated by what every refresh pays in full: process
  start and imports, dbt's start-up, seeds and views, every dbt test, the asset checks and the
  exports (a new latest year changes every mart). Running only the tests of what was rebuilt,
  and keeping unchanged staging views instead of recreating them, are the next steps.
- **Typed raw tables** would lower every way's cost (the staging views parse the delivered
  text on every read).
- **10× faster than pandas** cannot be reached while the floor itself is only about 4× faster
  than the pandas peer: all three parse the same text tables; typed raw tables would change
  each way's cost differently."""


def national_section(n: dict, subset_table, s, mib, met, targets) -> list[str]:
    c, load, sub = n["config"], n["load"], n["subset"]
    demo = n["demo"]
    probe = n["product_loader_one_cpr_file"]
    ours, floor = sub["ours"], sub["floor"]
    ratio = ours["compute_seconds"] / floor["compute_seconds"]
    peaks = [ours["peak_mib"], floor["peak_mib"], load["peak_mib"]] + ([demo["peak_mib"]] if "peak_mib" in demo else [])
    lines = [
        "## National scale", "",
        f"Generated and loaded {n['prepared']} (load average before {n['load_before'][0]:.2f}, after "
        f"{n['load_after'][0]:.2f}); the indicator subset measured {n['started']} (load average before "
        f"{n['subset_load_before'][0]:.2f}, after {n['subset_load_after'][0]:.2f}), with `{n['command']}`. "
        f"DuckDB memory limit {n['duckdb_memory_limit']} for the load, dbt and the floor.", "",
        f"The national demo: {c['residents']:,} residents configured ({load['residents_per_stock']:,.0f} per 1 January "
        f"stock on average), {c['municipalities'] * c['areas_per_municipality']:,} housing areas in "
        f"{c['municipalities']} municipalities, {c['first_year']}-{c['last_year']}; "
        f"{n['extract_gib']:.1f} GiB of CSV. Rows: "
        + ", ".join(f"{k} {v:,}" for k, v in load["rows"].items()) + ".", "",
        "| step | wall | peak memory |", "|---|---:|---:|",
        ("| generating the extracts (demo/national) | reused | – |" if demo.get("cached") else
         f"| generating the extracts (demo/national) | {s(demo['seconds'])} | {mib(demo['peak_mib'])} |"),
        f"| loading the raw tables (the bench's DuckDB bulk loader) | {s(load['seconds'])} | {mib(load['peak_mib'])} |",
        f"| the product's loader (pyarrow + pandera) on one CPR file, {probe['file']} "
        f"({'ok' if probe['ok'] else 'stopped after the time limit' if probe.get('timed_out') else 'FAILED'}) | "
        f"{'> ' if probe.get('timed_out') else ''}{s(probe['seconds'])} | {mib(probe['peak_mib'])} |",
        f"| dbt seed of the national area model | {s(n['seed_seconds'])} | – |", "",
        "### The indicator subset at national scale", "",
    ]
    lines += subset_table(sub) + [""]
    over = "more than " if ours["timed_out"] else ""
    lines += [
        "Targets:", "",
        f"- Indicator computation within 3× the DuckDB floor (dbt's fixed start-up of "
        f"{s(ours['overhead_seconds'])} reported separately): "
        f"{met(not ours['timed_out'] and ratio <= targets['national_vs_floor'])} — {over}"
        f"{ratio:.1f}× ({over}{s(ours['compute_seconds'])} against {s(floor['compute_seconds'])}).",
        f"- Peak memory ≤ 4 GiB: {met(max(peaks) <= targets['national_peak_mib'])} — the largest process tree of "
        f"the national steps above was {mib(max(peaks))}"
        + (f"; the product's own loader would need {mib(probe['peak_mib'])} for one CPR file" if probe["ok"] else "")
        + ".",
    ]
    if "pandas" in sub:
        p = sub["pandas"]["compute_seconds"] / ours["compute_seconds"]
        lines.append(f"- At least 10× faster than the pandas peer: {met(not ours['timed_out'] and p >= targets['pandas_vs_ours'])}"
                     f" — pandas takes {'less than ' if ours['timed_out'] else ''}{p:.1f}× ours "
                     f"({s(sub['pandas']['compute_seconds'])}); "
                     f"the floor is {sub['pandas']['compute_seconds'] / floor['compute_seconds']:.0f}× faster than pandas.")
    if "add_year" in n:
        a = n["add_year"]
        check = a["equals_floor"]
        lines += [
            "", "### Adding a year at national scale (ours)", "",
            f"The {a['year_added']} rows of the subset's sources and their delivery records are set aside and ours "
            f"brought up to date without them ({s(a['before_seconds'])}); then they come back and ours runs again "
            f"on the warehouse it built: **{s(a['compute_seconds'])}** of computing ({s(a['process_seconds'])} with "
            f"dbt's start-up), peak {mib(a['peak_mib'])}, = **{100 * a['share_of_full']:.0f} %** of ours from scratch "
            f"({s(ours['compute_seconds'])}). Its rows against the floor's on the whole warehouse: "
            f"{'equal' if not check else 'DIFFERENT: ' + '; '.join(check)}.", "",
            "Slowest models: " + ", ".join(f"`{m}` {s(t)}" for m, t in a["slowest_models"]) + ".",
        ]
    return lines + [""]
