"""Which cells of the three published tables are hidden, primary and secondary, decided in one
system of linear relations across all of them (exports/disclosure, docs/disclosure-control.md).
Internal: lives in the quality schema; the disclosure_* models and the exports read it."""

from exports.disclosure import decide


def model(dbt, session):
    dbt.config(materialized="table", schema="quality")
    threshold = int(dbt.config.get("small_n_threshold") or 3)
    area = dbt.ref("mart_area_indicator")
    catalogue = dbt.ref("int_catalogue__indicators")
    area = area.join(catalogue.select("indicator_id, value_kind, unit_factor"), "indicator_id").df()
    return decide(
        area=area,
        language=dbt.ref("mart_language_assessment").df(),
        population=dbt.ref("mart_population_indicator").df(),
        geographies=dbt.ref("geographies").df(),
        plan_areas=dbt.ref("plan_areas").df(),
        threshold=threshold,
    )
