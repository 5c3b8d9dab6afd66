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

import functools
import re
import zipfile
from datetime import date
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

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
from exports.symbols import PeopleCells

OTHER_WORKBOOK = "boligmonitor_tabeller.xlsx"
COVER_SHEET = "Forside"
FOOTNOTE_MARK = "¹"
FOOTNOTE_COLUMN = "Fodnote"
_SUPPRESSED_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_YEAR_COLUMNS = re.compile(r"(^|_)(year|år)$|^År$", re.IGNORECASE)
# Long texts wrap inside a column of at most this many characters; other columns fit their content.
_LINE_HEIGHT = 15  # points per line of the default 11-point font
_WRAP_AT = 30
# Codes and per-cell details beside their Danish reading: a collapsed group, shown with "+".
_DETAIL_COLUMNS = {"indicator_id", "plan_code", "geography_code", "period_start", "period_end", "is_latest_period",
                   "source_kind", "source", "ci_low", "ci_high", "activity_code", "outcome_kind", "period_kind",
                   "direction", "is_primary_estimate", "target_kind"}
_MIN_WIDTH = 6
# A fixed date inside the file (docProps and zip entries): the same data give the same bytes.
_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


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


@functools.cache
def _top_aligned(horizontal: str | None, wrap_text: bool | None) -> Alignment:
    return Alignment(horizontal=horizontal, wrap_text=wrap_text, vertical="top")


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


def _print_setup(ws, landscape: bool = True) -> None:
    """A4, one page wide (as many pages down as it takes), header row repeated, page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Side &P af &N"


def _write_sheet(wb: Workbook, title: str, columns: list[tuple[str, str]], rows: list[tuple],
                 cells: PeopleCells, table_number: int, descriptions: dict[str, str]) -> int:
    ws = wb.create_sheet(title)
    names = [c for c, _ in columns]
    formats = [number_format(c, t) for c, t in columns]
    header = [column_label(c) for c in names] + [FOOTNOTE_COLUMN]
    ws.append(header)
    widths = [min(max(len(w) for w in h.split()), _WRAP_AT) for h in header]
    wrapped: set[int] = set()
    any_withheld = False
    for r, row in enumerate(rows, start=2):
        shown, withheld = cells.row(row)
        any_withheld |= bool(withheld)
        ws.append([*shown, FOOTNOTE_MARK if withheld else None])
        for c, value in enumerate(shown):
            cell = ws.cell(r, c + 1)
            if c in withheld:
                cell.fill = _SUPPRESSED_FILL
                cell.alignment = Alignment(horizontal="right")
                cell.comment = Comment(f"{FOOTNOTE_MARK} Diskretioneret", "boligmonitor")
            elif isinstance(value, str) and value in SYMBOLS_DA:
                cell.alignment = Alignment(horizontal="right")
            elif formats[c] and not isinstance(value, str):
                cell.number_format = formats[c]
            width = _display_width(value, formats[c])
            if width > _WRAP_AT:
                wrapped.add(c)
            widths[c] = min(max(widths[c], width), _WRAP_AT)
    last_row = max(len(rows) + 1, 2)  # an Excel table needs a row below its header
    ref = f"A1:{get_column_letter(len(header))}{last_row}"
    table = Table(displayName=f"Tabel{table_number}", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)  # a table brings its own filter buttons
    for cell, name in zip(ws[1], names):
        # the column's description from the models' YAML (dbt_project/models/publication/_publication.yml)
        if descriptions.get(name):
            cell.comment = Comment(descriptions[name], "boligmonitor", width=320, height=120)
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for c in wrapped:
        for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=c + 1, max_col=c + 1):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # rows as tall as their wrapped text: a spreadsheet does not grow a row on opening the file,
    # so wrapped lines would print on top of the next row
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=len(rows) + 1, values_only=True), start=1):
        columns_wrapping = range(len(header)) if r == 1 else wrapped
        lines = max((_wrapped_lines(row[c], max(widths[c], _MIN_WIDTH)) for c in columns_wrapping), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = _LINE_HEIGHT * lines
            for c in range(1, len(header) + 1):  # the row's other figures at its top (ws[r] rescans the sheet)
                cell = ws.cell(r, c)
                cell.alignment = _top_aligned(cell.alignment.horizontal, cell.alignment.wrap_text)
    for c, width in enumerate(widths, start=1):
        # room for the filter button beside the header text
        dimension = ws.column_dimensions[get_column_letter(c)]
        dimension.width = max(width, _MIN_WIDTH) + 2
        if c <= len(names) and is_detail_column(names[c - 1]):
            dimension.outlineLevel, dimension.hidden = 1, True
    ws.append([])
    if any_withheld:
        ws.append([f"{FOOTNOTE_MARK} {SUPPRESSED_FOOTNOTE_DA}"])
    ws.append(["Tegn: " + "; ".join(f"{mark} {text.split(' (')[0].lower()}" for mark, text in SYMBOLS_DA.items())])
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _print_setup(ws)
    return len(rows)


def _normalise(path: Path, stamp: str) -> None:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry; replace both
    with fixed values so identical data give identical files."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    tmp = path.with_name(path.name + ".norm")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    tmp.replace(path)


def _cover(wb: Workbook, info: dict, vintage: dict, tables: dict[str, tuple[int, str]]) -> None:
    """The first sheet: what the workbook is, for which report year and data, from which snapshot.
    The snapshot is named by its tables' content hashes (as in manifest.json and the snapshot's
    _snapshot_tables), not its id, so the same data give the same file."""
    ws = wb.create_sheet(COVER_SHEET, 0)
    plan_name = info.get("plan_name")
    ws.append([f"Boligmonitor: {plan_name}" if plan_name else "Boligmonitor: tabeller uden for helhedsplanerne"])
    ws["A1"].font = _TITLE_FONT
    ws.append(["Offentliggjorte tal efter diskretionering: aggregerede tal, hvor intet tal kan føres tilbage til "
               "en enkeltperson. Hvert faneblad er en tabel, der kan filtreres og sorteres."])
    ws.append([])
    ws.append(["Rapportår", vintage.get("report_year")])
    if vintage.get("as_of_date"):
        # every figure is as known on this date: periods ending later are not included
        ws.append(["Tal kendt pr.", date_da(vintage["as_of_date"])])
    ws.append(["Seneste dataår", vintage.get("latest_data_year")])
    ws.append(["Snapshot", "Samme offentliggørelse som manifest.json og warehouse_published.duckdb i denne mappe; "
               "tabellernes kontrolsummer nedenfor står også dér."])
    ws.append([])
    ws.append(["Faneblad", "Rækker"])
    for cell in ws[ws.max_row]:
        cell.font = _HEADER_FONT
    for title, rows in info["sheets"].items():
        ws.append([title, rows])
    ws.append([])
    ws.append(["Tabel", "Rækker", "Kontrolsum"])
    for cell in ws[ws.max_row]:
        cell.font = _HEADER_FONT
    for relation, (rows, digest) in tables.items():
        ws.append([relation, rows, digest])
    ws.append([])
    ws.append(["Tegn", "Betydning"])
    for cell in ws[ws.max_row]:
        cell.font = _HEADER_FONT
    for mark, text in SYMBOLS_DA.items():
        ws.append([mark, text])
    ws.append([FOOTNOTE_MARK, SUPPRESSED_FOOTNOTE_DA])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 24
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    ws.merge_cells("A2:C2")
    ws.row_dimensions[2].height = 32
    _print_setup(ws, landscape=False)


def _save(wb: Workbook, path: Path, info: dict, vintage: dict, tables: dict[str, tuple[int, str]]) -> None:
    wb.remove(wb.worksheets[0])  # the empty default sheet
    _cover(wb, info, vintage, tables)
    wb.save(path)
    year = vintage.get("latest_data_year") or 2000
    _normalise(path, f"{year}-12-31T00:00:00Z")


def _content_hash(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """The relation's content hash as exports/snapshot.py computes it in the snapshot."""
    return con.execute(f"SELECT coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM ({published_select(con, relation)}) "
                       "AS t").fetchone()[0]


