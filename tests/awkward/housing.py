"""The housing organisations' extracts and the published aggregate tables of an awkward municipality.

Leases sit in the seeded departments at addresses of the department's area; each lease-year may
see a move-out (external or internal) followed by a move-in, an eviction case (RandersBolig only)
and complaints. The published tables (DST, LBF, national references) are plausible numbers that
no computed indicator reads: they are written so that the delivery is whole."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from demo.areas import expand_addresses
from ingestion.contract import source
from tests.awkward.people import People

SEEDS = "dbt_project/seeds/"


def leases(people: People) -> pd.DataFrame:
    """One row per lease (stable over the years; a few added later) with org, department, address."""
    rng = people.rng
    deps = pd.read_csv(SEEDS + "housing_departments.csv", dtype={"department_number": int})
    rows = []
    for _, d in deps.iterrows():
        addrs = expand_addresses(d.area_code)
        n = int(rng.integers(1, 4)) if d.area_code == people.small_area else int(rng.integers(3, 14))
        if d.org_code == "LEJERBO":  # Lejerbo's yearly files must not come out empty
            n = 25
        for i in range(n):
            street, number, letter = addrs[int(rng.integers(len(addrs)))]
            rows.append({"org": d.org_code, "dept": int(d.department_number), "lease": i + 1, "area": d.area_code,
                         "street": street, "number": number, "letter": letter,
                         "from_year": 2014 if rng.random() < 0.9 else int(rng.integers(2015, 2025))})
    return pd.DataFrame(rows)


def _events(people: People, lease_df: pd.DataFrame, years) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = people.rng
    moves, evictions, complaints = [], [], []
    for _, lease in lease_df.iterrows():
        tenancy = date(lease.from_year - int(rng.integers(0, 10)), int(rng.integers(1, 13)), 1)
        for y in years:
            if y < lease.from_year:
                continue
            if rng.random() < 0.15:
                out = date(y, int(rng.integers(1, 13)), int(rng.integers(1, 28)))
                typ = "Intern" if rng.random() < 0.2 else "Ekstern"
                moves.append({**lease, "event": "Fraflytning", "date": out, "type": typ, "tenancy": tenancy})
                tenancy = out + timedelta(days=int(rng.integers(1, 4)))
                if tenancy.year == y:
                    moves.append({**lease, "event": "Indflytning", "date": tenancy, "type": typ, "tenancy": tenancy})
            if lease.org != "LEJERBO" and rng.random() < 0.05:
                evictions.append({**lease, "date": date(y, int(rng.integers(1, 13)), int(rng.integers(1, 28))),
                                  "reason": str(rng.choice(["Restance", "Husorden", "Andet"])), "done": "J" if rng.random() < 0.4 else "N"})
            for _ in range(int(rng.poisson(0.4 if lease.org == "LEJERBO" else 0.15))):
                complaints.append({**lease, "date": date(y, int(rng.integers(1, 13)), int(rng.integers(1, 28))),
                                   "category": str(rng.choice(["Støj", "Affald", "Chikane", "Husdyr", "Andet"]))})
    cols = list(lease_df.columns)
    return (pd.DataFrame(moves, columns=cols + ["event", "date", "type", "tenancy"])
            .drop_duplicates(["org", "dept", "lease", "event", "date"]),
            pd.DataFrame(evictions, columns=cols + ["date", "reason", "done"]).drop_duplicates(["org", "dept", "lease", "date"]),
            pd.DataFrame(complaints, columns=cols + ["date", "category"]).drop_duplicates(["org", "dept", "lease", "date", "category"]))


def housing_frames(people: People, years) -> dict[tuple[str, int], pd.DataFrame]:
    codes = pd.read_csv(SEEDS + "housing_source_codes.csv", dtype=str)
    company = dict(zip(codes.org_code, codes.source_code))
    ls = leases(people)
    moves, evictions, complaints = _events(people, ls, years)
    rb = lambda df: df[df.org != "LEJERBO"]  # noqa: E731
    lj = lambda df: df[df.org == "LEJERBO"]  # noqa: E731

    def rb_keys(df):
        return {"SELSKAB_NR": df.org.map(company), "AFDELING_NR": df.dept, "LEJEMAAL_NR": df.lease.map(lambda n: f"{n:04d}")}

    def lj_keys(df):
        return {"Afdelingsnr": df.dept.map(lambda n: f"{n:04d}"), "Lejemaalsnr": df.lease.map(lambda n: f"001-{n:03d}")}

    out = {}
    for y in years:
        stock = ls[ls.from_year <= y]
        r = rb(stock)
        out[("randersbolig_lejemaal", y)] = pd.DataFrame({**rb_keys(r), "VEJNAVN": r.street, "HUSNR": r.number,
                                                          "BOGSTAV": r.letter, "ETAGE": "1", "DOER": "tv",
                                                          "BOLIGTYPE": "Familie", "ANTAL_RUM": 3, "AREAL_M2": 78.5})
        j = lj(stock)
        out[("lejerbo_lejemaal", y)] = pd.DataFrame({**lj_keys(j), "Vej": j.street, "Husnummer": j.number.astype(str) + j.letter.fillna(""),
                                                     "Etage_doer": "st. th.", "Boligtype": "Familiebolig", "Rum": 2, "Areal": 61.0})
        m = moves[pd.to_datetime(moves.date).dt.year == y]
        r = rb(m)
        out[("randersbolig_flytninger", y)] = pd.DataFrame({**rb_keys(r), "HAENDELSE": r.event, "DATO": r.date, "FLYTTETYPE": r.type,
                                                            "LEJEFORHOLD_START": r.tenancy})
        j = lj(m)
        out[("lejerbo_flytninger", y)] = pd.DataFrame({**lj_keys(j), "Haendelse": j.event, "Dato": j.date, "Flyttetype": j.type,
                                                       "Lejeforhold_start": j.tenancy})
        e = rb(evictions[pd.to_datetime(evictions.date).dt.year == y])
        out[("randersbolig_udsaettelser", y)] = pd.DataFrame({**rb_keys(e), "SAG_DATO": e.date, "AARSAG": e.reason, "FULDBYRDET": e.done})
        c = complaints[pd.to_datetime(complaints.date).dt.year == y]
        r, j = rb(c), lj(c)
        out[("randersbolig_klager", y)] = pd.DataFrame({**rb_keys(r), "KLAGE_DATO": r.date, "KATEGORI": r.category})
        out[("lejerbo_klager", y)] = pd.DataFrame({**lj_keys(j), "Dato": j.date, "Kategori": j.category})
    return out


def _parts_within_wholes(row: dict, source_name: str, rng) -> dict:
    """A count the contract marks as part of another column (BEF_0_17 of BEFOLKNING) drawn as a
    share of its whole, wholes first, and a grade or share within its range: the contract refuses
    a part above its whole and a value above its maximum."""
    for column in source(source_name).columns:  # the contract lists a whole before its parts
        if not isinstance(row.get(column.name), float):
            continue
        if column.part_of:
            row[column.name] = float(int(row[column.part_of] * rng.uniform(0.05, 0.9)))
        elif column.max_value is not None and row[column.name] > column.max_value:  # a grade, a share
            row[column.name] = round(float(rng.uniform(0.1, 0.9) * column.max_value), 1)
    return row


def published_frames(people: People, years) -> dict[tuple[str, int], pd.DataFrame]:
    """Plausible published tables, one row per geography the contract names."""
    rng = people.rng
    areas = pd.read_csv(SEEDS + "areas.csv", dtype=str)
    names = areas.area_name.tolist()
    out = {}
    dst_cols = [c.name for c in source("dst_boligomraader").columns if c.name != "OMRAADE"]
    lbf_cols = [c.name for c in source("lbf_boligsociale_data").columns if c.name not in ("BOLIGOMRAADE", "AFDELINGER_MEDREGNET")]
    for y in years:
        rows = []
        for name in names + ["Randers Kommune", "Region Midtjylland", "Hele landet"]:
            scale = 1000 if name in names else (100000 if name == "Randers Kommune" else 1_000_000)
            row = {"OMRAADE": name}
            for c in dst_cols:
                row[c] = float(int(rng.integers(1, 10) * scale / 10)) if not c.startswith("GNS") else float(rng.integers(150000, 400000))
            rows.append(_parts_within_wholes(row, "dst_boligomraader", rng))
        out[("dst_boligomraader", y)] = pd.DataFrame(rows)
        if y in (2015, 2017, 2019, 2021, 2022, 2024):
            valg = {2015: "Folketingsvalg", 2017: "Kommunalvalg", 2019: "Folketingsvalg", 2021: "Kommunalvalg",
                    2022: "Folketingsvalg", 2024: "Europa-Parlamentsvalg"}[y]
            out[("dst_valgdeltagelse", y)] = pd.DataFrame(
                [{"OMRAADE": n, "VALG": valg, "STEMMEBERETTIGEDE": 700.0, "AFGIVNE_STEMMER": float(rng.integers(300, 600))}
                 for n in names + ["Randers Kommune", "Hele landet"]])
        lbf = [_parts_within_wholes({"BOLIGOMRAADE": n, "AFDELINGER_MEDREGNET": None,
                                     **{c: float(rng.integers(5, 60)) for c in lbf_cols}}, "lbf_boligsociale_data", rng)
               for n in names + ["Helhedsplanen i alt", "Randers Kommune"]]
        out[("lbf_boligsociale_data", y)] = pd.DataFrame(lbf)
        out[("lbf_tryghedsmaaling", y)] = pd.DataFrame(
            [{"OMRAADE": n, "ANTAL_INTERVIEWS": 120.0, "ANDEL_TRYGGE": 80.5, "ANDEL_FRIVILLIGE": 20.0, "ANDEL_SAVNER_SELSKAB": 9.0}
             for n in ["Gl. Jennumparken", "Glarbjergvej-området", "Hermann Stillingsvej-området"]])
        out[("nationale_referencer", y)] = pd.DataFrame(
            [{"MAAL": "FRAVAERSPROCENT", "BESKRIVELSE": "Landsgennemsnittet for elevfravær", "PERIODE": f"{y}/{(y + 1) % 100:02d}",
              "VAERDI": 7.1, "KILDE": "Børne- og Undervisningsministeriet"},
             {"MAAL": "ANDEL_ELEVER_OVER_10PCT_FRAVAER", "BESKRIVELSE": "Andel elever med over 10 % fravær",
              "PERIODE": f"{y}/{(y + 1) % 100:02d}",
              "VAERDI": 25.0, "KILDE": "Børne- og Undervisningsministeriet"}])
    return out
