"""Render docs/data-contract.md from ingestion.contract, so the document cannot drift from
the code that enforces it (tests/test_contract.py checks the committed file is current).

    python -m ingestion.contract_doc > docs/data-contract.md
"""

from __future__ import annotations

from ingestion.contract import DST_MARKERS, LBF_MARKERS, PERSON_KEY_PATTERN, SOURCES, Source

KIND_TITLES = {
    "municipal": "Randers Kommune's person-level extracts",
    "housing": "The housing organisations' extracts",
    "published": "Published aggregate tables",
}

INTRO = f"""# Data contract: the extracts the warehouse reads

Generated from `ingestion/contract.py` by `python -m ingestion.contract_doc`; do not edit by hand.
The pandera schemas in `ingestion/schemas.py` enforce it at ingestion.

## General rules
- **One file per source and year**, named `<source>_<YYYY>.csv`, in the sub-folder given below
  of the extract folder (`boligmonitor run --extracts DIR`). What the year means differs per
  source (see *Period*). A file that does not follow the pattern (e.g. a second copy of a year)
  is an error, not silently skipped.
- The header must hold exactly the listed columns, in that order. Missing, renamed or extra
  columns are errors naming the column.
- Empty fields are missing values and only allowed where a column is *nullable*.
- **Person keys** are pseudonymised: 16 lower-case hexadecimal characters (`{PERSON_KEY_PATTERN}`).
  A value shaped like a CPR number (DDMMYY-SSSS) in any column, or a header naming a CPR number,
  rejects the file. The value is never echoed in the error.
- Every error names the file, line (the header is line 1) and column. A source with any error is
  not loaded at all; the previous load and the last published exports stay as they were.
- The raw layer keeps every value as the delivered text, with the file name and row number for
  lineage; typing happens in dbt's staging models.

## Suppression markers
- Danmarks Statistik: {", ".join(f"`{k}` = {v}" for k, v in DST_MARKERS.items())}.
- Landsbyggefonden: {", ".join(f"`{k or '(empty)'}` = {v}" for k, v in LBF_MARKERS.items())}.
- Municipal and housing extracts have no markers: a value is there or the field is empty.
"""


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


if __name__ == "__main__":
    print(render(), end="")
