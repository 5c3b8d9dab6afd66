"""Spells as yearly extracts restate them, and the activity participation with a built-in effect."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from tests.awkward.people import People

ACTIVITIES = pd.read_csv("dbt_project/seeds/activities.csv", dtype=str)
PLAN_WINDOWS = {"HP2017": (date(2017, 6, 1), date(2021, 5, 31)), "HP2025": (date(2025, 8, 1), date(2025, 12, 20)),
                None: (date(2021, 6, 1), date(2025, 7, 31))}  # spells between the plans belong to no cohort


def extraction_date(year: int) -> date:
    """A year's file is extracted at the end of January after the year."""
    return date(year + 1, 1, 31)


def yearly_files(spells: pd.DataFrame, years, start="START", end="SLUT") -> dict[int, pd.DataFrame]:
    """Each year's file: the spells active at some time in the year, as known at its extraction.

    A spell still open at the extraction has an empty end date and is restated next year,
    closed or still open: exactly what the contract's 'spells active in the year' files hold."""
    out = {}
    for y in years:
        s = spells[(spells[start] <= date(y, 12, 31)) & (spells[end].isna() | (spells[end] >= date(y, 1, 1)))].copy()
        s[end] = s[end].where(s[end].notna() & (s[end] <= extraction_date(y)), None)
        out[y] = s
    return out


def _rand_date(rng, lo: date, hi: date) -> date:
    return lo + timedelta(days=int(rng.integers(0, max(1, (hi - lo).days + 1))))


def age_on(birth: pd.Series, d: date) -> pd.Series:
    b = pd.to_datetime(birth)
    return d.year - b.dt.year - ((b.dt.month > d.month) | ((b.dt.month == d.month) & (b.dt.day > d.day))).astype(int)


def participation(people: People) -> pd.DataFrame:
    """Spells in the plans' activities: persons (or parents) of the catalogue's age band, mostly
    from the plan areas, some arriving just before they start (no measurement before)."""
    rng = people.rng
    res = people.residence.merge(people.persons[["person", "birth", "mother"]], on="person")
    rows = []
    for _, a in ACTIVITIES[ACTIVITIES.participant_kind.isin(["person", "parent"])].iterrows():
        lo_age, hi_age = int(a.age_min), int(a.age_max)
        windows = [a.plan_code, None] if a.plan_code == "HP2017" else [a.plan_code]
        for plan in windows:
            lo, hi = PLAN_WINDOWS[plan]
            for _ in range(int(rng.integers(4, 12))):
                start = _rand_date(rng, lo, hi)
                cand = res[res.year == start.year]
                ages = age_on(cand.birth, start)
                cand = cand[(ages >= lo_age) & (ages <= hi_age)]
                if a.participant_kind == "parent":
                    cand = cand[cand.person.isin(res.mother.dropna())]
                if cand.empty:
                    continue
                pr = cand.person.iloc[int(rng.integers(len(cand)))]
                length = int(rng.integers(20, 600))
                end = start + timedelta(days=length)
                if end > date(2026, 1, 31) or rng.random() < 0.1:
                    end = None  # still open (or never closed in the register)
                done = None
                if end is not None and a.has_completion == "true":
                    done = "J" if rng.random() < 0.75 else "N"
                rows.append({"PNR_PSEUDO": pr, "AKTIVITET": a.activity_code, "START": start, "SLUT": end, "GENNEMFOERT": done})
    df = pd.DataFrame(rows).drop_duplicates(["PNR_PSEUDO", "AKTIVITET", "START"])
    return df


def placements(people: People) -> pd.DataFrame:
    rng = people.rng
    kids = people.persons[people.persons.person.isin(people.residence.person)]
    rows = []
    for _, k in kids.iterrows():
        if rng.random() > 0.06:
            continue
        b = k.birth
        lo = max(date(2012, 1, 1), b + timedelta(days=30))
        hi = min(date(2025, 12, 1), date(b.year + 17, b.month, b.day))
        if lo >= hi:
            continue
        start = _rand_date(rng, lo, hi)
        end = start + timedelta(days=int(rng.integers(60, 2500)))
        end = None if end > date(2026, 1, 31) else end
        kind = str(rng.choice(["Plejefamilie", "Netværksplejefamilie", "Døgninstitution", "Opholdssted", "Eget værelse"]))
        rows.append({"PNR_PSEUDO": k.person, "START": start, "SLUT": end, "ANBRINGELSESSTED": kind})
        if end is not None and rng.random() < 0.3 and end < date(2025, 6, 1):  # placed again later
            s2 = end + timedelta(days=int(rng.integers(30, 400)))
            rows.append({"PNR_PSEUDO": k.person, "START": s2, "SLUT": None, "ANBRINGELSESSTED": kind})
    return pd.DataFrame(rows, columns=["PNR_PSEUDO", "START", "SLUT", "ANBRINGELSESSTED"])


def daycare(people: People) -> pd.DataFrame:
    rng = people.rng
    inst = pd.read_csv("dbt_project/seeds/institutions.csv", dtype=str)
    codes = inst[inst.institution_kind == "daginstitution"].institution_code.tolist()
    nussa = inst[inst.is_nussa_2017 == "true"].institution_code.tolist()
    nordby = inst[inst.is_nordby_daginstitution_2017 == "true"].institution_code.tolist()
    kids = people.persons[people.persons.person.isin(people.residence.person)]
    rows = []
    for _, k in kids.iterrows():
        b = k.birth
        if b.year < 2008 or rng.random() < 0.1:
            continue
        start = b + timedelta(days=int(rng.integers(300, 500)))
        stop = date(b.year + 6, 7, 31)
        challenge = rng.choice([None, "Sproglig", "Social og miljømæssig", "Motorisk", "Andet"], p=[0.6, 0.2, 0.1, 0.05, 0.05])
        pool = [nussa, nordby, codes][int(rng.integers(3))]
        t = start
        while t < stop and t < date(2026, 1, 1):
            end = min(stop, t + timedelta(days=int(rng.integers(200, 1500))))
            typ = "Dagpleje" if (t - b).days < 900 and rng.random() < 0.4 else str(rng.choice(["Vuggestue", "Børnehave", "Integreret"]))
            rows.append({"PNR_PSEUDO": k.person, "INSTITUTION_KODE": str(rng.choice(pool)), "TILBUDSTYPE": typ,
                         "PRIMAER_UDFORDRING": challenge, "INDMELDT": t, "UDMELDT": end if end <= date(2026, 1, 31) else None})
            t = end + timedelta(days=1 if rng.random() < 0.7 else int(rng.integers(20, 200)))
    return pd.DataFrame(rows)
