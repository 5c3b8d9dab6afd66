"""Table cells as a person reads them (workbooks; the annex uses the same marks).

The export relations keep the machine form: an empty (NULL) figure beside a flag column that
says why. A person gets Danmarks Statistik's symbols instead of an empty cell that looks like
a zero or a gap: ".." where a figure is withheld by disclosure control (or by the source), "."
where there is no figure, and a true zero stays a number that Excel shows as "-". Coded values
(levels, units, geography types, ...) and booleans are shown in Danish.

Which empty figure is withheld is read from the published relation itself, so nothing is said
that the published flags do not already say: a hidden row's figures; n under the threshold on a
row flagged "few persons"; a baseline (and the change and target computed from it) whose
baseline row is hidden; a target the status reason says rests on a hidden figure; the language
table's shares on a row flagged partly hidden.
"""

from __future__ import annotations

import re
from datetime import date

from exports.labels import (
    CONFIDENTIAL_MARK,
    NOT_AVAILABLE_MARK,
    PARTLY_SUPPRESSED_FLAG,
    is_suppression_flag,
    value_label,
)

# Figures a hidden row keeps: they come from other cells (hidden on their own rows).
_FROM_OTHER_CELLS = {"baseline_value", "target_value"}
_FROM_BASELINE = {"baseline_value", "change_since_baseline"}
_TARGET_FROM_BASELINE = {"reduce_by_fraction", "decreasing", "increasing"}
_TARGET_HIDDEN_REASON = "Målet bygger på et tal, der ikke vises"
_YEAR = re.compile(r"(^|_)(year|år)$|^År$", re.IGNORECASE)
# export_language_assessment: a partly hidden row withholds some shares; nobody assessed is a 0
LANGUAGE_SHARE_PREFIX = "pct_"
LANGUAGE_COUNT = "n_assessed"
LANGUAGE_NONE_ASSESSED_FLAG = "flag_none_assessed"


def _is_count(column: str) -> bool:
    return column == "n" or column.startswith("n_")


def hidden_cells(rows: list[dict]) -> set[tuple]:
    """(indicator, geography, period) of every hidden cell of the indicator table."""
    return {(r["indicator_id"], r["geography_code"], r["period"]) for r in rows if r.get("flag_disclosure_suppressed")}


def withheld_figures(r: dict, figures: set[str], hidden: set[tuple]) -> set[str]:
    """The empty figures (of the columns ``figures``) of row ``r`` that are withheld, not
    missing; ``hidden`` holds the hidden cells of the same table (see hidden_cells)."""
    out: set[str] = set()
    if any(r[c] for c in r if is_suppression_flag(c)):
        out |= figures - _FROM_OTHER_CELLS
    if r.get(PARTLY_SUPPRESSED_FLAG):
        out |= {c for c in figures if c.startswith(LANGUAGE_SHARE_PREFIX)}
    if r.get("flag_small_n"):
        out |= {c for c in figures if _is_count(c)}
    if r.get("baseline_period") and (r.get("indicator_id"), r.get("geography_code"), r["baseline_period"]) in hidden:
        out |= _FROM_BASELINE
        if r.get("target_kind") in _TARGET_FROM_BASELINE:
            out.add("target_value")
    if (r.get("status_reason") or "").startswith(_TARGET_HIDDEN_REASON):
        out.add("target_value")
    return {c for c in out if c in figures and r.get(c) is None}


class PeopleCells:
    """Turns rows of one published relation into what a person reads; built once per relation
    with all its rows (a baseline's row may sit on another sheet)."""

    def __init__(self, columns: list[tuple[str, str]], all_rows: list[tuple]):
        self.names = [c for c, _ in columns]
        self.figures = {c for c, t in columns if t != "VARCHAR" and t != "BOOLEAN" and not _YEAR.search(c)}
        self.hidden_cells: set[tuple] = set()
        if {"indicator_id", "geography_code", "period", "flag_disclosure_suppressed"} <= set(self.names):
            self.hidden_cells = hidden_cells([dict(zip(self.names, r)) for r in all_rows])

    def withheld_columns(self, r: dict) -> set[str]:
        return withheld_figures(r, self.figures, self.hidden_cells)

    def row(self, row: tuple) -> tuple[list, set[int]]:
        """The values to show, and the positions of the withheld ones."""
        r = dict(zip(self.names, row))
        withheld = self.withheld_columns(r)
        shown, marked = [], set()
        for i, (column, value) in enumerate(zip(self.names, row)):
            if column in withheld:
                shown.append(CONFIDENTIAL_MARK)
                marked.add(i)
            elif value is None and column == LANGUAGE_COUNT and r.get(LANGUAGE_NONE_ASSESSED_FLAG):
                shown.append(0)  # nobody assessed: a true zero, shown as "-"
            elif value is None and column in self.figures:
                shown.append(NOT_AVAILABLE_MARK)
            elif isinstance(value, date):
                shown.append(value)
            else:
                shown.append(value_label(column, value) if value is not None else None)
        return shown, marked

