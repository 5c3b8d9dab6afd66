"""The attacker, as code the refresh runs: with nothing but the published tables and public
knowledge (which areas make up a plan, which years make up a span, the plan's targets), which
hidden cells can be recovered?

The attacker is stronger than a real reader: it is assumed to know every denominator, so every
relation is linear in the hidden numerators, and a hidden cell counts as recovered when the
published figures fix it, i.e. its unit vector lies in the row space of the system of relations
(areas = all areas, all areas + municipality without the areas = municipality, nested plans,
the years of a span = the span, generel + fokuseret + særlig = antal vurderede, a cohort's
before + change = after). Direct leaks are tried first: an interval, an n or a value left on a hidden row, a baseline or a change since
baseline, or a target computed from a hidden cell.

This is independent of the dbt macros that decide what to hide (macros/disclosure.sql): those
apply rules relation by relation; this solves all relations at once. A blocking asset check
(orchestration/checks.py) runs it before anything is published, and
tests/test_disclosure_attacker.py shows it finds cells when only primary suppression is applied.
"""

from __future__ import annotations

import re
from collections import defaultdict

import duckdb
import numpy as np
import pandas as pd

SPAN = re.compile(r"^(\d{4})-(\d{4})$")
LANGUAGE_CATEGORIES = {"generel": "Generel indsats (%)", "fokuseret": "Fokuseret indsats (%)",
                       "saerlig": "Særlig indsats (%)"}


# ---------------------------------------------------------------- the attacker's algebra

def determined(unknowns: set, equations: list[list]) -> set:
    """The unknowns a system of additive relations fixes. Each equation is the list of its
    unknown members with their sign (+1 child, -1 parent); known members only shift the
    right-hand side, which does not change what is determined."""
    equations = [eq for eq in equations if any(cell in unknowns for cell, _ in eq)]
    if not equations:
        return set()
    order = sorted(unknowns)
    index = {cell: i for i, cell in enumerate(order)}
    matrix = np.zeros((len(equations), len(order)))
    for row, eq in enumerate(equations):
        for cell, sign in eq:
            if cell in index:
                matrix[row, index[cell]] += sign
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:]
    return {cell for cell, i in index.items() if np.all(np.abs(null_space[:, i]) < 1e-9)}


def geography_equations(cells: set, group: tuple, geographies: pd.DataFrame, plan_areas: pd.DataFrame) -> list:
    """Areas + all areas, and all areas + municipality without the areas = municipality, for
    one group (indicator and period, or year and category) of the cells that exist."""
    equations = []
    for plan, areas in plan_areas.groupby("plan_code")["area_code"]:
        total = (*group, f"{plan}_ALL")
        children = [(*group, a) for a in areas if (*group, a) in cells]
        if total in cells and children:
            equations.append([(c, 1) for c in children] + [(total, -1)])
        excl = geographies.loc[(geographies.geography_type == "municipality_excl_plan")
                               & (geographies.plan_code == plan), "geography_code"]
        parts = [(*group, g) for g in [f"{plan}_ALL", *excl]]
        municipality = (*group, "RANDERS")
        if municipality in cells and any(p in cells for p in parts):
            equations.append([(p, 1) for p in parts if p in cells] + [(municipality, -1)])
    return equations


# ---------------------------------------------------------------- area indicator table

def attack_area_indicator(export: pd.DataFrame, hidden: set, catalogue: pd.DataFrame,
                          geographies: pd.DataFrame, plan_areas: pd.DataFrame) -> set:
    """Hidden (indicator, period, geography) cells the attacker recovers from the table."""
    rows = export[export.source_kind == "computed"]
    key = list(zip(rows.indicator_id, rows.period, rows.geography_code))
    by_key = dict(zip(key, rows.to_dict("records")))
    recovered = set()
    reference_geo = dict(zip(catalogue.indicator_id, catalogue.target_reference_geography))
    # direct leaks on the hidden row itself
    for cell in hidden:
        row = by_key[cell]
        if any(pd.notna(row[c]) for c in ("value", "ci_low", "ci_high", "n")):
            recovered.add(cell)
    # baseline, change since baseline and targets on every row of the series
    for row in rows.to_dict("records"):
        base = (row["indicator_id"], row["baseline_period"], row["geography_code"])
        if base in hidden:
            if pd.notna(row["baseline_value"]):
                recovered.add(base)
            if pd.notna(row["value"]) and pd.notna(row["change_since_baseline"]):
                recovered.add(base)
            if row["target_kind"] in ("reduce_by_fraction", "decreasing", "increasing") and pd.notna(row["target_value"]):
                recovered.add(base)
        ref = (row["indicator_id"], row["period"], reference_geo.get(row["indicator_id"]))
        if row["target_kind"] == "reference_level" and ref in hidden and pd.notna(row["target_value"]):
            recovered.add(ref)
    # subtraction across geographies and across the years of a span, per indicator
    cells = {k for k, r in by_key.items() if pd.notna(r["value"]) or k in hidden}
    by_indicator = defaultdict(set)
    for cell in cells:
        by_indicator[cell[0]].add(cell)
    for indicator, own in by_indicator.items():
        unknowns = (hidden & own) - recovered
        if not unknowns:
            continue
        equations = []
        for period in {c[1] for c in own}:
            equations += geography_equations(own, (indicator, period), geographies, plan_areas)
        for _, period, geo in own:
            span = SPAN.match(period)
            if span:
                years = [(indicator, str(y), geo) for y in range(int(span[1]), int(span[2]) + 1)]
                children = [y for y in years if y in own]
                if children:
                    equations.append([(c, 1) for c in children] + [((indicator, period, geo), -1)])
        recovered |= determined(unknowns, equations)
    return recovered


