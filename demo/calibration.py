"""Published figures the demo population is calibrated to, from the plan document: read from the
published-values seeds (``demo.published_values``) where the seeds hold them, transcribed here
where they do not (levels the plan prints in the text without a seed row, e.g. the education
figures, and figures the warehouse does not compute).

Source: Den boligsociale helhedsplan for Randers 2025-29 (/work/shared/seeds/003_3cbb990125211f5b.txt,
OCR text). Every figure carries the seed line it comes from, so a reviewer can check it. Figures
marked ``exact`` are reproduced exactly (counts) or to the published rounding (shares) by
``population.simulate``; the rest steer plausible levels only.

Figures that are not published but that the generator needs (levels in areas the plan gives no
number for) are in ``ASSUMED`` and say so: they are invented for the demo.
"""

from __future__ import annotations

from demo import published_values as pv

SEED = "003_3cbb990125211f5b.txt"
RANDERS = "RANDERS"  # key for municipality-wide targets

# Residents / leases / children under 18 on 1 January 2024 (exact), read from the published-values
# seed (HP2025_PROFIL_BEBOERE, _LEJEMAAL, _BOERN_UNDER_18; "line" is the residents' seed line).
PROFILE_2024 = {
    area: {"residents": int(residents), "leases": int(pv.value("HP2025_PROFIL_LEJEMAAL", area, "2024")),
           "children": int(pv.value("HP2025_PROFIL_BOERN_UNDER_18", area, "2024")),
           "line": pv.source_line("HP2025_PROFIL_BEBOERE", "2024", area)}
    for area, residents in pv.by_area("HP2025_PROFIL_BEBOERE", "2024").items() if area != "HP2025_ALL"
}

# Hermann Stillingsvej-området "ville have været på statens liste ... hvis der blot havde været 23
# flere beboere den 1. januar 2023" (line 269): 1000 - 23 residents on 1 January 2023 (exact).
HSV_RESIDENTS_2023 = {"value": 1000 - 23, "year": 2023, "line": 269}

# Share of residents under 18, Randers Kommune 2024: 19 % (line 262, 732). Exact to whole %.
RANDERS_UNDER_18_2024 = {"value": 0.19, "line": 262}

# Non-western immigrants and descendants, share of residents 2024 (line 748-751). Exact to whole %.
NONWESTERN_SHARE_2024 = {
    "GJP": 0.44, "GLV": 0.34, "VGD": 0.41, "ENV": 0.17, "HSV": 0.19, "SJK": 0.15, "CRA": 0.23,
    RANDERS: 0.07, "line": 748,
}
# Vangdalen "fra 34 % i 2020 til 41 % i 2024" (line 248, 751). Exact to whole %.
NONWESTERN_SHARE_VGD_2020 = {"value": 0.34, "year": 2020, "line": 750}

# Children 0-17 living with a single provider, 2024 (line 870-871; ENV/SJK 59 %). Exact to whole %.
SINGLE_PROVIDER_CHILDREN_2024 = {
    "GLV": 0.42, "GJP": 0.47, "VGD": 0.40, "HSV": 0.47, "ENV": 0.59, "SJK": 0.59, "CRA": 0.57, "line": 870,
}

# Average household income 2023 (DST file 2024) as share of Randers Kommune (line 873-876), read from
# the published-values seed. Energivej-området is printed twice, 56 % (line 869, in the running
# text) and 52 % (line 874, in the list of all seven areas); 52 % is used, the list's figure, as
# for the other six areas (the seed marks both rows seed_consistent = false).
RANDERS_HOUSEHOLD_INCOME_2023 = {"value": int(pv.value("HP2025_PROFIL_HUSSTANDSINDKOMST_KR", RANDERS, "2024")), "line": 873}
HOUSEHOLD_INCOME_RATIO_2023 = {
    **{area: pct / 100 for area, pct in pv.by_area("HP2025_PROFIL_HUSSTANDSINDKOMST_PCT_KOMMUNE", "2024").items()},
    "ENV": pv.value_on_line("HP2025_PROFIL_HUSSTANDSINDKOMST_PCT_KOMMUNE", "ENV", "2024", 874) / 100, "line": 874,
}

# Education, DST Boligstatistiske Nøgletal 2023 (= the dst_boligomraader file of 2023).
# 30-59-year-olds with only basic schooling (line 790-792; HSV line 793). Exact to the printed digits.
ONLY_BASIC_30_59_2023 = {"GJP": 0.63, "GLV": 0.603, "HSV": 0.52, "line": 790}
# 15-64 not in education with only basic schooling (line 775-781; "knap 48 %" ENV, "knap 18 %" Randers).
ONLY_BASIC_15_64_2023 = {
    "GJP": 0.43, "GLV": 0.39, "ENV": 0.475, "VGD": 0.39, "HSV": 0.41, "SJK": 0.32, RANDERS: 0.178, "line": 775,
}
# 18-29 with or in a youth education (line 778-784).
YOUTH_EDUCATION_18_29_2023 = {
    "GJP": 0.62, "GLV": 0.71, "ENV": 0.66, "HSV": 0.63, "VGD": 0.69, "SJK": 0.75, RANDERS: 0.83, "line": 778,
}

