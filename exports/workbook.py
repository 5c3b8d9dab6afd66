"""XLSX workbooks for Excel users: one per plan, a sheet per indsatsområde, and a cover sheet.

Relations with a ``plan_code`` column go into the plan's workbook: the indicator table with a
sheet per indsatsområde (rows without one are grouped by their level: overordnede mål,
områdeprofil, ...), any other relation as one sheet under its Danish title. Relations without a
plan go into ``boligmonitor_tabeller.xlsx``, a sheet each. The first sheet ("Forside") says what
the workbook is, its report year, as-of date and the snapshot it belongs to.

Written for people, in Danish: Danish headers and values (no codes such as ``delmaal`` or
``pct``), Danmarks Statistik's symbols (".." a withheld figure, "-" a true zero, "." no figure),
each sheet an Excel table (filter buttons, banded rows) with fitted column widths, and a print
setup (A4 landscape, one page wide, the header row on every page). The machine-readable
status of a cell stays in the flag columns, as in the CSV, Parquet and database; those and the
other code columns are a collapsed column group (Excel's "+" shows them), so the page a person
prints holds the figures and their reasons at a readable size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from exports.labels import (
    LEVEL_LABELS_DA,
    PLAN_NAMES_DA,
    RELATION_TITLES_DA,
    SHEET_PER_INDSATSOMRAADE,
    SUPPRESSED_FOOTNOTE_DA,
    SYMBOLS_DA,
    column_label,
    date_da,
    is_flag,
)
from exports.relations import published_select, relation_columns
from exports.snapshot import content_hash_of_select
from exports.symbols import PeopleCells
from exports.xlsx_styles import Styles, new_workbook, print_setup, put, set_width

OTHER_WORKBOOK = "boligmonitor_tabeller.xlsx"
COVER_SHEET = "Forside"
FOOTNOTE_MARK = "¹"
FOOTNOTE_COLUMN = "Fodnote"
_AUTHOR = "boligmonitor"
_WITHHELD_COMMENT = {"author": _AUTHOR, "width": 144, "height": 79}  # pixels, openpyxl's default size
_YEAR_COLUMNS = re.compile(r"(^|_)(year|år)$|^År$", re.IGNORECASE)
# Long texts wrap inside a column of at most this many characters; other columns fit their content.
_LINE_HEIGHT = 15  # points per line of the default 11-point font
_WRAP_AT = 30
# Codes and per-cell details beside their Danish reading: a collapsed group, shown with "+".
_DETAIL_COLUMNS = {"indicator_id", "plan_code", "geography_code", "period_start", "period_end", "is_latest_period",
                   "source_kind", "source", "ci_low", "ci_high", "activity_code", "outcome_kind", "period_kind",
                   "direction", "is_primary_estimate", "target_kind"}
_MIN_WIDTH = 6


@dataclass
class _Book:
    """One workbook being written: its cover sheet comes first but is filled in last."""
    workbook: Workbook
    cover: Worksheet
    styles: Styles
    info: dict
    tables: dict[str, tuple[int, str]] = field(default_factory=dict)
    taken: set[str] = field(default_factory=lambda: {COVER_SHEET.lower()})


def workbook_name(plan_code: str) -> str:
    return f"boligmonitor_{plan_code}.xlsx"


def sheet_title(name: str, taken: set[str]) -> str:
    """Excel's limits: 31 characters, none of []:*?/\\ ; unique within the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name)
    base = base if len(base) <= 31 else base[:30] + "…"
    title, i = base, 2
    while title.lower() in taken:
        suffix = f" ({i})"
        title, i = base[: 31 - len(suffix)] + suffix, i + 1
    taken.add(title.lower())
    return title


def number_format(column: str, data_type: str) -> str | None:
    """Excel number formats; a true zero shows as "-" (third section), a year without separator."""
    if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
        return '#,##0.0;-#,##0.0;"-"'
    if data_type in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
        return "0" if _YEAR_COLUMNS.search(column) else '#,##0;-#,##0;"-"'
    if data_type == "DATE":
        return "dd.mm.yyyy"
    return None


def _wrapped_lines(value, width: int) -> int:
    """How many lines a text takes wrapped at word boundaries in a column ``width`` characters wide."""
    if not isinstance(value, str) or len(value) <= width:
        return 1
    lines, used = 1, 0
    for word in value.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
        while used > width:  # a word longer than the column breaks inside it
            lines, used = lines + 1, used - width
    return lines


