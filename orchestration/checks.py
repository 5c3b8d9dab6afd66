"""Python asset checks where SQL tests are awkward: they read the built marts and report
rows, so a failure says which rows and why. Blocking checks stop the export."""


import json
import re

import dagster as dg

from expectations.disclosure_audit import audit
from expectations.suites import validate_frame
from exports.publish import EXPORT_SCHEMA
from ingestion.contract import PERSON_KEY_PATTERN
from orchestration.assets.dbt import model_keys_in_schema
from orchestration.resources import Warehouse

LANGUAGE_MART = dg.AssetKey(["marts", "mart_language_assessment"])


@dg.asset_check(asset=LANGUAGE_MART, blocking=True,
                description="Every row's generel + fokuseret + særlig equals the number assessed, and every "
                "plan area has a row in every year that has assessments.")
def language_categories_add_up(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        bad = con.execute(
            """
            SELECT geography_code, assessment_year, n_assessed, n_generel, n_fokuseret, n_saerlig
            FROM marts.mart_language_assessment
            WHERE n_generel + n_fokuseret + n_saerlig <> n_assessed
            """
        ).fetchall()
        missing = con.execute(
            """
            WITH years AS (SELECT DISTINCT assessment_year FROM marts.mart_language_assessment),
                 areas AS (SELECT geography_code FROM reference.geographies WHERE geography_type = 'area')
            SELECT a.geography_code, y.assessment_year
            FROM areas a CROSS JOIN years y
            LEFT JOIN marts.mart_language_assessment m USING (geography_code, assessment_year)
            WHERE m.geography_code IS NULL
            ORDER BY 2, 1
            """
        ).fetchall()
    return dg.AssetCheckResult(
        passed=not bad and not missing,
        metadata={
            "rows_not_adding_up": dg.MetadataValue.json([list(map(str, r)) for r in bad[:50]]),
            "area_years_missing": dg.MetadataValue.json([list(map(str, r)) for r in missing[:50]]),
        },
    )


@dg.asset_check(asset=LANGUAGE_MART,
                description="Backtest against the figures plan 2025-29 publishes. Published values the seed "
                "itself contradicts are listed with the reason instead of being forced.")
def language_matches_published(warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.connect(read_only=True) as con:
        rows = con.execute(
            """
            SELECT geography_code, period, measure, published_value, computed_value, fidelity_status, note
            FROM quality.fidelity_published_values
            WHERE indicator_id = 'HP2025_SPROGVURDERING'
            ORDER BY fidelity_status, geography_code, measure
            """
        ).fetchall()
    consistent = [r for r in rows if r[5] != "inconsistent_in_seed"]
    reproduced = [r for r in consistent if r[5] == "reproduced"]
    differs = [r for r in consistent if r[5] != "reproduced"]
    inconsistent = [r for r in rows if r[5] == "inconsistent_in_seed"]
    return dg.AssetCheckResult(
        passed=not differs,
        # A published figure is a backtest, not a data-quality gate: report, don't block.
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "reproduced": f"{len(reproduced)} of {len(consistent)} consistent published values",
            "not_reproduced": dg.MetadataValue.json([list(map(str, r)) for r in differs]),
            "inconsistent_in_seed": dg.MetadataValue.json([list(map(str, r)) for r in inconsistent]),
        },
    )


def build_expectation_check(key: dg.AssetKey) -> dg.AssetChecksDefinition:
    """A blocking check running the relation's Great Expectations suite before it is published."""
    relation = key.path[-1]

    @dg.asset_check(asset=key, name="great_expectations_suite", blocking=True,
                    description=f"expectations/{relation}.json over the rows about to be published.")
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            frame = con.execute(f'SELECT * FROM {EXPORT_SCHEMA}."{relation}"').df()
        outcome = validate_frame(relation, frame)
        return dg.AssetCheckResult(
            passed=outcome.success,
            metadata={"rows": len(frame), "failures": dg.MetadataValue.json(outcome.failures)},
        )

    return _check


PERSON_COLUMN = re.compile(r"(^|_)(pnr|cpr|person_key|pseudo)", re.IGNORECASE)


def build_disclosure_check(key: dg.AssetKey) -> dg.AssetChecksDefinition:
    """A blocking check on every export relation, whatever model builds it: no person key (by
    column name or by value) and no count or n under the disclosure threshold."""
    relation = key.path[-1]

    @dg.asset_check(asset=key, name="no_person_data_or_small_counts", blocking=True,
                    description="No person key column or value, and no n, n_... or count ('Antal ...') of 1 or 2 persons.")
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            frame = con.execute(f'SELECT * FROM {EXPORT_SCHEMA}."{relation}"').df()
        threshold = warehouse.settings().small_n_threshold  # dbt's var small_n_threshold
        person_columns = [c for c in frame.columns if PERSON_COLUMN.search(str(c))]
        text_columns = frame.select_dtypes(include=["object", "string"]).columns
        key_values = [c for c in text_columns if frame[c].dropna().astype(str).str.fullmatch(PERSON_KEY_PATTERN).any()]
        counts = [c for c in frame.columns if c == "n" or str(c).startswith("n_") or str(c).lower().startswith("antal")]
        small = frame[frame[counts].apply(lambda s: s.between(1, threshold - 1)).any(axis=1)] if counts else frame.iloc[:0]
        return dg.AssetCheckResult(
            passed=not (person_columns or key_values or len(small)),
            metadata={
                "person_key_columns": dg.MetadataValue.json(person_columns + key_values),
                "rows_with_small_counts": dg.MetadataValue.json(json.loads(small.head(20).to_json(orient="records"))),
            },
        )

    return _check


def build_recovery_check(key: dg.AssetKey) -> dg.AssetChecksDefinition:
    """A blocking check that plays the attacker (expectations/disclosure_audit.py) on the tables
    about to be published: no hidden cell may be recoverable by any combination of relations.
    The audited tables are built by the one dbt step, so each check sees all of them."""
    relation = key.path[-1]

    @dg.asset_check(asset=key, name="no_hidden_cell_recoverable", blocking=True,
                    description="Solves every subtraction relation of the published tables at once; "
                    "lists any hidden cell they give back.")
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect(read_only=True) as con:
            recovered = audit(con)[relation]
        return dg.AssetCheckResult(
            passed=not recovered,
            metadata={"recovered_cells": dg.MetadataValue.json([list(map(str, c)) for c in recovered[:50]]),
                      "recovered": len(recovered)},
        )

    return _check


AUDITED_RELATIONS = ("export_area_indicator", "export_language_assessment", "export_population_indicator")

asset_checks = [
    language_categories_add_up,
    language_matches_published,
    *(build_expectation_check(key) for key in model_keys_in_schema(EXPORT_SCHEMA)),
    *(build_disclosure_check(key) for key in model_keys_in_schema(EXPORT_SCHEMA)),
    *(build_recovery_check(key) for key in model_keys_in_schema(EXPORT_SCHEMA) if key.path[-1] in AUDITED_RELATIONS),
]
