"""Plausibility rules added to the declared columns: counts are whole numbers below Denmark's
population, a part never above its whole, shares at most 100 %, and how each source's rows must
agree with the year in the file name."""

from __future__ import annotations

from dataclasses import replace

from ingestion.contract.columns import Column, Source

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


def with_rules(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """The declared sources with their plausibility and period rules."""
    return tuple(
        replace(s, columns=tuple(_plausible(c, s.name) for c in s.columns), yearly=s.name not in _NOT_YEARLY,
                period_check=_PERIOD_CHECKS.get(s.name, ()))
        for s in sources
    )
