"""Cohort sizes of the population marts, from docs/population-marts.md's words: a cohort is the
persons whose first start in the activity within a plan (the plan whose period holds the start
date) falls in year Y; for parent activities the participants' children in the catalogue's child
age band (age on 1 January of the start year) instead. Cohorts that start after the as-of date are left out."""

from __future__ import annotations

from datetime import date

import pandas as pd

from tests.oracle.extracts import SEEDS, Extracts, age_on


def participation(ex: Extracts) -> pd.DataFrame:
    """Each spell once, as its latest file states it, with the plan whose period holds the start
    (None between the plans) and whether its end is only known to lie before a later file's year."""
    spells = ex.latest_spells("indsatsdeltagelse", ["PNR_PSEUDO", "AKTIVITET", "START"])
    delivered_open = ex.stacked("indsatsdeltagelse").loc[spells.index, "SLUT"].isna()
    spells["end_unknown"] = delivered_open & spells.SLUT.notna()
    spells["plan_code"] = None
    for p in pd.read_csv(SEEDS / "plans.csv", dtype=str).itertuples():
        inside = (spells.START >= date.fromisoformat(p.period_start)) & (spells.START <= date.fromisoformat(p.period_end))
        spells.loc[inside, "plan_code"] = p.plan_code
    return spells


def cohort_outputs(ex: Extracts) -> pd.DataFrame:
    """Per plan (None between the plans) × activity × year: participants (distinct persons with a
    spell active some time in the year), started (distinct persons starting one), finished (spells
    ended in the year with a completion recorded), completed (of those, gennemført) and completion
    %. A spell counts in no year after the last delivered file; one whose end is unknown counts as
    a participant to the year before the file that no longer holds it, and never as finished."""
    spells = participation(ex)
    last = max(ex.years("indsatsdeltagelse"))
    rows = []
    for s in spells.itertuples():
        end_year = min(s.SLUT.year if s.SLUT is not None and s.SLUT == s.SLUT else last, last)
        recorded = s.GENNEMFOERT in ("J", "N") and not s.end_unknown
        for y in range(s.START.year, end_year + 1):
            ends_here = recorded and s.SLUT is not None and s.SLUT == s.SLUT and s.SLUT.year == y
            rows.append((s.plan_code or "", s.AKTIVITET, y, s.PNR_PSEUDO, s.START.year == y, ends_here, ends_here and s.GENNEMFOERT == "J"))
    df = pd.DataFrame(rows, columns=["plan_code", "activity_code", "year", "person", "starts", "finished", "completed"])
    g = df.groupby(["plan_code", "activity_code", "year"])
    out = g.agg(participants=("person", "nunique"), finished=("finished", "sum"), completed=("completed", "sum")).reset_index()
    started = df[df.starts].groupby(["plan_code", "activity_code", "year"]).person.nunique().rename("started")
    out = out.merge(started.reset_index(), how="left").fillna({"started": 0})
    out["completion_pct"] = 100 * out.completed / out.finished.where(out.finished > 0)
    return out


def cohort_members(ex: Extracts, res: pd.DataFrame, as_of: date = date(2025, 12, 31)) -> pd.DataFrame:
    """One row per followed person: plan_code, activity_code, cohort_year, person, outcome_kind."""
    acts = pd.read_csv(SEEDS / "activities.csv", dtype=str)
    acts = acts[acts.participant_kind.isin(["person", "parent"])]
    spells = participation(ex)
    spells = spells[spells.plan_code.notna() & (spells.START <= as_of)]
    people = res.drop_duplicates("person")[["person", "FOEDSELSDATO", "MOR_PNR_PSEUDO", "FAR_PNR_PSEUDO"]]
    frames = []
    for a in acts.itertuples():
        s = spells[(spells.AKTIVITET == a.activity_code) & (spells.plan_code == a.plan_code)]
        first = s.groupby("PNR_PSEUDO").START.min().reset_index()
        if a.participant_kind == "parent" and a.outcome_subject == "children":
            kids = pd.concat([first.merge(people, left_on="PNR_PSEUDO", right_on=parent)
                              for parent in ("MOR_PNR_PSEUDO", "FAR_PNR_PSEUDO")])
            kids["age"] = [int(age_on(pd.Series([b]), date(d.year, 1, 1)).iloc[0]) for b, d in zip(kids.FOEDSELSDATO, kids.START)]
            kids = kids[kids.age.between(int(a.child_age_min), int(a.child_age_max))]
            first = kids.groupby("person").START.min().reset_index().rename(columns={"person": "PNR_PSEUDO"})
        frames.append(pd.DataFrame({"plan_code": a.plan_code, "activity_code": a.activity_code, "outcome_kind": a.outcome_kind,
                                    "person": first.PNR_PSEUDO.to_numpy(), "cohort_year": [d.year for d in first.START]}))
    return pd.concat(frames, ignore_index=True).astype({"cohort_year": int})


def cohort_sizes(ex: Extracts, res: pd.DataFrame, as_of: date = date(2025, 12, 31)) -> pd.DataFrame:
    """n_cohort, and n_resident: those of them living in the municipality on 1 January of the start year."""
    m = cohort_members(ex, res, as_of)
    m["resident"] = pd.Series(list(zip(m.person, m.cohort_year))).isin(set(zip(res.person, res.year))).to_numpy()
    return (m.groupby(["plan_code", "activity_code", "cohort_year"])
            .agg(n_cohort=("person", "size"), n_resident=("resident", "sum")).reset_index())
