"""Refuse raw CPR numbers: the warehouse only ever holds pseudonymised person keys.

A CPR number is DDMMYY-SSSS (the dash optional). A column is rejected when any of its values
has that shape with a valid day and month, or when its header names a CPR number. The
error names the file, line and column but never echoes the number itself.
"""

from __future__ import annotations

import re

import pandas as pd

from ingestion.errors import Problem

_CPR_SHAPE = r"^(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}-?\d{4}$"
_CPR_HEADER = re.compile(r"(^|_)(CPR|PERSONNUMMER|PNR)(_?NR)?$", re.IGNORECASE)


def find_cpr_numbers(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems: list[Problem] = []
    for column in frame.columns:
        if _CPR_HEADER.search(str(column)):
            problems.append(Problem(file, 1, str(column), "column header names a raw CPR number; deliver pseudonymised keys"))
            continue
        values = frame[column]
        hits = values.str.fullmatch(_CPR_SHAPE, na=False)
        if hits.any():
            first = int(hits.to_numpy().nonzero()[0][0])
            problems.append(
                Problem(
                    file,
                    first + 2,
                    str(column),
                    f"looks like a raw CPR number in {int(hits.sum())} row(s); the value is not shown. "
                    "Deliver the pseudonymised person key instead",
                )
            )
    return problems
