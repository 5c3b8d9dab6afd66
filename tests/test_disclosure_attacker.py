"""The attacker against the small demo municipality's published tables: it must recover no
hidden cell (expectations/disclosure_audit.py explains how it attacks), and the same attacker,
run against primary suppression only, does recover cells, by algebra and by hand, so the test
can fail. Also: no person-level column or value, no published count under the threshold."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from expectations.disclosure_audit import (
    LANGUAGE_CATEGORIES,
    POPULATION_KEY,
    attack_area_indicator,
    attack_language,
    attack_population,
    audit,
    determined,
    language_cells,
    population_hidden,
)
from ingestion.contract import PERSON_KEY_PATTERN

THRESHOLD = 3


# ---------------------------------------------------------------- fixtures and tests

@pytest.fixture(scope="module")
def tables(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        return {
            "area": con.execute("SELECT * FROM publication.export_area_indicator").df(),
            "language": con.execute("SELECT * FROM publication.export_language_assessment").df(),
            "area_disclosure": con.execute("SELECT * FROM quality.disclosure_area_indicator").df(),
            "language_disclosure": con.execute("SELECT * FROM quality.disclosure_language_assessment").df(),
            "population": con.execute("SELECT * FROM publication.export_population_indicator").df(),
            "population_disclosure": con.execute("SELECT * FROM quality.disclosure_population_indicator").df(),
            "population_mart": con.execute("SELECT * FROM marts.mart_population_indicator").df(),
            "mart": con.execute("SELECT indicator_id, period, geography_code, unit, numerator, denominator, n, "
                                "n_persons_with, n_persons_without "
                                "FROM marts.mart_area_indicator WHERE source_kind = 'computed'").df(),
            "catalogue": con.execute("SELECT indicator_id, target_reference_geography "
                                     "FROM intermediate.int_catalogue__indicators").df(),
            "geographies": con.execute("SELECT * FROM reference.geographies").df(),
            "plan_areas": con.execute("SELECT * FROM reference.plan_areas").df(),
            "exports": {name: con.execute(f'SELECT * FROM publication."{name}"').df() for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'publication'").fetchall()},
        }
    finally:
        con.close()


def test_the_refresh_audit_finds_nothing(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        assert audit(con) == {"export_area_indicator": [], "export_language_assessment": [],
                              "export_population_indicator": []}
    finally:
        con.close()


def _hidden_area_cells(area: pd.DataFrame) -> set:
    rows = area[area.flag_disclosure_suppressed]
    return set(zip(rows.indicator_id, rows.period, rows.geography_code))


def test_attacker_recovers_no_hidden_cell_of_the_indicator_table(tables):
    hidden = _hidden_area_cells(tables["area"])
    assert len(hidden) > 100  # the small demo has plenty of small cells to protect
    recovered = attack_area_indicator(tables["area"], hidden, tables["catalogue"], tables["geographies"],
                                      tables["plan_areas"])
    print(f"\narea indicators: {len(hidden)} hidden cells, {len(recovered)} recovered")
    assert sorted(recovered)[:10] == [] and len(recovered) == 0


def test_attacker_recovers_no_hidden_cell_of_the_language_table(tables):
    cells, known = language_cells(tables["language"])
    recovered = attack_language(tables["language"], tables["geographies"], tables["plan_areas"])
    print(f"\nlanguage: {len(cells - known)} hidden cells, {len(recovered)} recovered")
    assert cells - known and recovered == set()


def test_with_primary_suppression_only_the_attacker_recovers_cells(tables):
    """The attacker is not toothless: hide only the primary cells and it gets cells back, by
    subtraction across geographies, spans and categories, and by hand for one of them."""
    disclosure = tables["area_disclosure"]
    primary = disclosure[disclosure.is_primary]
    primary_only = set(zip(primary.indicator_id, primary.period, primary.geography_code))
    area = tables["area"].copy()
    # the table as it would look with primary suppression alone: secondary cells visible again
    secondary = disclosure[disclosure.is_secondary]
    shown = set(zip(secondary.indicator_id, secondary.period, secondary.geography_code))
    is_shown = [k in shown for k in zip(area.indicator_id, area.period, area.geography_code)]
    area.loc[is_shown, "value"] = 1.0
    area.loc[is_shown, "flag_disclosure_suppressed"] = False
    recovered = attack_area_indicator(area, primary_only, tables["catalogue"], tables["geographies"],
                                      tables["plan_areas"])
    assert len(recovered) > 0

    language = tables["language_disclosure"]
    lp = language[language.is_primary]
    hidden = set(zip(lp.assessment_year, lp.category, lp.geography_code))
    assert len(attack_language(tables["language"], tables["geographies"], tables["plan_areas"], hidden)) > 0

    # by hand: a plan's areas against its total, where exactly one area is hidden, gives the
    # hidden numerator back as total - the others, and it is the true one
    mart = tables["mart"].set_index(["indicator_id", "period", "geography_code"])
    areas = tables["plan_areas"][tables["plan_areas"].plan_code == "HP2025"].area_code.tolist()
    hits = 0
    for (indicator, period, geo) in sorted(primary_only):
        if geo not in areas:
            continue
        members = [(indicator, period, a) for a in areas]
        total = (indicator, period, "HP2025_ALL")
        if total not in mart.index or any(m not in mart.index for m in members):
            continue
        if sum(m in primary_only for m in members) != 1 or total in primary_only:
            continue
        numerators = mart.loc[members + [total], "numerator"]
        if numerators.isna().any():
            continue
        guess = mart.loc[total, "numerator"] - sum(mart.loc[m, "numerator"] for m in members if m != (indicator, period, geo))
        hits += int(abs(guess - mart.loc[(indicator, period, geo), "numerator"]) < 1e-6)
    assert hits > 0


def _keys(frame: pd.DataFrame) -> list:
    return list(zip(*(frame[c] for c in POPULATION_KEY)))


def test_attacker_recovers_no_hidden_cell_of_the_population_table(tables):
    population, disclosure = tables["population"], tables["population_disclosure"]
    hidden = population_hidden(population)
    decided = disclosure[disclosure.is_suppressed]
    # the export hides exactly what the disclosure model decides, secondary cells included
    assert hidden == set(_keys(decided)) and disclosure.is_secondary.any()
    recovered = attack_population(population)
    print(f"\npopulation: {len(hidden)} hidden cells, {len(recovered)} recovered")
    assert recovered == set()


def test_population_primary_only_leaks_through_before_change_after(tables):
    """Show the secondary cells again (as primary suppression alone would): the attacker gets
    primary cells back from their cohort's other two periods."""
    population, disclosure, mart = tables["population"].copy(), tables["population_disclosure"], tables["population_mart"]
    secondary = set(_keys(disclosure[disclosure.is_secondary]))
    truth = mart.set_index(POPULATION_KEY)
    shown = [k in secondary for k in _keys(population)]
    for column in ("participants_value", "n_participants"):
        population.loc[shown, column] = [truth.loc[k, column] for k in _keys(population[shown])]
    population.loc[shown, "flag_disclosure_suppressed"] = False
    primary_only = set(_keys(disclosure[disclosure.is_primary]))
    recovered = attack_population(population, primary_only)
    assert recovered and recovered <= primary_only


