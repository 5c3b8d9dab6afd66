"""The housing organisations' tenancy extracts of the demo municipality.

RandersBolig administers five organisations and delivers leases, moves, evictions and complaints
with its own company numbers (SELSKAB_NR, mapping in dbt_project/seeds/housing_source_codes.csv).
Lejerbo delivers leases, moves and complaints in its own layout (comma-separated, day-first dates,
house number and letter in one field) and NO eviction extract.

Moves come from the population's tenancies (``Population.moves``), so every move-out is a change
of residence in the CPR extract; 'Intern' marks a move to another lease in the same department.
Evictions and complaints are drawn per lease-year, more often in the plan areas.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.contract import source
from ingestion.demo.model import Population
from ingestion.writers import write_extract

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"


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


def _events(pop: Population, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eviction cases (RandersBolig only) and complaints for every year, as population-level frames."""
    leases = pop.leases.copy()
    in_area = _lease_key(leases).map(_area_of_lease(pop)).notna().to_numpy()
    years = np.array(list(pop.config.years))
    L, Y = len(leases), len(years)
    lease_i = np.repeat(np.arange(L), Y)
    year = np.tile(years, L)
    area = in_area[lease_i]
    # complaints: Poisson per lease-year, about three times as many in the plan areas
    n_c = rng.poisson(np.where(area, 0.18, 0.06))
    ci = np.repeat(np.arange(lease_i.size), n_c)
    complaints = leases.iloc[lease_i[ci]][["org_code", "department_number", "lease_id"]].reset_index(drop=True)
    complaints["date"] = pd.to_datetime(year[ci].astype(str)) + pd.to_timedelta(rng.integers(0, 365, ci.size), unit="D")
    complaints["category"] = rng.choice(["Støj", "Affald", "Chikane", "Husdyr", "Andet"], ci.size, p=[0.45, 0.2, 0.12, 0.1, 0.13])
    complaints = complaints.drop_duplicates(["org_code", "department_number", "lease_id", "date", "category"])
    # evictions: decided cases; most are not carried out (the tenant pays the arrears)
    evict = rng.random(lease_i.size) < np.where(area, 0.012, 0.004)
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
    leases = pop.leases
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
        paths.append(write_extract(rb_lease, source("randersbolig_lejemaal"), y, out_dir))
        paths.append(write_extract(lb_lease, source("lejerbo_lejemaal"), y, out_dir))
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
