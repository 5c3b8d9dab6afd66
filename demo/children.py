"""Children's extracts of the demo municipality: language assessments, daycare, school absence,
9th-grade exams, youth guidance (UU), youth school and placements.

Which area a record belongs to
------------------------------
Every extract of year Y is tied to the CPR stock of **1 January Y** (``residence.year == Y``),
also the school-year sources (school year Y/Y+1 → stock 1 January Y) and the UU status of
1 October Y. One rule for every source keeps the warehouse's join trivial, and the stock of Y
always exists (the stock of Y+1 does not for the last year). The calibration below holds under
exactly this join; a record of a child not in the stock of Y has no area (and no municipality).

Calibration (targets_children.py has the figures with their seed lines)
-------------------------------------------------------------------------
- Sprogvurdering, exact: in 2023, children with AARSAG 'Formodet behov' per area of 1 January
  2023 and result; the whole municipality (2,158) only at full scale, otherwise the non-area
  part is scaled by ``rest_residents / 93,000``. Every 'Formodet behov' assessment is of a child
  in the stock of its year, so counting rows or joining to residence gives the same figure.
- Skolefravær 2023/24, to the published rounding: per area the months-weighted fraværsprocent
  (Σ months × absent days / school days / Σ months) and the months-weighted shares above 10 % and
  (ENV, HSV, Randers) above 15 %, over pupils in the stock of 1 January Y. Pupil counts are too
  small for unweighted shares such as 33,4 %, so a few pupils get fewer months at the school
  (changed school during the year) until the shares print right. Randers Kommune only at full
  scale; 'Alle 7 boligområder' is not a target (inconsistent with the area rows). Other school
  years follow the same targets scaled by a plausible national trend.
- Skolefravær HP2017, exact to one decimal: mean absent days per pupil in 0.-9. klasse in 2015/16
  and 2018/19 for Randers Nordby (and in 2018/19 its pupils at the three schools of "Fra fravær til
  fremmøde"; 15 % of Nordby pupils attend another school), Randers Kommune at full scale.
- UU, exact where the stock allows: in the file of 2024 (status 1 October 2024), persons in the
  stock of 1 January 2024 with AFGANGSAAR 2023 (15 months) and AFGANGSAAR 2024 (started in the
  leaving year), leaving 9th or 10th grade for good; success = STATUS 'I ungdomsuddannelse' or
  'Fuldført ungdomsuddannelse'. A pupil who leaves 9th grade for 10th grade is in that year's
  file with AFGANGSKLASSE 9 and STATUS 'I 10. klasse' and must be left out of both measures (the
  seed's cohorts are too small to include them). Cohort sizes are met by choosing who takes
  10th grade; Randers Kommune (1,100 / 1,176 persons) only at full scale.
- UU HP2017, whole per cent: leavers after 9th grade (not going on to 10th) in a youth education on
  1 October 2016 and 2018, Randers Nordby and the rest of Randers; cohorts fitted via 10th grade.
- Ungdomsskole, to whole per cent: residents of the stock of Y who turn 13-18 in Y, less those placed
  outside the home on 1 September, with an enrolment dated on or before 1 September Y, school year
  2024. Where an area's count cannot print the share, a teenager or two is placed outside the home.
- Dagtilbud HP2017, exact: on 1 January 2016 and 2018, 2-5-year-olds in Nordby's daycare
  institutions and all children in the three NUSSA institutions (seed institutions.csv) number what
  the published shares imply, and PRIMAER_UDFORDRING in that year's file gives the published counts.
- Anbringelser HP2017, exact: Gl. Jennumparken 14 placed children in 2018, 11 in 2019.
- Daycare take-up and 9th-grade exams are steered towards LBF's published levels, not exactly (LBF
  publishes them, the warehouse does not recompute them).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from demo.absence import school_absence
from demo.children_world import world
from demo.daycare import daycare
from demo.model import Population
from demo.placements import placements
from demo.school import exams, language_assessments, tracks
from demo.writers import write_extract
from demo.youth import youth_guidance, youth_school
from ingestion.contract import source


# -------------------------------------------------------------------------------- entry point
def _builders(pop: Population):
    """(source name, frame) one at a time, so a writer never holds every extract at once."""
    w = world(pop)
    tr = tracks(w)
    absence = school_absence(w, tr)
    yield "skolefravaer", absence
    yield "afgangsproever", exams(w, tr, absence)
    del absence
    yield "sprogvurdering", language_assessments(w, tr)
    yield "dagtilbud", daycare(w, tr)
    yield "uu_vejledning", youth_guidance(w, tr)
    placed = placements(w)
    yield "ungdomsskole", youth_school(w, placed)
    yield "anbringelser", placed


def children_frames(pop: Population) -> dict[str, pd.DataFrame]:
    """Every children's extract as one frame per source, with the file year in ``_year``."""
    return dict(_builders(pop))


def write_frames(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    paths = []
    for name, df in frames.items():
        src = source(name)
        for year, part in df.groupby("_year", sort=True):
            paths.append(write_extract(part.reset_index(drop=True), src, int(year), out_dir))
    return paths


def write_children_extracts(pop: Population, out_dir: Path) -> list[Path]:
    paths = []
    for name, df in _builders(pop):
        paths += write_frames({name: df}, Path(out_dir))
    return paths
