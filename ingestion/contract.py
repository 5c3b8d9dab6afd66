"""The data contract: every source extract the monitoring unit receives, as data.

This module is the single, executable statement of docs/data-contract.md. The pandera
schemas (ingestion/schemas.py), the reader (ingestion/readers.py), the demo generator
(demo/) and the documentation are all derived from it, so a format changes in
exactly one place.

Three kinds of source:
- ``municipal``: Randers Kommune's own person-level extracts, keyed by a pseudonymised
  person key (PNR_PSEUDO). A raw CPR number is never accepted (ingestion/cpr_guard.py).
- ``housing``: the housing organisations' tenancy extracts. RandersBolig (administering
  several organisations) and Lejerbo each deliver their own files with their own codes.
- ``published``: aggregate tables as downloaded from Danmarks Statistik and
  Landsbyggefonden (LBF): wide layouts, Danish number format, suppression markers.

One file per source and year; the file name says which year, and ``period`` says what the
year means for that source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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


def _person(name: str = "PNR_PSEUDO", description: str = "Pseudonymised person key", nullable=False):
    return Column(name, "str", description, nullable=nullable, pattern=PERSON_KEY_PATTERN)


ORIGIN_CODES = ("1", "2", "3", "4", "5")  # DST: dansk, vestl. indv., vestl. eftk., ikke-vestl. indv., ikke-vestl. eftk.
SCHOOL_YEAR_PATTERN = r"^20\d\d/\d\d$"
RANDERSBOLIG_COMPANIES = ("10", "20", "30", "40", "50")  # RandersBolig's own company numbers

MUNICIPAL = "Randers Kommune"

SOURCES: tuple[Source, ...] = (
    # ---------------------------------------------------------------- municipal, person level
    Source(
        name="cpr_befolkning",
        kind="municipal",
        provider=f"{MUNICIPAL}, CPR-udtræk",
        folder="kommune",
        description="Residents of the municipality with address, family links and origin.",
        period="Stock on 1 January of the year.",
        person_level=True,
        keys=("PNR_PSEUDO",),
        columns=(
            _person(),
            Column("FOEDSELSDATO", "date", "Birth date"),
            Column("KOEN", "code", "Sex", codes=("M", "K")),
            Column("VEJNAVN", "str", "Street name of the address on 1 January"),
            Column("HUSNR", "int", "House number", min_value=1, max_value=999),
            Column("HUSBOGSTAV", "str", "House letter", nullable=True, pattern=r"^[A-Z]$"),
            Column("ETAGE", "str", "Floor", nullable=True),
            Column("DOER", "str", "Door", nullable=True),
            Column("POSTNR", "int", "Postal code", min_value=1000, max_value=9999),
            _person("MOR_PNR_PSEUDO", "Mother's person key", nullable=True),
            _person("FAR_PNR_PSEUDO", "Father's person key", nullable=True),
            Column("FAMILIE_ID", "str", "Household (CPR family) identifier", pattern=r"^F\d{8}$"),
            Column("STATSBORGERSKAB", "str", "Citizenship, ISO 3166 alpha-2", pattern=r"^[A-Z]{2}$"),
            Column(
                "OPRINDELSE",
                "code",
                "Origin group (DST): 1 dansk oprindelse, 2 indvandrer fra vestligt land, "
                "3 efterkommer fra vestligt land, 4 indvandrer fra ikke-vestligt land, "
                "5 efterkommer fra ikke-vestligt land",
                codes=ORIGIN_CODES,
            ),
        ),
    ),
    Source(
        name="skolefravaer",
        kind="municipal",
        provider=f"{MUNICIPAL}, elevadministrationssystem",
        folder="kommune",
        description="Absence per pupil and school year, by kind of absence.",
        period="School year starting in August of the year (2023 = skoleåret 2023/24).",
        person_level=True,
        keys=("PNR_PSEUDO", "SKOLE_KODE"),
        columns=(
            _person(),
            Column("SKOLEAAR", "str", "School year, e.g. 2023/24", pattern=SCHOOL_YEAR_PATTERN),
            Column("SKOLE_KODE", "str", "Institution number of the school", pattern=r"^\d{6}$"),
            Column("KLASSETRIN", "int", "Grade (0-10)", min_value=0, max_value=10),
            Column("SKOLEDAGE", "int", "School days while registered", min_value=1, max_value=205),
            Column("MAANEDER_INDSKREVET", "int", "Months registered at the school", min_value=1, max_value=12),
            Column("FRAVAER_SYGDOM", "decimal", "Days absent through illness", min_value=0),
            Column("FRAVAER_LOVLIGT", "decimal", "Days of permitted absence", min_value=0),
            Column("FRAVAER_ULOVLIGT", "decimal", "Days of unlawful absence", min_value=0),
        ),
    ),
    Source(
        name="sprogvurdering",
        kind="municipal",
        provider="Hjernen&Hjertet (Sprogvurdering 3-6), eksport for Randers Kommune",
        folder="kommune",
        description="Language assessments of children aged 3-6 and their result.",
        period="Assessments made in the calendar year.",
        person_level=True,
        encoding="cp1252",  # Hjernen&Hjertet exports Windows-1252
        keys=("PNR_PSEUDO", "VURDERINGSDATO"),
        columns=(
            _person(),
            Column("VURDERINGSDATO", "date", "Date of the assessment"),
            Column("ALDER", "int", "Age in whole years at the assessment", min_value=2, max_value=7),
            Column("INSTITUTION_KODE", "str", "Daycare institution or school number", pattern=r"^\d{6}$"),
            Column(
                "AARSAG",
                "code",
                "Reason for the assessment",
                codes=("Formodet behov", "Alle 3-årige", "Skolestart"),
            ),
            Column(
                "RESULTAT",
                "code",
                "Result: the indsats the child needs",
                codes=("Generel indsats", "Fokuseret indsats", "Særlig indsats"),
            ),
        ),
    ),
    Source(
        name="dagtilbud",
        kind="municipal",
        provider=f"{MUNICIPAL}, pladsanvisning",
        folder="kommune",
        description="Daycare enrolment spells.",
        period="Spells active at some time in the calendar year.",
        person_level=True,
        keys=("PNR_PSEUDO", "INDMELDT"),
        columns=(
            _person(),
            Column("INSTITUTION_KODE", "str", "Daycare institution number", pattern=r"^\d{6}$"),
            Column("TILBUDSTYPE", "code", "Kind of daycare", codes=("Dagpleje", "Vuggestue", "Børnehave", "Integreret")),
            Column(
                "PRIMAER_UDFORDRING",
                "code",
                "The child's primary challenge as registered by the institution (empty: none registered)",
                nullable=True,
                codes=("Sproglig", "Social og miljømæssig", "Motorisk", "Andet"),
            ),
            Column("INDMELDT", "date", "Enrolment date"),
            Column("UDMELDT", "date", "Date the spell ended", nullable=True),
        ),
    ),
    Source(
        name="afgangsproever",
        kind="municipal",
        provider=f"{MUNICIPAL}, karakterdata fra 9. klasses prøver",
        folder="kommune",
        description="Grades at the 9th-grade exams, one row per pupil and discipline.",
        period="Exams at the end of the school year starting in the year (2022 = sommer 2023).",
        person_level=True,
        keys=("PNR_PSEUDO", "FAG", "DISCIPLIN"),
        columns=(
            _person(),
            Column("SKOLEAAR", "str", "School year", pattern=SCHOOL_YEAR_PATTERN),
            Column("SKOLE_KODE", "str", "Institution number of the school", pattern=r"^\d{6}$"),
            Column("SPECIALKLASSE", "code", "Pupil in a special class (excluded from averages)", codes=("J", "N")),
            Column("FAG", "code", "Subject", codes=("Dansk", "Matematik")),
            Column(
                "DISCIPLIN",
                "code",
                "Discipline of the compulsory test",
                codes=("Læsning", "Retskrivning", "Skriftlig fremstilling", "Mundtlig", "Færdighedsregning", "Problemløsning"),
            ),
            Column("KARAKTER", "code", "Grade on the 7-point scale", codes=("-3", "00", "02", "4", "7", "10", "12")),
        ),
    ),
    Source(
        name="jobcenter_ydelser",
        kind="municipal",
        provider=f"{MUNICIPAL}, Jobcenter Randers",
        folder="kommune",
        description="Months on a public benefit, with match group and full-time fraction.",
        period="Benefit months in the calendar year.",
        person_level=True,
        keys=("PNR_PSEUDO", "MAANED", "YDELSE"),
        columns=(
            _person(),
            Column("MAANED", "month", "Benefit month, YYYY-MM"),
            Column(
                "YDELSE",
                "code",
                "Benefit type",
                codes=(
                    "Kontanthjælp",
                    "Uddannelseshjælp",
                    "Selvforsørgelses- og hjemrejseydelse",
                    "Overgangsydelse",
                    "Dagpenge",
                    "Sygedagpenge",
                    "Ressourceforløb",
                    "Jobafklaring",
                    "Ledighedsydelse",
                    "Fleksjob",
                    "Førtidspension",
                    "Revalidering",
                ),
            ),
            Column("MATCHGRUPPE", "code", "Match group (kontanthjælp etc.)", nullable=True, codes=("Jobparat", "Aktivitetsparat")),
            Column("FULDTIDSANDEL", "decimal", "Full-time fraction of the month on the benefit", min_value=0, max_value=1),
        ),
    ),
    Source(
        name="uu_vejledning",
        kind="municipal",
        provider="Ungdommens Uddannelsesvejledning Randers (UUR)",
        folder="kommune",
        description="Education status of young people on 1 October after leaving 9th or 10th grade.",
        period="Status on 1 October of the year.",
        person_level=True,
        keys=("PNR_PSEUDO",),
        columns=(
            _person(),
            Column("AFGANGSAAR", "int", "Year the pupil left 9th or 10th grade", min_value=2005, max_value=2035),
            Column("AFGANGSKLASSE", "code", "Grade left", codes=("9", "10")),
            Column("STATUSDATO", "date", "Date of the status (1 October)"),
            Column(
                "STATUS",
                "code",
                "Education status",
                codes=(
                    "I ungdomsuddannelse",
                    "Fuldført ungdomsuddannelse",
                    "Afbrudt ungdomsuddannelse",
                    "I 10. klasse",
                    "I beskæftigelse",
                    "Andet",
                    "Ukendt",
                ),
            ),
            Column("UDDANNELSE", "code", "Youth education", nullable=True, codes=("STX", "HHX", "HTX", "HF", "EUD", "EUX", "FGU")),
        ),
    ),
    Source(
        name="ungdomsskole",
        kind="municipal",
        provider="Randers Ungdomsskole",
        folder="kommune",
        description="Youth-school enrolments.",
        period="School year starting in August of the year.",
        person_level=True,
        keys=("PNR_PSEUDO", "TILBUD"),
        columns=(
            _person(),
            Column("SKOLEAAR", "str", "School year", pattern=SCHOOL_YEAR_PATTERN),
            Column("TILBUD", "code", "Offer", codes=("Fritidsundervisning", "Klub", "Heltidsundervisning")),
            Column("TILMELDT", "date", "Enrolment date"),
        ),
    ),
    Source(
        name="anbringelser",
        kind="municipal",
        provider=f"{MUNICIPAL}, Familie- og UngeCentret",
        folder="kommune",
        description="Placements of children and young people outside the home.",
        period="Placement spells active at some time in the calendar year.",
        person_level=True,
        keys=("PNR_PSEUDO", "START"),
        columns=(
            _person(),
            Column("START", "date", "Start of the placement"),
            Column("SLUT", "date", "End of the placement", nullable=True),
            Column(
                "ANBRINGELSESSTED",
                "code",
                "Kind of placement",
                codes=("Plejefamilie", "Netværksplejefamilie", "Døgninstitution", "Opholdssted", "Eget værelse"),
            ),
        ),
    ),
    Source(
        name="indsatsdeltagelse",
        kind="municipal",
        provider="Bysekretariatet, deltagerregistrering",
        folder="kommune",
        description="Participation in the plan's activities.",
        period="Participation spells active at some time in the calendar year.",
        person_level=True,
        keys=("PNR_PSEUDO", "AKTIVITET", "START"),
        columns=(
            _person(),
            Column("AKTIVITET", "str", "Activity code", pattern=r"^[A-Z][A-Z0-9_]{1,39}$"),
            Column("START", "date", "Start of participation"),
            Column("SLUT", "date", "End of participation", nullable=True),
            Column("GENNEMFOERT", "code", "Completed the activity", nullable=True, codes=("J", "N")),
        ),
    ),
    # ---------------------------------------------------------------- housing organisations
    Source(
        name="randersbolig_lejemaal",
        kind="housing",
        provider="RandersBolig (administrerer Møllevænget & Storgården, Randers Boligforening af 1940, "
        "Boligforeningen Kronjylland, Randers Andelsboligforening, Randers Arbejderes Byggeforening af 1874)",
        folder="boligorganisationer",
        description="Leases by company, department and address.",
        period="Stock on 1 January of the year.",
        encoding="cp1252",
        keys=("SELSKAB_NR", "AFDELING_NR", "LEJEMAAL_NR"),
        columns=(
            Column("SELSKAB_NR", "code", "RandersBolig's company number", codes=RANDERSBOLIG_COMPANIES),
            Column("AFDELING_NR", "int", "Department number", min_value=1, max_value=999),
            Column("LEJEMAAL_NR", "str", "Lease number within the department", pattern=r"^\d{4}$"),
            Column("VEJNAVN", "str", "Street name"),
            Column("HUSNR", "int", "House number", min_value=1, max_value=999),
            Column("BOGSTAV", "str", "House letter", nullable=True, pattern=r"^[A-Z]$"),
            Column("ETAGE", "str", "Floor", nullable=True),
            Column("DOER", "str", "Door", nullable=True),
            Column("BOLIGTYPE", "code", "Kind of dwelling", codes=("Familie", "Ældre", "Ungdom")),
            Column("ANTAL_RUM", "int", "Rooms", min_value=1, max_value=8),
            Column("AREAL_M2", "decimal", "Floor area in m²", min_value=10, max_value=250),
        ),
    ),
    Source(
        name="randersbolig_flytninger",
        kind="housing",
        provider="RandersBolig",
        folder="boligorganisationer",
        description="Move-ins and move-outs per lease.",
        period="Events in the calendar year.",
        encoding="cp1252",
        keys=("SELSKAB_NR", "AFDELING_NR", "LEJEMAAL_NR", "HAENDELSE", "DATO"),
        columns=(
            Column("SELSKAB_NR", "code", "RandersBolig's company number", codes=RANDERSBOLIG_COMPANIES),
            Column("AFDELING_NR", "int", "Department number", min_value=1, max_value=999),
            Column("LEJEMAAL_NR", "str", "Lease number", pattern=r"^\d{4}$"),
            Column("HAENDELSE", "code", "Event", codes=("Indflytning", "Fraflytning")),
            Column("DATO", "date", "Date of the move"),
            Column("FLYTTETYPE", "code", "External, or internal within the same department", codes=("Ekstern", "Intern")),
            Column("LEJEFORHOLD_START", "date", "Start of the tenancy that ends or begins"),
        ),
    ),
    Source(
        name="randersbolig_udsaettelser",
        kind="housing",
        provider="RandersBolig",
        folder="boligorganisationer",
        description="Eviction cases and whether they were carried out.",
        period="Cases decided in the calendar year.",
        encoding="cp1252",
        keys=("SELSKAB_NR", "AFDELING_NR", "LEJEMAAL_NR", "SAG_DATO"),
        columns=(
            Column("SELSKAB_NR", "code", "RandersBolig's company number", codes=RANDERSBOLIG_COMPANIES),
            Column("AFDELING_NR", "int", "Department number", min_value=1, max_value=999),
            Column("LEJEMAAL_NR", "str", "Lease number", pattern=r"^\d{4}$"),
            Column("SAG_DATO", "date", "Date of the eviction decision"),
            Column("AARSAG", "code", "Reason", codes=("Restance", "Husorden", "Andet")),
            Column("FULDBYRDET", "code", "Eviction carried out", codes=("J", "N")),
        ),
    ),
    Source(
        name="randersbolig_klager",
        kind="housing",
        provider="RandersBolig",
        folder="boligorganisationer",
        description="Neighbour complaints per lease.",
        period="Complaints received in the calendar year.",
        encoding="cp1252",
        keys=("SELSKAB_NR", "AFDELING_NR", "LEJEMAAL_NR", "KLAGE_DATO", "KATEGORI"),
        columns=(
            Column("SELSKAB_NR", "code", "RandersBolig's company number", codes=RANDERSBOLIG_COMPANIES),
            Column("AFDELING_NR", "int", "Department number", min_value=1, max_value=999),
            Column("LEJEMAAL_NR", "str", "Lease number", pattern=r"^\d{4}$"),
            Column("KLAGE_DATO", "date", "Date received"),
            Column("KATEGORI", "code", "Category", codes=("Støj", "Affald", "Chikane", "Husdyr", "Andet")),
        ),
    ),
    Source(
        name="lejerbo_lejemaal",
        kind="housing",
        provider="Lejerbo",
        folder="boligorganisationer",
        description="Lejerbo's leases in Randers. House number and letter come as one field (\"12B\").",
        period="Stock on 1 January of the year.",
        delimiter=",",
        decimal=".",
        date_format="%d-%m-%Y",
        keys=("Afdelingsnr", "Lejemaalsnr"),
        columns=(
            Column("Afdelingsnr", "str", "Lejerbo's department number, zero-padded", pattern=r"^\d{4}$"),
            Column("Lejemaalsnr", "str", "Lease number", pattern=r"^\d{3}-\d{3}$"),
            Column("Vej", "str", "Street name"),
            Column("Husnummer", "str", "House number with optional letter", pattern=r"^\d{1,3}[A-Z]?$"),
            Column("Etage_doer", "str", "Floor and door", nullable=True),
            Column("Boligtype", "code", "Kind of dwelling", codes=("Familiebolig", "Ældrebolig", "Ungdomsbolig")),
            Column("Rum", "int", "Rooms", min_value=1, max_value=8),
            Column("Areal", "decimal", "Floor area in m²", min_value=10, max_value=250),
        ),
    ),
    Source(
        name="lejerbo_flytninger",
        kind="housing",
        provider="Lejerbo",
        folder="boligorganisationer",
        description="Lejerbo's move-ins and move-outs.",
        period="Events in the calendar year.",
        delimiter=",",
        decimal=".",
        date_format="%d-%m-%Y",
        keys=("Afdelingsnr", "Lejemaalsnr", "Haendelse", "Dato"),
        columns=(
            Column("Afdelingsnr", "str", "Department number", pattern=r"^\d{4}$"),
            Column("Lejemaalsnr", "str", "Lease number", pattern=r"^\d{3}-\d{3}$"),
            Column("Haendelse", "code", "Event", codes=("Indflytning", "Fraflytning")),
            Column("Dato", "date", "Date of the move"),
            Column("Flyttetype", "code", "External or internal", codes=("Ekstern", "Intern")),
            Column("Lejeforhold_start", "date", "Start of the tenancy"),
        ),
    ),
    Source(
        name="lejerbo_klager",
        kind="housing",
        provider="Lejerbo",
        folder="boligorganisationer",
        description="Lejerbo's neighbour complaints. Lejerbo delivers no eviction extract.",
        period="Complaints received in the calendar year.",
        delimiter=",",
        decimal=".",
        date_format="%d-%m-%Y",
        keys=("Afdelingsnr", "Lejemaalsnr", "Dato", "Kategori"),
        columns=(
            Column("Afdelingsnr", "str", "Department number", pattern=r"^\d{4}$"),
            Column("Lejemaalsnr", "str", "Lease number", pattern=r"^\d{3}-\d{3}$"),
            Column("Dato", "date", "Date received"),
            Column("Kategori", "code", "Category", codes=("Støj", "Affald", "Chikane", "Husdyr", "Andet")),
        ),
    ),
    # ---------------------------------------------------------------- published aggregates
    Source(
        name="dst_boligomraader",
        kind="published",
        provider="Danmarks Statistik, Boligstatistiske nøgletal (bestilt tabel)",
        folder="publicerede",
        description="Small-area figures for each plan area, Randers Kommune and the whole country, one "
        "row per geography, one column per measure (counts, so that shares can be recomputed).",
        period="Population on 1 January of the year; education status 1 October the year before; "
        "income, charges and convictions for the calendar year before.",
        encoding="cp1252",
        thousands=".",
        markers=DST_MARKERS,
        keys=("OMRAADE",),
        columns=(
            Column("OMRAADE", "str", "Geography: plan area name, 'Randers Kommune', 'Region Midtjylland' or 'Hele landet'"),
            *(
                Column(name, "decimal", desc, min_value=0, markers_allowed=True)
                for name, desc in (
                    ("BEFOLKNING", "Residents"),
                    ("BEF_0_17", "Residents aged 0-17"),
                    ("BEF_IKKEVESTLIG", "Immigrants and descendants of non-western origin"),
                    ("BOERN_ENLIG_FORSOERGER", "Children 0-17 living with a single provider"),
                    ("BEF_15_64", "Residents aged 15-64"),
                    ("BEF_15_64_KUN_GRUNDSKOLE", "Aged 15-64, only basic schooling and not in education"),
                    ("BEF_18_29", "Residents aged 18-29"),
                    ("BEF_18_29_UNGDOMSUDD", "Aged 18-29 with or in a youth education"),
                    ("BEF_30_59", "Residents aged 30-59"),
                    ("BEF_30_59_KUN_GRUNDSKOLE", "Aged 30-59 with only basic schooling"),
                    ("BEF_18_64", "Residents aged 18-64"),
                    ("BEF_18_64_UDEN_TILKNYTNING", "Aged 18-64 without attachment to labour market or education (full-time persons)"),
                    ("BEF_15_29", "Residents aged 15-29"),
                    ("BEF_15_29_SIGTEDE", "Aged 15-29 charged at least once in the year"),
                    ("BEF_20_24", "Residents aged 20-24"),
                    ("BEF_20_24_KUN_GRUNDSKOLE", "Aged 20-24 with only basic schooling and not in education"),
                    ("BEF_18_29_BESKAEFTIGEDE", "Aged 18-29 in employment"),
                    ("BEF_18_64_BESKAEFTIGEDE", "Aged 18-64 in employment"),
                    ("BEF_10_14", "Residents aged 10-14"),
                    ("BEF_10_14_I_DAGTILBUD", "Aged 10-14 enrolled in a fritids- or klubtilbud"),
                    ("SIGTEDE", "Residents charged at least once in the year under straffeloven, våbenloven or "
                                "lov om euforiserende stoffer"),
                    ("BEF_15_PLUS", "Residents aged 15 and over"),
                    ("DOEMTE", "Residents convicted under straffeloven, våbenloven or lov om euforiserende stoffer"),
                    ("GNS_HUSSTANDSINDKOMST", "Average household income, kr"),
                    ("GNS_BRUTTOINDKOMST_15_64", "Average gross income of taxpayers 15-64 not in education, kr"),
                )
            ),
        ),
    ),
    Source(
        name="dst_valgdeltagelse",
        kind="published",
        provider="Danmarks Statistik, valgdeltagelse på adresseniveau (bestilt tabel)",
        folder="publicerede",
        description="Turnout at the election held in the year.",
        period="The election held in the year (only election years are delivered).",
        encoding="cp1252",
        thousands=".",
        markers=DST_MARKERS,
        keys=("OMRAADE", "VALG"),
        columns=(
            Column("OMRAADE", "str", "Geography"),
            Column("VALG", "code", "Election", codes=("Kommunalvalg", "Folketingsvalg", "Europa-Parlamentsvalg")),
            Column("STEMMEBERETTIGEDE", "decimal", "Persons entitled to vote", min_value=0, markers_allowed=True),
            Column("AFGIVNE_STEMMER", "decimal", "Persons who voted", min_value=0, markers_allowed=True),
        ),
    ),
    Source(
        name="lbf_boligsociale_data",
        kind="published",
        provider="Landsbyggefonden, boligsociale data",
        folder="publicerede",
        description="LBF's fixed strategic indicators per plan area and for the municipality. Small "
        "departments are left out; AFDELINGER_MEDREGNET lists the departments included.",
        period="The year the figure refers to (see each measure's definition in the catalogue).",
        markers=LBF_MARKERS,
        keys=("BOLIGOMRAADE",),
        columns=(
            Column("BOLIGOMRAADE", "str", "Plan area, 'Helhedsplanen i alt' or 'Randers Kommune'"),
            Column("AFDELINGER_MEDREGNET", "str", "Departments included, e.g. 'MS 27, MS 28'", nullable=True),
            *(
                Column(name, "decimal", desc, min_value=0, markers_allowed=True)
                for name, desc in (
                    ("ANDEL_1_5_I_DAGTILBUD", "Share of 1-5-year-olds in daycare, %"),
                    ("KARAKTERGNS_DANSK_MATEMATIK", "9th-grade average in Danish and maths"),
                    ("ANDEL_18_29_KUN_GRUNDSKOLE", "Share of 18-29 with only basic schooling, not in education, %"),
                    ("ANDEL_15_29_RESTGRUPPE", "Share of 15-29 neither in education nor work, %"),
                    ("ANDEL_18_64_UDEN_TILKNYTNING", "Share of 18-64 without attachment, %"),
                    ("ANDEL_15_29_SIGTEDE", "Share of 15-29 charged at least once, %"),
                    ("BEF_10_17", "Residents aged 10-17 in the departments covered"),
                    ("BEF_10_17_SIGTEDE", "Aged 10-17 charged at least once in the year"),
                    ("FRAFLYTNINGSPROCENT", "External household move-outs / leases, %"),
                )
            ),
        ),
    ),
    Source(
        name="lbf_tryghedsmaaling",
        kind="published",
        provider="Landsbyggefonden, trivsels- og tryghedsmåling",
        folder="publicerede",
        description="Survey results; only Gl. Jennumparken, Glarbjergvej-området and Hermann "
        "Stillingsvej-området are covered in Randers, plus LBF's reference groups.",
        period="The survey round held in the year.",
        markers=LBF_MARKERS,
        keys=("OMRAADE",),
        columns=(
            Column("OMRAADE", "str", "Area or reference group"),
            Column("ANTAL_INTERVIEWS", "decimal", "Interviews", min_value=0, markers_allowed=True),
            Column("ANDEL_TRYGGE", "decimal", "Share feeling basically safe, %", min_value=0, max_value=100, markers_allowed=True),
            Column("ANDEL_FRIVILLIGE", "decimal", "Share doing voluntary work, %", min_value=0, max_value=100, markers_allowed=True),
            Column("ANDEL_SAVNER_SELSKAB", "decimal", "Share who always or often miss someone to be with, %",
                   min_value=0, max_value=100, markers_allowed=True),
        ),
    ),
)

SOURCES = SOURCES + (
    Source(
        name="nationale_referencer",
        kind="published",
        provider="Danmarks Statistik, Børne- og Undervisningsministeriet (Uddannelsesstatistik) m.fl.",
        folder="publicerede",
        description="National reference figures the plans compare with (e.g. landsgennemsnittet for "
        "elevfravær), one row per measure as published.",
        period="The year of the file; PERIODE gives the measure's own period (e.g. a school year).",
        markers=DST_MARKERS,
        keys=("MAAL",),
        columns=(
            Column("MAAL", "str", "Measure code", pattern=r"^[A-Z][A-Z0-9_]{1,59}$"),
            Column("BESKRIVELSE", "str", "The measure in words (Danish)"),
            Column("PERIODE", "str", "The period the figure refers to, e.g. 2023/24", pattern=r"^\d{4}(/\d{2})?$"),
            Column("VAERDI", "decimal", "The figure", min_value=0, markers_allowed=True),
            Column("KILDE", "str", "Where it is published"),
        ),
    ),
)

# ---------------------------------------------------------------- plausibility
# A count above Denmark's population (or an income above ten million kroner) is a misread number.
MAX_COUNT = 10_000_000
# (source, count) -> the count it is a part of, in the same row: a part above its whole makes a
# share above 100 %
_PARTS = {
    "dst_boligomraader": {
        "BEF_0_17": "BEFOLKNING", "BEF_IKKEVESTLIG": "BEFOLKNING", "BOERN_ENLIG_FORSOERGER": "BEF_0_17",
        "BEF_15_64": "BEFOLKNING", "BEF_15_64_KUN_GRUNDSKOLE": "BEF_15_64", "BEF_18_29": "BEFOLKNING",
        "BEF_18_29_UNGDOMSUDD": "BEF_18_29", "BEF_30_59": "BEFOLKNING", "BEF_30_59_KUN_GRUNDSKOLE": "BEF_30_59",
        "BEF_18_64": "BEFOLKNING", "BEF_18_64_UDEN_TILKNYTNING": "BEF_18_64", "BEF_15_29": "BEFOLKNING",
        "BEF_15_29_SIGTEDE": "BEF_15_29", "BEF_20_24": "BEFOLKNING", "BEF_20_24_KUN_GRUNDSKOLE": "BEF_20_24",
        "BEF_18_29_BESKAEFTIGEDE": "BEF_18_29", "BEF_18_64_BESKAEFTIGEDE": "BEF_18_64", "BEF_10_14": "BEFOLKNING",
        "BEF_10_14_I_DAGTILBUD": "BEF_10_14", "SIGTEDE": "BEFOLKNING", "BEF_15_PLUS": "BEFOLKNING",
        "DOEMTE": "BEFOLKNING",
    },
    "dst_valgdeltagelse": {"AFGIVNE_STEMMER": "STEMMEBERETTIGEDE"},
    "lbf_boligsociale_data": {"BEF_10_17_SIGTEDE": "BEF_10_17"},
}
_COUNTS = {
    "dst_boligomraader": lambda c: not c.startswith(("OMRAADE", "GNS_")),
    "dst_valgdeltagelse": lambda c: c in ("STEMMEBERETTIGEDE", "AFGIVNE_STEMMER"),
    "lbf_boligsociale_data": lambda c: c.startswith("BEF_"),
    "lbf_tryghedsmaaling": lambda c: c == "ANTAL_INTERVIEWS",
}
_PERIOD_CHECKS = {
    "skolefravaer": ("school_year", "SKOLEAAR"),
    "afgangsproever": ("school_year", "SKOLEAAR"),
    "ungdomsskole": ("school_year", "SKOLEAAR"),
    "sprogvurdering": ("date_in_year", "VURDERINGSDATO"),
    "uu_vejledning": ("date_in_year", "STATUSDATO"),
    "jobcenter_ydelser": ("month_in_year", "MAANED"),
    "randersbolig_flytninger": ("date_in_year", "DATO"),
    "randersbolig_udsaettelser": ("date_in_year", "SAG_DATO"),
    "randersbolig_klager": ("date_in_year", "KLAGE_DATO"),
    "lejerbo_flytninger": ("date_in_year", "Dato"),
    "lejerbo_klager": ("date_in_year", "Dato"),
    "dagtilbud": ("spell", "INDMELDT", "UDMELDT"),
    "anbringelser": ("spell", "START", "SLUT"),
    "indsatsdeltagelse": ("spell", "START", "SLUT"),
}
_NOT_YEARLY = {"dst_valgdeltagelse", "lbf_tryghedsmaaling"}


def _plausible(col: Column, source_name: str) -> Column:
    if _COUNTS.get(source_name, lambda c: False)(col.name):
        return replace(col, whole=True, max_value=MAX_COUNT, part_of=_PARTS.get(source_name, {}).get(col.name))
    if col.name.startswith("GNS_"):
        return replace(col, max_value=MAX_COUNT)
    if col.name.startswith("ANDEL_") or col.name == "FRAFLYTNINGSPROCENT":
        return replace(col, max_value=100)  # a share in per cent
    if col.name == "KARAKTERGNS_DANSK_MATEMATIK":
        return replace(col, max_value=12)  # the 7-point scale's top grade
    return col


SOURCES = tuple(
    replace(s, columns=tuple(_plausible(c, s.name) for c in s.columns), yearly=s.name not in _NOT_YEARLY,
            period_check=_PERIOD_CHECKS.get(s.name, ()))
    for s in SOURCES
)

SOURCES_BY_NAME: dict[str, Source] = {s.name: s for s in SOURCES}


def source(name: str) -> Source:
    try:
        return SOURCES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"No source called {name!r} in the data contract") from None
