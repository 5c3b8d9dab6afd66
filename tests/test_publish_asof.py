"""Every published figure is as known at the end of its report year (dbt_project/macros/as_of.sql).

The session's refresh publishes the default report year; `boligmonitor backfill 2021 2021`
(fixture backfilled_2021) rebuilds the marts with dbt var report_year=2021 and publishes them.
That publication holds no period that ended after 2021 (relations, snapshot, workbooks, annexes),
its latest values are those periods' values in today's build, and its statuses are judged
with what was known in 2021: a baseline measured later is not yet there."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from exports.labels import column_label
from exports.snapshot import SNAPSHOT_FILE
from exports.workbook import COVER_SHEET

YEAR = 2021


def end_year(period: str) -> int:
    """The calendar year a period label ends in, written out independently of the product:
    '2021' -> 2021, '2020/21' -> 2021, '2017-2021' -> 2021, '2020-10..2021-09' -> 2021, '2021-12' -> 2021."""
    years = [int(y) for y in re.findall(r"\d{4}", period)]
    assert years, period
    return years[0] + 1 if re.fullmatch(r"\d{4}/\d{2}", period) else max(years)


def _manifest(exports: Path) -> dict:
    return json.loads((exports / "manifest.json").read_text(encoding="utf-8"))


def _area(exports: Path) -> dict[tuple, dict]:
    """export_area_indicator as published in Parquet, by (indicator, geography, period)."""
    cursor = duckdb.connect().execute(f"SELECT * FROM read_parquet('{exports / 'export_area_indicator.parquet'}')")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    return {(r["indicator_id"], r["geography_code"], r["period"]): r for r in rows}


@pytest.fixture(scope="module")
def then_and_now(backfilled_2021, published_demo) -> tuple[dict, dict]:
    return _area(backfilled_2021["exports"] / str(YEAR)), _area(published_demo["exports"])


def test_the_2021_publication_holds_no_period_after_2021(backfilled_2021):
    exports = backfilled_2021["exports"] / str(YEAR)
    manifest = _manifest(exports)
    assert manifest["data_vintage"] == {"report_year": YEAR, "latest_data_year": YEAR, "as_of_date": f"{YEAR}-12-31"}
    con = duckdb.connect()
    snapshot = duckdb.connect(str(exports / SNAPSHOT_FILE), read_only=True)
    checked = set()
    for table in manifest["tables"]:
        relation, parquet = table["relation"], exports / table["parquet_file"]
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{parquet}')").fetchall()]
        if "period" in columns:
            for source in (f"read_parquet('{parquet}')", f'"{relation}"'):
                db = con if source.startswith("read_parquet") else snapshot
                periods = [r[0] for r in db.execute(f"SELECT DISTINCT period FROM {source}").fetchall()]
                assert max(map(end_year, periods)) == YEAR, relation
            checked.add(relation)
        elif "cohort_year" in columns:
            # the population table: no cohort starts after the report year, and a measured
            # 'after' period had ended by it
            rows = con.execute(f"SELECT cohort_year, period_label, participants_value FROM read_parquet('{parquet}')").fetchall()
            assert max(r[0] for r in rows) == YEAR, relation
            measured = [r[1] for r in rows if r[2] is not None and r[1]]
            assert measured and max(map(end_year, measured)) <= YEAR, relation
            checked.add(relation)
        elif "assessment_year" in columns:
            assert con.execute(f"SELECT max(assessment_year) FROM read_parquet('{parquet}')").fetchone()[0] == YEAR
            checked.add(relation)
    snapshot.close()
    assert checked == {t["relation"] for t in manifest["tables"]}
    assert "export_area_indicator" in checked and "export_language_assessment" in checked

    # workbooks: every period and year column of every sheet, and the report year on the cover sheet
    period_labels = {column_label("period"), column_label("assessment_year")}
    seen = 0
    for workbook in manifest["workbooks"]:
        book = load_workbook(exports / workbook["file"], read_only=True)
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows)
            if sheet.title == COVER_SHEET:
                about = {tuple(r[:2]) for r in rows}
                assert ("Rapportår", YEAR) in about and ("Tal kendt pr.", f"31.12.{YEAR}") in about
                continue
            columns = [i for i, name in enumerate(header) if name in period_labels]
            for row in rows:
                for i in columns:
                    if row[i] is not None:
                        assert end_year(str(row[i])) <= YEAR, (workbook["file"], sheet.title, row[i])
                        seen += 1
        book.close()
    assert seen > 1000

    # annexes: the rows' periods and the trend charts' ranges
    annexes = [a for a in manifest["annexes"] if a["year"] == YEAR]
    assert {a["plan_code"] for a in annexes} == {"HP2017", "HP2025"}
    for annex in annexes:
        html = (exports / annex["file"]).read_text(encoding="utf-8")
        assert f"Resultater på indsatsområderne {YEAR}" in html and f"tal kendt pr. 31.12.{YEAR}" in html
        periods = re.findall(r'data-period="([^"]+)"', html)
        ranges = re.findall(r"<title>Udvikling (\S+)–(\S+):", html)
        assert periods and ranges
        assert max(map(end_year, periods)) == YEAR
        assert max(end_year(last) for _, last in ranges) <= YEAR


def test_a_latest_value_in_2021_is_that_periods_value_today(then_and_now):
    then, now = then_and_now
    latest = {key: row for key, row in then.items() if row["is_latest_period"] and row["value"] is not None}
    compared = [(row["value"], now[key]["value"]) for key, row in latest.items() if now[key]["value"] is not None]
    assert len(compared) > 300
    assert all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in compared)
    # today most of these cells have a later latest period: the 2021 publication is not today's
    latest_now = {key[:2]: end_year(key[2]) for key, row in now.items() if row["is_latest_period"]}
    assert sum(latest_now.get(key[:2], 0) > YEAR for key in latest) > 300


def test_the_2021_publication_and_todays_hide_the_same_cells(then_and_now, backfilled_2021, published_demo):
    """Both publications stay on disk and are read together: from the same data, a cell hidden
    in one and shown in the other would give it away (and the relations of the two patterns
    together could give others). Disclosure is decided on every period known by the data
    vintage, so each publication shows a subset of one safe pattern."""
    then, now = then_and_now
    common = then.keys() & now.keys()
    assert len(common) > 1000
    differ = sorted(k for k in common if then[k]["flag_disclosure_suppressed"] != now[k]["flag_disclosure_suppressed"])
    assert differ == [], differ[:20]
    assert any(then[k]["flag_disclosure_suppressed"] for k in common)

    def language(exports: Path) -> dict:
        frame = duckdb.connect().execute(
            f"SELECT * FROM read_parquet('{exports / 'export_language_assessment.parquet'}')").df()
        return {(r["geography_code"], int(r["assessment_year"])): r["flag_disclosure_suppressed"]
                for r in frame.to_dict("records")}

    language_then = language(backfilled_2021["exports"] / str(YEAR))
    language_now = language(published_demo["exports"])
    assert language_then and all(language_now[k] == hidden for k, hidden in language_then.items())


def test_a_cohort_revised_since_2021_gives_no_person_away(backfilled_2021, published_demo):
    """A recent cohort's after-period grows as later measurements arrive: the 2021 publication
    shows it as measured by the end of 2021, today's as measured now. Read together, the two give
    the revision (the persons measured since, with and without the outcome), so where both show
    a row, the revision is 0 or at least the threshold in persons, both ways."""
    shares = {r["outcome_kind"] for r in csv.DictReader(
        (Path(__file__).parents[1] / "dbt_project" / "seeds" / "activities_outcomes.csv").open(encoding="utf-8"))
        if r["value_kind"] == "share"}

    def shown(exports: Path) -> dict:
        frame = duckdb.connect().execute(
            f"SELECT * FROM read_parquet('{exports / 'export_population_indicator.parquet'}')").df()
        return {(r.plan_code, r.activity_code, r.cohort_year, r.outcome_kind, r.period_kind): r
                for r in frame.itertuples() if not r.flag_disclosure_suppressed and not pd.isna(r.n_participants)}

    then, now = shown(backfilled_2021["exports"] / str(YEAR)), shown(published_demo["exports"])
    common = sorted(then.keys() & now.keys())
    assert len(common) > 20
    revised = []
    for key in common:
        a, b = then[key], now[key]
        added = b.n_participants - a.n_participants
        if added == 0:
            assert abs(a.participants_value - b.participants_value) < 1e-9, key  # no revision of a few
            continue
        revised.append(key)
        assert abs(added) >= 3, (key, added)
        if key[3] in shares and key[4] != "change":
            with_ = (b.participants_value * b.n_participants - a.participants_value * a.n_participants) / 100
            assert not 0.5 <= abs(with_) < 2.5 and not 0.5 <= abs(added - with_) < 2.5, (key, added, with_)
    assert revised  # the demo has cohorts measured further since 2021, shown in both


def test_a_status_judged_in_2021_can_differ_from_todays(then_and_now, backfilled_2021):
    then, now = then_and_now
    # the same row, judged then and now: only a baseline measured after 2021 can tell them apart
    # (both publications hide the same cells: test_the_2021_publication_and_todays_hide_the_same_cells)
    differ = {key: (row, now[key]) for key, row in then.items() if row["status"] != now[key]["status"]
              and not row["flag_disclosure_suppressed"] and not now[key]["flag_disclosure_suppressed"]}
    assert differ
    for key, (row_then, row_now) in differ.items():
        assert end_year(row_then["baseline_period"]) > YEAR, key
        assert row_then["baseline_value"] is None and row_then["status"] == "kan ikke vurderes", key
        assert row_then["status_reason"] == "Der er ingen baseline at måle udviklingen imod.", key
        assert row_now["status"] in ("opfyldt", "ikke opfyldt endnu", "ikke opfyldt"), key
    # no figure from after 2021 reaches the 2021 publication through a baseline either
    assert all(r["baseline_value"] is None for r in then.values() if r["baseline_period"]
               and end_year(r["baseline_period"]) > YEAR)

    # the headline of a plan total: its latest status then and now, both assessed, differ
    def headline(rows: dict) -> dict:
        return {key[:2]: r for key, r in rows.items() if r["is_latest_period"] and r["geography_type"] == "plan_total"
                and r["status"] in ("opfyldt", "ikke opfyldt endnu", "ikke opfyldt")}

    head_then, head_now = headline(then), headline(now)
    changed = sorted(k for k in head_then.keys() & head_now.keys() if head_then[k]["status"] != head_now[k]["status"])
    assert changed
    indicator, geography = changed[0]
    row = head_then[(indicator, geography)]
    assert end_year(row["period"]) <= YEAR < end_year(head_now[(indicator, geography)]["period"])
    # the 2021 reason quotes the 2021 value, and the 2021 annex shows that status
    shown = f"{row['value']:.1f}".replace(".", ",")
    assert f"Værdien er {shown}" in row["status_reason"]
    plan = row["plan_code"]
    html = (backfilled_2021["exports"] / str(YEAR) / f"bilag_{plan}_{YEAR}.html").read_text(encoding="utf-8")
    tag = re.search(rf'<tr data-indicator="{indicator}" data-geography="{geography}" data-period="([^"]+)"\s*'
                    r'data-status="([^"]+)"', html)
    assert tag and tag.groups() == (row["period"], row["status"])
