"""The partial year of a later data vintage: the files of the year after ``DemoConfig.last_year``
as extracted on ``DemoConfig.extract_date`` (31 October 2026 by default).

A continuation, never a redraw. Every file up to ``last_year`` is written first, exactly as the
delivery of 31 December ``last_year`` (byte-identical whatever the vintage; a test checks it).
This module then reads what it needs from the population and from those files and draws the new
year from its own random streams (one per source, ``rng_for(pop, 'vintage:<source>')``), so no
earlier draw moves. The school year that ended in June of the partial year (skolefravær and
afgangsprøver 2025/26) is drawn by ``children`` itself, as the last iteration of its loop.

What the partial year holds (2026 for the default vintage):
- cpr_befolkning: the stock of 1 January (``Population.next_residence``; the simulated tenancies
  are open beyond 1 January 2026, so the stock is the last one the model can give);
- jobcenter_ydelser: January to the month of the extract date. Each benefit running in December
  continues with a monthly exit hazard per benefit; residents aged 18-64 without one start one
  at the monthly rate the previous year's file shows (area residents and the rest apart);
- sprogvurdering: 'Formodet behov' at the previous year's rate per area group, 'Alle 3-årige'
  and 'Skolestart' (August to the extract date), as ``school.language_assessments`` draws them;
- uu_vejledning: the status of 1 October (only when the extract date is on or after it): the
  pupils who left 9th or 10th grade in the summer (from the school year just delivered) and
  those the previous file followed, their status carried on;
- dagtilbud, anbringelser, indsatsdeltagelse: the same spells as before, delivered again: a spell
  delivered open on 31 December now has SLUT (and GENNEMFOERT) where it ended by the extract
  date. New spells: the 2025-29 plan's activities start new participants from January to the
  extract date. New daycare enrolments and placements of the year are not simulated;
- housing: the lease stock of 1 January (unchanged since the year before), and move-outs with
  re-lettings, eviction cases and complaints from January to the extract date at the previous
  years' rates. They cannot show in a CPR stock (the next one is of 1 January of the year after).
- No Danmarks Statistik, LBF or national reference file: they are published with a lag.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from demo import children_world as C
from demo import dates
from demo import housing as H
from demo.interventions import HP2025, Activity
from demo.model import PLAN_AREAS_2025, Population
from demo.writers import write_extract
from demo.youth import EDUCATIONS
from ingestion.contract import source

# Monthly chance a running benefit ends (none of these is drawn anywhere else; plausible levels).
EXIT_HAZARD = {"Førtidspension": 0.002, "Fleksjob": 0.01, "Ledighedsydelse": 0.06, "Ressourceforløb": 0.03,
               "Jobafklaring": 0.05}
EXIT_HAZARD_OTHER = 0.07


def _read(out_dir: Path, name: str, year: int) -> pd.DataFrame:
    """A file the generator has just written, as text columns (empty when there is none)."""
    src = source(name)
    path = Path(out_dir) / src.folder / src.file_name(year)
    if not path.exists():
        return pd.DataFrame(columns=src.column_names)
    return pd.read_csv(path, sep=src.delimiter, encoding=src.encoding, dtype=str, keep_default_na=False)


def _member(keys: np.ndarray, values) -> np.ndarray:
    """keys (person keys) in values, by hashing (numpy's isin sorts object arrays: minutes at scale)."""
    return pd.Series(keys, dtype=object).isin(pd.Index(list(values), dtype=object)).to_numpy()


def _rng(pop: Population, name: str) -> np.random.Generator:
    return C.rng_for(pop, f"vintage:{name}")


class _Stock:
    """The stock of 1 January of the partial year, as arrays."""

    def __init__(self, pop: Population):
        cfg = pop.config
        self.year = cfg.partial_year
        self.extract = cfg.extract_day
        res = pop.next_residence.reset_index(drop=True)
        # persons columns: the finished population's where the person is in it (ages capped,
        # mothers moved), else the simulation's own (babies of the year before, newcomers)
        known = pop.persons.set_index("person_key")
        extra = pop.next_persons.set_index("person_key")
        persons = pd.concat([known, extra[~extra.index.isin(known.index)]]).reindex(res.person_key)
        self.res = res
        self.persons = persons
        self.key = res.person_key.to_numpy(dtype=object)
        self.birth = persons.birth_date.to_numpy().astype("datetime64[D]")
        self.sex = persons.sex.to_numpy(dtype=object)
        self.mother = persons.mother_key.astype(object).where(persons.mother_key.notna(), None).to_numpy(dtype=object)
        area = res.area_code.astype(object).where(res.area_code.notna(), None).to_numpy(dtype=object)
        self.area = area
        self.group = np.array([PLAN_AREAS_2025.index(a) if a in PLAN_AREAS_2025 else C.REST_CODE for a in area], np.int8)
        self.age = dates.age_on(self.birth, dates.day(self.year))
        self.months = int(str(self.extract)[5:7]) if str(self.extract)[8:] >= "28" else int(str(self.extract)[5:7]) - 1


# ------------------------------------------------------------------------------------ CPR
def cpr_frame(st: _Stock) -> pd.DataFrame:
    r, p = st.res, st.persons
    return pd.DataFrame({
        "PNR_PSEUDO": st.key, "FOEDSELSDATO": p.birth_date.to_numpy(), "KOEN": p.sex.to_numpy(),
        "VEJNAVN": r.street.to_numpy(), "HUSNR": r.number.to_numpy(), "HUSBOGSTAV": r.letter.to_numpy(),
        "ETAGE": r.floor.to_numpy(), "DOER": r.door.to_numpy(), "POSTNR": r.postal_code.to_numpy(),
        "MOR_PNR_PSEUDO": p.mother_key.to_numpy(), "FAR_PNR_PSEUDO": p.father_key.to_numpy(),
        "FAMILIE_ID": r.household_id.to_numpy(), "STATSBORGERSKAB": p.citizenship.to_numpy(),
        "OPRINDELSE": p.origin.to_numpy(),
    })


# ------------------------------------------------------------------------------ jobcenter
def benefit_months(pop: Population, st: _Stock, out_dir: Path) -> pd.DataFrame:
    rng = _rng(pop, "jobcenter_ydelser")
    prev = _read(out_dir, "jobcenter_ydelser", st.year - 1)
    prev["month"] = prev.MAANED.str[5:7].astype(int)
    area_of = pd.Series(st.group, index=st.key)
    in_stock = prev.PNR_PSEUDO.isin(area_of.index)
    # benefits running in December go on: one spell per person and benefit
    dec = prev[(prev.month == 12) & in_stock].drop_duplicates(["PNR_PSEUDO", "YDELSE"])
    hazard = dec.YDELSE.map(EXIT_HAZARD).fillna(EXIT_HAZARD_OTHER).to_numpy()
    run = rng.geometric(hazard)  # months until the spell ends (1 = January only)
    # starts: the previous year's monthly rate of persons starting a benefit (no benefit the month before)
    by_person = prev.groupby("PNR_PSEUDO").month.agg(["min"])
    starters = by_person[by_person["min"] > 1]
    adult = (st.age >= 18) & (st.age <= 64)
    recipients = set(dec.PNR_PSEUDO)
    free = adult & ~_member(st.key, recipients)
    rates = {}
    for is_area in (True, False):
        pool = adult & ((st.group < C.N_AREAS) == is_area)
        n_start = int(area_of.reindex(starters.index).dropna().lt(C.N_AREAS).eq(is_area).sum())
        rates[is_area] = n_start / max(int(pool.sum()), 1) / 11
    p_start = np.where(st.group < C.N_AREAS, rates[True], rates[False])
    first = np.full(len(st.key), 99)
    for m in range(1, st.months + 1):  # a start in month m unless started already
        hit = free & (first == 99) & (rng.random(len(st.key)) < p_start)
        first[hit] = m
    new_idx = np.flatnonzero(first <= st.months)
    # the new spells take their benefit, match group and fraction from the previous year's starters
    starter_rows = prev[prev.PNR_PSEUDO.isin(starters.index)].drop_duplicates("PNR_PSEUDO")
    template = starter_rows.iloc[rng.integers(0, len(starter_rows), len(new_idx))] if len(starter_rows) else prev.iloc[:0]
    new_run = rng.geometric(0.12, len(new_idx))
    spells = pd.concat([
        pd.DataFrame({"PNR_PSEUDO": dec.PNR_PSEUDO.to_numpy(), "YDELSE": dec.YDELSE.to_numpy(),
                      "MATCHGRUPPE": dec.MATCHGRUPPE.to_numpy(), "FULDTIDSANDEL": dec.FULDTIDSANDEL.to_numpy(),
                      "first": 1, "last": run}),
        pd.DataFrame({"PNR_PSEUDO": st.key[new_idx], "YDELSE": template.YDELSE.to_numpy(),
                      "MATCHGRUPPE": template.MATCHGRUPPE.to_numpy(), "FULDTIDSANDEL": template.FULDTIDSANDEL.to_numpy(),
                      "first": first[new_idx], "last": first[new_idx] + new_run - 1}),
    ], ignore_index=True)
    spells["last"] = np.minimum(spells["last"], st.months)
    reps = (spells["last"] - spells["first"] + 1).clip(lower=0).to_numpy()
    out = spells.loc[spells.index.repeat(reps)].reset_index(drop=True)
    month = np.repeat(spells["first"].to_numpy(), reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
    out["MAANED"] = [f"{st.year}-{m:02d}" for m in month]
    out["MATCHGRUPPE"] = out.MATCHGRUPPE.replace("", None)
    out["FULDTIDSANDEL"] = out.FULDTIDSANDEL.str.replace(",", ".").astype(float)
    return out.sort_values(["PNR_PSEUDO", "MAANED", "YDELSE"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------ sprogvurdering
def language_assessments(pop: Population, st: _Stock, out_dir: Path) -> pd.DataFrame:
    rng = _rng(pop, "sprogvurdering")
    w = C.world(pop)
    prev = _read(out_dir, "sprogvurdering", st.year - 1)
    prev_res = pop.residence[pop.residence.year == st.year - 1]
    prev_area = pd.Series(prev_res.area_code.notna().to_numpy() & prev_res.area_code.isin(PLAN_AREAS_2025).to_numpy(),
                          index=prev_res.person_key.to_numpy())
    jan1, last = dates.day(st.year), st.extract
    # institutions: the child's own daycare (or a daycare of the home area for a child new in the data)
    w_index = pd.Index(w.key).get_indexer(st.key)
    own = np.where(w_index >= 0, C.daycare_code(w)[np.maximum(w_index, 0)], None)
    pick = C.stable_pick(w, np.arange(len(st.key)), 1000, 41)
    fallback = np.array([C.DAYCARES[C.GROUPS[g]][p % len(C.DAYCARES[C.GROUPS[g]])] for g, p in zip(st.group, pick)],
                        dtype=object)
    daycare = np.where(own == None, fallback, own)  # noqa: E711 (object array)
    frames = []
    # 'Formodet behov': the previous year's rate of assessed 33-84-month-olds per area group
    fb = prev[prev.AARSAG == "Formodet behov"]
    hi = np.minimum(last, dates.add_months(st.birth, 84) - 1)
    lo = np.maximum(jan1, dates.add_months(st.birth, 33))
    cand = lo <= hi
    share = st.months / 12
    for is_area in (True, False):
        grp = cand & ((st.group < C.N_AREAS) == is_area)
        prev_n = int(prev_area.reindex(fb.PNR_PSEUDO).fillna(False).eq(is_area).sum())
        prev_pool = int(((prev_area == is_area)).sum()) or 1
        base_pool = int(((st.group < C.N_AREAS) == is_area).sum())
        n = min(int(round(prev_n / prev_pool * base_pool * share)), int(grp.sum()))
        sel = rng.choice(np.flatnonzero(grp), n, replace=False) if n else np.zeros(0, np.int64)
        res_prev = fb[prev_area.reindex(fb.PNR_PSEUDO).fillna(False).to_numpy() == is_area].RESULTAT
        p = res_prev.value_counts(normalize=True).reindex(C.RESULTS, fill_value=0).to_numpy()
        p = p / p.sum() if p.sum() else np.array([0.8, 0.12, 0.08])
        when = dates.uniform_dates(rng, lo[sel], hi[sel])
        frames.append(pd.DataFrame({"i": sel, "VURDERINGSDATO": when, "AARSAG": "Formodet behov",
                                    "RESULTAT": C.RESULTS[rng.choice(3, len(sel), p=p)], "INSTITUTION_KODE": daycare[sel]}))
    # 'Alle 3-årige' around the third birthday, as school.language_assessments
    bday3 = dates.add_months(st.birth, 36)
    three = np.flatnonzero((bday3 >= jan1) & (bday3 <= last) & (rng.random(len(st.key)) < 0.88))
    when = np.minimum(bday3[three] + rng.integers(0, 90, len(three)), last)
    frames.append(pd.DataFrame({"i": three, "VURDERINGSDATO": when, "AARSAG": "Alle 3-årige",
                                "RESULTAT": C.draw_results(rng, st.group[three], (0.70, 0.15, 0.15), (0.86, 0.09, 0.05)),
                                "INSTITUTION_KODE": daycare[three]}))
    # 'Skolestart' in the autumn of 0. klasse (20 August to the extract date): children turning 6 in the year
    if last >= dates.day(st.year, 8, 20):
        start = np.flatnonzero((dates.ymd(st.birth)[0] == st.year - 6) & (rng.random(len(st.key)) < 0.93))
        when = dates.uniform_dates(rng, np.full(len(start), dates.day(st.year, 8, 20)), np.full(len(start), last))
        school = C.school_code(w, np.arange(len(st.key))[start], st.group[start], 0)
        frames.append(pd.DataFrame({"i": start, "VURDERINGSDATO": when, "AARSAG": "Skolestart",
                                    "RESULTAT": C.draw_results(rng, st.group[start], (0.66, 0.17, 0.17), (0.85, 0.09, 0.06)),
                                    "INSTITUTION_KODE": school}))
    df = pd.concat(frames, ignore_index=True)
    i = df.pop("i").to_numpy()
    when = df.VURDERINGSDATO.to_numpy().astype("datetime64[D]")
    df.insert(0, "PNR_PSEUDO", st.key[i])
    df["VURDERINGSDATO"] = pd.to_datetime(when)
    df["ALDER"] = np.clip(dates.age_on(st.birth[i], when), 2, 7)
    return df.drop_duplicates(["PNR_PSEUDO", "VURDERINGSDATO"], keep="first").reset_index(drop=True)


# ------------------------------------------------------------------------------------- UU
def youth_guidance(pop: Population, st: _Stock, out_dir: Path) -> pd.DataFrame:
    status_day = dates.day(st.year, 10, 1)
    if st.extract < status_day:
        return pd.DataFrame()
    rng = _rng(pop, "uu_vejledning")
    prev = _read(out_dir, "uu_vejledning", st.year - 1)
    school = _read(out_dir, "skolefravaer", st.year - 1)  # the school year that ended in June
    in_stock = pd.Series(st.group, index=st.key)
    success_codes = ("I ungdomsuddannelse", "Fuldført ungdomsuddannelse")
    # first-year success rate per area group, from the previous file's leavers of its own year
    first = prev[(prev.AFGANGSAAR == str(st.year - 1)) & (prev.STATUS != "I 10. klasse")]
    g_first = in_stock.reindex(first.PNR_PSEUDO).to_numpy()
    ok_first = first.STATUS.isin(success_codes).to_numpy()
    rate = {a: (ok_first[(g_first < C.N_AREAS) == a].mean() if ((g_first < C.N_AREAS) == a).any() else 0.8)
            for a in (True, False)}
    edu = prev[prev.UDDANNELSE.isin(EDUCATIONS)].UDDANNELSE.to_numpy(dtype=object)
    # leavers of the summer: 10th graders, and 9th graders not going on to 10th grade
    leavers = school[school.KLASSETRIN.isin(["9", "10"])].drop_duplicates("PNR_PSEUDO")
    leavers = leavers[leavers.PNR_PSEUDO.isin(in_stock.index)]
    tenth_next = (leavers.KLASSETRIN == "9").to_numpy() & (rng.random(len(leavers)) < 0.45)
    g = in_stock.reindex(leavers.PNR_PSEUDO).to_numpy()
    success = rng.random(len(leavers)) < np.where(g < C.N_AREAS, rate[True], rate[False])
    u = rng.random(len(leavers))
    status = np.where(success, "I ungdomsuddannelse",
                      np.where(u < 0.3, "I beskæftigelse", np.where(u < 0.85, "Andet", "Ukendt"))).astype(object)
    status[tenth_next] = "I 10. klasse"
    new = pd.DataFrame({
        "PNR_PSEUDO": leavers.PNR_PSEUDO.to_numpy(), "AFGANGSAAR": st.year,
        "AFGANGSKLASSE": np.where(tenth_next | (leavers.KLASSETRIN == "9").to_numpy(), "9", "10"),
        "STATUS": status,
        "UDDANNELSE": np.where(success & ~tenth_next, edu[rng.integers(0, len(edu), len(leavers))] if len(edu) else "EUD", None),
    })
    # the previous file's young people, followed for up to five years after leaving
    old = prev[(prev.STATUS != "I 10. klasse") & (prev.AFGANGSAAR.astype(int) >= st.year - 4)
               & prev.PNR_PSEUDO.isin(in_stock.index) & ~prev.PNR_PSEUDO.isin(new.PNR_PSEUDO)].reset_index(drop=True)
    was_ok = old.STATUS.isin(success_codes).to_numpy()
    u = rng.random(len(old))
    years_out = st.year - old.AFGANGSAAR.astype(int).to_numpy()
    keeps = was_ok & (u < 0.93)
    starts = ~was_ok & (u < 0.15)
    ok_now = keeps | starts
    finished = ok_now & ((old.STATUS == "Fuldført ungdomsuddannelse").to_numpy()
                         | ((years_out >= 3) & (rng.random(len(old)) < 0.5)))
    v = rng.random(len(old))
    status = np.where(ok_now, "I ungdomsuddannelse",
                      np.where(was_ok, "Afbrudt ungdomsuddannelse",
                               np.where(v < 0.35, "I beskæftigelse", np.where(v < 0.85, "Andet", "Ukendt")))).astype(object)
    status[finished] = "Fuldført ungdomsuddannelse"
    prev_edu = old.UDDANNELSE.replace("", None).to_numpy(dtype=object)
    fresh = edu[rng.integers(0, len(edu), len(old))] if len(edu) else np.full(len(old), "EUD", dtype=object)
    education = np.where(ok_now, np.where(pd.isna(prev_edu) | (prev_edu == "FGU"), fresh, prev_edu), None)
    carried = pd.DataFrame({"PNR_PSEUDO": old.PNR_PSEUDO, "AFGANGSAAR": old.AFGANGSAAR.astype(int),
                            "AFGANGSKLASSE": old.AFGANGSKLASSE, "STATUS": status, "UDDANNELSE": education})
    out = pd.concat([new, carried], ignore_index=True)
    out["STATUSDATO"] = pd.Timestamp(status_day)
    return out


# -------------------------------------------------------------------------- spells again
def _again(pop: Population, st: _Stock, name: str, start: str, end: str) -> pd.DataFrame:
    """The spells of ``name`` active in the partial year, delivered on the extract date."""
    w = C.world(pop)
    spells = w.cache.get(f"spells:{name}")
    if spells is None:
        raise RuntimeError(f"vintage: the spells of {name} were not kept (write the full years first)")
    out = C.rows_by_year(w, spells, start, end, extract=st.extract, last_year=st.year)
    return out[out["_year"] == st.year].reset_index(drop=True)


def daycare(pop: Population, st: _Stock, out_dir: Path) -> pd.DataFrame:
    out = _again(pop, st, "dagtilbud", "INDMELDT", "UDMELDT")
    # the institution's registered challenge stays as last year's file had it
    prev = _read(out_dir, "dagtilbud", st.year - 1)
    challenge = prev.set_index(["PNR_PSEUDO", "INDMELDT"]).PRIMAER_UDFORDRING.replace("", None)
    key = pd.MultiIndex.from_arrays([out.PNR_PSEUDO, out.INDMELDT.dt.strftime("%Y-%m-%d")])
    out["PRIMAER_UDFORDRING"] = challenge[~challenge.index.duplicated()].reindex(key).to_numpy()
    return out


def _eligible(st: _Stock, act: Activity) -> tuple[np.ndarray, np.ndarray]:
    """(plan-area residents, other residents) of the stock who fit the activity."""
    ok = (st.age >= act.ages[0]) & (st.age <= act.ages[1])
    if act.who == "girls":
        ok &= st.sex == "K"
    elif act.who == "mothers":
        kids = (st.age >= act.child_ages[0]) & (st.age <= act.child_ages[1])
        mothers = set(st.mother[kids & (st.mother != None)])  # noqa: E711 (object array)
        ok &= _member(st.key, mothers) & (st.sex == "K")
    in_area = st.group < C.N_AREAS
    return np.flatnonzero(ok & in_area), np.flatnonzero(ok & ~in_area)


def participation(pop: Population, st: _Stock) -> pd.DataFrame:
    w = C.world(pop)
    again = _again(pop, st, "indsatsdeltagelse", "START", "SLUT")
    # a spell's completion is known once it has ended (the full years' file blanked it while open)
    again.loc[again.SLUT.isna(), "GENNEMFOERT"] = None
    rng = _rng(pop, "indsatsdeltagelse")
    jan1, last = dates.day(st.year), st.extract
    share = ((last - jan1).astype(int) + 1) / 153  # the 2025 volumes are for August-December
    new = []
    for code, (act, per_5_months) in HP2025.items():
        n = int(round(per_5_months * share * rng.uniform(0.85, 1.15)))
        area, other = _eligible(st, act)
        already = again.PNR_PSEUDO[again.AKTIVITET == code]  # a second spell only in another activity
        area, other = area[~_member(st.key[area], already)], other[~_member(st.key[other], already)]
        n_other = min(int(round(n * act.reach)), len(other))
        n_area = min(n - n_other, len(area))
        idx = np.concatenate([rng.choice(area, n_area, replace=False), rng.choice(other, n_other, replace=False)])
        start = dates.uniform_dates(rng, np.full(len(idx), jan1), np.full(len(idx), last))
        end = ((start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1 if act.days is None
               else start + act.days - 1)
        done = np.where(rng.random(len(idx)) < (act.completion or 0), "J", "N").astype(object)
        if act.completion is None:
            done[:] = None
        closed = end <= last
        new.append(pd.DataFrame({
            "PNR_PSEUDO": st.key[idx], "AKTIVITET": code, "START": pd.to_datetime(start),
            "SLUT": pd.to_datetime(np.where(closed, end, np.datetime64("NaT"))),
            "GENNEMFOERT": np.where(closed, done, None),
        }))
    del w
    out = pd.concat([again.drop(columns="_year"), *new], ignore_index=True)
    return out.drop_duplicates(["PNR_PSEUDO", "AKTIVITET", "START"]).reset_index(drop=True)


# --------------------------------------------------------------------------------- housing
def housing_events(pop: Population, st: _Stock) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(moves, evictions, complaints) of the partial year, population-level frames."""
    rng = _rng(pop, "housing")
    leases = pop.leases.reset_index(drop=True)
    in_area = H._lease_key(leases).map(H._area_of_lease(pop)).notna().to_numpy()
    jan1, last = dates.day(st.year), st.extract
    days = int((last - jan1).astype(int)) + 1
    frac = days / 365
    L = len(leases)
    # external move-outs at last year's rate (area leases and the rest apart), re-let after a gap
    mv = pop.moves
    prev = mv[(mv.year == st.year - 1) & (mv.event == "Fraflytning") & (mv.move_type == "Ekstern")]
    prev_area = H._lease_key(prev).map(H._area_of_lease(pop)).notna().to_numpy()
    rate = {a: (prev_area == a).sum() / max((in_area == a).sum(), 1) for a in (True, False)}
    out_hit = rng.random(L) < np.where(in_area, rate[True], rate[False]) * frac
    oi = np.flatnonzero(out_hit)
    out_day = jan1 + rng.integers(0, days, len(oi))
    # the tenancy that ends began at the lease's last move-in (or before the extracts, 2001-2010)
    ins = mv[mv.event == "Indflytning"].sort_values("date").drop_duplicates(["org_code", "department_number", "lease_id"], keep="last")
    began = leases[["org_code", "department_number", "lease_id"]].merge(
        ins[["org_code", "department_number", "lease_id", "date"]], how="left").date.to_numpy().astype("datetime64[D]")
    before = dates.day(2001) + rng.integers(0, 3650, L)
    began = np.where(np.isnat(began), before, began)
    in_day = out_day + rng.integers(1, 75, len(oi))
    relet = in_day <= last
    base = leases.iloc[oi][["org_code", "department_number", "lease_id"]].reset_index(drop=True)
    moves = pd.concat([
        base.assign(event="Fraflytning", date=pd.to_datetime(out_day), move_type="Ekstern", tenancy_start=pd.to_datetime(began[oi])),
        base[relet].assign(event="Indflytning", date=pd.to_datetime(in_day[relet]), move_type="Ekstern",
                           tenancy_start=pd.to_datetime(in_day[relet])),
    ], ignore_index=True).sort_values(["org_code", "department_number", "lease_id", "date", "event"], kind="stable")
    # complaints and eviction cases per lease, at the rates of housing._events, for the months delivered
    n_c = rng.poisson(np.where(in_area, 0.032, 0.015) * frac)
    ci = np.repeat(np.arange(L), n_c)
    complaints = leases.iloc[ci][["org_code", "department_number", "lease_id"]].reset_index(drop=True)
    complaints["date"] = pd.to_datetime(jan1 + rng.integers(0, days, ci.size))
    complaints["category"] = rng.choice(["Støj", "Affald", "Chikane", "Husdyr", "Andet"], ci.size, p=[0.45, 0.2, 0.12, 0.1, 0.13])
    complaints = complaints.drop_duplicates(["org_code", "department_number", "lease_id", "date", "category"])
    ei = np.flatnonzero(rng.random(L) < np.where(in_area, 0.005, 0.0008) * frac)
    evictions = leases.iloc[ei][["org_code", "department_number", "lease_id"]].reset_index(drop=True)
    evictions["date"] = pd.to_datetime(jan1 + rng.integers(0, days, ei.size))
    evictions["reason"] = rng.choice(["Restance", "Husorden", "Andet"], ei.size, p=[0.8, 0.15, 0.05])
    evictions["carried_out"] = "N"
    # a carried-out eviction is one of the year's move-outs, decided 30-90 days before it
    outs = moves[(moves.event == "Fraflytning") & (moves.org_code != "LEJERBO")]
    k = min(int(round(0.2 * len(evictions))), len(outs))
    done = outs.iloc[rng.choice(len(outs), k, replace=False)] if k else outs.iloc[:0]
    carried = done[["org_code", "department_number", "lease_id"]].assign(
        date=done.date - pd.to_timedelta(rng.integers(30, 90, k), unit="D"),
        reason=rng.choice(["Restance", "Husorden", "Andet"], k, p=[0.8, 0.15, 0.05]), carried_out="J")
    carried = carried[carried.date >= pd.Timestamp(jan1)]
    evictions = pd.concat([evictions, carried], ignore_index=True)
    evictions = evictions[evictions.org_code != "LEJERBO"].drop_duplicates(["org_code", "department_number", "lease_id", "date"])
    return moves, evictions, complaints


def write_housing(pop: Population, st: _Stock, out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    codes = H._company_codes()
    paths = []
    # the lease stock of 1 January: the same leases as the year before (merged-away leases are long gone)
    for name in ("randersbolig_lejemaal", "lejerbo_lejemaal"):
        src = source(name)
        before = out_dir / src.folder / src.file_name(st.year - 1)
        target = out_dir / src.folder / src.file_name(st.year)
        target.write_bytes(before.read_bytes())
        paths.append(target)
    moves, evictions, complaints = housing_events(pop, st)
    rm = H._rb(moves, codes)
    paths.append(write_extract(rm.assign(HAENDELSE=rm.event, DATO=rm.date, FLYTTETYPE=rm.move_type, LEJEFORHOLD_START=rm.tenancy_start),
                               source("randersbolig_flytninger"), st.year, out_dir))
    lm = H._lb(moves)
    paths.append(write_extract(lm.assign(Haendelse=lm.event, Dato=lm.date, Flyttetype=lm.move_type, Lejeforhold_start=lm.tenancy_start),
                               source("lejerbo_flytninger"), st.year, out_dir))
    ev = H._rb(evictions.sort_values(["org_code", "department_number", "lease_id", "date"], kind="stable"), codes)
    paths.append(write_extract(ev.assign(SAG_DATO=ev.date, AARSAG=ev.reason, FULDBYRDET=ev.carried_out),
                               source("randersbolig_udsaettelser"), st.year, out_dir))
    rc = H._rb(complaints, codes)
    paths.append(write_extract(rc.assign(KLAGE_DATO=rc.date, KATEGORI=rc.category), source("randersbolig_klager"), st.year, out_dir))
    lc = H._lb(complaints)
    paths.append(write_extract(lc.assign(Dato=lc.date, Kategori=lc.category), source("lejerbo_klager"), st.year, out_dir))
    return paths


# ------------------------------------------------------------------------------ entry point
def write_vintage_extracts(pop: Population, out_dir: Path) -> list[Path]:
    """The partial year's files (none when the extract date is within ``last_year``). Runs after
    every full year's file is written: it reads some of them."""
    if pop.config.partial_year is None:
        return []
    if pop.config.partial_year != pop.config.last_year + 1:
        raise ValueError(f"demo: the extract date {pop.config.extract_date} is more than a year after {pop.config.last_year}")
    out_dir = Path(out_dir)
    st = _Stock(pop)
    year = st.year
    paths = [write_extract(cpr_frame(st), source("cpr_befolkning"), year, out_dir)]
    frames = {
        "jobcenter_ydelser": lambda: benefit_months(pop, st, out_dir),
        "sprogvurdering": lambda: language_assessments(pop, st, out_dir),
        "uu_vejledning": lambda: youth_guidance(pop, st, out_dir),
        "dagtilbud": lambda: daycare(pop, st, out_dir),
        "anbringelser": lambda: _again(pop, st, "anbringelser", "START", "SLUT"),
        "indsatsdeltagelse": lambda: participation(pop, st),
    }
    for name, build in frames.items():
        df = build()
        if len(df):
            paths.append(write_extract(df.reset_index(drop=True), source(name), year, out_dir))
    paths += write_housing(pop, st, out_dir)
    return paths
