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

It is written apart from the suppression code (exports/disclosure, run by the dbt Python model
quality.disclosure_decisions), which picks the hidden cells by Gaussian elimination; this solves
the published tables' relations per table and then both indicator tables together, with the
series that describe the same persons (linked_series). A blocking asset check
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
LANGUAGE_CATEGORIES = {"generel": "pct_generel", "fokuseret": "pct_fokuseret", "saerlig": "pct_saerlig"}


# ---------------------------------------------------------------- the attacker's algebra

def determined(unknowns: set, equations: list[list]) -> set:
    """The unknowns a system of additive relations fixes. Each equation is the list of its
    unknown members with their sign (+1 child, -1 parent); known members only shift the
    right-hand side, which does not change what is determined. Solved per connected block."""
    equations = [[(c, sign) for c, sign in eq if c in unknowns] for eq in equations]
    equations = [eq for eq in equations if eq]
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for eq in equations:
        for cell, _ in eq:
            parent[find(cell)] = find(eq[0][0])
    blocks = defaultdict(list)
    for eq in equations:
        blocks[find(eq[0][0])].append(eq)
    fixed = set()
    for block in blocks.values():
        order = sorted({c for eq in block for c, _ in eq}, key=repr)
        index = {cell: i for i, cell in enumerate(order)}
        matrix = np.zeros((len(block), len(order)))
        for row, eq in enumerate(block):
            for cell, sign in eq:
                matrix[row, index[cell]] += sign
        _, singular, vt = np.linalg.svd(matrix)
        rank = int((singular > 1e-9).sum())
        null_space = vt[rank:]
        fixed |= {cell for cell, i in index.items() if np.all(np.abs(null_space[:, i]) < 1e-9)}
    return fixed


def geography_equations(cells: set, group: tuple, geographies: pd.DataFrame, plan_areas: pd.DataFrame,
                        complete_only: bool = False) -> list:
    """Areas + all areas, and all areas + municipality without the areas = municipality, for
    one group (indicator and period, or year and category) of the cells that exist (a missing
    computed area has nobody in it; a figure another source did not publish is no 0, so
    complete_only keeps only relations with every area present)."""
    equations = []
    for plan, areas in plan_areas.groupby("plan_code")["area_code"]:
        total = (*group, f"{plan}_ALL")
        children = [(*group, a) for a in areas if (*group, a) in cells]
        if complete_only and len(children) < len(areas):
            continue
        if total in cells and children:
            equations.append([(c, 1) for c in children] + [(total, -1)])
        excl = geographies.loc[(geographies.geography_type == "municipality_excl_plan")
                               & (geographies.plan_code == plan), "geography_code"]
        parts = [(*group, g) for g in [f"{plan}_ALL", *excl]]
        for code in geographies.loc[geographies.geography_type == "municipality", "geography_code"]:
            municipality = (*group, code)
            if complete_only and not all(p in cells for p in parts):
                continue
            if municipality in cells and any(p in cells for p in parts):
                equations.append([(p, 1) for p in parts if p in cells] + [(municipality, -1)])
    return equations


# ---------------------------------------------------------------- area indicator table

def attack_area_indicator(export: pd.DataFrame, hidden: set, catalogue: pd.DataFrame,
                          geographies: pd.DataFrame, plan_areas: pd.DataFrame) -> set:
    """Hidden (indicator, period, geography) cells the attacker recovers from the table."""
    rows = export  # computed and republished cells alike: both are controlled
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
    # a flag that needs enough persons, on a hidden row, tells it is a secondary
    for cell in hidden:
        if by_key[cell].get("flag_implausible_change"):
            recovered.add(cell)
    unknowns, equations = area_equations(rows, hidden, geographies, plan_areas)
    return recovered | (determined(unknowns - recovered, equations) & hidden)


