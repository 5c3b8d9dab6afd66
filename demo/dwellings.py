"""Dwellings, the 1 January 2024 household compositions and the tenancies (who rents which
dwelling when), the frame every other part of the population builds on."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import calibration as cal
from demo.areas import expand_addresses
from demo.dates import day_number
from demo.model import PLAN_AREAS_2025, SEEDS

GROUPS = PLAN_AREAS_2025 + ("REST",)
G = {g: i for i, g in enumerate(GROUPS)}
REST = G["REST"]
NA = len(PLAN_AREAS_2025)

ANCHOR_YEAR = 2024
A = day_number(ANCHOR_YEAR)
OPEN = day_number(2100)  # tenancy still running after the horizon
HORIZON = day_number(2026)
WINDOW = day_number(2009)

# Per-group behaviour (not published; chosen for plausible, area-typical levels).
#                dur  vac   kids_single kids_couple adult_kid single-age weights (young, mid, old)
PARAMS = {
    "GJP": dict(dur=8.0, vac=0.01, ks=2.1, kc=2.6, ak=0.20, ages=(0.30, 0.50, 0.20)),
    "GLV": dict(dur=7.0, vac=0.04, ks=1.9, kc=2.3, ak=0.18, ages=(0.30, 0.45, 0.25)),
    "HSV": dict(dur=5.0, vac=0.07, ks=1.6, kc=1.9, ak=0.10, ages=(0.30, 0.40, 0.30)),
    "ENV": dict(dur=5.0, vac=0.06, ks=1.7, kc=2.0, ak=0.12, ages=(0.35, 0.45, 0.20)),
    "VGD": dict(dur=8.0, vac=0.01, ks=2.2, kc=2.7, ak=0.20, ages=(0.30, 0.50, 0.20)),
    "SJK": dict(dur=5.0, vac=0.06, ks=1.5, kc=1.8, ak=0.10, ages=(0.35, 0.40, 0.25)),
    "CRA": dict(dur=4.5, vac=0.07, ks=1.5, kc=1.7, ak=0.08, ages=(0.40, 0.40, 0.20)),
    "REST": dict(dur=10.0, vac=0.035, ks=1.6, kc=1.9, ak=0.25, ages=(0.20, 0.40, 0.40)),
}

POSTAL = {"GJP": 8930, "GLV": 8930, "HSV": 8900, "ENV": 8920, "VGD": 8920, "SJK": 8900, "CRA": 8900}

# Streets in Randers outside every plan-area range (checked by the tests with area_for_address).
REST_STREETS = (
    ("Vestergade", 8900), ("Middelgade", 8900), ("Østervold", 8900), ("Jernbanegade", 8900),
    ("Tørvebryggen", 8900), ("Brødregade", 8900), ("Houmeden", 8900), ("Slotsgade", 8900),
    ("Storegade", 8900), ("Kirkegade", 8900), ("Vester Allé", 8900), ("Dronningensgade", 8900),
    ("Nørregade", 8900), ("Rådhustorvet", 8900), ("Sønderbrogade", 8900), ("Provstegade", 8900),
    ("Set. Mortens Gade", 8900), ("Fischersgade", 8900), ("Kirkebakken", 8900), ("Vestervold", 8900),
    ("Tøjhushaven", 8900), ("Grønnegade", 8900), ("Ydre Ringvej", 8940), ("Aarhusvej", 8940),
    ("Randersvej", 8960), ("Hobrovej", 8920), ("Viborgvej Nord", 8920), ("Lindevej", 8940),
    ("Bøgevej", 8940), ("Ahornvej", 8940), ("Kastanievej", 8940), ("Ege Allé", 8940),
    ("Strandvejen", 8960), ("Fjordgade", 8960), ("Kristrupvej", 8960), ("Hvidemøllevej", 8960),
    ("Tjærbyvej", 8920), ("Vorup Boulevard", 8940), ("Dronningborg Boulevard", 8930), ("Bjellerupvej", 8930),
    ("Paderupvej", 8920), ("Jennumvej", 8930), ("Dalgasvej", 8900), ("Blichersvej", 8900),
    ("Ingemannsvej", 8900), ("Grundtvigsvej", 8900), ("Skovbakken", 8920), ("Hedevej", 8920),
    ("Løvstrædet", 8900), ("Rosenvænget", 8920), ("Solbakken", 8960), ("Engvej", 8960),
    ("Mølleparken", 8920), ("Kærvej", 8930), ("Åboulevarden", 8900), ("Havnegade", 8900),
    ("Toldbodgade", 8900), ("Markedsgade", 8900), ("Strømmen", 8900), ("Bødkergade", 8900),
)
# Social-housing departments outside the plan (invented numbers, none in housing_departments.csv).
REST_SOCIAL_DEPTS = (
    [("MS", d) for d in range(30, 40)] + [("RB1940", d) for d in range(30, 38)] + [("KJ", d) for d in range(1, 9)]
    + [("RAB", d) for d in range(1, 11)] + [("RAB1874", d) for d in range(2, 6)]
    + [("LEJERBO", d) for d in (101, 102, 105, 106, 107)]
)
REST_SOCIAL_SHARE = 0.20
RANDERS_PERSONS_PER_DWELLING = 2.05


def choose_exact(rng, eligible: np.ndarray, k: int, score: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of exactly k (clamped) eligible elements: the lowest ``score`` (random if None)."""
    idx = np.flatnonzero(eligible)
    k = int(min(max(k, 0), idx.size))
    s = rng.random(idx.size) if score is None else score[idx]
    out = np.zeros(eligible.size, bool)
    out[idx[np.argsort(s, kind="stable")[:k]]] = True
    return out