def _display_width(value, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:,.1f}")
    if isinstance(value, int):
        return len(f"{value:,}") if fmt and "#" in fmt else len(str(value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def is_detail_column(column: str) -> bool:
    """A code or detail column, grouped and collapsed (the flags: their reasons are a column)."""
    return column in _DETAIL_COLUMNS or is_flag(column)


def _write_sheet(book: _Book, title: str, columns: list[tuple[str, str]], rows: list[tuple],
                 cells: PeopleCells, table_number: int, descriptions: dict[str, str]) -> int:
    ws = book.workbook.add_worksheet(title)
    style = book.styles.get
    names = [c for c, _ in columns]
    formats = [number_format(c, t) for c, t in columns]
    header = [column_label(c) for c in names] + [FOOTNOTE_COLUMN]
    widths = [min(max(len(w) for w in h.split()), _WRAP_AT) for h in header]
    wrapped: set[int] = set()
    body = [cells.row(row) for row in rows]
    for shown, _ in body:
        for c, value in enumerate(shown):
            width = _display_width(value, formats[c])
            if width > _WRAP_AT:
                wrapped.add(c)
            widths[c] = min(max(widths[c], width), _WRAP_AT)
    fitted = [max(width, _MIN_WIDTH) for width in widths]
    last_row = max(len(rows), 1)  # an Excel table needs a row below its header
    header_format = style(wrap=True, top=True, bold=True)
    repeated = sorted({h for h in header if [g.lower() for g in header].count(h.lower()) > 1})
    if repeated:  # Excel would repair the file by deleting the table
        raise ValueError(f"sheet {title!r}: the column headers {repeated} are not unique (case ignored)")
    ws.add_table(0, 0, last_row, len(header) - 1, {  # a table brings its own filter buttons
        "name": f"Tabel{table_number}", "style": "Table Style Light 9", "banded_rows": True,
        "columns": [{"header": h, "header_format": header_format} for h in header]})
    for c, name in enumerate(names):
        # the column's description from the models' YAML (dbt_project/models/publication/_publication.yml)
        if descriptions.get(name):
            ws.write_comment(0, c, descriptions[name], {"author": _AUTHOR, "width": 320, "height": 120})
    # rows as tall as their wrapped text: a spreadsheet does not grow a row on opening the file,
    # so wrapped lines would print on top of the next row; the row's other figures at its top
    lines = max(_wrapped_lines(h, fitted[c]) for c, h in enumerate(header))
    if lines > 1:
        ws.set_row(0, _LINE_HEIGHT * lines)
    for r, (shown, withheld) in enumerate(body, start=1):
        lines = max((_wrapped_lines(shown[c], fitted[c]) for c in wrapped), default=1)
        top = lines > 1
        if top:
            ws.set_row(r, _LINE_HEIGHT * lines)
        for c, value in enumerate(shown):
            # a figure in its column's number format; a withheld cell or a symbol is text, at the right
            number = formats[c] if formats[c] and c not in withheld and not isinstance(value, str) else None
            if c in withheld:
                ws.write_comment(r, c, f"{FOOTNOTE_MARK} Diskretioneret", _WITHHELD_COMMENT)
            if c in wrapped:  # a long text wraps at the top of its cell
                cell_format = style(number, withheld=c in withheld, wrap=True, top=True)
            else:
                right = c in withheld or (isinstance(value, str) and value in SYMBOLS_DA)
                cell_format = style(number, withheld=c in withheld, horizontal="right" if right else None, top=top)
            put(ws, r, c, value, cell_format)
        put(ws, r, len(names), FOOTNOTE_MARK if withheld else None, style(top=top))
    for c, width in enumerate(fitted):
        # room for the filter button beside the header text
        set_width(ws, c, width + 2, hidden_group=c < len(names) and is_detail_column(names[c]))
    below = len(rows) + 2  # one empty row between the table and its notes
    if any(withheld for _, withheld in body):
        ws.write_string(below, 0, f"{FOOTNOTE_MARK} {SUPPRESSED_FOOTNOTE_DA}")
        below += 1
    ws.write_string(below, 0, "Tegn: " + "; ".join(f"{mark} {text.split(' (')[0].lower()}"
                                                   for mark, text in SYMBOLS_DA.items()))
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    print_setup(ws)
    return len(rows)


def _cover(book: _Book, vintage: dict) -> None:
    """The first sheet: what the workbook is, for which report year and data, from which snapshot.
    The snapshot is named by its tables' content hashes (as in manifest.json and the snapshot's
    _snapshot_tables), not its id, so the same data give the same file."""
    ws, style, info = book.cover, book.styles.get, book.info
    plan_name = info.get("plan_name")
    ws.write_string(0, 0, f"Boligmonitor: {plan_name}" if plan_name
                    else "Boligmonitor: tabeller uden for helhedsplanerne", style(bold=True, size=14))
    ws.merge_range(1, 0, 1, 2, "Offentliggjorte tal efter diskretionering: aggregerede tal, hvor intet tal kan "
                   "føres tilbage til en enkeltperson. Hvert faneblad er en tabel, der kan filtreres og sorteres.",
                   style(horizontal="left", wrap=True, top=True))
    ws.set_row(1, 32)
    lines: list[tuple[list, bool]] = [([], False), (["Rapportår", vintage.get("report_year")], False)]
    if vintage.get("as_of_date"):
        # every figure is as known on this date: periods ending later are not included
        lines.append((["Tal kendt pr.", date_da(vintage["as_of_date"])], False))
    lines += [(["Seneste dataår", vintage.get("latest_data_year")], False),
              (["Snapshot", "Samme offentliggørelse som manifest.json og warehouse_published.duckdb i denne "
                            "mappe; tabellernes kontrolsummer nedenfor står også dér."], False),
              ([], False), (["Faneblad", "Rækker"], True)]
    lines += [([title, rows], False) for title, rows in info["sheets"].items()]
    lines += [([], False), (["Tabel", "Rækker", "Kontrolsum"], True)]
    lines += [([relation, rows, digest], False) for relation, (rows, digest) in book.tables.items()]
    lines += [([], False), (["Tegn", "Betydning"], True)]
    lines += [([mark, text], False) for mark, text in SYMBOLS_DA.items()]
    lines.append(([FOOTNOTE_MARK, SUPPRESSED_FOOTNOTE_DA], False))
    for r, (values, bold) in enumerate(lines, start=2):
        cell_format = style(horizontal="left", wrap=True, top=True, bold=bold)
        for c in range(3):  # every cell of the three columns wraps at its top left, empty or not
            put(ws, r, c, values[c] if c < len(values) else None, cell_format)
    for c, width in enumerate((34, 70, 24)):
        set_width(ws, c, width)
    print_setup(ws, landscape=False)


def _content_hash(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """The relation's content hash as exports/snapshot.py computes it in the snapshot."""
    return con.execute(content_hash_of_select(published_select(con, relation))).fetchone()[0]


def write_workbooks(con: duckdb.DuckDBPyConnection, relations: list[str], out_dir: Path, vintage: dict) -> list[dict]:
    books: dict[str, _Book] = {}
    counter = iter(range(1, 10_000))
    created = datetime((vintage.get("latest_data_year") or 2000), 12, 31)

    def book(file_name: str, plan_code: str | None) -> _Book:
        if file_name not in books:
            workbook = new_workbook(out_dir / file_name, created)
            books[file_name] = _Book(workbook, workbook.add_worksheet(COVER_SHEET),
                                     Styles(workbook), {"file": file_name, "plan_code": plan_code, "sheets": {}})
        return books[file_name]

    for relation in relations:
        columns = relation_columns(con, relation)
        names = [c for c, _ in columns]
        rows = con.execute(published_select(con, relation)).fetchall()
        digest = (len(rows), _content_hash(con, relation))
        cells = PeopleCells(columns, rows)
        descriptions = dict(con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'publication' AND table_name = ? "
            "AND coalesce(comment, '') <> ''", [relation]).fetchall())
        relation_title = RELATION_TITLES_DA.get(relation, relation.removeprefix("export_"))
        if "plan_code" not in names:
            other = book(OTHER_WORKBOOK, None)
            other.tables[relation] = digest
            title = sheet_title(relation_title, other.taken)
            other.info["sheets"][title] = _write_sheet(other, title, columns, rows, cells, next(counter), descriptions)
            continue
        plan_i = names.index("plan_code")
        area_i = names.index("indsatsomraade") if relation in SHEET_PER_INDSATSOMRAADE else None
        level_i = names.index("level") if "level" in names else None
        for plan in sorted({r[plan_i] for r in rows if r[plan_i]}):
            plan_book = book(workbook_name(plan), plan)
            plan_book.tables[relation] = digest
            plan_book.info["plan_name"] = PLAN_NAMES_DA.get(plan, plan)
            sheets = plan_book.info["sheets"]
            plan_rows = [r for r in rows if r[plan_i] == plan]
            if area_i is None:
                title = sheet_title(relation_title, plan_book.taken)
                sheets[title] = _write_sheet(plan_book, title, columns, plan_rows, cells, next(counter), descriptions)
                continue

            def group(r, area_i=area_i, level_i=level_i):
                if r[area_i]:
                    return (0, r[area_i])
                level = r[level_i] if level_i is not None else None
                return (1, LEVEL_LABELS_DA.get(level, level or "Øvrige"))

            for key in sorted({group(r) for r in plan_rows}):
                title = sheet_title(key[1], plan_book.taken)
                sheets[title] = _write_sheet(plan_book, title, columns, [r for r in plan_rows if group(r) == key],
                                             cells, next(counter), descriptions)
    written = []
    for _, finished in sorted(books.items()):
        _cover(finished, vintage)
        finished.workbook.close()
        written.append(finished.info)
    return written
