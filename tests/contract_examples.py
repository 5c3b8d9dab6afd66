"""Valid example rows for any source in the data contract, built from the contract itself,
so the validation tests cover every source and a new source is covered automatically."""

from __future__ import annotations

import pandas as pd

from ingestion.contract import PERSON_KEY_PATTERN, SCHOOL_YEAR_PATTERN, Column, Source

# One valid example per pattern used in the contract. test_contract checks each example
# matches its pattern and that every pattern in the contract has one.
PATTERN_EXAMPLES = {
    PERSON_KEY_PATTERN: "0123456789abcdef",
    SCHOOL_YEAR_PATTERN: "2023/24",
    r"^F\d{8}$": "F00000001",
    r"^[A-Z]{2}$": "DK",
    r"^[A-Z]$": "B",
    r"^\d{6}$": "751101",  # an institution in dbt_project/seeds/institutions.csv
    r"^\d{4}$": "0104",
    r"^\d{3}-\d{3}$": "001-002",
    r"^\d{1,3}[A-Z]?$": "12B",
    r"^[A-Z][A-Z0-9_]{1,39}$": "NPU",
    r"^[A-Z][A-Z0-9_]{1,59}$": "FRAVAERSPROCENT",
    r"^\d{4}(/\d{2})?$": "2023/24",
}


# Patterns whose example varies by row, so that a multi-row example has unique keys.
_PER_ROW = {
    PERSON_KEY_PATTERN: lambda r: f"{r:016x}",
    r"^\d{4}$": lambda r: f"{r + 1:04d}",
    r"^\d{3}-\d{3}$": lambda r: f"001-{r + 1:03d}",
    r"^[A-Z][A-Z0-9_]{1,59}$": lambda r: f"MAAL_{r}",
}


# Columns whose valid values depend on reference data or on other columns (ingestion.row_rules).
_AREA_NAMES = ["Gl. Jennumparken", "Vangdalen", "Centrale Randers", "Energivej-området", "Randers Kommune"]
_BY_NAME = {
    "OMRAADE": lambda r: _AREA_NAMES[r % len(_AREA_NAMES)],
    "BOLIGOMRAADE": lambda r: _AREA_NAMES[r % len(_AREA_NAMES)],
    "SKOLEDAGE": lambda r: 200,
    "FRAVAER_SYGDOM": lambda r: 1.5,
    "FRAVAER_LOVLIGT": lambda r: 1.5,
    "FRAVAER_ULOVLIGT": lambda r: 1.5,
}


def example_value(col: Column, source: Source, row: int = 0, year: int = 2023):
    if col.pattern == SCHOOL_YEAR_PATTERN:
        return f"{year}/{(year + 1) % 100:02d}"  # the school year starting in the file's year
    if col.name in _BY_NAME:
        return _BY_NAME[col.name](row)
    if col.pattern:
        return _PER_ROW[col.pattern](row) if col.pattern in _PER_ROW else PATTERN_EXAMPLES[col.pattern]
    if col.dtype == "code":
        return col.codes[0]
    if col.dtype == "date":
        return pd.Timestamp(f"{year}-03-01")
    if col.dtype == "month":
        return f"{year}-03"
    if col.dtype == "int":
        return int(col.min_value if col.min_value is not None else 1)
    if col.dtype == "decimal" and col.whole:
        return 1234  # a count; every part of a whole equals it, so no part exceeds its whole
    if col.dtype == "decimal":
        return 1234.5 if col.max_value is None else float(col.min_value or 0) + 0.5
    return f"Eksempel {row}"


def example_frame(source: Source, rows: int = 2, year: int = 2023) -> pd.DataFrame:
    """``rows`` valid rows of ``source`` with distinct keys, for the file of ``year``."""
    return pd.DataFrame({col.name: [example_value(col, source, r, year) for r in range(rows)] for col in source.columns})
