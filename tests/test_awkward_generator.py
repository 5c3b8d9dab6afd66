"""The awkward generator makes the behaviours it promises (without a refresh: seconds, not minutes)."""

from __future__ import annotations

import json

import pytest

from tests.awkward.generate import MANIFEST, config_for_seed, generate
from tests.oracle.extracts import Extracts, residents


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return generate(config_for_seed(1), tmp_path_factory.mktemp("awkward") / "extracts")


def test_the_seeds_missing_year_is_not_delivered_and_declared(folder):
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["not_delivered"] == ["kommune/anbringelser_2019.csv"]
    assert not (folder / "kommune" / "anbringelser_2019.csv").exists()
    assert (folder / "kommune" / "anbringelser_2020.csv").exists()


def test_open_spells_are_restated_next_year(folder):
    ex = Extracts(folder)
    for name, start in [("anbringelser", "START"), ("dagtilbud", "INDMELDT"), ("indsatsdeltagelse", "START")]:
        end = "UDMELDT" if name == "dagtilbud" else "SLUT"
        s = ex.stacked(name)
        open_then_restated = s[s[end].isna()].merge(s, on=["PNR_PSEUDO", start]).query("file_year_y == file_year_x + 1")
        assert len(open_then_restated) > 0, name


def test_groups_of_zero_and_one_and_a_tiny_area(folder):
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    res = residents(Extracts(folder))
    per_area = res[res.year == 2024].groupby("area").size()
    assert per_area.get(manifest["small_area"], 0) < 60
    children = res[(res.year == 2024) & (res.FOEDSELSDATO > __import__("datetime").date(2006, 1, 1))]
    assert children[children.area == manifest["childless_area"]].shape[0] <= 1


def test_pupils_at_two_schools_and_awkward_addresses(folder):
    ex = Extracts(folder)
    school = ex.frames("skolefravaer")[2020]
    assert school.PNR_PSEUDO.duplicated().any()
    cpr = ex.stacked("cpr_befolkning")
    assert cpr.HUSBOGSTAV.notna().any()
    res = residents(ex)
    assert res.area.isna().any() and res.area.notna().any()
