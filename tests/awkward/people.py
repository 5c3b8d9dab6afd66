"""The people of an awkward municipality: households with an address on 1 January of every year.

Nothing here is tuned to the demo or to the models. Households move between areas and out of the
plan areas between years (a mid-year move shows only as another address next 1 January), children
are born, grow up and leave home, some children live apart from their mother, people arrive and
leave the municipality. Addresses deliberately include the ends of every printed range, numbers of
the wrong parity just outside a range, house letters a range does not list and bare numbers of
ranges that list letters only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from demo.areas import load_address_ranges

OTHER_STREETS = ("Tøjhushaven", "Østervangsvej", "Ålborggade", "Vestergade", "Nørrevænget", "Blicherstræde")
POSTAL_CODES = (8900, 8920, 8930, 8940, 8960)
# The plan areas in a random order per seed: the first is made tiny, the second gets (almost) no children.
AREAS = ("GJP", "GLV", "HSV", "ENV", "VGD", "SJK", "CRA")


@dataclass
class Config:
    seed: int = 0
    years: tuple[int, ...] = tuple(range(2014, 2026))
    households: int = 420
    # (source, year) pairs left out of the delivery: a year never delivered.
    missing: tuple[tuple[str, int], ...] = (("randersbolig_udsaettelser", 2020),)
    # The built-in effect of an absence activity on its participants' absence, in percentage points.
    absence_effect_pp: float = -4.0
    # A child assessed twice in one year (legal under the contract's key); off while issue 12
    # finding 5 (the refresh stops on it) is open.
    repeated_assessments: bool = True


@dataclass
class People:
    config: Config
    rng: np.random.Generator
    persons: pd.DataFrame  # person, birth, sex, mother, father, origin, citizenship
    residence: pd.DataFrame  # person, year, street, number, letter, postal_code, family_id
    small_area: str = ""
    childless_area: str = ""
    addresses: dict = field(default_factory=dict)


def _address_pool(rng: np.random.Generator) -> dict[str, list[tuple[str, int, str | None]]]:
    """Addresses per plan area (by the printed ranges) plus awkward ones and ordinary streets.

    The awkward ones are put in a pool named 'edge': whichever area (or none) they belong to is
    for the reader of the ranges to decide, which is the point."""
    pool: dict[str, list] = {a: [] for a in AREAS}
    edge: list = []
    for r in load_address_ranges():
        numbers = r.numbers()
        for n in numbers:
            if r.letters:
                pool[r.area_code] += [(r.street_name, n, letter) for letter in r.letters]
            else:
                pool[r.area_code].append((r.street_name, n, None))
        step = 1 if r.parity == "all" else 2
        edge += [(r.street_name, r.number_from, None), (r.street_name, r.number_to, None)]
        for n in (r.number_from - 1, r.number_to + 1, r.number_to + step):
            if 1 <= n <= 999:
                edge.append((r.street_name, n, None))  # just outside, often the wrong parity
        if r.letters:
            edge += [(r.street_name, r.number_from, None), (r.street_name, r.number_to, "D")]
        else:
            edge += [(r.street_name, r.number_from, "B"), (r.street_name.upper(), r.number_to, "C")]
    pool["edge"] = sorted(set(edge), key=str)
    pool["other"] = [(s, n, None) for s in OTHER_STREETS for n in range(1, 60)]
    return pool


def _key(rng: np.random.Generator, used: set) -> str:
    while True:
        k = "".join(rng.choice(list("0123456789abcdef"), 16))
        if k not in used:
            used.add(k)
            return k


def _birth(rng: np.random.Generator, age_on_2014: float) -> date:
    year = 2014 - int(age_on_2014)
    return date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))


def simulate(config: Config) -> People:
    rng = np.random.default_rng(config.seed)
    pool = _address_pool(rng)
    order = list(AREAS)
    rng.shuffle(order)
    small_area, childless_area = order[0], order[1]
    weights = {a: 1.0 for a in AREAS}
    weights[small_area] = 0.12
    weights["edge"] = 0.8
    weights["other"] = 4.0
    places = list(weights)
    p = np.array([weights[k] for k in places]) / sum(weights.values())
    used: set = set()
    persons: list[dict] = []
    rows: list[dict] = []
    family_no = [0]

    def new_family() -> str:
        family_no[0] += 1
        return f"F{family_no[0]:08d}"

    def draw_address(with_children: bool) -> tuple:
        while True:
            place = places[rng.choice(len(places), p=p)]
            if with_children and place == childless_area:
                continue
            if with_children and place == small_area and rng.random() < 0.7:
                continue
            street, n, letter = pool[place][rng.integers(len(pool[place]))]
            return street, n, letter, int(rng.choice(POSTAL_CODES))

    def person(birth: date, sex: str, mother=None, father=None, origin=None) -> dict:
        origin = origin or str(rng.choice(["1", "2", "3", "4", "5"], p=[0.55, 0.05, 0.02, 0.25, 0.13]))
        pr = {"person": _key(rng, used), "birth": birth, "sex": sex, "mother": mother, "father": father,
              "origin": origin,
              "citizenship": "DK" if origin in "135" or rng.random() < 0.4
              else str(rng.choice(["SY", "SO", "TR", "IQ", "PL", "DE"]))}
        persons.append(pr)
        return pr

    years = config.years
    first, last = years[0], years[-1]
    for _ in range(config.households):
        arrive = first if rng.random() < 0.7 else int(rng.integers(first + 1, last + 1))
        leave = last + 1 if rng.random() < 0.8 else int(rng.integers(arrive + 1, last + 2))
        kind = rng.choice(["family", "single", "elderly", "young"], p=[0.5, 0.2, 0.15, 0.15])
        age0 = {"family": rng.uniform(22, 45), "single": rng.uniform(25, 64),
                "elderly": rng.uniform(60, 85), "young": rng.uniform(17, 24)}[kind]
        sex = "K" if kind == "family" or rng.random() < 0.5 else "M"
        head = person(_birth(rng, age0 - (arrive - 2014)), sex)
        members = [head]
        father = None
        if kind == "family" and rng.random() < 0.6:
            father = person(_birth(rng, age0 + rng.uniform(0, 6) - (arrive - 2014)), "M", origin=head["origin"])
            members.append(father)
        children = []
        if kind == "family":
            for _ in range(int(rng.integers(1, 5))):
                child_age = rng.uniform(0, min(17.9, age0 - 18))
                b = _birth(rng, child_age - (arrive - 2014))
                children.append(person(b, str(rng.choice(["M", "K"])), head["person"], father and father["person"],
                                       origin="5" if head["origin"] == "4" else head["origin"]))
            # births during the years
            if rng.random() < 0.4 and arrive < last:
                by = int(rng.integers(arrive, last))
                b = date(by, int(rng.integers(1, 13)), int(rng.integers(1, 29)))
                children.append(person(b, str(rng.choice(["M", "K"])), head["person"], father and father["person"],
                                       origin="5" if head["origin"] == "4" else head["origin"]))
        addr = draw_address(bool(children))
        fam = new_family()
        # a child living apart from its mother (with the father or in its own household) for good
        apart = {c["person"] for c in children if rng.random() < 0.08}
        apart_addr, apart_fam = draw_address(True), new_family()
        own_home: dict[str, tuple] = {}
        for y in years:
            if not (arrive <= y < leave):
                continue
            if y > arrive and rng.random() < 0.12:  # moved since last 1 January
                addr, fam = draw_address(bool(children)), new_family()
            for m in members:
                rows.append({"person": m["person"], "year": y, "address": addr, "family_id": fam})
            for c in children:
                if c["birth"] >= date(y, 1, 1):
                    continue
                age = y - c["birth"].year
                if age >= 19 and rng.random() < 0.5 or c["person"] in own_home:
                    own_home.setdefault(c["person"], (draw_address(False), new_family()))
                    if rng.random() < 0.1:
                        own_home[c["person"]] = (draw_address(False), new_family())
                    a, f = own_home[c["person"]]
                elif c["person"] in apart:
                    a, f = apart_addr, apart_fam
                else:
                    a, f = addr, fam
                rows.append({"person": c["person"], "year": y, "address": a, "family_id": f})
    res = pd.DataFrame(rows)
    res[["street", "number", "letter", "postal_code"]] = pd.DataFrame(res.pop("address").tolist(), index=res.index)
    return People(config, rng, pd.DataFrame(persons), res, small_area, childless_area, pool)


def stock(people: People, year: int) -> pd.DataFrame:
    """The CPR stock on 1 January ``year``: residence joined with the person's attributes."""
    r = people.residence[people.residence.year == year]
    return r.merge(people.persons, on="person")