def area_equations(rows: pd.DataFrame, hidden: set, geographies, plan_areas) -> tuple[set, list]:
    """Unknowns (a hidden cell's numerator, and its n as ("n", cell)) and the relations across
    geographies and the years of a span, for the numerators and the n alike."""
    by_key = {k: r for k, r in zip(zip(rows.indicator_id, rows.period, rows.geography_code), rows.to_dict("records"))}
    cells = {k for k, r in by_key.items() if pd.notna(r["value"]) or k in hidden}
    published = set(rows.loc[rows.source_kind == "published", "indicator_id"])
    by_indicator = defaultdict(set)
    for cell in cells:
        by_indicator[cell[0]].add(cell)
    equations = []
    for indicator, own in by_indicator.items():
        if not hidden & own:
            continue
        own_equations = []
        for period in {c[1] for c in own}:
            own_equations += geography_equations(own, (indicator, period), geographies, plan_areas,
                                                 complete_only=indicator in published)
        for _, period, geo in own:
            span = SPAN.match(period)
            if span:
                years = [(indicator, str(y), geo) for y in range(int(span[1]), int(span[2]) + 1)]
                children = [y for y in years if y in own]
                if children:
                    own_equations.append([(c, 1) for c in children] + [((indicator, period, geo), -1)])
        equations += own_equations + [[(("n", c), sign) for c, sign in eq] for eq in own_equations]
    unknowns = set(hidden) | {("n", c) for c in hidden}
    return unknowns, equations


# ---------------------------------------------------------------- language table

def says_none_assessed(row: dict) -> bool:
    """The row says its 0 assessed, by its flag or its Danish note (either gives the 0 away)."""
    return bool(row["flag_none_assessed"]) or row["note_da"] == "Ingen vurderede"


def language_cells(export: pd.DataFrame) -> tuple[set, set]:
    """(all cells, the cells the table shows or states) as (year, category, geography)."""
    cells, known = set(), set()
    for row in export.to_dict("records"):
        year, geo = int(row["assessment_year"]), row["geography_code"]
        total = (year, "total", geo)
        cells.add(total)
        none_assessed = says_none_assessed(row)
        total_known = pd.notna(row["n_assessed"]) or none_assessed
        if total_known:
            known.add(total)
        for category, column in LANGUAGE_CATEGORIES.items():
            cells.add((year, category, geo))
            if total_known and (pd.notna(row[column]) or none_assessed):
                known.add((year, category, geo))
    return cells, known


def attack_language(export: pd.DataFrame, geographies, plan_areas, hidden: set | None = None) -> set:
    cells, known = language_cells(export)
    unknowns = cells - known if hidden is None else hidden
    return determined(unknowns, language_equations(cells, geographies, plan_areas))


def language_equations(cells: set, geographies, plan_areas) -> list:
    """generel + fokuseret + særlig = antal vurderede, and each of them across geographies."""
    equations = []
    for year in {c[0] for c in cells}:
        own = {c for c in cells if c[0] == year}
        for geo in {c[2] for c in own}:
            equations.append([((year, cat, geo), 1) for cat in LANGUAGE_CATEGORIES] + [((year, "total", geo), -1)])
        for category in [*LANGUAGE_CATEGORIES, "total"]:
            equations += geography_equations(own, (year, category), geographies, plan_areas)
    return equations


