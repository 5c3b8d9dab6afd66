"""Every exported relation has a Great Expectations suite, and the suites catch what they guard."""

import pandas as pd

from expectations.suites import suite_path, validate_frame
from exports.publish import EXPORT_SCHEMA
from orchestration.assets.dbt import model_keys_in_schema


def test_every_export_relation_has_a_suite():
    relations = [key.path[-1] for key in model_keys_in_schema(EXPORT_SCHEMA)]
    assert relations
    assert [r for r in relations if not suite_path(r).exists()] == []


def _language_row(**changes):
    row = {"geography_code": "VGD", "geography_name": "Vangdalen", "assessment_year": 2023, "n_assessed": 27,
           "pct_generel": 55.6, "pct_fokuseret": 14.8, "pct_saerlig": 29.6, "flag_disclosure_suppressed": False,
           "flag_partly_suppressed": False, "flag_none_assessed": False, "note_da": None}
    row.update(changes)
    return row


def _hidden_language_row(**changes):
    hidden = {"geography_code": "CRA", "geography_name": "Centrale Randers", "n_assessed": None, "pct_generel": None,
              "pct_fokuseret": None, "pct_saerlig": None, "flag_disclosure_suppressed": True,
              "note_da": "Skjult af diskretionshensyn"}
    return _language_row(**{**hidden, **changes})


def test_language_suite_passes_a_clean_table_and_stops_a_small_count():
    clean = pd.DataFrame([_language_row(), _hidden_language_row()])
    assert validate_frame("export_language_assessment", clean).success
    leaking = pd.DataFrame([_language_row(n_assessed=2)])
    outcome = validate_frame("export_language_assessment", leaking)
    assert not outcome.success
    assert outcome.failures[0]["kwargs"]["column"] == "n_assessed"


def test_language_suite_stops_a_hidden_row_that_says_anything():
    # a share, or "nobody assessed", on a row whose number assessed is hidden gives it back
    for leak, column in (({"pct_saerlig": 12.5}, "pct_saerlig"), ({"flag_none_assessed": True}, "flag_none_assessed"),
                         ({"note_da": "Ingen vurderede"}, "note_da")):
        outcome = validate_frame("export_language_assessment", pd.DataFrame([_language_row(), _hidden_language_row(**leak)]))
        assert not outcome.success
        assert [f["kwargs"]["column"] for f in outcome.failures] == [column]


def _population_row(**changes):
    row = {"plan_code": "HP2025", "activity_code": "FREMMOEDE", "activity_name_da": "Fremmøde i skolen",
           "indsatsomraade": "Uddannelse", "outcome_kind": "absence", "outcome_name_da": "Fravær (%)", "unit": "pct",
           "direction": "lower_is_better", "cohort_year": 2026, "period_kind": "change",
           "period_name_da": "ændring (forskel i forskelle)", "period_label": "2025-2027", "is_primary_estimate": True,
           "n_cohort": 14, "n_participants": 12.0, "participants_value": -2.0, "n_comparison": 90.0,
           "comparison_value": 1.0, "difference": -3.0, "ci_low": -5.0, "ci_high": -1.0,
           "flag_disclosure_suppressed": False, "flag_small_n": False, "flag_no_comparison": False,
           "flag_not_yet_observed": False, "flag_missing": False, "flag_partial_coverage": False,
           "flag_effect": True, "assessment": "bedre end sammenligningsgruppen", "assessment_reason": "Forskel -3,0."}
    row.update(changes)
    return row


HIDDEN = {"n_participants": None, "participants_value": None, "n_comparison": None, "comparison_value": None,
          "difference": None, "ci_low": None, "ci_high": None, "flag_disclosure_suppressed": True,
          "flag_effect": False, "assessment": "kan ikke vurderes",
          "assessment_reason": "Tallet er skjult af diskretionshensyn."}


def test_population_suite_passes_a_clean_table_and_stops_leaks():
    clean = pd.DataFrame([_population_row(), _population_row(cohort_year=2027, **HIDDEN)])
    outcome = validate_frame("export_population_indicator", clean)
    assert outcome.success, outcome.failures
    cases = {
        "n_participants": _population_row(n_participants=2.0),  # a group of two
        "difference": _population_row(cohort_year=2027, **{**HIDDEN, "difference": -3.0}),  # a figure on a hidden row
        "assessment_reason": _population_row(cohort_year=2027, **{**HIDDEN, "assessment_reason": "For få personer."}),
        "flag_small_n": _population_row(cohort_year=2027, **{**HIDDEN, "flag_small_n": True}),
        "ci_high": _population_row(ci_high=-4.0),  # the interval misses its difference
    }
    for column, row in cases.items():
        outcome = validate_frame("export_population_indicator", pd.DataFrame([_population_row(), row]))
        assert not outcome.success, column
        failed = {f["kwargs"].get("column") or f["kwargs"].get("column_A") for f in outcome.failures}
        assert column in failed, (column, outcome.failures)
        # a failure names the row by its key
        named = [r for f in outcome.failures for r in f["rows"]]
        assert named and all(r.get("cohort_year") == str(row["cohort_year"]) for r in named), column
