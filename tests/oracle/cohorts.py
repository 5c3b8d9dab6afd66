"""Cohort sizes of the population marts, from docs/population-marts.md's words: a cohort is the
persons whose first start in the activity within a plan (the plan whose period holds the start
date) falls in year Y; for parent activities the participants' children in the catalogue's child
age band (age on 1 January of the start year) instead. Cohorts that start after the as-of date are left out."""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.oracle.extracts import SEEDS, Extracts, age_on


def cohort_members(ex: Extracts, res: pd.DataFrame, as_of: date = date(2025, 12, 31)) -> pd.DataFrame:
    """One row per followed person: plan_code, activity_code, cohort_year, person, outcome_kind."""
    acts = pd.read_csv(SEEDS / "activities.csv", dtype=str)
    acts = acts[acts.participant_kind.isin(["person", "parent"])]
    plans = pd.read_csv(SEEDS / "plans.csv", dtype=str)
    spells = ex.latest_spells("indsatsdeltagelse", ["PNR_PSEUDO", "AKTIVITET", "START"])
    spells["plan_code"] = None
    for p in plans.itertuples():
        inside = (spells.START >= date.fromisoformat(p.period_start)) & (spells.START <= date.fromisoformat(p.period_end))
        spells.loc[inside, "plan_code"] = p.plan_code
    spells = spells[spells.plan_code.notna() & (spells.START <= as_of)]
    people = res.drop_duplicates("person")[["person", "FOEDSELSDATO", "MOR_PNR_PSEUDO", "FAR_PNR_PSEUDO"]]
    frames = []
    for a in acts.itertuples():
        s = spells[(spells.AKTIVITET == a.activity_code) & (spells.plan_code == a.plan_code)]
        first = s.groupby("PNR_PSEUDO").START.min().reset_index()
        if a.participant_kind == "parent" and a.outcome_subject == "children":
            kids = pd.concat([first.merge(people, left_on="PNR_PSEUDO", right_on=parent) for parent in ("MOR_PNR_PSEUDO", "FAR_PNR_PSEUDO")])
            kids["age"] = [int(age_on(pd.Series([b]), date(d.year, 1, 1)).iloc[0]) for b, d in zip(kids.FOEDSELSDATO, kids.START)]
            kids = kids[kids.age.between(int(a.child_age_min), int(a.child_age_max))]
            first = kids.groupby("person").START.min().reset_index().rename(columns={"person": "PNR_PSEUDO"})
        frames.append(pd.DataFrame({"plan_code": a.plan_code, "activity_code": a.activity_code, "outcome_kind": a.outcome_kind,
                                    "person": first.PNR_PSEUDO.to_numpy(), "cohort_year": [d.year for d in first.START]}))
    return pd.concat(frames, ignore_index=True)


def cohort_sizes(ex: Extracts, res: pd.DataFrame, as_of: date = date(2025, 12, 31)) -> pd.DataFrame:
    m = cohort_members(ex, res, as_of)
    return m.groupby(["plan_code", "activity_code", "cohort_year"]).size().rename("n_cohort").reset_index()
