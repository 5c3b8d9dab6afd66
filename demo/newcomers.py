"""Children who came to live with a Randers Nordby household during 2017 and moved on in 2019.

LBF counted 13 charged 10-17-year-olds, 2.7 per 100, in 2017 and 10, 2.0 per 100, in 2018 in the
three areas of the 2017-21 plan (seed 000 lines 1027-1029 and 1118-1120): some 480-510
10-17-year-olds in the stocks of 1 January 2018 and 2019. The households simulated from the 2024
composition have about 270 then. The missing children join a household of the areas during 2017
(with a mother there, as in family reunification) and leave the municipality during 2019, so they
are in the stocks of 1 January 2018 and 2019 only, as many as both printed shares need.

They come from their own random stream and are appended after every row the generator draws
for by position (``append`` runs after ``build_person_year``), so no other person's draws move;
the calibrations that run afterwards count them (charges, and the short stays of ``lodgers``,
which see them through ``plan``). The children's and job-centre generators draw per person
position as well and leave them out (``Population.appended``): they are in the CPR extract and
in DST's and LBF's tables, but in no school, daycare, youth-guidance or placement extract.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo.dates import age_on_jan1, jan1_number
from demo.keys import person_keys
from demo.lodgers import ADDRESS_COLS
from demo.model import PLAN_AREAS_2017, Population

# LBF year -> (count charged, per 100 as printed); the stock is 1 January of the year after.
PRINTED = {2017: (13, 2.7), 2018: (10, 2.0)}
STOCK_YEARS = (2018, 2019)
AGES_2018 = (10, 16)  # on 1 January 2018, so still 10-17 on 1 January 2019
MAX_CHILDREN = 400


def needed(n_2018: int, n_2019: int) -> int:
    """The fewest children to add to the 10-17-year-olds of both stocks so that both printed
    shares come out with their counts (0 when no number up to MAX_CHILDREN does)."""
    for x in range(MAX_CHILDREN + 1):
        if all(round(100 * k / (n + x), 1) == pct for n, (k, pct) in zip((n_2018, n_2019), PRINTED.values())):
            return x
    return 0


def plan(residence: pd.DataFrame, persons: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The new children (persons columns of ``Population.persons`` with ``birth`` as a day number)
    and their residence rows for 2018 and 2019. ``persons`` is the generator's frame (person_key,
    birth as day number, sex, origin, citizenship)."""

    rng = np.random.default_rng([seed, 1050])
    birth = pd.Series(persons.birth.to_numpy(), index=persons.person_key.to_numpy())
    r18 = residence[(residence.year == STOCK_YEARS[0]) & residence.area_code.isin(PLAN_AREAS_2017)]
    r19 = residence[(residence.year == STOCK_YEARS[1]) & residence.area_code.isin(PLAN_AREAS_2017)]
    counts = []
    for y, r in zip(STOCK_YEARS, (r18, r19)):
        age = age_on_jan1(birth.reindex(r.person_key).to_numpy().astype(np.int64), y)
        counts.append(int(((age >= 10) & (age <= 17)).sum()))
    x = needed(*counts)
    if x == 0:
        return persons.iloc[:0], residence.iloc[:0]
    # hosts: a household at the same address in both stocks, with a woman who can be the mother
    both = r18.merge(r19[["person_key", "household_id", "street", "number", "floor", "door"]],
                     on=["person_key", "household_id", "street", "number", "floor", "door"])
    who = persons.set_index("person_key").reindex(both.person_key)
    age18 = age_on_jan1(birth.reindex(both.person_key).to_numpy().astype(np.int64), STOCK_YEARS[0])
    mothers = both[(who.sex.to_numpy() == "K") & (age18 >= 30) & (age18 <= 55)].drop_duplicates("household_id")
    if mothers.empty:
        return persons.iloc[:0], residence.iloc[:0]
    pick = rng.choice(len(mothers), size=x, replace=x > len(mothers))
    host = mothers.iloc[pick].reset_index(drop=True)
    keys = person_keys(seed + 1050, x)
    if np.isin(keys, persons.person_key.to_numpy()).any():
        raise ValueError("newcomers: person key collision")
    a = rng.integers(AGES_2018[0], AGES_2018[1] + 1, x)
    kid_birth = jan1_number(STOCK_YEARS[0] - 1 - a) + rng.integers(1, 365, x)
    mother = persons.set_index("person_key").reindex(host.person_key)
    m_origin = mother.origin.to_numpy(dtype=object)
    origin = np.select([m_origin == "4", m_origin == "5", np.isin(m_origin, ["2", "3"])], ["4", "5", "3"], "1")
    # a father: a man of the host household in both stocks, if there is one
    men = both[(who.sex.to_numpy() == "M") & (age18 >= 30)].drop_duplicates("household_id")
    father = pd.Series(men.person_key.to_numpy(), index=men.household_id.to_numpy()).reindex(host.household_id)
    new_persons = pd.DataFrame({
        "person_key": keys, "birth": kid_birth, "sex": np.where(rng.random(x) < 0.5, "K", "M"),
        "origin": origin, "citizenship": np.where(origin == "4", mother.citizenship.to_numpy(dtype=object), "DK"),
        "mother_key": host.person_key.to_numpy(dtype=object),
        "father_key": father.to_numpy(dtype=object),
    })
    rows = []
    for y in STOCK_YEARS:
        h = residence[(residence.year == y)].set_index("person_key").reindex(host.person_key)
        part = h[list(ADDRESS_COLS)].reset_index(drop=True)
        part.insert(0, "year", y)
        part.insert(0, "person_key", keys)
        rows.append(part)
    new_res = pd.concat(rows, ignore_index=True)[list(residence.columns)]
    for c in residence.columns:
        new_res[c] = new_res[c].astype(residence[c].dtype)
    return new_persons, new_res


