"""Write dbt's source YAML (models/staging/<folder>/_<folder>__sources.yml) from
ingestion.contract, so the sources' descriptions cannot drift from the contract that the
ingestion enforces (tests/test_contract_sources.py checks the committed files are current).

    python -m ingestion.contract_sources          # rewrite the three files
    python -m ingestion.contract_sources --check  # exit 1 naming the files that differ

One dbt source per extract folder (kommune, boligorganisationer, publicerede), one table per
contract source, one column per contract column. The raw layer keeps every value as the
delivered text, so every column's data_type is varchar; the contract's own type is kept in
the column's meta (contract_type) for whoever reads the manifest.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from ingestion.contract import SOURCES, Source
from ingestion.generated_files import sync

STAGING = Path(__file__).resolve().parents[1] / "dbt_project" / "models" / "staging"

_RAW_LAYOUT = ("loaded by the ingestion code into schema raw, one table per source named as in "
               "ingestion/contract/. Every contract column is VARCHAR holding the text as delivered "
               "(validated by pandera; an empty field is NULL), plus _extract_year, _source_file, "
               "_source_row and _loaded_at.")

# What each extract folder holds; the folder is the dbt source's name.
FOLDER_DESCRIPTIONS = {
    "kommune": "Randers Kommune's person-level extracts, keyed by a pseudonymised person key, ",
    "boligorganisationer": "The housing organisations' tenancy extracts (RandersBolig and Lejerbo, each "
                           "with its own codes), ",
    "publicerede": "Aggregate tables as downloaded from Danmarks Statistik and Landsbyggefonden: wide "
                   "layouts, Danish number format, suppression markers, ",
}

_WIDTH = 96


def rebuild_years_back(source: Source) -> int | None:
    """How many years before a new delivery's year the incremental models recompute
    (macros/incremental_years.sql). A register delivered per year reaches back one year (the
    school year (Y-1)/Y, the October-September windows). Spell sources re-deliver their history
    and have none; published tables have none either (an incremental model reading one
    recomputes every year)."""
    if source.kind == "published" or source.period_check[:1] == ("spell",):
        return None
    return 1


def _folded(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    body = textwrap.wrap(text, width=_WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{key}: >", *(f"{pad}  {line}" for line in body)]


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _table(source: Source) -> list[str]:
    lines = [f"      - name: {source.name}"]
    years_back = rebuild_years_back(source)
    if years_back is not None:
        lines += ["        config:",
                  "          # delivered per year (macros/incremental_years.sql)",
                  f"          meta: {{rebuild_years_back: {years_back}}}"]
    file = f"{source.folder}/{source.file_pattern}"
    text = (f"{source.description} Period: {source.period} File: {file} ({source.encoding}, "
            f"delimiter '{source.delimiter}').")
    lines += _folded("description", text, 8)
    lines.append("        columns:")
    for col in source.columns:
        lines += [f"          - name: {col.name}",
                  f"            description: {_quoted(col.description)}",
                  "            data_type: varchar",
                  f"            config: {{meta: {{contract_type: {col.dtype}}}}}"]
    return lines


def render(folder: str) -> str:
    """The YAML of one extract folder's dbt source."""
    sources = [s for s in SOURCES if s.folder == folder]
    if not sources:
        raise KeyError(f"No source in the data contract has folder {folder!r}")
    lines = ["# Generated from ingestion/contract/ by `python -m ingestion.contract_sources`;",
             "# do not edit by hand.",
             "version: 2",
             "",
             "sources:",
             f"  - name: {folder}",
             *_folded("description", FOLDER_DESCRIPTIONS[folder] + _RAW_LAYOUT, 4),
             "    schema: raw",
             "    tables:"]
    for source in sources:
        lines += _table(source)
    return "\n".join(lines) + "\n"


def source_files() -> dict[Path, str]:
    """Each generated file's path and the text it must hold."""
    folders = dict.fromkeys(s.folder for s in SOURCES)  # contract order, no duplicates
    return {STAGING / folder / f"_{folder}__sources.yml": render(folder) for folder in folders}


def main(argv: list[str]) -> int:
    return sync(source_files(), "python -m ingestion.contract_sources", check="--check" in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
