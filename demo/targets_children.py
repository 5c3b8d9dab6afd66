"""Published figures the children, jobcenter and intervention extracts are calibrated to.

Sources (OCR text; 003 has mangled æøå):
- 003 = Den boligsociale helhedsplan for Randers 2025-29, /work/shared/seeds/003_3cbb990125211f5b.txt
- 000 = Årsrapport 2019, helhedsplanen for Randers Nordby 2017-21, /work/shared/seeds/000_bf93cabd95a90ce5.txt

Every figure carries ``line``: the seed line it is read from. ``exact`` figures are reproduced
exactly by the generator (counts) or to the published rounding where the definition allows it;
the module that uses a figure says how close it gets and why.
"""

from __future__ import annotations

from demo import published_values as pv

RANDERS = "RANDERS"  # municipality-wide figure (areas included)
ALL_AREAS = "ALL"  # the plan's "Alle 7 boligområder" row
# Rest-of-municipality residents the Randers figures assume (DemoConfig's default).
FULL_REST_RESIDENTS = 93_000

# ---------------------------------------------------------------- Uddannelse og livschancer
# Sprogvurdering 2023, children assessed because of a presumed need (AARSAG 'Formodet behov'),
# counts (Generel, Fokuseret, Særlig). The seed prints counts tested and shares; the counts below
# are the only integers that reproduce each share to one decimal (exact).
LANGUAGE_2023 = {
    "year": 2023,
    "GJP": (17, 2, 18),   # 37 testet: 45,9 / 5,4 / 48,6      line 973-978
    "GLV": (17, 13, 12),  # 42 testet: 40,5 / 31,0 / 28,6     line 980-985
    "HSV": (15, 5, 3),    # 23 testet: 65,2 / 21,7 / 13,0     line 987-992
    "ENV": (10, 3, 4),    # 17 testet: 58,8 / 17,6 / 23,5     line 994-999
    "VGD": (15, 4, 8),    # 27 testet: 55,6 / 14,8 / 29,6     line 1001-1004
    "SJK": (7, 3, 3),     # 13 testet: 53,8 / 23,1 / 23,1     line 1006-1011
    "CRA": (2, 0, 3),     # 5 testet: 40,0 / 0 / 60,0         line 1013-1017
    # Randers Kommune: 2158 testet, 84,5 / 8,8 / 8,9 % (line 1024-1030). The shares sum to 102,2 %,
    # so Fokuseret and Særlig are kept and Generel is the remainder (82,3 %).
    RANDERS: (1776, 190, 192),
    # "Alle 7 boligområder: (141 børn testet) 48,2 / 17,7 / 34,0" (line 967-971) contradicts the area
    # rows (which sum to 164) and is deliberately not reproduced.
    "line": 966,
}

# Fraværsprocent 2023/24 for pupils in 0.-10. klasse (line 1034-1043) and share of pupils with
# more than 10 % absence (line 1044-1053), in %.
ABSENCE_2023 = {
    "year": 2023,
    "mean": {"GJP": 9.8, "GLV": 9.0, "HSV": 11.3, "VGD": 10.0, "ENV": 10.9, "CRA": 9.0, "SJK": 10.8,
             ALL_AREAS: 10.0, RANDERS: 7.8},
    "above_10": {"GJP": 33.4, "GLV": 31.7, "HSV": 31.2, "VGD": 33.7, "ENV": 33.8, "CRA": 27.1, "SJK": 34.3,
                 ALL_AREAS: 33.3, RANDERS: 23.7},
    # Share of pupils with more than 15 % absence (line 851: ENV, HSV; line 1497: Randers, printed
    # "15 % eller mere"). Alle 7 områder is printed twice (16,5 / 14,8) and is not reproduced.
    "above_15": {"ENV": 19.8, "HSV": 22.8, RANDERS: 10.9},
    "national_mean": 7.1,
    "line": 1034,
}

