"""The demo's data vintage: the partial year 2026 (extracted 31 October 2026) is a continuation.

Every file of the delivery of 31 December 2025 is byte-identical in the later vintage, so no
published figure for 2025 or earlier can move; the later vintage only adds the files of periods
that ended after 31 December 2025 (the partial year 2026 and the school year 2025/26).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from demo.interventions import HP2025
from demo.model import DemoConfig
from ingestion.contract import SOURCES_BY_NAME, source

OLD_VINTAGE = "2025-12-31"
# the school year that ended in June 2026 (file year = its first year) and its 9th-grade exams
SCHOOL_YEAR_FILES = {"skolefravaer_2025.csv", "afgangsproever_2025.csv"}


@pytest.fixture(scope="module")
def old_vintage(tmp_path_factory) -> Path:
    from demo.generate import generate

    config = replace(DemoConfig.small(), extract_date=OLD_VINTAGE)
    return generate(config, tmp_path_factory.mktemp("old_vintage") / "extracts")


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*.csv")}


def _read(root: Path, name: str, year: int) -> pd.DataFrame:
    src = source(name)
    return pd.read_csv(root / src.folder / src.file_name(year), sep=src.delimiter, encoding=src.encoding,
                       dtype=str, keep_default_na=False)


def test_default_vintage_is_31_october_2026():
    config = DemoConfig.small()
    assert config.extract_date == "2026-10-31"
    assert config.partial_year == 2026 and config.last_school_year == 2025
    old = replace(config, extract_date=OLD_VINTAGE)
    assert old.partial_year is None and old.last_school_year == 2024


def test_earlier_files_byte_identical_and_new_files_only_in_the_later_vintage(small_demo, old_vintage):
    old, new = _files(old_vintage), _files(small_demo)
    assert set(old) <= set(new), sorted(set(old) - set(new))
    changed = [name for name in old if old[name].read_bytes() != new[name].read_bytes()]
    assert not changed, f"files of the 31 December 2025 delivery changed: {changed}"
    added = set(new) - set(old)
    assert not [name for name in old if name.endswith("_2026.csv")]
    # the later vintage adds the partial year and the school year that ended in June 2026, nothing else
    assert {name for name in added if not name.endswith("_2026.csv")} == {f"kommune/{f}" for f in SCHOOL_YEAR_FILES}
    partial = {Path(name).name.removesuffix("_2026.csv") for name in added if name.endswith("_2026.csv")}
    municipal = {s.name for s in SOURCES_BY_NAME.values() if s.kind in ("municipal", "housing")}
    # every person-level and housing source has its partial year, except the youth school (its
    # 2026/27 enrolments are not simulated), the exams (summer) and the school absence (school years)
    assert partial == municipal - {"ungdomsskole", "afgangsproever", "skolefravaer"}
    # Danmarks Statistik and LBF publish with a lag: no published file for 2026
    assert not [name for name in added if name.startswith("publicerede/")]


def test_partial_year_stays_within_the_extract_date(small_demo):
    extract = pd.Timestamp("2026-10-31")
    months = _read(small_demo, "jobcenter_ydelser", 2026).MAANED
    assert months.min() == "2026-01" and months.max() == "2026-10"
    for name, column in (("sprogvurdering", "VURDERINGSDATO"), ("randersbolig_flytninger", "DATO"),
                         ("randersbolig_udsaettelser", "SAG_DATO"), ("randersbolig_klager", "KLAGE_DATO")):
        dates = pd.to_datetime(_read(small_demo, name, 2026)[column])
        assert len(dates) and dates.min() >= pd.Timestamp("2026-01-01") and dates.max() <= extract, name
    for name, start, end in (("indsatsdeltagelse", "START", "SLUT"), ("dagtilbud", "INDMELDT", "UDMELDT"),
                             ("anbringelser", "START", "SLUT")):
        spells = _read(small_demo, name, 2026)
        ends = pd.to_datetime(spells[end].replace("", None))
        assert pd.to_datetime(spells[start]).max() <= extract and ends.max() <= extract, name
        # spells active in 2026: none ended before it
        assert ends.dropna().min() >= pd.Timestamp("2026-01-01"), name
    uu = _read(small_demo, "uu_vejledning", 2026)
    assert set(uu.STATUSDATO) == {"2026-10-01"} and (uu.AFGANGSAAR == "2026").sum() > 50
    # the CPR stock of 1 January 2026 is about the size of the year before's
    stock = {y: len(_read(small_demo, "cpr_befolkning", y)) for y in (2025, 2026)}
    assert abs(stock[2026] / stock[2025] - 1) < 0.05, stock


def test_spells_delivered_open_are_closed_by_the_later_file(small_demo):
    keys = ["PNR_PSEUDO", "AKTIVITET", "START"]
    y25, y26 = _read(small_demo, "indsatsdeltagelse", 2025), _read(small_demo, "indsatsdeltagelse", 2026)
    both = y25[y25.SLUT == ""].merge(y26, on=keys, suffixes=("_25", "_26"))
    closed = both[both.SLUT_26 != ""]
    assert len(closed) > 50
    assert (pd.to_datetime(closed.SLUT_26) <= pd.Timestamp("2026-10-31")).all()
    # the completion is delivered with the end, and only then
    no_completion = [code for code, (act, _) in HP2025.items() if act.completion is None]
    assert (closed.GENNEMFOERT_26.isin(["J", "N"]) | closed.AKTIVITET.isin(no_completion)).all()
    assert (y26[y26.SLUT == ""].GENNEMFOERT == "").all()
    # the 2025-29 plan starts new participants in 2026
    new = y26[pd.to_datetime(y26.START) >= pd.Timestamp("2026-01-01")]
    assert new.AKTIVITET.nunique() >= 14
