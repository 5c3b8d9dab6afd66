"""The indicator annex rendered in headless Chromium (Debian's package, installed by
`make system-deps`): the screenshot is a real page with the smileys, and every figure on the
rendered page is the published (disclosure-controlled) figure of the export relation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import numpy as np
import pytest
from PIL import Image

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
WIDTH, HEIGHT = 1280, 1600


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is not installed: run `make system-deps` (apt-get install chromium)"
    return found


def _chromium_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    done = subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


class _AnnexRows(HTMLParser):
    """Rows of the rendered annex: the tr's data-* attributes and the text of each v-* cell (or
    v-* block inside a cell, such as the status reason)."""

    def __init__(self):
        super().__init__()
        self.rows, self.sections, self.footnotes = [], [], ""
        self._row = self._cell = None
        self._in_h2 = self._in_footnotes = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-indicator" in attrs:
            self._row = {k[5:]: v for k, v in attrs.items() if k.startswith("data-")}
            self.rows.append(self._row)
        elif tag in ("td", "div") and self._row is not None:
            cls = next((c for c in (attrs.get("class") or "").split() if c.startswith("v-")), None)
            self._cell = cls
            if cls:
                self._row[cls] = ""
        elif tag == "sup" and self._cell:
            self._row[self._cell] += "^"
        elif tag == "h2":
            self._in_h2 = True
            self.sections.append("")
        elif tag == "div" and attrs.get("id") == "footnotes":
            self._in_footnotes = True

    def handle_endtag(self, tag):
        if tag in ("td", "div"):
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._cell and self._row is not None:
            self._row[self._cell] += data
        if self._in_h2:
            self.sections[-1] += data
        if self._in_footnotes:
            self.footnotes += data


def _number(text: str) -> float | None:
    """'1.024' -> 1024.0, '18,7 (2023/24)' -> 18.7; Danmarks Statistik's '-' (a true zero) -> 0.0;
    '', '..' (withheld) and '.' (no figure) -> None (Danish separators)."""
    text = text.split("(")[0].strip()
    if text == "-":
        return 0.0
    if not text or text.startswith("."):
        return None
    return float(text.replace(".", "").replace(",", "."))


def _end_year(period: str) -> int:
    years = [int(y) for y in re.findall(r"\d{4}", period)]
    return years[0] + 1 if re.fullmatch(r"\d{4}/\d{2}", period) else max(years)


@pytest.fixture(scope="module")
def annexes(published_demo):
    manifest = json.loads((published_demo["exports"] / "manifest.json").read_text(encoding="utf-8"))
    return {a["plan_code"]: published_demo["exports"] / a["file"] for a in manifest["annexes"]
            if a["year"] == published_demo["report_year"]}


def test_annex_screenshot_in_headless_chromium(annexes, tmp_path):
    assert set(annexes) == {"HP2017", "HP2025"}
    shot = tmp_path / "bilag.png"
    _chromium_run(tmp_path, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", annexes["HP2025"].as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    non_white = (pixels.min(axis=1) < 235).mean()
    assert 0.03 < non_white < 0.6, non_white  # text, tables and charts, not a blank or an error page
    assert len(np.unique(pixels, axis=0)) > 50

    def count_near(target, tolerance=40):
        return int((np.abs(pixels - np.array(target)) <= tolerance).all(axis=1).sum())

    # the status smileys are drawn: green (#3a9d23) and yellow (#f2c500) pixels on the first screen
    assert count_near((0x3A, 0x9D, 0x23)) > 30
    assert count_near((0xF2, 0xC5, 0x00)) > 30


@pytest.mark.parametrize("plan", ["HP2017", "HP2025"])
def test_annex_figures_are_the_published_figures(annexes, published_demo, tmp_path, plan):
    dom = _chromium_run(tmp_path, "--dump-dom", annexes[plan].as_uri()).stdout
    page = _AnnexRows()
    page.feed(dom)
    con = duckdb.connect(str(published_demo["warehouse"]), read_only=True)
    try:
        cursor = con.execute("SELECT * FROM publication.export_area_indicator WHERE plan_code = ? "
                             "AND level <> 'omraadeprofil' AND (indsatsomraade IS NOT NULL OR target_kind <> 'none')",
                             [plan])
        names = [d[0] for d in cursor.description]
        published = [dict(zip(names, r)) for r in cursor.fetchall()]
    finally:
        con.close()
    in_year = [r for r in published if _end_year(r["period"]) <= published_demo["report_year"]]
    by_key = {(r["indicator_id"], r["geography_code"], r["period"]): r for r in in_year}
    latest = {}
    for r in in_year:
        key = (r["indicator_id"], r["geography_code"])
        latest[key] = max(latest.get(key, ""), r["period"], key=lambda p: (_end_year(p), p) if p else (0, ""))
    # the export marks one latest period per indicator and geography (for an indicator followed on
    # multi-year averages, an average); without one (no value yet) the latest period is shown
    latest.update({(r["indicator_id"], r["geography_code"]): r["period"] for r in in_year if r["is_latest_period"]})
    # one row per indicator and geography, at its latest period up to the report year
    assert len(page.rows) == len(latest) > 50
    suppressed = 0
    for row in page.rows:
        key = (row["indicator"], row["geography"])
        assert row["period"] == latest[key], key
        figure = by_key[(*key, row["period"])]
        decimals = 0 if figure["unit"] == "count" else 1
        tolerance = 0.5 * 10 ** -decimals + 1e-9
        shown = _number(row["v-latest"])
        if figure["value"] is None:
            assert shown is None
            if figure["flag_disclosure_suppressed"]:
                assert row["v-latest"].strip().startswith("..^"), row  # withheld, footnote 1
                suppressed += 1
        else:
            assert shown is not None and abs(shown - figure["value"]) <= tolerance, (row, figure["value"])
        for cell, column in (("v-baseline", "baseline_value"), ("v-target", "target_value")):
            expected, value = figure[column], _number(row[cell])
            assert (value is None) if expected is None else abs(value - expected) <= tolerance, (row, column)
        assert _number(row["v-n"]) == figure["n"], row
        assert row["status"] == figure["status"]
        assert row.get("v-reason", "") == (figure["status_reason"] or "")  # printed, not only a tooltip
    assert suppressed > 0 and "Diskretioneret" in page.footnotes
    areas = {r["indsatsomraade"] for r in in_year if r["indsatsomraade"]}
    assert areas <= {s.strip() for s in page.sections}


def _annex_row(period, value, **extra):
    row = {"plan_code": "HP2017", "indicator_id": "HP2017_SK_X", "indicator_name": "Andel unge uden uddannelse",
           "geography_code": "HP2017_ALL", "geography_name": "Randers Nordby", "geography_type": "plan_total",
           "period": period, "value": value, "n": 40 if value is not None else None, "unit": "pct",
           "status": "ikke opfyldt", "status_reason": f"Værdien er {value} mod målet 30,0.", "level": "succeskriterie",
           "indsatsomraade": "Uddannelse", "target_kind": "number", "target_value": 30.0, "target_text_da": "30 %",
           "target_year": 2021, "baseline_period": "2011-2015", "baseline_value": 40.6, "is_latest_period": False,
           "flag_disclosure_suppressed": False, "flag_small_n": False, "flag_missing": value is None,
           "flag_reasons_da": None}
    return {**row, **extra}


def _render(rows: list[dict]) -> tuple[dict, str]:
    from exports.annex import build_annex, render_annex

    annex = build_annex(rows, "HP2017", 2025, {"report_year": 2025, "as_of_date": "2025-12-31"})
    return annex, render_annex(annex)


def test_annex_marks_withheld_and_missing_figures_and_prints_reasons():
    """Tiny hand-built rows: '..' for a hidden figure, '.' and 'ingen baseline' for a missing
    baseline, the status reason in the cell (not only a tooltip), the red smiley and its legend for
    an ended plan, and print CSS for A4 with the header row repeated."""
    rows = [_annex_row("2025", 43.1, is_latest_period=True),
            _annex_row("2025", None, geography_code="GJP", geography_name="Gl. Jennumparken", geography_type="area",
                       flag_disclosure_suppressed=True, status="kan ikke vurderes",
                       status_reason="Tallet vises ikke af hensyn til diskretionen.", is_latest_period=True),
            _annex_row("2025", 20.0, geography_code="VGD", geography_name="Vangdalen", geography_type="area",
                       baseline_period=None, baseline_value=None, is_latest_period=True, n=None, flag_small_n=True,
                       flag_reasons_da="Under 3 personer bag tallet."),
            _annex_row("2025", 0.0, geography_code="CRA", geography_name="Centrale Randers", geography_type="area",
                       is_latest_period=True)]
    annex, html = _render(rows)
    page = _AnnexRows()
    page.feed(html)
    by_geo = {r["geography"]: r for r in page.rows}
    assert by_geo["GJP"]["v-latest"].startswith("..^")
    assert by_geo["VGD"]["v-baseline"].startswith(".") and "ingen baseline" in by_geo["VGD"]["v-baseline"]
    assert by_geo["VGD"]["v-n"].startswith("..^")
    assert by_geo["HP2017_ALL"]["v-baseline"].startswith("40,6")
    assert by_geo["CRA"]["v-latest"].startswith("-(")  # a true zero
    # the reason is text on the page, and so are the flag's reasons (shown in print)
    assert by_geo["GJP"]["v-reason"] == "Tallet vises ikke af hensyn til diskretionen."
    assert "Under 3 personer bag tallet." in html.split('data-geography="VGD"')[1].split("</tr>")[0]
    assert "Rød smiley" in html and "helhedsplanens periode er" in html
    assert annex["summary"] == {"met": 0, "assessed": 1, "not_assessed": 0}  # the plan total only
    assert re.search(r"@page\s*{\s*size:\s*A4", html) and "thead { display: table-header-group; }" in html


def test_annex_shows_a_multi_year_indicator_on_its_latest_average():
    """An indicator followed on multi-year averages also has single years; the annex shows the
    export's latest row (the average) and a trend of averages only."""
    rows = [_annex_row("2020-2024", 37.7), _annex_row("2021-2025", 39.0, is_latest_period=True),
            _annex_row("2024", 38.2), _annex_row("2025", 43.1)]
    _, html = _render(rows)
    page = _AnnexRows()
    page.feed(html)
    assert [r["period"] for r in page.rows] == ["2021-2025"]
    assert "Udvikling 2020-2024–2021-2025" in html
