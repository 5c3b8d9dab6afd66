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

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.contract import source
from demo import targets_children as T
from demo.model import PLAN_AREAS_2025, Population
from demo.writers import write_extract

REST = "REST"  # residents outside the plan areas
GROUPS = tuple(PLAN_AREAS_2025) + (REST,)
N_AREAS = len(PLAN_AREAS_2025)
REST_CODE = N_AREAS
NOT_RESIDENT = -1
RESULTS = np.array(["Generel indsats", "Fokuseret indsats", "Særlig indsats"], dtype=object)
NO_DATE = np.datetime64("2200-01-01", "D")
# The delivery of the full years (files up to DemoConfig.last_year): spells still open then are
# delivered without an end. A later vintage (demo/vintage.py) delivers the year after.
EXTRACT_DATE = np.datetime64("2025-12-31", "D")

# Institution numbers come from the warehouse's seed (invented codes; the named institutions are
# those the plans mention), so the generator and the institution groups of the warehouse agree.
INSTITUTIONS_SEED = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "institutions.csv"


def _institutions() -> pd.DataFrame:
    df = pd.read_csv(INSTITUTIONS_SEED, dtype=str, encoding="utf-8")
    for col in ("is_nussa_2017", "is_fravaer_skole_2017", "is_nordby_daginstitution_2017"):
        df[col] = df[col].str.lower() == "true"
    return df


_INST = _institutions()
_CODE = dict(zip(_INST["institution_name"], _INST["institution_code"]))
_DAYCARE_NAMES = {
    "GJP": ("Børnehuset Jennumparken", "KFUM's Børnehus", "Børnehuset Platangården", "Børnehuset Mælkevejen"),
    "GLV": ("Børnehuset Lervangen", "Børnehaven Glentevej", "Børnehuset Platangården"),
    "VGD": ("Børnehuset Hørhaven", "Børnehuset Vangdalen", "Børnehuset Mælkevejen"),
    "HSV": ("Børnehuset Bækkestien", "Børnehuset Midgård"),
    "ENV": ("Huset Nyvang", "Børnehuset Lervangen"),
    "SJK": ("Børnehuset Elmehaven",),
    "CRA": ("Børnehuset Elmehaven", "Børnehuset Bækkestien", "Børnehuset Midgård"),
}
DAYCARES = {a: tuple(_CODE[n] for n in names) for a, names in _DAYCARE_NAMES.items()}
_named = {c for codes in DAYCARES.values() for c in codes}
DAYCARES[REST] = tuple(c for c, k in zip(_INST["institution_code"], _INST["institution_kind"])
                       if k == "daginstitution" and c not in _named)
NUSSA_DAYCARES = tuple(_INST.loc[_INST["is_nussa_2017"], "institution_code"])
NORDBY_DAYCARES = tuple(_INST.loc[_INST["is_nordby_daginstitution_2017"], "institution_code"])
_SCHOOL_0_6 = {"GJP": "Nørrevangsskolen", "GLV": "Nørrevangsskolen", "VGD": "Vestervangsskolen",
               "HSV": "Østervangskolen", "ENV": "Hobrovejens Skole", "SJK": "Hobrovejens Skole",
               "CRA": "Østervangskolen"}
_SCHOOL_7_9 = {"GJP": "Nørrevangsskolen", "GLV": "Nørrevangsskolen", "VGD": "Vestervangsskolen",
               "HSV": "Rismølleskolen", "ENV": "Vestervangsskolen", "SJK": "Vestervangsskolen",
               "CRA": "Rismølleskolen"}
SCHOOLS_0_6 = {a: _CODE[n] for a, n in _SCHOOL_0_6.items()}
SCHOOLS_7_9 = {a: _CODE[n] for a, n in _SCHOOL_7_9.items()}
TENTH_GRADE_CENTRE = _CODE["10. klasse-center Randers"]
_named = set(SCHOOLS_0_6.values()) | set(SCHOOLS_7_9.values()) | {TENTH_GRADE_CENTRE}
REST_SCHOOLS = tuple(c for c, k in zip(_INST["institution_code"], _INST["institution_kind"])
                     if k == "skole" and c not in _named)
# Share of Nordby pupils at a school outside the three of "Fra fravær til fremmøde" (free schools,
# special schools), so the three-school group of HP2017 is not all of Nordby.
NORDBY_OTHER_SCHOOL = 0.15


# ------------------------------------------------------------------------------------ shared
def rng_for(pop: Population, name: str) -> np.random.Generator:
    """A generator per extract, so adding one source never changes another's numbers."""
    return np.random.default_rng(np.random.SeedSequence([pop.config.seed, zlib.crc32(name.encode())]))


def rest_factor(pop: Population) -> float:
    """How many real non-area residents one simulated non-area resident stands for."""
    return 1.0 if pop.config.is_full_scale else T.FULL_REST_RESIDENTS / pop.config.rest_residents


def ymd(d: np.ndarray):
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    return y.astype(np.int64) + 1970, (m - y.astype("datetime64[M]")).astype(np.int64) + 1, (d - m.astype("datetime64[D]")).astype(np.int64) + 1


def add_months(d: np.ndarray, n) -> np.ndarray:
    """Same day n months later (day clipped into the month by numpy's overflow: 31 Jan + 1 → 3 Mar)."""
    m = d.astype("datetime64[M]")
    return (m + np.asarray(n, dtype=np.int64)).astype("datetime64[D]") + (d - m.astype("datetime64[D]"))


def age_on(birth: np.ndarray, when) -> np.ndarray:
    by, bm, bd = ymd(birth)
    wy, wm, wd = ymd(np.broadcast_to(np.asarray(when, dtype="datetime64[D]"), birth.shape))
    return wy - by - ((wm * 32 + wd) < (bm * 32 + bd))


def jan1(years) -> np.ndarray:
    """1 January of each year in ``years``."""
    return (np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]")


def day(year: int, month: int = 1, dom: int = 1) -> np.datetime64:
    return np.datetime64(f"{year:04d}-{month:02d}-{dom:02d}", "D")


