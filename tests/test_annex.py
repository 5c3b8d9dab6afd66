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
    """Rows of the rendered annex: the tr's data-* attributes and the text of each v-* cell."""

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
        elif tag == "td" and self._row is not None:
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
        if tag == "td":
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
    """'1.024' -> 1024.0, '18,7 (2023/24)' -> 18.7, '' -> None (Danish separators)."""
    text = text.split("(")[0].strip()
    if not text or text.startswith("–"):
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
        cursor = con.execute("SELECT * FROM exports.export_area_indicator WHERE plan_code = ? "
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
                assert row["v-latest"].strip().startswith("–^"), row  # footnote 1
                suppressed += 1
        else:
            assert shown is not None and abs(shown - figure["value"]) <= tolerance, (row, figure["value"])
        for cell, column in (("v-baseline", "baseline_value"), ("v-target", "target_value")):
            expected, value = figure[column], _number(row[cell])
            assert (value is None) if expected is None else abs(value - expected) <= tolerance, (row, column)
        assert _number(row["v-n"]) == figure["n"], row
        assert row["status"] == figure["status"]
    assert suppressed > 0 and "Diskretioneret" in page.footnotes
    areas = {r["indsatsomraade"] for r in in_year if r["indsatsomraade"]}
    assert areas <= {s.strip() for s in page.sections}
