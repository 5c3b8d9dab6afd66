"""The XLSX workbooks as a person reads and prints them, on a tiny hand-built publication schema
(seconds, no refresh): Danmarks Statistik's symbols instead of empty cells, Danish headers and
values, an Excel table per sheet, fitted widths, an A4 print setup, and a cover sheet that names
the report year, the as-of date and the snapshot's content hashes."""

from __future__ import annotations

import ast
import math
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from exports.labels import SUPPRESSED_FOOTNOTE_DA, SYMBOLS_DA
from exports.publish import published_select
from exports.snapshot import content_hash_sql
from exports.workbook import COVER_SHEET, write_workbooks


def column(ws, index: int):
    """Column ``index``'s properties as a spreadsheet reads them: one <col> element may cover a
    range of neighbouring columns alike (min..max), which openpyxl files under its first letter."""
    for dimension in ws.column_dimensions.values():
        if dimension.min and dimension.max and dimension.min <= index <= dimension.max:
            return dimension
    return ws.column_dimensions[get_column_letter(index)]


def fit_to_width(ws) -> int:
    """Pages wide when fitting to page: the file format's default is 1 when the attribute is left out."""
    return 1 if ws.page_setup.fitToWidth is None else ws.page_setup.fitToWidth

VINTAGE = {"report_year": 2025, "latest_data_year": 2025, "as_of_date": "2025-12-31"}
AREA_COLUMNS = """indicator_id VARCHAR, plan_code VARCHAR, level VARCHAR, indsatsomraade VARCHAR, indicator_name VARCHAR,
    unit VARCHAR, geography_code VARCHAR, geography_name VARCHAR, geography_type VARCHAR, period VARCHAR,
    period_start DATE, period_end DATE, is_latest_period BOOLEAN, value DOUBLE, n INTEGER,
    flag_disclosure_suppressed BOOLEAN, flag_small_n BOOLEAN, flag_missing BOOLEAN, baseline_period VARCHAR,
    baseline_value DOUBLE, change_since_baseline DOUBLE, target_kind VARCHAR, target_value DOUBLE,
    target_year INTEGER, status VARCHAR, status_reason VARCHAR"""
LONG_REASON = "Værdien er 12,0 mod 14,0 ved baseline; målet er et fald, og begrundelsen er lang nok til at ombrydes."


def _area_row(period, value, n, *, hidden=False, small=False, missing=False, baseline_value=14.0, latest=False,
              geography="AAA", target_kind="decreasing"):
    year = int(period[:4])
    return ("HP2025_X", "HP2025", "delmaal", "Beskæftigelse", "Andel i job", "pct", geography, "Område A", "area",
            period, date(year, 1, 1), date(year, 12, 31), latest, value, n, hidden, small, missing, "2023",
            baseline_value, None if value is None or baseline_value is None else value - baseline_value,
            target_kind, baseline_value, 2029, "ikke opfyldt endnu" if value else "kan ikke vurderes", LONG_REASON)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA publication")
    con.execute(f"CREATE TABLE publication.export_area_indicator ({AREA_COLUMNS})")
    con.execute("COMMENT ON COLUMN publication.export_area_indicator.value IS 'The indicator''s value in its unit.'")
    rows = [
        _area_row("2023", 14.0, 40),
        _area_row("2024", None, None, hidden=True),                 # withheld: ".."
        _area_row("2025", 0.0, 35, latest=True),                    # a true zero: "-"
        _area_row("2023", None, None, missing=True, geography="BBB", baseline_value=None),   # no figure: "."
        _area_row("2025", 12.5, None, small=True, geography="BBB", baseline_value=None, latest=True),
        # the baseline row (2023) of CCC is hidden: its baseline, change and target are withheld on 2025
        _area_row("2023", None, None, hidden=True, geography="CCC", baseline_value=None),
        _area_row("2025", 10.0, 50, geography="CCC", baseline_value=None, latest=True),
    ]
    con.executemany(f"INSERT INTO publication.export_area_indicator VALUES ({', '.join('?' * 26)})", rows)
    con.execute("CREATE TABLE publication.export_language_assessment (geography_code VARCHAR, geography_name VARCHAR, "
                "assessment_year INTEGER, n_assessed INTEGER, pct_generel DOUBLE, pct_fokuseret DOUBLE, "
                "flag_disclosure_suppressed BOOLEAN, flag_partly_suppressed BOOLEAN, flag_none_assessed BOOLEAN, "
                "note_da VARCHAR)")
    con.executemany("INSERT INTO publication.export_language_assessment VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        ("AAA", "Område A", 2024, 30, 60.0, 40.0, False, False, False, None),
        ("BBB", "Område B", 2024, None, None, None, True, False, False, "Skjult af diskretionshensyn"),
        ("CCC", "Område C", 2024, None, None, None, False, False, True, "Ingen vurderede"),
        ("DDD", "Område D", 2024, 20, None, 85.0, False, True, False, "Delvist skjult af diskretionshensyn"),
        # texts that look like a formula or a link stay the text they are
        ("EEE", "Område E", 2024, 25, 52.0, 48.0, False, False, False, "=halvdelen vurderet"),
        ("FFF", "Område F", 2024, 22, 50.0, 50.0, False, False, False, "https://www.dst.dk/da/"),
    ])
    con.close()
    return path


