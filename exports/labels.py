"""Danish labels for published columns, flags and plan levels, and Danish number formatting.

Shared by the XLSX workbooks and the HTML annex so both say the same thing. Columns the
publication schema gains later fall back to readable defaults: any ``flag_*`` column becomes a
flag with its own label, so a new disclosure flag is published without code changes here.
"""

from __future__ import annotations

import math

FLAG_PREFIX = "flag_"
PARTLY_SUPPRESSED_FLAG = "flag_partly_suppressed"

COLUMN_LABELS_DA = {
    "indicator_id": "Indikator-id",
    "plan_code": "Helhedsplan",
    "level": "Niveau",
    "indsatsomraade": "Indsatsområde",
    "indicator_name": "Indikator",
    "unit": "Enhed",
    "geography_code": "Geografikode",
    "geography_name": "Geografi",
    "geography_type": "Geografitype",
    "period": "Periode",
    "period_start": "Periodens start",
    "period_end": "Periodens slut",
    "is_latest_period": "Seneste periode",
    "value": "Værdi",
    "ci_low": "95 %-interval, nedre",
    "ci_high": "95 %-interval, øvre",
    "n": "Antal (n)",
    "source_kind": "Opgørelse",
    "source": "Kilde",
    "baseline_period": "Baselineperiode",
    "baseline_value": "Baseline",
    "change_since_baseline": "Ændring siden baseline",
    "target_kind": "Måltype",
    "target_value": "Målværdi",
    "target_text_da": "Mål",
    "target_year": "Målår",
    "status": "Status",
    "status_reason": "Begrundelse for status",
    "flag_reasons_da": "Begrundelse for flag",
    # export_population_indicator
    "activity_code": "Aktivitetskode",
    "activity_name_da": "Aktivitet",
    "outcome_kind": "Udfaldstype",
    "outcome_name_da": "Udfald",
    "direction": "Retning",
    "cohort_year": "Kohorteår",
    "period_kind": "Periodetype",
    "period_name_da": "Periodens navn",
    "period_label": "Perioder",
    "is_primary_estimate": "Primært estimat",
    "n_cohort": "Antal i kohorten",
    "n_participants": "Antal deltagere",
    "participants_value": "Deltagernes værdi",
    "n_comparison": "Antal i sammenligningsgruppen",
    "comparison_value": "Sammenligningsgruppens værdi",
    "difference": "Forskel",
    # export_language_assessment: the Danish headers it published before it spoke snake_case
    "assessment_year": "År",
    "n_assessed": "Antal vurderede",
    "pct_generel": "Generel indsats (%)",
    "pct_fokuseret": "Fokuseret indsats (%)",
    "pct_saerlig": "Særlig indsats (%)",
    "note_da": "Note",
    "assessment": "Vurdering",
    "assessment_reason": "Begrundelse for vurdering",
}
# The flags' reasons in words: text beside the flags, not a flag itself.
FLAG_REASONS_COLUMN = "flag_reasons_da"

# One label per flag for every published file (workbooks, annex, data-quality report).
FLAG_LABELS_DA = {
    "flag_disclosure_suppressed": "Skjult af diskretionshensyn",
    "flag_source_suppressed": "Diskretioneret af kilden",
    "flag_small_n": "Få personer",
    "flag_partial_coverage": "Delvis dækning",
    "flag_missing": "Mangler",
    "flag_stale": "Forældet",
    "flag_implausible_change": "Usandsynlig ændring",
}
# export_language_assessment's own flags (its note_da says the same for people).
LANGUAGE_FLAG_LABELS_DA = {
    PARTLY_SUPPRESSED_FLAG: "Delvist skjult af diskretionshensyn",
    "flag_none_assessed": "Ingen vurderede",
}
# The population table's own flags (FLAG_LABELS_DA are export_area_indicator's columns).
POPULATION_FLAG_LABELS_DA = {
    "flag_no_comparison": "Ingen sammenligningsgruppe",
    "flag_not_yet_observed": "Endnu ikke observeret",
    "flag_effect": "Forskel uden for den statistiske usikkerhed",
}

# Danish values for the coded columns wherever a person reads (workbooks, annex); the SQL
# relations, CSV and Parquet keep the documented English codes.
VALUE_LABELS_DA = {
    "level": {"overordnet_maal": "Overordnet mål", "succeskriterie": "Succeskriterie", "delmaal": "Delmål",
              "lbf_strategisk": "LBF's strategiske mål", "omraadeprofil": "Områdeprofil"},
    "geography_type": {"plan_total": "Helhedsplanen samlet", "area": "Boligområde",
                       "institution_group": "Institutioner", "school_group": "Skoler",
                       "municipality_excl_plan": "Kommunen uden planens områder", "municipality": "Kommunen",
                       "region": "Regionen", "national": "Hele landet"},
    "source_kind": {"computed": "Beregnet", "published": "Offentliggjort"},
    "target_kind": {"number": "Et tal", "reduce_by_fraction": "Reduktion med en andel",
                    "reference_level": "På niveau med et sammenligningsområde", "decreasing": "Et fald",
                    "increasing": "En stigning", "none": "Intet mål"},
    "direction": {"higher_is_better": "Højere er bedre", "lower_is_better": "Lavere er bedre", "none": "Ingen retning"},
    "period_kind": {"before": "Før", "after": "Efter", "change": "Ændring"},
    "source": {"cpr_befolkning": "CPR: befolkningen", "skolefravaer": "Kommunen: skolefravær",
               "sprogvurdering": "Kommunen: sprogvurderinger", "dagtilbud": "Kommunen: dagtilbud",
               "anbringelser": "Kommunen: anbringelser", "uu_vejledning": "Kommunen: UU-vejledningen",
               "ungdomsskole": "Kommunen: ungdomsskolen", "jobcenter_ydelser": "Jobcentret: ydelser",
               "randersbolig_lejemaal": "RandersBolig: lejemål", "randersbolig_flytninger": "RandersBolig: flytninger",
               "randersbolig_udsaettelser": "RandersBolig: udsættelser", "randersbolig_klager": "RandersBolig: klager",
               "dst_boligomraader": "Danmarks Statistik: boligområder",
               "dst_valgdeltagelse": "Danmarks Statistik: valgdeltagelse",
               "lbf_boligsociale_data": "Landsbyggefonden: boligsociale data",
               "lbf_tryghedsmaaling": "Landsbyggefonden: tryghedsmåling"},
    "outcome_kind": {"youth_school": "Ungdomsskole", "youth_education": "Ungdomsuddannelse", "benefit": "Ydelse",
                     "language": "Sprogvurdering", "absence": "Skolefravær", "eviction": "Udsættelse"},
}
BOOLEAN_DA = {True: "Ja", False: "Nej"}

