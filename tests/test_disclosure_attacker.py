"""The attacker: with nothing but the published tables and public knowledge (which areas make
up a plan, which years make up a span, the plan's targets), try to recover every hidden cell.

The attacker is stronger than a real reader: it is assumed to know every denominator, so every
relation is linear in the hidden numerators, and a hidden cell counts as recovered when the
published figures fix it — the cell's unit vector lies in the row space of the system of
relations (areas = all areas, all areas + municipality without the areas = municipality, the
years of a span = the span, generel + fokuseret + særlig = antal vurderede). Direct leaks are
tried first: an interval, an n or a value left on a hidden row, a baseline or a change since
baseline, or a target computed from a hidden cell. The same attacker, run against primary
suppression only, does recover cells, so the test can fail.
"""

from __future__ import annotations

import re
from collections import defaultdict

import duckdb
import numpy as np
import pandas as pd
import pytest

from ingestion.contract import PERSON_KEY_PATTERN

THRESHOLD = 3
SPAN = re.compile(r"^(\d{4})-(\d{4})$")
YEAR = re.compile(r"^\d{4}$")
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


# ---------------------------------------------------------------- fixtures and tests

@pytest.fixture(scope="module")
def tables(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        return {
            "area": con.execute("SELECT * FROM exports.export_area_indicator").df(),
            "language": con.execute("SELECT * FROM exports.export_language_assessment").df(),
            "area_disclosure": con.execute("SELECT * FROM quality.disclosure_area_indicator").df(),
            "language_disclosure": con.execute("SELECT * FROM quality.disclosure_language_assessment").df(),
            "mart": con.execute("SELECT indicator_id, period, geography_code, unit, numerator, denominator, n "
                                "FROM marts.mart_area_indicator WHERE source_kind = 'computed'").df(),
            "catalogue": con.execute("SELECT indicator_id, target_reference_geography "
                                     "FROM intermediate.int_catalogue__indicators").df(),
            "geographies": con.execute("SELECT * FROM reference.geographies").df(),
            "plan_areas": con.execute("SELECT * FROM reference.plan_areas").df(),
            "exports": {name: con.execute(f'SELECT * FROM exports."{name}"').df() for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'exports'").fetchall()},
        }
    finally:
        con.close()


def _hidden_area_cells(area: pd.DataFrame) -> set:
    rows = area[area.flag_disclosure_suppressed]
    return set(zip(rows.indicator_id, rows.period, rows.geography_code))


def test_attacker_recovers_no_hidden_cell_of_the_indicator_table(tables):
    hidden = _hidden_area_cells(tables["area"])
    assert len(hidden) > 100  # the small demo has plenty of small cells to protect
    recovered = attack_area_indicator(tables["area"], hidden, tables["catalogue"], tables["geographies"],
                                      tables["plan_areas"])
    print(f"\narea indicators: {len(hidden)} hidden cells, {len(recovered)} recovered")
    assert sorted(recovered)[:10] == [] and len(recovered) == 0


def test_attacker_recovers_no_hidden_cell_of_the_language_table(tables):
    cells, known = language_cells(tables["language"])
    recovered = attack_language(tables["language"], tables["geographies"], tables["plan_areas"])
    print(f"\nlanguage: {len(cells - known)} hidden cells, {len(recovered)} recovered")
    assert cells - known and recovered == set()


def test_with_primary_suppression_only_the_attacker_recovers_cells(tables):
    """The attacker is not toothless: hide only the primary cells and it gets cells back, by
    subtraction across geographies, spans and categories, and by hand for one of them."""
    disclosure = tables["area_disclosure"]
    primary = disclosure[disclosure.is_primary]
    primary_only = set(zip(primary.indicator_id, primary.period, primary.geography_code))
    area = tables["area"].copy()
    # the table as it would look with primary suppression alone: secondary cells visible again
    secondary = disclosure[disclosure.is_secondary]
    shown = set(zip(secondary.indicator_id, secondary.period, secondary.geography_code))
    is_shown = [k in shown for k in zip(area.indicator_id, area.period, area.geography_code)]
    area.loc[is_shown, "value"] = 1.0
    area.loc[is_shown, "flag_disclosure_suppressed"] = False
    recovered = attack_area_indicator(area, primary_only, tables["catalogue"], tables["geographies"],
                                      tables["plan_areas"])
    assert len(recovered) > 0

    language = tables["language_disclosure"]
    lp = language[language.is_primary]
    hidden = set(zip(lp.assessment_year, lp.category, lp.geography_code))
    assert len(attack_language(tables["language"], tables["geographies"], tables["plan_areas"], hidden)) > 0

    # by hand: a plan's areas against its total, where exactly one area is hidden, gives the
    # hidden numerator back as total - the others, and it is the true one
    mart = tables["mart"].set_index(["indicator_id", "period", "geography_code"])
    areas = tables["plan_areas"][tables["plan_areas"].plan_code == "HP2025"].area_code.tolist()
    hits = 0
    for (indicator, period, geo) in sorted(primary_only):
        if geo not in areas:
            continue
        members = [(indicator, period, a) for a in areas]
        total = (indicator, period, "HP2025_ALL")
        if total not in mart.index or any(m not in mart.index for m in members):
            continue
        if sum(m in primary_only for m in members) != 1 or total in primary_only:
            continue
        numerators = mart.loc[members + [total], "numerator"]
        if numerators.isna().any():
            continue
        guess = mart.loc[total, "numerator"] - sum(mart.loc[m, "numerator"] for m in members if m != (indicator, period, geo))
        hits += int(abs(guess - mart.loc[(indicator, period, geo), "numerator"]) < 1e-6)
    assert hits > 0


def test_unit_level_primary_only_leaks_and_secondary_does_not():
    """The algebra on a table small enough to check by eye: areas A, B, C add up to T; A has 2
    persons. With A hidden alone, T - B - C gives it back; hiding the smallest other area too
    leaves A undetermined."""
    equations = [[("A", 1), ("B", 1), ("C", 1), ("T", -1)]]
    assert determined({"A"}, equations) == {"A"}
    assert determined({"A", "B"}, equations) == set()
    # and a chain: T + E = M with T hidden alone gives T back, and then A
    chain = equations + [[("T", 1), ("E", 1), ("M", -1)]]
    assert determined({"A", "B", "T"}, chain) == {"T"}


def test_no_person_level_rows_and_no_cells_under_the_threshold(tables):
    person_key = re.compile(PERSON_KEY_PATTERN)
    for name, frame in tables["exports"].items():
        assert not [c for c in frame.columns if re.search(r"pnr|cpr|person|pseudo", c, re.IGNORECASE)], name
        for column in frame.select_dtypes(include=["object", "string"]).columns:
            assert not frame[column].dropna().astype(str).str.fullmatch(person_key).any(), (name, column)
    area = tables["area"]
    computed = area[area.source_kind == "computed"]
    assert (computed.n.dropna() >= THRESHOLD).all()
    mart = tables["mart"].set_index(["indicator_id", "period", "geography_code"])
    shown = computed[computed.value.notna()]
    keys = list(zip(shown.indicator_id, shown.period, shown.geography_code))
    truth = mart.loc[keys]
    small = truth.n.between(1, THRESHOLD - 1) | (
        (truth.unit != "mean") & truth.numerator.between(0.5, THRESHOLD - 0.5)
        & truth.unit.isin(["count", "pct"]))
    assert not small.any(), truth[small.to_numpy()].head()
    language = tables["language"]
    assert (language["Antal vurderede"].dropna() >= THRESHOLD).all()
    for column in LANGUAGE_CATEGORIES.values():
        counts = (language[column] * language["Antal vurderede"] / 100).round()
        assert not counts.between(1, THRESHOLD - 1).any(), column
