"""The demo generator's children, jobcenter and intervention extracts (small municipality)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from demo import children, children_world, dates, daycare, interventions, jobcenter, youth
from demo import targets_children as T
from demo.model import PLAN_AREAS_2025
from ingestion.contract import source
from ingestion.readers import read_source


@pytest.fixture(scope="module")
def pop(small_population):
    return small_population


@pytest.fixture(scope="module")
def frames(pop):
    return children.children_frames(pop)


def _with_area(pop, df: pd.DataFrame, year) -> pd.DataFrame:
    """Join to the CPR stock of 1 January ``year`` the way the warehouse does; REST = elsewhere in Randers."""
    res = pop.residence.loc[pop.residence["year"] == year, ["person_key", "area_code"]]
    out = df.merge(res, left_on="PNR_PSEUDO", right_on="person_key", how="left", validate="many_to_one")
    in_randers = out["person_key"].notna()
    out["area"] = np.where(in_randers, out["area_code"].fillna("REST"), None)
    return out


def test_deterministic(pop, frames):
    again = children.children_frames(pop)
    for name, df in frames.items():
        pd.testing.assert_frame_equal(df, again[name], obj=name)
    pd.testing.assert_frame_equal(jobcenter.benefit_months(pop), jobcenter.benefit_months(pop))
    pd.testing.assert_frame_equal(interventions.participation(pop), interventions.participation(pop))


def test_language_2023_exact(pop, frames):
    df = frames["sprogvurdering"]
    df = df[(df["AARSAG"] == "Formodet behov") & (df["VURDERINGSDATO"].dt.year == 2023)]
    df = _with_area(pop, df, 2023)
    assert df["area"].notna().all(), "every 'Formodet behov' child lives in Randers on 1 January"
    counts = df.groupby(["area", "RESULTAT"]).size().unstack(fill_value=0)
    for area in PLAN_AREAS_2025:
        got = tuple(int(counts.loc[area].get(r, 0)) for r in children_world.RESULTS)
        assert got == T.LANGUAGE_2023[area], area
    # Other reasons exist and are excluded by the indicator.
    assert {"Alle 3-årige", "Skolestart"} <= set(frames["sprogvurdering"]["AARSAG"])


def test_absence(pop, frames):
    df = frames["skolefravaer"]
    absent = df["FRAVAER_SYGDOM"] + df["FRAVAER_LOVLIGT"] + df["FRAVAER_ULOVLIGT"]
    assert (absent <= df["SKOLEDAGE"]).all()
    assert (df[["FRAVAER_SYGDOM", "FRAVAER_LOVLIGT", "FRAVAER_ULOVLIGT"]] >= 0).all().all()
    assert df["MAANEDER_INDSKREVET"].between(1, 12).all() and (df["MAANEDER_INDSKREVET"] < 12).any()
    y = _with_area(pop, df[df["_year"] == 2023], 2023)
    y = y[y["area"].isin(PLAN_AREAS_2025)]
    rate = (y["FRAVAER_SYGDOM"] + y["FRAVAER_LOVLIGT"] + y["FRAVAER_ULOVLIGT"]) / y["SKOLEDAGE"] * 100
    mean = (rate * y["MAANEDER_INDSKREVET"]).groupby(y["area"]).sum() / y.groupby("area")["MAANEDER_INDSKREVET"].sum()
    for area in PLAN_AREAS_2025:
        assert abs(mean[area] - T.ABSENCE_2023["mean"][area]) < 0.05, area
    # shares above 10 % / 15 %, pupils weighted by months as the warehouse does
    absent = y["FRAVAER_SYGDOM"] + y["FRAVAER_LOVLIGT"] + y["FRAVAER_ULOVLIGT"]
    months = y["MAANEDER_INDSKREVET"]
    for cut, targets in ((0.10, T.ABSENCE_2023["above_10"]), (0.15, T.ABSENCE_2023["above_15"])):
        share = (months * (absent - cut * y["SKOLEDAGE"] > 1e-9)).groupby(y["area"]).sum() / months.groupby(y["area"]).sum()
        for area in PLAN_AREAS_2025:
            if area in targets:
                assert round(100 * share[area], 1) == targets[area], (cut, area)


def test_absence_days_hp2017(pop, frames):
    df = frames["skolefravaer"]
    three = set(children_world.INSTITUTIONS.loc[children_world.INSTITUTIONS["is_fravaer_skole_2017"], "institution_code"])
    for year, (nordby_mean, _) in ((y, v) for y, v in T.ABSENCE_DAYS.items() if isinstance(y, int)):
        y = _with_area(pop, df[(df["_year"] == year) & (df["KLASSETRIN"] <= 9)], year)
        y = y[y["area"].isin(T.HP2017_AREAS)]
        days = y["FRAVAER_SYGDOM"] + y["FRAVAER_LOVLIGT"] + y["FRAVAER_ULOVLIGT"]
        assert round(days.mean(), 1) == nordby_mean, year
        if year in T.ABSENCE_DAYS_THREE_SCHOOLS:
            at = y["SKOLE_KODE"].isin(three)
            assert 0 < (~at).sum() and round(days[at].mean(), 1) == T.ABSENCE_DAYS_THREE_SCHOOLS[year]


def test_daycare_hp2017(pop, frames):
    df = frames["dagtilbud"]
    assert set(df["INSTITUTION_KODE"]) <= set(children_world.INSTITUTIONS["institution_code"]), "codes come from the seed"
    w = children_world.world(pop)
    for year in (2016, 2018):
        rows = df[df["_year"] == year]
        active, age = daycare._on_jan1(w, rows, year)
        rows, age = rows[active], age[active]
        lang = rows["PRIMAER_UDFORDRING"] == "Sproglig"
        social = rows["PRIMAER_UDFORDRING"] == "Social og miljømæssig"
        nussa = rows["INSTITUTION_KODE"].isin(children_world.NUSSA_DAYCARES)
        nordby = rows["INSTITUTION_KODE"].isin(children_world.NORDBY_DAYCARES) & (age >= 2) & (age <= 5)
        (n_lang, _), (n_social, _), n_nussa = T.NUSSA[year]
        assert (nussa.sum(), (nussa & lang).sum(), (nussa & social).sum()) == (n_nussa, n_lang, n_social)
        n_children, _, n_nordby = T.DAYCARE_LANGUAGE[year]
        assert (nordby.sum(), (nordby & lang).sum()) == (n_nordby, n_children)


def _latest(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Each spell as its latest yearly file delivers it (as the warehouse reads spells)."""
    return df.sort_values("_year", kind="stable").drop_duplicates(key, keep="last")


