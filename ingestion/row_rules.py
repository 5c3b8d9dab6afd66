"""Rules across columns and against reference data, checked after the pandera schema (so every
value already parses as its contract type).

Two outcomes: a rule that means the file is wrong (an end before its start, absence above
the school days, an unknown housing area, a birth date after the file's year, a count above its
whole, a period outside the file's year: ingestion.period_rules) is an error naming file, line
and column; a row whose institution, school or activity code the reference data do not know, or
whose housing department is not in the organisation's lease files, is quarantined: kept out of
raw.<source>, written to raw.<source>__quarantine with the reason, counted in the load summary
and listed in the data-quality report. Nothing is dropped silently.

Reference codes are read from the dbt project's own seeds, the one list the warehouse uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from ingestion.contract import Source
from ingestion.errors import Problem
from ingestion.period_rules import period_problems
from ingestion.schemas import parse_dates, parse_decimal

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"

# (source, column) whose values must be a known institution or school: unknown ones are quarantined
INSTITUTION_COLUMNS = {
    ("skolefravaer", "SKOLE_KODE"),
    ("afgangsproever", "SKOLE_KODE"),
    ("sprogvurdering", "INSTITUTION_KODE"),
    ("dagtilbud", "INSTITUTION_KODE"),
}
# (source, column) naming a published geography: an unknown name means a misread table, an error
AREA_COLUMNS = {
    ("dst_boligomraader", "OMRAADE"),
    ("dst_valgdeltagelse", "OMRAADE"),
    ("lbf_boligsociale_data", "BOLIGOMRAADE"),
    ("lbf_tryghedsmaaling", "OMRAADE"),
}
# (source, start, end): an end before its start is impossible
DATE_ORDER = [
    ("anbringelser", "START", "SLUT"),
    ("indsatsdeltagelse", "START", "SLUT"),
    ("dagtilbud", "INDMELDT", "UDMELDT"),
]
ABSENCE_COLUMNS = ("FRAVAER_SYGDOM", "FRAVAER_LOVLIGT", "FRAVAER_ULOVLIGT")
# Nobody in Denmark has lived to 116: an older resident is a wrong birth date.
MAX_AGE_YEARS = 115


@dataclass(frozen=True)
class Quarantined:
    """Rows (0-based positions in the file's data rows) kept out of the raw table, and why."""

    positions: list[int]
    column: str
    reason: str


@cache
def institution_codes() -> frozenset[str]:
    return frozenset(pd.read_csv(SEEDS_DIR / "institutions.csv", dtype=str)["institution_code"])


@cache
def area_names() -> frozenset[str]:
    names = set(pd.read_csv(SEEDS_DIR / "geographies.csv", dtype=str)["geography_name"])
    names |= set(pd.read_csv(SEEDS_DIR / "geography_aliases.csv", dtype=str)["name_as_published"])
    names |= set(pd.read_csv(SEEDS_DIR / "plan_areas.csv", dtype=str)["area_name_in_plan"])
    return frozenset(names)


def _lines(mask: pd.Series) -> list[int]:
    """Lines in the file of the rows where mask holds: the frame's index is the 0-based data
    row (a chunk of a big file starts past 0), and the header is line 1."""
    return [int(i) + 2 for i in mask.index[mask.fillna(False).to_numpy(bool)]]


def row_problems(frame: pd.DataFrame, source: Source, file: str, year: int | None) -> list[Problem]:
    """Errors of rules across columns or against reference data; at most 20 lines per rule."""
    problems: list[Problem] = []
    for name, column in AREA_COLUMNS:
        if name == source.name:
            unknown = frame[column].notna() & ~frame[column].isin(area_names())
            problems += [Problem(file, line, column, "unknown area: not a geography or alias in the reference data",
                                 frame[column].loc[line - 2]) for line in _lines(unknown)[:20]]
    for name, start, end in DATE_ORDER:
        if name == source.name:
            begins = parse_dates(frame[start], source.date_format)
            ends = parse_dates(frame[end], source.date_format)
            problems += [Problem(file, line, end, f"ends before it starts ({start} is later)")
                         for line in _lines(ends < begins)[:20]]
    if source.name == "skolefravaer":
        absent = sum(parse_decimal(frame[c], source) for c in ABSENCE_COLUMNS)
        days = parse_decimal(frame["SKOLEDAGE"], source)
        problems += [Problem(file, line, "FRAVAER_SYGDOM", "absence (sickness + lawful + unlawful) above the school days "
                             f"SKOLEDAGE ({frame['SKOLEDAGE'].loc[line - 2]})") for line in _lines(absent > days)[:20]]
    if source.name == "cpr_befolkning":
        born = parse_dates(frame["FOEDSELSDATO"], source.date_format)
        latest = pd.Timestamp(year=year, month=12, day=31) if year else pd.Timestamp.today()
        earliest = pd.Timestamp(year=latest.year - MAX_AGE_YEARS, month=1, day=1)
        impossible = (born > latest) | (born < earliest)
        # the birth date is person-level: never echoed
        problems += [Problem(file, line, "FOEDSELSDATO", f"impossible birth date for a resident in {year or 'this file'}")
                     for line in _lines(impossible)[:20]]
    for col in source.columns:
        if col.part_of:
            part, whole = parse_decimal(frame[col.name], source), parse_decimal(frame[col.part_of], source)
            problems += [Problem(file, line, col.name, f"above {col.part_of} in the same row: a part cannot exceed its "
                                 "whole (a share above 100 %); a misread number?", frame[col.name].loc[line - 2])
                         for line in _lines(part > whole)[:20]]
    return problems + period_problems(frame, source, file, year)


@cache
def activity_codes() -> frozenset[str]:
    return frozenset(pd.read_csv(SEEDS_DIR / "activities.csv", dtype=str)["activity_code"])


# event files of a housing organisation -> its lease file, which lists the departments it has
LEASE_FILES = {
    "randersbolig_flytninger": "randersbolig_lejemaal", "randersbolig_udsaettelser": "randersbolig_lejemaal",
    "randersbolig_klager": "randersbolig_lejemaal", "lejerbo_flytninger": "lejerbo_lejemaal",
    "lejerbo_klager": "lejerbo_lejemaal",
}


def _department_key(frame: pd.DataFrame, source: Source) -> tuple[str, pd.Series]:
    """(column, '<company>-<department>') of each row; Lejerbo's numbers are zero-padded text."""
    if "SELSKAB_NR" in frame.columns:
        number = pd.to_numeric(frame["AFDELING_NR"], errors="coerce").astype("Int64").astype("string")
        return "AFDELING_NR", frame["SELSKAB_NR"].astype("string") + "-" + number
    number = pd.to_numeric(frame["Afdelingsnr"], errors="coerce").astype("Int64").astype("string")
    return "Afdelingsnr", "LEJERBO-" + number


def lease_departments(folder: Path, lease_source: Source) -> frozenset[str]:
    """The departments in the organisation's lease files delivered beside an event file (all years)."""
    files = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                         for p in folder.glob(f"{lease_source.name}_*.csv") if not p.is_symlink()))
    return _lease_departments(str(folder), lease_source.name, files)


