"""The delivery manifest check: is the delivery whole, before anything is written?

Run before any raw table is touched. From the data contract (which sources, in which folder,
named how) and the previous delivery (raw._deliveries: which years were loaded before), it
lists every file present, and every problem: a file in the wrong folder, a misnamed one
(capitalised, a leading space, an unknown pattern), an unknown file or folder, a symbolic link
(never followed: the extract folder's files only), a folder in the wrong case, a whole source or
folder missing, a year missing inside a source's delivered range or delivered before and missing
now, a file named for a year after today, an extract folder that does not exist. Every problem
goes into one ExtractError, so the refresh stops with one message and writes nothing.

A source/year that really was never delivered is declared by the monitoring unit in
``manglende_leverancer.csv`` in the extract folder's root (``kilde;aar;begrundelse``, UTF-8).
A declared gap passes, is recorded in raw._delivery_gaps, and the marts show the year as
"ingen levering for <år>". A file's content is never printed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingestion.contract import SOURCES, SOURCES_BY_NAME, Source
from ingestion.errors import ExtractError, Problem

GAPS_FILE = "manglende_leverancer.csv"
GAPS_HEADER = ["kilde", "aar", "begrundelse"]
GAPS_TABLE = "raw._delivery_gaps"
GAPS_DDL = f"CREATE TABLE IF NOT EXISTS {GAPS_TABLE} (source VARCHAR, extract_year INTEGER, reason VARCHAR)"
FOLDERS = sorted({s.folder for s in SOURCES})
# written by the project's own demo generator (demo/generate.py) beside its extracts
DEMO_RECORD = "demo_manifest.json"
_NAME = re.compile(r"^([a-z_]+)_(\d{4})\.csv$")


@dataclass(frozen=True)
class Gap:
    source: str
    year: int
    reason: str


@dataclass
class Delivery:
    """What the extract folder holds: each source's files by year, and the declared gaps."""

    files: dict[str, dict[int, Path]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)

    def gaps_of(self, source: Source) -> list[Gap]:
        return [g for g in self.gaps if g.source == source.name]


def previous_delivery(con) -> dict[str, set[int]]:
    """{source: years} of the delivery loaded last (raw._deliveries), or {} on a first load."""
    try:
        rows = con.execute("SELECT source, extract_year FROM raw._deliveries").fetchall()
    except Exception:  # no warehouse yet, or no raw schema: nothing was delivered before
        return {}
    out: dict[str, set[int]] = {}
    for name, year in rows:
        out.setdefault(name, set()).add(int(year))
    return out


