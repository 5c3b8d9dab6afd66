"""Errors that name the file, row and column of bad input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# a CPR number anywhere in a value (DDMMYY-SSSS, a space or nothing between): never printed
_CPR_LIKE = re.compile(r"\d{6}[\s-]*\d{4}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an extract. ``line`` is the line in the file (the header is line 1)."""

    file: str
    line: int | None
    column: str | None
    check: str
    value: str | None = None

    def __str__(self) -> str:
        where = Path(self.file).name
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        if self.value is not None and _CPR_LIKE.search(self.value):
            shown = " (the value is not shown: it holds a number shaped like a CPR number)"
        else:
            shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.check}{shown}"


class ExtractError(Exception):
    """An extract that cannot be loaded. Nothing from it has been written to the warehouse."""

    def __init__(self, problems: list[Problem], max_shown: int = 20):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:max_shown])
        more = f"\n  ... and {len(problems) - max_shown} more" if len(problems) > max_shown else ""
        super().__init__(f"{len(problems)} problem(s) in the extracts; nothing was loaded:\n{shown}{more}")
