"""Write a DataFrame as a source extract, exactly in the contract's file format.

Used by the demo generator (and by tests that need a deliberately bad file): encoding,
delimiter, decimal mark, thousands separator, date format and the source's own
suppression markers all come from ``ingestion.contract``.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pandas as pd

from ingestion.contract import Source


def _format_decimal(value: float, source: Source) -> str:
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    integer, _, fraction = text.partition(".")
    if source.thousands and len(integer.lstrip("-")) > 3:
        sign = "-" if integer.startswith("-") else ""
        digits = integer.lstrip("-")
        groups = []
        while digits:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        integer = sign + source.thousands.join(groups)
    return integer + (source.decimal + fraction if fraction else "")


def _render_decimals(series: pd.Series, source: Source) -> pd.Series:
    """Numbers in the source's format; text (a suppression marker) is passed through as published."""
    if pd.api.types.is_numeric_dtype(series) and not source.thousands:
        # Vectorised fast path for the big person-level files; repr of a rounded float is
        # exact for the magnitudes extracts hold, and scientific notation falls back below.
        text = series.astype("float64").round(10).astype(str)
        if not text.str.contains("e", regex=False).any():
            text = text.str.replace(r"\.0$", "", regex=True).str.replace(".", source.decimal, regex=False)
            return text.where(series.notna(), "")

    def render(v):
        if isinstance(v, str):
            return v
        if v is None or pd.isna(v):
            return ""
        return _format_decimal(float(v), source)

    return series.map(render).astype(object)


def format_frame(df: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Render every column as the text the source would deliver."""
    out = {}
    for col in source.columns:
        if col.name not in df.columns:
            raise KeyError(f"{source.name}: missing column {col.name} for writing")
        series = df[col.name]
        if col.dtype == "date":
            dates = pd.to_datetime(series)
            out[col.name] = dates.dt.strftime(source.date_format).where(dates.notna(), "")
        elif col.dtype == "decimal":
            out[col.name] = _render_decimals(series, source)
        elif col.dtype == "int" and pd.api.types.is_numeric_dtype(series):
            out[col.name] = series.astype("Int64").astype("string").fillna("")
        else:
            out[col.name] = series.astype("string").fillna("")
    return pd.DataFrame(out, index=df.index)


def write_extract(df: pd.DataFrame, source: Source, year: int, folder: Path) -> Path:
    """Write one year's file of ``source`` under ``folder/<source.folder>/``, atomically."""
    target_dir = Path(folder) / source.folder
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / source.file_name(year)
    text = format_frame(df, source)
    fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        text.to_csv(
            tmp,
            sep=source.delimiter,
            index=False,
            encoding=source.encoding,
            quoting=csv.QUOTE_MINIMAL,
            lineterminator="\r\n" if source.encoding == "cp1252" else "\n",
        )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
