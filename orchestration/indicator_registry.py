"""The indicator registry: one row per indicator in the catalogue seeds (indicators_<plan>.csv)
and one per population-level outcome (activities_outcomes.csv). A computed row names, in
column computed_by, the model that computes it (two models separated by ';' where one computes
the residents' value and another a group of institutions). From the registry this module
derives, and the repository commits:

  dbt_project/macros/indicator_registry.sql   the model lists the unions ref()
  docs/indicators.md                          one section per indicator and outcome

Why a generated file: dbt resolves ref() at parse time, when a macro can neither read a seed
file nor query the seed's table, so a list read from the seed at run time would need every
model as a `-- depends_on:` hint again. The generated macros are plain lists dbt parses, and
the registry's dbt tests (macros/indicator_models.sql) fail when the seed and the lists differ.

    python -m orchestration.indicator_registry           rewrite both files
    python -m orchestration.indicator_registry --check   exit 1 when either is stale

A row that lacks computed_by, names a model that does not exist, or a model no row names is an
error naming the seed, line and column (tests/test_indicator_catalogue.py).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ingestion.generated_files import sync

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ("indicators_hp2017.csv", "indicators_hp2025.csv")
OUTCOMES = "activities_outcomes.csv"
MACRO_FILE = Path("macros") / "indicator_registry.sql"
INDICATOR_MODELS = Path("models") / "intermediate" / "indicators"
OUTCOME_MODELS = Path("models") / "intermediate" / "cohorts"
# where a model lives says how its rows are stacked: per person, per geography, per cohort
KINDS = {"person": INDICATOR_MODELS / "person", "area": INDICATOR_MODELS / "area"}
MODEL_NAME = re.compile(r"[a-z][a-z0-9_]*")


class RegistryError(ValueError):
    """A registry row that cannot be used: names the seed, line and column."""


@dataclass(frozen=True)
class Row:
    seed: str
    line: int  # the header is line 1
    values: dict[str, str]

    @property
    def models(self) -> list[str]:
        return [m.strip() for m in self.values.get("computed_by", "").split(";") if m.strip()]

    def error(self, message: str, column: str = "computed_by") -> RegistryError:
        return RegistryError(f"{self.seed}, line {self.line}, column {column}: {message}")


def read_seed(project: Path, name: str) -> list[Row]:
    with open(project / "seeds" / name, encoding="utf-8", newline="") as handle:
        return [Row(name, line, values) for line, values in enumerate(csv.DictReader(handle), start=2)]


@dataclass(frozen=True)
class Registry:
    indicators: list[Row]
    outcomes: list[Row]
    person_models: list[str]
    area_models: list[str]
    outcome_models: list[str]


def _model_files(project: Path, folder: Path) -> set[str]:
    return {p.stem for p in (project / folder).glob("*.sql")}


def load(project: Path) -> Registry:
    """The registry of the dbt project at `project`, checked: every computed row names existing
    models of the right kind, every published row none, and every model a row."""
    indicators = [row for name in CATALOGUES for row in read_seed(project, name)]
    outcomes = read_seed(project, OUTCOMES)
    files = {kind: _model_files(project, folder) for kind, folder in KINDS.items()}
    used: dict[str, set[str]] = {"person": set(), "area": set()}
    for row in indicators:
        computed = row.values["source_kind"] == "computed"
        if computed and not row.models:
            raise row.error(f"{row.values['indicator_id']} is computed: name the model that computes it")
        if not computed and row.models:
            raise row.error(f"{row.values['indicator_id']} is published: its values come from the published "
                            "table, computed_by must be empty")
        for model in row.models:
            kind = next((k for k, names in files.items() if model in names), None)
            if kind is None:
                raise row.error(f"no model {model!r} in {KINDS['person']} or {KINDS['area']}")
            used[kind].add(model)
    outcome_files = {m for m in _model_files(project, OUTCOME_MODELS) if m.startswith("int_cohort_outcome__")}
    outcome_models = []
    for row in outcomes:
        if len(row.models) != 1 or row.models[0] not in outcome_files:
            raise row.error(f"outcome {row.values['outcome_kind']} names one int_cohort_outcome__ model "
                            f"of {OUTCOME_MODELS}, not {row.values.get('computed_by', '')!r}")
        outcome_models.append(row.models[0])
    for kind, names in files.items():
        for orphan in sorted(names - used[kind]):
            raise RegistryError(f"{KINDS[kind] / orphan}.sql: no row of {' or '.join(CATALOGUES)} names it in "
                                "computed_by (a model nothing reads)")
    for orphan in sorted(outcome_files - set(outcome_models)):
        raise RegistryError(f"{OUTCOME_MODELS / orphan}.sql: no row of {OUTCOMES} names it in computed_by")
    return Registry(indicators, outcomes, sorted(used["person"]), sorted(used["area"]), sorted(outcome_models))


def _list_macro(name: str, models: list[str], what: str) -> str:
    items = "".join(f"    '{m}',\n" for m in models)
    return f"{{#- {what} -#}}\n{{% macro {name}() -%}}\n{{{{ return([\n{items}]) }}}}\n{{%- endmacro %}}\n"


def render_macros(registry: Registry) -> str:
    header = ("{#- Generated from the registry (computed_by in seeds/indicators_*.csv and\n"
              "    seeds/activities_outcomes.csv) by `python -m orchestration.indicator_registry`; do not edit.\n"
              "    Sorted by name; the order carries no meaning. -#}\n\n")
    return header + "\n".join([
        _list_macro("person_indicator_models", registry.person_models,
                    "Person-level indicator models, stacked by int_indicator__computed_values."),
        _list_macro("area_indicator_models", registry.area_models,
                    "Geography-level indicator models, stacked by int_indicator__area_values."),
        _list_macro("cohort_outcome_models", registry.outcome_models,
                    "Population-level outcome models, stacked by int_cohort__outcome_states."),
    ])


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "–"


def _indicator_section(row: Row) -> str:
    v = row.values
    if v["source_kind"] == "computed":
        how = "computed by " + ", ".join(f"`{m}`" for m in row.models)
    else:
        measures = " / ".join(f"`{m}`" for m in (v["source_numerator"], v["source_denominator"]) if m)
        how = "published" + (f" ({measures})" if measures else "")
    target = v["target_text_da"] + (f" ({v['target_year']})" if v["target_year"] else "")
    facts = [
        ("Plan, level", f"{v['plan_code']}, {v['level']}" + (f" – {v['indsatsomraade']}" if v["indsatsomraade"] else "")),
        ("Definition", v["definition_da"]),
        ("Numerator / denominator", " / ".join(t for t in (v["numerator_da"], v["denominator_da"]) if t)),
        ("Population", v["population_da"] + (f" ({v['age_band']})" if v["age_band"] else "")),
        ("Period", v["period_kind"] + (f" ({v['period_window']})" if v["period_window"] else "")),
        ("Unit", f"{v['unit']}, {v['decimals']} decimal{'' if v['decimals'] == '1' else 's'}, {v['direction']}"),
        ("Source", f"`{v['source']}`, {how}"),
        ("Baseline, target", f"{v['baseline_period'] or '–'}; {target or '–'}"),
        ("Where printed", f"{v['source_document']}, line {v['source_line']}"),
        ("Notes", v["notes_da"]),
    ]
    table = "".join(f"| {label} | {_cell(text)} |\n" for label, text in facts)
    return f"### `{v['indicator_id']}`\n\n{v['name_da']}\n\n| | |\n|---|---|\n{table}"


def _outcome_section(row: Row, activities: list[dict]) -> str:
    v = row.values
    aimed = [f"{a['activity_name_da']} ({a['plan_code']})" for a in activities if a["outcome_kind"] == v["outcome_kind"]]
    facts = [
        ("Definition", v["definition_da"]),
        ("Unit", f"{v['unit']} ({v['value_kind']}), {v['direction']}"),
        ("Before, after", f"latest measurement in [Y - {v['lookback_years']}, Y - 1]; first in "
                          f"[Y + {v['after_from_years']}, Y + {v['lookahead_years']}]"
         if int(v["lookback_years"]) > 0 else
         f"no before; first in [Y + {v['after_from_years']}, Y + {v['lookahead_years']}]"),
        ("Computed by", f"`{row.models[0]}`"),
        ("Activities", "; ".join(aimed)),
    ]
    table = "".join(f"| {label} | {_cell(text)} |\n" for label, text in facts)
    return f"### `{v['outcome_kind']}`\n\n{v['outcome_name_da']}\n\n| | |\n|---|---|\n{table}"


def render_doc(registry: Registry, project: Path) -> str:
    activities = [r.values for r in read_seed(project, "activities.csv")]
    parts = [
        "# Indicators\n\n"
        "Generated from the registry (`dbt_project/seeds/indicators_hp2017.csv`, `indicators_hp2025.csv`,\n"
        "`activities_outcomes.csv`) by `python -m orchestration.indicator_registry`; do not edit by hand.\n"
        "The columns are explained in [indicator-catalogue.md](indicator-catalogue.md), the population-level\n"
        "design in [population-marts.md](population-marts.md).\n",
    ]
    for plan in sorted({r.values["plan_code"] for r in registry.indicators}):
        parts.append(f"## Area-level indicators, {plan}\n")
        parts += [_indicator_section(r) for r in registry.indicators if r.values["plan_code"] == plan]
    parts.append("## Population-level outcomes (activities' cohorts, start year Y)\n")
    parts += [_outcome_section(r, activities) for r in registry.outcomes]
    return "\n".join(parts)


def outputs(project: Path, repo_root: Path) -> dict[Path, str]:
    """Every generated file with the text it must hold."""
    registry = load(project)
    return {project / MACRO_FILE: render_macros(registry), repo_root / "docs" / "indicators.md": render_doc(registry, project)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a generated file is stale")
    parser.add_argument("--project", type=Path, default=REPO_ROOT / "dbt_project")
    parser.add_argument("--docs-root", type=Path, default=REPO_ROOT, help="the folder holding docs/")
    args = parser.parse_args(argv)
    try:
        wanted = outputs(args.project, args.docs_root)
    except RegistryError as error:
        print(f"registry: {error}", file=sys.stderr)
        return 1
    return sync(wanted, "python -m orchestration.indicator_registry", check=args.check)


if __name__ == "__main__":
    sys.exit(main())
