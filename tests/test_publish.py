"""Publishing on the small demo municipality: every file read back and compared with the
warehouse's export relations; the read-only snapshot holds only those; a publish killed mid-way
leaves the last good files; the workbooks are what an Excel user needs."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from exports.labels import BOOLEAN_DA, UNIT_LABELS_DA, VALUE_LABELS_DA, column_label
from exports.publish import MANIFEST_FILE, STAGING_PREFIX
from exports.snapshot import SNAPSHOT_FILE, verify_snapshot
from exports.workbook import FOOTNOTE_COLUMN, number_format
from publish_readback import canonical, mart_rows, relation_kinds


def _manifest(exports: Path) -> dict:
    return json.loads((exports / MANIFEST_FILE).read_text(encoding="utf-8"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_holds_only_the_export_relations(published_demo):
    manifest = _manifest(published_demo["exports"])
    relations = {t["relation"] for t in manifest["tables"]}
    warehouse = duckdb.connect(str(published_demo["warehouse"]), read_only=True)
    exported = {r[0] for r in warehouse.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'publication'").fetchall()}
    warehouse.close()
    assert relations == exported and len(relations) >= 2
    con = duckdb.connect(str(published_demo["exports"] / SNAPSHOT_FILE), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert tables == relations | {"_snapshot", "_snapshot_tables"}
        assert verify_snapshot(con) == manifest["snapshot_id"]
        columns = [r[0].lower() for r in con.execute("SELECT column_name FROM information_schema.columns").fetchall()]
        assert not any("person" in c or "cpr" in c for c in columns)
        # the models' YAML descriptions are the published tables' and columns' comments (dbt
        # persist_docs into the warehouse, copied by exports/snapshot.py), for BI tools and PostgreSQL
        comments = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
        assert all(comments[r] for r in relations | {"_snapshot", "_snapshot_tables"}), comments
        undescribed = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                                  "AND schema_name = 'main' AND NOT starts_with(table_name, '_') "
                                  "AND coalesce(comment, '') = ''").fetchall()
        assert undescribed == []
        # a read-only file: a reader cannot change what was published
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE x (a INT)")
    finally:
        con.close()
    assert manifest["data_vintage"]["report_year"] == published_demo["report_year"]
    # the demo's extracts reach the report year, and nothing after it is published
    assert manifest["data_vintage"]["latest_data_year"] == published_demo["report_year"]
    assert manifest["code_version"] and manifest["code_version"] != "unknown"
    # the data-quality report is published with the tables it describes, in the same swap
    for name, digest in manifest["quality_report"]["files"].items():
        assert _sha(published_demo["exports"] / name) == digest
    assert set(manifest["quality_report"]["files"]) == {"datakvalitet.html", "datakvalitet.json"}


def test_every_export_reads_back_as_the_warehouse_holds_it(published_demo):
    exports, warehouse = published_demo["exports"], published_demo["warehouse"]
    manifest = _manifest(exports)
    assert manifest["tables"], "the manifest lists no table"
    for table in manifest["tables"]:
        relation = table["relation"]
        kinds = relation_kinds(warehouse, relation)
        expected = canonical(mart_rows(warehouse, relation), kinds)
        assert len(expected) == table["rows"] > 0
        parquet = exports / table["parquet_file"]
        assert _sha(parquet) == table["parquet_sha256"]
        assert _sha(exports / table["csv_file"]) == table["csv_sha256"]
        # DuckDB
        assert canonical(duckdb.sql(f"SELECT * FROM read_parquet('{parquet}')").fetchall(), kinds) == expected
        # pyarrow, with the column names and order of the relation
        arrow = pq.read_table(parquet)
        assert arrow.column_names == [c for c, _ in kinds]
        assert canonical(zip(*[arrow.column(c).to_pylist() for c, _ in kinds]), kinds) == expected
        # CSV as Danish Excel reads it: BOM, semicolons, decimal comma
        raw = (exports / table["csv_file"]).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        reader = csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";")
        header = next(reader)
        assert header == [c for c, _ in kinds]
        body = list(reader)
        assert canonical(body, kinds) == expected
        numeric_cells = [v for row in body for v, (_, k) in zip(row, kinds) if k == "num" and v]
        assert numeric_cells and not any("." in v for v in numeric_cells)  # '1.234' would be read as thousands


def _machine_form(names: list[str], row: tuple) -> tuple:
    """A workbook row as the relation holds it: Danmarks Statistik's '..' (withheld) and '.' (no
    figure) are empty, Danish values their codes, Ja / Nej booleans, dates dates; the language
    table's zero assessed (shown as a zero, '-') is empty as in the relation."""
    codes = {column: {da: code for code, da in labels.items()} for column, labels in VALUE_LABELS_DA.items()}
    codes["unit"] = {da: code for code, da in UNIT_LABELS_DA.items()}
    booleans = {da: value for value, da in BOOLEAN_DA.items()}
    out = []
    for column, value in zip(names, row):
        if value in ("..", "."):
            value = None
        elif isinstance(value, datetime):
            value = value.date()
        elif isinstance(value, str) and value in booleans:
            value = booleans[value]
        elif column in codes and value in codes[column]:
            value = codes[column][value]
        out.append(value)
    if "flag_none_assessed" in names and out[names.index("flag_none_assessed")]:
        out[names.index("n_assessed")] = None
    return tuple(out)