def write_workbooks(con: duckdb.DuckDBPyConnection, relations: list[str], out_dir: Path, vintage: dict) -> list[dict]:
    books: dict[str, tuple[Workbook, set[str], dict, dict]] = {}
    counter = iter(range(1, 10_000))

    def book(file_name: str, plan_code: str | None):
        if file_name not in books:
            books[file_name] = (Workbook(), {COVER_SHEET.lower()},
                                {"file": file_name, "plan_code": plan_code, "sheets": {}}, {})
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
            wb, taken, info, tables = book(OTHER_WORKBOOK, None)
            tables[relation] = digest
            title = sheet_title(relation_title, taken)
            info["sheets"][title] = _write_sheet(wb, title, columns, rows, cells, next(counter), descriptions)
            continue
        plan_i = names.index("plan_code")
        area_i = names.index("indsatsomraade") if relation in SHEET_PER_INDSATSOMRAADE else None
        level_i = names.index("level") if "level" in names else None
        for plan in sorted({r[plan_i] for r in rows if r[plan_i]}):
            wb, taken, info, tables = book(workbook_name(plan), plan)
            tables[relation] = digest
            info["plan_name"] = PLAN_NAMES_DA.get(plan, plan)
            plan_rows = [r for r in rows if r[plan_i] == plan]
            if area_i is None:
                title = sheet_title(relation_title, taken)
                info["sheets"][title] = _write_sheet(wb, title, columns, plan_rows, cells, next(counter), descriptions)
                continue

            def group(r, area_i=area_i, level_i=level_i):
                if r[area_i]:
                    return (0, r[area_i])
                level = r[level_i] if level_i is not None else None
                return (1, LEVEL_LABELS_DA.get(level, level or "Øvrige"))

            for key in sorted({group(r) for r in plan_rows}):
                title = sheet_title(key[1], taken)
                info["sheets"][title] = _write_sheet(wb, title, columns, [r for r in plan_rows if group(r) == key],
                                                     cells, next(counter), descriptions)
    written = []
    for file_name, (wb, _, info, tables) in sorted(books.items()):
        _save(wb, out_dir / file_name, info, vintage, tables)
        written.append(info)
    return written