@cache
def _lease_departments(folder: str, lease_name: str, files: tuple) -> frozenset[str]:
    from ingestion.contract import source as contract_source

    src = contract_source(lease_name)
    keys: set[str] = set()
    columns = ["SELSKAB_NR", "AFDELING_NR"] if "SELSKAB_NR" in src.column_names else ["Afdelingsnr"]
    for name, _, _ in files:
        frame = pd.read_csv(Path(folder) / name, sep=src.delimiter, encoding=src.encoding, dtype=str,
                            usecols=columns, keep_default_na=False)
        keys |= set(_department_key(frame, src)[1].dropna())
    return frozenset(keys)


def quarantine(frame: pd.DataFrame, source: Source, path: Path | None = None) -> list[Quarantined]:
    """Rows whose institution, school or activity the reference data do not know, or whose housing
    department is not in the organisation's lease files delivered beside them (positions in the
    frame): kept beside the source and counted, never dropped silently."""
    out = []
    checks = [(column, frame[column].notna() & ~frame[column].isin(institution_codes()),
               "unknown institution or school code: not in the reference data")
              for name, column in INSTITUTION_COLUMNS if name == source.name]
    if source.name == "indsatsdeltagelse":
        checks.append(("AKTIVITET", frame["AKTIVITET"].notna() & ~frame["AKTIVITET"].isin(activity_codes()),
                       "unknown activity code: not in the activity catalogue (seeds/activities.csv)"))
    if source.name in LEASE_FILES and path is not None:
        from ingestion.contract import source as contract_source

        lease_source = contract_source(LEASE_FILES[source.name])
        known = lease_departments(Path(path).parent, lease_source)
        column, keys = _department_key(frame, source)
        checks.append((column, ~keys.isin(known).fillna(False).astype(bool),
                       f"unknown housing department: not in the organisation's lease files ({lease_source.name})"))
    taken = pd.Series(False, index=frame.index)
    for column, unknown, reason in checks:
        unknown = unknown.fillna(False).astype(bool) & ~taken  # a row is held once, for its first reason
        if unknown.any():
            out.append(Quarantined([int(i) for i in unknown.to_numpy().nonzero()[0]], column, reason))
            taken |= unknown
    return out