def test_placements_gjp(pop, frames):
    df = _latest(frames["anbringelser"], ["PNR_PSEUDO", "START"])
    for year, n in ((y, v) for y, v in T.PLACEMENTS_GJP.items() if isinstance(y, int)):
        kids = pop.residence[(pop.residence["year"] == year) & (pop.residence["area_code"] == "GJP")]
        born = pop.persons.set_index("person_key").loc[kids["person_key"], "birth_date"]
        kids = set(born[born > pd.Timestamp(year - 18, 1, 1)].index)
        active = df[(df["START"] <= pd.Timestamp(year, 12, 31)) & (df["SLUT"].isna() | (df["SLUT"] >= pd.Timestamp(year, 1, 1)))]
        assert len(kids & set(active["PNR_PSEUDO"])) == n, year


def test_youth_education_2024(pop, frames):
    uu = _with_area(pop, frames["uu_vejledning"].query("_year == 2024"), 2024)
    uu = uu[uu["STATUS"] != "I 10. klasse"]
    ok = uu["STATUS"].isin(["I ungdomsuddannelse", "Fuldført ungdomsuddannelse"])
    for spec in (T.YOUTH_EDU_15_MONTHS, T.YOUTH_EDU_STARTED):
        cohort = uu["AFGANGSAAR"] == spec["leaving_year"]
        for area in PLAN_AREAS_2025:
            sel = cohort & (uu["area"] == area)
            assert (int(sel.sum()), int((sel & ok).sum())) == spec[area], (spec["leaving_year"], area)


