"""The data-quality report: every flag, hidden cell and quarantined row of a refresh, counted
the same as the warehouse counts them, in Danish HTML and in JSON, without person data."""

from __future__ import annotations

import json
import re
import shutil

import duckdb

from contract_examples import example_frame
from demo.writers import write_extract
from exports.quality_report import FLAGS, HIDDEN_REASON, HTML_NAME, JSON_NAME, write_report
from ingestion.contract import PERSON_KEY_PATTERN, source
from ingestion.loader import load_source
from ingestion.readers import find_files


def test_report_counts_every_flag_hidden_cell_and_quarantined_row(built_warehouse, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(built_warehouse, warehouse)
    # a delivery with a school the reference data do not know: that row is quarantined
    src = source("skolefravaer")
    frame = example_frame(src, rows=3)
    frame.loc[2, "SKOLE_KODE"] = "999999"
    bad = write_extract(frame, src, 2023, tmp_path / "extracts")
    con = duckdb.connect(str(warehouse))
    load_source(con, src, find_files(tmp_path / "extracts", src))
    flag_counts = con.execute(
        f"SELECT {', '.join(f'count(*) FILTER (WHERE {c})' for c in FLAGS)} FROM publication.export_area_indicator"
    ).fetchone()
    hidden = con.execute(
        "SELECT (SELECT count(*) FROM quality.disclosure_area_indicator WHERE is_suppressed)"
        " + (SELECT count(*) FROM quality.disclosure_language_assessment WHERE is_suppressed)"
        " + (SELECT count(*) FROM quality.disclosure_population_indicator WHERE is_suppressed)").fetchone()[0]
    con.close()

    summary = write_report(warehouse, tmp_path / "out", 2024)
    report = json.loads((tmp_path / "out" / JSON_NAME).read_text(encoding="utf-8"))
    assert report["summary"] == summary
    assert list(summary["flags_by_kind"].values()) == list(flag_counts)
    assert all(n > 0 for n in flag_counts), dict(zip(FLAGS, flag_counts))  # the demo raises every kind
    assert summary["suppressed_cells"] == hidden > 0
    assert report["quarantined_rows"] == [{"source": "skolefravaer", "file": bad.name, "line": 4,
                                           "column": "SKOLE_KODE", "reason": report["quarantined_rows"][0]["reason"]}]
    # every flagged cell carries its Danish reason, and the per-area table adds up to the total
    assert all(r["flag_reasons_da"] for r in report["flagged_cells"])
    assert sum(r["cells"] for r in report["flags_by_plan_area"]) == sum(flag_counts)

    page = (tmp_path / "out" / HTML_NAME).read_text(encoding="utf-8")
    assert "<html lang='da'>" in page and "Datakvalitetsrapport 2024" in page and "Rækker i karantæne" in page
    assert f"{summary['suppressed_cells']} tal er skjult" in page
    for text in (page, json.dumps(report)):
        assert not re.search(PERSON_KEY_PATTERN.strip("^$"), text)  # no person key anywhere


def test_published_report_does_not_tell_primary_from_secondary(built_warehouse, tmp_path):
    """A reader told that a hidden cell is primary learns it has 1-2 persons behind it: the
    warehouse keeps that detail (quality schema), the published HTML and JSON do not."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    kinds = {}
    for table in ("disclosure_area_indicator", "disclosure_language_assessment", "disclosure_population_indicator"):
        kinds[table] = con.execute(f"SELECT count(*) FILTER (WHERE is_primary), count(*) FILTER (WHERE is_secondary) "
                                   f"FROM quality.{table}").fetchone()
    con.close()
    # the demo has both kinds, so the report has something to give away
    assert all(primary > 0 for primary, _ in kinds.values()) and sum(s for _, s in kinds.values()) > 0, kinds

    write_report(built_warehouse, tmp_path / "out", 2024)
    report = json.loads((tmp_path / "out" / JSON_NAME).read_text(encoding="utf-8"))
    page = (tmp_path / "out" / HTML_NAME).read_text(encoding="utf-8")
    assert {r["table"] for r in report["suppressed_cells"]} == {
        "export_area_indicator", "export_language_assessment", "export_population_indicator"}
    # one reason for every hidden cell, and the same fields on every hidden row
    assert {r["reason_da"] for r in report["suppressed_cells"]} == {HIDDEN_REASON}
    assert {tuple(r) for r in report["suppressed_cells"]} == {
        ("table", "indicator_id", "geography_code", "period", "category", "reason_da")}
    for text in (page, json.dumps(report, ensure_ascii=False)):
        # ('primære udfordring' in an indicator's name is not a suppression kind)
        assert not re.search(r"\b(prim(æ|ae)r|sekund(æ|ae)r)\b|primary|secondary|færre end \d", text, re.IGNORECASE)
    # a hidden cell's flags say nothing of its size
    hidden_flags = [r for r in report["flagged_cells"] if "Skjult af diskretionshensyn" in r["flags"]]
    assert hidden_flags and not [r for r in hidden_flags if "Få personer" in r["flags"]
                                 or "personer bag tallet" in (r["flag_reasons_da"] or "")]
