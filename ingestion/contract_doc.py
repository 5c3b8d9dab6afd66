"""Render docs/data-contract.md from ingestion.contract, so the document cannot drift from
the code that enforces it (tests/test_ingestion_validation.py checks the committed file is current).

    python -m ingestion.contract_doc [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingestion.contract import DST_MARKERS, LBF_MARKERS, MAX_COUNT, PERSON_KEY_PATTERN, SOURCES, Source
from ingestion.generated_files import sync
from ingestion.manifest import GAPS_FILE, GAPS_HEADER, GAPS_TABLE

KIND_TITLES = {
    "municipal": "Randers Kommune's person-level extracts",
    "housing": "The housing organisations' extracts",
    "published": "Published aggregate tables",
}

INTRO = f"""# Data contract: the extracts the warehouse reads

Generated from `ingestion/contract/` by `python -m ingestion.contract_doc`; do not edit by hand.
The pandera schemas in `ingestion/schemas.py` enforce it at ingestion.

## General rules
- **One file per source and year**, named `<source>_<YYYY>.csv`, in the sub-folder given below
  of the extract folder (`boligmonitor run --extracts DIR`). What the year means differs per
  source (see *Period*). A file that does not follow the pattern (e.g. a second copy of a year)
  is an error, not silently skipped.
- The header must hold exactly the listed columns, in that order. Missing, renamed or extra
  columns are errors naming the column; the same columns in another order are an error too (the
  agreed export is a fixed layout; another order means another export than agreed).
- Lines end in LF or CRLF (a file with CR alone is refused). Windows-1252 sources must not hold
  UTF-8 text (`Ã¸` for `ø`): that is refused, not stored garbled.
- Empty fields are missing values and only allowed where a column is *nullable*.
- **Person keys** are pseudonymised: 16 lower-case hexadecimal characters (`{PERSON_KEY_PATTERN}`).
  A value shaped like a CPR number (DDMMYY-SSSS) in any column, or a header naming a CPR number,
  rejects the file. The value is never echoed in the error.
- Every error names the file, line (the header is line 1; a quoted line break or a blank line
  counts) and column. A source with any error is not loaded at all; the previous load and the
  last published exports stay as they were. A person-level file's values are shown only for codes
  and whole numbers, and a value holding a number shaped like a CPR number never.

- The raw layer keeps every value as the delivered text, with the file name and row number for
  lineage; typing happens in dbt's staging models.

## The delivery as a whole
Before anything is written, the delivery manifest check (`ingestion/manifest.py`) compares the
extract folder with this contract and with the previous delivery (`raw._deliveries`), and stops
the refresh with one message listing every problem:
- the extract folder must exist, with the folders {", ".join(f"`{f}/`" for f in sorted({s.folder for s in SOURCES}))}
  (lower case); every file in the folder of its source, named exactly `<source>_<YYYY>.csv`
  (lower case, no spaces); no unknown file or folder; no symbolic link (never followed);
- every source delivered; a source marked *yearly* delivered for every year between its first
  and last delivered year; every year loaded before delivered again; no file named for a year
  after the day of the refresh.

**A known gap** (a source/year that really was never delivered) is declared by the monitoring
unit in `{GAPS_FILE}` in the extract folder's root, UTF-8, `;`-separated, header
`{";".join(GAPS_HEADER)}`, one row per missing file, e.g.
`randersbolig_udsaettelser;2020;RandersBolig kunne ikke levere 2020`. It is checked like an
extract (a known source, a year, a reason; not a file that is delivered after all). Declared gaps
pass the check and are recorded in `{GAPS_TABLE}`; the marts show such a year as "ingen levering
for <år>", never as 0.

## Plausibility
- A *count* is a whole number below {MAX_COUNT:,} (more than Denmark's population is a misread
  number): `1,270` in a count of a source whose decimal mark is `,` is an error, not 1.27.
- A count marked *part of* another column of the same row cannot exceed it (a share above 100 %).
  Shares (`ANDEL_*`, `FRAFLYTNINGSPROCENT`) are 0-100 %.
- *Period check*: the rows' own periods agree with the year in the file name (a 2024 file holding
  2023's months is an error); a spell source holds spells active in the year.
