"""The housing organisations' tenancy extracts of the demo municipality.

RandersBolig administers five organisations and delivers leases, moves, evictions and complaints
with its own company numbers (SELSKAB_NR, mapping in dbt_project/seeds/housing_source_codes.csv).
Lejerbo delivers leases, moves and complaints in its own layout (comma-separated, day-first dates,
house number and letter in one field) and NO eviction extract.

Moves come from the population's tenancies (``Population.moves``), so every move-out is a change
of residence in the CPR extract; 'Intern' marks a move to another lease in the same department.
Evictions and complaints are drawn per lease-year, more often in the plan areas, and then made
exact where a plan publishes the count:
- evictions 2023 (2025-29 plan, seed 003 lines 2939-2965): cases and carried-out evictions per
  area, RandersBolig only; RandersBolig's 29 cases in the whole municipality (full scale). Where
  the seed contradicts itself (Energivej 4 carried out of 3 cases, Sjællandsgadekvarteret 2 of 1)
  the carried-out count is capped at the cases;
- neighbour complaints in the 2017-21 plan's three areas (seed 000 line 1053): 57 in 2014 and
  43 in 2019.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from demo.model import SEEDS, Population
from demo.writers import write_extract
from ingestion.contract import source


def _company_codes() -> dict[str, str]:
    c = pd.read_csv(SEEDS / "housing_source_codes.csv", dtype=str)
    c = c[c.source_system == "randersbolig"]
    return dict(zip(c.org_code, c.source_code))


def _area_of_lease(pop: Population) -> pd.Series:
    deps = pd.read_csv(SEEDS / "housing_departments.csv", dtype={"department_number": int})
    key = deps.org_code + "-" + deps.department_number.astype(str)
    return pd.Series(deps.area_code.to_numpy(), index=key.to_numpy())


def _lease_key(df: pd.DataFrame) -> pd.Series:
    return df.org_code + "-" + df.department_number.astype(int).astype(str)


# Published eviction counts 2023: area -> (cases, carried out).
EVICTIONS_2023 = {"GJP": (1, 1), "GLV": (9, 1), "VGD": (1, 1), "HSV": (4, 1), "ENV": (3, 3), "SJK": (1, 1), "CRA": (3, 2)}
EVICTIONS_YEAR = 2023
RANDERSBOLIG_EVICTIONS_2023 = 29  # all RandersBolig cases in the municipality (full scale only)
# Complaints in Gl. Jennumparken, Glarbjergvej and Vangdalen together.
COMPLAINTS_HP2017 = {2014: 57, 2019: 43}
HP2017_AREAS = ("GJP", "GLV", "VGD")


def _exact_evictions(pop: Population, rng, evictions: pd.DataFrame, area_of: pd.Series) -> pd.DataFrame:
    """Replace the drawn cases of the publication year by exactly the published counts."""
    y = EVICTIONS_YEAR
    if y not in pop.config.years:
        return evictions
    ev_area = _lease_key(evictions).map(area_of)
    drop = (evictions.date.dt.year == y) & (ev_area.notna() | pop.config.is_full_scale)
    evictions = evictions[~drop]
    leases = pop.leases[pop.leases.org_code != "LEJERBO"]
    l_area = _lease_key(leases).map(area_of)
    mv = pop.moves[(pop.moves.event == "Fraflytning") & (pop.moves.move_type == "Ekstern") & (pop.moves.org_code != "LEJERBO")]
    # a carried-out case is decided 30-90 days before the move-out, so both fall in the year
    mv = mv[(mv.date >= pd.Timestamp(y, 4, 1))]
    mv_area = _lease_key(mv).map(area_of)
    targets = dict(EVICTIONS_2023)
    if pop.config.is_full_scale:
        targets[None] = (RANDERSBOLIG_EVICTIONS_2023 - sum(c for c, _ in EVICTIONS_2023.values()), 1)
    new = []
    for area, (cases, done) in targets.items():  # seven areas and the rest, not persons
        in_a = l_area.isna() if area is None else (l_area == area)
        m_a = mv[(mv_area.isna() if area is None else (mv_area == area)).to_numpy() & (mv.date.dt.year == y).to_numpy()]
        done = min(done, cases, len(m_a))
        pick_m = m_a.sample(n=done, random_state=int(rng.integers(0, 2**31)))
        c = pick_m[["org_code", "department_number", "lease_id"]].assign(
            date=(pick_m.date - pd.to_timedelta(rng.integers(30, 90, done), unit="D")).to_numpy(), carried_out="J")
        cand = leases[in_a.to_numpy()]
        n = cases - done
        pick_l = cand.sample(n=n, random_state=int(rng.integers(0, 2**31)))
        o = pick_l[["org_code", "department_number", "lease_id"]].assign(
            date=pd.Timestamp(y, 1, 1) + pd.to_timedelta(rng.integers(0, 365, n), unit="D"), carried_out="N")
        new += [c, o]
    new = pd.concat(new, ignore_index=True)
    new["reason"] = rng.choice(["Restance", "Husorden", "Andet"], len(new), p=[0.8, 0.15, 0.05])
    return pd.concat([evictions, new[evictions.columns]], ignore_index=True)


def _exact_complaints(pop: Population, rng, complaints: pd.DataFrame, area_of: pd.Series) -> pd.DataFrame:
    """Exactly the published number of complaints in the 2017-21 plan's areas in the given years."""
    c_area = _lease_key(complaints).map(area_of)
    leases = pop.leases[_lease_key(pop.leases).map(area_of).isin(HP2017_AREAS).to_numpy()]
    out = [complaints]
    for y, k in COMPLAINTS_HP2017.items():
        if y not in pop.config.years:
            continue
        out[0] = out[0][~((out[0].date.dt.year == y) & c_area.reindex(out[0].index).isin(HP2017_AREAS))]
        pick = leases.iloc[rng.integers(0, len(leases), k)][["org_code", "department_number", "lease_id"]]
        # distinct dates, so no two complaints collapse on the extract's key
        days = rng.choice(365, size=k, replace=False)
        out.append(pick.assign(date=(pd.Timestamp(y, 1, 1) + pd.to_timedelta(days, unit="D")),
                               category=rng.choice(["Støj", "Affald", "Chikane", "Husdyr", "Andet"], k,
                                                   p=[0.45, 0.2, 0.12, 0.1, 0.13])))
    return pd.concat(out, ignore_index=True)


