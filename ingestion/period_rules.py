"""The rows' own periods against the year in the file's name, and no event after the run date.

A yearly file holds its year (ingestion.contract's ``period_check``): a 2024 benefit file with
2023's months, a 2023 school-year file holding 2022/23, a placement file all of whose spells ended
before its year (one such row is a correction of a spell the previous file held open), are errors
naming file, line and column, never counted as the file's year. A date after the day the refresh
runs cannot have happened yet: an error too, never a row dropped later. End
dates (nullable) may be planned and are left out of the future check. Values are not echoed:
they are person-level dates.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ingestion.contract import Source
from ingestion.errors import Problem
from ingestion.schemas import parse_dates

MAX_LINES = 20  # lines listed per rule and file chunk; the count says how many in all


def _report(mask: pd.Series, file: str, column: str, check: str) -> list[Problem]:
    hit = mask.fillna(False).to_numpy(bool)
    lines = [int(i) + 2 for i in mask.index[hit]]
    problems = [Problem(file, line, column, check) for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        problems.append(Problem(file, None, column, f"{check}: {len(lines)} rows in all in this part of the file"))
    return problems


def school_year(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def period_problems(frame: pd.DataFrame, source: Source, file: str, year: int | None) -> list[Problem]:
    problems: list[Problem] = []
    check = source.period_check
    if year is not None and check:
        kind, column = check[0], check[1]
        values = frame[column]
        begins, ends = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
        if kind == "school_year":
            problems += _report(values.notna() & (values != school_year(year)), file, column,
                                f"school year other than {school_year(year)}, the year in the file name")
        elif kind == "month_in_year":
            problems += _report(values.notna() & ~values.str.startswith(f"{year}-"), file, column,
                                f"month outside {year}, the year in the file name")
        elif kind == "date_in_year":
            dates = parse_dates(values, source.date_format)
            problems += _report((dates < begins) | (dates > ends), file, column,
                                f"date outside {year}, the year in the file name")
        elif kind == "spell":
            starts = parse_dates(values, source.date_format)
            stops = parse_dates(frame[check[2]], source.date_format)
            problems += _report(starts > ends, file, column, f"starts after {year}, the year in the file name: "
                                "the file holds spells active in its year")
            # A row that ended before the year is a correction (the previous file held the spell open
            # and it had ended; the latest delivery's view wins), but a file none of whose spells is
            # active in its year is another year's file.
            if len(stops) and bool((stops < begins).all()):
                problems += _report(stops < begins, file, check[2], f"ended before {year}, the year in the file "
                                    "name, as every row of the file did: the file holds spells active in its year")
    today = pd.Timestamp(date.today())
    for col in source.columns:
        if col.dtype == "date" and not col.nullable:
            dates = parse_dates(frame[col.name], source.date_format)
            problems += _report(dates > today, file, col.name, "a date after today: it cannot have happened yet")
    return problems
