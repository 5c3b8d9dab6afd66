"""The data-quality report of a refresh: HTML in Danish for the monitoring unit (the annex to its
yearly data report) and JSON for machines, written next to the exports.

It lists every flag by plan, area and indicator, the hidden (suppressed) cells and why, and the
rows quarantined at ingestion, and the language assessments that do not count because the child
was assessed again that year (counts per year and file only). It reads only what may leave the warehouse or says nothing about
persons: the published export relation (whose flag reasons name no count), which cells the
disclosure models in the quality schema hide (never whether primary or secondary: that detail
stays in the warehouse for the monitoring unit), and file/line/column/reason of quarantined
rows (never their values). Both files are written beside their final names and renamed into place.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from pathlib import Path

import duckdb

from exports.labels import FLAG_LABELS_DA

HTML_NAME = "datakvalitet.html"
JSON_NAME = "datakvalitet.json"

# flag column in export_area_indicator -> the Danish label every published file uses
FLAGS = FLAG_LABELS_DA


# the one reason the published report gives for every hidden cell
HIDDEN_REASON = "Skjult af diskretionshensyn"


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _quarantine(con: duckdb.DuckDBPyConnection) -> list[dict]:
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' "
        "AND table_name LIKE '%\\_\\_quarantine' ESCAPE '\\' ORDER BY 1").fetchall()]
    rows = []
    for table in tables:
        rows += _rows(con, f"""
            SELECT '{table.removesuffix('__quarantine')}' AS source, _source_file AS file, _source_row + 1 AS line,
                   _quarantine_column AS "column", _quarantine_reason AS reason
            FROM raw."{table}" ORDER BY _source_file, _source_row""")
    return rows


def _repeated_assessments(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per year and delivered file: the language assessments that do not count, because one
    assessment per child and year does (int_language__assessments.is_counted). Counts only."""
    present = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'intermediate' "
        "AND table_name = 'int_language__assessments' AND column_name = 'is_counted'").fetchone()[0]
    if not present:
        return []
    return _rows(con, """
        SELECT assessment_year AS year, source_file AS file, count(*) AS assessments,
               count(*) FILTER (WHERE NOT is_counted) AS not_counted
        FROM intermediate.int_language__assessments
        GROUP BY ALL HAVING count(*) FILTER (WHERE NOT is_counted) > 0
        ORDER BY year, file""")


