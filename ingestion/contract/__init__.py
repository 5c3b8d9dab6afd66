"""The data contract: every source extract the monitoring unit receives, as data.

This package is the single, executable statement of docs/data-contract.md. The pandera
schemas (ingestion/schemas.py), the reader (ingestion/readers.py), the demo generator
(demo/) and the documentation are all derived from it, so a format changes in
exactly one place.

Three kinds of source:
- ``municipal``: Randers Kommune's own person-level extracts, keyed by a pseudonymised
  person key (PNR_PSEUDO). A raw CPR number is never accepted (ingestion/cpr_guard.py).
- ``housing``: the housing organisations' tenancy extracts. RandersBolig (administering
  several organisations) and Lejerbo each deliver their own files with their own codes.
- ``published``: aggregate tables as downloaded from Danmarks Statistik and
  Landsbyggefonden (LBF): wide layouts, Danish number format, suppression markers.

One file per source and year; the file name says which year, and ``period`` says what the
year means for that source.
"""

from __future__ import annotations

from ingestion.contract.columns import (
    DST_MARKERS,
    LBF_MARKERS,
    PERSON_KEY_PATTERN,
    SCHOOL_YEAR_PATTERN,
    Column,
    Source,
)
from ingestion.contract.housing import HOUSING_SOURCES
from ingestion.contract.municipal import MUNICIPAL_SOURCES
from ingestion.contract.plausibility import MAX_COUNT, with_rules
from ingestion.contract.published import PUBLISHED_SOURCES

__all__ = [
    "DST_MARKERS", "LBF_MARKERS", "MAX_COUNT", "PERSON_KEY_PATTERN", "SCHOOL_YEAR_PATTERN", "SOURCES",
    "SOURCES_BY_NAME", "Column", "Source", "source",
]

SOURCES: tuple[Source, ...] = with_rules(MUNICIPAL_SOURCES + HOUSING_SOURCES + PUBLISHED_SOURCES)

SOURCES_BY_NAME: dict[str, Source] = {s.name: s for s in SOURCES}


def source(name: str) -> Source:
    try:
        return SOURCES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"No source called {name!r} in the data contract") from None