def test_youth_school_2024(pop, frames):
    w = children_world.world(pop)
    year = youth.YOUTH_SCHOOL_YEAR
    placed = youth.placed_on(w, frames["anbringelser"], dates.day(year, 9, 1))
    counted = youth.youth_school_population(w, year, placed)
    ys = frames["ungdomsskole"]
    ys = ys[(ys["_year"] == year) & (ys["TILMELDT"] <= pd.Timestamp(year, 9, 1))]
    enrolled = np.zeros(len(w.key), dtype=bool)
    enrolled[pd.Index(w.key).get_indexer(ys["PNR_PSEUDO"])] = True
    g = w.group_in(year)
    for code, area in enumerate(PLAN_AREAS_2025):
        n = (counted & (g == code)).sum()
        assert round(100 * (counted & enrolled & (g == code)).sum() / n) == T.YOUTH_SCHOOL_2024[area], area


def test_interventions_2019(pop):
    df = interventions.participation(pop)
    y = df[df["_year"] == 2019]
    for code, spec in T.ACTIVITIES_2019.items():
        acts = y[y["AKTIVITET"] == code]
        assert acts["PNR_PSEUDO"].nunique() == spec["participants"], code
        if "finished" in spec:
            fin = acts[acts["SLUT"].dt.year == 2019]
            assert len(fin) == spec["finished"] and (fin["GENNEMFOERT"] == "J").sum() == spec["completed"], code


@pytest.mark.parametrize("name, key, start, end", [
    ("anbringelser", ["PNR_PSEUDO", "START"], "START", "SLUT"),
    ("dagtilbud", ["PNR_PSEUDO", "INDMELDT"], "INDMELDT", "UDMELDT"),
    ("indsatsdeltagelse", ["PNR_PSEUDO", "AKTIVITET", "START"], "START", "SLUT"),
])
def test_yearly_spell_files_restate_open_spells_as_real_extracts_do(pop, frames, name, key, start, end):
    df = interventions.participation(pop) if name == "indsatsdeltagelse" else frames[name]
    year_end = pd.to_datetime(df["_year"].astype(str) + "-12-31")
    # a year's file shows an end only if the spell had ended by the end of that year
    assert (df[end].isna() | (df[end] <= year_end)).all()
    assert (df[start] <= year_end).all()
    # a spell open in a year's file is delivered again in the next year's file
    last = df["_year"].max()
    open_rows = df[df[end].isna() & (df["_year"] < last)]
    nxt = df[key + ["_year", end]].assign(_year=df["_year"] - 1)
    both = open_rows[key + ["_year"]].merge(nxt, on=key + ["_year"], how="left", indicator=True)
    assert len(open_rows) > 20 and (both["_merge"] == "both").all()
    # ... closed there, or (long placements and daycare) still open
    assert both[end].notna().sum() > 5 and (name == "indsatsdeltagelse" or both[end].isna().sum() > 5)
    if name == "indsatsdeltagelse":  # the completion comes with the end, never before it
        assert df.loc[df[end].isna(), "GENNEMFOERT"].isna().all()


def test_written_files_follow_the_contract(pop, frames, tmp_path):
    paths = children.write_frames(frames, tmp_path)
    paths += jobcenter.write_jobcenter_extracts(pop, tmp_path)
    paths += interventions.write_intervention_extracts(pop, tmp_path)
    seen = set()
    for path in paths:
        name = path.name.rsplit("_", 1)[0]
        src = source(name)
        seen.add(name)
        text = path.read_bytes().decode(src.encoding)  # strict: the file is in the contract's encoding
        header = next(csv.reader([text.splitlines()[0]], delimiter=src.delimiter))
        assert header == src.column_names, path.name
        df = pd.read_csv(path, sep=src.delimiter, encoding=src.encoding, dtype=str, keep_default_na=False)
        assert not df.duplicated(list(src.keys)).any(), path.name
        for col in src.columns:
            values = df[col.name]
            if not col.nullable:
                assert (values != "").all(), (path.name, col.name)
            if col.codes:
                assert set(values[values != ""]) <= set(col.codes), (path.name, col.name)
            if col.pattern:
                assert values[values != ""].str.fullmatch(col.pattern.strip("^$")).all(), (path.name, col.name)
    for name in seen:  # and the project's own reader (pandera schema from the contract) accepts them
        assert read_source(tmp_path, source(name))
    assert seen == {"sprogvurdering", "dagtilbud", "skolefravaer", "afgangsproever", "uu_vejledning",
                    "ungdomsskole", "anbringelser", "jobcenter_ydelser", "indsatsdeltagelse"}
    lang = (tmp_path / "kommune" / "sprogvurdering_2023.csv").read_bytes()
    assert "Særlig indsats".encode("cp1252") in lang
