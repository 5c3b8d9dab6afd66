"""The demo population: deterministic, calibrated to the plan's published profile, and every
extract it writes has exactly the contract's format."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from demo import (
    benefit_calibration,
    dates,
    housing,
    jobcenter,
    lodgers,
    model,
    newcomers,
    person_calibration,
    persons,
    population,
    published,
)
from demo import calibration as cal
from demo.areas import area_for_address, expand_addresses
from demo.model import PLAN_AREAS_2025, DemoConfig
from ingestion.contract import SOURCES_BY_NAME


@pytest.fixture(scope="module")
def pop(small_population):
    return small_population


@pytest.fixture(scope="module")
def written(pop, tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    paths = population.write_cpr_extracts(pop, out)
    paths += housing.write_housing_extracts(pop, out)
    paths += published.write_published_extracts(pop, out)
    return out, paths


def _ages(pop, year):
    r = pop.residence[pop.residence.year == year]
    birth = pop.persons.set_index("person_key").birth_date.loc[r.person_key].to_numpy()
    return r, dates.age_on_jan1(birth.astype("datetime64[D]").astype(np.int64), year)


def test_deterministic(pop):
    again = population.simulate(DemoConfig.small())
    for name in ("persons", "residence", "person_year", "leases", "moves"):
        pd.testing.assert_frame_equal(getattr(pop, name), getattr(again, name))


def test_profile_2024_exact(pop):
    r, age = _ages(pop, 2024)
    for area, d in cal.PROFILE_2024.items():
        m = (r.area_code == area).to_numpy()
        assert m.sum() == d["residents"], area
        assert (age[m] < 18).sum() == d["children"], area
        leases = pop.leases.merge(r[m][["org_code", "department_number"]].drop_duplicates())
        assert len(leases) == d["leases"], area


def test_shares_2024_to_published_rounding(pop):
    m = published.dst_measures(pop, 2024)
    for area in PLAN_AREAS_2025:
        row = m.loc[area]
        assert round(100 * row.BEF_IKKEVESTLIG / row.BEFOLKNING) == round(100 * cal.NONWESTERN_SHARE_2024[area])
        assert round(100 * row.BOERN_ENLIG_FORSOERGER / row.BEF_0_17) == round(100 * cal.SINGLE_PROVIDER_CHILDREN_2024[area])
        ratio = row.GNS_HUSSTANDSINDKOMST / m.loc["RANDERS"].GNS_HUSSTANDSINDKOMST
        assert round(100 * ratio) == round(100 * cal.HOUSEHOLD_INCOME_RATIO_2023[area])
    assert round(100 * m.loc["RANDERS"].BEF_0_17 / m.loc["RANDERS"].BEFOLKNING) == 19
    vgd = published.dst_measures(pop, 2020).loc["VGD"]
    assert round(100 * vgd.BEF_IKKEVESTLIG / vgd.BEFOLKNING) == 34


def test_education_2023(pop):
    m = published.dst_measures(pop, 2023)
    for area, share in {k: v for k, v in cal.ONLY_BASIC_30_59_2023.items() if k != "line"}.items():
        got = m.loc[area].BEF_30_59_KUN_GRUNDSKOLE / m.loc[area].BEF_30_59
        assert abs(got - share) < 0.0015 if area == "GLV" else round(100 * got) == round(100 * share), area
    for area, share in {k: v for k, v in cal.YOUTH_EDUCATION_18_29_2023.items() if k not in ("line", cal.RANDERS)}.items():
        assert round(100 * m.loc[area].BEF_18_29_UNGDOMSUDD / m.loc[area].BEF_18_29) == round(100 * share), area


def test_jobcentre_window_2023_24(pop):
    rep = benefit_calibration.benefit_report(pop)
    for area in PLAN_AREAS_2025:
        assert round(rep["outside"][area], 1) == benefit_calibration.OUTSIDE_WINDOW[area], area
        assert round(rep["kontanthjaelp"][area], 1) == benefit_calibration.KONTANTHJAELP_WINDOW[area], area
    assert round(rep["july_2024"]["ENV"]) == 57



def _outside_windows(pop) -> pd.DataFrame:
    """Full-time persons on a benefit other than fleksjob over each October-September window per
    18-64-year-old of the January stock inside it (areas x windows), computed here from the
    benefit months and the residence stock, not by the generator's own helpers."""
    months = jobcenter.benefit_months(pop)
    months = months[months.YDELSE != "Fleksjob"]
    month = months.MAANED.str.slice(5, 7).astype(int)
    window = months._year + (month >= 10)
    per_month = months.groupby([months.PNR_PSEUDO, window.rename("w"), months.MAANED]).FULDTIDSANDEL.sum().clip(upper=1)
    per_person = per_month.groupby(level=[0, 1]).sum().clip(upper=12)
    birth = pop.persons.set_index("person_key").birth_date
    out = {}
    for end in range(2013, 2026):
        r = pop.residence[(pop.residence.year == end) & pop.residence.area_code.isin(PLAN_AREAS_2025)]
        age = end - birth.reindex(r.person_key).dt.year.to_numpy() - 1  # completed years on 1 January
        age += (birth.reindex(r.person_key).dt.strftime("%m-%d") == "01-01").to_numpy()
        r = r[(age >= 18) & (age <= 64)]
        ft = per_person.xs(end, level=1).reindex(r.person_key).fillna(0).to_numpy()
        out[end] = pd.Series(ft, index=r.area_code.to_numpy()).groupby(level=0).mean() / 12 * 100
    return pd.DataFrame(out)


