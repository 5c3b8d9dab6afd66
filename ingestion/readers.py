"""Read and validate one source's extract files.

Every file is checked completely: encoding, delimiter, header, row shape, the CPR guard, the
pandera schema, then the rules across columns and against reference data (ingestion.row_rules).
A big file is checked a chunk of rows at a time (ingestion.csv_text), so memory is bounded;
problems are collected and reported with file, line and column, and a source with any problem
is not loaded at all (the loader rolls back).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.contract import PERSON_KEY_PATTERN, Source
from ingestion.cpr_guard import CprScan, cpr_headers, cpr_positions
from ingestion.csv_text import CHUNK_ROWS, ShapeProblems, check_encoding, is_utf8, read_header, text_chunks
from ingestion.errors import ExtractError, Problem
from ingestion.row_rules import Quarantined, quarantine, row_problems
from ingestion.schemas import key_schema_for, row_schema_for

# past this many problems in a file the remaining chunks are not validated: the report is long enough
MAX_PROBLEMS = 1000


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
        if path.is_symlink():  # never followed out of the extract folder, its target never read
            problems.append(Problem(str(path), None, None, "a symbolic link: not followed; deliver the file itself"))
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


@dataclass(frozen=True)
class ValidChunk:
    """Rows of one file that passed every check: ``first_row`` is the 0-based data row of the
    first (line first_row + 2); ``table`` the contract's columns as text (null where empty);
    ``held`` the rows (positions in the chunk) the reference data do not know."""

    year: int | None
    path: Path
    first_row: int
    table: pa.Table
    held: list[Quarantined]


def _frame(table: pa.Table, first_row: int = 0) -> pd.DataFrame:
    """Arrow text -> pandas text columns (Arrow-backed: no copy), indexed by data row."""
    frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype() if t in (pa.string(), pa.large_string()) else None)
    frame.index = pd.RangeIndex(first_row, first_row + len(frame))
    return frame


# a header cell shown in a message must look like a column name: a file without its header
# would otherwise print a row's values (person keys, dates) as "column names"
_NAME_LIKE = re.compile(r"^[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå0-9_ ]{0,39}$")
_DELIMITERS = {";": "semicolon", ",": "comma", "\t": "tab", "|": "vertical bar"}


def _shown(name: str) -> str | None:
    return name if _NAME_LIKE.match(name) and not re.fullmatch(PERSON_KEY_PATTERN, name) else None


def _check_header(path: Path, source: Source) -> list[str]:
    file = str(path)
    header = read_header(path, source)
    expected = source.column_names
    if len(header) == 1 and len(expected) > 1:
        used = [name for d, name in _DELIMITERS.items() if d in header[0]]
        raise ExtractError(
            [Problem(file, 1, None, f"the header has a single column; the contract says the delimiter is "
                     f"{source.delimiter!r}" + (f" (the header seems to use {' or '.join(used)})" if used else ""))]
        )
    # a header naming a CPR number says so, rather than only "not in the contract"
    named_cpr = cpr_headers(header, file)
    problems = [Problem(file, 1, c, "required column is missing (renamed?)") for c in expected if c not in header]
    problems += named_cpr
    unknown = [(i, c) for i, c in enumerate(header) if c not in expected and c not in {p.column for p in named_cpr}]
    problems += [Problem(file, 1, _shown(c), "column is not in the contract" if _shown(c) else
                         f"header field {i + 1} is not a column of the contract and does not look like a column name "
                         "(a file without its header line?); not shown") for i, c in unknown]
    problems += [Problem(file, 1, c, "column appears more than once in the header") for c in sorted(set(header))
                 if header.count(c) > 1 and _shown(c)]
    if not problems and header != expected:
        # the contract fixes the order: a file in another order is another export than agreed
        problems.append(Problem(file, 1, None, "the columns are in another order than the contract's: expected "
                                f"{source.delimiter.join(expected)}"))
    if problems:
        raise ExtractError(problems)
    return header


class _File:
    """One file being validated: its problems, and what is checked once it has been read."""

    def __init__(self, year: int | None, path: Path, source: Source):
        self.year, self.path, self.file = year, Path(path), str(path)
        self.shape = ShapeProblems(len(source.columns))
        self.cpr = CprScan(self.file)
        self.problems: list[Problem] = []
        self.keys: list[pa.Table] = []  # key columns, when the file spans batches
        self.rows = 0
        self.read = False  # every row has been read
        self.batches = 0  # batches of its rows validated so far
        self.finished = False

    @property
    def failed(self) -> bool:
        return bool(self.problems or self.shape.count or self.cpr.hits)


@dataclass
class _Segment:
    owner: _File
    first_row: int  # 0-based data row of the file
    table: pa.Table


def validate_files(files: list[tuple[int | None, Path]], source: Source) -> Iterator[ValidChunk]:
    """Every row of every file checked against the contract: encoding, header, row shape, the
    CPR guard, the pandera schema (the key unique within each file), the rules across columns.

    Rows are validated in batches of about CHUNK_ROWS: a big file in several, many small files
    together (pandera's cost per call is paid once, not per file). Chunks are yielded while no
    problem has been met in any file; at the end ExtractError lists every problem of every file,
    so a caller writing the chunks must roll back."""
    states: list[_File] = []
    pending: list[_Segment] = []
    pending_rows = 0

    def flush() -> Iterator[ValidChunk]:
        nonlocal pending, pending_rows
        batch, pending, pending_rows = pending, [], 0
        yield from _validate_batch(batch, source, clean=not any(s.failed for s in states))
        for state in states:
            if state.read and not state.finished:
                _finish(state, source)

    for year, path in files:
        state = _File(year, path, source)
        states.append(state)
        try:
            check_encoding(state.path, source)
            header = _check_header(state.path, source)
            for chunk in text_chunks(state.path, source, header, state.shape):
                state.rows += chunk.table.num_rows
                if state.failed and len(state.problems) > MAX_PROBLEMS or state.shape.count or state.cpr.hits:
                    continue  # refused already: the rest is only read for its shape
                if chunk.table.num_rows:
                    pending.append(_Segment(state, chunk.first_row, chunk.table))
                    pending_rows += chunk.table.num_rows
                if pending_rows >= CHUNK_ROWS:
                    yield from flush()
        except ExtractError as exc:
            state.problems += exc.problems
        except pa.ArrowInvalid as exc:
            state.problems.append(Problem(state.file, None, None, f"rows do not have the header's shape: {exc}"))
        state.read = True
        if not any(seg.owner is state for seg in pending):
            _finish(state, source)  # every row validated already, or none to validate
    if pending:
        yield from flush()
    problems = [_redacted(p, source) for state in states for p in state.problems]
    if problems:
        raise ExtractError(problems)


def _redacted(problem: Problem, source: Source) -> Problem:
    """A person-level file's values are shown only for code and whole-number columns (an unknown
    code, an age out of range): never a person key, a date or free text."""
    if problem.value is None or not source.person_level or problem.column not in source.column_names:
        return problem
    if source.column(problem.column).dtype in ("code", "int"):
        return problem
    return Problem(problem.file, problem.line, problem.column, problem.check + "; the value is not shown")


def _finish(state: _File, source: Source) -> None:
    """The checks of a whole file, once every row has been read and validated."""
    state.finished = True
    if state.problems and not state.rows and not state.shape.count:
        return  # refused before its rows (encoding, header)
    if state.shape.count:
        state.problems = state.shape.problems(state.file)  # the values' lines would be off
    elif state.rows == 0:
        state.problems = [Problem(state.file, 2, None, "the file has a header but no rows (an empty year?)")]
    elif state.cpr.hits:
        state.problems = state.cpr.problems()  # no value is echoed from a file with CPR numbers
    elif state.keys and not state.problems:
        keys, state.keys = pa.concat_tables(state.keys), []
        candidates = _rows_with_repeated_keys(keys)
        if len(candidates):
            # pandera checks the key on every row that shares its key with another: the same
            # failures as on the whole file, without hashing millions of keys in pandas
            frame = _frame(keys.take(pa.array(candidates)))
            frame.index = pd.Index(candidates)
            try:
                key_schema_for(source.name).validate(frame, lazy=True)
            except pa_errors.SchemaErrors as exc:
                state.problems += _problems_from_pandera(exc, state.file)
    state.problems = _physical_lines(state.problems, state.path, source)
    state.problems.sort(key=lambda p: (p.line or 0, p.column or ""))


def _physical_lines(problems: list[Problem], path: Path, source: Source) -> list[Problem]:
    """Row problems carry 'line' = data row + 2, right only while every row is one line. A value
    with a quoted line break, or a blank line (the reader skips it), moves the rows after it
    down: the rows' first lines are counted here, for a refused file only, up to the last needed."""
    rows = {p.line - 2 for p in problems if p.line is not None and p.line >= 2}
    if not rows:
        return problems
    last, starts = max(rows), {}
    encoding = "utf-8-sig" if is_utf8(source) else source.encoding
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=source.delimiter, quotechar='"', doublequote=True)
        before, row = 0, -1  # physical lines read so far; data row (-1: the header)
        for fields in reader:
            start, before = before + 1, reader.line_num
            if not fields:
                continue  # a blank line: the CSV reader skips it too
            if row in rows:
                starts[row] = start
            row += 1
            if row > last:
                break
    return [Problem(p.file, starts.get(p.line - 2, p.line), p.column, p.check, p.value)
            if p.line is not None and p.line >= 2 else p for p in problems]