def append(pop: Population, new_persons: pd.DataFrame, new_res: pd.DataFrame) -> None:
    """Append the children to ``pop``'s persons, residence and person_year (in place)."""
    if new_persons.empty:
        return

    out = pd.DataFrame({
        "person_key": new_persons.person_key.to_numpy(),
        "birth_date": new_persons.birth.to_numpy().astype("datetime64[D]").astype("datetime64[ns]"),
        "death_date": pd.Series(pd.NaT, index=range(len(new_persons)), dtype="datetime64[ns]").to_numpy(),
        "sex": new_persons.sex.to_numpy(), "origin": new_persons.origin.to_numpy(),
        "citizenship": new_persons.citizenship.to_numpy(),
        "mother_key": new_persons.mother_key.to_numpy(), "father_key": new_persons.father_key.to_numpy(),
    })
    pop.persons = pd.concat([pop.persons, out.astype(pop.persons.dtypes.to_dict())], ignore_index=True)
    pop.appended = len(out)
    pop.residence = pd.concat([pop.residence, new_res], ignore_index=True)
    # person-years: resident on 1 January of the year or of the next (2017, 2018, 2019)
    py = pop.person_year
    years = np.array([STOCK_YEARS[0] - 1, *STOCK_YEARS])
    key = np.repeat(new_persons.person_key.to_numpy(), len(years))
    yr = np.tile(years, len(new_persons))
    b = np.repeat(new_persons.birth.to_numpy().astype(np.int64), len(years))
    age_m = age_on_jan1(b, np.minimum(yr + 1, STOCK_YEARS[-1]))
    rows = pd.DataFrame({
        "person_key": key, "year": yr, "in_education": True, "highest_education": "grundskole",
        "attachment": np.where(age_m < 15, "other", "education"), "benefit": None, "match_group": None,
        "fulltime_fraction": 0.0, "gross_income": 0.0, "charged": False, "convicted": False,
    })
    for c in py.columns:
        rows[c] = rows[c].astype(py[c].dtype)
    pop.person_year = pd.concat([py, rows], ignore_index=True)