def _fill_sizes(rng, total: int, mean: float) -> np.ndarray:
    """Family sizes (>=1) summing exactly to ``total``."""
    if total <= 0:
        return np.zeros(0, int)
    draw = 1 + rng.poisson(max(mean - 1, 0.05), size=total)
    cs = np.cumsum(draw)
    n = int(np.searchsorted(cs, total)) + 1
    sizes = draw[:n].copy()
    sizes[-1] -= cs[n - 1] - total
    return sizes


# ------------------------------------------------------------------------------------ dwellings
def area_dwellings(rng) -> pd.DataFrame:
    deps = pd.read_csv(SEEDS / "housing_departments.csv", dtype=str)
    frames = []
    for area in PLAN_AREAS_2025:  # seven areas, not persons
        addrs = expand_addresses(area)
        n_addr, L = len(addrs), cal.PROFILE_2024[area]["leases"]
        dl = deps.loc[deps.area_code == area, ["org_code", "department_number"]].drop_duplicates().to_numpy()
        addr_dept = (np.arange(n_addr) * len(dl)) // n_addr  # invented contiguous split
        per_addr = np.diff(np.floor(np.linspace(0, L, n_addr + 1)).astype(int))
        a_idx = np.repeat(np.arange(n_addr), per_addr)
        unit = np.arange(L) - np.repeat(np.cumsum(per_addr) - per_addr, per_addr)
        street = np.array([a[0] for a in addrs], dtype=object)
        number = np.array([a[1] for a in addrs])
        letter = np.array([a[2] for a in addrs], dtype=object)
        frames.append(pd.DataFrame({
            "group": G[area], "area_code": area, "street": street[a_idx], "number": number[a_idx],
            "letter": letter[a_idx], "unit": unit, "units_at_address": per_addr[a_idx],
            "org_code": dl[addr_dept[a_idx], 0], "department_number": dl[addr_dept[a_idx], 1].astype(int),
            "postal_code": POSTAL[area], "addr_key": a_idx,
        }))
    return pd.concat(frames, ignore_index=True)


