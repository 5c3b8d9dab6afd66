"""Pandera schemas: the executable form of the data contract.

The raw layer keeps every value as the text that was delivered (raw data is immutable;
staging does the typing), so the schemas validate text: that each value parses as its
contract type in the source's own format, lies in range, is an allowed code, and that the
keys are unique. One schema per source, built from ``ingestion.contract``.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import pandera.pandas as pa

from ingestion.contract import SOURCES_BY_NAME, Column, Source


def parse_decimal(values: pd.Series, source: Source) -> pd.Series:
    """Text in the source's number format -> float (NaN where it does not parse)."""
    text = values.astype("string")
    if source.thousands:
        text = text.str.replace(source.thousands, "", regex=False)
    if source.decimal != ".":
        text = text.str.replace(source.decimal, ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def _number_pattern(source: Source, integer: bool) -> str:
    thousands = re.escape(source.thousands) if source.thousands else None
    whole = rf"\d{{1,3}}(?:{thousands}\d{{3}})*|\d+" if thousands else r"\d+"
    fraction = "" if integer else rf"(?:{re.escape(source.decimal)}\d+)?"
    return rf"^-?(?:{whole}){fraction}$"


def _checks(col: Column, source: Source) -> list[pa.Check]:
    markers = [m for m in source.markers if m] if col.markers_allowed else []

    def numbers(s: pd.Series) -> pd.Series:
        return parse_decimal(s.where(~s.isin(markers)), source)

    checks: list[pa.Check] = []
    if col.dtype in ("int", "decimal"):
        pattern = _number_pattern(source, integer=col.dtype == "int")
        checks.append(
            pa.Check(
                lambda s, p=pattern, m=tuple(markers): s.isin(m) | s.str.fullmatch(p),
                element_wise=False,
                error=f"not a {'whole number' if col.dtype == 'int' else 'number'} in this source's format"
                + (f" or one of its markers {markers}" if markers else ""),
            )
        )
        if col.min_value is not None:
            checks.append(pa.Check(lambda s, lo=col.min_value: ~(numbers(s) < lo), error=f"below the minimum {col.min_value}"))
        if col.max_value is not None:
            checks.append(pa.Check(lambda s, hi=col.max_value: ~(numbers(s) > hi), error=f"above the maximum {col.max_value}"))
    elif col.dtype == "date":
        checks.append(
            pa.Check(
                lambda s, f=source.date_format: pd.to_datetime(s, format=f, errors="coerce").notna(),
                error=f"not a date in the format {source.date_format}",
            )
        )
    elif col.dtype == "month":
        checks.append(pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$", error="not a month YYYY-MM"))
    elif col.dtype == "code":
        checks.append(pa.Check.isin(list(col.codes or ()), error=f"not one of the allowed codes {list(col.codes or ())}"))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern, error=f"does not match the expected pattern {col.pattern}"))
    return checks


@cache
def schema_for(source_name: str) -> pa.DataFrameSchema:
    source = SOURCES_BY_NAME[source_name]
    columns = {
        col.name: pa.Column(
            pa.String,
            checks=_checks(col, source),
            nullable=col.nullable or col.markers_allowed,
            required=True,
        )
        for col in source.columns
    }
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=list(source.keys) if source.keys else None,
        report_duplicates="all",
        name=source.name,
        description=source.description,
    )
