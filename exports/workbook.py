"""XLSX workbooks for Excel users: one per plan, a sheet per indsatsområde.

Relations with a ``plan_code`` column go into the plan's workbook: the indicator table with a
sheet per indsatsområde (rows without one are grouped by their level: overordnede mål,
områdeprofil, ...), any other relation as one sheet under its Danish title. Relations without a plan go into
``boligmonitor_tabeller.xlsx``, a sheet each. Headers are Danish, the header row is frozen,
numbers carry number formats (Excel shows them with the reader's Danish separators), and a
figure withheld by disclosure control is an empty grey cell with a comment and footnote ¹.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from exports.labels import (
    LEVEL_LABELS_DA,
    PLAN_NAMES_DA,
    RELATION_TITLES_DA,
    SHEET_PER_INDSATSOMRAADE,
    SUPPRESSED_FOOTNOTE_DA,
    column_label,
    date_da,
    is_suppression_flag,
)

OTHER_WORKBOOK = "boligmonitor_tabeller.xlsx"
FOOTNOTE_MARK = "¹"
FOOTNOTE_COLUMN = "Fodnote"
_SUPPRESSED_FILL = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
_HEADER_FONT = Font(bold=True)
_YEAR_COLUMNS = re.compile(r"(^|_)(year|år)$|^År$", re.IGNORECASE)
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


def _number_format(column: str, data_type: str) -> str | None:
    if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
        return "#,##0.0"
    if data_type in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
        return "0" if _YEAR_COLUMNS.search(column) else "#,##0"
    return None


def _write_sheet(wb: Workbook, title: str, columns: list[tuple[str, str]], rows: list[tuple]) -> int:
    ws = wb.create_sheet(title)
    names = [c for c, _ in columns]
    flag_positions = [i for i, c in enumerate(names) if is_suppression_flag(c)]
    numeric = {i for i, (c, t) in enumerate(columns) if _number_format(c, t) and not _YEAR_COLUMNS.search(c)}
    formats = [_number_format(c, t) for c, t in columns]
    ws.append([column_label(c) for c in names] + [FOOTNOTE_COLUMN])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    any_suppressed = False
    for r, row in enumerate(rows, start=2):
        suppressed = any(row[i] for i in flag_positions)
        ws.append([*row, FOOTNOTE_MARK if suppressed else None])
        for c, fmt in enumerate(formats):
            if fmt and row[c] is not None:
                ws.cell(r, c + 1).number_format = fmt
        if suppressed:
            any_suppressed = True
            for c in numeric:
                if row[c] is None:
                    cell = ws.cell(r, c + 1)
                    cell.fill = _SUPPRESSED_FILL
                    cell.comment = Comment(f"{FOOTNOTE_MARK} Diskretioneret", "boligmonitor")
    if any_suppressed:
        ws.append([])
        ws.append([f"{FOOTNOTE_MARK} {SUPPRESSED_FOOTNOTE_DA}"])
    ws.freeze_panes = "A2"
    for c, name in enumerate(names, start=1):
        width = 40 if name in ("indicator_name", "target_text_da", "status_reason", "geography_name") else 14
        ws.column_dimensions[ws.cell(1, c).column_letter].width = width
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


def _save(wb: Workbook, path: Path, vintage: dict) -> None:
    wb.remove(wb.worksheets[0])  # the empty default sheet
    about = wb.create_sheet("Om data", 0)
    about.append(["Boligmonitor: offentliggjorte tal efter diskretionering"])
    about["A1"].font = _HEADER_FONT
    about.append(["Rapportår", vintage.get("report_year")])
    if vintage.get("as_of_date"):
        # every figure is as known on this date: periods ending later are not included
        about.append(["Tal kendt pr.", date_da(vintage["as_of_date"])])
    about.append(["Seneste dataår", vintage.get("latest_data_year")])
    about.append([f"{FOOTNOTE_MARK} {SUPPRESSED_FOOTNOTE_DA}"])
    about.column_dimensions["A"].width = 40
    wb.save(path)
    year = vintage.get("latest_data_year") or 2000
    _normalise(path, f"{year}-12-31T00:00:00Z")


def write_workbooks(con: duckdb.DuckDBPyConnection, relations: list[str], out_dir: Path, vintage: dict) -> list[dict]:
    from exports.publish import published_select, relation_columns

    books: dict[str, tuple[Workbook, set[str], dict]] = {}

    def book(file_name: str, plan_code: str | None):
        if file_name not in books:
            books[file_name] = (Workbook(), {"om data"}, {"file": file_name, "plan_code": plan_code, "sheets": {}})
        return books[file_name]

    for relation in relations:
        columns = relation_columns(con, relation)
        names = [c for c, _ in columns]
        rows = con.execute(published_select(con, relation)).fetchall()
        if "plan_code" not in names:
            wb, taken, info = book(OTHER_WORKBOOK, None)
            title = sheet_title(relation.removeprefix("export_"), taken)
            info["sheets"][title] = _write_sheet(wb, title, columns, rows)
            continue
        plan_i = names.index("plan_code")
        area_i = names.index("indsatsomraade") if relation in SHEET_PER_INDSATSOMRAADE else None
        level_i = names.index("level") if "level" in names else None
        for plan in sorted({r[plan_i] for r in rows if r[plan_i]}):
            wb, taken, info = book(workbook_name(plan), plan)
            info["plan_name"] = PLAN_NAMES_DA.get(plan, plan)
            plan_rows = [r for r in rows if r[plan_i] == plan]
            if area_i is None:
                title = sheet_title(RELATION_TITLES_DA.get(relation, relation.removeprefix("export_")), taken)
                info["sheets"][title] = _write_sheet(wb, title, columns, plan_rows)
                continue

            def group(r):
                if r[area_i]:
                    return (0, r[area_i])
                level = r[level_i] if level_i is not None else None
                return (1, LEVEL_LABELS_DA.get(level, level or "Øvrige"))

            for key in sorted({group(r) for r in plan_rows}):
                title = sheet_title(key[1], taken)
                info["sheets"][title] = _write_sheet(wb, title, columns, [r for r in plan_rows if group(r) == key])
    written = []
    for file_name, (wb, _, info) in sorted(books.items()):
        _save(wb, out_dir / file_name, vintage)
        written.append(info)
    return written
