"""The simulated demo municipality, as the generator's modules pass it between them.

``population.simulate(config)`` builds a ``Population``; every extract writer in
``ingestion/demo/`` derives its file from it, so all sources describe the same people.

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

import pandas as pd

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

    @classmethod
    def small(cls) -> "DemoConfig":
        """The small demo municipality the test suite runs on."""
        return cls(rest_residents=4_000)

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

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