def rest_dwellings(rng, n: int) -> pd.DataFrame:
    streets = np.array([s for s, _ in REST_STREETS], dtype=object)
    postal = np.array([p for _, p in REST_STREETS])
    max_no = 220
    n_pool = len(streets) * max_no
    pool_street = np.repeat(np.arange(len(streets)), max_no)
    pool_no = np.tile(np.arange(1, max_no + 1), len(streets))
    # Spread over the streets rather than filling the first one (round-robin over streets).
    order = np.lexsort((pool_street, pool_no))
    pool_street, pool_no = pool_street[order], pool_no[order]
    n_social = int(round(n * REST_SOCIAL_SHARE))
    cap = np.tile(np.array([1, 6, 8, 1, 4, 10, 2, 6]), n_pool // 8 + 1)[:n_pool]
    n_soc_addr = int(np.ceil(n_social / 8))
    cap[:n_soc_addr] = 8
    cs = np.cumsum(cap)
    if cs[-1] < n:
        raise ValueError("rest_residents too large for the street pool")
    a_idx = np.searchsorted(cs, np.arange(n), side="right")
    unit = np.arange(n) - (cs - cap)[a_idx]
    units_at = np.minimum(cap[a_idx], np.where(a_idx == a_idx.max(), n - (cs - cap)[a_idx.max()], cap[a_idx]))
    is_social = np.arange(n) < n_social
    depts = np.array(REST_SOCIAL_DEPTS, dtype=object)
    d_idx = (np.arange(n) * len(depts)) // max(n_social, 1)
    org = np.where(is_social, depts[np.minimum(d_idx, len(depts) - 1), 0], None)
    dept = np.where(is_social, depts[np.minimum(d_idx, len(depts) - 1), 1], None)
    letter = np.where((pool_no[a_idx] % 11 == 0) & ~is_social, "A", None)
    return pd.DataFrame({
        "group": REST, "area_code": None, "street": streets[pool_street[a_idx]], "number": pool_no[a_idx],
        "letter": letter, "unit": unit, "units_at_address": units_at, "org_code": org,
        "department_number": dept, "postal_code": postal[pool_street[a_idx]], "addr_key": 10_000 + a_idx,
    })


def finish_dwellings(rng, dw: pd.DataFrame) -> pd.DataFrame:
    n = len(dw)
    k = np.where(dw.units_at_address.to_numpy() <= 8, 2, 3)
    unit = dw.unit.to_numpy()
    single_house = dw.units_at_address.to_numpy() == 1
    floor_i = unit // k
    dw["floor"] = np.where(single_house, None, np.where(floor_i == 0, "st", floor_i.astype(str)))
    dw["door"] = np.where(single_house, None, np.array(["tv", "th", "mf"])[unit % k])
    social = dw.org_code.notna().to_numpy()
    dw["is_lease"] = social
    # Lease numbers: RandersBolig 4 digits within the department; Lejerbo 'entrance-unit'.
    seq = dw.groupby(["org_code", "department_number"], dropna=False).cumcount().to_numpy() + 1
    ent = dw.groupby(["org_code", "department_number", "addr_key"], dropna=False).ngroup().to_numpy()
    ent = ent - pd.Series(ent).groupby([dw.org_code.fillna(""), dw.department_number.fillna(-1)]).transform("min").to_numpy() + 1
    lejerbo = (dw.org_code == "LEJERBO").to_numpy()
    lid = np.where(lejerbo, pd.Series(ent).map("{:03d}".format) + "-" + pd.Series(unit + 1).map("{:03d}".format),
                   pd.Series(seq).map("{:04d}".format))
    dw["lease_id"] = np.where(social, lid, None)
    g = dw.group.to_numpy()
    older = (rng.random(n) < np.where(np.isin(g, [G["HSV"], G["CRA"], G["SJK"]]), 0.12, 0.04)) & social
    youth = (rng.random(n) < np.where(g == G["CRA"], 0.08, 0.02)) & social & ~older
    dw["dwelling_type"] = np.where(older, "Ældre", np.where(youth, "Ungdom", "Familie"))
    big = np.isin(g, [G["GJP"], G["VGD"], G["GLV"]])
    rooms = np.clip(np.round(rng.normal(np.where(big, 3.3, 2.6), 0.9)), 1, 6).astype(int)
    rooms = np.where(youth, 1, np.where(older, np.minimum(rooms, 2), rooms))
    dw["rooms"] = rooms
    dw["area_m2"] = np.clip(np.round(18 + rooms * 22 + rng.normal(0, 6, n)), 20, 200)
    dw["dw"] = np.arange(n)
    return dw


# ------------------------------------------------------------------------------------ anchor households
def anchor_compositions(rng, group: int, N: int, C: int, Cs: int, L: int) -> pd.DataFrame:
    """Households occupying the group's dwellings on 1 January 2024, summing exactly to N
    residents, C children under 18 and Cs children with a single provider."""
    p = PARAMS[GROUPS[group]]
    ks = _fill_sizes(rng, Cs, p["ks"])
    kc = _fill_sizes(rng, C - Cs, p["kc"])
    fs, fc = ks.size, kc.size
    ak = np.zeros(fs + fc, int)
    n_ak = int(round(p["ak"] * (fs + fc)))
    ak[rng.choice(fs + fc, size=min(n_ak, fs + fc), replace=False)] = 1
    adults_rest = N - C - fs - 2 * fc - ak.sum()
    h_occ = min(L, int(round(L * (1 - p["vac"]))))
    h0 = h_occ - fs - fc
    couples = adults_rest - h0
    singles = h0 - couples
    if couples < 0:  # too few adults to fill the dwellings: more vacancies
        couples, singles = 0, adults_rest
    elif singles < 0:  # too many adults: the surplus lives as grown-up children at home
        couples, singles = h0, 0
        extra = adults_rest - 2 * h0
        ak += np.bincount(rng.integers(0, fs + fc, extra), minlength=fs + fc)
    n_ad = np.concatenate([np.ones(fs, int), np.full(fc, 2), np.full(couples, 2), np.ones(singles, int)])
    n_k = np.concatenate([ks, kc, np.zeros(couples + singles, int)])
    n_ak = np.concatenate([ak, np.zeros(couples + singles, int)])
    assert n_ad.sum() + n_k.sum() + n_ak.sum() == N and n_k.sum() == C and len(n_ad) <= L
    perm = rng.permutation(len(n_ad))
    return pd.DataFrame({"group": group, "n_ad": n_ad[perm], "n_k": n_k[perm], "n_ak": n_ak[perm]})


# ------------------------------------------------------------------------------------ tenancies
def draw_tenancies(rng, dw: pd.DataFrame, occupied: np.ndarray) -> pd.DataFrame:
    """Chains of tenancies per dwelling: anchored on 1 January 2024 (occupied or vacant then)."""
    n = len(dw)
    g = dw.group.to_numpy()
    dur = np.array([PARAMS[x]["dur"] for x in GROUPS])[g] * 365.25
    dur = np.where((g == REST) & ~dw.is_lease.to_numpy(), dur * 1.3, dur)

    def durations(shape, d):
        x = np.maximum(rng.exponential(1.0, shape) * d[:, None], 20)
        short = rng.random(shape) < 0.03  # tenancies of at most a month (LBF leaves them out)
        return np.where(short, rng.integers(5, 31, shape), x).astype(np.int64)

    vac = np.array([PARAMS[x]["vac"] for x in GROUPS])[g]
    gap_mean = vac / (1 - vac) * dur / 0.7  # vacancy between tenancies as common as on the anchor date

    def gaps(shape):
        return np.where(rng.random(shape) < 0.3, 0, 1 + rng.exponential(1.0, shape) * gap_mean[:, None]).astype(np.int64)

    a_start = A - (rng.exponential(1.0, n) * dur).astype(np.int64) - 1
    a_end = A + 1 + (rng.exponential(1.0, n) * dur).astype(np.int64)
    v_prev_end = A - 1 - rng.exponential(100, n).astype(np.int64)
    v_next_start = A + 1 + rng.exponential(100, n).astype(np.int64)
    first_start = np.where(occupied, a_start, v_prev_end)  # boundary before the anchor
    first_end = np.where(occupied, a_end, v_next_start)
    KB, KF = 10, 5
    gb, db = gaps((n, KB)), durations((n, KB), dur)
    # backward: end_k = start_{k-1} - gap_k ; start_k = end_k - dur_k
    steps_b = np.cumsum(gb + db, axis=1)
    end_b = first_start[:, None] - (steps_b - db)
    start_b = first_start[:, None] - steps_b
    # a vacant dwelling's previous tenancy ends exactly at v_prev_end (the vacancy is the gap)
    end_b = np.where(occupied[:, None], end_b, end_b + gb[:, :1])
    start_b = np.where(occupied[:, None], start_b, start_b + gb[:, :1])
    gf, df = gaps((n, KF)), durations((n, KF), dur)
    gf[:, 0] = np.where(occupied, gf[:, 0], 0)
    steps_f = np.cumsum(gf + df, axis=1)
    start_f = first_end[:, None] + (steps_f - df)
    end_f = first_end[:, None] + steps_f
    dwi = np.arange(n)
    parts = [
        (dwi[occupied], a_start[occupied], a_end[occupied], np.ones(occupied.sum(), bool)),
        (np.repeat(dwi, KB), start_b.ravel(), end_b.ravel(), np.zeros(n * KB, bool)),
        (np.repeat(dwi, KF), start_f.ravel(), end_f.ravel(), np.zeros(n * KF, bool)),
    ]
    t = pd.DataFrame({
        "dw": np.concatenate([p[0] for p in parts]), "start": np.concatenate([p[1] for p in parts]),
        "end": np.concatenate([p[2] for p in parts]), "anchor": np.concatenate([p[3] for p in parts]),
    })
    t = t[(t.end > WINDOW) & (t.start < HORIZON)].copy()
    t.loc[t.end >= HORIZON, "end"] = OPEN
    t = t.sort_values(["dw", "start"], kind="stable").reset_index(drop=True)
    t["group"] = g[t.dw.to_numpy()]
    return t


def link_moves(rng, t: pd.DataFrame, dw: pd.DataFrame) -> pd.DataFrame:
    """Link some move-outs to a move-in in another dwelling (same household moves on)."""
    n = len(t)
    t["prev"] = -1
    t["next"] = -1
    t["in_type"] = "Ekstern"
    t["out_type"] = "Ekstern"
    same_dw = t.dw.to_numpy()[1:] == t.dw.to_numpy()[:-1]
    prev_end = np.full(n, -(10**9))
    prev_end[1:] = np.where(same_dw, t.end.to_numpy()[:-1], -(10**9))
    dept_key = (dw.org_code.fillna("PRIVAT") + "-" + dw.department_number.astype(str)).to_numpy()[t.dw.to_numpy()]
    for key, frac, kind in ((dept_key, 0.12, "Intern"), (np.zeros(n, int), 0.25, "Ekstern")):
        start, end = t.start.to_numpy(), t.end.to_numpy()
        e_ok = (t.next.to_numpy() < 0) & (end < HORIZON) & (end >= WINDOW) & (rng.random(n) < frac)
        s_ok = (t.prev.to_numpy() < 0) & (start >= WINDOW) & (start < HORIZON)
        if kind == "Intern":
            e_ok &= t.group.to_numpy() < REST
        E = pd.DataFrame({"i": np.flatnonzero(e_ok), "key": key[e_ok], "d": end[e_ok]}).sort_values(["d", "i"], kind="stable")
        S = pd.DataFrame({"j": np.flatnonzero(s_ok), "key": key[s_ok], "d": start[s_ok]}).sort_values(["d", "j"], kind="stable")
        # the nearest move-in in the same key; a move-in takes at most one household
        m = pd.merge_asof(E, S, on="d", by="key", direction="forward", tolerance=120).dropna(subset=["j"])
        m = m.drop_duplicates("j")
        i, j = m.i.to_numpy(), m.j.to_numpy().astype(np.int64)
        de = end[i]
        ok = (np.abs(de - start[j]) < 120) & (t.dw.to_numpy()[i] != t.dw.to_numpy()[j])
        ok &= (de >= prev_end[j]) & (de < end[j]) & ((start[j] > A) == (de > A))
        i, j = i[ok], j[ok]
        t.loc[j, "start"] = end[i]
        t.loc[i, "next"] = j
        t.loc[j, "prev"] = i
        t.loc[i, "out_type"] = kind
        t.loc[j, "in_type"] = kind
    # Household = root of the chain (pointer jumping).
    root = np.arange(n)
    prev = t.prev.to_numpy()
    has = prev >= 0
    root[has] = prev[has]
    for _ in range(12):
        nxt = np.where(prev[root] >= 0, prev[root], root)
        if np.array_equal(nxt, root):
            break
        root = nxt
    t["hh"] = pd.factorize(root)[0]
    return t