def linked_series(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Pairs of series the same persons lie behind, found where the marts agree on every common
    (geography, year) with at least three non-zero values: a count and the share of the same
    persons (placed children and their share), the share's n and a count of the population
    (children under 18), the language indicator and the language table. A series is
    ("num" | "n", indicator_id) or ("language", categories)."""
    series = defaultdict(dict)
    for indicator, geo, period, numerator, n in con.execute(
            "SELECT indicator_id, geography_code, period, coalesce(numerator, value), n "
            "FROM marts.mart_area_indicator WHERE value IS NOT NULL AND regexp_full_match(period, '\\d{4}')").fetchall():
        series[("num", indicator)][(geo, period)] = numerator
        if n is not None:
            series[("n", indicator)][(geo, period)] = float(n)
    language = con.execute("SELECT * FROM marts.mart_language_assessment").df()
    for parts in (("generel", "fokuseret", "saerlig"), ("fokuseret", "saerlig"), ("saerlig",), ("fokuseret",),
                  ("generel",)):
        for r in language.to_dict("records"):
            series[("language", parts)][(r["geography_code"], str(r["assessment_year"]))] = float(
                sum(r[f"n_{p}"] for p in parts))
    pairs = []
    names = list(series)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            common = series[a].keys() & series[b].keys()
            if sum(1 for k in common if series[a][k]) >= 3 and all(
                    abs(series[a][k] - series[b][k]) < 1e-6 for k in common):
                pairs.append((a, b))
    return pairs


def _series_terms(name: tuple, geo: str, year: str, sign: int) -> list:
    """The unknowns' names of a series in one geography and year (see area_equations and
    language_cells)."""
    kind, what = name
    if kind == "language":
        parts = ["total"] if len(what) == 3 else list(what)
        return [((int(year), p, geo), sign) for p in parts]
    cell = (what, year, geo)
    return [(cell if kind == "num" else ("n", cell), sign)]


def cross_table_equations(pairs: list, area_cells: set, language_cells_: set) -> list:
    """One equation per linked pair and geography-year where both sides exist."""
    keys = {(c[2], c[1]) for c in area_cells if re.fullmatch(r"\d{4}", c[1])} | {
        (c[2], str(c[0])) for c in language_cells_}
    exists = set(area_cells) | {("n", c) for c in area_cells} | set(language_cells_)
    equations = []
    for a, b in pairs:
        for geo, year in keys:
            terms = _series_terms(a, geo, year, 1) + _series_terms(b, geo, year, -1)
            if all(t in exists for t, _ in terms):
                equations.append(terms)
    return equations


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
        if any(pd.notna(row.get(c)) for c in (*POPULATION_FIGURES, "n_cohort")) or row["flag_effect"] \
                or row["assessment"] != "kan ikke vurderes":
            recovered.add(cell)
    cells = {k for k, r in by_key.items() if pd.notna(r["participants_value"]) or k in hidden}
    cohorts = defaultdict(dict)
    for cell in cells:
        cohorts[cell[:4]][cell[4]] = cell
    equations = [[(periods["before"], 1), (periods["change"], 1), (periods["after"], -1)]
                 for periods in cohorts.values() if {"before", "change", "after"} <= periods.keys()]
    return recovered | determined(hidden - recovered, equations)


_AUDITED = ("publication.export_area_indicator", "publication.export_language_assessment",
            "publication.export_population_indicator", "quality.disclosure_language_assessment")
_last: dict = {}


def audit(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Recovered hidden cells per export relation (empty lists when disclosure control holds).
    The refresh runs one check per table on the same tables: the result is kept for tables
    whose contents have not changed (a hash of every row)."""
    fingerprint = tuple(con.execute(f"SELECT sum(hash(t)) FROM {name} AS t").fetchone()[0] for name in _AUDITED)
    if fingerprint not in _last:
        _last.clear()
        _last[fingerprint] = _audit(con)
    return _last[fingerprint]


def _audit(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    read = lambda sql: con.execute(sql).df()  # noqa: E731
    geographies = read("SELECT * FROM reference.geographies")
    plan_areas = read("SELECT * FROM reference.plan_areas")
    catalogue = read("SELECT indicator_id, target_reference_geography FROM intermediate.int_catalogue__indicators")
    area = read("SELECT * FROM publication.export_area_indicator")
    hidden = set(zip(*(area[area.flag_disclosure_suppressed][c] for c in ("indicator_id", "period", "geography_code"))))
    language = read("SELECT * FROM publication.export_language_assessment")
    population = read("SELECT * FROM publication.export_population_indicator")
    area_found = attack_area_indicator(area, hidden, catalogue, geographies, plan_areas)
    language_found = attack_language(language, geographies, plan_areas)
    # 'nobody assessed' flagged on a row whose number assessed is hidden gives the 0 back
    hidden_totals = set(con.execute("SELECT assessment_year, geography_code FROM quality.disclosure_language_assessment "
                                    "WHERE category = 'total' AND is_suppressed").fetchall())
    for r in language.to_dict("records"):
        if says_none_assessed(r) and (int(r["assessment_year"]), r["geography_code"]) in hidden_totals:
            language_found.add((int(r["assessment_year"]), "total", r["geography_code"]))
    # all relations of both tables at once, with the series linking them
    computed = area
    area_unknowns, area_eqs = area_equations(computed, hidden, geographies, plan_areas)
    cells = {k for k, v in zip(zip(computed.indicator_id, computed.period, computed.geography_code), computed.value)
             if pd.notna(v) or k in hidden}
    l_cells, l_known = language_cells(language)
    together = determined(area_unknowns | (l_cells - l_known), area_eqs + language_equations(
        l_cells, geographies, plan_areas) + cross_table_equations(linked_series(con), cells, l_cells))
    area_found |= {c for c in together if c in hidden}
    language_found |= {c for c in together if c in l_cells}
    return {
        "export_area_indicator": sorted(area_found, key=repr),
        "export_language_assessment": sorted(language_found, key=repr),
        "export_population_indicator": sorted(attack_population(population), key=repr),
    }
