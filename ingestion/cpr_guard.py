"""Refuse raw CPR numbers: the warehouse only ever holds pseudonymised person keys.

A CPR number is DDMMYY-SSSS (a dash, a space or nothing between). A column is rejected when
any of its values holds one with a valid day and month, alone, padded with spaces or inside
free text ("ring 051284 1234"), or when its header names a CPR number. Only digits run into
letters are left alone (a pseudonymised key is hexadecimal). The error names the file, line and
column but never echoes the number itself.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ingestion.errors import Problem
from ingestion.schemas import _arrow_text

# searched anywhere in a value (Arrow's RE2, unanchored)
_CPR_SHAPE = r"(^|[^0-9A-Za-z])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[- ]?\d{4}([^0-9A-Za-z]|$)"
_CPR_HEADER = re.compile(r"(^|_)(CPR|PERSONNUMMER|PNR)(_?NR)?$", re.IGNORECASE)


def cpr_headers(columns: list[str], file: str) -> list[Problem]:
    return [Problem(file, 1, str(c), "column header names a raw CPR number; deliver pseudonymised keys")
            for c in columns if _CPR_HEADER.search(str(c))]


def cpr_positions(values: pd.Series) -> np.ndarray:
    """Positions of the values holding a number shaped like a CPR number. Only a value of 10
    characters or more can, so the regular expression runs on those."""
    candidates = (values.str.len() >= 10).fillna(False).to_numpy(bool).nonzero()[0]
    if not len(candidates):
        return candidates
    found = pc.match_substring_regex(_arrow_text(values.iloc[candidates]), _CPR_SHAPE)
    hits = pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    return candidates[hits]


class CprScan:
    """Values shaped like a CPR number in one file, per column, over the file's chunks."""

    def __init__(self, file: str):
        self.file = file
        self.hits: dict[str, list[int]] = {}  # column -> [first line, rows]

    def record(self, column: str, first_line: int, rows: int) -> None:
        seen = self.hits.setdefault(column, [first_line, 0])
        seen[0] = min(seen[0], first_line)
        seen[1] += rows

    def add(self, frame: pd.DataFrame) -> None:
        """A frame indexed by 0-based data row (its line is index + 2)."""
        for column in frame.columns:
            if not _CPR_HEADER.search(str(column)):  # a CPR-named column is reported by its header
                found = cpr_positions(frame[column])
                if len(found):
                    self.record(str(column), int(frame.index[found[0]]) + 2, len(found))

    def problems(self) -> list[Problem]:
        return [Problem(self.file, line, column, f"looks like a raw CPR number in {rows} row(s); the value is not "
                        "shown. Deliver the pseudonymised person key instead") for column, (line, rows) in self.hits.items()]
