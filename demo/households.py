"""Households over the years: origin, calibrated counts, the residence stock per year, dwelling
swaps, mothers in another household, former leases and moves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import calibration as cal
from demo import targets_children as T
from demo.dates import day_number, jan1_number, year_of
from demo.dwellings import ANCHOR_YEAR, GROUPS, HORIZON, A, G
from demo.model import PLAN_AREAS_2017, PLAN_AREAS_2025, Population

# Share of residents that are non-western in households outside the 2024 anchor (per year trend
# for Vangdalen, whose share rose from 34 % in 2020 to 41 % in 2024).
NW_SHARE = {"GJP": 0.44, "GLV": 0.34, "VGD": 0.41, "ENV": 0.17, "HSV": 0.19, "SJK": 0.15, "CRA": 0.23, "REST": 0.05}

WEST_CIT = np.array(["DE", "PL", "RO", "LT", "SE", "NO", "GB", "NL"])
NW_CIT = np.array(["SY", "SO", "IQ", "AF", "TR", "LB", "ER", "IR", "PK", "UA", "VN", "BA"])

def _present(persons: pd.DataFrame, t: pd.DataFrame, date: int) -> pd.DataFrame:
    """Persons in a dwelling on ``date``: person index, household, spell's group and dwelling."""
    sp = t[(t.start <= date) & (t.end > date)][["hh", "group", "dw"]]
    m = persons.reset_index()[["index", "hh", "join", "leave"]].merge(sp, on="hh")
    return m[(m["join"] <= date) & (m["leave"] > date)]


def origin_households(rng, persons, hh, is_anchor, hgroup, N_tot, t, config) -> np.ndarray:
    nH = len(hh)
    nw = np.zeros(nH, bool)
    # background probability for households not calibrated below; Vangdalen's share rose
    start_year = year_of(hh.first_start.to_numpy())
    base = np.array([NW_SHARE[x] for x in GROUPS])[hgroup]
    base = np.where(hgroup == G["VGD"], np.clip(0.41 - 0.025 * (ANCHOR_YEAR - start_year), 0.2, 0.41), base)
    nw[~is_anchor] = rng.random((~is_anchor).sum()) < base[~is_anchor]
    present24 = _present(persons, t, A)
    size24 = np.bincount(persons.hh.to_numpy()[present24["index"].to_numpy()], minlength=nH)
    targets = {a: int(round(cal.NONWESTERN_SHARE_2024[a] * cal.PROFILE_2024[a]["residents"])) for a in PLAN_AREAS_2025}
    targets["REST"] = max(0, int(round(cal.NONWESTERN_SHARE_2024[cal.RANDERS] * N_tot)) - sum(targets.values()))
    for gi, g in enumerate(GROUPS):
        sel = np.flatnonzero(is_anchor & (hgroup == gi))
        prio = rng.random(sel.size) + 0.3 * (size24[sel] >= 3)
        if g == "VGD":  # the newer tenants are the non-western ones (the share rose since 2020)
            prio += 0.6 * (hh.first_start.to_numpy()[sel] > day_number(2020))
        nw[sel] = _pick_sum(rng, sel, size24[sel], prio, targets[g])
    # Vangdalen 1 January 2020: adjust households that are not there in 2024
    yr = cal.NONWESTERN_SHARE_VGD_2020["year"]
    pr = _present(persons, t, day_number(yr))
    pr = pr[pr.group == G["VGD"]]
    hh20 = np.bincount(persons.hh.to_numpy()[pr["index"].to_numpy()], minlength=nH)
    n20 = int(hh20.sum())
    free = np.flatnonzero((hh20 > 0) & ~is_anchor)
    fixed = int((hh20 * nw)[is_anchor].sum())
    tgt = int(round(cal.NONWESTERN_SHARE_VGD_2020["value"] * n20)) - fixed
    nw[free] = _pick_sum(rng, free, hh20[free], rng.random(free.size), tgt)
    return nw


