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
    row = {"Geografi": "Vangdalen", "År": 2023, "Antal vurderede": 27, "Generel indsats (%)": 55.6,
           "Fokuseret indsats (%)": 14.8, "Særlig indsats (%)": 29.6, "Note": None, "geography_code": "VGD"}
    row.update(changes)
    return row


def test_language_suite_passes_a_clean_table_and_stops_a_small_count():
    clean = pd.DataFrame([_language_row(), _language_row(Geografi="Centrale Randers", geography_code="CRA",
                                                         **{"Antal vurderede": None})])
    assert validate_frame("export_language_assessment", clean).success
    leaking = pd.DataFrame([_language_row(**{"Antal vurderede": 2})])
    outcome = validate_frame("export_language_assessment", leaking)
    assert not outcome.success
    assert outcome.failures[0]["kwargs"]["column"] == "Antal vurderede"
