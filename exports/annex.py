"""The indicator annex: an HTML report in Danish per plan and report year, in the shape of the
results section of the 2019 annual report ("Resultater på de fire indsatsområder").

Per indsatsområde, each indicator with its target, and per geography the baseline, the latest
value up to the report year, status as a green, yellow or red smiley with its reason in print, a
small trend chart, n and flags. It reads the published (disclosure-controlled) export relations
only, so a figure that is withheld there is withheld here too: shown as ".." and footnoted, as
Danmarks Statistik does; "." says there is no figure (a missing baseline is marked so, not left
blank). One self-contained file, no scripts; it prints on A4.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import duckdb
from jinja2 import Environment
from markupsafe import Markup

from exports.charts import smiley, sparkline
from exports.labels import (
    CONFIDENTIAL_MARK,
    LEVEL_LABELS_DA,
    NOT_AVAILABLE_MARK,
    PLAN_NAMES_DA,
    SUPPRESSED_FOOTNOTE_DA,
    SYMBOLS_DA,
    UNIT_LABELS_DA,
    ZERO_MARK,
    date_da,
    decimals_for,
    flag_label,
    format_number_da,
    is_flag,
    is_suppression_flag,
    period_end_year,
)
from exports.relations import published_select, relation_columns
from exports.symbols import hidden_cells, withheld_figures

REQUIRED_COLUMNS = {"plan_code", "indicator_id", "indicator_name", "geography_code", "geography_name",
                    "geography_type", "period", "value", "status", "level", "indsatsomraade"}
GEOGRAPHY_ORDER = ["plan_total", "area", "institution_group", "school_group", "municipality_excl_plan",
                   "municipality", "region", "national"]
# The profile of the areas has no targets: it belongs in the workbooks, not in the results annex.
EXCLUDED_LEVELS = {"omraadeprofil"}
# Statuses with a verdict (green, yellow, red); anything else cannot be assessed.
ASSESSED_STATUSES = ("opfyldt", "ikke opfyldt endnu", "ikke opfyldt")
# The figures the annex shows; an empty one is '..' when withheld (exports/symbols.py), else '.'.
ANNEX_FIGURES = {"value", "n", "baseline_value", "target_value"}


ANNEX_PATTERN = re.compile(r"bilag_(?P<plan>[A-Za-z0-9]+)_(?P<year>\d{4})\.html")


def annex_name(plan_code: str, year: int) -> str:
    return f"bilag_{plan_code}_{year}.html"


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> list[dict]:
    cursor = con.execute(published_select(con, relation))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def _period_key(period: str) -> tuple:
    return (period_end_year(period) or 0, period)


def _is_span(period: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{4}", period or ""))


def _headline(history: list[dict]) -> tuple[dict, list[dict]]:
    """The row to show and the trend behind it. The latest period is the export's (one per
    indicator and geography: an indicator followed on multi-year averages is shown on its latest
    average, not on a single year beside it); the trend keeps periods of that kind. Without a
    latest row (no value yet), the latest period of the series."""
    history = sorted(history, key=lambda r: _period_key(r["period"]))
    latest = next((r for r in reversed(history) if r.get("is_latest_period")), history[-1])
    same_kind = [r for r in history if _is_span(r["period"]) == _is_span(latest["period"])]
    return latest, same_kind


def _figure(value, decimals: int, withheld: bool) -> Markup:
    """A figure as a person reads it: '..' withheld (footnote 1), '.' no figure, '-' a true zero
    (a share that rounds to 0,0 stays '0,0')."""
    if value == 0:
        return Markup(ZERO_MARK)
    if value is not None:
        return Markup(format_number_da(value, decimals))
    if withheld:
        return Markup(f'{CONFIDENTIAL_MARK}<sup>1</sup>')
    return Markup(NOT_AVAILABLE_MARK)


def build_annex(rows: list[dict], plan_code: str, year: int, vintage: dict) -> dict:
    """The annex's content as plain data (sections, indicators, geography rows)."""
    flag_columns = sorted(c for c in rows[0] if is_flag(c)) if rows else []
    hidden = hidden_cells(rows)
    plan_rows = [r for r in rows if r["plan_code"] == plan_code and r["level"] not in EXCLUDED_LEVELS
                 and (period_end_year(r["period"]) or 0) <= year
                 and (r["indsatsomraade"] or (r.get("target_kind") or "none") != "none")]
    series: dict[tuple, list[dict]] = defaultdict(list)
    for r in plan_rows:
        series[(r["indicator_id"], r["geography_code"])].append(r)
    indicators: dict[str, dict] = {}
    for (indicator_id, _), history in sorted(series.items()):
        latest, history = _headline(history)
        decimals = decimals_for(latest.get("unit"))
        suppressed = any(latest.get(c) for c in flag_columns if is_suppression_flag(c))
        withheld = withheld_figures(latest, ANNEX_FIGURES, hidden)
        indicator = indicators.setdefault(indicator_id, {
            "id": indicator_id, "name": latest["indicator_name"], "unit": UNIT_LABELS_DA.get(latest.get("unit"),
                                                                                        latest.get("unit") or ""),
            "target_text": latest.get("target_text_da"), "target_year": latest.get("target_year"),
            "section": latest["indsatsomraade"] or LEVEL_LABELS_DA.get(latest["level"], latest["level"]),
            "section_rank": 0 if latest["indsatsomraade"] else 1, "rows": []})
        indicator["rows"].append({
            "geography_code": latest["geography_code"], "geography_name": latest["geography_name"],
            "geography_type": latest["geography_type"],
            # the plan's own total first, then the areas, then the comparisons
            "rank": -1 if latest["geography_type"] == "plan_total" and latest["geography_code"].startswith(plan_code) else
            GEOGRAPHY_ORDER.index(latest["geography_type"]) if latest["geography_type"] in GEOGRAPHY_ORDER
            else len(GEOGRAPHY_ORDER),
            "period": latest["period"],
            "baseline_period": latest.get("baseline_period") or "",
            "baseline": _figure(latest.get("baseline_value"), decimals, "baseline_value" in withheld),
            "latest": _figure(latest["value"], decimals, "value" in withheld),
            "target": _figure(latest.get("target_value"), decimals, "target_value" in withheld),
            "n": _figure(latest.get("n"), 0, "n" in withheld),
            "status": latest["status"] or "kan ikke vurderes",
            "status_reason": latest.get("status_reason") or "",
            "suppressed": suppressed and latest["value"] is None,
            "flags": [flag_label(c) for c in flag_columns if latest.get(c) and not is_suppression_flag(c)],
            "flag_reasons": latest.get("flag_reasons_da") or "",
            "smiley": Markup(smiley(latest["status"])),
            "trend": Markup(sparkline([(r["period"], r["value"]) for r in history], latest.get("target_value"),
                                      decimals)),
        })
    sections: dict[tuple, list[dict]] = defaultdict(list)
    for indicator in indicators.values():
        indicator["rows"].sort(key=lambda r: (r["rank"], r["geography_name"]))
        sections[(indicator["section_rank"], indicator["section"])].append(indicator)
    plan_total = [r for i in indicators.values() for r in i["rows"] if r["geography_type"] == "plan_total"
                  and r["geography_code"].startswith(plan_code)]
    assessed = [r for r in plan_total if r["status"] in ASSESSED_STATUSES]
    return {
        "plan_code": plan_code, "plan_name": PLAN_NAMES_DA.get(plan_code, plan_code), "year": year,
        "vintage": vintage, "as_of_date": date_da(vintage["as_of_date"]) if vintage.get("as_of_date") else None,
        "sections": [{"name": name, "indicators": items} for (_, name), items in sorted(sections.items())],
        "summary": {"met": sum(r["status"] == "opfyldt" for r in assessed), "assessed": len(assessed),
                    "not_assessed": len(plan_total) - len(assessed)},
        "suppressed_footnote": SUPPRESSED_FOOTNOTE_DA,
        "symbols": SYMBOLS_DA,
        "plan_ended": any(r["status"] == "ikke opfyldt" for i in indicators.values() for r in i["rows"]),
    }


