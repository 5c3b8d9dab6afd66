"""Pandera schemas: the executable form of the data contract.

The raw layer keeps every value as the text that was delivered (raw data is immutable;
staging does the typing), so the schemas validate text: that each value parses as its
contract type in the source's own format, lies in range, is an allowed code, and that the
keys are unique. One schema per source, built from ``ingestion.contract``.
"""

from __future__ import annotations

import copy
import re
from functools import cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as arrow
import pyarrow.compute as pc

from ingestion.contract import SOURCES_BY_NAME, Column, Source

_PLAIN_NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"


def parse_decimal(values: pd.Series, source: Source) -> pd.Series:
    """Text in the source's number format -> float (NaN where it does not parse). In Arrow
    compute: pandas' to_numeric converts text element by element in Python."""
    text = _arrow_text(values)
    if source.thousands:
        text = pc.replace_substring(text, source.thousands, "")
    if source.decimal != ".":
        text = pc.replace_substring(text, source.decimal, ".")
    parses = pc.fill_null(pc.match_substring_regex(text, _PLAIN_NUMBER), False)
    numbers = pc.cast(pc.utf8_trim_whitespace(pc.if_else(parses, text, None)), arrow.float64())
    return pd.Series(numbers.to_numpy(zero_copy_only=False).astype(np.float64, copy=False), index=values.index)


def _arrow_text(values: pd.Series) -> arrow.Array:
    # pa.array takes an Arrow-backed column without copying; other text is converted
    return arrow.array(values if values.dtype == "string" else values.astype("string"), type=arrow.large_string())


def text_matches(values: pd.Series, pattern: str, full: bool = True) -> pd.Series:
    """Whether each value matches ``pattern`` from its start (and to its end when ``full``), in
    Arrow's RE2, whose \\d is the ASCII digits. pandas falls back to Python's re, element by
    element, for \\d as soon as one value of the column is not ASCII (a street name with ø)."""
    anchored = pattern if pattern.startswith("^") else f"^(?:{pattern})"
    if full and not pattern.endswith("$"):
        anchored = f"^(?:{pattern.removeprefix('^')})$"
    matched = pc.fill_null(pc.match_substring_regex(_arrow_text(values), anchored), False)
    return pd.Series(matched.to_numpy(zero_copy_only=False), index=values.index)


_DATE_PARTS = {"%Y": (pc.year, 4), "%m": (pc.month, 2), "%d": (pc.day, 2)}


def _print_dates(stamps: arrow.Array, date_format: str) -> arrow.Array:
    """Dates printed in a format of %Y, %m, %d and literals, from their parts: Arrow's strftime
    takes ten times as long."""
    tokens = re.split(r"(%[A-Za-z])", date_format)
    if any(t.startswith("%") and t not in _DATE_PARTS for t in tokens):
        return pc.strftime(stamps, format=date_format)
    pieces = []
    for token in filter(None, tokens):
        if token in _DATE_PARTS:
            part, width = _DATE_PARTS[token]
            pieces.append(pc.utf8_lpad(pc.cast(part(stamps), arrow.string()), width, "0"))
        else:
            pieces.append(arrow.scalar(token))
    return pc.binary_join_element_wise(*pieces, "")


def parse_dates(values: pd.Series, date_format: str) -> pd.Series:
    """Text -> datetime (NaT where it is not a date in the format). Arrow parses, and a value is
    taken when it prints back the same: Arrow rolls 2023-02-30 over to 2023-03-02. The few
    values that do not print back (unpadded, impossible) are left to pandas' parser."""
    text = _arrow_text(values)
    stamps = pc.strptime(text, format=date_format, unit="s", error_is_null=True)
    exact = pc.fill_null(pc.equal(_print_dates(stamps, date_format), text), False).to_numpy(zero_copy_only=False)
    dates = pd.Series(pc.if_else(exact, stamps, None).to_numpy(zero_copy_only=False), index=values.index,
                      dtype="datetime64[us]")
    others = ~exact & values.notna().to_numpy(bool)
    if others.any():
        dates[others] = pd.to_datetime(values[others], format=date_format, errors="coerce")
    return dates


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
                lambda s, p=pattern, m=tuple(markers): s.isin(m) | text_matches(s, p),
                element_wise=False,
                error=f"not a {'whole number' if col.dtype == 'int' else 'number'} in this source's format"
                + (f" or one of its markers {markers}" if markers else ""),
            )
        )
        if col.whole:
            separator = f"'{source.thousands}' or none" if source.thousands else "none"
            checks.append(pa.Check(
                lambda s: ~(numbers(s) % 1 > 0), element_wise=False,
                error=f"not a whole number: the column is a count ('{source.decimal}' is this source's decimal mark, "
                      f"so e.g. 1{source.decimal}270 reads as a fraction; the thousands separator is {separator})"))
        if col.min_value is not None:
            checks.append(pa.Check(lambda s, lo=col.min_value: ~(numbers(s) < lo), error=f"below the minimum {col.min_value}"))
        if col.max_value is not None:
            checks.append(pa.Check(lambda s, hi=col.max_value: ~(numbers(s) > hi), error=f"above the maximum {col.max_value}"))
    elif col.dtype == "date":
        checks.append(
            pa.Check(
                lambda s, f=source.date_format: parse_dates(s, f).notna(),
                error=f"not a date in the format {source.date_format}",
            )
        )
    elif col.dtype == "month":
        checks.append(pa.Check(lambda s: text_matches(s, r"^\d{4}-(0[1-9]|1[0-2])$"), error="not a month YYYY-MM"))
    elif col.dtype == "code":
        checks.append(pa.Check.isin(list(col.codes or ()), error=f"not one of the allowed codes {list(col.codes or ())}"))
    if col.pattern:
        # as pandera's str_matches: from the value's start
        checks.append(pa.Check(lambda s, p=col.pattern: text_matches(s, p, full=False),
                               error=f"does not match the expected pattern {col.pattern}"))
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


@cache
def row_schema_for(source_name: str) -> pa.DataFrameSchema:
    """The contract's schema without its key uniqueness: it validates a file chunk by chunk,
    and uniqueness, which spans the whole file, is checked by key_schema_for."""
    schema = copy.deepcopy(schema_for(source_name))
    schema.unique = None
    return schema


@cache
def key_schema_for(source_name: str, by_file: bool = False) -> pa.DataFrameSchema | None:
    """The contract's key uniqueness, on the key columns of a whole file; ``by_file``: of several
    files at once, told apart by an integer column _file."""
    full = schema_for(source_name)
    if not full.unique:
        return None
    columns = {c: pa.Column(pa.String, nullable=True) for c in full.unique}
    if by_file:
        columns["_file"] = pa.Column(pa.Int64)
    return pa.DataFrameSchema(columns, unique=list(full.unique) + (["_file"] if by_file else []),
                              report_duplicates="all", name=full.name)