def test_population_before_change_after_by_hand():
    """A cohort whose five persons are measured in every period: with 'before' hidden alone,
    after - change gives it back exactly; hiding the change too (what secondary suppression
    does) leaves it undetermined."""
    persons_before, persons_after = [0, 0, 1, 1, 0], [1, 1, 1, 1, 0]
    values = {"before": 100 * sum(persons_before) / 5, "after": 100 * sum(persons_after) / 5}
    values["change"] = 100 * sum(a - b for a, b in zip(persons_after, persons_before)) / 5
    rows = [{"plan_code": "HP2025", "activity_code": "X", "cohort_year": 2026, "outcome_kind": "absence",
             "period_kind": period, "n_participants": 5, "participants_value": value, "comparison_value": 10.0,
             "difference": value - 10.0, "ci_low": None, "ci_high": None, "flag_effect": False,
             "flag_disclosure_suppressed": False, "assessment": "ingen påviselig forskel"}
            for period, value in values.items()]
    frame = pd.DataFrame(rows)

    def hide(periods):
        out = frame.copy()
        mask = out.period_kind.isin(periods)
        out.loc[mask, ["n_participants", "participants_value", "comparison_value", "difference"]] = None
        out.loc[mask, "flag_disclosure_suppressed"] = True
        out.loc[mask, "assessment"] = "kan ikke vurderes"
        return out

    before = ("HP2025", "X", 2026, "absence", "before")
    assert attack_population(hide(["before"])) == {before}
    assert values["after"] - values["change"] == values["before"]  # the attacker's subtraction
    assert attack_population(hide(["before", "change"])) == set()
    # a figure left on a hidden row is a leak by itself
    leaky = hide(["before", "change"])
    leaky.loc[leaky.period_kind == "change", "difference"] = 1.0
    assert attack_population(leaky) == {before, ("HP2025", "X", 2026, "absence", "change")}