TEMPLATE = """<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<title>Bilag: indikatorer {{ a.year }} – {{ a.plan_name }}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px 32px; color: #222; font-size: 13px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 18px; border-bottom: 2px solid #1f5f99;
padding-bottom: 3px; margin-top: 28px; } h3 { font-size: 14px; margin: 18px 0 4px; }
p.target { margin: 0 0 6px; color: #444; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; table-layout: fixed; }
col.geo { width: 17%; } col.num { width: 9%; } col.status { width: 25%; } col.n { width: 6%; }
col.trend { width: 13%; } col.flags { width: 12%; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef3f8; font-weight: bold; }
td.num { text-align: right; } td.num small { font-size: 10px; } td.latest { font-weight: bold; }
td.suppressed { color: #555; } .flags { color: #8a5a00; font-size: 11px; }
td.status .verdict { white-space: nowrap; } td.status .reason { font-size: 11px; color: #444; margin-top: 2px; }
.flags .reason { color: #555; display: none; }
svg.smiley { vertical-align: middle; } .summary { background: #f6f6f6; padding: 8px 12px; }
.footnotes { font-size: 11px; color: #444; border-top: 1px solid #aaa; margin-top: 24px; padding-top: 6px; }
.footnotes dl { display: grid; grid-template-columns: 3em auto; margin: 4px 0; } .footnotes dt { font-weight: bold; }
.footnotes dd { margin: 0; }
/* A4 print: the header row repeats on every page, a table row and an indicator's heading are
   not split from what follows, colours (smileys, header shading) are printed. */
@page { size: A4 landscape; margin: 12mm 10mm 14mm 10mm; }
@media print {
  body { margin: 0; font-size: 9pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 14pt; break-after: avoid; }
  h3 { font-size: 10.5pt; break-after: avoid; } p.target { break-after: avoid; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  td.status .reason, .flags { font-size: 8pt; } .flags .reason { display: block; } svg.trend { width: 110px; height: 30px; }
  section.area + section.area { break-before: page; }
  .legend, .summary { break-inside: avoid; }
}
</style>
</head>
<body data-plan="{{ a.plan_code }}" data-year="{{ a.year }}">
<h1>Resultater på indsatsområderne {{ a.year }}</h1>
<p><strong>{{ a.plan_name }}</strong> · bilag til årsrapporten · rapportår {{ a.year }}
{%- if a.vintage.as_of_date %} · tal kendt pr. {{ a.as_of_date }}{% endif %}
{%- if a.vintage.latest_data_year %} · data til og med {{ a.vintage.latest_data_year }}{% endif %}</p>
<p class="legend">Nedenfor fremgår status på succeskriterierne for indsatsområderne. Resultatet for {{ a.year }}
er fremhævet og efterfulgt af en smiley og begrundelsen for status. {{ green }} Den grønne smiley signalerer, at
målet på nuværende tidspunkt er opnået. {{ yellow }} Den gule signalerer, at der fortsat arbejdes på at nå målet
inden for den sidste periode af den boligsociale helhedsplan.
{%- if a.plan_ended %} {{ red }} Den røde signalerer, at målet ikke blev nået: helhedsplanens periode er
slut.{% endif %} {{ grey }} Grå: kan ikke vurderes (se begrundelsen).</p>
<p class="summary" id="summary">For helhedsplanens samlede område er <strong>{{ a.summary.met }} ud af
{{ a.summary.assessed }}</strong> mål med en vurdering opfyldt{% if a.summary.not_assessed %}
&nbsp;({{ a.summary.not_assessed }} kan ikke vurderes){% endif %}.</p>
{% for section in a.sections %}
<section class="area"><h2>{{ section.name }}</h2>
{% for ind in section.indicators %}
<h3 id="{{ ind.id }}">{{ loop.index }}. {{ ind.name }}{% if ind.unit %} ({{ ind.unit }}){% endif %}</h3>
{% if ind.target_text %}<p class="target">Mål{% if ind.target_year %} ({{ ind.target_year }}){% endif %}:
{{ ind.target_text }}</p>{% endif %}
<table class="indicator" data-indicator="{{ ind.id }}">
<colgroup><col class="geo"><col class="num"><col class="num"><col class="num"><col class="status"><col class="n">
<col class="trend"><col class="flags"></colgroup>
<thead><tr><th>Geografi</th><th>Baseline</th><th>Seneste ({{ a.year }} el. før)</th><th>Mål</th><th>Status og begrundelse</th>
<th>Antal (n)</th><th>Udvikling</th><th>Flag</th></tr></thead>
<tbody>
{% for r in ind.rows %}
<tr data-indicator="{{ ind.id }}" data-geography="{{ r.geography_code }}" data-period="{{ r.period }}"
data-status="{{ r.status }}">
<td>{{ r.geography_name }}</td>
<td class="num v-baseline">{{ r.baseline }}<br><small>({{ (r.baseline_period or "ingen baseline") | breakable }})</small></td>
<td class="num latest v-latest{% if r.suppressed %} suppressed{% endif %}">{{ r.latest }}<br>{#
#}<small>({{ r.period | breakable }})</small></td>
<td class="num v-target">{{ r.target }}</td>
<td class="status"><span class="verdict">{{ r.smiley }} {{ r.status }}</span>
{%- if r.status_reason %}<div class="reason v-reason">{{ r.status_reason }}</div>{% endif %}</td>
<td class="num v-n">{{ r.n }}</td>
<td class="trend">{{ r.trend }}</td>
<td class="flags" title="{{ r.flag_reasons }}">{{ r.flags | join(", ") }}
{%- if r.flags and r.flag_reasons %}<div class="reason flag-reason">{{ r.flag_reasons }}</div>{% endif %}</td>
</tr>
{% endfor %}
</tbody></table>
{% endfor %}
</section>
{% endfor %}
<div class="footnotes" id="footnotes"><p><sup>1</sup> {{ a.suppressed_footnote }}</p>
<dl>{% for mark, text in a.symbols.items() %}<dt>{{ mark }}</dt><dd>{{ text }}</dd>{% endfor %}</dl>
<p>Tallene er de offentliggjorte tal efter diskretionering (eksporttabellerne); n er antal personer bag tallet.
Baseline og mål følger helhedsplanens succeskriterier. Udviklingen viser alle perioder af samme slags til og med
{{ a.year }}; den stiplede linje er målet. Begrundelsen for et flag står på skærmen, når man holder musen over
flaget, og på print under det.</p></div>
</body>
</html>
"""


