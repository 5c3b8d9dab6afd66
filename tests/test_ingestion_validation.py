"""The contract at work: valid extracts load, and bad ones fail with an error that names
file, line and column, before anything reaches the warehouse."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from contract_examples import PATTERN_EXAMPLES, example_frame
from ingestion.contract import SOURCES, source
from ingestion.contract_doc import render
from ingestion.errors import ExtractError
from ingestion.loader import load_source
from ingestion.readers import find_files, read_extract
from ingestion.writers import write_extract
from orchestration.settings import REPO_ROOT


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: s.name)
def test_every_source_round_trips(tmp_path, src):
    frame = example_frame(src, rows=3)
    path = write_extract(frame, src, 2023, tmp_path)
    assert path.name == f"{src.name}_2023.csv"
    read = read_extract(path, src)
    assert list(read.columns) == src.column_names
    assert len(read) == 3


def test_pattern_examples_cover_the_contract():
    patterns = {c.pattern for s in SOURCES for c in s.columns if c.pattern}
    assert patterns <= set(PATTERN_EXAMPLES)
    for pattern, example in PATTERN_EXAMPLES.items():
        assert re.fullmatch(pattern, example), pattern


def test_contract_document_is_current():
    committed = (REPO_ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    assert committed == render(), "regenerate with: python -m ingestion.contract_doc > docs/data-contract.md"


def _error(path, src) -> ExtractError:
    with pytest.raises(ExtractError) as info:
        read_extract(path, src)
    return info.value


def _write(tmp_path, src, mutate=None, year=2023):
    frame = example_frame(src, rows=3)
    if mutate:
        frame = mutate(frame)
    return write_extract(frame, src, year, tmp_path)


def test_unknown_code_names_line_and_column(tmp_path):
    src = source("sprogvurdering")
    path = _write(tmp_path, src, lambda f: f.assign(RESULTAT=["Generel indsats", "Ukendt", "Særlig indsats"]))
    problems = _error(path, src).problems
    assert [(p.line, p.column, p.value) for p in problems] == [(3, "RESULTAT", "Ukendt")]
    assert "sprogvurdering_2023.csv, line 3, column RESULTAT" in str(problems[0])


def test_impossible_date_and_out_of_range_number(tmp_path):
    src = source("skolefravaer")
    frame = example_frame(src, rows=3)
    frame["KLASSETRIN"] = [0, 14, 3]
    path = write_extract(frame, src, 2023, tmp_path)
    text = path.read_text(encoding="utf-8").replace("2023/24", "2023/2024", 1)
    path.write_text(text, encoding="utf-8")
    problems = {(p.line, p.column) for p in _error(path, src).problems}
    assert (2, "SKOLEAAR") in problems and (3, "KLASSETRIN") in problems


def test_raw_cpr_number_is_rejected_without_echoing_it(tmp_path):
    src = source("cpr_befolkning")
    path = _write(tmp_path, src, lambda f: f.assign(MOR_PNR_PSEUDO=[None, "0512841234", None]))
    err = _error(path, src)
    assert err.problems[0].column == "MOR_PNR_PSEUDO" and err.problems[0].line == 3
    assert "0512841234" not in str(err)


def test_cpr_header_is_rejected(tmp_path):
    src = source("dagtilbud")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").replace("PNR_PSEUDO", "CPR_NR", 1), encoding="utf-8")
    assert any(p.column == "CPR_NR" for p in _error(path, src).problems)


def test_wrong_encoding_names_the_line(tmp_path):
    src = source("sprogvurdering")  # delivered in cp1252
    frame = example_frame(src, rows=3)
    frame["RESULTAT"] = ["Generel indsats", "Generel indsats", "Særlig indsats"]
    path = write_extract(frame, src, 2023, tmp_path)
    path.write_bytes(path.read_text(encoding="cp1252").encode("utf-8"))  # a UTF-8 delivery
    problems = _error(path, src).problems
    assert problems[0].line == 4 and "cp1252" in problems[0].check


def test_wrong_delimiter(tmp_path):
    src = source("jobcenter_ydelser")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").replace(";", "\t"), encoding="utf-8")
    assert "delimiter" in str(_error(path, src))


def test_missing_and_renamed_column(tmp_path):
    src = source("uu_vejledning")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").replace("STATUSDATO", "STATUS_DATO", 1), encoding="utf-8")
    columns = {p.column for p in _error(path, src).problems}
    assert columns == {"STATUSDATO", "STATUS_DATO"}


def test_duplicate_key(tmp_path):
    src = source("cpr_befolkning")
    path = _write(tmp_path, src, lambda f: f.assign(PNR_PSEUDO=["00000000000000aa"] * 3))
    problems = _error(path, src).problems
    assert {p.line for p in problems} == {2, 3, 4}
    assert all("duplicate" in p.check for p in problems)


def test_truncated_file(tmp_path):
    src = source("cpr_befolkning")
    path = _write(tmp_path, src)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex(";")], encoding="utf-8")  # the last row is cut off
    problems = _error(path, src).problems
    assert problems[0].line == 4 and "truncated" in problems[0].check


def test_empty_year(tmp_path):
    src = source("anbringelser")
    path = _write(tmp_path, src)
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "no rows" in str(_error(path, src))


def test_suppression_marker_only_where_the_contract_allows_it(tmp_path):
    dst = source("dst_boligomraader")
    ok = _write(tmp_path, dst, lambda f: f.assign(DOEMTE=["..", "-", 12]))
    assert read_extract(ok, dst)["DOEMTE"].tolist() == ["..", "-", "12"]
    src = source("skolefravaer")
    bad = _write(tmp_path, src, lambda f: f.assign(FRAVAER_SYGDOM=[1.5, "..", 2]))
    assert [(p.line, p.column) for p in _error(bad, src).problems] == [(3, "FRAVAER_SYGDOM")]


def test_a_year_delivered_twice_is_an_error(tmp_path):
    src = source("dagtilbud")
    path = _write(tmp_path, src)
    (path.parent / "dagtilbud_2023 (1).csv").write_bytes(path.read_bytes())
    with pytest.raises(ExtractError, match="second delivery"):
        find_files(tmp_path, src)


def test_load_replaces_atomically_and_keeps_lineage(tmp_path):
    src = source("sprogvurdering")
    for year in (2022, 2023):
        _write(tmp_path, src, year=year)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert load_source(con, src, find_files(tmp_path, src)) == 6
    assert load_source(con, src, find_files(tmp_path, src)) == 6  # a rerun gives the same table
    rows = con.execute("SELECT _extract_year, _source_file, _source_row FROM raw.sprogvurdering ORDER BY 1, 3").fetchall()
    assert rows[0] == (2022, "sprogvurdering_2022.csv", 1) and len(rows) == 6

    class FailingInsert:
        """A connection whose INSERT fails, as a full disk or a crash mid-load would."""

        def __getattr__(self, name):
            return getattr(con, name)

        def execute(self, sql, *args):
            if sql.startswith("INSERT"):
                raise duckdb.IOException("disk full")
            return con.execute(sql, *args)

    with pytest.raises(duckdb.IOException):
        load_source(FailingInsert(), src, find_files(tmp_path, src))
    assert con.execute("SELECT count(*) FROM raw.sprogvurdering").fetchone()[0] == 6
    # a bad file among good ones: every problem reported, the previous table kept
    bad = tmp_path / src.folder / "sprogvurdering_2023.csv"
    bad.write_text(bad.read_text(encoding="cp1252").replace("Generel indsats", "Ukendt"), encoding="cp1252")
    with pytest.raises(ExtractError, match="sprogvurdering_2023.csv, line 2, column RESULTAT"):
        load_source(con, src, find_files(tmp_path, src))
    assert con.execute("SELECT count(DISTINCT _extract_year), count(*) FROM raw.sprogvurdering").fetchone() == (2, 6)
