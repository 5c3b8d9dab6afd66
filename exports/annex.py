"""The indicator annex: an HTML report in Danish per plan and report year, in the shape of the
results section of the 2019 annual report ("Resultater på de fire indsatsområder").

Per indsatsområde, each indicator with its target, and per geography the baseline, the latest
value up to the report year, status as a green or yellow smiley, a small trend chart, n and
flags. It reads the published (disclosure-controlled) export relations only, so a figure that is
withheld there is withheld here too and footnoted. One self-contained file, no scripts.
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
    LEVEL_LABELS_DA,
    PLAN_NAMES_DA,
    SUPPRESSED_FOOTNOTE_DA,
    UNIT_LABELS_DA,
    date_da,
    decimals_for,
    flag_label,
    format_number_da,
    is_flag,
    is_suppression_flag,
    period_end_year,
)

REQUIRED_COLUMNS = {"plan_code", "indicator_id", "indicator_name", "geography_code", "geography_name",
                    "geography_type", "period", "value", "status", "level", "indsatsomraade"}
GEOGRAPHY_ORDER = ["plan_total", "area", "institution_group", "school_group", "municipality_excl_plan",
                   "municipality", "region", "national"]
# The profile of the areas has no targets: it belongs in the workbooks, not in the results annex.
EXCLUDED_LEVELS = {"omraadeprofil"}


ANNEX_PATTERN = re.compile(r"bilag_(?P<plan>[A-Za-z0-9]+)_(?P<year>\d{4})\.html")


def annex_name(plan_code: str, year: int) -> str:
    return f"bilag_{plan_code}_{year}.html"


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> list[dict]:
    from exports.publish import published_select

    cursor = con.execute(published_select(con, relation))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def _period_key(period: str) -> tuple:
    return (period_end_year(period) or 0, period)


def build_annex(rows: list[dict], plan_code: str, year: int, vintage: dict) -> dict:
    """The annex's content as plain data (sections, indicators, geography rows)."""
    flag_columns = sorted(c for c in rows[0] if is_flag(c)) if rows else []
    plan_rows = [r for r in rows if r["plan_code"] == plan_code and r["level"] not in EXCLUDED_LEVELS
                 and (period_end_year(r["period"]) or 0) <= year
                 and (r["indsatsomraade"] or (r.get("target_kind") or "none") != "none")]
    series: dict[tuple, list[dict]] = defaultdict(list)
    for r in plan_rows:
        series[(r["indicator_id"], r["geography_code"])].append(r)
    indicators: dict[str, dict] = {}
    for (indicator_id, _), history in sorted(series.items()):
        history.sort(key=lambda r: _period_key(r["period"]))
        latest = history[-1]
        decimals = decimals_for(latest.get("unit"))
        suppressed = any(latest.get(c) for c in flag_columns if is_suppression_flag(c))
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
            "baseline": format_number_da(latest.get("baseline_value"), decimals),
            "latest": format_number_da(latest["value"], decimals),
            "target": format_number_da(latest.get("target_value"), decimals),
            "n": format_number_da(latest.get("n"), 0),
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
    assessed = [r for r in plan_total if r["status"] in ("opfyldt", "ikke opfyldt endnu")]
    return {
        "plan_code": plan_code, "plan_name": PLAN_NAMES_DA.get(plan_code, plan_code), "year": year,
        "vintage": vintage, "as_of_date": date_da(vintage["as_of_date"]) if vintage.get("as_of_date") else None,
        "sections": [{"name": name, "indicators": items} for (_, name), items in sorted(sections.items())],
        "summary": {"met": sum(r["status"] == "opfyldt" for r in assessed), "assessed": len(assessed),
                    "not_assessed": len(plan_total) - len(assessed)},
        "suppressed_footnote": SUPPRESSED_FOOTNOTE_DA,
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
col.geo { width: 30%; } col.num { width: 9%; } col.status { width: 14%; } col.n { width: 6%; }
col.trend { width: 13%; } col.flags { width: 10%; } td.status { white-space: nowrap; overflow: hidden; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: middle; }
th { background: #eef3f8; font-weight: bold; }
td.num { text-align: right; } td.num small { white-space: nowrap; font-size: 10px; } td.latest { font-weight: bold; }
td.suppressed { color: #777; } .flags { color: #8a5a00; font-size: 11px; }
.legend svg, td.status svg { vertical-align: middle; } .summary { background: #f6f6f6; padding: 8px 12px; }
.footnotes { font-size: 11px; color: #444; border-top: 1px solid #aaa; margin-top: 24px; padding-top: 6px; }
</style>
</head>
<body data-plan="{{ a.plan_code }}" data-year="{{ a.year }}">
<h1>Resultater på indsatsområderne {{ a.year }}</h1>
<p><strong>{{ a.plan_name }}</strong> · bilag til årsrapporten · rapportår {{ a.year }}
{%- if a.vintage.as_of_date %} · tal kendt pr. {{ a.as_of_date }}{% endif %}
{%- if a.vintage.latest_data_year %} · data til og med {{ a.vintage.latest_data_year }}{% endif %}</p>
<p class="legend">Nedenfor fremgår status på succeskriterierne for indsatsområderne. Resultatet for {{ a.year }}
er fremhævet og efterfulgt af en grøn eller gul smiley. {{ green }} Den grønne smiley signalerer, at målet på
nuværende tidspunkt er opnået. {{ yellow }} Den gule signalerer, at der fortsat arbejdes på at nå målet inden for
den sidste periode af den boligsociale helhedsplan. {{ grey }} Grå: kan ikke vurderes (se begrundelsen).</p>
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
<thead><tr><th>Geografi</th><th>Baseline</th><th>Seneste ({{ a.year }} el. før)</th><th>Mål</th><th>Status</th>
<th>n</th><th>Udvikling</th><th>Flag</th></tr></thead>
<tbody>
{% for r in ind.rows %}
<tr data-indicator="{{ ind.id }}" data-geography="{{ r.geography_code }}" data-period="{{ r.period }}"
data-status="{{ r.status }}">
<td>{{ r.geography_name }}</td>
<td class="num v-baseline">{{ r.baseline }}{% if r.baseline_period %}<br><small>({{ r.baseline_period }})</small>{% endif %}</td>
<td class="num latest v-latest{% if r.suppressed %} suppressed{% endif %}">{% if r.suppressed %}–<sup>1</sup>{% else %}{{ r.latest }}{% endif %}<br><small>({{ r.period }})</small></td>
<td class="num v-target">{{ r.target }}</td>
<td class="status" title="{{ r.status_reason }}">{{ r.smiley }} {{ r.status }}</td>
<td class="num v-n">{{ r.n }}</td>
<td class="trend">{{ r.trend }}</td>
<td class="flags" title="{{ r.flag_reasons }}">{{ r.flags | join(", ") }}</td>
</tr>
{% endfor %}
</tbody></table>
{% endfor %}
</section>
{% endfor %}
<div class="footnotes" id="footnotes"><p><sup>1</sup> {{ a.suppressed_footnote }}</p>
<p>Tallene er de offentliggjorte tal efter diskretionering (eksporttabellerne); n er antal personer bag tallet.
Baseline og mål følger helhedsplanens succeskriterier. Udviklingen viser alle perioder til og med {{ a.year }};
den stiplede linje er målet.</p></div>
</body>
</html>
"""


def render_annex(annex: dict) -> str:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(TEMPLATE).render(a=annex, green=Markup(smiley("opfyldt")),
                                            yellow=Markup(smiley("ikke opfyldt endnu")), grey=Markup(smiley(None)))


def annex_relations(con: duckdb.DuckDBPyConnection, relations: list[str]) -> list[str]:
    from exports.publish import relation_columns

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