# ---------------------------------------------------------------- language table

def language_cells(export: pd.DataFrame) -> tuple[set, set]:
    """(all cells, the cells the table shows or states) as (year, category, geography)."""
    cells, known = set(), set()
    for row in export.to_dict("records"):
        year, geo = int(row["År"]), row["geography_code"]
        total = (year, "total", geo)
        cells.add(total)
        total_known = pd.notna(row["Antal vurderede"]) or row["Note"] == "Ingen vurderede"
        if total_known:
            known.add(total)
        for category, column in LANGUAGE_CATEGORIES.items():
            cells.add((year, category, geo))
            if total_known and (pd.notna(row[column]) or row["Note"] == "Ingen vurderede"):
                known.add((year, category, geo))
    return cells, known


def attack_language(export: pd.DataFrame, geographies, plan_areas, hidden: set | None = None) -> set:
    cells, known = language_cells(export)
    unknowns = cells - known if hidden is None else hidden
    recovered = set()
    for year in {c[0] for c in cells}:
        own = {c for c in cells if c[0] == year}
        equations = []
        for geo in {c[2] for c in own}:
            equations.append([((year, cat, geo), 1) for cat in LANGUAGE_CATEGORIES] + [((year, "total", geo), -1)])
        for category in [*LANGUAGE_CATEGORIES, "total"]:
            equations += geography_equations(own, (year, category), geographies, plan_areas)
        recovered |= determined(unknowns & own, equations)
    return recovered


# ---------------------------------------------------------------- population table

POPULATION_KEY = ["plan_code", "activity_code", "cohort_year", "outcome_kind", "period_kind"]
POPULATION_FIGURES = ["n_participants", "participants_value", "comparison_value", "difference", "ci_low", "ci_high"]


def population_hidden(export: pd.DataFrame) -> set:
    rows = export[export.flag_disclosure_suppressed]
    return set(zip(*(rows[c] for c in POPULATION_KEY)))


def attack_population(export: pd.DataFrame, hidden: set | None = None) -> set:
    """Hidden (plan, activity, cohort, outcome, period) rows the attacker recovers: a figure left
    on a hidden row, an effect or assessment that gives its difference away, or subtraction
    within a cohort (before + change = after, taken as exact, as if the same persons were
    measured in every period)."""
    hidden = population_hidden(export) if hidden is None else hidden
    by_key = {tuple(r[c] for c in POPULATION_KEY): r for r in export.to_dict("records")}
    recovered = set()
    for cell in hidden:
        row = by_key[cell]
        if any(pd.notna(row[c]) for c in POPULATION_FIGURES) or row["flag_effect"] \
                or row["assessment"] != "kan ikke vurderes":
            recovered.add(cell)
    cells = {k for k, r in by_key.items() if pd.notna(r["participants_value"]) or k in hidden}
    cohorts = defaultdict(dict)
    for cell in cells:
        cohorts[cell[:4]][cell[4]] = cell
    equations = [[(periods["before"], 1), (periods["change"], 1), (periods["after"], -1)]
                 for periods in cohorts.values() if {"before", "change", "after"} <= periods.keys()]
    return recovered | determined(hidden - recovered, equations)


def audit(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Recovered hidden cells per export relation (empty lists when disclosure control holds)."""
    read = lambda sql: con.execute(sql).df()  # noqa: E731
    geographies = read("SELECT * FROM reference.geographies")
    plan_areas = read("SELECT * FROM reference.plan_areas")
    catalogue = read("SELECT indicator_id, target_reference_geography FROM intermediate.int_catalogue__indicators")
    area = read("SELECT * FROM exports.export_area_indicator")
    hidden = set(zip(*(area[area.flag_disclosure_suppressed][c] for c in ("indicator_id", "period", "geography_code"))))
    language = read("SELECT * FROM exports.export_language_assessment")
    population = read("SELECT * FROM exports.export_population_indicator")
    return {
        "export_area_indicator": sorted(attack_area_indicator(area, hidden, catalogue, geographies, plan_areas)),
        "export_language_assessment": sorted(attack_language(language, geographies, plan_areas)),
        "export_population_indicator": sorted(attack_population(population)),
    }
