"""Calibrated years sit on plausible trends: the demo reproduces a published figure by steering its
year, and the years around it must move the same way, or the annex's statuses (better/worse than
the baseline, target met) turn for artificial reasons.

The rule, per indicator x area x kind of period (years, school years, months, windows, averages
over n years) of the warehouse (mart_area_indicator), period by period:
a point's distance from the straight line between its two neighbours is ``dev``. The series'
background is the median ``dev`` of its points that are neither published nor next to a published
point. A published point whose two neighbours are not published is a spike when its ``dev`` is
over four times the background and over 5 % of its neighbours' level (at least 1): a single year
standing out that far from both sides while the unpublished years run smoothly. Two published neighbours are
left alone (their jump is the plan's own). Only the plan areas and their aggregates are judged:
the small demo shrinks the rest of the municipality, so its municipal figures are not calibrated.

Spikes the demo still has are registered in demo_trend_spikes.csv with the reason; the test fails
on any other, and on a registered one that is gone (remove it from the file)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
REGISTERED = Path(__file__).with_name("demo_trend_spikes.csv")
TIMES_BACKGROUND = 4.0
SHARE_OF_LEVEL = 0.05
MIN_LEVEL = 1.0  # a count moving between 0 and 1 is no trend
NOT_JUDGED = {"RANDERS", "DK", "REGION_MIDT"}


def published_points() -> set[tuple[str, str, str]]:
    points = set()
    for plan in ("hp2017", "hp2025"):
        with open(SEEDS / f"published_values_{plan}.csv", encoding="utf-8", newline="") as handle:
            points |= {(r["indicator_id"], r["geography_code"], r["period"]) for r in csv.DictReader(handle)}
    return points


def period_kind(period: str) -> str:
    """Years, school years, months, windows and multi-year averages of each length are separate series."""
    kind = re.sub(r"\d", "9", period)
    if kind == "9999-9999":
        first, last = period.split("-")
        kind += f" ({int(last) - int(first) + 1} years)"
    return kind


def spikes(values: pd.DataFrame, published: set[tuple[str, str, str]]) -> pd.DataFrame:
    """The spikes (columns indicator_id, geography_code, period, prev, value, next, dev, background)
    in ``values`` (indicator_id, geography_code, period, value). Within one kind of period the
    labels sort as time runs (they begin with the year and have one width); period_start does
    not: an average over years before the data begin starts where they begin, so several share it."""
    found = []
    values = values.assign(kind=values.period.map(period_kind))
    for (indicator, geo, _), s in values.sort_values("period", kind="stable").groupby(["indicator_id", "geography_code", "kind"]):
        s = s.drop_duplicates("period")
        v, periods = s.value.to_numpy(float), s.period.tolist()
        if len(v) < 5:
            continue
        pub = np.array([(indicator, geo, p) in published for p in periods])
        dev = np.full(len(v), np.nan)
        dev[1:-1] = np.abs(v[1:-1] - (v[:-2] + v[2:]) / 2)
        near = pub.copy()
        near[1:] |= pub[:-1]
        near[:-1] |= pub[1:]
        background = np.nanmedian(np.where(near, np.nan, dev)) if (~near[1:-1]).any() else np.nan
        for i in range(1, len(v) - 1):
            if not pub[i] or pub[i - 1] or pub[i + 1] or np.isnan(background):
                continue
            level = abs(v[i - 1] + v[i + 1]) / 2
            if dev[i] > TIMES_BACKGROUND * background and dev[i] > SHARE_OF_LEVEL * level and level >= MIN_LEVEL:
                found.append((indicator, geo, periods[i], v[i - 1], v[i], v[i + 1], dev[i], background))
    return pd.DataFrame(found, columns=["indicator_id", "geography_code", "period", "prev", "value", "next", "dev",
                                        "background"])


def warehouse_spikes(warehouse: Path) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        values = con.execute("select indicator_id, geography_code, period, value "
                             "from marts.mart_area_indicator where value is not null").df()
    finally:
        con.close()
    return spikes(values[~values.geography_code.isin(NOT_JUDGED)], published_points())


def _series(values, published_at=(), indicator="X", geo="GJP"):
    years = range(2011, 2011 + len(values))
    frame = pd.DataFrame({"indicator_id": indicator, "geography_code": geo, "period": [str(y) for y in years],
                          "value": values})
    return frame, {(indicator, geo, str(y)) for y in published_at}


def test_the_rule_finds_a_calibrated_year_off_its_trend():
    values, published = _series([20.0, 20.5, 21.0, 21.4, 22.0, 30.0, 22.9, 23.5, 24.0], published_at=[2016])
    assert spikes(values, published)[["period", "value"]].values.tolist() == [["2016", 30.0]]


def test_the_rule_leaves_a_trend_through_the_calibrated_year_alone():
    values, published = _series([20.0, 20.5, 21.0, 21.4, 22.0, 22.6, 22.9, 23.5, 24.0], published_at=[2016])
    assert spikes(values, published).empty
    # the same jump printed by the plan in two years running is the plan's, not the demo's
    values, published = _series([20.0, 20.5, 21.0, 21.4, 22.0, 30.0, 22.0, 23.5, 24.0], published_at=[2016, 2017])
    assert spikes(values, published).empty


def test_calibrated_years_sit_on_their_trend(built_warehouse):
    found = warehouse_spikes(built_warehouse)
    with open(REGISTERED, encoding="utf-8", newline="") as handle:
        registered = {(r["indicator_id"], r["geography_code"], r["period"]) for r in csv.DictReader(handle)}
    keys = set(zip(found.indicator_id, found.geography_code, found.period))
    new = found[[k not in registered for k in zip(found.indicator_id, found.geography_code, found.period)]]
    assert new.empty, "calibrated years off their trend:\n" + new.round(2).to_string()
    assert registered <= keys, f"no longer a spike, remove from {REGISTERED.name}: {sorted(registered - keys)}"