def uniform_dates(rng, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A uniform day in [lo, hi] per element."""
    span = (hi - lo).astype(np.int64) + 1
    return lo + np.floor(rng.random(len(lo)) * span).astype(np.int64)


def split_counts(total: int, shares) -> np.ndarray:
    """Largest-remainder split of ``total`` by ``shares``."""
    shares = np.asarray(shares, dtype=float)
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


@dataclass
class World:
    """The population as arrays indexed by person (row of ``pop.persons``)."""

    pop: Population
    key: np.ndarray
    birth: np.ndarray  # datetime64[D]
    death: np.ndarray  # datetime64[D], NO_DATE when alive
    sex: np.ndarray
    nonwestern: np.ndarray  # bool
    mother: np.ndarray  # person index of the mother, -1 when unknown
    group: np.ndarray  # int8 [person, year - first_year]: area code 0-6, REST_CODE, NOT_RESIDENT
    first_year: int
    last_year: int
    cache: dict = field(default_factory=dict)  # derived arrays other modules reuse

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def group_in(self, year: int) -> np.ndarray:
        if year < self.first_year or year > self.last_year:
            return np.full(len(self.key), NOT_RESIDENT, dtype=np.int8)
        return self.group[:, year - self.first_year]


_WORLDS: dict[int, World] = {}


def world(pop: Population) -> World:
    cached = _WORLDS.get(id(pop))
    if cached is not None and cached.pop is pop:
        return cached
    # the persons appended last (``Population.appended``) would move every draw made per position
    persons = pop.persons.iloc[: len(pop.persons) - pop.appended]
    key = persons["person_key"].to_numpy(dtype=object)
    index = pd.Index(key)
    birth = persons["birth_date"].to_numpy().astype("datetime64[D]")
    death = persons["death_date"].to_numpy().astype("datetime64[D]")
    death = np.where(np.isnat(death), NO_DATE, death)
    mother = index.get_indexer(persons["mother_key"].astype(object).where(persons["mother_key"].notna(), None))
    first, last = pop.config.first_year, pop.config.last_year
    group = np.full((len(key), last - first + 1), NOT_RESIDENT, dtype=np.int8)
    res = pop.residence
    pidx = index.get_indexer(res["person_key"])
    code = pd.Categorical(res["area_code"], categories=list(PLAN_AREAS_2025)).codes.astype(np.int8)
    code = np.where(code < 0, REST_CODE, code).astype(np.int8)
    yi = res["year"].to_numpy(dtype=np.int64) - first
    ok = (pidx >= 0) & (yi >= 0) & (yi <= last - first)
    group[pidx[ok], yi[ok]] = code[ok]
    w = World(pop, key, birth, death, persons["sex"].to_numpy(dtype=object),
              persons["origin"].isin(["4", "5"]).to_numpy(), mother, group, first, last)
    _WORLDS.clear()
    _WORLDS[id(pop)] = w
    return w


def _frame(w: World, idx: np.ndarray, year: int, **cols) -> pd.DataFrame:
    return pd.DataFrame({"PNR_PSEUDO": w.key[idx], **cols, "_year": year})


# ------------------------------------------------------------------------------ school tracks
@dataclass
class Tracks:
    start: np.ndarray  # year the child starts 0. klasse (August)
    tenth: np.ndarray  # takes 10th grade
    special: np.ndarray  # in a special class
    ability: np.ndarray  # latent school ability (N(0,1))
    drive: np.ndarray  # latent propensity for youth education (U(0,1); low = more likely)

    def leaving_year(self) -> np.ndarray:
        """Calendar year the pupil leaves basic schooling for good (summer)."""
        return self.start + 10 + self.tenth


def _grade(tr: Tracks, year: int) -> np.ndarray:
    """Grade in the school year starting August ``year``; -1 when not a pupil."""
    g = year - tr.start
    ok = ((g >= 0) & (g <= 9)) | ((g == 10) & tr.tenth)
    return np.where(ok, g, -1)


def tracks(w: World) -> Tracks:
    rng = rng_for(w.pop, "school_tracks")
    n = len(w.key)
    by, bm, _ = ymd(w.birth)
    # Late-born children start a year later more often (skoleudsættelse).
    delay = np.where(rng.random(n) < np.where(bm >= 10, 0.15, 0.04), 1, 0)
    delay = np.where(rng.random(n) < 0.004, -1, delay)
    ever_area = (w.group[:, :] >= 0).any(axis=1) & ((w.group < N_AREAS) & (w.group >= 0)).any(axis=1)
    tenth = rng.random(n) < np.where(ever_area, 0.42, 0.50)
    special = rng.random(n) < np.where(ever_area, 0.06, 0.035)
    ability = rng.standard_normal(n)
    drive = rng.random(n)
    tr = Tracks(by + 6 + delay, tenth, special, ability, drive)
    _calibrate_cohorts(w, tr, rng)
    _calibrate_ninth_grade(w, tr, rng_for(w.pop, "school_tracks_hp2017"))
    return tr


HP2017_CODES = tuple(PLAN_AREAS_2025.index(a) for a in T.HP2017_AREAS)


def _whole_pct_k(n: int, pct: float) -> int | None:
    """A count k with k/n printed as ``pct`` whole per cent (off the rounding edge), else None."""
    for k in sorted(range(n + 1), key=lambda k: abs(k - pct / 100 * n)):
        if abs(100 * k / n - pct) < 0.499:
            return k
    return None


def _ninth_grade_groups(w: World, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(Randers Nordby, rest of Randers) residents of 1 January ``year`` alive on 1 October."""
    g = w.group_in(year)
    alive = w.death > day(year, 10, 1)
    nordby = np.isin(g, HP2017_CODES) & alive
    return nordby, (g >= 0) & ~nordby & alive


def _calibrate_ninth_grade(w: World, tr: Tracks, rng) -> None:
    """HP2017's 9th-grade measure: choose who goes on to 10th grade so that the number leaving for good
    after 9th grade in 2016 and 2018 allows the published whole-per-cent shares (k/n)."""
    for year, targets in T.NINTH_GRADE_YOUTH_EDU.items():
        if not isinstance(year, int) or not (w.first_year <= year <= w.last_year):
            continue
        for mask, pct in zip(_ninth_grade_groups(w, year), targets):
            members = np.flatnonzero(mask & (tr.start + 10 == year))
            leavers = members[~tr.tenth[members]]
            n = len(leavers)
            # nearest feasible cohort size, preferring small moves
            for d in sorted(range(-min(n - 1, 12), 13), key=abs):
                if 0 < n + d <= len(members) and _whole_pct_k(n + d, pct) is not None:
                    break
            if d < 0:
                tr.tenth[rng.choice(leavers, -d, replace=False)] = True
            elif d > 0:
                tr.tenth[rng.choice(members[tr.tenth[members]], d, replace=False)] = False


def _youth_edu_targets(w: World, status_year: int, spec: dict) -> dict[int, int]:
    """Cohort size per group code for one of the UU measures of ``status_year``."""
    out = {i: spec[a][0] for i, a in enumerate(PLAN_AREAS_2025)}
    if w.pop.config.is_full_scale:
        out[REST_CODE] = spec[T.RANDERS][0] - sum(spec[a][0] for a in PLAN_AREAS_2025)
    return out


def _calibrate_cohorts(w: World, tr: Tracks, rng) -> None:
    """Choose who takes 10th grade (and, if that is not enough, who started school a year early
    or late) so that the stock of 1 January 2024 holds exactly the seed's numbers of persons
    leaving basic schooling in 2023 and in 2024, per area (and for Randers at full scale).

    Leaving year L = start + 10 + tenth. Persons are moved between L=2023, L=2024 and any other
    year at the smallest cost: flipping 10th grade costs 1, moving the school start by a year 3;
    the start stays within a year of the usual age (6 in the year of school start).
    """
    year = YOUTH_STATUS_YEAR
    if not (w.first_year <= year <= w.last_year):
        return
    g = w.group_in(year)
    alive = w.death > day(year, 10, 1)
    by = ymd(w.birth)[0]
    t23 = _youth_edu_targets(w, year, T.YOUTH_EDU_15_MONTHS)
    t24 = _youth_edu_targets(w, year, T.YOUTH_EDU_STARTED)
    lv23, lv24 = T.YOUTH_EDU_15_MONTHS["leaving_year"], T.YOUTH_EDU_STARTED["leaving_year"]
    for code in t23:
        members = np.flatnonzero((g == code) & alive & (np.abs(by + 16 - lv23) <= 3))
        targets = {lv23: t23[code], lv24: t24[code]}

        def count(L):
            return int((tr.start[members] + 10 + tr.tenth[members] == L).sum())

        # First swap between the two cohorts, then fill from / empty into other years.
        for src, dst in ((lv24, lv23), (lv23, lv24), (None, lv23), (None, lv24), (lv23, None), (lv24, None)):
            if dst is not None:
                k = targets[dst] - count(dst)
                if src is not None:
                    k = min(k, count(src) - targets[src])
            else:
                k = count(src) - targets[src]
            if k > 0:
                _move_leavers(rng, tr, members, by[members], src, dst, k, (lv23, lv24))


def _move_leavers(rng, tr: Tracks, members, birth_year, src, dst, k: int, fixed: tuple[int, int]) -> None:
    """Move ``k`` members from leaving year ``src`` (None: any year but ``fixed``) to ``dst``
    (None: the nearest year outside ``fixed``), cheapest first."""
    L = tr.start[members] + 10 + tr.tenth[members]
    cand = np.isin(L, fixed, invert=True) if src is None else L == src
    best_cost = np.full(len(members), np.inf)
    best_s, best_t = tr.start[members].copy(), tr.tenth[members].copy()
    for ds in (-1, 0, 1):
        for t in (False, True):
            s = birth_year + 6 + ds
            new_l = s + 10 + t
            ok = np.isin(new_l, fixed, invert=True) if dst is None else new_l == dst
            cost = 3 * np.abs(s - tr.start[members]) + (t != tr.tenth[members]) + rng.random(len(members)) * 0.5
            better = cand & ok & (cost < best_cost)
            best_cost = np.where(better, cost, best_cost)
            best_s = np.where(better, s, best_s)
            best_t = np.where(better, t, best_t)
    order = np.argsort(best_cost, kind="stable")
    chosen = order[: min(k, int(np.isfinite(best_cost).sum()))]
    tr.start[members[chosen]] = best_s[chosen]
    tr.tenth[members[chosen]] = best_t[chosen]


# -------------------------------------------------------------------------- sprogvurdering
LANGUAGE_YEAR = T.LANGUAGE_2023["year"]


def _language_targets(w: World) -> dict[int, np.ndarray]:
    out = {i: np.array(T.LANGUAGE_2023[a]) for i, a in enumerate(PLAN_AREAS_2025)}
    rest = np.array(T.LANGUAGE_2023[T.RANDERS]) - sum(out.values())
    if not w.pop.config.is_full_scale:
        rest = split_counts(int(round(rest.sum() / rest_factor(w.pop))), rest)
    out[REST_CODE] = rest
    return out


def _language_trend(year: int) -> float:
    # Assessments for a presumed need grew as the municipality's language work was built up.
    return float(np.interp(year, [2011, 2020, 2025], [0.7, 1.0, 1.02]))


def language_assessments(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "sprogvurdering")
    targets = _language_targets(w)
    area_pool = sum(targets[i] for i in range(N_AREAS)) / sum(targets[i].sum() for i in range(N_AREAS))
    probs = {}
    for code, t in targets.items():
        own = t / max(t.sum(), 1)
        probs[code] = own if code == REST_CODE else 0.5 * own + 0.5 * area_pool
    daycare = _daycare_code(w)
    years = [LANGUAGE_YEAR] + [y for y in w.years if y != LANGUAGE_YEAR]  # 2023 first: sets the rates
    rate: dict[int, float] = {}
    frames = []
    for year in years:
        g = w.group_in(year)
        jan1, last = day(year), day(year, 12, 20)
        hi = np.minimum(np.minimum(last, add_months(w.birth, 84) - 1), w.death - 1)
        lo_norm = np.maximum(jan1, add_months(w.birth, 33))
        lo_ext = np.maximum(jan1, add_months(w.birth, 24))  # ALDER 2 is allowed by the contract
        norm = (g >= 0) & (lo_norm <= hi)
        ext = (g >= 0) & (lo_ext <= hi) & ~norm
        weight = np.where(w.nonwestern, 2.5, 1.0)
        picked, lo_used, result = [], [], []
        for code in range(len(GROUPS)):
            cand = np.flatnonzero(norm & (g == code))
            spare = np.flatnonzero(ext & (g == code))
            if year == LANGUAGE_YEAR:
                counts = targets[code]
                n = int(counts.sum())
                rate[code] = min(0.85, n / max(len(cand), 1))
            else:
                n = int(round(len(cand) * rate[code] * _language_trend(year) / _language_trend(LANGUAGE_YEAR)))
                counts = None
            if n > len(cand) + len(spare):
                if year == LANGUAGE_YEAR:
                    raise ValueError(f"sprogvurdering {year}: {GROUPS[code]} has {len(cand) + len(spare)} "
                                     f"children aged 2-6 in the stock, the seed needs {n}")
                n = len(cand) + len(spare)
            take = min(n, len(cand))
            p = weight[cand] / weight[cand].sum() if len(cand) else None
            sel = rng.choice(cand, take, replace=False, p=p) if take else cand[:0]
            lo = lo_norm[sel]
            if n > take:
                extra = rng.choice(spare, n - take, replace=False)
                sel, lo = np.concatenate([sel, extra]), np.concatenate([lo, lo_ext[extra]])
            if counts is None:
                counts = rng.multinomial(n, probs[code])
            picked.append(sel)
            lo_used.append(lo)
            result.append(rng.permutation(np.repeat(np.arange(3), counts)))
        sel = np.concatenate(picked)
        when = uniform_dates(rng, np.concatenate(lo_used), hi[sel])
        frames.append(_frame(w, sel, year, VURDERINGSDATO=when, ALDER=age_on(w.birth[sel], when),
                             INSTITUTION_KODE=daycare[sel], AARSAG="Formodet behov",
                             RESULTAT=RESULTS[np.concatenate(result)]))
        # Every child turning 3 is assessed around the birthday ('Alle 3-årige') ...
        bday3 = add_months(w.birth, 36)
        three = np.flatnonzero((g >= 0) & (bday3 >= jan1) & (bday3 <= day(year, 12, 31)) & (rng.random(len(g)) < 0.88))
        when = np.minimum(bday3[three] + rng.integers(0, 90, len(three)), day(year, 12, 31))
        keep = when < w.death[three]
        three, when = three[keep], when[keep]
        frames.append(_frame(w, three, year, VURDERINGSDATO=when, ALDER=3, INSTITUTION_KODE=daycare[three],
                             AARSAG="Alle 3-årige", RESULTAT=_draw_results(rng, g[three], (0.70, 0.15, 0.15), (0.86, 0.09, 0.05))))
        # ... and every school starter in the autumn of 0. klasse ('Skolestart').
        start = np.flatnonzero((g >= 0) & (tr.start == year) & (rng.random(len(g)) < 0.93))
        when = uniform_dates(rng, np.full(len(start), day(year, 8, 20)), np.full(len(start), day(year, 10, 31)))
        keep = when < w.death[start]
        start, when = start[keep], when[keep]
        frames.append(_frame(w, start, year, VURDERINGSDATO=when, ALDER=np.clip(age_on(w.birth[start], when), 2, 7),
                             INSTITUTION_KODE=_school_code(w, start, g[start], 0),
                             AARSAG="Skolestart", RESULTAT=_draw_results(rng, g[start], (0.66, 0.17, 0.17), (0.85, 0.09, 0.06))))
    df = pd.concat(frames, ignore_index=True)
    df["VURDERINGSDATO"] = pd.to_datetime(df["VURDERINGSDATO"])
    # One assessment per child and day; 'Formodet behov' rows come first and are kept.
    df = df.drop_duplicates(["PNR_PSEUDO", "VURDERINGSDATO"], keep="first")
    return df.sort_values(["_year", "VURDERINGSDATO", "PNR_PSEUDO"], kind="stable").reset_index(drop=True)


def _draw_results(rng, groups: np.ndarray, area_p, rest_p) -> np.ndarray:
    u = rng.random(len(groups))
    p = np.where((groups == REST_CODE)[:, None], np.array(rest_p)[None, :], np.array(area_p)[None, :])
    cum = np.cumsum(p, axis=1)
    return RESULTS[(u[:, None] > cum[:, :2]).sum(axis=1)]


def _stable_pick(w: World, idx: np.ndarray, n_options: int, salt: int) -> np.ndarray:
    """A fixed choice per person (same institution every year) without drawing random numbers."""
    return (idx * 2654435761 + salt) % 2**31 % n_options


def _daycare_code(w: World) -> np.ndarray:
    """Each child's daycare institution, from the group it first lived in."""
    g = w.group
    first = np.where((g >= 0).any(axis=1), np.argmax(g >= 0, axis=1), 0)
    home = g[np.arange(len(g)), first]
    out = np.empty(len(g), dtype=object)
    idx = np.arange(len(g))
    for code, name in enumerate(GROUPS):
        m = home == code
        opts = np.array(DAYCARES[name], dtype=object)
        out[m] = opts[_stable_pick(w, idx[m], len(opts), 17)]
    out[home < 0] = DAYCARES[REST][0]
    return out


def _school_code(w: World, idx: np.ndarray, groups: np.ndarray, grade) -> np.ndarray:
    grade = np.broadcast_to(np.asarray(grade), idx.shape)
    out = np.array(REST_SCHOOLS, dtype=object)[_stable_pick(w, idx, len(REST_SCHOOLS), 3)]
    other = _stable_pick(w, idx, 1000, 11) < NORDBY_OTHER_SCHOOL * 1000
    for code, area in enumerate(PLAN_AREAS_2025):
        m = (groups == code) & ~(other & np.isin(groups, HP2017_CODES))
        out[m] = np.where(grade[m] <= 6, SCHOOLS_0_6[area], SCHOOLS_7_9[area])
    out[grade == 10] = TENTH_GRADE_CENTRE
    return out


# ----------------------------------------------------------------------------- skolefravær
ABSENCE_YEAR = T.ABSENCE_2023["year"]
# The last school year delivered is the last one ended by the extract date (DemoConfig.last_school_year):
# 2024/25 for the vintage of 31 December 2025, 2025/26 for 31 October 2026. It is drawn last, on
# the stock of 1 January of its first year like every school year, so earlier years never move.


def _absence_trend(year: int) -> float:
    """Absence relative to 2023/24: lower before covid, a peak in 2021/22 (national pattern)."""
    return float(np.interp(year, [2011, 2019, 2020, 2021, 2022, 2023, 2024], [0.78, 0.86, 0.84, 1.06, 1.03, 1.0, 0.98]))


def _calibrated_rates(rng, months: np.ndarray, mean: float, share: float, risk: np.ndarray) -> np.ndarray:
    """Absence rates (%) whose months-weighted mean is ``mean`` and of which round(share × N) exceed 10 %."""
    n = len(months)
    if n == 0:
        return np.zeros(0)
    k = int(round(share / 100 * n))
    high = np.zeros(n, dtype=bool)
    p = risk / risk.sum()
    high[rng.choice(n, k, replace=False, p=p)] = True
    low_r = 9.8 * rng.beta(1.3, 2.2, n)
    excess = rng.gamma(1.3, 6.0, n) + 0.05
    m = months.astype(float)
    M = m.sum()
    base_high = 10.1
    lo_sum = (m * low_r)[~high].sum()
    need = mean * M - base_high * m[high].sum()
    ex_sum = (m * excess)[high].sum()
    if k and need - lo_sum > 0.2 * ex_sum:
        a = (need - lo_sum) / ex_sum
        rates = np.where(high, base_high + a * excess, low_r)
    else:  # the share alone nearly reaches the mean: keep the high group low, scale the low group
        rates = np.where(high, base_high + 0.2 * excess, low_r)
        rest = mean * M - (m * rates)[high].sum()
        if lo_sum > 0:
            rates = np.where(high, rates, np.minimum(low_r * max(rest, 0) / lo_sum, 9.8))
    # Nobody misses more than 95 % of the days; the mean is restored when days are rounded.
    return np.minimum(rates, 95.0)


def _absence_targets(w: World, year: int, months_by_group: dict[int, float], n_by_group: dict[int, int]):
    f = _absence_trend(year)
    mean = {i: T.ABSENCE_2023["mean"][a] * f for i, a in enumerate(PLAN_AREAS_2025)}
    share = {i: min(T.ABSENCE_2023["above_10"][a] * f ** 1.3, 60.0) for i, a in enumerate(PLAN_AREAS_2025)}
    k = rest_factor(w.pop)
    Ma = sum(months_by_group.get(i, 0) for i in range(N_AREAS))
    Na = sum(n_by_group.get(i, 0) for i in range(N_AREAS))
    Mr, Nr = k * months_by_group.get(REST_CODE, 0), k * n_by_group.get(REST_CODE, 0)
    if Mr:
        R_mean = T.ABSENCE_2023["mean"][T.RANDERS] * f
        R_share = T.ABSENCE_2023["above_10"][T.RANDERS] * f ** 1.3
        mean[REST_CODE] = (R_mean * (Ma + Mr) - sum(mean[i] * months_by_group.get(i, 0) for i in range(N_AREAS))) / Mr
        share[REST_CODE] = (R_share * (Na + Nr) - sum(share[i] * n_by_group.get(i, 0) for i in range(N_AREAS))) / Nr
    return mean, share


def school_absence(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "skolefravaer")
    n = len(w.key)
    frames = []
    for year in range(w.first_year, min(w.last_year, w.pop.config.last_school_year) + 1):
        grade = _grade(tr, year)
        g0, g1 = w.group_in(year), w.group_in(year + 1)
        if year + 1 > w.last_year:
            g1 = g0
        pupil = (grade >= 0) & (w.death > day(year, 8, 1))
        moved_day = day(year) + rng.integers(0, 365, n)  # when a leaver left / an arrival came
        _, moved_month, _ = ymd(moved_day)
        months = np.zeros(n, dtype=np.int64)
        stay = pupil & (g0 >= 0) & (g1 >= 0)
        months[stay] = 12
        left = pupil & (g0 >= 0) & (g1 < 0) & (moved_month >= 8)
        months[left] = moved_month[left] - 7
        came = pupil & (g0 < 0) & (g1 >= 0)
        months[came] = np.where(moved_month[came] <= 8, 12, 20 - moved_month[came])
        # A few pupils change school within the year and so have fewer months at this one.
        part = stay & (rng.random(n) < 0.03)
        months[part] = rng.integers(3, 12, part.sum())
        idx = np.flatnonzero(months > 0)
        group = np.where(g0[idx] >= 0, g0[idx], REST_CODE)  # arrivals behave like the rest of Randers
        calib = g0[idx] >= 0
        m = months[idx]
        mg = {c: float(m[calib & (group == c)].sum()) for c in range(len(GROUPS))}
        ng = {c: int((calib & (group == c)).sum()) for c in range(len(GROUPS))}
        risk = 1.0 + 0.08 * grade[idx] + 0.6 * tr.special[idx] + 0.4 * w.nonwestern[idx]
        rates = np.zeros(len(idx))
        exact = []
        if year == ABSENCE_YEAR:
            # The published year: months are trimmed so that the months-weighted shares hit the seed.
            exact = _exact_absence_year(w, rng, m, risk, calib, group, rates)
            mg = {c: float(m[calib & (group == c)].sum()) for c in range(len(GROUPS))}
        mean, share = _absence_targets(w, year, mg, ng)
        for c in range(len(GROUPS)):
            sel = np.flatnonzero(calib & (group == c))
            if c not in exact:
                rates[sel] = _calibrated_rates(rng, m[sel], mean[c], share[c], risk[sel])
            new = np.flatnonzero(~calib & (group == c))
            rates[new] = _calibrated_rates(rng, m[new], mean[c], share[c], risk[new])
        days_full = 200 + (year % 3) - 1
        school_days = np.maximum(1, np.round(days_full * m / 12)).astype(np.int64)
        absent = _absence_days(rng, rates, school_days, m, {c: mean[c] for c in mean}, group, calib)
        if year in T.ABSENCE_DAYS:
            rates = _exact_absence_days(w, rng, absent, school_days, rates, idx, grade[idx], group, calib, year)
        ill, lawful, unlawful = _split_absence(rng, absent, group)
        frames.append(_frame(
            w, idx, year, SKOLEAAR=f"{year}/{(year + 1) % 100:02d}",
            SKOLE_KODE=_school_code(w, idx, group, grade[idx]), KLASSETRIN=grade[idx], SKOLEDAGE=school_days,
            MAANEDER_INDSKREVET=m, FRAVAER_SYGDOM=ill / 10, FRAVAER_LOVLIGT=lawful / 10, FRAVAER_ULOVLIGT=unlawful / 10,
            _rate=rates, _group=group, _calib=calib,
        ))
    return pd.concat(frames, ignore_index=True)


def _months_trim(sums: np.ndarray, cond, caps: np.ndarray) -> np.ndarray | None:
    """Fewest months to take from each of the pupil groups (very high, high, low absence) with
    sums ``sums`` so that ``cond(very_high, high, low)`` holds; None when no trim of up to ``caps`` does."""
    grids = np.meshgrid(*[np.arange(min(int(c), lim) + 1) for c, lim in zip(caps, (25, 25, 80))], indexing="ij")
    d = np.stack([g.ravel() for g in grids], axis=1)
    ok = cond(sums[0] - d[:, 0], sums[1] - d[:, 1], sums[2] - d[:, 2])
    if not ok.any():
        return None
    cand = d[ok]
    return cand[np.argmin(cand.sum(axis=1))]


def _take_months(rng, m: np.ndarray, members: np.ndarray, total: int) -> None:
    """Take ``total`` months from ``members`` (pupils who changed school during the year), 3 months kept at least."""
    for i in rng.permutation(members):
        if total <= 0:
            break
        cut = min(total, int(m[i]) - 3)
        if cut > 0:
            m[i] -= cut
            total -= cut


def _exact_absence_year(w: World, rng, m, risk, calib, group, rates) -> list[int]:
    """Rates of the published school year for pupils in the stock: per area, the months-weighted
    share above 10 % (and 15 % where published) and the months-weighted mean hit the seed, and so
    does Randers Kommune at full scale. ``m`` is trimmed in place."""
    A = T.ABSENCE_2023
    # 'Alle 7 boligområder' (33,3 % above 10 %) is not a target: the area shares weighted by any
    # plausible pupil numbers give about 32,7 % (seed row marked inconsistent).
    order = list(range(N_AREAS)) + ([REST_CODE] if w.pop.config.is_full_scale else [])
    done = np.zeros(3)  # months (very high, high, low) of the groups already calibrated
    area_k = np.zeros(2, dtype=np.int64)  # pupils above 10 % and above 15 % in the areas
    for c in order:
        sel = np.flatnonzero(calib & (group == c))
        if not len(sel):
            continue
        name = T.RANDERS if c == REST_CODE else PLAN_AREAS_2025[c]
        t10, t15 = A["above_10"][name], A["above_15"].get(name)
        n = len(sel)
        p = risk[sel] / risk[sel].sum()
        if c == REST_CODE:  # the rest carries what Randers needs beyond the areas
            n_all = n + sum(int((calib & (group == a)).sum()) for a in range(N_AREAS))
            k10 = int(round(t10 / 100 * n_all)) - int(area_k[0])
        else:
            k10 = int(round(t10 / 100 * n))
        high = np.zeros(n, dtype=bool)
        high[rng.choice(n, min(max(k10, 0), n), replace=False, p=p)] = True
        vhigh = np.zeros(n, dtype=bool)
        k15 = int(round((t15 if t15 is not None else 0.55 * t10) / 100 * n)) if c != REST_CODE else \
            int(round(t15 / 100 * n_all)) - int(area_k[1])
        hi_idx = np.flatnonzero(high)
        vhigh[hi_idx[rng.choice(len(hi_idx), min(max(k15, 0), len(hi_idx)), replace=False)]] = True
        mm = m[sel]
        sums = np.array([mm[vhigh].sum(), mm[high & ~vhigh].sum(), mm[~high].sum()], dtype=float)
        base = done.copy()

        def cond(v, h, lo, t10=t10, t15=t15, c=c, base=base):
            ok = _rounds_to_vec(v + h, v + h + lo, t10) if c != REST_CODE else \
                _rounds_to_vec(base[0] + base[1] + v + h, base.sum() + v + h + lo, t10)
            if t15 is not None:
                ok &= _rounds_to_vec(v, v + h + lo, t15) if c != REST_CODE else \
                    _rounds_to_vec(base[0] + v, base.sum() + v + h + lo, t15)
            return ok

        caps = np.array([(mm[g] - 3).clip(0).sum() for g in (vhigh, high & ~vhigh, ~high)])
        trim = _months_trim(sums, cond, caps)
        if trim is None:
            raise ValueError(f"skolefravær {ABSENCE_YEAR}: no months trim reproduces {name}")
        for g, d in zip((vhigh, high & ~vhigh, ~high), trim):
            _take_months(rng, mm, np.flatnonzero(g), int(d))
        m[sel] = mm
        done += np.array([mm[vhigh].sum(), mm[high & ~vhigh].sum(), mm[~high].sum()])
        if c < N_AREAS:
            area_k += np.array([high.sum(), vhigh.sum()])
        # Rates: low below 10 %, high 10-15 %, very high above 15 %, scaled to the months-weighted mean.
        if c == REST_CODE:
            M_all = done.sum()
            target = (A["mean"][T.RANDERS] * M_all - sum(A["mean"][a] * m[calib & (group == i)].sum()
                                                          for i, a in enumerate(PLAN_AREAS_2025))) / mm.sum()
        else:
            target = A["mean"][name]
        r = np.where(high, rng.uniform(10.3, 14.6, n), 9.6 * rng.beta(1.3, 2.2, n))
        excess = rng.gamma(1.3, 6.0, n) + 0.05
        need = target * mm.sum() - (mm * r)[~vhigh].sum() - 15.4 * mm[vhigh].sum()
        ex = (mm * excess)[vhigh].sum()
        if need >= 0 and ex > 0:
            r = np.where(vhigh, 15.4 + need / ex * excess, r)
        else:  # the shares alone pass the mean: keep the very high group low, scale the low group down
            r = np.where(vhigh, 15.4 + 0.2 * excess, r)
            low_sum = (mm * r)[~high].sum()
            rest = target * mm.sum() - (mm * r)[high].sum()
            r = np.where(high, r, r * max(rest, 0) / low_sum)
        rates[sel] = np.minimum(r, 95.0)
    return order


def _rounds_to_vec(k, n, pct):
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    return (n > 0) & (np.abs(1000 * k / np.where(n > 0, n, 1) - round(pct * 10)) < 0.49)


def _absence_days(rng, rates, school_days, months, mean, group, calib) -> np.ndarray:
    """Absent days in tenths of a day; pupils stay on their side of 10 % and of 15 %, and the
    months-weighted mean of each calibrated group is nudged back onto its target after rounding."""
    cap_low = np.floor(school_days * 1.0).astype(np.int64)  # 10 % of the days, in tenths
    cap_15 = np.floor(school_days * 1.5).astype(np.int64)  # 15 % of the days, in tenths
    tenths = np.where(rates > 10, np.ceil(rates * school_days / 10), np.floor(rates * school_days / 10)).astype(np.int64)
    tenths = np.where(rates > 10, np.maximum(tenths, cap_low + 1), np.minimum(tenths, cap_low))
    tenths = np.where(rates > 15, np.maximum(tenths, cap_15 + 1), np.where(rates > 10, np.minimum(tenths, cap_15), tenths))
    for c, target in mean.items():
        sel = np.flatnonzero(calib & (group == c))
        if not len(sel):
            continue
        m, d = months[sel], school_days[sel]
        step = (m * 10 / d).mean() / m.sum()  # effect of one tenth-day on the mean, on average
        for _ in range(5):  # a few rounds: each moves a pupil by at most one tenth-day
            gap = target - (m * tenths[sel] * 10 / d).sum() / m.sum()
            need = int(round(abs(gap) / step))
            if not need:
                break
            t = tenths[sel]
            movable = (t < cap_low[sel]) if gap > 0 else ((t > 0) & (t <= cap_low[sel]))
            fix = sel[rng.permutation(np.flatnonzero(movable))[:need]]
            tenths[fix] += 1 if gap > 0 else -1
    return tenths


def _scale_tenths(rng, tenths: np.ndarray, sel: np.ndarray, cap: np.ndarray, total: int) -> None:
    """Scale the absence (tenths of days) of pupils ``sel`` to sum to ``total`` exactly, in place."""
    if not len(sel):
        return
    cur = tenths[sel].sum()
    new = np.minimum(np.floor(tenths[sel] * (total / max(cur, 1))).astype(np.int64), cap[sel])
    for _ in range(20):  # hand out (or take back) the rounding remainder a tenth at a time
        gap = int(total - new.sum())
        if gap == 0:
            break
        room = np.flatnonzero(new < cap[sel]) if gap > 0 else np.flatnonzero(new > 0)
        pick = rng.permutation(room)[:abs(gap)]
        new[pick] += 1 if gap > 0 else -1
    tenths[sel] = new


def _exact_absence_days(w: World, rng, tenths, school_days, rates, idx, grade, group, calib, year) -> np.ndarray:
    """HP2017: mean absent days per pupil in 0.-9. klasse, exact to one decimal: Randers Nordby,
    Nordby pupils at the three schools (where published) and Randers Kommune (full scale; otherwise
    the rest of the municipality carries its level as if it had its real size)."""
    nordby_mean, randers_mean = T.ABSENCE_DAYS[year]
    three_mean = T.ABSENCE_DAYS_THREE_SCHOOLS.get(year)
    cap = school_days * 10
    pupils = calib & (grade <= 9)
    nordby = pupils & np.isin(group, HP2017_CODES)
    rest = pupils & ~nordby
    codes = _school_code(w, idx, group, grade)
    at_three = nordby & np.isin(codes, _INST.loc[_INST["is_fravaer_skole_2017"], "institution_code"])
    n_all = int(nordby.sum())
    total = int(round(nordby_mean * 10 * n_all))
    if three_mean is not None:
        n3 = int(at_three.sum())
        t3 = int(round(three_mean * 10 * n3))
        _scale_tenths(rng, tenths, np.flatnonzero(at_three), cap, t3)
        _scale_tenths(rng, tenths, np.flatnonzero(nordby & ~at_three), cap, total - t3)
    else:
        _scale_tenths(rng, tenths, np.flatnonzero(nordby), cap, total)
    k = rest_factor(w.pop)
    n_rest = int(rest.sum())
    rest_total = (randers_mean * 10 * (n_all + k * n_rest) - total) / k
    _scale_tenths(rng, tenths, np.flatnonzero(rest), cap, int(round(rest_total)))
    return np.where(pupils, tenths / np.maximum(school_days, 1) * 10, rates)


def _split_absence(rng, tenths: np.ndarray, group: np.ndarray):
    """Illness / permitted / unlawful absence; unlawful absence is a larger part in the areas."""
    area = group < N_AREAS
    alpha = np.where(area[:, None], np.array([5.5, 1.5, 2.5])[None, :], np.array([7.0, 2.0, 1.0])[None, :])
    p = rng.gamma(alpha)
    p /= p.sum(axis=1, keepdims=True)
    ill = np.floor(tenths * p[:, 0]).astype(np.int64)
    lawful = np.floor((tenths - ill) * p[:, 1] / (p[:, 1] + p[:, 2])).astype(np.int64)
    return ill, lawful, tenths - ill - lawful


# ------------------------------------------------------------------------------ afgangsprøver
GRADE_VALUES = np.array([-3, 0, 2, 4, 7, 10, 12])
GRADE_TEXT = np.array(["-3", "00", "02", "4", "7", "10", "12"], dtype=object)
GRADE_CUTS = np.array([-2.4, -1.8, -1.0, -0.2, 0.75, 1.7])
DISCIPLINES = (("Dansk", "Læsning"), ("Dansk", "Retskrivning"), ("Dansk", "Skriftlig fremstilling"),
               ("Dansk", "Mundtlig"), ("Matematik", "Færdighedsregning"), ("Matematik", "Problemløsning"))


def _exam_target(year: int) -> tuple[float, float]:
    """(areas, Randers) average for exams ending the school year ``year``/``year+1``; LBF's '2023'
    is the summer-2023 exams (school year 2022/23)."""
    if year + 1 in T.EXAM_AVERAGE:
        return T.EXAM_AVERAGE[year + 1]
    return 6.1 + 0.03 * (year - 2011), 7.0 + 0.02 * (year - 2011)


def _shift_for_mean(z: np.ndarray, target: float) -> float:
    """The shift of latent ability that makes the average grade ``target``."""
    shifts = np.linspace(-2.5, 2.5, 101)
    means = [GRADE_VALUES[np.searchsorted(GRADE_CUTS, z + s)].mean() for s in shifts]
    return float(np.interp(target, means, shifts))


def exams(w: World, tr: Tracks, absence: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for(w.pop, "afgangsproever")
    idx_of = pd.Index(w.key)
    frames = []
    for year, ab in absence[absence["KLASSETRIN"] == 9].groupby("_year"):
        # Pupils still registered at the end of the school year sit the exams.
        ab = ab[(ab["MAANEDER_INDSKREVET"] == 12) | ~ab["_calib"]]
        idx = idx_of.get_indexer(ab["PNR_PSEUDO"])
        area = ab["_group"].to_numpy() < N_AREAS
        base = (tr.ability[idx] - 0.8 * tr.special[idx] - 0.04 * (ab["_rate"].to_numpy() - 6)
                + 0.35 * rng.standard_normal(len(idx)))
        t_area, t_randers = _exam_target(int(year))
        scores = base[:, None] + 0.55 * rng.standard_normal((len(idx), len(DISCIPLINES)))
        ordinary = ~tr.special[idx]  # the averages leave special classes out
        for mask, target in ((area, t_area), (~area, t_randers + 0.1)):
            # Shift on the drawn scores themselves, so even a small year group hits its average.
            if (mask & ordinary).any():
                scores[mask] += _shift_for_mean(scores[mask & ordinary].ravel(), target)
        grades = GRADE_TEXT[np.searchsorted(GRADE_CUTS, scores)]
        sat = rng.random(grades.shape) > 0.02  # absent from a test now and then
        rows, cols = np.nonzero(sat)
        frames.append(pd.DataFrame({
            "PNR_PSEUDO": ab["PNR_PSEUDO"].to_numpy()[rows], "SKOLEAAR": ab["SKOLEAAR"].to_numpy()[rows],
            "SKOLE_KODE": ab["SKOLE_KODE"].to_numpy()[rows],
            "SPECIALKLASSE": np.where(tr.special[idx][rows], "J", "N"),
            "FAG": np.array([d[0] for d in DISCIPLINES], dtype=object)[cols],
            "DISCIPLIN": np.array([d[1] for d in DISCIPLINES], dtype=object)[cols],
            "KARAKTER": grades[rows, cols], "_year": int(year),
        }))
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------------- UU
YOUTH_STATUS_YEAR = T.YOUTH_EDU_15_MONTHS["status_year"]
EDUCATIONS = np.array(["STX", "HHX", "HTX", "HF", "EUD", "EUX"], dtype=object)


def _uu_rate(code: int, spec: dict, default_area: float, default_rest: float) -> float:
    if code == REST_CODE:
        n, k = spec[T.RANDERS]
        na = sum(spec[a][0] for a in PLAN_AREAS_2025)
        ka = sum(spec[a][1] for a in PLAN_AREAS_2025)
        return (k - ka) / (n - na) if n > na else default_rest
    n, k = spec[PLAN_AREAS_2025[code]]
    # Small cohorts: lean on the all-areas rate so other years are not extreme.
    pooled = sum(spec[a][1] for a in PLAN_AREAS_2025) / sum(spec[a][0] for a in PLAN_AREAS_2025)
    return (k + 10 * pooled) / (n + 10) if n else default_area


def youth_guidance(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "uu_vejledning")
    L = tr.leaving_year()
    nine = tr.start + 10  # year 9th grade is left
    edu = EDUCATIONS[np.searchsorted(np.cumsum([0.36, 0.10, 0.06, 0.05, 0.36, 0.07]), rng.random(len(L)) * 0.9999)]
    frames = []
    for year in w.years:
        g = w.group_in(year)
        status_day = day(year, 10, 1)
        idx = np.flatnonzero((g >= 0) & (w.death > status_day) & (((L <= year) & (L >= year - 4)) | ((nine == year) & tr.tenth)))
        grp = g[idx]
        in_tenth = L[idx] > year
        d = np.where(in_tenth, -1, year - L[idx])
        success = np.zeros(len(idx), dtype=bool)
        for dd, spec, area_p, rest_p in ((0, T.YOUTH_EDU_STARTED, 0.79, 0.87), (1, T.YOUTH_EDU_15_MONTHS, 0.77, 0.84)):
            for code in range(len(GROUPS)):
                sel = np.flatnonzero((d == dd) & (grp == code))
                if not len(sel):
                    continue
                exact = year == YOUTH_STATUS_YEAR and (code < N_AREAS or w.pop.config.is_full_scale)
                if exact:
                    k = spec[T.RANDERS if code == REST_CODE else PLAN_AREAS_2025[code]][1]
                    if code == REST_CODE:
                        k -= sum(spec[a][1] for a in PLAN_AREAS_2025)
                    k = min(k, len(sel))
                else:
                    p = _uu_rate(code, spec, area_p, rest_p) * (0.97 + 0.03 * (year - 2011) / 14)
                    k = int(round(min(p, 0.98) * len(sel)))
                # The most driven persons succeed, so statuses hang together over the years.
                success[sel[np.argsort(tr.drive[idx[sel]], kind="stable")[:k]]] = True
        if year in T.NINTH_GRADE_YOUTH_EDU:
            # HP2017: leavers after 9th grade, exact to the whole per cent (cohorts set in tracks()).
            for mask, pct in zip(_ninth_grade_groups(w, year), T.NINTH_GRADE_YOUTH_EDU[year]):
                sel = np.flatnonzero((d == 0) & ~tr.tenth[idx] & mask[idx])
                k = _whole_pct_k(len(sel), pct) if len(sel) else None
                if k is not None:
                    success[sel] = False
                    success[sel[np.argsort(tr.drive[idx[sel]], kind="stable")[:k]]] = True
        older = d >= 2
        p_old = np.where(grp == REST_CODE, 0.86, 0.74) - 0.03 * (d - 2)
        success[older] = tr.drive[idx[older]] < p_old[older]
        finished = success & (d >= 3) & (rng.random(len(idx)) < np.where(d == 3, 0.55, 0.8))
        status = np.where(success, "I ungdomsuddannelse", None).astype(object)
        status[finished] = "Fuldført ungdomsuddannelse"
        other = ~success & ~in_tenth
        u = rng.random(len(idx))
        first_year = d == 0
        status[other & first_year] = np.where(u[other & first_year] < 0.3, "I beskæftigelse",
                                             np.where(u[other & first_year] < 0.85, "Andet", "Ukendt"))
        later = other & ~first_year
        status[later] = np.where(u[later] < 0.35, "Afbrudt ungdomsuddannelse",
                                 np.where(u[later] < 0.6, "I beskæftigelse", np.where(u[later] < 0.9, "Andet", "Ukendt")))
        status[in_tenth] = "I 10. klasse"
        education = np.where(success, edu[idx], None).astype(object)
        education[(status == "Andet") & (u > 0.6)] = "FGU"
        frames.append(_frame(
            w, idx, year, AFGANGSAAR=np.where(in_tenth, year, L[idx]),
            AFGANGSKLASSE=np.where(in_tenth | ~tr.tenth[idx], "9", "10"),
            STATUSDATO=pd.Timestamp(year, 10, 1), STATUS=status, UDDANNELSE=education,
        ))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------- ungdomsskole
YOUTH_SCHOOL_YEAR = 2024


def _youth_school_share(w: World, code: int, year: int, n_by_group: dict[int, int]) -> float:
    trend = float(np.interp(year, [2011, 2020, 2021, 2024, 2025], [0.9, 0.95, 0.85, 1.0, 1.0]))
    if code < N_AREAS:
        return T.YOUTH_SCHOOL_2024[PLAN_AREAS_2025[code]] / 100 * trend
    k = rest_factor(w.pop)
    na = sum(n_by_group.get(i, 0) for i in range(N_AREAS))
    nr = k * n_by_group.get(REST_CODE, 0)
    area_sum = sum(T.YOUTH_SCHOOL_2024[a] / 100 * trend * n_by_group.get(i, 0) for i, a in enumerate(PLAN_AREAS_2025))
    return (T.YOUTH_SCHOOL_2024[T.RANDERS] / 100 * trend * (na + nr) - area_sum) / nr if nr else 0.3


def _youth_school_exact_k(w: World, c: int, n: dict[int, int]) -> int:
    """Enrolled persons that print the published whole per cent (placements make the cohort fit, see
    ``_teen_placements``); the rest carries Randers Kommune at full scale."""
    Y = T.YOUTH_SCHOOL_2024
    if c < N_AREAS:
        return _whole_pct_k(n[c], Y[PLAN_AREAS_2025[c]]) or int(round(Y[PLAN_AREAS_2025[c]] / 100 * n[c]))
    areas = sum(_youth_school_exact_k(w, a, n) for a in range(N_AREAS))
    return _whole_pct_k(sum(n.values()), Y[T.RANDERS]) - areas


def youth_school_population(w: World, year: int, placed: np.ndarray) -> np.ndarray:
    """Who the ungdomsskole share counts, as the warehouse does: residents of 1 January who turn
    13-18 in the year, less those placed outside the home on 1 September (``placed``: bool per person)."""
    by = ymd(w.birth)[0]
    return (w.group_in(year) >= 0) & (by >= year - 18) & (by <= year - 13) & ~placed


def placed_on(w: World, placements_frame: pd.DataFrame, when: np.datetime64) -> np.ndarray:
    """Bool per person: a placement active on ``when``, each placement as its latest yearly file
    shows it (as the warehouse reads them: an earlier file's open copy is stale)."""
    placements_frame = (placements_frame.sort_values("_year", kind="stable")
                        .drop_duplicates(["PNR_PSEUDO", "START"], keep="last"))
    s = placements_frame["START"].to_numpy().astype("datetime64[D]")
    e = placements_frame["SLUT"].to_numpy().astype("datetime64[D]")
    on = (s <= when) & (np.isnat(e) | (e >= when))
    out = np.zeros(len(w.key), dtype=bool)
    out[pd.Index(w.key).get_indexer(placements_frame.loc[on, "PNR_PSEUDO"])] = True
    return out


def youth_school(w: World, placements_frame: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for(w.pop, "ungdomsskole")
    frames = []
    for year in w.years:
        g = w.group_in(year)
        sep1 = day(year, 9, 1)
        age = age_on(w.birth, sep1)
        counted = youth_school_population(w, year, placed_on(w, placements_frame, sep1))
        idx = np.flatnonzero(counted & (w.death > sep1))
        grp = g[idx]
        counts = {c: int((grp == c).sum()) for c in range(len(GROUPS))}
        n_counted = {c: int((counted & (g == c)).sum()) for c in range(len(GROUPS))}
        early = np.zeros(len(idx), dtype=bool)
        for c in range(len(GROUPS)):
            sel = np.flatnonzero(grp == c)
            k = int(round(np.clip(_youth_school_share(w, c, year, counts), 0, 0.95) * len(sel)))
            if year == YOUTH_SCHOOL_YEAR and (c < N_AREAS or w.pop.config.is_full_scale):
                k = _youth_school_exact_k(w, c, n_counted)
                k = min(k, len(sel))
            # Younger teenagers use the youth school most.
            wt = np.where(age[idx[sel]] <= 15, 2.0, 1.0)
            early[sel[rng.choice(len(sel), k, replace=False, p=wt / wt.sum())] if k else []] = True
        late = ~early & (rng.random(len(idx)) < 0.08)  # sign up during the year
        enrolled = early | late
        first_day = np.where(early, uniform_dates(rng, np.full(len(idx), day(year, 8, 5)), np.full(len(idx), sep1)),
                             uniform_dates(rng, np.full(len(idx), day(year, 9, 2)), np.full(len(idx), day(year + 1, 3, 31))))
        klub = rng.random(len(idx)) < 0.55
        fritid = ~klub | (rng.random(len(idx)) < 0.35)
        heltid = (grp < N_AREAS) & (age[idx] >= 14) & (age[idx] <= 16) & (rng.random(len(idx)) < 0.015)
        rows = []
        for offer, has, lag in (("Klub", klub, 0), ("Fritidsundervisning", fritid, 1), ("Heltidsundervisning", heltid, 2)):
            sel = np.flatnonzero(enrolled & has)
            # The first offer carries the first enrolment date; further offers come later.
            second = (offer != "Klub") & klub[sel] if lag else np.zeros(len(sel), dtype=bool)
            when = first_day[sel] + np.where(second, rng.integers(1, 60, len(sel)), 0)
            rows.append(_frame(w, idx[sel], year, SKOLEAAR=f"{year}/{(year + 1) % 100:02d}", TILBUD=offer, TILMELDT=when))
        frames.extend(rows)
    df = pd.concat(frames, ignore_index=True)
    df["TILMELDT"] = pd.to_datetime(df["TILMELDT"])
    return df


# -------------------------------------------------------------------------------- dagtilbud
def daycare(w: World, tr: Tracks) -> pd.DataFrame:
    rng = rng_for(w.pop, "dagtilbud")
    n = len(w.key)
    res = w.group >= 0
    ever = res.any(axis=1)
    first_y = w.first_year + np.argmax(res, axis=1)
    last_y = w.last_year - np.argmax(res[:, ::-1], axis=1)
    home = w.group[np.arange(n), first_y - w.first_year]
    # Take-up tuned to LBF 2021: 1-5-year-olds in daycare 94.3 % in the areas, 89.7 % in Randers.
    idx = np.flatnonzero(ever & (w.birth >= day(w.first_year - 6)) & (rng.random(n) < np.where(home < N_AREAS, 0.96, 0.905)))
    birth = w.birth[idx]
    born_here = birth >= jan1(first_y[idx] - 1)
    arrival = np.where((first_y[idx] > w.first_year) & ~born_here,
                       jan1(first_y[idx]) - rng.integers(1, 300, len(idx)), birth)
    start = np.maximum(add_months(birth, rng.integers(9, 15, len(idx))), arrival + rng.integers(7, 40, len(idx)))
    school = jan1(tr.start[idx])
    school_end = np.where(rng.random(len(idx)) < 0.6, school + 119, school + 211)  # 30 April (tidlig SFO) or 31 July
    departure = np.where(last_y[idx] < w.last_year,
                         jan1(last_y[idx] + 1) - rng.integers(1, 330, len(idx)),
                         NO_DATE)
    end = np.minimum(np.minimum(school_end, departure), w.death[idx])
    ok = start < end
    idx, start, end, birth = idx[ok], start[ok], end[ok], birth[ok]
    codes = _daycare_code(w)[idx]
    u = rng.random(len(idx))
    kind0 = np.where(u < 0.25, "Integreret", np.where(u < 0.6, "Dagpleje", "Vuggestue"))
    switch = add_months(birth, rng.integers(34, 38, len(idx)))
    two = (kind0 != "Integreret") & (start < switch) & (switch < end)
    kind0 = np.where((kind0 != "Integreret") & (start >= switch), "Børnehave", kind0)
    first_end = np.where(two, switch - 1, end)
    # Area children mostly stay in their integrated institution; elsewhere they change house.
    kg_codes = np.array(DAYCARES[REST], dtype=object)[_stable_pick(w, idx, len(DAYCARES[REST]), 29)]
    kg_codes = np.where(home[idx] < N_AREAS, codes, kg_codes)
    spells = pd.DataFrame({
        "pidx": np.concatenate([idx, idx[two]]),
        "INSTITUTION_KODE": np.concatenate([codes, kg_codes[two]]),
        "TILBUDSTYPE": np.concatenate([kind0, np.full(two.sum(), "Børnehave")]),
        "PRIMAER_UDFORDRING": None,
        "INDMELDT": np.concatenate([start, switch[two]]),
        "UDMELDT": np.concatenate([first_end, end[two]]),
    })
    crng = rng_for(w.pop, "dagtilbud_hp2017")  # own stream: the spells above stay as they were
    _calibrate_institutions(w, crng, spells)
    w.cache["spells:dagtilbud"] = spells  # a later vintage delivers the same spells again
    out = _by_year(w, spells, "INDMELDT", "UDMELDT")
    out["PRIMAER_UDFORDRING"] = _primary_challenge(w, crng, out)
    return out


CHALLENGES = np.array(["Sproglig", "Social og miljømæssig", "Motorisk", "Andet"], dtype=object)
LANGUAGE, SOCIAL = CHALLENGES[0], CHALLENGES[1]


def _on_jan1(w: World, df: pd.DataFrame, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(enrolled in a daycare institution on 1 January ``year``, age in whole years that day)."""
    jan = day(year)
    s = df["INDMELDT"].to_numpy().astype("datetime64[D]")
    e = df["UDMELDT"].to_numpy().astype("datetime64[D]")
    active = (s <= jan) & (np.isnat(e) | (e >= jan)) & (df["TILBUDSTYPE"].to_numpy() != "Dagpleje")
    pidx = df["pidx"].to_numpy() if "pidx" in df else pd.Index(w.key).get_indexer(df["PNR_PSEUDO"])
    return active, age_on(w.birth[pidx], jan)


def _move(rng, spells: pd.DataFrame, pool: np.ndarray, k: int, targets: tuple[str, ...]) -> None:
    """Give ``k`` spells from ``pool`` an institution drawn from ``targets``."""
    if k <= 0:
        return
    if k > len(pool):
        raise ValueError(f"dagtilbud: {k} spells to move, {len(pool)} available")
    chosen = rng.choice(pool, k, replace=False)
    spells.iloc[chosen, spells.columns.get_loc("INSTITUTION_KODE")] = rng.choice(np.array(targets, dtype=object), k)


def _calibrate_institutions(w: World, rng, spells: pd.DataFrame) -> None:
    """HP2017 daycare groups on 1 January 2016 and 2018: 2-5-year-olds in Nordby's institutions and
    all children in the three NUSSA institutions number exactly what the published shares imply.
    Spells are moved between Nordby and elsewhere (2-5-year-olds, outside NUSSA), then between NUSSA
    and the other Nordby institutions (which keeps the Nordby count); a later year only moves spells
    not running on 1 January of an earlier one, so it does not undo it."""
    nordby_other = tuple(c for c in NORDBY_DAYCARES if c not in NUSSA_DAYCARES)
    fixed = np.zeros(len(spells), dtype=bool)
    for year in sorted(y for y in T.DAYCARE_LANGUAGE if isinstance(y, int)):
        if not (w.first_year <= year <= w.last_year):
            continue
        active, age = _on_jan1(w, spells, year)
        inst = spells["INSTITUTION_KODE"].to_numpy()
        nussa, nordby = np.isin(inst, NUSSA_DAYCARES), np.isin(inst, NORDBY_DAYCARES)
        kid = active & (age >= 2) & (age <= 5)
        free = ~fixed
        d = T.DAYCARE_LANGUAGE[year][2] - int((kid & nordby).sum())
        if d > 0:
            _move(rng, spells, np.flatnonzero(kid & ~nordby & free), d, nordby_other)
        else:
            _move(rng, spells, np.flatnonzero(kid & nordby & ~nussa & free), -d, DAYCARES[REST])
        inst = spells["INSTITUTION_KODE"].to_numpy()
        nussa = np.isin(inst, NUSSA_DAYCARES)
        d = T.NUSSA[year][2] - int((active & nussa).sum())
        # Moving 2-5-year-olds between NUSSA and the other Nordby institutions, or children of other
        # ages from anywhere into NUSSA, leaves the Nordby 2-5 count as it is.
        if d > 0:
            pool = np.flatnonzero(active & np.isin(inst, nordby_other) & free & kid)
            _move(rng, spells, pool, min(d, len(pool)), NUSSA_DAYCARES)
            d -= min(d, len(pool))
            _move(rng, spells, np.flatnonzero(active & ~kid & ~nussa & free), d, NUSSA_DAYCARES)
        else:
            _move(rng, spells, np.flatnonzero(active & nussa & free & kid), -d, nordby_other)
        fixed |= active


def _primary_challenge(w: World, rng, rows: pd.DataFrame) -> np.ndarray:
    """The primary challenge the institution registered, per row of each yearly file (None: none).
    Plausible levels everywhere; on 1 January of HP2017's years the published counts exactly."""
    pidx = pd.Index(w.key).get_indexer(rows["PNR_PSEUDO"])
    u = rng.random(len(rows))
    lang = np.where(w.nonwestern[pidx], 0.10, 0.03)
    cum = np.stack([lang, lang + 0.04, lang + 0.07, lang + 0.09], axis=1)
    pick = (u[:, None] > cum).sum(axis=1)
    out = np.where(pick < 4, CHALLENGES[np.minimum(pick, 3)], None).astype(object)
    year_of = rows["_year"].to_numpy()
    inst = rows["INSTITUTION_KODE"].to_numpy()
    for year, ((lang_n, _), (social_n, _), _) in ((y, v) for y, v in T.NUSSA.items() if isinstance(y, int)):
        if year not in set(year_of):
            continue
        active, age = _on_jan1(w, rows, year)
        snap = active & (year_of == year)
        kid = snap & (age >= 2) & (age <= 5)
        nussa = snap & np.isin(inst, NUSSA_DAYCARES)
        nordby = kid & np.isin(inst, NORDBY_DAYCARES)
        rest = kid & ~np.isin(inst, NORDBY_DAYCARES)
        # the published groups get their exact counts below
        out[(nussa | nordby | (rest if year == 2018 else False)) & (out == LANGUAGE)] = None
        out[nussa & (out == SOCIAL)] = None
        both = np.flatnonzero(nordby & nussa)
        x = min(lang_n, len(both))
        first = rng.choice(both, x, replace=False)
        out[first] = LANGUAGE
        out[rng.choice(np.flatnonzero(nussa & ~nordby), lang_n - x, replace=False)] = LANGUAGE
        n_nordby = T.DAYCARE_LANGUAGE[year][0]
        out[rng.choice(np.flatnonzero(nordby & ~nussa), n_nordby - x, replace=False)] = LANGUAGE
        out[rng.choice(np.flatnonzero(nussa & (out != LANGUAGE)), social_n, replace=False)] = SOCIAL
        if year == 2018 and rest.any():
            k = _whole_pct_k(int(rest.sum()), T.DAYCARE_LANGUAGE["rest_2018"])
            out[rng.choice(np.flatnonzero(rest), k, replace=False)] = LANGUAGE
    return out


def _by_year(w: World, spells: pd.DataFrame, start_col: str, end_col: str,
             extract: np.datetime64 = EXTRACT_DATE, last_year: int | None = None) -> pd.DataFrame:
    """One row per spell and calendar year it is active in, as each yearly file delivers it: the file
    of year Y is extracted at the end of Y (the last one on ``extract``), so it shows an end only if
    the spell had ended by then; a spell still open is blank and delivered again in Y+1's file.
    ``extract``/``last_year``: a later delivery (``vintage``) of the same spells."""
    last_year = w.last_year if last_year is None else last_year
    s = spells[start_col].to_numpy().astype("datetime64[D]")
    e = spells[end_col].to_numpy().astype("datetime64[D]")
    first = np.maximum(s.astype("datetime64[Y]").astype(np.int64) + 1970, w.first_year)
    last = np.minimum(np.minimum(e, extract).astype("datetime64[Y]").astype(np.int64) + 1970, last_year)
    keep = (s <= extract) & (last >= first)
    spells, first, last, s, e = spells[keep], first[keep], last[keep], s[keep], e[keep]
    reps = last - first + 1
    out = spells.loc[spells.index.repeat(reps)].reset_index(drop=True)
    out["_year"] = np.repeat(first, reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
    out.insert(0, "PNR_PSEUDO", w.key[out.pop("pidx").to_numpy()])
    out[start_col] = pd.to_datetime(np.repeat(s, reps))
    ends = np.repeat(e, reps)
    year_end = ((out["_year"].to_numpy() - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]") - 1)
    extracted = np.minimum(year_end, extract)
    out[end_col] = pd.to_datetime(np.where(ends > extracted, np.datetime64("NaT"), ends))
    return out


# ----------------------------------------------------------------------------- anbringelser
PLACEMENTS = np.array(["Plejefamilie", "Netværksplejefamilie", "Døgninstitution", "Opholdssted", "Eget værelse"], dtype=object)


def placements(w: World) -> pd.DataFrame:
    rng = rng_for(w.pop, "anbringelser")
    n = len(w.key)
    first = np.full(n, NO_DATE)
    for year in w.years:
        g = w.group_in(year)
        age = age_on(w.birth, day(year))
        hazard = np.where(g < N_AREAS, 0.006, 0.0025)
        hit = (g >= 0) & (age >= 0) & (age <= 16) & (rng.random(n) < hazard) & (first == NO_DATE)
        first[hit] = day(year) + rng.integers(0, 365, hit.sum())
    idx = np.flatnonzero((first != NO_DATE) & (first < w.death))
    start = first[idx]
    end = np.minimum(start + 60 + rng.exponential(900, len(idx)).astype(np.int64), add_months(w.birth[idx], 216) - 1)
    end = np.minimum(end, w.death[idx])
    teen = age_on(w.birth[idx], start) >= 15
    kind = PLACEMENTS[np.searchsorted(np.cumsum([0.42, 0.12, 0.18, 0.22]), rng.random(len(idx)))]
    kind = np.where(teen & (rng.random(len(idx)) < 0.2), "Eget værelse", kind)
    spells = pd.DataFrame({"pidx": idx, "START": start, "SLUT": np.maximum(end, start), "ANBRINGELSESSTED": kind})
    spells = _exact_gjp_placements(w, rng_for(w.pop, "anbringelser_hp2017"), spells)
    spells = _teen_placements(w, rng_for(w.pop, "anbringelser_ungdomsskole"), spells)
    w.cache["spells:anbringelser"] = spells  # a later vintage delivers the same spells again
    return _by_year(w, spells, "START", "SLUT")


def _teen_placements(w: World, rng, spells: pd.DataFrame) -> pd.DataFrame:
    """A few more teenagers placed outside the home on 1 September of the ungdomsskole year, where
    the area's count of 13-18-year-olds at home cannot print the published whole per cent (k/n):
    the warehouse leaves placed young people out of that count."""
    year = YOUTH_SCHOOL_YEAR
    if not (w.first_year <= year <= w.last_year):
        return spells
    sep1 = day(year, 9, 1)
    s = spells["START"].to_numpy().astype("datetime64[D]")
    e = spells["SLUT"].to_numpy().astype("datetime64[D]")
    placed = np.zeros(len(w.key), dtype=bool)
    placed[spells["pidx"].to_numpy()[(s <= sep1) & (e >= sep1)]] = True
    ever = np.zeros(len(w.key), dtype=bool)
    ever[spells["pidx"].to_numpy()] = True
    counted = youth_school_population(w, year, placed)
    g = w.group_in(year)
    by = ymd(w.birth)[0]
    new = []
    for c, area in enumerate(PLAN_AREAS_2025):
        n = int((counted & (g == c)).sum())
        d = next((d for d in range(0, min(n, 15)) if _whole_pct_k(n - d, T.YOUTH_SCHOOL_2024[area]) is not None), 0)
        # under 18 until after the placement ends; never placed before (one spell per child)
        cand = np.flatnonzero(counted & (g == c) & ~ever & (by >= year - 17) & (w.death > day(year + 1, 7, 1)))
        new.append(rng.choice(cand, min(d, len(cand)), replace=False))
    idx = np.concatenate(new).astype(np.int64)
    if not len(idx):
        return spells
    start = uniform_dates(rng, np.full(len(idx), day(year - 1, 9, 1)), np.full(len(idx), day(year, 8, 15)))
    end = np.minimum(uniform_dates(rng, np.full(len(idx), day(year, 10, 1)), np.full(len(idx), day(year + 1, 6, 30))),
                     add_months(w.birth[idx], 216) - 1)
    kind = np.where(rng.random(len(idx)) < 0.5, "Opholdssted", "Døgninstitution")
    return pd.concat([spells, pd.DataFrame({"pidx": idx, "START": start, "SLUT": end, "ANBRINGELSESSTED": kind})],
                     ignore_index=True)


def _exact_gjp_placements(w: World, rng, spells: pd.DataFrame) -> pd.DataFrame:
    """Gl. Jennumparken 2018 and 2019 (HP2017): exactly the published number of children aged 0-17 on
    1 January, living there that day, with a placement active in the year. Their placements in
    those years are redrawn: some run through both years, the rest end in 2018."""
    (y1, n1), (y2, n2) = sorted((y, v) for y, v in T.PLACEMENTS_GJP.items() if isinstance(y, int))
    if not (w.first_year <= y1 and y2 <= w.last_year):
        return spells
    gjp = PLAN_AREAS_2025.index("GJP")

    def kids(y):
        return (w.group_in(y) == gjp) & (w.birth > day(y - 18)) & (w.birth <= day(y)) & (w.death > day(y, 12, 31))

    k1, k2 = kids(y1), kids(y2)
    s = spells["START"].to_numpy().astype("datetime64[D]")
    e = spells["SLUT"].to_numpy().astype("datetime64[D]")
    touch = (s <= day(y2, 12, 31)) & (e >= day(y1)) & (k1 | k2)[spells["pidx"].to_numpy()]
    spells = spells[~touch]
    both = rng.choice(np.flatnonzero(k1 & k2), n2, replace=False)
    only = rng.choice(np.flatnonzero(k1 & ~np.isin(np.arange(len(k1)), both) & (w.birth <= day(y1 - 1))), n1 - n2, replace=False)
    # earlier placements of the chosen children would double them up: drop those too
    spells = spells[~spells["pidx"].isin(np.concatenate([both, only]))]
    lo = np.full(n2, day(y1 - 2))
    new_both = pd.DataFrame({"pidx": both, "START": uniform_dates(rng, lo, np.full(n2, day(y1, 6, 30))),
                             "SLUT": uniform_dates(rng, np.full(n2, day(y2 + 1, 1, 1)), np.full(n2, day(y2 + 3)))})
    m = n1 - n2
    new_only = pd.DataFrame({"pidx": only, "START": uniform_dates(rng, np.full(m, day(y1 - 1)), np.full(m, day(y1, 3, 31))),
                             "SLUT": uniform_dates(rng, np.full(m, day(y1, 4, 1)), np.full(m, day(y1, 12, 31)))})
    new = pd.concat([new_both, new_only], ignore_index=True)
    new["START"] = np.maximum(new["START"].to_numpy().astype("datetime64[D]"), w.birth[new["pidx"].to_numpy()])
    new["SLUT"] = np.minimum(new["SLUT"].to_numpy().astype("datetime64[D]"), add_months(w.birth[new["pidx"].to_numpy()], 216) - 1)
    new["ANBRINGELSESSTED"] = PLACEMENTS[np.searchsorted(np.cumsum([0.42, 0.12, 0.18, 0.22]), rng.random(len(new)))]
    return pd.concat([spells, new], ignore_index=True)


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
