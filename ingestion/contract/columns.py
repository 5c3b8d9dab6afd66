"""The contract's vocabulary: a column, a source, and the patterns and markers the
declarations share."""


from dataclasses import dataclass, field

# Pseudonymised person keys: 16 lower-case hex characters. Chosen so that no key can be
# mistaken for a CPR number (10 digits), which the CPR guard rejects outright.
PERSON_KEY_PATTERN = r"^[0-9a-f]{16}$"

# Danmarks Statistik's markers in its downloaded tables.
DST_MARKERS = {"..": "suppressed", "-": "not_available"}
# Landsbyggefonden's markers in boligsociale data and the tryghedsmåling.
LBF_MARKERS = {"*": "suppressed", "": "not_available"}


@dataclass(frozen=True)
class Column:
    """One column as it appears in the file."""

    name: str
    dtype: str  # str | int | decimal | date | month | code
    description: str
    nullable: bool = False
    codes: tuple[str, ...] | None = None  # allowed values for dtype "code"
    pattern: str | None = None  # regular expression a str column must match
    min_value: float | None = None
    max_value: float | None = None
    # A published measure may carry the source's suppression markers instead of a number.
    markers_allowed: bool = False
    whole: bool = False  # a count: a whole number (a "1,270" in a count is a misread separator)
    part_of: str | None = None  # a count of some of the persons another column of the row counts


@dataclass(frozen=True)
class Source:
    """One extract: where it comes from, how the file looks and what it holds."""

    name: str  # also the raw table name: raw.<name>
    kind: str  # municipal | housing | published
    provider: str
    folder: str  # sub-folder of the extract folder
    description: str
    period: str  # what the year in the file name means
    columns: tuple[Column, ...]
    keys: tuple[str, ...]  # columns unique together within one file
    encoding: str = "utf-8"
    delimiter: str = ";"
    decimal: str = ","
    thousands: str | None = None
    date_format: str = "%Y-%m-%d"
    markers: dict[str, str] = field(default_factory=dict)
    person_level: bool = False
    # Delivered every year: a year missing inside the delivered range is an error unless declared
    # in manglende_leverancer.csv (ingestion.manifest). Elections and survey rounds are not yearly.
    yearly: bool = True
    # How the rows' own periods must agree with the year in the file name (ingestion.period_rules):
    # ("date_in_year", COLUMN), ("month_in_year", COLUMN), ("school_year", COLUMN) or
    # ("spell", START, END): the spell is active at some time in the year.
    period_check: tuple[str, ...] = ()

    @property
    def file_pattern(self) -> str:
        return f"{self.name}_{{year}}.csv"

    def file_name(self, year: int) -> str:
        return self.file_pattern.format(year=year)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


def person_column(name: str = "PNR_PSEUDO", description: str = "Pseudonymised person key", nullable=False):
    return Column(name, "str", description, nullable=nullable, pattern=PERSON_KEY_PATTERN)


ORIGIN_CODES = ("1", "2", "3", "4", "5")  # DST: dansk, vestl. indv., vestl. eftk., ikke-vestl. indv., ikke-vestl. eftk.
SCHOOL_YEAR_PATTERN = r"^20\d\d/\d\d$"
RANDERSBOLIG_COMPANIES = ("10", "20", "30", "40", "50")  # RandersBolig's own company numbers

MUNICIPAL = "Randers Kommune"