def test_hidden_cells_do_not_say_whether_they_are_primary(tables):
    """'Few persons' on a hidden cell would tell a reader it holds 1-2 persons: every export
    says the same about a primary and a secondary cell."""
    area, disclosure = tables["area"], tables["area_disclosure"]
    kind = dict(zip(zip(disclosure.indicator_id, disclosure.period, disclosure.geography_code), disclosure.is_primary))
    hidden = area[area.flag_disclosure_suppressed]
    assert not hidden.flag_small_n.any()
    assert not hidden.flag_reasons_da.str.contains("personer bag tallet").any()
    is_primary = [kind[k] for k in zip(hidden.indicator_id, hidden.period, hidden.geography_code)]
    assert any(is_primary) and not all(is_primary)
    population = tables["population"]
    hidden = population[population.flag_disclosure_suppressed]
    assert not hidden.flag_small_n.any() and set(hidden.assessment_reason) == {"Tallet er skjult af diskretionshensyn."}
    language = tables["language"]
    notes = set(language.note_da.dropna()) - {"Ingen vurderede"}
    assert notes and notes <= {"Skjult af diskretionshensyn", "Delvist skjult af diskretionshensyn"}
    # the machine flags say what the note says; a hidden row says nothing more ("nobody assessed"
    # would give its hidden 0 back)
    for flag, note in (("flag_disclosure_suppressed", "Skjult af diskretionshensyn"),
                       ("flag_partly_suppressed", "Delvist skjult af diskretionshensyn"),
                       ("flag_none_assessed", "Ingen vurderede")):
        assert language[flag].eq(language.note_da == note).all(), flag
    hidden_rows = language[language.flag_disclosure_suppressed]
    assert len(hidden_rows) and not (hidden_rows.flag_none_assessed | hidden_rows.flag_partly_suppressed).any()


def test_unit_level_primary_only_leaks_and_secondary_does_not():
    """The algebra on a table small enough to check by eye: areas A, B, C add up to T; A has 2
    persons. With A hidden alone, T - B - C gives it back; hiding the smallest other area too
    leaves A undetermined."""
    equations = [[("A", 1), ("B", 1), ("C", 1), ("T", -1)]]
    assert determined({"A"}, equations) == {"A"}
    assert determined({"A", "B"}, equations) == set()
    # and a chain: T + E = M with T hidden alone gives T back, and then A
    chain = equations + [[("T", 1), ("E", 1), ("M", -1)]]
    assert determined({"A", "B", "T"}, chain) == {"T"}