def previous_delivery_of(warehouse: Path) -> dict[str, set[int]]:
    """previous_delivery from a warehouse file, opened read-only (and not created if absent)."""
    import duckdb

    if not Path(warehouse).exists():
        return {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return previous_delivery(con)
    finally:
        con.close()


def check_delivery(extract_dir: Path, previous: dict[str, set[int]] | None = None,
                   today: date | None = None) -> Delivery:
    """The delivery in ``extract_dir``, or ExtractError listing every problem with it."""
    extract_dir, previous, today = Path(extract_dir), previous or {}, today or date.today()
    if extract_dir.is_symlink() or not extract_dir.is_dir():
        what = "is a symbolic link" if extract_dir.is_symlink() else "does not exist or is not a folder"
        raise ExtractError([Problem(str(extract_dir), None, None, f"the extract folder {what}; nothing was read")])
    problems: list[Problem] = []
    delivery = Delivery(files={s.name: {} for s in SOURCES})
    present_folders = _root(extract_dir, delivery, problems)
    for folder in FOLDERS:
        if folder in present_folders:
            _folder(extract_dir / folder, folder, delivery, problems, today)
    _expected(extract_dir, delivery, previous, present_folders, problems)
    if problems:
        raise ExtractError(problems, max_shown=200)
    return delivery


def _root(extract_dir: Path, delivery: Delivery, problems: list[Problem]) -> set[str]:
    present: set[str] = set()
    for entry in sorted(extract_dir.iterdir()):
        name = entry.name
        if name.startswith(".") or (name == DEMO_RECORD and entry.is_file() and not entry.is_symlink()):
            continue  # the operating system's own (.DS_Store), unfinished atomic writes, the demo's record
        if entry.is_symlink():
            problems.append(Problem(str(entry), None, None, "a symbolic link in the extract folder: not followed; "
                                    "copy the file or folder itself into the extract folder"))
        elif entry.is_dir() and name in FOLDERS:
            present.add(name)
        elif entry.is_dir() and name.strip().lower() in FOLDERS:
            problems.append(Problem(str(entry), None, None, f"folder {name!r} should be named "
                                    f"{name.strip().lower()!r} (names are lower case, no spaces)"))
        elif entry.is_file() and name == GAPS_FILE:
            delivery.gaps = _read_gaps(entry, problems)
        elif entry.is_file() and name.strip().lower() == GAPS_FILE:
            problems.append(Problem(str(entry), None, None, f"should be named {GAPS_FILE!r}"))
        elif entry.is_file() and _source_of(name) is not None:
            problems.append(Problem(str(entry), None, None, f"file in the wrong folder: belongs in "
                                    f"{_source_of(name).folder}/"))
        else:
            problems.append(Problem(str(entry), None, None, f"unknown {'folder' if entry.is_dir() else 'file'} in the "
                                    f"extract folder; the contract has the folders {', '.join(FOLDERS)} and {GAPS_FILE}"))
    return present


def _source_of(name: str) -> Source | None:
    match = _NAME.match(name)
    return SOURCES_BY_NAME.get(match.group(1)) if match else None


def _folder(path: Path, folder: str, delivery: Delivery, problems: list[Problem], today: date) -> None:
    mine = [s for s in SOURCES if s.folder == folder]
    for entry in sorted(path.iterdir()):
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(Problem(str(entry), None, None, "a symbolic link: not followed; deliver the file itself"))
            continue
        if entry.is_dir():
            problems.append(Problem(str(entry), None, None, f"unknown folder inside {folder}/"))
            continue
        src = _source_of(name)
        if src is not None and src.folder == folder:
            year = int(_NAME.match(name).group(2))
            if year > today.year:
                problems.append(Problem(str(entry), None, None, f"named for {year}, a year after today's; a wrong "
                                        "year in the file name?"))
            else:
                delivery.files[src.name][year] = entry
        elif src is not None:
            problems.append(Problem(str(entry), None, None, f"file in the wrong folder: belongs in {src.folder}/"))
        elif _source_of(name.strip().lower()) is not None:
            problems.append(Problem(str(entry), None, None, "misnamed: file names are lower case without spaces, "
                                    f"{_source_of(name.strip().lower()).file_pattern}"))
        elif any(name.startswith(s.name + "_") for s in mine):
            src = next(s for s in mine if name.startswith(s.name + "_"))
            problems.append(Problem(str(entry), None, None, f"file name does not follow the pattern {src.file_pattern}; "
                                    "is this a second delivery of the same year?"))
        else:
            problems.append(Problem(str(entry), None, None, f"unknown file in {folder}/: not a source of the contract"))


def _expected(extract_dir: Path, delivery: Delivery, previous: dict[str, set[int]], present_folders: set[str],
              problems: list[Problem]) -> None:
    for folder in FOLDERS:
        if folder not in present_folders:
            names = [s.name for s in SOURCES if s.folder == folder]
            problems.append(Problem(str(extract_dir / folder), None, None, f"folder {folder}/ is missing: "
                                    f"{len(names)} source(s) expected ({', '.join(names)})"))
    for src in SOURCES:
        years = set(delivery.files[src.name])
        declared = {g.year for g in delivery.gaps_of(src)}
        where = str(extract_dir / src.folder / src.file_pattern)
        for year in sorted(declared & years):
            problems.append(Problem(str(extract_dir / GAPS_FILE), None, None,
                                    f"{src.name} {year} is declared missing, but {src.file_name(year)} is delivered"))
        if src.folder not in present_folders:
            continue  # reported once, for the folder
        if not years:
            if not declared:
                problems.append(Problem(where, None, None, f"no files for source {src.name} in {src.folder}/"))
            continue
        withdrawn = previous.get(src.name, set()) - years - declared
        for year in sorted(withdrawn):
            problems.append(Problem(where, None, None, f"{src.file_name(year)} was delivered before and is missing "
                                    f"now; declare it in {GAPS_FILE} if it was withdrawn on purpose"))
        if src.yearly:
            known = years | previous.get(src.name, set())
            for year in range(min(known), max(known) + 1):
                if year not in known and year not in declared:
                    problems.append(Problem(where, None, None, f"{src.file_name(year)} is missing inside the delivered "
                                            f"years {min(known)}-{max(known)}; declare it in {GAPS_FILE} if it was "
                                            "never delivered"))


def _read_gaps(path: Path, problems: list[Problem]) -> list[Gap]:
    """manglende_leverancer.csv, checked like an extract: UTF-8, ';', the header, every row."""
    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, None, None, f"not valid UTF-8 text (byte {exc.start}); save it as UTF-8"))
        return []
    if "\r" in text and "\n" not in text:
        problems.append(Problem(file, None, None, "line endings: the file uses CR only; save it with LF or CRLF"))
        return []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    gaps: list[Gap] = []
    header = next(reader, None)
    if header != GAPS_HEADER:
        problems.append(Problem(file, 1, None, f"the header must be {';'.join(GAPS_HEADER)}"))
        return []
    seen: set[tuple[str, int]] = set()
    start = reader.line_num
    for row in reader:
        line, start = start + 1, reader.line_num
        if not row or not any(v.strip() for v in row):
            continue
        if len(row) != 3:
            problems.append(Problem(file, line, None, f"row has {len(row)} fields, the header has 3"))
            continue
        kilde, aar, begrundelse = (v.strip() for v in row)
        ok = True
        if kilde not in SOURCES_BY_NAME:
            problems.append(Problem(file, line, "kilde", "not a source of the data contract", kilde[:60]))
            ok = False
        if not re.fullmatch(r"\d{4}", aar):
            problems.append(Problem(file, line, "aar", "not a year (YYYY)", aar[:10]))
            ok = False
        if not begrundelse:
            problems.append(Problem(file, line, "begrundelse", "a reason is required"))
            ok = False
        if ok and (kilde, int(aar)) in seen:
            problems.append(Problem(file, line, None, f"{kilde} {aar} is declared twice"))
        elif ok:
            seen.add((kilde, int(aar)))
            gaps.append(Gap(kilde, int(aar), begrundelse))
    return gaps