# Youth education 15 months after leaving 9th/10th grade: status October 2024 for leaving year 2023
# (line 1054-1066), (persons, persons in or finished a youth education). Shares printed: GJP 81,3,
# GLV 71,4, VGD 100, ENV 70,0, CRA 100, SJK 60,0, all 7 areas 77,2 (57 persons), Randers 83,2 (1100).
# HSV is garbled in the OCR ("S il e s"); its row follows from the all-areas row: 57 - 51 = 6 persons
# and 44 - 39 = 5 successes (83,3 %).
YOUTH_EDU_15_MONTHS = {
    "status_year": 2024, "leaving_year": 2023,
    "GJP": (16, 13), "GLV": (14, 10), "HSV": (6, 5), "VGD": (5, 5), "ENV": (10, 7), "CRA": (1, 1), "SJK": (5, 3),
    ALL_AREAS: (57, 44), RANDERS: (1100, 915),
    "line": 1054,
}
# Started a youth education in the leaving year: October 2024 for leaving year 2024 (line 1067-1083).
# The all-areas figure is garbled ("\78p ek"); the area rows sum to 76 persons and 60 starters (78,9 %).
YOUTH_EDU_STARTED = {
    "status_year": 2024, "leaving_year": 2024,
    "GJP": (24, 20), "GLV": (16, 12), "HSV": (4, 3), "VGD": (14, 10), "ENV": (5, 5), "CRA": (6, 5), "SJK": (7, 5),
    RANDERS: (1176, 1018),
    "line": 1067,
}

# ---------------------------------------------------------------- Beskæftigelse
# Outside the labour market and on kontanthjælp over October 2023-September 2024 (line 1952-1971):
# benefit_calibration.OUTSIDE_WINDOW and KONTANTHJAELP_WINDOW.
# Mothers of children under 18 living at home on kontanthjælp, status December 2024 (line 1972-1978):
# all 7 areas 79 of 788 (10 %), Randers 227 of 10.873 (2,1 %). Read from the published-values seed
# (n, numerator), so the demo and the fidelity check compare against the same figures.
MOTHERS_INDICATOR = "HP2025_BESK_MOEDRE_KONTANTHJAELP"


def _published_counts(indicator_id: str, period: str) -> dict:
    """{"month", "line", ALL_AREAS: (n, numerator), RANDERS: (n, numerator)} from the seed."""
    counts = pv.counts(indicator_id, period)
    return {"month": period, "line": pv.source_line(indicator_id, period),
            ALL_AREAS: counts["HP2025_ALL"], RANDERS: counts["RANDERS"]}


MOTHERS_KONTANTHJAELP = _published_counts(MOTHERS_INDICATOR, "2024-12")

# ---------------------------------------------------------------- Kriminalitetsforebyggelse
# Share of 13-18-year-olds enrolled in an offer at Randers Ungdomsskole on 1 September 2024, %
# (line 2368-2380), read from the published-values seed.
YOUTH_SCHOOL_2024 = {
    "date": "2024-09-01",
    **pv.by_area("HP2025_KRIM_UNGDOMSSKOLE_13_18", "2024-09"),
    "line": pv.source_line("HP2025_KRIM_UNGDOMSSKOLE_13_18", "2024-09"),
}

# ---------------------------------------------------------------- LBF (through the published file)
# Share of 1-5-year-olds in daycare 2021: calibration.LBF_BASELINES["ANDEL_1_5_I_DAGTILBUD"] (line 647).
# 9th-grade average in Danish and maths: 2023 5,6 vs 6,8; 2022 7,0 vs 7,8 (line 650).
EXAM_AVERAGE = {2023: (5.6, 6.8), 2022: (7.0, 7.8), "line": 650}