def collect(warehouse_path: str | Path, report_year: int | None = None) -> dict:
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        flag_sql = " OR ".join(FLAGS)
        flagged = _rows(con, f"""
            SELECT plan_code, geography_code, geography_name, indicator_id, indicator_name, period,
                   {', '.join(FLAGS)}, flag_reasons_da
            FROM publication.export_area_indicator
            WHERE {flag_sql}
            ORDER BY plan_code, geography_code, indicator_id, period""")
        # only whether a cell is hidden leaves the warehouse: primary (1-2 persons behind it) or
        # secondary stays in the quality schema, since telling them apart would point at persons
        suppressed = _rows(con, f"""
            SELECT 'export_area_indicator' AS "table", indicator_id, geography_code, period,
                   NULL AS category, '{HIDDEN_REASON}' AS reason_da
            FROM quality.disclosure_area_indicator WHERE is_suppressed
            UNION ALL
            SELECT 'export_language_assessment', 'HP2025_SPROGVURDERING', geography_code, CAST(assessment_year AS VARCHAR),
                   category, '{HIDDEN_REASON}'
            FROM quality.disclosure_language_assessment WHERE is_suppressed
            UNION ALL
            SELECT 'export_population_indicator', activity_code || ' / ' || outcome_kind, plan_code,
                   cohort_year || ' ' || period_kind, NULL, '{HIDDEN_REASON}'
            FROM quality.disclosure_population_indicator WHERE is_suppressed
            ORDER BY 1, 2, 3, 4, 5""")
        quarantined = _quarantine(con)
        repeated = _repeated_assessments(con)
    finally:
        con.close()

    for row in flagged:
        row["flags"] = [label for column, label in FLAGS.items() if row.pop(column)]
    by_kind = Counter(label for row in flagged for label in row["flags"])
    by_plan_area = Counter((row["plan_code"], row["geography_code"], label) for row in flagged for label in row["flags"])
    return {
        "report_year": report_year,
        "summary": {
            "flagged_cells": len(flagged),
            "flags_by_kind": {label: by_kind.get(label, 0) for label in FLAGS.values()},
            "suppressed_cells": len(suppressed),
            "suppressed_by_table": dict(Counter(r["table"] for r in suppressed)),
            "quarantined_rows": len(quarantined),
            "quarantined_by_source": dict(Counter(r["source"] for r in quarantined)),
            "language_assessments_not_counted": sum(r["not_counted"] for r in repeated),
        },
        "flags_by_plan_area": [
            {"plan_code": plan, "geography_code": geo, "flag": label, "cells": n}
            for (plan, geo, label), n in sorted(by_plan_area.items())
        ],
        "flagged_cells": flagged,
        "suppressed_cells": suppressed,
        "quarantined_rows": quarantined,
        "repeated_language_assessments": repeated,
    }


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: dict) -> str:
    s = report["summary"]
    year = report["report_year"] or ""
    parts = [
        "<!DOCTYPE html><html lang='da'><head><meta charset='utf-8'>",
        f"<title>Datakvalitet {year}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}</style></head><body>",
        f"<h1>Datakvalitetsrapport {year}</h1>",
        f"<p>Udgivet sammen med tabellerne; tidspunkt og version står i manifest.json. {s['flagged_cells']} tal har mindst ét flag, "
        f"{s['suppressed_cells']} tal er skjult af hensyn til diskretionen, og {s['quarantined_rows']} rækker "
        "er sat i karantæne ved indlæsningen.</p>",
        "<h2>Flag i alt</h2>",
        _table(["Flag", "Antal tal"], [[k, v] for k, v in s["flags_by_kind"].items()]),
        "<h2>Flag pr. plan og område</h2>",
        _table(["Plan", "Område", "Flag", "Antal tal"],
               [[r["plan_code"], r["geography_code"], r["flag"], r["cells"]] for r in report["flags_by_plan_area"]]),
        "<h2>Skjulte tal og hvorfor</h2>",
        "<p>Et tal skjules, når der er for få personer bag det, eller når det ellers kunne regnes ud ved at "
        "trække de viste tal fra hinanden. Rapporten siger ikke hvilken af de to grunde, der gælder for det "
        "enkelte tal, for det ville udpege tal med meget få personer.</p>",
        _table(["Tabel", "Indikator eller indsats", "Område eller plan", "Periode", "Kategori", "Begrundelse"],
               [[r["table"], r["indicator_id"], r["geography_code"], r["period"], r["category"], r["reason_da"]]
                for r in report["suppressed_cells"]]),
        "<h2>Rækker i karantæne</h2>",
        "<p>Rækker, hvis institutions- eller skolekode ikke findes i referencedata. De indgår ikke i tallene, "
        "før koden er rettet eller tilføjet.</p>",
        _table(["Kilde", "Fil", "Linje", "Kolonne", "Årsag"],
               [[r["source"], r["file"], r["line"], r["column"], r["reason"]] for r in report["quarantined_rows"]])
        if report["quarantined_rows"] else "<p>Ingen rækker i karantæne.</p>",
        "<h2>Børn sprogvurderet flere gange i samme år</h2>",
        "<p>Et barn kan sprogvurderes mere end én gang i et kalenderår. Kun én vurdering pr. barn og år tæller: "
        "den seneste, der er foretaget pga. formodet behov, ellers årets seneste. Tabellen viser pr. år og fil, "
        "hvor mange vurderinger der derfor ikke tæller med.</p>",
        _table(["År", "Fil", "Vurderinger fra året i filen", "Tæller ikke med"],
               [[r["year"], r["file"], r["assessments"], r["not_counted"]]
                for r in report.get("repeated_language_assessments", [])])
        if report.get("repeated_language_assessments") else "<p>Intet barn er sprogvurderet flere gange i samme år.</p>",
        "<h2>Alle flag pr. plan, område og indikator</h2>",
        _table(["Plan", "Område", "Indikator", "Periode", "Flag", "Hvorfor"],
               [[r["plan_code"], r["geography_name"] or r["geography_code"], r["indicator_name"], r["period"],
                 ", ".join(r["flags"]), r["flag_reasons_da"]] for r in report["flagged_cells"]]),
        "</body></html>",
    ]
    return "\n".join(parts)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_report(warehouse_path: str | Path, out_dir: str | Path, report_year: int | None = None) -> dict:
    """Write datakvalitet.json and datakvalitet.html to out_dir; returns the report's summary."""
    report = collect(warehouse_path, report_year)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _write_atomically(out / JSON_NAME, json.dumps(report, ensure_ascii=False, indent=1, default=str))
    _write_atomically(out / HTML_NAME, render_html(report))
    return report["summary"]