# Outside the labour market (18-64, neither job nor education): ENV 57 % in 2024 by the
# municipality's own monitoring (line 289) -> person_year 2024. (GLV 40.6 % and GJP 43.4 % of the
# 2023 parallel-society data, line 1924, are persons.NOT_ATTACHED's 2022 levels.)
ENV_OUTSIDE_LABOUR_MARKET_2024 = {"value": 0.57, "line": 289}

# Centrale Randers: charges "4,5 gange højere end for kommunen som helhed" (line 330): see
# person_calibration.SIGTEDE_RATIO_EXACT_2024.

# LBF boligsociale data: 'Helhedsplanen i alt' vs 'Randers Kommune' (line 641-666).
LBF_BASELINES = {
    "ANDEL_1_5_I_DAGTILBUD": {2021: (94.3, 89.7), "line": 641},
    "KARAKTERGNS_DANSK_MATEMATIK": {2023: (5.6, 6.8), 2022: (7.0, 7.8), "line": 644},
    "ANDEL_18_29_KUN_GRUNDSKOLE": {2023: (34.5, 16.6), "line": 648},
    "ANDEL_15_29_RESTGRUPPE": {2022: (25.9, 15.3), "line": 655},
    "ANDEL_18_64_UDEN_TILKNYTNING": {2022: (38.6, 15.8), "line": 660},
    "ANDEL_15_29_SIGTEDE": {2023: (0.92, 1.81), "line": 666},
}

# LBF trivsels- og tryghedsmåling 2023 (line 670-690): trygge %, frivillige %.
TRYGHED_2023 = {
    "Glarbjergvej-området": (43, 27), "Gl. Jennumparken": (52, 26), "Hermann Stillingsvej-området": (32, 35),
    "198 udvalgte boligområder": (41, None), "Almen sektor": (50, None), "Befolkningen i DK": (60, None),
    "line": 670,
}

# Turnout (line 706-718): helhedsplanens områder vs Randers Kommune.
TURNOUT = {("Kommunalvalg", 2021): (0.437, 0.646), ("Folketingsvalg", 2022): (0.644, 0.821), "line": 708}

# The 2017-21 plan's move-outs in Gl. Jennumparken, Glarbjergvej and Vangdalen together (seed
# 000_bf93cabd95a90ce5.txt line 1047-1049): all move-outs of the year and the move-out percentage
# (per 100 leases on 1 January) with its printed decimals. The move-outs are made exact by swaps of
# dwellings within a department (boligbytte); the percentages imply a lease stock of some 1,700,
# more than the 1,657 of 2024, so the demo lets small leases be merged away in 2019.
HP2017_MOVE_OUTS = {2015: (235, 14, 0), 2018: (265, 15.6, 1), "line": 1047}
HP2017_MERGE_YEAR = 2019  # first year without the merged-away leases (invented for the demo)

# ------------------------------------------------------------------ invented for the demo
ASSUMED = {
    # 30-59 only basic schooling where the plan gives no figure (DST 2023 file).
    "ONLY_BASIC_30_59_2023": {"ENV": 0.56, "VGD": 0.50, "SJK": 0.40, "CRA": 0.50, RANDERS: 0.17},
    # 15-64 / 18-29 for Centrale Randers (the plan has no figure; DST suppresses from 2024).
    "ONLY_BASIC_15_64_2023": {"CRA": 0.42},
    "YOUTH_EDUCATION_18_29_2023": {"CRA": 0.64},
    # Share of children with a single provider in the rest of the municipality.
    "SINGLE_PROVIDER_CHILDREN_REST": 0.22,
    # National share of residents 15+ convicted in a year (for the 'Hele landet' row).
    "NATIONAL_CONVICTED_15_PLUS": 0.0095,
}


def target_rows() -> list[dict]:
    """The exact targets as rows (used by the tests and for documentation)."""
    rows = []
    for area, d in PROFILE_2024.items():
        for measure in ("residents", "leases", "children"):
            rows.append({"area_code": area, "year": 2024, "measure": measure, "value": d[measure], "line": d["line"]})
    rows.append({"area_code": "HSV", "year": 2023, "measure": "residents", "value": HSV_RESIDENTS_2023["value"],
                 "line": HSV_RESIDENTS_2023["line"]})
    return rows
