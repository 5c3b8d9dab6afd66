"""A small stand-in Population with exactly ``ingestion.demo.model``'s columns.

Used by the demo-children tests until (and if) ``ingestion.demo.population.simulate`` is not
importable, so the extract writers can be developed and tested on their own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingestion.demo.model import PLAN_AREAS_2025, DemoConfig, Population

# Residents and children on 1 January 2024 (dbt seeds/areas.csv).
_AREA_SIZE = {"GJP": (1270, 362), "GLV": (1378, 330), "HSV": (976, 112), "ENV": (864, 128),
              "VGD": (814, 270), "SJK": (850, 96), "CRA": (663, 60)}
_BENEFITS = ("Kontanthjælp", "Førtidspension", "Dagpenge", "Sygedagpenge", "Fleksjob", "Ressourceforløb")


def make_fake_population(config: DemoConfig | None = None) -> Population:
    config = config or DemoConfig.small()
    rng = np.random.default_rng(config.seed)
    groups = list(PLAN_AREAS_2025) + [None]
    sizes = [_AREA_SIZE[a] for a in PLAN_AREAS_2025] + [(config.rest_residents, int(config.rest_residents * 0.21))]
    frames = []
    for area, (res, kids) in zip(groups, sizes):
        # Twice the stock ever lives there over 15 years; children get the stock's child share.
        n = int(res * 1.9)
        n_kids = int(kids * 2.2)
        birth_year = np.concatenate([rng.integers(2003, 2026, n_kids), rng.integers(1935, 2003, n - n_kids)])
        birth = pd.to_datetime(birth_year.astype(str)) + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
        first = np.maximum(config.first_year, birth_year + 1)
        arrive = rng.random(n) < 0.5
        first = np.where(arrive, np.maximum(first, rng.integers(config.first_year, config.last_year + 1, n)), first)
        last = np.where(rng.random(n) < 0.55, config.last_year, rng.integers(config.first_year, config.last_year + 1, n))
        last = np.maximum(last, first)
        frames.append(pd.DataFrame({"birth_date": birth, "first": first, "last": last, "area": area,
                                    "sex": np.where(rng.random(n) < 0.5, "M", "K"),
                                    "origin": np.where(rng.random(n) < (0.55 if area else 0.9), "1", "4")}))
    p = pd.concat(frames, ignore_index=True)
    p = p[p["first"] <= config.last_year].reset_index(drop=True)
    n = len(p)
    p["person_key"] = [f"{x:016x}" for x in rng.choice(2**62, n, replace=False)]
    # Mothers: a woman of the same area group born 20-40 years before the child, else none.
    p["mother_key"] = None
    by = p["birth_date"].dt.year.to_numpy()
    for area in groups:
        grp = (p["area"].isna() if area is None else p["area"] == area).to_numpy()
        women = np.flatnonzero(grp & (p["sex"] == "K").to_numpy() & (by < 1995) & (by > 1960))
        kids = np.flatnonzero(grp & (by >= 2003))
        if len(women):
            p.loc[kids, "mother_key"] = p["person_key"].to_numpy()[rng.choice(women, len(kids))]
    persons = pd.DataFrame({
        "person_key": p["person_key"], "birth_date": p["birth_date"], "death_date": pd.NaT, "sex": p["sex"],
        "origin": p["origin"], "citizenship": np.where(p["origin"] == "1", "DK", "SY"),
        "mother_key": p["mother_key"], "father_key": None,
    })
    years = p["last"] - p["first"] + 1
    idx = np.repeat(np.arange(n), years)
    yr = p["first"].to_numpy()[idx] + (np.arange(len(idx)) - np.repeat(np.cumsum(years) - years, years))
    residence = pd.DataFrame({
        "person_key": p["person_key"].to_numpy()[idx], "year": yr.astype(int), "street": "Fakevej",
        "number": 1, "letter": None, "floor": None, "door": None, "postal_code": 8900,
        "household_id": [f"F{i:08d}" for i in idx % 99_999_999], "area_code": p["area"].to_numpy()[idx],
        "org_code": None, "department_number": None, "lease_id": None,
    })
    age = yr - p["birth_date"].dt.year.to_numpy()[idx]
    adult = (age >= 16) & (age <= 66)
    area_grp = pd.notna(p["area"].to_numpy()[idx])
    on_benefit = adult & (rng.random(len(idx)) < np.where(area_grp, 0.40, 0.16))
    benefit = np.where(on_benefit, rng.choice(_BENEFITS, len(idx), p=[0.3, 0.25, 0.15, 0.1, 0.1, 0.1]), None)
    match = np.where(benefit == "Kontanthjælp", np.where(rng.random(len(idx)) < 0.4, "Jobparat", "Aktivitetsparat"), None)
    frac = np.where(on_benefit, np.where(rng.random(len(idx)) < 0.6, 1.0, rng.uniform(0.1, 1.0, len(idx)).round(3)), 0.0)
    person_year = pd.DataFrame({
        "person_key": residence["person_key"], "year": residence["year"], "in_education": False,
        "highest_education": "grundskole", "attachment": np.where(on_benefit, "benefit", "job"),
        "benefit": benefit, "match_group": match, "fulltime_fraction": frac, "gross_income": 250_000.0,
        "charged": False, "convicted": False,
    })
    return Population(config=config, persons=persons, residence=residence, person_year=person_year)