def render_annex(annex: dict) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    # a window '2023-10..2024-09' may wrap after its '..' in a narrow column
    env.filters["breakable"] = lambda period: period.replace("..", "..\u200b")
    return env.from_string(TEMPLATE).render(a=annex, green=Markup(smiley("opfyldt")),
                                            yellow=Markup(smiley("ikke opfyldt endnu")),
                                            red=Markup(smiley("ikke opfyldt")), grey=Markup(smiley(None)))


def annex_relations(con: duckdb.DuckDBPyConnection, relations: list[str]) -> list[str]:
    return [r for r in relations if REQUIRED_COLUMNS <= {c for c, _ in relation_columns(con, r)}]


def write_annexes(con: duckdb.DuckDBPyConnection, relations: list[str], out_dir: Path, vintage: dict) -> list[dict]:
    """One annex per plan for the report year (or the latest data year when none is given)."""
    year = vintage.get("report_year") or vintage.get("latest_data_year")
    written = []
    for relation in annex_relations(con, relations):
        rows = _rows(con, relation)
        for plan in sorted({r["plan_code"] for r in rows if r["plan_code"]}):
            annex = build_annex(rows, plan, year, vintage)
            if not annex["sections"]:
                continue
            name = annex_name(plan, year)
            (out_dir / name).write_text(render_annex(annex), encoding="utf-8")
            written.append({"file": name, "plan_code": plan, "year": year, "relation": relation,
                            "indicators": sum(len(s["indicators"]) for s in annex["sections"])})
    return written
