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


def format_frame(df: pd.DataFrame, source: Source) -> pd.DataFrame:
    """Render every column as the text the source would deliver."""
    out = pd.DataFrame(index=df.index)
    for col in source.columns:
        if col.name not in df.columns:
            raise KeyError(f"{source.name}: missing column {col.name} for writing")
        series = df[col.name]
        if col.dtype == "date":
            dates = pd.to_datetime(series)
            text = dates.dt.strftime(source.date_format)
            out[col.name] = text.where(dates.notna(), "")
        elif col.dtype == "month":
            out[col.name] = series.astype(str)
        elif col.dtype == "decimal":
            def render(v, _col=col):
                if isinstance(v, str):  # a suppression marker, passed through as published
                    return v
                if v is None or pd.isna(v):
                    return ""
                return _format_decimal(float(v), source)

            out[col.name] = series.map(render).astype(object)
        elif col.dtype == "int":
            out[col.name] = series.map(lambda v: "" if v is None or pd.isna(v) else str(int(v))).astype(object)
        else:
            out[col.name] = series.map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)).astype(object)
    return out


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