# ---------------------------------------------------------------- Aktiviteter
# Årsrapport 2019 (seed 000, proper æøå): participants per activity in 2019, person level.
# (participants, completed, finished) where known; None = not published.
ACTIVITIES_2019 = {
    "BOLIGSOCIALE_MOEDREGRUPPER": {"participants": 25, "completed": 16, "finished": 18, "line": 298},  # "25 beboere ... 89 %"
    "NUSSA": {"participants": 57, "line": 308},  # "7 forløb, hvor 57 børn har deltaget"
    "FRA_FRAVAER_TIL_FREMMOEDE": {"participants": 78, "line": 339},  # "78 børn ... individuelle forløb"
    "FAMILIEKLASSEN": {"participants": 14, "completed": 12, "finished": 14, "line": 369},  # "14 børn ... 12 gennemført"
    "DE_UTROLIGE_AAR": {"participants": 12, "completed": 4, "finished": 5, "line": 383},  # 5 (4 gennemført) + 7 startet
    "RAADGIVNING_OG_MESTRING": {"participants": 29, "line": 454},
    "FRITIDSTJANSEN": {"participants": 22, "completed": 18, "finished": 18, "line": 460},  # 18 TOT + 4 individuelle
    "LEGEPATRULJEN": {"participants": 10, "completed": 10, "finished": 10, "line": 474},
    "BRANDKADET": {"participants": 15, "completed": 4, "finished": 4, "line": 493},  # 4 afsluttet marts, 11 startet
    "MILIFE": {"participants": 128, "line": 501},  # 7. og 8. klasse på Nørrevangsskolen
    "UDDANNELSESTILBUD_TIL_UNGE": {"participants": 5, "completed": 5, "finished": 5, "line": 525},
    "FAMILIEORIENTERET_UDDANNELSESVEJLEDNING": {"participants": 6, "line": 531},
    "HOTSPOT": {"participants": 168, "line": 571},  # "kontakt til 168 børn og unge"
    "TEENAGEGRUPPER": {"participants": 27, "line": 585},  # two groups; 17 girls 10-15 + assumed 10 girls 11-12
    "GO_FERIE": {"participants": 12, "line": 754},  # 12 families
}
# Plan 2025-29: yearly volumes the plan states (seed 003) or, where None, a demo assumption.
ACTIVITIES_2025 = {
    "NPU": {"per_year": None, "ages": (1, 5), "line": 1097},
    "FAMILIEORIENTERET_UDDANNELSESVEJLEDNING": {"per_year": 18, "ages": (14, 15), "line": 1463},  # 15-20 unge fra 8. kl.
    "FREMMOEDE_I_SKOLEN": {"per_year": 35, "ages": (6, 16), "line": 1683},  # ca. 35 børn og unge pr. år
    "TRIVSEL_I_SKOLEN": {"per_year": None, "ages": (6, 16), "line": 1124},
    "FAMILIEDAGE": {"per_year": 12, "ages": (0, 5), "line": 1764},  # ca. 12 familier pr. år
    "SUNDHEDSINDSATS": {"per_year": None, "ages": (0, 17), "line": 1134},
    "TRIVSELSFORLOEB_FOR_FAMILIER": {"per_year": 15, "ages": (0, 17), "line": 1906},  # minimum 15 familier
    "FREMSKUDT_BESKAEFTIGELSE": {"per_year": None, "ages": (18, 64), "line": 1983},
    "JOB_TIL_MOR": {"per_year": None, "ages": (20, 55), "line": 1986},
    "BRANDKADET": {"per_year": 12, "ages": (14, 16), "line": 2521},  # 12 unge årligt
    "LOMMEPENGEJOB": {"per_year": 21, "ages": (13, 17), "line": 2395},  # 11 + 5 (get2sport) + 5 (sommer)
    "TEENAGEGRUPPER": {"per_year": None, "ages": (11, 17), "line": 2700},  # grupper á ca. 10 unge
    "SOCIAL_VICEVAERT": {"per_year": None, "ages": (18, 90), "line": 2936},
    "BROBYGNING_TIL_FORENINGSLIVET": {"per_year": None, "ages": (6, 17), "line": 467},
    "FRITIDSAKTIVITETER": {"per_year": None, "ages": (6, 17), "line": 469},
}

# ---------------------------------------------------------------- HP2017 (Årsrapport 2019, seed 000)
HP2017_AREAS = ("GJP", "GLV", "VGD")  # Randers Nordby
# 9th-grade leavers (not going on to 10th grade) in a youth education on 1 October of the leaving
# year, whole %: Randers Nordby 68 -> 79, Randers Kommune ekskl. Nordbyen 86 -> 93 (line 976-984).
NINTH_GRADE_YOUTH_EDU = {2016: (68, 86), 2018: (79, 93), "line": 976}
# Average absence days per pupil in 0.-9. klasse (line 919-933): (Nordby, Randers Kommune); and
# Nordby pupils at Vestervangs-, Østervangs- and Nørrevangsskolen 2018/19: 14,2 (line 933).
ABSENCE_DAYS = {2015: (14.2, 10.6), 2018: (14.6, 9.9), "line": 919}
ABSENCE_DAYS_THREE_SCHOOLS = {2018: 14.2, "line": 933}
# Daycare, 1 January: 2-5-year-olds in Nordby's institutions whose primary challenge is language,
# (children, share %): 2016 28 / 11 % (the target 9,62 % = 0,9 x 10,69 % gives 262 children),
# 2018 30 / 16 %; the rest of the municipality 5 % in 2018 (line 937-949).
DAYCARE_LANGUAGE = {2016: (28, 11, 262), 2018: (30, 16, 188), "rest_2018": 5, "line": 937}
# The three NUSSA institutions, all children enrolled: language (children, %) and social (children, %)
# (line 954-968). Denominators that fit every share: 2016 200-213, 2018 216-228.
NUSSA = {2016: ((14, 7), (31, 15), 206), 2018: ((8, 4), (14, 6), 222), "line": 954}
# Placed children from Gl. Jennumparken: 14 in 2018, 11 in 2019 (line 1096); fewer in all three areas.
PLACEMENTS_GJP = {2018: 14, 2019: 11, "line": 1096}