def declared_gaps(extract_dir: Path) -> Delivery:
    """Only the gaps declared in the extract folder (no other check): what a raw asset records
    once the delivery manifest check has passed. ExtractError if the gaps file is bad."""
    problems: list[Problem] = []
    path = Path(extract_dir) / GAPS_FILE
    gaps = _read_gaps(path, problems) if path.is_file() and not path.is_symlink() else []
    if problems:
        raise ExtractError(problems)
    return Delivery(gaps=gaps)


def record_gaps(con, delivery: Delivery, source: Source | None = None) -> None:
    """raw._delivery_gaps holds the gaps declared in this delivery (of one source, or all)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(GAPS_DDL)
    gaps = delivery.gaps_of(source) if source else delivery.gaps
    current = sorted(con.execute(f"SELECT source, extract_year, reason FROM {GAPS_TABLE}"
                                 + (" WHERE source = ?" if source else ""), [source.name] if source else []).fetchall())
    if current == sorted((g.source, g.year, g.reason) for g in gaps):
        return  # a rerun writes nothing
    con.execute(f"DELETE FROM {GAPS_TABLE}" + (" WHERE source = ?" if source else ""), [source.name] if source else [])
    for g in gaps:
        con.execute(f"INSERT INTO {GAPS_TABLE} VALUES (?, ?, ?)", [g.source, g.year, g.reason])


def delivery_problems(extract_dir: Path, warehouse: Path) -> str | None:
    """The one message listing every problem with the delivery, or None when it is whole: what
    the command line checks before a refresh or load touches the warehouse."""
    try:
        check_delivery(extract_dir, previous_delivery_of(warehouse))
    except ExtractError as exc:
        return str(exc)
    return None