def _events(pop: Population, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eviction cases (RandersBolig only) and complaints for every year, as population-level frames."""
    leases = pop.leases.copy()
    in_area = _lease_key(leases).map(_area_of_lease(pop)).notna().to_numpy()
    years = np.array(list(pop.config.years))
    L, Y = len(leases), len(years)
    lease_i = np.repeat(np.arange(L), Y)
    year = np.tile(years, L)
    area = in_area[lease_i]
    # complaints: Poisson per lease-year, about twice as many in the plan areas (the 2017-21 plan's
    # areas had 57 complaints on some 1,650 leases in 2014)
    n_c = rng.poisson(np.where(area, 0.032, 0.015))
    ci = np.repeat(np.arange(lease_i.size), n_c)
    complaints = leases.iloc[lease_i[ci]][["org_code", "department_number", "lease_id"]].reset_index(drop=True)
    complaints["date"] = pd.to_datetime(year[ci].astype(str)) + pd.to_timedelta(rng.integers(0, 365, ci.size), unit="D")
    complaints["category"] = rng.choice(["Støj", "Affald", "Chikane", "Husdyr", "Andet"], ci.size, p=[0.45, 0.2, 0.12, 0.1, 0.13])
    complaints = complaints.drop_duplicates(["org_code", "department_number", "lease_id", "date", "category"])
    # evictions: decided cases; most are not carried out (the tenant pays the arrears)
    evict = rng.random(lease_i.size) < np.where(area, 0.005, 0.0008)
    ei = np.flatnonzero(evict)
    evictions = leases.iloc[lease_i[ei]][["org_code", "department_number", "lease_id"]].reset_index(drop=True)
    evictions["date"] = pd.to_datetime(year[ei].astype(str)) + pd.to_timedelta(rng.integers(0, 365, ei.size), unit="D")
    evictions["reason"] = rng.choice(["Restance", "Husorden", "Andet"], ei.size, p=[0.8, 0.15, 0.05])
    evictions["carried_out"] = np.where(rng.random(ei.size) < 0.2, "J", "N")
    # a carried-out eviction is a real external move-out: date the case shortly before one
    mv = pop.moves[(pop.moves.event == "Fraflytning") & (pop.moves.move_type == "Ekstern")]
    mv = mv[mv.org_code != "LEJERBO"]
    done = evictions.carried_out == "J"
    pick = mv.sample(n=int(done.sum()), random_state=int(rng.integers(0, 2**31)), replace=len(mv) < done.sum())
    evictions.loc[done, ["org_code", "department_number", "lease_id"]] = pick[["org_code", "department_number", "lease_id"]].to_numpy()
    evictions.loc[done, "date"] = (pick.date - pd.to_timedelta(rng.integers(30, 90, len(pick)), unit="D")).to_numpy()
    evictions = evictions[evictions.org_code != "LEJERBO"]
    evictions = evictions[evictions.date.dt.year.isin(years)]
    evictions = evictions.drop_duplicates(["org_code", "department_number", "lease_id", "date"])
    area_of = _area_of_lease(pop)
    evictions = _exact_evictions(pop, rng, evictions, area_of)
    complaints = _exact_complaints(pop, rng, complaints, area_of)
    return evictions, complaints


def _rb(df: pd.DataFrame, codes: dict) -> pd.DataFrame:
    df = df[df.org_code != "LEJERBO"]
    return df.assign(SELSKAB_NR=df.org_code.map(codes), AFDELING_NR=df.department_number.astype(int), LEJEMAAL_NR=df.lease_id)


def _lb(df: pd.DataFrame) -> pd.DataFrame:
    df = df[df.org_code == "LEJERBO"]
    return df.assign(Afdelingsnr=df.department_number.astype(int).map("{:04d}".format), Lejemaalsnr=df.lease_id)


def write_housing_extracts(pop: Population, out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    rng = np.random.default_rng(pop.config.seed + 1)
    codes = _company_codes()
    evictions, complaints = _events(pop, rng)
    paths: list[Path] = []
    # the stock of each year: today's leases and the merged-away ones up to their last year
    former = pop.former_leases
    leases = pd.concat([pop.leases.assign(last_year=9999), former], ignore_index=True) if len(former) else \
        pop.leases.assign(last_year=9999)
    rb_l = _rb(leases, codes)
    lb_l = _lb(leases)
    rb_lease = rb_l.assign(VEJNAVN=rb_l.street, HUSNR=rb_l.number, BOGSTAV=rb_l.letter, ETAGE=rb_l.floor, DOER=rb_l.door,
                           BOLIGTYPE=rb_l.dwelling_type, ANTAL_RUM=rb_l.rooms, AREAL_M2=rb_l.area_m2)
    floor_door = (lb_l.floor.fillna("") + ". " + lb_l.door.fillna("")).where(lb_l.floor.notna(), None)
    lb_lease = lb_l.assign(Vej=lb_l.street, Husnummer=lb_l.number.astype(str) + lb_l.letter.fillna(""), Etage_doer=floor_door,
                           Boligtype=lb_l.dwelling_type.map({"Familie": "Familiebolig", "Ældre": "Ældrebolig", "Ungdom": "Ungdomsbolig"}),
                           Rum=lb_l.rooms, Areal=lb_l.area_m2)
    moves = pop.moves
    for y in pop.config.years:
        paths.append(write_extract(rb_lease[rb_lease.last_year >= y], source("randersbolig_lejemaal"), y, out_dir))
        paths.append(write_extract(lb_lease[lb_lease.last_year >= y], source("lejerbo_lejemaal"), y, out_dir))
        m = moves[moves.year == y]
        rm = _rb(m, codes)
        paths.append(write_extract(rm.assign(HAENDELSE=rm.event, DATO=rm.date, FLYTTETYPE=rm.move_type, LEJEFORHOLD_START=rm.tenancy_start),
                                   source("randersbolig_flytninger"), y, out_dir))
        lm = _lb(m)
        paths.append(write_extract(lm.assign(Haendelse=lm.event, Dato=lm.date, Flyttetype=lm.move_type, Lejeforhold_start=lm.tenancy_start),
                                   source("lejerbo_flytninger"), y, out_dir))
        ev = _rb(evictions[evictions.date.dt.year == y], codes)
        paths.append(write_extract(ev.assign(SAG_DATO=ev.date, AARSAG=ev.reason, FULDBYRDET=ev.carried_out),
                                   source("randersbolig_udsaettelser"), y, out_dir))
        cp = complaints[complaints.date.dt.year == y]
        rc = _rb(cp, codes)
        paths.append(write_extract(rc.assign(KLAGE_DATO=rc.date, KATEGORI=rc.category), source("randersbolig_klager"), y, out_dir))
        lc = _lb(cp)
        paths.append(write_extract(lc.assign(Dato=lc.date, Kategori=lc.category), source("lejerbo_klager"), y, out_dir))
    return paths
