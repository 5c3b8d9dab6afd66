"""The simulated demo municipality: one consistent population of Randers, 2011-2025.

How it is built (all vectorised; a fixed numpy Generator makes it byte-identical per config):

1. Dwellings. Each plan area gets exactly its published number of leases, at addresses from
   ``demo.areas.expand_addresses``. The split of an area's addresses into its departments is
   INVENTED for the demo (contiguous blocks of the address list, in seed order): the plan names the
   departments but not which addresses each holds. The rest of the municipality lives at addresses
   on real central-Randers streets that no area range covers; about a fifth of those dwellings are
   social housing in invented departments outside the plan, the rest private (lease_id None).
2. Tenancies. Every dwelling gets a chain of tenancies (occupied spells separated by vacancies)
   reaching from before 2011 to after 2025, anchored on 1 January 2024: exactly the planned number
   of dwellings is occupied then. Some move-outs are linked to a move-in elsewhere in the
   municipality (internal moves within a department, and moves between dwellings), so the same
   household continues at a new address.
3. Households. A household is a chain of tenancies. Households occupying a plan-area dwelling on
   1 January 2024 are composed exactly: residents, children under 18, children of single
   providers and non-western persons per area hit the published 2024 figures. Other households
   are drawn from the same area's composition (slightly larger further back, so the areas decline
   slowly). Children leave home as young adults, elderly singles die, babies are born.
4. Calibration of other years (Hermann Stillingsvej-området 977 residents on 1 January 2023,
   Vangdalen 34 % non-western in 2020) adjusts only households that are not there in 2024.
5. person_year: education, labour-market attachment with benefits, income, charges and
   convictions; the published 2023 education figures, attachment and income figures, and the
   2017-21 plan's employment shares, are reproduced by rank-based assignment on the population
   the measure is taken on. Afterwards, without changing any DST area count: LBF's covered
   departments get the plan's LBF baselines (``calibrate_lbf``), the 2017-21 plan's education
   figures are made by residents with only basic schooling starting or leaving education
   (``calibrate_education_hp2017``), some children get a mother in another household so the
   mothers of under-18s in 2024 are the published count (``mothers_elsewhere``), and
   ``benefit_calibration.calibrate_benefits`` fits the benefits.
6. The 2017-21 plan's move-outs in its three areas (2015, 2018) are made exact by dwelling swaps
   within a department (``swap_dwellings``, internal moves that change no area count); the lease
   stock the printed percentages imply (some 1,700) includes small leases merged away from 2019
   (``Population.former_leases``, vacant until then), so the 2024 stock stays exact.

7. Denominators the 2019 report's decimals need, without moving a draw: children who lived in
   Randers Nordby in 2018-2019 only are appended last (``newcomers``), and a few adults stay with
   another household on 1 January 2018 or 2019 (``lodgers``).

Year conventions of ``person_year`` (the extract writers rely on them):
* a row exists for every calendar year a person lived in the municipality at some time
  (resident on 1 January of the year or of the next year);
* ``in_education`` and ``highest_education`` are the status on 1 October of the year before
  (as DST's file of the year uses them); attachment, benefit, match_group, fulltime_fraction,
  gross_income, charged and convicted describe the calendar year itself, so DST's file of year
  Y uses them from the row of year Y-1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from demo import benefit_calibration, lodgers, newcomers
from demo import calibration as cal
from demo.dates import day_number, jan1_number, year_of
from demo.dwellings import (
    ANCHOR_YEAR,
    GROUPS,
    HORIZON,
    NA,
    PARAMS,
    RANDERS_PERSONS_PER_DWELLING,
    REST,
    A,
    G,
    anchor_compositions,
    area_dwellings,
    draw_tenancies,
    finish_dwellings,
    link_moves,
    rest_dwellings,
)
from demo.households import (
    calibrate_count,
    former_leases_of,
    mothers_elsewhere,
    move_events,
    next_stock,
    origin_households,
    residence_stock,
    set_origin,
    swap_dwellings,
)
from demo.keys import person_keys
from demo.model import PLAN_AREAS_2025, DemoConfig, Population
from demo.person_calibration import (
    calibrate_all_ages,
    calibrate_children_charges,
    calibrate_education_hp2017,
    calibrate_lbf,
    charge_children,
)
from demo.persons import build_person_year
from demo.writers import write_extract
from ingestion.contract import source


# ------------------------------------------------------------------------------------ simulate
def simulate(config: DemoConfig) -> Population:
    rng = np.random.default_rng(config.seed)

    # 1. dwellings
    area_dw = area_dwellings(rng)
    n_rest_dw = int(np.ceil(config.rest_residents / RANDERS_PERSONS_PER_DWELLING / (1 - PARAMS["REST"]["vac"])))
    dw = finish_dwellings(rng, pd.concat([area_dw, rest_dwellings(rng, n_rest_dw)], ignore_index=True))
    dw_group = dw.group.to_numpy()

    # 2. exact compositions of the households there on 1 January 2024
    N_tot = sum(d["residents"] for d in cal.PROFILE_2024.values()) + config.rest_residents
    comps = []
    for a in PLAN_AREAS_2025:
        d = cal.PROFILE_2024[a]
        Cs = int(round(cal.SINGLE_PROVIDER_CHILDREN_2024[a] * d["children"]))
        comps.append(anchor_compositions(rng, G[a], d["residents"], d["children"], Cs, d["leases"]))
    C_rest = int(round(cal.RANDERS_UNDER_18_2024["value"] * N_tot)) - sum(d["children"] for d in cal.PROFILE_2024.values())
    C_rest = int(np.clip(C_rest, 0.12 * config.rest_residents, 0.25 * config.rest_residents))
    comps.append(anchor_compositions(rng, REST, config.rest_residents, C_rest,
                                      int(round(cal.ASSUMED["SINGLE_PROVIDER_CHILDREN_REST"] * C_rest)), n_rest_dw))
    anchor_comp = pd.concat(comps, ignore_index=True)

    occupied = np.zeros(len(dw), bool)
    anchor_dw = np.empty(len(anchor_comp), np.int64)
    pos = 0
    for gi in range(len(GROUPS)):
        cand = np.flatnonzero(dw_group == gi)
        h = int((anchor_comp.group == gi).sum())
        pick = np.sort(rng.choice(cand, size=h, replace=False))
        occupied[pick] = True
        anchor_dw[pos:pos + h] = rng.permutation(pick)
        pos += h

    # 3. tenancies and households
    t = link_moves(rng, draw_tenancies(rng, dw, occupied), dw)
    hh = t.groupby("hh").agg(first_start=("start", "min"), last_end=("end", "max"), first=("start", "idxmin"))
    hh["group"] = t.group.to_numpy()[hh["first"].to_numpy()]
    anc = t[t.anchor]
    hh["anchor"] = False
    hh.loc[anc.hh.to_numpy(), "anchor"] = True
    hh["anchor_group"] = -1
    hh.loc[anc.hh.to_numpy(), "anchor_group"] = anc.group.to_numpy()
    # attach the exact compositions to the anchor households by dwelling
    comp_by_dw = pd.DataFrame({"dw": anchor_dw, "n_ad": anchor_comp.n_ad, "n_k": anchor_comp.n_k, "n_ak": anchor_comp.n_ak})
    anc_comp = anc[["dw", "hh"]].merge(comp_by_dw, on="dw", how="left")
    nH = len(hh)
    n_ad = np.zeros(nH, int)
    n_k = np.zeros(nH, int)
    n_ak = np.zeros(nH, int)
    ah = anc_comp.hh.to_numpy()
    n_ad[ah], n_k[ah], n_ak[ah] = anc_comp.n_ad, anc_comp.n_k, anc_comp.n_ak
    is_anchor = hh.anchor.to_numpy()
    hgroup = np.where(is_anchor, hh.anchor_group.to_numpy(), hh.group.to_numpy())
    first_start = hh.first_start.to_numpy()
    last_end = hh.last_end.to_numpy()
    ref = np.where(is_anchor, A, np.maximum(first_start, day_number(2008)))
    # other households: the group's 2024 composition, a little larger further back in time
    na = np.flatnonzero(~is_anchor)
    for gi in range(len(GROUPS)):
        sel = na[hgroup[na] == gi]
        src = anchor_comp[anchor_comp.group == gi]
        pick = rng.integers(0, len(src), sel.size)
        n_ad[sel], n_k[sel], n_ak[sel] = src.n_ad.to_numpy()[pick], src.n_k.to_numpy()[pick], src.n_ak.to_numpy()[pick]
        yrs_back = np.maximum(ANCHOR_YEAR - year_of(ref[sel]), 0)
        grow = rng.random(sel.size) < (0.012 if gi < NA else 0.0) * yrs_back
        fam = n_k[sel] > 0
        n_k[sel] += grow & fam
        n_ad[sel] = np.where(grow & ~fam & (n_ad[sel] == 1), 2, n_ad[sel])

    # 4. persons
    role_counts = np.stack([np.ones(nH, int), (n_ad == 2).astype(int), n_k, n_ak], axis=1)
    per_hh = role_counts.sum(axis=1)
    # babies born after the reference date into households with a woman of childbearing age
    fam_area = np.isin(hgroup, [G["GJP"], G["VGD"], G["GLV"]])
    # the anchor's family households and young couples may get one more child later
    baby = (rng.random(nH) < np.where(fam_area, 0.35, 0.2)) & ((n_k > 0) | (n_ad == 2))
    per_hh = per_hh + baby
    P = int(per_hh.sum())
    p_hh = np.repeat(np.arange(nH), per_hh)
    offs = np.cumsum(per_hh) - per_hh
    within = np.arange(P) - np.repeat(offs, per_hh)
    # role by position: 0 adult1, 1 adult2 (if couple), then kids, then adult kids, then baby
    two = (n_ad == 2)[p_hh]
    k_end = 1 + two + n_k[p_hh]
    ak_end = k_end + n_ak[p_hh]
    role = np.where(within == 0, 0, np.where(two & (within == 1), 1,
                    np.where(within < k_end, 2, np.where(within < ak_end, 3, 4))))
    pref = ref[p_hh]
    pg = hgroup[p_hh]
    # ages at the reference date
    age = np.zeros(P)
    is_kid = role == 2
    age[is_kid] = rng.integers(0, 18, is_kid.sum())
    is_ak = role == 3
    age[is_ak] = rng.integers(18, 24, is_ak.sum())
    oldest = pd.Series(np.where(role >= 2, age, -1)).groupby(p_hh).transform("max").to_numpy()
    has_kids = oldest >= 0
    w = np.array([PARAMS[x]["ages"] for x in GROUPS])[pg]
    u = rng.random(P)
    band = (u > w[:, 0]).astype(int) + (u > w[:, 0] + w[:, 1])
    lo = np.array([19, 35, 65])[band]
    hi = np.array([35, 65, 93])[band]
    single_age = rng.uniform(lo, hi)
    parent_age = np.maximum(oldest, 0) + rng.uniform(20, 36, P)
    a1 = np.where(has_kids, parent_age, single_age)
    min_age = 18 + (pref - first_start[p_hh]) / 365.25  # an adult already when the household began
    a1 = np.maximum(a1, min_age)
    head_age = pd.Series(np.where(role == 0, a1, 0)).groupby(p_hh).transform("max").to_numpy()
    age[role == 0] = a1[role == 0]
    partner = role == 1
    age[partner] = np.maximum(head_age[partner] + rng.normal(2.5, 3, partner.sum()), min_age[partner])
    age = np.floor(age).astype(np.int64)
    # birth dates: for the anchor, exactly the drawn completed age on 1 January 2024
    anchor_p = is_anchor[p_hh]
    birth = np.where(anchor_p, jan1_number(ANCHOR_YEAR - 1 - age) + rng.integers(1, 365, P),
                     pref - (age * 365.25).astype(np.int64) - rng.integers(1, 365, P))
    is_baby = role == 4
    # the baby arrives 4 months to 5 years after the reference date (only while the household exists)
    birth[is_baby] = pref[is_baby] + rng.integers(120, 1800, is_baby.sum())
    sex = np.where(role == 0, np.where(two | has_kids & (rng.random(P) < 0.85), "K",
                                       np.where(rng.random(P) < 0.5, "K", "M")),
                   np.where(role == 1, "M", np.where(rng.random(P) < 0.5, "K", "M")))
    # an old single woman is likelier than an old single man
    old_single = (role == 0) & ~two & ~has_kids & (age >= 70)
    sex = np.where(old_single & (rng.random(P) < 0.3), "K", sex)
    # leaving: children leave home aged 19-25 (out of the municipality), elderly singles die
    leave_age = rng.uniform(19, 26, P)
    kid_exit = birth + (leave_age * 365.25).astype(np.int64)
    kid_exit = np.where(anchor_p, np.maximum(kid_exit, A + 30), kid_exit)
    hh_end = last_end[p_hh]
    age_end = (np.minimum(hh_end, HORIZON) - birth) / 365.25
    dies = (role == 0) & ~two & ~has_kids & (hh_end < HORIZON) & (rng.random(P) < np.clip((age_end - 68) / 25, 0, 0.9))
    death = np.where(dies, hh_end, -1)
    join = np.maximum(birth, first_start[p_hh])
    leave = np.where(role >= 2, np.minimum(hh_end, kid_exit), hh_end)
    keep = leave > join
    keep &= ~(is_baby & (birth >= hh_end))
    persons = pd.DataFrame({"hh": p_hh, "role": role, "birth": birth, "sex": sex, "join": join, "leave": leave,
                            "death": death})[keep].reset_index(drop=True)

    # 5. origin: exact non-western count per area in 2024, Vangdalen 2020
    hh_nw = origin_households(rng, persons, hh, is_anchor, hgroup, N_tot, t, config)
    persons = set_origin(rng, persons, hh_nw, nH)

    # 6. Hermann Stillingsvej-området: 977 residents on 1 January 2023
    persons = calibrate_count(rng, persons, t, hh, is_anchor, G["HSV"], cal.HSV_RESIDENTS_2023["year"],
                               cal.HSV_RESIDENTS_2023["value"])

    # 7. links, keys, residence
    persons = persons.sort_values(["hh", "role", "birth"], kind="stable").reset_index(drop=True)
    persons["person_key"] = person_keys(config.seed, len(persons))
    fem_ad = persons[(persons.role <= 1) & (persons.sex == "K")].drop_duplicates("hh").set_index("hh").person_key
    mal_ad = persons[(persons.role <= 1) & (persons.sex == "M")].drop_duplicates("hh").set_index("hh").person_key
    child = persons.role >= 2
    persons["mother_key"] = np.where(child, persons.hh.map(fem_ad), None)
    persons["father_key"] = np.where(child, persons.hh.map(mal_ad), None)
    persons["mother_key"] = persons.mother_key.where(persons.mother_key.notna(), None)
    persons["father_key"] = persons.father_key.where(persons.father_key.notna(), None)
    fam_id = rng.permutation(nH) + 10_000_000
    hh_fid = np.char.add("F", np.char.zfill(fam_id.astype(str), 8))

    # 8. the 2017-21 plan's move-outs: dwelling swaps within a department (own stream)
    t = swap_dwellings(np.random.default_rng([config.seed, 1030]), t, dw)
    moves = move_events(t, dw)
    residence = residence_stock(persons, t, dw, hh_fid, config)
    next_residence, next_persons = next_stock(persons, t, dw, hh_fid, config)
    del t
    # children who lived in Randers Nordby 2018-2019 only (own stream; appended after build_person_year)
    new_persons, new_res = newcomers.plan(residence, persons, config.seed)
    # short stays in 2018/2019 give the 2017-21 plan's areas their printed decimals (own stream)
    births = pd.concat([pd.Series(persons.birth.to_numpy(), index=persons.person_key.to_numpy()),
                        pd.Series(new_persons.birth.to_numpy(), index=new_persons.person_key.to_numpy())])
    residence = lodgers.calibrate_stays(residence, births, np.random.default_rng([config.seed, 1040]), extra=new_res)
    active = residence.person_key.unique()
    persons = persons[persons.person_key.isin(active)].reset_index(drop=True)

    out_persons = pd.DataFrame({
        "person_key": persons.person_key,
        "birth_date": persons.birth.to_numpy().astype("datetime64[D]").astype("datetime64[ns]"),
        "death_date": pd.to_datetime(np.where(persons.death.to_numpy() >= 0, persons.death.to_numpy(), np.iinfo(np.int64).min)
                                     .astype("datetime64[D]"), errors="coerce").astype("datetime64[ns]"),
        "sex": persons.sex, "origin": persons.origin, "citizenship": persons.citizenship,
        "mother_key": persons.mother_key, "father_key": persons.father_key,
    })
    out_persons.loc[persons.death.to_numpy() < 0, "death_date"] = pd.NaT
    leases = dw[dw.is_lease][["org_code", "department_number", "lease_id", "street", "number", "letter", "floor",
                               "door", "dwelling_type", "rooms", "area_m2"]].reset_index(drop=True)
    leases["department_number"] = leases.department_number.astype(int)
    pop = Population(config=config, persons=out_persons, residence=residence, leases=leases, moves=moves,
                     former_leases=former_leases_of(dw, leases, moves))
    pop.next_residence, pop.next_persons = next_residence, next_persons
    pop.person_year = build_person_year(pop, rng)
    newcomers.append(pop, new_persons, new_res)
    # children's charges use their own stream, so adding them left every other draw unchanged
    charge_children(pop, np.random.default_rng([config.seed, 1014]))
    calibrate_children_charges(pop, np.random.default_rng([config.seed, 1018]))
    calibrate_all_ages(pop, np.random.default_rng([config.seed, 1000]))
    calibrate_lbf(pop, np.random.default_rng([config.seed, 1020]))
    calibrate_education_hp2017(pop, np.random.default_rng([config.seed, 1017]))
    mothers_elsewhere(np.random.default_rng([config.seed, 1031]), pop)
    # the job-centre figures are calibrated on the benefit months, which jobcenter spreads
    benefit_calibration.calibrate_benefits(pop)
    _cap_ages(pop)
    return pop


MAX_AGE = 100


def _cap_ages(pop: Population) -> None:
    """Households that outlive the horizon keep their elderly alive, so a few residents would
    reach 110-160. Move such a birth date forward by whole years so the person is 95-100 on
    1 January of the last year in the register. No draw is made, and the person stays within
    the 65+ band every year, the only band of any published figure they are in."""
    years = pop.residence.groupby("person_key").year.agg(["min", "max"])
    persons = pop.persons.set_index("person_key")
    birth = persons.birth_date.reindex(years.index)
    age_last = years["max"] - birth.dt.year - 1  # completed age on 1 January, to within a year
    too_old = age_last > MAX_AGE
    if not too_old.any():
        return
    target = MAX_AGE - (np.arange(too_old.sum()) % 6)
    shift = (age_last[too_old] - target).to_numpy()
    new_birth = birth[too_old] + pd.to_timedelta(0, "D")
    new_birth = pd.Series([b.replace(year=b.year + int(k)) if not (b.month == 2 and b.day == 29)
                           else b.replace(year=b.year + int(k), day=28) for b, k in zip(new_birth, shift)],
                          index=new_birth.index)
    assert ((years.loc[too_old.index[too_old], "min"] - new_birth.dt.year - 1) >= 65).all()
    children_born = pd.concat([pop.persons.set_index("mother_key").birth_date,
                               pop.persons.set_index("father_key").birth_date]).groupby(level=0).min()
    youngest_child = children_born.reindex(new_birth.index)
    ok = youngest_child.isna() | (new_birth <= youngest_child - pd.DateOffset(years=16))
    new_birth = new_birth[ok]
    index = pop.persons.person_key.isin(new_birth.index)
    pop.persons.loc[index, "birth_date"] = pop.persons.loc[index, "person_key"].map(new_birth).to_numpy()


# ------------------------------------------------------------------------------------ CPR extract
def cpr_frame(pop: Population, year: int) -> pd.DataFrame:
    r = pop.residence[pop.residence.year == year]
    p = pop.persons.set_index("person_key").loc[r.person_key]
    return pd.DataFrame({
        "PNR_PSEUDO": r.person_key.to_numpy(), "FOEDSELSDATO": p.birth_date.to_numpy(), "KOEN": p.sex.to_numpy(),
        "VEJNAVN": r.street.to_numpy(), "HUSNR": r.number.to_numpy(), "HUSBOGSTAV": r.letter.to_numpy(),
        "ETAGE": r.floor.to_numpy(), "DOER": r.door.to_numpy(), "POSTNR": r.postal_code.to_numpy(),
        "MOR_PNR_PSEUDO": p.mother_key.to_numpy(), "FAR_PNR_PSEUDO": p.father_key.to_numpy(),
        "FAMILIE_ID": r.household_id.to_numpy(), "STATSBORGERSKAB": p.citizenship.to_numpy(),
        "OPRINDELSE": p.origin.to_numpy(),
    })


def write_cpr_extracts(pop: Population, out_dir: Path) -> list[Path]:
    src = source("cpr_befolkning")
    return [write_extract(cpr_frame(pop, y), src, y, Path(out_dir)) for y in pop.config.years]
