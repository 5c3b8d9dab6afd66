"""The simulated demo municipality, as the generator's modules pass it between them.

``population.simulate(config)`` builds a ``Population``; every extract writer in
``demo/`` derives its file from it, so all sources describe the same people.

DataFrame columns (all pandas, one row per what the name says):

persons          person_key (str, 16 hex), birth_date (datetime64[ns]), death_date (datetime64, NaT),
                 sex ('M'/'K'), origin ('1'..'5', DST origin groups), citizenship (ISO alpha-2),
                 mother_key, father_key (str or None)
residence        person_key, year (int: the 1 January stock of that year), street, number (int),
                 letter (str or None), floor, door (str or None), postal_code (int),
                 household_id ('F' + 8 digits), area_code (GJP/GLV/HSV/ENV/VGD/SJK/CRA or None),
                 org_code, department_number, lease_id (None outside social housing)
person_year      person_key, year, in_education (bool, 1 October status the year before),
                 highest_education ('grundskole'/'ungdomsudd'/'videregående'),
                 attachment ('job'/'education'/'benefit'/'pension'/'other'),
                 benefit (contract code of jobcenter_ydelser.YDELSE or None),
                 match_group ('Jobparat'/'Aktivitetsparat'/None), fulltime_fraction (0-1),
                 gross_income (kr), charged (bool), convicted (bool)
leases           org_code, department_number, lease_id, street, number, letter, floor, door,
                 dwelling_type, rooms, area_m2   (the lease stock; leases exist every year)
former_leases    the leases columns plus last_year: leases in the stock up to and including
                 1 January of last_year and merged away afterwards (vacant until then)
moves            org_code, department_number, lease_id, year, event ('Indflytning'/'Fraflytning'),
                 date, move_type ('Ekstern'/'Intern'), tenancy_start
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# The warehouse's seeds (area model, departments, institutions, published values): the demo is
# calibrated to the same reference data the models read.
SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

PLAN_AREAS_2025 = ("GJP", "GLV", "HSV", "ENV", "VGD", "SJK", "CRA")
PLAN_AREAS_2017 = ("GJP", "GLV", "VGD")


@dataclass(frozen=True)
class DemoConfig:
    """What to simulate. The plan areas are always simulated at full size so that the
    published area figures are reproduced at any scale; ``rest_residents`` sets the size of
    the rest of the municipality (about 93,000 for Randers, a few thousand for tests)."""

    seed: int = 20250801
    first_year: int = 2011
    last_year: int = 2025
    rest_residents: int = 93_000
    # The data vintage: the day the extracts are taken. Every source's files up to ``last_year``
    # are the delivery of 31 December ``last_year`` whatever the vintage (byte-identical); a later
    # date adds the partial year after it (``demo/vintage.py``) and the school year that
    # ended in June before it. 31 October 2026 = what a monitoring unit holds in November 2026.
    extract_date: str = "2026-10-31"

    @classmethod
    def small(cls) -> DemoConfig:
        """The small demo municipality the test suite runs on."""
        return cls(rest_residents=4_000)

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def extract_day(self):
        import numpy as np  # late: the config itself stays a plain dataclass

        return np.datetime64(self.extract_date, "D")

    @property
    def partial_year(self) -> int | None:
        """The calendar year after ``last_year`` the vintage reaches into, if any."""
        year = int(self.extract_date[:4])
        return year if year > self.last_year else None

    @property
    def last_school_year(self) -> int:
        """The last school year (its starting year) that ended (30 June) by the extract date."""
        year = int(self.extract_date[:4])
        return year - 1 if self.extract_date[5:] >= "06-30" else year - 2

    @property
    def is_full_scale(self) -> bool:
        # Municipality-wide published figures (e.g. 2,158 children assessed in 2023) can only
        # be reproduced when the rest of the municipality has its real size.
        return self.rest_residents >= 90_000


@dataclass
class Population:
    config: DemoConfig
    persons: pd.DataFrame
    residence: pd.DataFrame
    person_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    leases: pd.DataFrame = field(default_factory=pd.DataFrame)
    moves: pd.DataFrame = field(default_factory=pd.DataFrame)
    former_leases: pd.DataFrame = field(default_factory=pd.DataFrame)
    # persons appended last by ``newcomers`` (children in Randers Nordby 2018-2019 only); the
    # children's and job-centre generators, which draw per person position, leave them out
    appended: int = 0
    # The stock of 1 January after ``last_year`` and its move events up to the extract date, for
    # ``vintage`` only: never part of the frames above, so no draw of years <= last_year moves.
    # next_persons holds the persons columns of everyone in next_residence.
    next_residence: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_persons: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_moves: pd.DataFrame = field(default_factory=pd.DataFrame)