def test_the_calibrated_window_sits_on_the_trend(pop):
    """The share outside the labour market is published for October 2023 - September 2024 only; the
    windows before and after move with it (one benefit level per area for every year), so the
    published window is no peak: within 2.5 points of its two neighbours' mean in every area."""
    shares = _outside_windows(pop)
    for area in PLAN_AREAS_2025:
        assert round(shares.loc[area, 2024], 1) == benefit_calibration.OUTSIDE_WINDOW[area], area
        around = (shares.loc[area, 2023] + shares.loc[area, 2025]) / 2
        assert abs(shares.loc[area, 2024] - around) < 2.5, (area, shares.loc[area, 2022:2025].round(2).tolist())

def _mothers_at_home_by_year(pop) -> pd.DataFrame:
    """Per year, the plan areas' mothers with a child under 18 (on 31 December) in their own
    household (same household_id, the extract's FAMILIE_ID) in the 1 January stock, and those of
    them with a kontanthjælp month in December: computed here from the population, not by the
    generator's own helper."""
    months = jobcenter.benefit_months(pop)
    dec = months[months.MAANED.str.endswith("-12") & (months.YDELSE == "Kontanthjælp")]
    on = set(zip(dec.PNR_PSEUDO, dec.MAANED.str.slice(0, 4).astype(int)))
    per = pop.persons.set_index("person_key")
    rows = []
    for year in sorted(set(pop.residence.year) & set(months._year)):
        r = pop.residence[pop.residence.year == year].set_index("person_key")
        born = per.birth_date.reindex(r.index)
        kids = r[(born >= pd.Timestamp(year - 17, 1, 1)).to_numpy()]
        mother = per.mother_key.reindex(kids.index)
        home = np.array(mother.isin(r.index))
        home[home] = r.household_id.reindex(mother[home]).to_numpy() == kids.household_id.to_numpy()[home]
        mothers = set(mother[home])
        area = {m for m in mothers if pd.notna(r.area_code[m])}
        rows.append((year, len(area), sum((m, year) in on for m in area)))
    out = pd.DataFrame(rows, columns=["year", "mothers", "on_kontanthjaelp"]).set_index("year")
    return out.assign(share=100 * out.on_kontanthjaelp / out.mothers)


def test_mothers_at_home_share_published_2024_on_a_smooth_trend(pop):
    """HP2025_BESK_MOEDRE_KONTANTHJAELP counts only mothers living with a child under 18 (issue 12,
    finding 4): the areas' 2024 share of them on kontanthjælp in December prints as published, and
    the share moves smoothly: no year stands out from its neighbours. (The 788 mothers themselves
    are still a registered demo gap: the family sizes give fewer mothers at home.)"""
    from demo import targets_children as T

    by_year = _mothers_at_home_by_year(pop)
    year = int(T.MOTHERS_KONTANTHJAELP["month"][:4])
    n, k = T.MOTHERS_KONTANTHJAELP[T.ALL_AREAS]
    assert round(by_year.share[year], 1) == round(100 * k / n, 1)
    share = by_year.share
    neighbours = (share.shift(1) + share.shift(-1)) / 2
    assert (share - neighbours).abs().max() < 1.0, share.round(1).to_dict()


def test_employment_hp2017(pop):
    for year, areas in persons.EMPLOYED_PUBLISHED.items():
        m = published.dst_measures(pop, year)
        for area, bands in areas.items():
            row = m.loc[list(persons.HP2017_AREAS)].sum() if area == "HP2017_ALL" else m.loc[area]
            for band, share in bands.items():
                got = row[f"BEF_{band}_BESKAEFTIGEDE"] / row[f"BEF_{band}"]
                assert round(100 * got) == round(100 * share), (year, area, band)


def test_lbf_hp2025_baselines(pop):
    df = published.lbf_boligsociale_frame(pop, 2022).set_index("BOLIGOMRAADE")
    assert df.loc[published.LBF_TOTAL, "ANDEL_18_64_UDEN_TILKNYTNING"] == 38.6
    assert df.loc[published.LBF_TOTAL, "ANDEL_15_29_RESTGRUPPE"] == 25.9
    df = published.lbf_boligsociale_frame(pop, 2023).set_index("BOLIGOMRAADE")
    assert df.loc[published.LBF_TOTAL, "ANDEL_18_29_KUN_GRUNDSKOLE"] == 34.5
    assert df.loc[published.LBF_TOTAL, "ANDEL_15_29_SIGTEDE"] == 0.92