# Danmarks Statistik's symbols for a table cell a person reads.
CONFIDENTIAL_MARK = ".."   # withheld: disclosure control (or the source's)
ZERO_MARK = "-"            # a true zero
NOT_AVAILABLE_MARK = "."   # no figure: missing, not delivered or not measured
SYMBOLS_DA = {CONFIDENTIAL_MARK: "Diskretioneret (se fodnoten)", ZERO_MARK: "Nul",
              NOT_AVAILABLE_MARK: "Oplysningen foreligger ikke"}

# Levels without an indsatsområde get a sheet / section of their own.
LEVEL_LABELS_DA = {
    "overordnet_maal": "Overordnede mål",
    "succeskriterie": "Succeskriterier",
    "delmaal": "Delmål",
    "lbf_strategisk": "LBF's strategiske mål",
    "omraadeprofil": "Områdeprofil",
}

PLAN_NAMES_DA = {
    "HP2017": "Helhedsplan for Randers Nordby 2017-21",
    "HP2025": "Den boligsociale helhedsplan for Randers 2025-29",
}

UNIT_LABELS_DA = {
    "pct": "%",
    "pct_of_reference": "% af reference",
    "count": "antal",
    "days": "dage",
    "per_100": "pr. 100",
    "per_1000": "pr. 1.000",
    "ratio": "forhold",
    "mean": "gennemsnit",
    "kr": "kr.",
}

# One wording for every hidden cell: saying which cells hide few persons (primary) and which
# only protect them (secondary) would point a reader at the small cells.
SUPPRESSED_FOOTNOTE_DA = ("Diskretioneret: tallet vises ikke, fordi det bygger på for få personer eller ville "
                          "kunne regnes ud fra andre offentliggjorte tal (eller fordi kilden ikke har "
                          "offentliggjort det), så ingen enkeltperson kan genkendes.")

# Relations published as one sheet per plan under a Danish title; the indicator table itself
# gets a sheet per indsatsområde.
SHEET_PER_INDSATSOMRAADE = {"export_area_indicator"}
RELATION_TITLES_DA = {
    "export_population_indicator": "Indsatsernes deltagere",
    "export_language_assessment": "Sprogvurderinger",
}


def value_label(column: str, value):
    """A coded value in Danish (unit, level, geography type, ...); booleans as Ja / Nej."""
    if isinstance(value, bool):
        return BOOLEAN_DA[value]
    if column == "unit":
        return UNIT_LABELS_DA.get(value, value)
    return VALUE_LABELS_DA.get(column, {}).get(value, value)


def is_flag(column: str) -> bool:
    return column.startswith(FLAG_PREFIX) and column != FLAG_REASONS_COLUMN


def is_suppression_flag(column: str) -> bool:
    """Flags that mean the row's figures are withheld (today's and any later *_suppressed flag);
    not flag_partly_suppressed, which withholds only some of them (exports/symbols.py)."""
    return is_flag(column) and column.endswith("suppressed") and column != PARTLY_SUPPRESSED_FLAG


def column_label(column: str) -> str:
    if column in COLUMN_LABELS_DA:
        return COLUMN_LABELS_DA[column]
    if is_flag(column):
        return "Flag: " + flag_label(column)
    return column  # relations that already publish Danish column names


def flag_label(column: str) -> str:
    labels = {**FLAG_LABELS_DA, **LANGUAGE_FLAG_LABELS_DA, **POPULATION_FLAG_LABELS_DA}
    return labels.get(column, column.removeprefix(FLAG_PREFIX).replace("_", " ").capitalize())


def decimals_for(unit: str | None) -> int:
    return 0 if unit == "count" else 1


def format_number_da(value: float | int | None, decimals: int = 1) -> str:
    """14.6 -> '14,6'; 1234 -> '1.234' (Danish thousands and decimal marks)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def date_da(iso_date: str) -> str:
    """'2021-12-31' -> '31.12.2021' (the Danish way of writing a date)."""
    year, month, day = iso_date.split("-")
    return f"{day}.{month}.{year}"


def period_end_year(period: str | None) -> int | None:
    """The calendar year a period ends in: '2018' and '2018-05' -> 2018, '2018/19' -> 2019,
    '2014-2018' -> 2018, '2023-10..2024-09' -> 2024."""
    if not period:
        return None
    digits = [int(part[:4]) for part in period.replace("..", " ").replace("-", " ").replace("/", " ").split()
              if part[:4].isdigit() and len(part) >= 4]
    if "/" in period and "-" not in period:
        return int(period[:4]) + 1
    return max(digits) if digits else None
