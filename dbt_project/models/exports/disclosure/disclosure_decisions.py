"""Which cells of the three published tables are hidden, primary and secondary, decided in one
system of linear relations across all of them (exports/disclosure, docs/disclosure-control.md).
Internal: lives in the quality schema; the disclosure_* models and the exports read it."""

import duckdb
import pandas as pd

from exports.disclosure import decide

AREA_COLUMNS = ["indicator_id", "geography_code", "geography_type", "period", "unit", "value_kind", "unit_factor",
                "numerator", "denominator", "n", "value", "n_persons_with", "n_persons_without", "source_kind"]
LANGUAGE_COLUMNS = ["geography_code", "geography_type", "assessment_year", "n_assessed", "n_generel", "n_fokuseret",
                    "n_saerlig"]


def _table(read, columns: list) -> pd.DataFrame:
    """A published table's mart; a build of part of the project (a test building only the
    population marts) has not built the others, and their tables then have no cells."""
    try:
        return read()
    except duckdb.CatalogException:
        return pd.DataFrame(columns=columns)


def model(dbt, session):
    dbt.config(materialized="table", schema="quality")
    threshold = int(dbt.config.get("small_n_threshold") or 3)
    area = _table(lambda: dbt.ref("mart_area_indicator").join(
        dbt.ref("int_catalogue__indicators").select("indicator_id, value_kind, unit_factor"), "indicator_id").df(),
        AREA_COLUMNS)
    language = _table(lambda: dbt.ref("mart_language_assessment").df(), LANGUAGE_COLUMNS)
    return decide(
        area=area.astype({"period": str, "geography_code": str}),
        language=language,
        population=dbt.ref("mart_population_indicator").df(),
        geographies=_table(lambda: dbt.ref("geographies").df(), ["geography_code", "geography_type", "plan_code"]),
        plan_areas=_table(lambda: dbt.ref("plan_areas").df(), ["plan_code", "area_code"]),
        threshold=threshold,
    )