def test_hp2017_charged_10_17(pop):
    """LBF's Randers Nordby: 13 charged 10-17-year-olds = 2.7 per 100 (2017), 10 = 2.0 (2018); the
    children who lived there 2018-2019 only give the age group its printed size."""
    for year, (k, pct) in newcomers.PRINTED.items():
        row = published.lbf_boligsociale_frame(pop, year).set_index("BOLIGOMRAADE").loc[published.LBF_NORDBY]
        assert (row.BEF_10_17_SIGTEDE, round(100 * row.BEF_10_17_SIGTEDE / row.BEF_10_17, 1)) == (k, pct), year


def test_newcomers_only_in_2018_and_2019(pop):
    keys = pop.persons.person_key.to_numpy()[-50:]  # appended last
    r = pop.residence[pop.residence.person_key.isin(keys)]
    assert set(r.year) == set(newcomers.STOCK_YEARS) and r.area_code.isin(model.PLAN_AREAS_2017).all()
    assert pop.persons.set_index("person_key").loc[keys].mother_key.isin(pop.persons.person_key).all()


def test_hp2017_charged_per_1000(pop):
    """The short stays give each area a resident count whose per-mille prints as published."""
    for year, areas in lodgers.PER_1000.items():
        m = published.dst_measures(pop, year)
        for area, per_1000 in areas.items():
            assert round(1000 * m.loc[area, "SIGTEDE"] / m.loc[area, "BEFOLKNING"], 1) == per_1000, (year, area)


def test_lodgers_target_the_calibrated_figures():
    for year, areas in lodgers.PER_1000.items():
        assert areas == {a: v for a, v in person_calibration.SIGTEDE_PER_1000_PUBLISHED[year].items() if a != "REST"}
    assert lodgers.NORDBY_BANDS[2018] == (((20, 24), person_calibration.NORDBY_20_24_BASIC[2018]),
                                          ((18, 29), person_calibration.NORDBY_18_29_YOUTH_EDUCATION[2018]))
    assert lodgers.NORDBY_BANDS[2019] == (((18, 29), person_calibration.NORDBY_18_29_YOUTH_EDUCATION[2019]),)


def test_lodgers_move_nobody_twice(pop):
    """On a population whose counts already print right, the stays change nothing; and they
    never add or drop a person-year."""
    birth = pop.persons.set_index("person_key").birth_date.to_numpy().astype("datetime64[D]").astype(np.int64)
    again = lodgers.calibrate_stays(pop.residence.copy(), pd.Series(birth, index=pop.persons.person_key.to_numpy()),
                                    np.random.default_rng(0))
    pd.testing.assert_frame_equal(again, pop.residence)


def test_hsv_2023(pop):
    r = pop.residence
    assert ((r.year == 2023) & (r.area_code == "HSV")).sum() == 977


def test_addresses(pop):
    r = pop.residence.drop_duplicates(["street", "number", "letter", "area_code"])
    letters = [None if pd.isna(x) else x for x in r.letter]  # missing letter is NA in the frame
    addr = list(zip(r.street, r.number.astype(int), letters))
    area = r.area_code.to_numpy()
    for code in PLAN_AREAS_2025:
        allowed = set(expand_addresses(code))
        got = {a for a, c in zip(addr, area) if c == code}
        assert got and got <= allowed, code
        assert all(area_for_address(*a) == code for a in got), code
    rest = {a for a, c in zip(addr, area) if pd.isna(c)}
    assert rest and all(area_for_address(*a) is None for a in rest)


def test_residence_one_row_per_person_year(pop):
    assert not pop.residence.duplicated(["person_key", "year"]).any()
    assert pop.persons.person_key.str.fullmatch(r"[0-9a-f]{16}").all()


def test_written_files_match_contract(written):
    out, paths = written
    assert paths
    for p in paths:
        src = SOURCES_BY_NAME[p.name.rsplit("_", 1)[0]]
        df = pd.read_csv(p, sep=src.delimiter, encoding=src.encoding, dtype=str, keep_default_na=False)
        assert list(df.columns) == src.column_names, p.name
        assert not df.duplicated(list(src.keys)).any(), p.name


def test_lejerbo_has_no_evictions(written):
    out, paths = written
    assert not list(out.rglob("lejerbo_udsaettelser*"))
    assert list(out.rglob("randersbolig_udsaettelser_2024.csv"))


def test_cra_education_suppressed_from_2024(written):
    out, _ = written
    names = published.area_names()
    for year in (2023, 2024, 2025):
        df = pd.read_csv(out / "publicerede" / f"dst_boligomraader_{year}.csv", sep=";", encoding="cp1252", dtype=str)
        cra = df[df.OMRAADE == names["CRA"]].iloc[0]
        for col in published.CRA_EDUCATION_COLUMNS:
            assert (cra[col] == "..") == (year >= 2024), (year, col)