def _xlsx_rows(path: Path, header: list[str]) -> tuple[list[tuple], dict]:
    """Data rows (up to the first empty row) of the sheets whose header is ``header`` plus the
    footnote column, i.e. the sheets of one relation, and those sheets."""
    book = load_workbook(path)
    rows, sheets = [], {}
    for ws in book.worksheets:
        if [c.value for c in ws[1]] != header + [FOOTNOTE_COLUMN]:
            continue
        sheet_rows = []
        for row in ws.iter_rows(min_row=2, values_only=True):
            if all(v is None for v in row):
                break
            sheet_rows.append(row)
        sheets[ws.title] = (ws, sheet_rows)
        rows += [r[:-1] for r in sheet_rows]  # the last column is the footnote mark
    return rows, sheets


def test_workbook_per_plan_reads_back_with_danish_headers_and_footnotes(published_demo):
    exports, warehouse = published_demo["exports"], published_demo["warehouse"]
    manifest = _manifest(exports)
    area = "export_area_indicator"
    kinds = relation_kinds(warehouse, area)
    names = [c for c, _ in kinds]
    plans = {w["plan_code"]: w for w in manifest["workbooks"] if w["plan_code"]}
    assert set(plans) == {"HP2017", "HP2025"}
    for plan, info in plans.items():
        path = exports / info["file"]
        assert _sha(path) == info["sha256"]
        rows, sheets = _xlsx_rows(path, [column_label(c) for c in names])
        assert sheets, "no sheet of the indicator table"
        expected = canonical(mart_rows(warehouse, area, f"WHERE plan_code = '{plan}'"), kinds)
        assert canonical([_machine_form(names, r) for r in rows], kinds) == expected
        # a sheet per indsatsområde (Excel cuts sheet names at 31 characters)
        area_i = names.index("indsatsomraade")
        for title, (_, sheet_rows) in sheets.items():
            in_sheet = {r[area_i] for r in sheet_rows}
            assert len(in_sheet) == 1, title
            area_name = in_sheet.pop()
            if area_name:
                assert title == area_name or (title.endswith("…") and area_name.startswith(title[:-1]))
        suppressed_seen = False
        for title, (ws, sheet_rows) in sheets.items():
            assert ws.freeze_panes == "A2", title
            header = [c.value for c in ws[1]]
            assert header == [column_label(c) for c in names] + ["Fodnote"]
            assert "Indsatsområde" in header and "Værdi" in header
            value_col = names.index("value") + 1
            flag_col = names.index("flag_disclosure_suppressed") + 1
            for r, row in enumerate(sheet_rows, start=2):
                cell = ws.cell(r, value_col)
                if isinstance(cell.value, float):
                    assert cell.number_format == number_format("value", "DOUBLE")
                assert cell.value is not None  # a person never reads an empty figure
                if row[flag_col - 1] == "Ja" and cell.value == "..":
                    suppressed_seen = True
                    assert cell.comment is not None and "Diskretioneret" in cell.comment.text
                    assert row[-1] == "¹"
            if any(r[flag_col - 1] == "Ja" for r in sheet_rows):
                footnotes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("¹ ")]
                assert footnotes, title
        assert suppressed_seen, plan
    # relations without a plan get a sheet each in the other workbook
    other = next(w for w in manifest["workbooks"] if not w["plan_code"])
    lang_kinds = relation_kinds(warehouse, "export_language_assessment")
    lang_names = [c for c, _ in lang_kinds]
    rows, sheets = _xlsx_rows(exports / other["file"], [column_label(c) for c in lang_names])
    assert list(sheets) == ["Sprogvurderinger"]
    assert canonical([_machine_form(lang_names, r) for r in rows], lang_kinds) == \
        canonical(mart_rows(warehouse, "export_language_assessment"), lang_kinds)
    # any other relation with a plan is one sheet per plan under its Danish title
    population = "export_population_indicator"
    pop_kinds = relation_kinds(warehouse, population)
    pop_rows = []
    for plan, info in plans.items():
        rows, sheets = _xlsx_rows(exports / info["file"], [column_label(c) for c, _ in pop_kinds])
        assert list(sheets) == ["Indsatsernes deltagere"], plan
        pop_rows += [_machine_form([c for c, _ in pop_kinds], r) for r in rows]
    assert canonical(pop_rows, pop_kinds) == canonical(mart_rows(warehouse, population), pop_kinds)


