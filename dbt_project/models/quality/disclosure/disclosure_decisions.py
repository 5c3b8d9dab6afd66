"""Which cells of the three published tables are hidden, primary and secondary, decided in one
system of linear relations across all of them (exports/disclosure, docs/disclosure-control.md).
Internal: lives in the quality schema; the disclosure_* models and the publication models read it."""

import duckdb
import pandas as pd

from exports.disclosure import decide

AREA_COLUMNS = ["indicator_id", "geography_code", "geography_type", "period", "unit", "value_kind", "unit_factor",
                "numerator", "denominator", "n", "value", "n_persons_with", "n_persons_without", "source_kind"]
LANGUAGE_COLUMNS = ["geography_code", "geography_type", "assessment_year", "n_assessed", "n_generel", "n_fokuseret",
                    "n_saerlig"]


def model(dbt, session):
    # every dbt.ref stays a plain call in this body: dbt finds a Python model's refs by parsing it.
    # A build of part of the project (a test building only the population marts) has not built
    # the other tables: a table not built has no cells.
    dbt.config(materialized="table", schema="quality")
    threshold = int(dbt.config.get("small_n_threshold") or 3)
    # every period known by the data vintage, not only the report year's: publications for
    # different report years from the same data then hide the same cells, so that read together
    # they give nothing away (each shows a subset of one safe pattern)
    try:
        catalogue = dbt.ref("int_catalogue__indicators").select("indicator_id, unit, value_kind, unit_factor")
        kinds = dbt.ref("geographies").select("geography_code, geography_type")
        area = dbt.ref("int_indicator__rows").join(catalogue, "indicator_id").join(kinds, "geography_code").df()
    except duckdb.CatalogException:
        area = pd.DataFrame(columns=AREA_COLUMNS)
    try:
        language = dbt.ref("int_language__assessment_counts").df()
    except duckdb.CatalogException:
        language = pd.DataFrame(columns=LANGUAGE_COLUMNS)
    # every state of every cohort's rows, as each report year's publication shows them
    # (int_cohort__outcome_states): the revisions between them are decided on too
    value_kinds = dbt.ref("activities_outcomes").select("outcome_kind, value_kind")
    population = dbt.ref("int_cohort__outcome_states").join(value_kinds, "outcome_kind").df()
    try:
        geographies = dbt.ref("geographies").df()
        plan_areas = dbt.ref("plan_areas").df()
    except duckdb.CatalogException:
        geographies = pd.DataFrame(columns=["geography_code", "geography_type", "plan_code"])
        plan_areas = pd.DataFrame(columns=["plan_code", "area_code"])
    return decide(
        area=area.astype({"period": str, "geography_code": str}),
        language=language,
        population=population,
        geographies=geographies,
        plan_areas=plan_areas,
        threshold=threshold,
    )