- A (non-empty, non-planned) date after the day of the refresh is an error: it cannot have
  happened yet. Planned end dates (nullable end columns) may lie ahead.
- Unknown institution, school, activity (`seeds/activities.csv`) or housing department (not in
  the organisation's lease files) codes: the rows go to `raw.<source>__quarantine`, counted in the
  load summary and the quality report.

## Suppression markers
- Danmarks Statistik: {", ".join(f"`{k}` = {v}" for k, v in DST_MARKERS.items())}.
- Landsbyggefonden: {", ".join(f"`{k or '(empty)'}` = {v}" for k, v in LBF_MARKERS.items())}.
- Municipal and housing extracts have no markers: a value is there or the field is empty.
"""


_PERIOD_CHECKS = {
    "date_in_year": "`{0}` lies in the year in the file name",
    "month_in_year": "`{0}` is a month of the year in the file name",
    "school_year": "`{0}` is the school year starting in the year in the file name",
    "spell": "the spell `{0}`-`{1}` is active at some time in the year in the file name (a row that ended "
             "earlier is a correction of a spell an earlier file held open; a file with no spell active in its "
             "year is an error)",
}


def _format(source: Source) -> str:
    thousands = f"`{source.thousands}`" if source.thousands else "none"
    return (f"CSV, encoding `{source.encoding}`, delimiter `{source.delimiter}`, decimal mark "
            f"`{source.decimal}`, thousands separator {thousands}, dates `{source.date_format}`")


def _allowed(col) -> str:
    parts = []
    if col.codes:
        parts.append("codes: " + ", ".join(f"`{c}`" for c in col.codes))
    if col.pattern:
        parts.append(f"pattern `{col.pattern}`")
    if col.min_value is not None or col.max_value is not None:
        lo = "" if col.min_value is None else f"{col.min_value:g}"
        hi = "" if col.max_value is None else f"{col.max_value:g}"
        parts.append(f"range {lo}..{hi}")
    if col.whole:
        parts.append("count (whole number)")
    if col.part_of:
        parts.append(f"part of `{col.part_of}`")
    if col.markers_allowed:
        parts.append("suppression markers allowed")
    return "; ".join(parts).replace("|", "\\|")


def render() -> str:
    out = [INTRO]
    for kind, title in KIND_TITLES.items():
        out.append(f"## {title}\n")
        for source in (s for s in SOURCES if s.kind == kind):
            out.append(f"### `{source.file_pattern}`\n")
            out.append(f"- **Provider:** {source.provider}")
            out.append(f"- **Folder:** `{source.folder}/`")
            out.append(f"- **Holds:** {source.description}")
            out.append(f"- **Period:** {source.period}")
            out.append(f"- **Yearly:** {'yes: every year between the first and the last delivered' if source.yearly else 'no'}")
            if source.period_check:
                check, *columns = source.period_check
                out.append(f"- **Period check:** {_PERIOD_CHECKS[check].format(*columns)}")
            out.append(f"- **Format:** {_format(source)}")
            out.append(f"- **Keys (unique per file):** {', '.join(f'`{k}`' for k in source.keys)}")
            out.append(f"- **Person level:** {'yes — never leaves raw and staging' if source.person_level else 'no'}\n")
            out.append("| column | type | nullable | allowed values | meaning |")
            out.append("|---|---|---|---|---|")
            for col in source.columns:
                out.append(f"| `{col.name}` | {col.dtype} | {'yes' if col.nullable else 'no'} | "
                           f"{_allowed(col)} | {col.description} |")
            out.append("")
    out.append("## Not delivered\n")
    out.append("- Lejerbo delivers no eviction extract; eviction figures cover RandersBolig's departments only.")
    out.append("- LBF's boligsociale data leave out small departments (listed per row in `AFDELINGER_MEDREGNET`);"
               " LBF's tryghedsmåling covers only Gl. Jennumparken, Glarbjergvej-området and Hermann Stillingsvej-området.")
    out.append("- Danmarks Statistik suppresses Centrale Randers's education figures from 2024 (widened discretion).")
    return "\n".join(out) + "\n"


DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "data-contract.md"

if __name__ == "__main__":
    sys.exit(sync({DOCUMENT: render()}, "python -m ingestion.contract_doc", check="--check" in sys.argv[1:]))