def test_one_latest_period_per_indicator_and_geography(published_demo):
    """An indicator followed on multi-year averages was also marked latest on a single year (21
    pairs on the small demo), so a count of off-target indicators counted it twice."""
    parquet = published_demo["exports"] / "export_area_indicator.parquet"
    con = duckdb.connect()
    twice = con.execute(f"SELECT indicator_id, geography_code FROM read_parquet('{parquet}') WHERE is_latest_period "
                        "GROUP BY ALL HAVING count(*) > 1").fetchall()
    assert twice == []
    spans = con.execute(f"SELECT count(DISTINCT indicator_id) FROM read_parquet('{parquet}') WHERE is_latest_period "
                        "AND regexp_full_match(period, '\\d{4}-\\d{4}')").fetchone()[0]
    assert spans >= 1  # the multi-year indicators are latest on their averages


def test_counts_are_integers_and_periods_dated(published_demo):
    """n and the other counts are integers (n was HUGEINT in the warehouse and a double in the
    Parquet file); the period's first and last day stand beside its label."""
    parquet = published_demo["exports"] / "export_area_indicator.parquet"
    con = duckdb.connect()
    for path in published_demo["exports"].glob("export_*.parquet"):
        schema = pq.read_schema(path)
        counts = [f for f in schema if f.name == "n" or f.name.startswith("n_")]
        assert counts and all(str(f.type) == "int32" for f in counts), (path.name, counts)
    kinds = dict((f.name, str(f.type)) for f in pq.read_schema(parquet))
    assert kinds["period_start"] == kinds["period_end"] == "date32[day]"

    def end_year(period: str) -> int:  # '2024/25' -> 2025, '2021-2025' and '2023-10..2024-09' -> the last year
        years = [int(y) for y in re.findall(r"\d{4}", period)]
        return years[0] + 1 if re.fullmatch(r"\d{4}/\d{2}", period) else max(years)

    dated = con.execute(f"SELECT DISTINCT period, period_start, period_end FROM read_parquet('{parquet}')").fetchall()
    wrong = [r for r in dated if r[1] is None or r[2] < r[1] or r[2].year != end_year(r[0])
             or (re.fullmatch(r"\d{4}-\d{4}", r[0]) and r[1].year != int(r[0][:4]))]
    assert dated and wrong == []


def test_an_ended_plans_unmet_target_is_not_met_without_yet(published_demo):
    """'ikke opfyldt endnu' (not met yet) only while the plan runs."""
    parquet = published_demo["exports"] / "export_area_indicator.parquet"
    con = duckdb.connect()
    statuses = dict(con.execute(f"SELECT plan_code, list(DISTINCT status) FROM read_parquet('{parquet}') "
                                "GROUP BY ALL").fetchall())
    # the 2017-21 plan ended in May 2021: no 'yet'; the 2025-29 plan runs
    assert "ikke opfyldt" in statuses["HP2017"] and "ikke opfyldt endnu" not in statuses["HP2017"]
    assert "ikke opfyldt endnu" in statuses["HP2025"] and "ikke opfyldt" not in statuses["HP2025"]


PUBLISH_SCRIPT = """
import sys
from exports.publish import publish
publish(sys.argv[1], sys.argv[2], report_year=int(sys.argv[3]))
"""


def _published_files(exports: Path) -> dict[str, str]:
    """What a reader gets through the top-level names (links through `latest`)."""
    return {p.name: _sha(p) for p in exports.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_a_publish_killed_midway_leaves_the_last_good_files(published_demo, tmp_path):
    """SIGKILL while the new files are being written: the published folder is as it was, and the
    next publish removes the abandoned staging folder and completes."""
    import shutil

    exports = tmp_path / "exports"
    shutil.copytree(published_demo["exports"], exports, symlinks=True)
    before = _published_files(exports)
    assert MANIFEST_FILE in before and SNAPSHOT_FILE in before
    publisher = subprocess.Popen([sys.executable, "-c", PUBLISH_SCRIPT, str(published_demo["warehouse"]), str(exports),
                                  str(published_demo["report_year"])],
                                 cwd=Path(__file__).parent.parent)
    deadline = time.monotonic() + 60
    while not list(exports.glob(f"{STAGING_PREFIX}*/*.parquet")):
        assert publisher.poll() is None, "publish finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(publisher.pid, signal.SIGKILL)
    publisher.wait()
    assert list(exports.glob(f"{STAGING_PREFIX}*")), "the killed run left its staging folder"
    assert _published_files(exports) == before
    done = subprocess.run([sys.executable, "-c", PUBLISH_SCRIPT, str(published_demo["warehouse"]), str(exports),
                                  str(published_demo["report_year"])],
                          cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not list(exports.glob(f"{STAGING_PREFIX}*"))
    after = _manifest(exports)
    assert after["snapshot_id"] != _manifest(published_demo["exports"])["snapshot_id"]
    # same data, same files: only the manifest and the snapshot's id row differ
    changed = {name for name, digest in _published_files(exports).items() if before.get(name) != digest}
    assert changed == {MANIFEST_FILE, SNAPSHOT_FILE}, changed
