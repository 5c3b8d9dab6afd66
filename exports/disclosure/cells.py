"""The published tables as suppression cells over one system of inner cells
(docs/disclosure-control.md): primary suppression on the persons behind every cell, and the
figures each cell shows as linear combinations of (quantity, leaf geography, year) pieces, so
that every relation between published figures (areas and totals, years and spans, a count and
the share of the same persons, the language indicator and the language table, a cohort's
before, change and after) is in one system, solved together by exports.disclosure.gauss."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

import pandas as pd

from exports.disclosure.gauss import Cell

SPAN = re.compile(r"^(\d{4})-(\d{4})$")
REST = "(resten af kommunen)"
GEO_RANK = {"municipality": 0, "national": 0, "region": 0, "plan_total": 1, "municipality_excl_plan": 2, "area": 3}
LANGUAGE = ("generel", "fokuseret", "saerlig")


def _small(count, threshold: int) -> bool:
    return count is not None and not pd.isna(count) and 0.5 <= count < threshold - 0.5


def geography_leaves(geographies: pd.DataFrame, plan_areas: pd.DataFrame) -> dict[str, frozenset]:
    """Each geography as the set of leaves it adds up: areas, and the rest of the municipality.
    A geography that is not a sum of areas (an institution group, the country) is its own leaf."""
    areas = set(geographies.loc[geographies.geography_type == "area", "geography_code"])
    by_plan = plan_areas.groupby("plan_code")["area_code"].apply(set).to_dict()
    leaves = {"__areas__": frozenset(areas)}
    for row in geographies.itertuples():
        kind = row.geography_type
        if kind == "area":
            leaves[row.geography_code] = frozenset([row.geography_code])
        elif kind == "plan_total":
            leaves[row.geography_code] = frozenset(by_plan.get(row.plan_code, set()))
        elif kind == "municipality":
            leaves[row.geography_code] = frozenset(areas | {REST})
        elif kind == "municipality_excl_plan":
            leaves[row.geography_code] = frozenset((areas - by_plan.get(row.plan_code, set())) | {REST})
        else:
            leaves[row.geography_code] = frozenset([row.geography_code])
    return leaves


class Quantities:
    """Quantity names mapped to sums of base quantities: two series found equal everywhere (a
    count and the numerator of the share of the same persons) become one."""

    def __init__(self):
        self.parent: dict = {}
        self.sums: dict = {}

    def find(self, q):
        while self.parent.setdefault(q, q) != q:
            q = self.parent[q]
        return q

    def link(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=repr)] = min(ra, rb, key=repr)

    def base(self, q) -> dict:
        root = self.find(q)
        return dict(self.sums.get(root, {root: 1.0}))


def link_equal_series(series: dict, quantities: Quantities, minimum: int = 3) -> None:
    """series: name -> {(geography, year): value}. Two series equal on every common key (at
    least `minimum` of them non-zero) describe the same persons: an attacker can equate them."""
    buckets = defaultdict(list)
    for name, values in series.items():
        for key, value in values.items():
            if value:
                buckets[(key, round(value, 6))].append(name)
    shared = defaultdict(int)
    for names in buckets.values():
        if len(names) < 50:  # a value every series has says nothing
            for a, b in combinations(sorted(names, key=repr), 2):
                shared[(a, b)] += 1
    for (a, b), count in shared.items():
        common = series[a].keys() & series[b].keys()
        if count >= minimum and all(abs(series[a][k] - series[b][k]) < 1e-6 for k in common):
            quantities.link(a, b)


def figure(quantities: Quantities, quantity, leaves, years_with_coefficients) -> dict:
    out: dict = defaultdict(float)
    for base, weight in quantities.base(quantity).items():
        for year, coefficient in years_with_coefficients:
            for leaf in leaves:
                out[(base, leaf, year)] += weight * coefficient
    return dict(out)


def area_cells(mart: pd.DataFrame, leaves: dict, quantities: Quantities, threshold: int) -> list[Cell]:
    """One cell per shown figure of mart_area_indicator (value with its n and interval)."""
    rows = mart[mart.value.notna()].copy()
    yearly_n = {(r.indicator_id, r.geography_code, r.period): r.denominator if pd.notna(r.denominator) else r.n
                for r in rows.itertuples() if not SPAN.match(r.period)}
    cells = []
    for r in rows.itertuples():
        geo = leaves.get(r.geography_code, frozenset([r.geography_code]))
        span = SPAN.match(r.period)
        if span:
            years = []
            for y in range(int(span[1]), int(span[2]) + 1):
                weight = yearly_n.get((r.indicator_id, r.geography_code, str(y)))
                if weight is not None and not pd.isna(weight) and weight > 0:
                    years.append((str(y), 1.0 / weight if r.unit != "count" else 1.0))
            n_years = [(str(y), 1.0) for y in range(int(span[1]), int(span[2]) + 1)]
        else:
            years, n_years = [(r.period, 1.0)], [(r.period, 1.0)]
        figures = [figure(quantities, ("num", r.indicator_id), geo, years)]
        values = [r.numerator if pd.notna(r.numerator) else r.value]
        if span:
            # the span's interval is computed from its pooled numerator and denominator, so
            # it shows the sum of the years' numerators too
            figures.append(figure(quantities, ("num", r.indicator_id), geo, n_years))
            values.append(r.numerator if pd.notna(r.numerator) else r.value)
        if pd.notna(r.n):
            figures.append(figure(quantities, ("n", r.indicator_id), geo, n_years))
            values.append(r.n)
        reason = area_primary_reason(r, threshold)
        persons = r.n_persons_with if pd.notna(r.n_persons_with) else r.numerator
        cells.append(Cell(
            key=("area", r.indicator_id, r.geography_code, r.period), figures=figures,
            values=[float(v) if pd.notna(v) else 1.0 for v in values],
            nonnegative=[r.unit not in ("change",)] * len(figures),
            is_primary=reason is not None,
            is_singleton=r.n == 1 or (r.unit == "count" and persons == 1),
            priority=(GEO_RANK.get(r.geography_type, 4), bool(span), -(r.n if pd.notna(r.n) else 0), r.period),
            decided_by=reason))
    # a computed row without a value has nobody behind it (an undelivered year says so in words
    # and is unknown): a reader takes it as 0 in the sums, so it is a cell of 0 that may be
    # published as 0 or hidden like any other. The mart has such a row for every geography the
    # indicator covers in some period, so a missing row tells nothing; a geography with no row
    # at all (an area outside the plan) is unknown to the reader.
    gap = mart["delivery_gap_da"].notna() if "delivery_gap_da" in mart else False
    empty = mart[(mart.source_kind == "computed") & mart.value.isna() & ~gap & ~mart.period.str.match(SPAN.pattern)]
    for r in empty.itertuples():
        geo = leaves.get(r.geography_code, frozenset([r.geography_code]))
        figures = [figure(quantities, (kind, r.indicator_id), geo, [(r.period, 1.0)]) for kind in ("num", "n")]
        cells.append(Cell(key=("area", r.indicator_id, r.geography_code, r.period), figures=figures,
                          values=[0.0, 0.0], nonnegative=[True, True],
                          priority=(GEO_RANK.get(r.geography_type, 4), False, 0, r.period)))
    return cells


def area_primary_reason(r, threshold: int) -> str | None:
    """Primary suppression on persons: the persons behind the cell, with the attribute, and
    without it; and a share whose value times n reads as 1-2 persons (what a reader computes)."""
    t = threshold
    with_ = r.n_persons_with if pd.notna(r.n_persons_with) else r.numerator
    without = r.n_persons_without if pd.notna(r.n_persons_without) else (
        r.denominator - r.numerator if pd.notna(r.denominator) and pd.notna(r.numerator) else None)
    if _small(r.n, t):
        return f"færre end {t} personer bag tallet"
    if r.unit == "count" and _small(with_, t):
        return f"antallet er under {t}"
    if r.value_kind == "share" and r.unit != "count":
        if _small(with_, t):
            return f"færre end {t} personer med egenskaben"
        if _small(without, t):
            return f"færre end {t} personer uden egenskaben"
        if pd.notna(r.n) and pd.notna(r.unit_factor) and r.unit_factor:
            shown = r.value * r.n / r.unit_factor
            if _small(shown, t) or _small(r.n - shown, t):
                return f"andelen gange n giver færre end {t} personer"
    return None


def language_cells(mart: pd.DataFrame, leaves: dict, quantities: Quantities, threshold: int) -> list[Cell]:
    """Four cells per geography and year: the number assessed and each category's count (the
    table shows the category as a share of the number assessed, which gives the count back)."""
    cells = []
    for r in mart.itertuples():
        geo = leaves.get(r.geography_code, frozenset([r.geography_code]))
        year = [(str(r.assessment_year), 1.0)]
        counts = {"total": r.n_assessed, **{c: getattr(r, f"n_{c}") for c in LANGUAGE}}
        for category, count in counts.items():
            parts = LANGUAGE if category == "total" else (category,)
            fig: dict = defaultdict(float)
            for part in parts:
                for k, v in figure(quantities, ("language", part), geo, year).items():
                    fig[k] += v
            reason = None
            if _small(r.n_assessed, threshold):
                reason = f"færre end {threshold} vurderede børn i alt"
            elif _small(count, threshold):
                reason = f"færre end {threshold} børn i kategorien"
            cells.append(Cell(
                key=("language", r.geography_code, int(r.assessment_year), category), figures=[dict(fig)],
                values=[float(count)], nonnegative=[True], is_primary=reason is not None,
                is_singleton=count == 1,
                priority=(GEO_RANK.get(r.geography_type, 4), category != "total", -count, str(r.assessment_year)),
                decided_by=reason))
    return cells


def population_cells(states: pd.DataFrame, threshold: int) -> list[Cell]:
    """One cell per state of a row with participants: a recent cohort's after-period grows as
    later measurements arrive (measured_by_year), and each report year's publication shows the
    state of its year. Per cohort before + change = after (taken as exact); per row, each state's
    participants and their outcome sum are the earlier state's plus a revision, so that two
    publications read together give the revision: one of 1-2 persons is a primary cell that is
    never published and must not be recoverable from the states that are."""
    rows = states[states.n_participants > 0].copy()
    if "measured_by_year" not in rows:  # a mart without states: one state per row
        rows["measured_by_year"] = rows["cohort_year"]
    cohort_key = ["plan_code", "activity_code", "cohort_year", "outcome_kind"]
    periods = rows.groupby(cohort_key)["period_kind"].apply(set).to_dict()
    cells = []
    t = threshold
    rows = rows.sort_values([*cohort_key, "period_kind", "measured_by_year"], kind="mergesort")
    for (*cohort, period_kind), group in rows.groupby([*cohort_key, "period_kind"], sort=False):
        cohort = tuple(cohort)
        full = {"before", "change", "after"} <= periods.get(cohort, set())
        previous = None
        for r in group.itertuples():
            year = int(r.measured_by_year)
            if full and period_kind == "after":
                mean = {("population", cohort, "before"): 1.0, ("population", cohort, "change", year): 1.0}
            else:
                mean = {("population", cohort, period_kind) + ((year,) if period_kind != "before" else ()): 1.0}
            total = float(r.participants_value) * float(r.n_participants) if pd.notna(r.participants_value) else 0.0
            pieces = [y for y in group.measured_by_year.astype(int) if y <= year]
            n_figure = {("population n", cohort, period_kind, y): 1.0 for y in pieces}
            sum_figure = {("population sum", cohort, period_kind, y): 1.0 for y in pieces}
            reason = _population_reason(r, t)
            cells.append(Cell(
                key=("population", *cohort, period_kind, year),
                figures=[mean, n_figure, sum_figure],
                values=[float(r.participants_value) if pd.notna(r.participants_value) else 1.0,
                        float(r.n_participants), total],
                nonnegative=[False, True, period_kind != "change"], is_primary=reason is not None,
                is_singleton=r.n_participants == 1,
                priority=(0, period_kind == "change", -year, -r.n_participants), decided_by=reason))
            if previous is not None:
                revision = _revision_cell(cohort, period_kind, previous, r, total, t)
                if revision is not None:
                    cells.append(revision)
            previous = (year, float(r.n_participants), total, r)
    return cells


def _population_reason(r, t: int) -> str | None:
    if _small(r.n_participants, t):
        return f"færre end {t} deltagere med en måling"
    if _small(r.n_comparison, t):
        return f"færre end {t} personer i sammenligningsgruppen"
    if r.value_kind == "share" and r.period_kind != "change":
        if _small(r.participants_numerator, t) or _small(r.n_participants - r.participants_numerator, t):
            return f"færre end {t} deltagere med (eller uden) udfaldet"
        if pd.notna(r.comparison_value) and pd.notna(r.n_comparison) and (
                _small(r.comparison_value * r.n_comparison / 100, t)
                or _small(r.n_comparison - r.comparison_value * r.n_comparison / 100, t)):
            return f"færre end {t} i sammenligningsgruppen med (eller uden) udfaldet"
    return None


def _revision_cell(cohort, period_kind, previous, r, total, t: int) -> Cell | None:
    """The persons a state adds to (or revises in) the one before: a primary cell, never
    published, when they are 1-2 persons (with or without the outcome), or when the sum moved
    without new persons (a revised measurement of a few)."""
    year_before, n_before, total_before, _ = previous
    n_added, sum_added = float(r.n_participants) - n_before, total - total_before
    reason = None
    if _small(abs(n_added), t):
        reason = f"en revision af færre end {t} deltagere mellem to årgange af opgørelsen"
    elif r.value_kind == "share" and period_kind != "change" and (
            _small(abs(sum_added) / 100, t) or _small(abs(n_added - sum_added / 100), t)):
        reason = f"en revision af færre end {t} deltagere med (eller uden) udfaldet"
    elif n_added == 0 and abs(sum_added) > 1e-9:
        reason = "en revision af målinger uden nye deltagere"
    if reason is None:
        return None
    year = int(r.measured_by_year)
    return Cell(key=("population revision", *cohort, period_kind, year_before, year),
                figures=[{("population n", cohort, period_kind, year): 1.0},
                         {("population sum", cohort, period_kind, year): 1.0}],
                values=[n_added, sum_added], nonnegative=[False, False], is_primary=True,
                is_singleton=abs(n_added) == 1, priority=(0,), decided_by=reason)


def build_quantities(area: pd.DataFrame, language: pd.DataFrame) -> Quantities:
    """Which series an attacker can equate: an indicator's numerator or n equal to another's
    (a count and the share of the same persons), or to the language table's counts."""
    quantities = Quantities()
    series: dict = defaultdict(dict)
    yearly = area[area.value.notna() & ~area.period.str.match(SPAN.pattern)]
    for r in yearly.itertuples():
        numerator = r.numerator if pd.notna(r.numerator) else r.value
        series[("num", r.indicator_id)][(r.geography_code, r.period)] = float(numerator)
        if pd.notna(r.n):
            series[("n", r.indicator_id)][(r.geography_code, r.period)] = float(r.n)
    # the language table's counts and every sum of its categories, as base quantities
    for size in (1, 2, 3):
        for parts in combinations(LANGUAGE, size):
            name = ("language sum", parts)
            quantities.sums[name] = {("language", p): 1.0 for p in parts}
            for r in language.itertuples():
                series[name][(r.geography_code, str(r.assessment_year))] = float(
                    sum(getattr(r, f"n_{p}") for p in parts))
    link_equal_series(series, quantities)
    # a language sum linked to an indicator: the indicator's quantity is that sum
    for name in list(quantities.sums):
        root = quantities.find(name)
        if root != name:
            quantities.sums[root] = quantities.sums[name]
    return quantities
