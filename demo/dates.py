"""Dates for the demo generator, in the two forms its modules compute with.

The population simulation (dwellings, households, persons) works in day numbers: int64 days since
1 January 1970, so that arithmetic on millions of tenancies stays integer. The children's
services, jobcenter and vintage modules work in numpy ``datetime64[D]`` arrays, which they write
out as dates. ``age_on_jan1`` (day numbers) and ``age_on(birth, jan1(year))`` (dates) agree."""

from __future__ import annotations

import numpy as np

EPOCH = np.datetime64("1970-01-01", "D")


# ------------------------------------------------------------------------------------ day numbers
def day_number(y: int, m: int = 1, d: int = 1) -> int:
    return int((np.datetime64(f"{y:04d}-{m:02d}-{d:02d}") - EPOCH).astype(int))


def jan1_number(years: np.ndarray) -> np.ndarray:
    """Day number of 1 January of each year (vectorised)."""
    return (np.asarray(years) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def age_on_jan1(birth: np.ndarray, year) -> np.ndarray:
    """Completed years on 1 January of ``year`` (``birth`` in day numbers)."""
    by = year_of(birth)
    return np.asarray(year) - by - 1 + (birth == jan1_number(by))


# ------------------------------------------------------------------------------------ datetime64 dates
def ymd(d: np.ndarray):
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    return y.astype(np.int64) + 1970, month, (d - m.astype("datetime64[D]")).astype(np.int64) + 1


def add_months(d: np.ndarray, n) -> np.ndarray:
    """Same day n months later (day clipped into the month by numpy's overflow: 31 Jan + 1 → 3 Mar)."""
    m = d.astype("datetime64[M]")
    return (m + np.asarray(n, dtype=np.int64)).astype("datetime64[D]") + (d - m.astype("datetime64[D]"))


def age_on(birth: np.ndarray, when) -> np.ndarray:
    by, bm, bd = ymd(birth)
    wy, wm, wd = ymd(np.broadcast_to(np.asarray(when, dtype="datetime64[D]"), birth.shape))
    return wy - by - ((wm * 32 + wd) < (bm * 32 + bd))


def jan1(years) -> np.ndarray:
    """1 January of each year in ``years``."""
    return (np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def day(year: int, month: int = 1, dom: int = 1) -> np.datetime64:
    return np.datetime64(f"{year:04d}-{month:02d}-{dom:02d}", "D")


def uniform_dates(rng, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniform day in [lo, hi] per element."""
    span = (hi - lo).astype(np.int64) + 1
    return lo + np.floor(rng.random(len(lo)) * span).astype(np.int64)