def _pick_sum(rng, idx, sizes, prio, target) -> np.ndarray:
    """Choose households (highest priority first) whose sizes sum exactly to ``target``,
    topping up with one-person households."""
    chosen = np.zeros(idx.size, bool)
    if target <= 0 or idx.size == 0:
        return chosen
    order = np.argsort(-prio, kind="stable")
    ones = sizes == 1
    n_ones = int(ones.sum())
    reserve = min(n_ones // 2, 40)
    cs = np.cumsum(sizes[order])
    take = cs <= max(target - reserve, 0)
    chosen[order[take]] = True
    rem = target - int(sizes[chosen].sum())
    cand = np.flatnonzero(~chosen & ones)
    chosen[cand[:max(rem, 0)]] = True
    rem = target - int(sizes[chosen].sum())
    if rem > 0:  # not enough singles: any household that fits
        for k in np.flatnonzero(~chosen)[np.argsort(sizes[~chosen])]:
            if sizes[k] <= rem:
                chosen[k] = True
                rem -= sizes[k]
            if rem == 0:
                break
    return chosen


def set_origin(rng, persons, hh_nw, nH) -> pd.DataFrame:
    P = len(persons)
    h = persons.hh.to_numpy()
    west = (~hh_nw) & (rng.random(nH) < 0.045)
    nw_p, west_p = hh_nw[h], west[h]
    adult = persons.role.to_numpy() <= 1
    born_here = rng.random(P) < np.where(persons.role.to_numpy() == 3, 0.6, 0.8)
    origin = np.where(nw_p, np.where(adult | ~born_here, "4", "5"),
                      np.where(west_p, np.where(adult | (rng.random(P) < 0.3), "2", "3"), "1"))
    hc_nw = NW_CIT[rng.integers(0, NW_CIT.size, nH)][h]
    hc_w = WEST_CIT[rng.integers(0, WEST_CIT.size, nH)][h]
    r = rng.random(P)
    cit = np.where(origin == "4", np.where(r < 0.55, hc_nw, "DK"),
                   np.where(origin == "5", np.where(r < 0.85, "DK", hc_nw),
                            np.where(origin == "2", np.where(r < 0.8, hc_w, "DK"), "DK")))
    persons["origin"] = origin
    persons["citizenship"] = cit
    return persons


def calibrate_count(rng, persons, t, hh, is_anchor, group, year, target) -> pd.DataFrame:
    """Make the group's residents on 1 January ``year`` exactly ``target`` by adding grown-up
    children to, or removing children from, households that are not there in 2024."""
    date = day_number(year)
    pr = _present(persons, t, date)
    pr = pr[pr.group == group]
    diff = target - len(pr)
    free_hh = np.unique(pr.hh.to_numpy()[~is_anchor[pr.hh.to_numpy()]])
    if diff < 0:
        idx = pr["index"].to_numpy()
        free = ~is_anchor[persons.hh.to_numpy()[idx]]
        role = persons.role.to_numpy()[idx]
        # children first, then partners (never a household's first adult)
        cand = np.concatenate([rng.permutation(idx[free & (role >= 2)]), rng.permutation(idx[free & (role == 1)])])
        drop = cand[:-diff]
        persons = persons.drop(index=drop).reset_index(drop=True)
    elif diff > 0:
        add_hh = rng.choice(free_hh, size=diff, replace=diff > free_hh.size)
        first = hh.first_start.to_numpy()[add_hh]
        birth = date - rng.integers(18 * 365 + 30, 22 * 365, diff)
        new = pd.DataFrame({"hh": add_hh, "role": 3, "birth": birth, "sex": np.where(rng.random(diff) < 0.5, "K", "M"),
                            "join": np.maximum(birth, first), "leave": np.minimum(hh.last_end.to_numpy()[add_hh], date + 400),
                            "death": -1})
        src = persons.drop_duplicates("hh").set_index("hh")
        new["origin"] = np.where(src.loc[add_hh, "origin"].isin(["4", "5"]).to_numpy(), "5", "1")
        new["citizenship"] = "DK"
        persons = pd.concat([persons, new], ignore_index=True)
    return persons


def residence_stock(persons, t, dw, hh_fid, config) -> pd.DataFrame:
    spells = t[["hh", "start", "end", "dw", "group"]].reset_index().rename(columns={"index": "spell"})
    m = persons[["person_key", "hh", "join", "leave"]].merge(spells, on="hh")
    s = np.maximum(m["join"].to_numpy(), m.start.to_numpy())
    e = np.minimum(m.leave.to_numpy(), m.end.to_numpy())
    ys = year_of(s)
    y0 = ys + (s > jan1_number(ys))
    y1 = year_of(e - 1)
    y0 = np.maximum(y0, config.first_year)
    y1 = np.minimum(y1, config.last_year)
    n = np.maximum(y1 - y0 + 1, 0)
    rows = np.repeat(np.arange(len(m)), n)
    year = y0[rows] + (np.arange(rows.size) - np.repeat(np.cumsum(n) - n, n))
    # order by year and person key on the index arrays (sorting the frame would copy it)
    key_rank = pd.factorize(m.person_key, sort=True)[0]
    order = np.lexsort((key_rank[rows], year))
    rows, year = rows[order], year[order]
    di = m.dw.to_numpy()[rows]

    # Arrow-backed strings taken from the small dwelling table keep the 1.5 million rows compact
    # (missing = NA, which the writers render as an empty field).
    def take(values, idx, dtype="str"):
        return pd.Series(pd.array(values, dtype=dtype)).take(idx).reset_index(drop=True)

    res = pd.DataFrame({
        "person_key": take(m.person_key.to_numpy(), rows), "year": year.astype(int),
        "street": take(dw.street.to_numpy(), di), "number": dw.number.to_numpy().astype(int)[di],
        "letter": take(dw.letter.to_numpy(), di), "floor": take(dw.floor.to_numpy(), di), "door": take(dw.door.to_numpy(), di),
        "postal_code": dw.postal_code.to_numpy().astype(int)[di],
        "household_id": take(hh_fid, m.hh.to_numpy()[rows]), "area_code": take(dw.area_code.to_numpy(), di),
        "org_code": take(dw.org_code.to_numpy(), di),
        "department_number": take(dw.department_number.to_numpy(), di, "Int64"),
        "lease_id": take(dw.lease_id.to_numpy(), di),
    })
    return res


def next_stock(persons, t, dw, hh_fid, config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stock of 1 January after ``config.last_year`` (for a later data vintage) and the
    persons columns of its residents, taken from the same tenancies without a random draw. The
    tenancies are open beyond HORIZON (1 January 2026), so nobody moves after it in the model:
    that stock is the last one the simulation can give."""
    if config.partial_year is None or config.partial_year != config.last_year + 1:
        return pd.DataFrame(), pd.DataFrame()
    from dataclasses import replace

    year = config.partial_year
    res = residence_stock(persons, t, dw, hh_fid, replace(config, first_year=year, last_year=year))
    res = res[res.year == year].reset_index(drop=True)
    p = persons[persons.person_key.isin(res.person_key)]
    out = pd.DataFrame({
        "person_key": p.person_key.to_numpy(),
        "birth_date": p.birth.to_numpy().astype("datetime64[D]").astype("datetime64[ns]"),
        "sex": p.sex.to_numpy(), "origin": p.origin.to_numpy(), "citizenship": p.citizenship.to_numpy(),
        "mother_key": p.mother_key.to_numpy(), "father_key": p.father_key.to_numpy(),
    })
    return res, out


def _hp2017_lease_dw(dw: pd.DataFrame) -> np.ndarray:
    return (dw.is_lease & dw.area_code.isin(PLAN_AREAS_2017)).to_numpy()


def _hp2017_move_outs(t: pd.DataFrame, in_area: np.ndarray, year: int) -> int:
    end = t.end.to_numpy()
    return int((in_area[t.dw.to_numpy()] & (end >= day_number(year)) & (end < day_number(year + 1))).sum())


def swap_dwellings(rng, t: pd.DataFrame, dw: pd.DataFrame) -> pd.DataFrame:
    """Make the 2017-21 plan's move-outs in its three areas exact (``cal.HP2017_MOVE_OUTS``) by
    dwelling swaps within a department ('boligbytte'): on one day, k households of a department
    each move into the next one's dwelling (a cycle of 2 or 3), which adds k internal move-outs and
    k move-ins and changes no household, area or department count. From that day each dwelling
    carries the other's later tenancies, so no chain overlaps. A year whose drawn count is already
    above the target (or one short) is left as drawn."""
    in_area = _hp2017_lease_dw(dw)
    dept = (dw.org_code.fillna("") + "-" + dw.department_number.astype(str)).to_numpy()
    for year in sorted(y for y in cal.HP2017_MOVE_OUTS if y != "line"):  # two years, not persons
        need = cal.HP2017_MOVE_OUTS[year][0] - _hp2017_move_outs(t, in_area, year)
        if need < 2:
            continue
        sizes = np.full(need // 2, 2)
        sizes[-1] += need % 2
        start, end, tdw = t.start.to_numpy(), t.end.to_numpy(), t.dw.to_numpy()
        # one swap day per department; households living there well before and after it
        deps_all = np.unique(dept[in_area])
        d_of = dict(zip(deps_all, day_number(year) + rng.integers(40, 325, deps_all.size)))
        d_row = pd.Series(dept[tdw]).map(d_of).fillna(0).to_numpy(np.int64)
        cand = np.flatnonzero(in_area[tdw] & (start < d_row - 35) & (end > d_row + 35))
        cand = cand[rng.permutation(cand.size)]
        c = pd.DataFrame({"row": cand, "dept": dept[tdw[cand]]}).sort_values("dept", kind="stable")
        # fill cycles department by department: cycle i takes the next sizes[i] candidates of one department
        c["pos"] = c.groupby("dept").cumcount()
        n_dep = c.groupby("dept").size()
        rows, cyc = [], []
        ci = 0
        for k, n in n_dep.sort_values(ascending=False, kind="stable").items():  # departments, not persons
            members = c.row.to_numpy()[(c.dept == k).to_numpy()]
            p = 0
            while ci < sizes.size and p + sizes[ci] <= n:
                rows.append(members[p:p + sizes[ci]])
                cyc.append(np.full(sizes[ci], ci))
                p += sizes[ci]
                ci += 1
            if ci == sizes.size:
                break
        if not rows:
            continue
        rows, cyc = np.concatenate(rows), np.concatenate(cyc)
        first = np.r_[True, cyc[1:] != cyc[:-1]]
        # the dwelling each member moves into: the next member's (the last one's: the first's)
        nxt = np.r_[np.arange(1, rows.size), 0]
        last = np.r_[cyc[1:] != cyc[:-1], True]
        head = np.maximum.accumulate(np.where(first, np.arange(rows.size), 0))
        nxt = np.where(last, head, nxt)
        src_dw, dst_dw = tdw[rows], tdw[rows[nxt]]
        d = d_row[rows]
        remap = dict(zip(src_dw, dst_dw))
        swap_day = dict(zip(src_dw, d))
        # later tenancies follow the dwelling's new holder
        sd = pd.Series(tdw).map(swap_day).to_numpy()
        later = ~np.isnan(sd) & (start >= np.nan_to_num(sd, nan=0))
        new_dw = tdw.copy()
        new_dw[later] = pd.Series(tdw[later]).map(remap).to_numpy()
        # the households living there on the day: their tenancy is split
        tail = t.loc[rows].copy()
        tail["start"] = d
        tail["dw"] = dst_dw
        tail["in_type"] = "Intern"
        tail["anchor"] = tail.anchor & (A >= d)
        t = t.copy()
        t["dw"] = new_dw
        t.loc[rows, "end"] = d
        t.loc[rows, "out_type"] = "Intern"
        t.loc[rows, "anchor"] = t.loc[rows, "anchor"] & (A < d)
        t = pd.concat([t, tail], ignore_index=True)
    return t


def mothers_elsewhere(rng, pop: Population) -> None:
    """Children whose mother lives in another household (with their father, or with their father
    and his partner), so that the mothers of under-18s in the stock of 1 January of
    ``T.MOTHERS_KONTANTHJAELP``'s year come to the published numbers: the plan areas together
    (the new mother in the child's own area) and, at full scale, the rest of Randers. A child is
    given a mother elsewhere only when the household's own mother keeps another child, or the
    household has none; the new mother is a woman of the stock 18-42 years older than the child,
    not yet a mother, from another household and without a benefit other than kontanthjælp in the year or the
    year before (so the job-centre calibration of the other benefits is unchanged). Only
    children under 16 at the end of the year are moved, so none of them is a grown-up child at home
    in the simulated years. HP2025_BESK_MOEDRE_KONTANTHJAELP counts only mothers with the child at
    home (same FAMILIE_ID), so the mothers made here are not in it: its 788 is a registered demo
    gap (tests/demo_calibration_gaps.csv)."""

    spec = T.MOTHERS_KONTANTHJAELP
    year = int(spec["month"][:4])
    config, persons = pop.config, pop.persons
    if year not in config.years:
        return
    r = pop.residence.loc[pop.residence.year == year, ["person_key", "area_code", "household_id"]]
    p = persons[["person_key", "sex", "mother_key"]].assign(
        birth=persons.birth_date.to_numpy().astype("datetime64[D]").astype(np.int64)).merge(r, on="person_key")
    py = pop.person_year
    other_benefit = py.benefit.notna() & (py.benefit != "Kontanthjælp")
    on_benefit = set(py.loc[py.year.isin([year - 1, year]) & other_benefit, "person_key"])
    end = day_number(year, 12, 31)
    child = (p.birth.to_numpy() <= end) & (p.birth.to_numpy() > end - int(18 * 365.25))
    stock = set(p.person_key)
    is_mother = p.person_key.isin(set(p.mother_key[child & p.mother_key.isin(stock).to_numpy()]))
    targets = {True: spec[T.ALL_AREAS][0]}
    if config.is_full_scale:
        targets[False] = spec[T.RANDERS][0] - spec[T.ALL_AREAS][0]
    in_area = p.area_code.notna().to_numpy()
    young = child & (p.birth.to_numpy() > end - int(16 * 365.25))
    # the household's mother keeps her oldest child
    rank = p[child].sort_values("birth", kind="stable").groupby("mother_key", dropna=True).cumcount()
    movable = young & (p.mother_key.isna() | ~p.mother_key.isin(stock) | (rank.reindex(p.index).fillna(0) > 0)).to_numpy()
    woman = ((p.sex == "K") & ~is_mother & ~p.person_key.isin(on_benefit)).to_numpy()
    new_mother = pd.Series(dtype=object)
    for area_flag, n_target in targets.items():  # the areas and the rest, not persons
        need = n_target - int((is_mother.to_numpy() & (in_area == area_flag)).sum())
        if need <= 0:
            continue
        area_key = p.area_code.fillna("REST")
        kids = p[movable & (in_area == area_flag)].sample(frac=1, random_state=int(rng.integers(0, 2**31)))
        kids = kids.assign(akey=area_key[kids.index], want=kids.birth - int(30 * 365.25)).sort_values("want", kind="stable")
        women = p[woman & (in_area == area_flag)].sample(frac=1, random_state=int(rng.integers(0, 2**31)))
        women = women.assign(akey=area_key[women.index], want=women.birth).sort_values("want", kind="stable")
        got = []
        for _ in range(6):  # rounds of nearest-age matching, each woman at most once
            if not len(kids) or not len(women) or sum(map(len, got)) >= need:
                break
            m = pd.merge_asof(kids[["want", "akey", "person_key", "birth", "household_id"]],
                              women[["want", "akey", "person_key", "birth", "household_id"]].rename(
                                  columns={"person_key": "mk", "birth": "mb", "household_id": "mh"}),
                              on="want", by="akey", direction="nearest")
            m = m.dropna(subset=["mk"])
            gap = (m.birth - m.mb) / 365.25
            m = m[(gap >= 18) & (gap <= 42) & (m.household_id != m.mh)].drop_duplicates("mk")
            m = m.iloc[: need - sum(map(len, got))]
            got.append(m)
            kids = kids[~kids.person_key.isin(m.person_key)]
            women = women[~women.person_key.isin(m.mk)]
        if got:
            g = pd.concat(got)
            new_mother = pd.concat([new_mother, pd.Series(g.mk.to_numpy(), index=g.person_key.to_numpy())])
    if len(new_mother):
        hit = persons.person_key.isin(new_mother.index).to_numpy()
        persons.loc[hit, "mother_key"] = persons.person_key[hit].map(new_mother).to_numpy()


def former_leases_of(dw: pd.DataFrame, leases: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """Small one-room leases of the 2017-21 plan's areas that were merged into larger flats and left
    the stock on 1 January ``cal.HP2017_MERGE_YEAR`` (kept vacant until then). Their number is the
    smallest that makes every published move-out percentage (``cal.HP2017_MOVE_OUTS``) come out of
    the simulated move-outs and the stock (the 2024 stock per area stays exact)."""
    lease_dw = dw[_hp2017_lease_dw(dw)]
    key = lease_dw.org_code + "-" + lease_dw.department_number.astype(int).astype(str) + "-" + lease_dw.lease_id
    mkey = moves.org_code + "-" + moves.department_number.astype(str) + "-" + moves.lease_id
    out = moves[(moves.event == "Fraflytning") & mkey.isin(set(key)).to_numpy()].groupby("year").size()
    stock = len(lease_dw)
    pubs = {y: v for y, v in cal.HP2017_MOVE_OUTS.items() if y != "line"}
    n_former = 0
    for n in range(0, stock // 5):  # candidate counts, not persons
        if all(round(100 * out.get(y, 0) / (stock + n), dec) == pct for y, (_, pct, dec) in pubs.items()):
            n_former = n
            break
    cols = list(leases.columns)
    if n_former == 0:
        return pd.DataFrame(columns=cols + ["last_year"])
    # all in the largest RandersBolig department of the three areas, at its own addresses
    rb = lease_dw[lease_dw.org_code != "LEJERBO"]
    dep = rb.groupby(["org_code", "department_number"]).size().idxmax()
    d = rb[(rb.org_code == dep[0]) & (rb.department_number == dep[1])]
    addr = d.drop_duplicates("addr_key")
    a = addr.iloc[np.arange(n_former) % len(addr)]
    unit = a.units_at_address.to_numpy() + np.arange(n_former) // len(addr)
    seq = d.lease_id.astype(int).max() + 1 + np.arange(n_former)
    return pd.DataFrame({
        "org_code": dep[0], "department_number": int(dep[1]), "lease_id": pd.Series(seq).map("{:04d}".format).to_numpy(),
        "street": a.street.to_numpy(), "number": a.number.to_numpy(), "letter": a.letter.to_numpy(),
        "floor": np.where(unit // 2 == 0, "st", (unit // 2).astype(str)),
        "door": np.array(["tv", "th"])[unit % 2], "dwelling_type": "Familie",
        "rooms": 1, "area_m2": 38.0, "last_year": cal.HP2017_MERGE_YEAR - 1,
    })


def move_events(t: pd.DataFrame, dw: pd.DataFrame) -> pd.DataFrame:
    """Move-ins and move-outs of social leases, one row per event."""
    lease = dw.is_lease.to_numpy()[t.dw.to_numpy()]
    tt = t[lease]
    d = dw.iloc[tt.dw.to_numpy()]
    common = {"org_code": d.org_code.to_numpy(), "department_number": d.department_number.to_numpy().astype(int),
              "lease_id": d.lease_id.to_numpy()}
    ins = pd.DataFrame({**common, "date": tt.start.to_numpy(), "event": "Indflytning", "move_type": tt.in_type.to_numpy(),
                        "tenancy_start": tt.start.to_numpy()})
    outs = pd.DataFrame({**common, "date": tt.end.to_numpy(), "event": "Fraflytning", "move_type": tt.out_type.to_numpy(),
                         "tenancy_start": tt.start.to_numpy()})
    mv = pd.concat([ins, outs], ignore_index=True)
    mv = mv[(mv.date >= day_number(2011)) & (mv.date < HORIZON)]
    mv["year"] = year_of(mv.date.to_numpy()).astype(int)
    mv["date"] = mv.date.to_numpy().astype("datetime64[D]").astype("datetime64[ns]")
    mv["tenancy_start"] = mv.tenancy_start.to_numpy().astype("datetime64[D]").astype("datetime64[ns]")
    return mv[["org_code", "department_number", "lease_id", "year", "event", "date", "move_type", "tenancy_start"]] \
        .sort_values(["year", "org_code", "department_number", "lease_id", "date", "event"], kind="stable").reset_index(drop=True)
