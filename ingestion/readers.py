"""Read and validate one source's extract files.

Every file is checked completely before anything is loaded: encoding, delimiter, header,
row shape, the CPR guard, the pandera schema, then the rules across columns and against
reference data (ingestion.row_rules). Problems are collected and reported with
file, line and column; a source with any problem is not loaded at all.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from ingestion.contract import Source
from ingestion.cpr_guard import find_cpr_numbers
from ingestion.errors import ExtractError, Problem
from ingestion.row_rules import row_problems
from ingestion.schemas import schema_for


def find_files(extract_dir: Path, source: Source) -> dict[int, Path]:
    """The source's files in the extract folder by year. Files that look like the source but
    do not follow the contract's name pattern (e.g. a second copy of a year) are errors."""
    folder = Path(extract_dir) / source.folder
    if not folder.is_dir():
        return {}
    pattern = re.compile(rf"^{re.escape(source.name)}_(\d{{4}})\.csv$")
    files: dict[int, Path] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if not path.name.startswith(source.name + "_") or path.name.startswith("."):
            continue
        match = pattern.match(path.name)
        if match is None:
            problems.append(
                Problem(str(path), None, None, f"file name does not follow the pattern {source.file_pattern}; "
                "is this a second delivery of the same year?")
            )
            continue
        files[int(match.group(1))] = path
    if problems:
        raise ExtractError(problems)
    return files


def _decode(path: Path, source: Source) -> str:
    data = path.read_bytes()
    if source.encoding.lower().replace("-", "") in ("utf8",) and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark is harmless
    if source.encoding.lower() != "utf-8" and not data.isascii():
        # UTF-8 text decodes as Windows-1252 without error, only as mojibake ("SÃ¦rlig"):
        # a file that is valid UTF-8 with non-ASCII characters is taken as the wrong encoding.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            first = next(i for i, b in enumerate(data) if b > 127)
            raise ExtractError([Problem(str(path), data[:first].count(b"\n") + 1, None,
                                        f"the file is UTF-8; the contract says this source is delivered in {source.encoding}")])
    try:
        return data.decode(source.encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractError(
            [Problem(str(path), line, None, f"not valid {source.encoding} text (byte {data[exc.start]:#04x}); "
                     f"the contract says this source is delivered in {source.encoding}")]
        ) from None


def _rows_with_wrong_field_count(text: str, delimiter: str, expected: int) -> list[tuple[int, int]]:
    """(line, fields) of rows whose field count differs from the header's. pandas pads short
    rows silently, so a truncated file has to be caught here."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    return [(reader.line_num, len(row)) for row in reader if row and len(row) != expected]


def read_extract(path: Path, source: Source) -> pd.DataFrame:
    """One file -> DataFrame of text (None for empty fields), validated against the contract."""
    text = _decode(path, source)
    file = str(path)
    if not text.strip():
        raise ExtractError([Problem(file, 1, None, "the file is empty (no header, no rows)")])
    header_line = text.split("\n", 1)[0].rstrip("\r")
    header = header_line.split(source.delimiter)
    expected = source.column_names
    if len(header) == 1 and len(expected) > 1:
        raise ExtractError(
            [Problem(file, 1, None, f"the header has a single column; the contract says the delimiter is "
                     f"{source.delimiter!r} (got {header_line[:80]!r})")]
        )
    # a header naming a CPR number says so, rather than only "not in the contract"
    cpr_headers = find_cpr_numbers(pd.DataFrame(columns=header, dtype="string"), file)
    problems = [Problem(file, 1, c, "required column is missing (renamed?)") for c in expected if c not in header]
    problems += cpr_headers
    problems += [Problem(file, 1, c, "column is not in the contract") for c in header
                 if c not in expected and c not in {p.column for p in cpr_headers}]
    if problems:
        raise ExtractError(problems)
    # before the parser, which would report a row of the wrong shape without its line
    short = _rows_with_wrong_field_count(text, source.delimiter, len(expected))
    if short:
        raise ExtractError([Problem(file, line, None, f"row has {n} fields, the header has {len(expected)} "
                                    f"({'truncated file?' if n < len(expected) else 'an unquoted delimiter in a value?'})")
                            for line, n in short[:20]])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=source.delimiter,
            dtype="string",
            keep_default_na=False,
            na_values=[],
            on_bad_lines="error",
        )
    except pd.errors.ParserError as exc:
        raise ExtractError([Problem(file, None, None, f"rows do not have the header's shape: {exc}")]) from None
    if frame.empty:
        raise ExtractError([Problem(file, 2, None, "the file has a header but no rows (an empty year?)")])
    cpr = find_cpr_numbers(frame, file)
    if cpr:
        raise ExtractError(cpr)
    frame = frame[expected].mask(frame[expected] == "")
    try:
        schema_for(source.name).validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise ExtractError(_problems_from_pandera(exc, file)) from None
    year = re.search(r"_(\d{4})\.csv$", Path(path).name)
    problems = row_problems(frame, source, file, int(year.group(1)) if year else None)
    if problems:
        raise ExtractError(problems)
    return frame


def _problems_from_pandera(exc: pa_errors.SchemaErrors, file: str) -> list[Problem]:
    problems = []
    cases = exc.failure_cases
    for row in cases.itertuples(index=False):
        index = getattr(row, "index", None)
        line = int(index) + 2 if index is not None and not pd.isna(index) else None
        check = str(row.check)
        if check == "not_nullable":
            check = "a value is required"
        elif check in ("multiple_fields_uniqueness", "field_uniqueness") or "duplicates" in check:
            check = "duplicate key: the same key appears more than once in the file"
        value = None if pd.isna(row.failure_case) else str(row.failure_case)
        problems.append(Problem(file, line, None if pd.isna(row.column) else str(row.column), check, value))
    problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return problems


def read_source(extract_dir: Path, source: Source) -> dict[int, pd.DataFrame]:
    """All years of one source, each validated; raises ExtractError listing every problem."""
    frames: dict[int, pd.DataFrame] = {}
    problems: list[Problem] = []
    for year, path in find_files(extract_dir, source).items():
        try:
            frames[year] = read_extract(path, source)
        except ExtractError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ExtractError(problems)
    return frames
