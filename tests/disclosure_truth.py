"""The warehouse's true figures, to confirm what an attacker claims to recover (a claim the
truth does not bear out is the attacker's mistake, not a leak)."""

from __future__ import annotations

import duckdb

LANGUAGE_COUNT = {"pct_generel": "n_generel", "pct_fokuseret": "n_fokuseret", "pct_saerlig": "n_saerlig",
                  "total": "n_assessed"}
LANGUAGE_CATEGORY = {"pct_generel": "generel", "pct_fokuseret": "fokuseret", "pct_saerlig": "saerlig", "total": "total"}


def confirmed(warehouse, recovered: dict) -> dict:
    """The recovered figures that match the warehouse (values to 1e-6 relative, counts to 0.01)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        area = con.execute("SELECT m.indicator_id, geography_code, period, value, numerator, m.unit "
                           "FROM marts.mart_area_indicator AS m").fetchall()
        language = con.execute("SELECT geography_code, assessment_year, n_assessed, n_generel, n_fokuseret, "
                               "n_saerlig FROM marts.mart_language_assessment").df()
        # a language category the solver published (neither primary nor secondary) is blanked only
        # because its row's total is hidden: its value is public in the solver's pattern (e.g. a
        # særlig of 0 under a municipality's shown 0), so finding it is no leak
        published_categories = set(con.execute(
            "SELECT geography_code, CAST(assessment_year AS VARCHAR), category "
            "FROM quality.disclosure_language_assessment WHERE NOT is_suppressed").fetchall())
        population = con.execute("SELECT plan_code, activity_code, cohort_year, outcome_kind, period_kind, "
                                 "participants_value FROM marts.mart_population_indicator").fetchall()
    finally:
        con.close()
    truth = {}
    for indicator, geo, period, value, numerator, unit in area:
        truth[("area", indicator, geo, period, "value")] = value
        truth[("area", indicator, geo, period, "count")] = value if unit == "count" else numerator
    for r in language.itertuples():
        for name, column in LANGUAGE_COUNT.items():
            truth[("language", r.geography_code, str(r.assessment_year), name)] = getattr(r, column)
    for *key, value in population:
        truth[("population", *key, "value")] = value
    return {k: v for k, v in recovered.items() if truth.get(k) is not None
            and abs(v - truth[k]) <= max(1e-6 * abs(truth[k]), 0.01)
            and not (k[0] == "language" and (k[1], k[2], LANGUAGE_CATEGORY[k[3]]) in published_categories)}