@pytest.fixture(scope="module")
def books(warehouse, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("books")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        written = write_workbooks(con, ["export_area_indicator", "export_language_assessment"], out, VINTAGE)
    finally:
        con.close()
    return {w["file"]: load_workbook(out / w["file"]) for w in written}


def _data(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    body = []
    for row in rows[1:]:
        if all(v is None for v in row):
            break
        body.append(dict(zip(header, row)))
    return body


def test_withheld_cells_read_dotdot_a_true_zero_dash_and_no_figure_dot(books):
    ws = books["boligmonitor_HP2025.xlsx"]["Beskæftigelse"]
    rows = {(r["Geografikode"], r["Periode"]): r for r in _data(ws)}
    assert rows[("AAA", "2024")]["Værdi"] == ".." and rows[("AAA", "2024")]["Antal (n)"] == ".."
    assert rows[("AAA", "2024")]["Fodnote"] == "¹"
    # the zero stays a number; its format's third (zero) section prints "-"
    zero_row = next(i for i, r in enumerate(_data(ws), start=2) if r["Periode"] == "2025" and r["Geografikode"] == "AAA")
    header = [c.value for c in ws[1]]
    zero = ws.cell(zero_row, header.index("Værdi") + 1)
    assert zero.value == 0 and zero.number_format.split(";")[2] == '"-"'
    assert rows[("BBB", "2023")]["Værdi"] == "." and rows[("BBB", "2023")]["Baseline"] == "."
    assert rows[("BBB", "2025")]["Antal (n)"] == ".."  # n under the threshold on a 'few persons' row
    ccc = rows[("CCC", "2025")]
    assert ccc["Baseline"] == ".." and ccc["Ændring siden baseline"] == ".." and ccc["Målværdi"] == ".."
    assert ccc["Værdi"] == 10.0
    language = {r["Geografi"]: r for r in _data(books["boligmonitor_tabeller.xlsx"]["Sprogvurderinger"])}
    assert language["Område B"]["Antal vurderede"] == ".." and language["Område B"]["Generel indsats (%)"] == ".."
    assert language["Område C"]["Antal vurderede"] == 0 and language["Område C"]["Generel indsats (%)"] == "."
    # partly hidden: the empty share is withheld, the shown one and the number assessed stay
    assert language["Område D"]["Generel indsats (%)"] == ".." and language["Område D"]["Fokuseret indsats (%)"] == 85.0
    assert language["Område D"]["Antal vurderede"] == 20


def test_withheld_cells_are_grey_right_aligned_and_say_why_below_the_table(books):
    ws = books["boligmonitor_HP2025.xlsx"]["Beskæftigelse"]
    header = [c.value for c in ws[1]]
    body = _data(ws)
    row = {(r["Geografikode"], r["Periode"]): i for i, r in enumerate(body, start=2)}
    withheld = ws.cell(row[("AAA", "2024")], header.index("Værdi") + 1)
    assert withheld.value == ".." and withheld.fill.fill_type == "solid"
    assert withheld.fill.fgColor.rgb[-6:] == "D9D9D9" and withheld.alignment.horizontal == "right"
    assert (withheld.comment.text, withheld.comment.author) == ("¹ Diskretioneret", "boligmonitor")
    no_figure = ws.cell(row[("BBB", "2023")], header.index("Værdi") + 1)
    assert no_figure.value == "." and no_figure.alignment.horizontal == "right"
    assert no_figure.comment is None and no_figure.fill.fill_type is None
    # figures stay numbers (Danish users sum and filter them), in their column's format
    figure = ws.cell(row[("AAA", "2023")], header.index("Værdi") + 1)
    count = ws.cell(row[("AAA", "2023")], header.index("Antal (n)") + 1)
    assert figure.value == 14.0 and figure.data_type == "n" and figure.number_format == '#,##0.0;-#,##0.0;"-"'
    assert count.value == 40 and isinstance(count.value, int) and count.number_format == '#,##0;-#,##0;"-"'
    start = ws.cell(row[("AAA", "2023")], header.index("Periodens start") + 1)
    assert start.value == datetime(2023, 1, 1) and start.is_date
    assert ws.cell(1, header.index("Værdi") + 1).comment.author == "boligmonitor"
    # below the table: an empty row, the footnote of "¹", the symbols
    notes = [ws.cell(r, 1).value for r in range(len(body) + 2, ws.max_row + 1)]
    assert notes[0] is None and notes[1] == f"¹ {SUPPRESSED_FOOTNOTE_DA}" and notes[2].startswith("Tegn: ")
    assert all(mark in notes[2] for mark in SYMBOLS_DA)


def test_a_text_that_looks_like_a_formula_or_a_link_stays_text(books):
    """A note from the data beginning with "=" is no formula (openpyxl wrote it as one, a broken
    formula in place of the text), and a web address is no hyperlink."""
    language = books["boligmonitor_tabeller.xlsx"]["Sprogvurderinger"]
    notes = {r["Geografi"]: r["Note"] for r in _data(language)}
    assert notes["Område E"] == "=halvdelen vurderet" and notes["Område F"] == "https://www.dst.dk/da/"
    note = [c.value for c in language[1]].index("Note") + 1
    texts = [cell for (cell,) in language.iter_rows(min_row=2, min_col=note, max_col=note) if cell.value]
    assert texts and all(c.data_type == "s" and c.hyperlink is None for c in texts)


def test_headers_values_and_sheet_names_are_danish(books):
    assert list(books["boligmonitor_tabeller.xlsx"].sheetnames) == [COVER_SHEET, "Sprogvurderinger"]
    ws = books["boligmonitor_HP2025.xlsx"]["Beskæftigelse"]
    header = [c.value for c in ws[1]]
    assert not [h for h in header if "_" in h]
    # the language table publishes snake_case columns; its sheet keeps the Danish headers
    language = [c.value for c in books["boligmonitor_tabeller.xlsx"]["Sprogvurderinger"][1]]
    assert not [h for h in language if "_" in h]
    assert {"Geografi", "År", "Antal vurderede", "Generel indsats (%)", "Note",
            "Flag: Ingen vurderede", "Flag: Delvist skjult af diskretionshensyn"} <= set(language)
    cells = {v for r in _data(ws) for v in r.values() if isinstance(v, str)}
    assert not cells & {"delmaal", "pct", "decreasing", "area", "True", "False"}
    assert {"Delmål", "%", "Et fald", "Boligområde", "Ja", "Nej"} <= cells
    # a header carries its column's description (the models' YAML, persisted as a column comment)
    value = header.index("Værdi")
    assert ws.cell(1, value + 1).comment.text == "The indicator's value in its unit."
    assert ws.cell(1, header.index("Geografi") + 1).comment is None
    dates = [r["Periodens start"] for r in _data(ws)]
    assert dates and all(d.year >= 2023 for d in dates)
    start = ws.cell(2, header.index("Periodens start") + 1)
    assert start.number_format == "dd.mm.yyyy"


def test_each_sheet_is_a_filterable_table_with_fitted_widths_and_an_a4_print_setup(books):
    assert books and all(len(book.worksheets) > 1 for book in books.values()), "no data sheet to check"
    for book in books.values():
        for ws in book.worksheets[1:]:
            (name, ref), = ws.tables.items()
            table = ws.tables[name]
            last = 1 + len(_data(ws))
            assert ref.startswith("A1:") and ref.endswith(str(last)), (ws.title, ref)
            assert table.autoFilter is not None
            header = [c.value for c in ws[1]]
            for c, title in enumerate(header, start=1):
                width = column(ws, c).width
                shown = [title.split()[0], *("dd.mm.yyyy" if isinstance(v, date) else v for v in
                                             (r[title] for r in _data(ws)))]
                longest = max(len(str(v)) for v in shown if v is not None)
                assert min(longest, 30) <= width <= 34, (ws.title, title, width)
            assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage
            assert (fit_to_width(ws), ws.page_setup.fitToHeight) == (1, 0)
            assert ws.print_title_rows == "$1:$1"
            assert ws.freeze_panes == "A2"
    # a long reason wraps in its column instead of widening it
    ws = books["boligmonitor_HP2025.xlsx"]["Beskæftigelse"]
    # codes and flags are a collapsed column group: in the table, not on the printed page
    dims = {c.value: column(ws, c.column) for c in ws[1]}
    assert dims["Indikator-id"].hidden and dims["Indikator-id"].outlineLevel == 1
    assert dims["Flag: Skjult af diskretionshensyn"].hidden
    assert not any(dims[h].hidden for h in ("Indikator", "Geografi", "Værdi", "Status", "Begrundelse for status"))
    reason = [c.value for c in ws[1]].index("Begrundelse for status") + 1
    assert ws.cell(2, reason).alignment.wrap_text
    # and its row is as tall as the wrapped lines: a spreadsheet does not grow it on opening, so
    # the lines would print over the next row (LibreOffice's PDF of the Randers workbook did)
    width = column(ws, reason).width
    lines = -(-len(ws.cell(2, reason).value) // int(width))
    assert lines > 1 and ws.row_dimensions[2].height >= 15 * lines


def test_cover_sheet_names_report_year_as_of_date_and_snapshot(books, warehouse):
    book = books["boligmonitor_HP2025.xlsx"]
    assert book.sheetnames[0] == COVER_SHEET
    cover = {r[0]: r[1:] for r in book[COVER_SHEET].iter_rows(values_only=True) if r[0]}
    assert cover["Rapportår"][0] == 2025 and cover["Tal kendt pr."][0] == "31.12.2025"
    assert "Beskæftigelse" in cover and cover["Beskæftigelse"][0] == 7  # the sheet and its rows
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # the content hash the snapshot computes for the same published rows
        con.execute(f"CREATE TEMP TABLE t AS {published_select(con, 'export_area_indicator')}")
        expected = con.execute(content_hash_sql("t")).fetchone()[0]
    finally:
        con.close()
    assert cover["export_area_indicator"] == (7, expected)
    assert fit_to_width(book[COVER_SHEET]) == 1


def test_cover_sheet_prints_portrait_with_its_introduction_across_three_columns(books):
    ws = books["boligmonitor_HP2025.xlsx"][COVER_SHEET]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A2:C2"]
    assert ws["A2"].alignment.wrap_text and ws.row_dimensions[2].height >= 30
    assert [column(ws, c).width for c in (1, 2, 3)] == [34, 70, 24]
    assert ws["A1"].font.b and ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
    assert (ws.oddFooter.left.text, ws.oddFooter.right.text) == ("&A", "Side &P af &N")
    assert not ws.tables and ws.freeze_panes is None


def test_the_same_data_give_the_same_bytes(warehouse, tmp_path):
    """Written twice, the workbooks are byte-identical: no save time in docProps or the zip entries."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for out in ("a", "b"):
            (tmp_path / out).mkdir()
            written = write_workbooks(con, ["export_area_indicator", "export_language_assessment"], tmp_path / out,
                                      VINTAGE)
    finally:
        con.close()
    assert len(written) == 2
    for info in written:
        first, second = (tmp_path / out / info["file"] for out in ("a", "b"))
        assert first.read_bytes() == second.read_bytes()
        with zipfile.ZipFile(first) as xlsx:
            (stamp,) = {entry.date_time for entry in xlsx.infolist()}  # one fixed date, not the save time
            assert stamp[0] <= 2000
            core = xlsx.read("docProps/core.xml").decode()
        assert core.count("2025-12-31T00:00:00Z") == 2  # created and modified: the latest data year's end


def _write_one_table(tmp_path: Path, relation: str, *statements: str) -> list[dict]:
    """write_workbooks on a warehouse holding only ``relation`` in the publication schema, made
    by ``statements``."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    try:
        con.execute("CREATE SCHEMA publication")
        for statement in statements:
            con.execute(statement)
        return write_workbooks(con, [relation], tmp_path, VINTAGE)
    finally:
        con.close()


def test_an_empty_relation_is_a_table_with_one_empty_row(tmp_path):
    written = _write_one_table(tmp_path, "export_tom",
                               "CREATE TABLE publication.export_tom (geography_code VARCHAR, value DOUBLE)")
    ws = load_workbook(tmp_path / written[0]["file"])[written[0]["sheets"].popitem()[0]]
    (ref,) = [table.ref for table in ws.tables.values()]
    assert ref == "A1:C2" and [c.value for c in ws[2]] == [None, None, None]
    assert ws.cell(3, 1).value.startswith("Tegn: ")  # no footnote: nothing withheld


def test_the_product_writes_workbooks_without_openpyxl():
    """openpyxl is a test dependency only (it reads the workbooks back here): no module of the
    exports package imports it."""
    package = Path(__file__).parent.parent / "exports"
    importers = []
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            importers += [source.name for name in names if name.split(".")[0] == "openpyxl"]
    assert len(list(package.rglob("*.py"))) > 5 and importers == []


def estimated_pages(ws) -> int:
    """Printed A4 pages of a sheet, estimated from its visible column widths, its rows (a wrapped
    text as many lines high as it wraps) and its print setup (no spreadsheet program here):
    Excel's column width w is about 7w + 5 pixels of 0.75 pt, a line 15 pt; fit-to-width scales
    both down until the columns fit one page's width."""
    landscape = ws.page_setup.orientation == "landscape"
    paper_w, paper_h = (842, 595) if landscape else (595, 842)
    margins = ws.page_margins
    usable_w = paper_w - 72 * (margins.left + margins.right)
    usable_h = paper_h - 72 * (margins.top + margins.bottom)
    visible = [c for c in range(1, ws.max_column + 1) if not column(ws, c).hidden]
    widths = {c: column(ws, c).width or 8.43 for c in visible}
    total_w = sum((7 * w + 5) * 0.75 for w in widths.values())
    total_h = 0.0
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if cell.column in widths and isinstance(cell.value, str) and cell.alignment.wrap_text:
                lines = max(lines, math.ceil(len(cell.value) / max(widths[cell.column] - 1, 1)))
        total_h += 15 * lines
    if ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage and fit_to_width(ws):
        scale = max(min(1.0, usable_w / total_w), 0.1)
        return math.ceil(total_h * scale / (usable_h - (15 * scale if ws.print_title_rows else 0)))
    return math.ceil(total_w / usable_w) * math.ceil(total_h / usable_h)


def test_the_plan_workbook_prints_one_page_wide(books):
    ws = books["boligmonitor_HP2025.xlsx"]["Beskæftigelse"]
    assert estimated_pages(ws) == 1


def test_every_catalogue_source_has_a_danish_name():
    """The "Kilde" column reads as a source's name, not its code, for every source the
    indicator catalogues name."""
    import csv

    from exports.labels import value_label

    seeds = Path(__file__).parent.parent / "dbt_project" / "seeds"
    sources = {row["source"] for name in ("indicators_hp2017.csv", "indicators_hp2025.csv")
               for row in csv.DictReader((seeds / name).open(encoding="utf-8"))}
    assert len(sources) > 10
    unnamed = sorted(s for s in sources if value_label("source", s) == s)
    assert unnamed == []


def test_two_columns_with_the_same_danish_header_are_an_error_not_a_broken_table(tmp_path):
    """Excel repairs a table whose column names repeat by deleting it; say which sheet instead."""
    with pytest.raises(ValueError, match="dobbelt.*not unique"):
        _write_one_table(tmp_path, "export_dobbelt",
                         "CREATE TABLE publication.export_dobbelt (geography_name VARCHAR, \"Geografi\" VARCHAR)",
                         "INSERT INTO publication.export_dobbelt VALUES ('Område A', 'Område A')")