def test_no_person_level_rows_and_no_cells_under_the_threshold(tables):
    person_key = re.compile(PERSON_KEY_PATTERN)
    assert tables["exports"], "no export relation to check"
    for name, frame in tables["exports"].items():
        assert not [c for c in frame.columns if re.search(r"pnr|cpr|person|pseudo", c, re.IGNORECASE)], name
        for column in frame.select_dtypes(include=["object", "string"]).columns:
            assert not frame[column].dropna().astype(str).str.fullmatch(person_key).any(), (name, column)
    area = tables["area"]
    computed = area[area.source_kind == "computed"]
    assert (computed.n.dropna() >= THRESHOLD).all()
    mart = tables["mart"].set_index(["indicator_id", "period", "geography_code"])
    shown = computed[computed.value.notna()]
    keys = list(zip(shown.indicator_id, shown.period, shown.geography_code))
    truth = mart.loc[keys]
    # persons, not weighted sums: the persons with the attribute (numerator where a model has
    # no person counts, as the housing figures)
    with_ = truth.n_persons_with.fillna(truth.numerator)
    small = truth.n.between(1, THRESHOLD - 1) | (truth.unit.isin(["count", "pct"]) & with_.between(0.5, THRESHOLD - 0.5))
    assert not small.any(), truth[small.to_numpy()].head()
    population = tables["population"]
    for column in ("n_cohort", "n_participants", "n_comparison"):
        assert (population[column].dropna() >= THRESHOLD).all(), column
    # a shown share gives its count back (share x n): neither those with nor those without the
    # outcome may number 1-2
    value_kind = dict(zip(tables["population_mart"].outcome_kind, tables["population_mart"].value_kind))
    shares = population[population.participants_value.notna() & (population.period_kind != "change")
                        & (population.outcome_kind.map(value_kind) == "share")]
    with_outcome = (shares.participants_value * shares.n_participants / 100).round()
    assert len(shares) and not with_outcome.between(1, THRESHOLD - 1).any()
    assert not (shares.n_participants - with_outcome).between(1, THRESHOLD - 1).any()
    comparison = shares.comparison_value * shares.n_comparison / 100
    assert not comparison.between(0.5, THRESHOLD - 0.5).any()
    assert not (shares.n_comparison - comparison).between(0.5, THRESHOLD - 0.5).any()
    language = tables["language"]
    assert (language["n_assessed"].dropna() >= THRESHOLD).all()
    for column in LANGUAGE_CATEGORIES.values():
        counts = (language[column] * language["n_assessed"] / 100).round()
        assert not counts.between(1, THRESHOLD - 1).any(), column


def test_a_count_and_its_share_are_one_quantity_for_the_audit():
    """Placed children A, B, C add up to T in the count and in the share's numerator. The count
    hides A and B, the share hides A and C: each table alone holds, linked they do not (the
    share's C is the count's C, shown; then A = T - B - C in the share)."""
    count = [[(("PLACED", "2024", g), 1) for g in "ABC"] + [(("PLACED", "2024", "T"), -1)]]
    share = [[(("SHARE", "2024", g), 1) for g in "ABC"] + [(("SHARE", "2024", "T"), -1)]]
    hidden = {("PLACED", "2024", "A"), ("PLACED", "2024", "B"), ("SHARE", "2024", "A"), ("SHARE", "2024", "C")}
    assert determined(hidden, count + share) == set()
    link = [[(("PLACED", "2024", g), 1), (("SHARE", "2024", g), -1)] for g in "ABCT"]
    assert determined(hidden, count + share + link) == hidden


def test_the_audit_knows_a_municipality_it_has_never_seen():
    """The municipality is found by its geography type, not by name: in 'KOM', the plan's total
    hidden alone is the municipality minus the municipality without the plan's areas."""
    geographies = pd.DataFrame({"geography_code": ["A", "B", "P_ALL", "KOM", "KOM_EXCL_P"],
                                "geography_type": ["area", "area", "plan_total", "municipality",
                                                   "municipality_excl_plan"],
                                "plan_code": [None, None, "P", None, "P"]})
    plan_areas = pd.DataFrame({"plan_code": ["P", "P"], "area_code": ["A", "B"]})
    values = {"A": None, "B": None, "P_ALL": None, "KOM": 40.0, "KOM_EXCL_P": 30.0}
    export = pd.DataFrame([{"indicator_id": "X", "period": "2024", "geography_code": g, "value": v, "n": None,
                            "ci_low": None, "ci_high": None, "source_kind": "computed", "baseline_period": None,
                            "baseline_value": None, "change_since_baseline": None, "target_kind": None,
                            "target_value": None, "flag_implausible_change": False,
                            "flag_disclosure_suppressed": v is None} for g, v in values.items()])
    hidden = {("X", "2024", g) for g, v in values.items() if v is None}
    catalogue = pd.DataFrame({"indicator_id": ["X"], "target_reference_geography": [None]})
    recovered = attack_area_indicator(export, hidden, catalogue, geographies, plan_areas)
    assert recovered == {("X", "2024", "P_ALL")}
