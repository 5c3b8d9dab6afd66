"""A second attacker, written apart from the suppression code (exports/disclosure) and from the
project's audit: it reads ONLY the published Parquet files of an exports folder and infers every
relation it can from them:

* geography: in each indicator's rows, the areas of its plan add up to the plan's total, and
  the plan's total plus the municipality without its areas make the municipality;
* years and spans: a span's value is the average of its years' values, its n their sum;
* the same persons in two series: an indicator's count (value x n) equal, wherever both are
  shown, to another indicator's count or n, or to a count of the language table;
* the language table: generel + fokuseret + særlig = antal vurderede;
* a cohort's before + change = after in the population table;
* zeros: a shown total of 0 makes each of its (non-negative) parts 0.

Unknowns are the hidden rows' figures; a hidden figure is recovered when the linear system fixes
it (its column is outside the span of the other columns' null space) and the attack returns
the value it finds. It also lists shown cells with 1-2 persons behind them."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

LINKS: list = []  # the pairs of series the last attack equated, for a reader of a failing test
RATE_FACTOR = {"pct": 100.0, "per_100": 100.0, "per_1000": 1000.0}
CATEGORIES = ("pct_generel", "pct_fokuseret", "pct_saerlig")
YEARS = re.compile(r"^(\d{4})-(\d{4})$")
# public knowledge from the published outcome definitions: a mean of percentages (absence) is
# no share of persons, so its value times n counts nobody
MEAN_OUTCOMES = set(pd.read_csv(Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "activities_outcomes.csv")
                    .query("value_kind == 'mean'").outcome_kind)


class System:
    """Sparse linear equations over named unknowns, with known values folded into the right side."""

    def __init__(self):
        self.known: dict = {}
        self.unknown: set = set()
        self.equations: list[tuple[dict, float]] = []

    def equation(self, terms: dict) -> None:
        """sum(coefficient x variable) = 0; a variable is known, unknown, or absent (then the
        equation is dropped: the attacker cannot use it)."""
        lhs, rhs = {}, 0.0
        for var, coefficient in terms.items():
            if var in self.known:
                rhs -= coefficient * self.known[var]
            elif var in self.unknown:
                lhs[var] = lhs.get(var, 0.0) + coefficient
            else:
                return
        if lhs:
            self.equations.append((lhs, rhs))

    def solve(self) -> dict:
        """The unknowns the equations fix, with their values, one connected block at a time."""
        parent: dict = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for lhs, _ in self.equations:
            first = next(iter(lhs))
            for v in lhs:
                parent[find(v)] = find(first)
        blocks = defaultdict(list)
        for equation in self.equations:
            blocks[find(next(iter(equation[0])))].append(equation)
        found = {}
        for equations in blocks.values():
            found.update(_solve_block(equations))
        return found


def _solve_block(equations: list) -> dict:
    names = sorted({v for lhs, _ in equations for v in lhs}, key=repr)
    col = {v: i for i, v in enumerate(names)}
    a = np.zeros((len(equations), len(names)))
    b = np.zeros(len(equations))
    for i, (lhs, rhs) in enumerate(equations):
        for v, c in lhs.items():
            a[i, col[v]] += c
        b[i] = rhs
    scale = np.maximum(np.abs(a).max(axis=1), 1e-300)
    a, b = a / scale[:, None], b / scale
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((s > 1e-9 * s.max()).sum()) if len(s) else 0
    null = vt[rank:]
    solution = np.linalg.lstsq(a, b, rcond=None)[0]
    fixed = np.all(np.abs(null) < 1e-7, axis=0) if len(null) else np.ones(len(names), bool)
    return {v: solution[col[v]] for v in names if fixed[col[v]]}


def _plans(area: pd.DataFrame) -> dict:
    """The sums the published n show: for each total, the subset of areas whose shown n add up
    to it most often, and each total + municipality-without-areas = municipality that holds
    wherever all three are shown (a plan's rows also hold other plans' areas and totals)."""
    shown = area[area.n.notna() & ~area.flag_disclosure_suppressed]
    wide = shown.pivot_table(index=["indicator_id", "period"], columns="geography_code", values="n", aggfunc="first")
    kinds = area.groupby("geography_type")["geography_code"].apply(lambda s: sorted(set(s))).to_dict()
    areas = [a for a in kinds.get("area", []) if a in wide]

    def holds(parts: list, total: str) -> int:
        complete = wide[parts + [total]].notna().all(axis=1)
        if complete.sum() == 0:
            return 0
        diff = (wide.loc[complete, parts].sum(axis=1) - wide.loc[complete, total]).abs()
        return -1 if (diff > 1e-6).any() else int(complete.sum())

    sums = []
    for total in kinds.get("plan_total", []):
        if total not in wide:
            continue
        best, score = None, 0
        for size in range(1, len(areas) + 1):
            for subset in combinations(areas, size):
                hits = holds(list(subset), total)
                if hits >= score and hits > 0:  # ties: the bigger subset (an area of 0 fits both)
                    best, score = list(subset), hits
        if best:
            sums.append((total, best))
    splits = []
    for total, _ in sums:
        for excl in kinds.get("municipality_excl_plan", []):
            for municipality in kinds.get("municipality", []):
                if excl in wide and municipality in wide and holds([total, excl], municipality) > 0:
                    splits.append((total, excl, municipality))
    return {"sums": sums, "splits": splits}


def attack(folder: Path) -> dict:
    """Hidden figures the published files fix: {(table, key..., figure): value}."""
    area = pd.read_parquet(folder / "export_area_indicator.parquet")
    language = pd.read_parquet(folder / "export_language_assessment.parquet")
    population = pd.read_parquet(folder / "export_population_indicator.parquet")
    system = System()
    series = defaultdict(dict)  # name -> {(geography, year): count}, for linking equal series

    # ---- area table: per cell, its count c (value x n / factor, or the value for a count),
    # its n and its value v, linked by c = v x n / factor when n is known
    hidden_area = []
    for r in area.itertuples():
        key = ("area", r.indicator_id, r.geography_code, r.period)
        factor = RATE_FACTOR.get(r.unit)
        if r.flag_disclosure_suppressed:
            hidden_area.append((key, r.unit))
            system.unknown |= {(*key, "value"), (*key, "n"), (*key, "count")}
        elif pd.notna(r.value):
            system.known[(*key, "value")] = r.value
            if pd.notna(r.n):
                system.known[(*key, "n")] = r.n
            count = r.value if r.unit == "count" else (r.value * r.n / factor if factor and pd.notna(r.n) else None)
            if count is not None:
                system.known[(*key, "count")] = count
                if not YEARS.match(r.period):
                    series[("count", r.indicator_id)][(r.geography_code, r.period)] = round(count, 6)
            if pd.notna(r.n) and not YEARS.match(r.period):
                series[("n", r.indicator_id)][(r.geography_code, r.period)] = float(r.n)
    for key, unit in hidden_area:
        if unit == "count":
            system.equation({(*key, "count"): 1.0, (*key, "value"): -1.0})
    plans = _plans(area)
    rows_present = set(zip(area.indicator_id, area.geography_code, area.period))
    by_indicator = {i: rows for i, rows in area.groupby("indicator_id")}
    for indicator, rows in by_indicator.items():
        computed = (rows.source_kind == "computed").all()
        for period in rows.period.unique():
            for figure in ("count", "n"):
                v = lambda g, i=indicator, p=period, f=figure: ("area", i, g, p, f)  # noqa: E731
                for total, parts in plans["sums"]:
                    # an area without a computed row has nobody in it: 0
                    for a in parts:
                        if computed and (indicator, a, period) not in rows_present and not YEARS.match(period):
                            system.known[v(a)] = 0.0
                    system.equation({**{v(a): 1.0 for a in parts}, v(total): -1.0})
                for total, excl, m in plans["splits"]:
                    system.equation({v(total): 1.0, v(excl): 1.0, v(m): -1.0})
        # spans: value = average of the years' values, n = their sum
        for r in rows[rows.period.str.match(YEARS.pattern)].itertuples():
            start, end = map(int, YEARS.match(r.period).groups())
            years = [str(y) for y in range(start, end + 1)]
            present = [y for y in years if ("area", indicator, r.geography_code, y, "value") in system.known
                       or ("area", indicator, r.geography_code, y, "value") in system.unknown]
            if present:
                system.equation({**{("area", indicator, r.geography_code, y, "value"): 1.0 for y in present},
                                 ("area", indicator, r.geography_code, r.period, "value"): -float(len(present))})
                system.equation({**{("area", indicator, r.geography_code, y, "n"): 1.0 for y in present},
                                 ("area", indicator, r.geography_code, r.period, "n"): -1.0})

    # ---- language table: counts from the shares and the number assessed
    for r in language.itertuples():
        year, g = str(r.assessment_year), r.geography_code
        total = ("language", g, year, "total")
        parts = [("language", g, year, c) for c in CATEGORIES]
        # the flag and the Danish note both say "nobody assessed": either gives the 0
        none = bool(r.flag_none_assessed) or r.note_da == "Ingen vurderede"
        if pd.notna(r.n_assessed) or none:
            n = 0.0 if none else float(r.n_assessed)
            system.known[total] = n
            series[("language", "total")][(g, year)] = n
        else:
            system.unknown.add(total)
        for part, column in zip(parts, (r.pct_generel, r.pct_fokuseret, r.pct_saerlig)):
            if total in system.known and (pd.notna(column) or none):
                system.known[part] = 0.0 if none else round(column * system.known[total] / 100)
            else:
                system.unknown.add(part)
        system.equation({**{p: 1.0 for p in parts}, total: -1.0})
        for size in (1, 2):
            for chosen in combinations(range(3), size):
                if all(parts[i] in system.known for i in chosen):
                    series[("language", chosen)][(g, year)] = sum(system.known[parts[i]] for i in chosen)
    for year in language.assessment_year.astype(str).unique():
        for column in ("total", *CATEGORIES):
            v = lambda g, y=year, c=column: ("language", g, y, c)  # noqa: E731
            for total, parts in plans["sums"]:
                system.equation({**{v(a): 1.0 for a in parts}, v(total): -1.0})
            for total, excl, m in plans["splits"]:
                system.equation({v(total): 1.0, v(excl): 1.0, v(m): -1.0})

    # ---- two series equal wherever both are shown describe the same persons: equate them
    # everywhere, hidden cells included
    variable = {("count", i): lambda g, p, i=i: ("area", i, g, p, "count") for _, i in series if _ == "count"}
    variable.update({("n", i): lambda g, p, i=i: ("area", i, g, p, "n") for _, i in series if _ == "n"})
    variable[("language", "total")] = lambda g, p: ("language", g, p, "total")
    names = list(series)
    LINKS.clear()
    keys = area_keys(area) | {(g, str(y)) for g, y in zip(language.geography_code, language.assessment_year)}
    for a, b in combinations(names, 2):
        common = series[a].keys() & series[b].keys()
        if sum(1 for k in common if series[a][k]) < 3 or any(abs(series[a][k] - series[b][k]) > 1e-6 for k in common):
            continue
        LINKS.append((a, b))
        for g, p in keys:
            system.equation({**_terms(a, g, p, variable, 1.0), **_terms(b, g, p, variable, -1.0)})

    # ---- population table: per cohort before + change = after
    cohort = ["plan_code", "activity_code", "cohort_year", "outcome_kind"]
    for r in population.itertuples():
        key = ("population", r.plan_code, r.activity_code, r.cohort_year, r.outcome_kind, r.period_kind, "value")
        if r.flag_disclosure_suppressed:
            system.unknown.add(key)
        elif pd.notna(r.participants_value):
            system.known[key] = r.participants_value
    for k, rows in population.groupby(cohort):
        if {"before", "change", "after"} <= set(rows.period_kind):
            v = lambda p, k=k: ("population", *k, p, "value")  # noqa: E731
            system.equation({v("before"): 1.0, v("change"): 1.0, v("after"): -1.0})

    # ---- zeros: a shown total of 0 over non-negative parts makes each part 0
    for lhs, rhs in list(system.equations):
        coefficients = list(lhs.values())
        if abs(rhs) < 1e-9 and (all(c > 0 for c in coefficients) or all(c < 0 for c in coefficients)):
            if all(v[0] in ("area", "language") and v[-1] in ("count", "n", "total", *CATEGORIES) for v in lhs):
                for v in lhs:
                    system.equations.append(({v: 1.0}, 0.0))
    recovered = system.solve()
    # a share's value from its count and n, once both are fixed
    for key, unit in hidden_area:
        count, n = recovered.get((*key, "count")), recovered.get((*key, "n"))
        if unit in RATE_FACTOR and count is not None and n and (*key, "value") not in recovered:
            recovered[(*key, "value")] = count * RATE_FACTOR[unit] / n
    # a hidden row counts as recovered when its value (or a count it shows) is fixed
    return {v: x for v, x in recovered.items() if v[-1] in ("value", "total", *CATEGORIES)
            or (v[0] == "area" and v[-1] == "count")}


def area_keys(area: pd.DataFrame) -> set:
    return {(g, p) for g, p in zip(area.geography_code, area.period) if not YEARS.match(p)}


def _terms(name, g, p, variable, sign) -> dict:
    if name[0] == "language" and name[1] != "total":
        return {("language", g, p, CATEGORIES[i]): sign for i in name[1]}
    return {variable[name](g, p): sign}


def small_counts(folder: Path, threshold: int = 3) -> list:
    """Shown cells with 1 to threshold-1 persons behind them, as a reader computes them."""
    small = lambda x: pd.notna(x) and 0.5 <= x < threshold - 0.5  # noqa: E731
    # a share times its n reads as persons only when it gives a whole number back
    persons = lambda x: x is not None and pd.notna(x) and abs(x - round(x)) < 0.01 and small(x)  # noqa: E731
    found = []
    area = pd.read_parquet(folder / "export_area_indicator.parquet")
    for r in area[~area.flag_disclosure_suppressed & area.value.notna()].itertuples():
        factor = RATE_FACTOR.get(r.unit)
        count = r.value if r.unit == "count" else (r.value * r.n / factor if factor and pd.notna(r.n) else None)
        if small(r.n) or (r.unit == "count" and small(count)) or (
                factor and count is not None and (persons(count) or persons(r.n - count))):
            found.append(("area", r.indicator_id, r.geography_code, r.period))
    language = pd.read_parquet(folder / "export_language_assessment.parquet")
    for r in language.itertuples():
        n = r.n_assessed
        counts = [c * n / 100 for c in (r.pct_generel, r.pct_fokuseret, r.pct_saerlig) if pd.notna(c) and pd.notna(n)]
        if small(n) or any(persons(round(c, 2)) for c in counts):
            found.append(("language", r.geography_code, r.assessment_year))
    population = pd.read_parquet(folder / "export_population_indicator.parquet")
    for r in population.itertuples():
        share = r.unit in RATE_FACTOR and r.period_kind != "change" and r.outcome_kind not in MEAN_OUTCOMES
        participants = r.participants_value * r.n_participants / 100 if share else None
        comparison = r.comparison_value * r.n_comparison / 100 if share else None
        if any(small(x) for x in (r.n_cohort, r.n_participants, r.n_comparison)) or (share and any(
                persons(x) for x in (participants, comparison,
                                   r.n_participants - participants if participants is not None else None,
                                   r.n_comparison - comparison if comparison is not None else None))):
            found.append(("population", r.plan_code, r.activity_code, r.cohort_year, r.outcome_kind, r.period_kind))
    return found
