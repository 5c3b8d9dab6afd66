"""What every children's-services generator shares: the children of the simulated population
(World), their school tracks, institutions, seeded streams and yearly spell rows."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from demo import targets_children as T
from demo.dates import day
from demo.model import PLAN_AREAS_2025, SEEDS, Population

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
INSTITUTIONS_SEED = SEEDS / "institutions.csv"


def _institutions() -> pd.DataFrame:
    df = pd.read_csv(INSTITUTIONS_SEED, dtype=str, encoding="utf-8")
    for col in ("is_nussa_2017", "is_fravaer_skole_2017", "is_nordby_daginstitution_2017"):
        df[col] = df[col].str.lower() == "true"
    return df


INSTITUTIONS = _institutions()
_CODE = dict(zip(INSTITUTIONS["institution_name"], INSTITUTIONS["institution_code"]))
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
DAYCARES[REST] = tuple(c for c, k in zip(INSTITUTIONS["institution_code"], INSTITUTIONS["institution_kind"])
                       if k == "daginstitution" and c not in _named)
NUSSA_DAYCARES = tuple(INSTITUTIONS.loc[INSTITUTIONS["is_nussa_2017"], "institution_code"])
NORDBY_DAYCARES = tuple(INSTITUTIONS.loc[INSTITUTIONS["is_nordby_daginstitution_2017"], "institution_code"])
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
REST_SCHOOLS = tuple(c for c, k in zip(INSTITUTIONS["institution_code"], INSTITUTIONS["institution_kind"])
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


def yearly_frame(w: World, idx: np.ndarray, year: int, **cols) -> pd.DataFrame:
    return pd.DataFrame({"PNR_PSEUDO": w.key[idx], **cols, "_year": year})


# the year of the youth-education status the published figures use
YOUTH_STATUS_YEAR = T.YOUTH_EDU_15_MONTHS["status_year"]
HP2017_CODES = tuple(PLAN_AREAS_2025.index(a) for a in T.HP2017_AREAS)


def whole_pct_k(n: int, pct: float) -> int | None:
    """A count k with k/n printed as ``pct`` whole per cent (off the rounding edge), else None."""
    for k in sorted(range(n + 1), key=lambda k: abs(k - pct / 100 * n)):
        if abs(100 * k / n - pct) < 0.499:
            return k
    return None


def ninth_grade_groups(w: World, year: int) -> tuple[np.ndarray, np.ndarray]:
    """(Randers Nordby, rest of Randers) residents of 1 January ``year`` alive on 1 October."""
    g = w.group_in(year)
    alive = w.death > day(year, 10, 1)
    nordby = np.isin(g, HP2017_CODES) & alive
    return nordby, (g >= 0) & ~nordby & alive


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


def grade_in(tr: Tracks, year: int) -> np.ndarray:
    """Grade in the school year starting August ``year``; -1 when not a pupil."""
    g = year - tr.start
    ok = ((g >= 0) & (g <= 9)) | ((g == 10) & tr.tenth)
    return np.where(ok, g, -1)


def draw_results(rng, groups: np.ndarray, area_p, rest_p) -> np.ndarray:
    u = rng.random(len(groups))
    p = np.where((groups == REST_CODE)[:, None], np.array(rest_p)[None, :], np.array(area_p)[None, :])
    cum = np.cumsum(p, axis=1)
    return RESULTS[(u[:, None] > cum[:, :2]).sum(axis=1)]


def stable_pick(w: World, idx: np.ndarray, n_options: int, salt: int) -> np.ndarray:
    """A fixed choice per person (same institution every year) without drawing random numbers."""
    return (idx * 2654435761 + salt) % 2**31 % n_options


def daycare_code(w: World) -> np.ndarray:
    """Each child's daycare institution, from the group it first lived in."""
    g = w.group
    first = np.where((g >= 0).any(axis=1), np.argmax(g >= 0, axis=1), 0)
    home = g[np.arange(len(g)), first]
    out = np.empty(len(g), dtype=object)
    idx = np.arange(len(g))
    for code, name in enumerate(GROUPS):
        m = home == code
        opts = np.array(DAYCARES[name], dtype=object)
        out[m] = opts[stable_pick(w, idx[m], len(opts), 17)]
    out[home < 0] = DAYCARES[REST][0]
    return out


def school_code(w: World, idx: np.ndarray, groups: np.ndarray, grade) -> np.ndarray:
    grade = np.broadcast_to(np.asarray(grade), idx.shape)
    out = np.array(REST_SCHOOLS, dtype=object)[stable_pick(w, idx, len(REST_SCHOOLS), 3)]
    other = stable_pick(w, idx, 1000, 11) < NORDBY_OTHER_SCHOOL * 1000
    for code, area in enumerate(PLAN_AREAS_2025):
        m = (groups == code) & ~(other & np.isin(groups, HP2017_CODES))
        out[m] = np.where(grade[m] <= 6, SCHOOLS_0_6[area], SCHOOLS_7_9[area])
    out[grade == 10] = TENTH_GRADE_CENTRE
    return out

def rows_by_year(w: World, spells: pd.DataFrame, start_col: str, end_col: str,
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