def _rows_with_repeated_keys(keys: pa.Table) -> np.ndarray:
    """Positions of the rows whose key another row has too: the keys sorted (Arrow), then
    neighbours compared. Memory is the sort's indices and one sorted copy of the keys."""
    order = pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in keys.column_names])
    ordered = keys.take(order)
    n = keys.num_rows
    same = np.ones(max(n - 1, 0), dtype=bool)
    for column in ordered.columns:
        values = column.combine_chunks()
        after, before = values.slice(1), values.slice(0, n - 1)
        equal = pc.fill_null(pc.equal(after, before), False)
        both_missing = pc.and_(pc.is_null(after), pc.is_null(before))
        same &= pc.or_(equal, both_missing).to_numpy(zero_copy_only=False)
    repeated = np.zeros(n, dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    return np.sort(order.to_numpy()[repeated])


def _validate_batch(batch: list[_Segment], source: Source, clean: bool) -> Iterator[ValidChunk]:
    """One pandera validation for the rows of several files (or part of a big one). The batch's
    frame is indexed by position; a failure's position gives its file and line."""
    starts = np.cumsum([0] + [seg.table.num_rows for seg in batch])
    frame = _frame(pa.concat_tables([seg.table for seg in batch]))
    owner = np.searchsorted(starts, np.arange(len(frame)), side="right") - 1  # segment of each row

    for column in frame.columns:
        found = cpr_positions(frame[column])
        for index in np.unique(owner[found]) if len(found) else ():
            mine = found[owner[found] == index]
            seg = batch[index]
            seg.owner.cpr.record(column, seg.first_row + int(mine[0] - starts[index]) + 2, len(mine))
    checked = np.array([not seg.owner.cpr.hits for seg in batch])[owner]
    rows = frame if checked.all() else frame[checked]
    failed_segments: set[int] = set()
    try:
        row_schema_for(source.name).validate(rows, lazy=True)
    except pa_errors.SchemaErrors as exc:
        for problem in _problems_from_pandera(exc, ""):
            failed_segments.add(_assign(problem, batch, starts))
    if source.keys:
        _check_keys(frame, batch, starts, owner, checked, source, failed_segments)
    for index, seg in enumerate(batch):
        seg.owner.batches += 1
        if index in failed_segments or seg.owner.cpr.hits:
            continue
        part = frame.iloc[starts[index]:starts[index + 1]]
        part.index = pd.RangeIndex(seg.first_row, seg.first_row + len(part))
        seg.owner.problems += row_problems(part, source, seg.owner.file, seg.owner.year)
        if clean and not any(s.owner.failed for s in batch):
            yield ValidChunk(seg.owner.year, seg.owner.path, seg.first_row, seg.table,
                             quarantine(part, source, seg.owner.path))


def _assign(problem: Problem, batch: list[_Segment], starts: np.ndarray) -> int:
    """Give a problem found at a batch position (its 'line' is position + 2) its file and line."""
    position = problem.line - 2 if problem.line is not None else 0
    index = int(np.searchsorted(starts, position, side="right")) - 1
    seg = batch[index]
    line = seg.first_row + position - int(starts[index]) + 2 if problem.line is not None else None
    seg.owner.problems.append(Problem(seg.owner.file, line, problem.column, problem.check, problem.value))
    return index


def _check_keys(frame, batch, starts, owner, checked, source, failed_segments) -> None:
    """The key unique within each file: files wholly in this batch are checked here together
    (the file is part of the key), the others once all their rows are in (_finish)."""
    whole = np.array([seg.owner.read and not seg.owner.batches for seg in batch])
    for index, seg in enumerate(batch):
        if not whole[index] and checked[starts[index]]:
            seg.owner.keys.append(seg.table.select(list(source.keys)))
    mask = whole[owner] & checked
    if not mask.any():
        return
    # a file's number in the batch: the first of its segments
    file_of = np.array([next(i for i, other in enumerate(batch) if other.owner is seg.owner) for seg in batch])
    keys = frame.loc[mask, list(source.keys)].assign(_file=file_of[owner[mask]])
    try:
        key_schema_for(source.name, by_file=True).validate(keys, lazy=True)
    except pa_errors.SchemaErrors as exc:
        for problem in _problems_from_pandera(exc, ""):
            if problem.column != "_file":
                failed_segments.add(_assign(problem, batch, starts))


def validated_chunks(path: Path, source: Source) -> Iterator[ValidChunk]:
    """The rows of one file, validated (see validate_files)."""
    year = re.search(r"_(\d{4})\.csv$", Path(path).name)
    return validate_files([(int(year.group(1)) if year else None, Path(path))], source)


def read_extract(path: Path, source: Source) -> pd.DataFrame:
    """One file -> DataFrame of text (missing for empty fields), validated against the contract."""
    chunks = list(validated_chunks(path, source))
    return _frame(pa.concat_tables([c.table for c in chunks]))


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
