"""Aggregate tables as downloaded from Danmarks Statistik and Landsbyggefonden, and the national
reference figures: wide layouts, Danish number format, suppression markers."""

from __future__ import annotations

from ingestion.contract.columns import (
    DST_MARKERS,
    LBF_MARKERS,
    Column,
    Source,
)

PUBLISHED_SOURCES: tuple[Source, ...] = (
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
