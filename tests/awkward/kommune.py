"""The municipality's person-level extracts (other than the spell sources) of an awkward municipality."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from tests.awkward.people import People, stock
from tests.awkward.spells import age_on

_INSTITUTIONS = pd.read_csv("dbt_project/seeds/institutions.csv", dtype=str)
SCHOOLS = [c for c, k in _INSTITUTIONS[["institution_code", "institution_kind"]].itertuples(index=False) if k == "skole"]
ABSENCE_ACTIVITIES = ("FRA_FRAVAER_TIL_FREMMOEDE", "FAMILIEKLASSEN", "FREMMOEDE_I_SKOLEN", "TRIVSEL_I_SKOLEN")


def cpr(people: People, year: int) -> pd.DataFrame:
    s = stock(people, year)
    s = s[pd.to_datetime(s.birth) < pd.Timestamp(year, 1, 1)]
    return pd.DataFrame({
        "PNR_PSEUDO": s.person, "FOEDSELSDATO": s.birth, "KOEN": s.sex, "VEJNAVN": s.street, "HUSNR": s.number,
        "HUSBOGSTAV": s.letter, "ETAGE": None, "DOER": None, "POSTNR": s.postal_code, "MOR_PNR_PSEUDO": s.mother,
        "FAR_PNR_PSEUDO": s.father, "FAMILIE_ID": s.family_id, "STATSBORGERSKAB": s.citizenship, "OPRINDELSE": s.origin})


def school_absence(people: People, year: int, participation: pd.DataFrame) -> pd.DataFrame:
    """School year ``year``/``year+1``: pupils in grade 0-10 (birth year = year - 6 - grade) resident
    some time around the year; some at two schools; participants in an absence activity get the
    built-in effect from the school year their participation starts in."""
    rng = people.rng
    p = people.persons
    res_years = people.residence[people.residence.year.isin([year, year + 1])].person.unique()
    pupils = p[p.person.isin(res_years)].copy()
    pupils["grade"] = year - pd.to_datetime(pupils.birth).dt.year - 6
    pupils = pupils[(pupils.grade >= 0) & (pupils.grade <= 10)]
    if pupils.empty:
        return pd.DataFrame()
    treated = participation[participation.AKTIVITET.isin(ABSENCE_ACTIVITIES)]
    treated = set(treated[pd.to_datetime(treated.START).dt.year <= year].PNR_PSEUDO)
    rows = []
    for _, q in pupils.iterrows():
        base = rng.gamma(2.0, 3.5) / 100  # absence share, person-specific each year
        if q.person in treated:
            base = max(0.0, base + people.config.absence_effect_pp / 100)
        two = rng.random() < 0.07
        splits = [(1.0, 12, 200)] if not two else [(0.4, 5, 80), (0.6, 7, 120)]
        schools = rng.choice(SCHOOLS, size=len(splits), replace=False)
        for (_share, months, days), school in zip(splits, schools):
            if not two and rng.random() < 0.1:  # part of the year only
                months, days = int(rng.integers(1, 12)), int(rng.integers(10, 190))
            absent = base * days * rng.uniform(0.6, 1.4)
            sick, lawful = absent * 0.6, absent * 0.25
            rows.append({"PNR_PSEUDO": q.person, "SKOLEAAR": f"{year}/{(year + 1) % 100:02d}", "SKOLE_KODE": school,
                         "KLASSETRIN": int(q.grade), "SKOLEDAGE": days, "MAANEDER_INDSKREVET": months,
                         "FRAVAER_SYGDOM": round(sick, 1), "FRAVAER_LOVLIGT": round(lawful, 1),
                         "FRAVAER_ULOVLIGT": round(max(0.0, absent - sick - lawful), 1)})
    return pd.DataFrame(rows)


def language(people: People, year: int) -> pd.DataFrame:
    rng = people.rng
    p = people.persons[people.persons.person.isin(people.residence[people.residence.year == year].person)]
    rows = []
    for _, c in p.iterrows():
        if rng.random() > 0.35:
            continue
        n = 2 if rng.random() < 0.08 and people.config.repeated_assessments else 1  # assessed twice in the year
        days = sorted(rng.choice(np.arange(1, 360), size=n, replace=False))
        reason = str(rng.choice(["Formodet behov", "Alle 3-årige", "Skolestart"], p=[0.6, 0.25, 0.15]))
        for d in days:
            when = date(year, 1, 1) + timedelta(days=int(d))
            age = int(age_on(pd.Series([c.birth]), when).iloc[0])
            if not 3 <= age <= 6:
                continue
            rows.append({"PNR_PSEUDO": c.person, "VURDERINGSDATO": when, "ALDER": age,
                         "INSTITUTION_KODE": "751101", "AARSAG": reason,
                         "RESULTAT": str(rng.choice(["Generel indsats", "Fokuseret indsats", "Særlig indsats"], p=[0.6, 0.3, 0.1]))})
    return pd.DataFrame(rows, columns=["PNR_PSEUDO", "VURDERINGSDATO", "ALDER", "INSTITUTION_KODE", "AARSAG", "RESULTAT"])


BENEFITS = ["Kontanthjælp", "Uddannelseshjælp", "Selvforsørgelses- og hjemrejseydelse", "Dagpenge", "Sygedagpenge",
            "Ressourceforløb", "Fleksjob", "Førtidspension", "Ledighedsydelse"]
MATCHED = ("Kontanthjælp", "Uddannelseshjælp", "Selvforsørgelses- og hjemrejseydelse", "Overgangsydelse")


def jobcenter(people: People, years) -> dict[int, pd.DataFrame]:
    """Benefit months: an adult's benefit runs as stretches of months; førtidspension lasts;
    some months hold two benefits; full-time fractions below 1 occur."""
    rng = people.rng
    adults = people.persons[people.persons.person.isin(people.residence.person)]
    out = {y: [] for y in years}
    for _, a in adults.iterrows():
        if rng.random() < 0.55:
            continue
        pension_from = int(rng.integers(years[0], years[-1] + 3)) if rng.random() < 0.12 else None
        for y in years:
            age = y - a.birth.year
            if not 17 <= age <= 66:
                continue
            if pension_from is not None and y >= pension_from:
                spans = [("Førtidspension", 1, 12)]
            elif rng.random() < 0.5:
                continue
            else:
                b = str(rng.choice(BENEFITS[:7], p=[0.35, 0.1, 0.1, 0.15, 0.15, 0.1, 0.05]))
                m0 = int(rng.integers(1, 13))
                spans = [(b, m0, int(rng.integers(m0, 13)))]
                if rng.random() < 0.15:
                    spans.append(("Sygedagpenge", m0, m0))
            for b, m0, m1 in spans:
                group = str(rng.choice(["Jobparat", "Aktivitetsparat"])) if b in MATCHED else None
                for m in range(m0, m1 + 1):
                    if b in MATCHED and rng.random() < 0.1:
                        group = "Jobparat" if group == "Aktivitetsparat" else "Aktivitetsparat"
                    frac = 1.0 if rng.random() < 0.8 else float(rng.choice([0.5, 0.25, 0.73]))
                    out[y].append({"PNR_PSEUDO": a.person, "MAANED": f"{y}-{m:02d}", "YDELSE": b,
                                   "MATCHGRUPPE": group, "FULDTIDSANDEL": frac})
    return {y: pd.DataFrame(v).drop_duplicates(["PNR_PSEUDO", "MAANED", "YDELSE"]) for y, v in out.items()}


def youth_guidance(people: People, years) -> dict[int, pd.DataFrame]:
    """Status 1 October: leavers of 9th grade (born year-16) and, the year after, of 10th grade."""
    rng = people.rng
    p = people.persons[people.persons.person.isin(people.residence.person)]
    out = {y: [] for y in years}
    for _, q in p.iterrows():
        left9 = q.birth.year + 16
        if left9 not in out or rng.random() < 0.05:
            continue
        tenth = rng.random() < 0.25
        s9 = "I 10. klasse" if tenth else str(rng.choice(["I ungdomsuddannelse", "I beskæftigelse", "Andet", "Ukendt"],
                                                                  p=[0.7, 0.1, 0.1, 0.1]))
        out[left9].append((q.person, left9, "9", s9))
        if left9 + 1 in out:
            if tenth:
                s = str(rng.choice(["I ungdomsuddannelse", "Andet", "Ukendt"], p=[0.7, 0.2, 0.1]))
                out[left9 + 1].append((q.person, left9 + 1, "10", s))
            else:
                s = str(rng.choice(["I ungdomsuddannelse", "Fuldført ungdomsuddannelse", "Afbrudt ungdomsuddannelse",
                                    "Andet"], p=[0.6, 0.05, 0.2, 0.15]))
                out[left9 + 1].append((q.person, left9, "9", s))
    frames = {}
    for y, rows in out.items():
        df = pd.DataFrame(rows, columns=["PNR_PSEUDO", "AFGANGSAAR", "AFGANGSKLASSE", "STATUS"])
        df["STATUSDATO"] = date(y, 10, 1)
        df["UDDANNELSE"] = np.where(df.STATUS.isin(["I ungdomsuddannelse", "Fuldført ungdomsuddannelse", "Afbrudt ungdomsuddannelse"]),
                                    rng.choice(["STX", "HHX", "EUD", "FGU"], size=len(df)), None)
        frames[y] = df
    return frames


def youth_school(people: People, year: int) -> pd.DataFrame:
    rng = people.rng
    p = people.persons[people.persons.person.isin(people.residence[people.residence.year.isin([year, year + 1])].person)]
    rows = []
    for _, q in p.iterrows():
        if not 12 <= year - q.birth.year <= 19 or rng.random() > 0.3:
            continue
        for offer in rng.choice(["Fritidsundervisning", "Klub", "Heltidsundervisning"], size=int(rng.integers(1, 3)), replace=False):
            rows.append({"PNR_PSEUDO": q.person, "SKOLEAAR": f"{year}/{(year + 1) % 100:02d}", "TILBUD": str(offer),
                         "TILMELDT": date(year, 8, 1) + timedelta(days=int(rng.integers(0, 300)))})
    return pd.DataFrame(rows, columns=["PNR_PSEUDO", "SKOLEAAR", "TILBUD", "TILMELDT"])


def exams(people: People, year: int) -> pd.DataFrame:
    rng = people.rng
    p = people.persons[(pd.to_datetime(people.persons.birth).dt.year == year - 15) & people.persons.person.isin(people.residence.person)]
    rows = []
    for _, q in p.iterrows():
        special = "J" if rng.random() < 0.05 else "N"
        school = str(rng.choice(SCHOOLS))
        for fag, disc in [("Dansk", "Læsning"), ("Dansk", "Retskrivning"), ("Matematik", "Færdighedsregning"),
                          ("Matematik", "Problemløsning")]:
            rows.append({"PNR_PSEUDO": q.person, "SKOLEAAR": f"{year}/{(year + 1) % 100:02d}", "SKOLE_KODE": school,
                         "SPECIALKLASSE": special, "FAG": fag, "DISCIPLIN": disc,
                         "KARAKTER": str(rng.choice(["-3", "00", "02", "4", "7", "10", "12"]))})
    return pd.DataFrame(rows, columns=["PNR_PSEUDO", "SKOLEAAR", "SKOLE_KODE", "SPECIALKLASSE", "FAG", "DISCIPLIN", "KARAKTER"])
