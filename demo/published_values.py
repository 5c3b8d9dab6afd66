"""The published figures the demo is calibrated to, read from the warehouse's published-values
seeds (dbt_project/seeds/published_values_hp2017.csv and _hp2025.csv) by indicator id, area and
period, so the demo and the fidelity check compare against the same figures and none is typed
twice. The demo is a development tool and reads its own repository; the product never imports it."""

from __future__ import annotations

import csv
from functools import cache

from demo.model import SEEDS

FILES = ("published_values_hp2017.csv", "published_values_hp2025.csv")


@cache
def _rows() -> tuple[dict, ...]:
    rows = []
    for name in FILES:
        with open(SEEDS / name, encoding="utf-8", newline="") as handle:
            rows += [{**row, "file": name} for row in csv.DictReader(handle)]
    return tuple(rows)


def _select(indicator_id: str, measure: str, period: str | None = None) -> list[dict]:
    rows = [r for r in _rows() if r["indicator_id"] == indicator_id and r["measure"] == measure
            and (period is None or r["period"] == period)]
    if not rows:
        raise KeyError(f"no published {measure} of {indicator_id} {period or ''} in {', '.join(FILES)}")
    return rows


def by_period(indicator_id: str, geography: str, measure: str = "value") -> dict[str, float]:
    """{period: published value} of one indicator and area (every period the seeds hold)."""
    return {r["period"]: float(r["published_value"]) for r in _select(indicator_id, measure)
            if r["geography_code"] == geography}


def by_year(indicator_id: str, geography: str, measure: str = "value") -> dict[int, float]:
    """{year: value} of the single-year periods ("2018"; ranges like "2011-2015" left out)."""
    return {int(p): v for p, v in by_period(indicator_id, geography, measure).items() if p.isdigit()}


def by_area(indicator_id: str, period: str, measure: str = "value") -> dict[str, float]:
    """{area: published value} of one indicator and period."""
    return {r["geography_code"]: float(r["published_value"]) for r in _select(indicator_id, measure, period)}


def value(indicator_id: str, geography: str, period: str, measure: str = "value") -> float:
    try:
        return by_area(indicator_id, period, measure)[geography]
    except KeyError:
        raise KeyError(f"no published {measure} of {indicator_id} {geography} {period}") from None


def counts(indicator_id: str, period: str) -> dict[str, tuple[int, int]]:
    """{area: (n, numerator)} of one indicator and period."""
    n, k = by_area(indicator_id, period, "n"), by_area(indicator_id, period, "numerator")
    return {geo: (int(n[geo]), int(k[geo])) for geo in n if geo in k}


def source_line(indicator_id: str, period: str, geography: str | None = None) -> int:
    """The first line of the plan that prints the figures of this indicator and period (and area)."""
    return min(int(r["source_line"]) for r in _rows() if r["indicator_id"] == indicator_id and r["period"] == period
               and (geography is None or r["geography_code"] == geography))


def value_on_line(indicator_id: str, geography: str, period: str, line: int, measure: str = "value") -> float:
    """The value printed on one line, for an area the plan prints twice with different figures."""
    rows = [r for r in _select(indicator_id, measure, period)
            if r["geography_code"] == geography and int(r["source_line"]) == line]
    if len(rows) != 1:
        raise KeyError(f"no single published {measure} of {indicator_id} {geography} {period} on line {line}")
    return float(rows[0]["published_value"])
