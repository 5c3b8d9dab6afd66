"""Disclosure control for everything published (docs/disclosure-control.md): primary
suppression on persons (cells.py) and secondary suppression over one system of linear relations
across all published tables (gauss.py). `decide` is run by the dbt Python model
quality.disclosure_decisions."""

from __future__ import annotations

import pandas as pd

from exports.disclosure.cells import (
    area_cells,
    build_quantities,
    geography_leaves,
    language_cells,
    population_cells,
)
from exports.disclosure.gauss import suppress

PUBLISHED_TABLES = ("area", "language", "population")
DECISION_COLUMNS = ["table_name", "cell_id", "is_primary", "is_secondary", "is_suppressed", "suppression_reason_da"]


def _in_fixed_order(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    keys = frame.astype(str)  # every column as text: comparable whatever its type or missing values
    return frame.loc[keys.sort_values(list(keys.columns), kind="mergesort").index].reset_index(drop=True)


def decide(area: pd.DataFrame, language: pd.DataFrame, population: pd.DataFrame,
           geographies: pd.DataFrame, plan_areas: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """One row per cell of the three published tables: whether it is hidden, and why (primary:
    the rule; secondary: which other cell it protects is not named, only that it is needed)."""
    # plain Python strings: iterating Arrow-backed string columns row by row is slow
    area, language, population, geographies, plan_areas = (
        frame.astype({c: object for c in frame.columns if pd.api.types.is_string_dtype(frame[c])})
        for frame in (area, language, population, geographies, plan_areas))
    # the greedy pass depends on the order cells are offered in: a fixed order of the rows makes
    # the same marts give the same pattern in every refresh (DuckDB returns rows in no fixed order)
    area, language, population, geographies, plan_areas = (
        _in_fixed_order(frame) for frame in (area, language, population, geographies, plan_areas))
    leaves = geography_leaves(geographies, plan_areas)
    quantities = build_quantities(area, language)
    cells = (area_cells(area, leaves, quantities, threshold)
             + language_cells(language, leaves, quantities, threshold)
             + population_cells(population, threshold))
    reasons = {id(c): c.decided_by for c in cells}
    suppress(cells)
    rows = []
    for cell in cells:
        if cell.is_forced or cell.key[0] not in PUBLISHED_TABLES:
            continue  # a revision between two states is never published itself
        primary = cell.is_primary
        secondary = cell.decided_by == "secondary"
        reason = (f"Primær: {reasons[id(cell)]}." if primary
                  else "Sekundær: ellers kunne et skjult tal regnes ud af de offentliggjorte." if secondary else None)
        rows.append((cell.key[0], " | ".join(str(k) for k in cell.key[1:]), primary, secondary,
                     primary or secondary, reason))
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)
