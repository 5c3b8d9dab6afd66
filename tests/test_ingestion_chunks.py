"""Validation in chunks: a big file is checked a chunk of rows at a time and many small files
together, and every problem still names the right file and line. The chunk size is made tiny
here so that a small file spans several chunks."""

from __future__ import annotations

import duckdb
import pytest

import ingestion.csv_text as csv_text
import ingestion.readers as readers
from contract_examples import example_frame
from demo.writers import write_extract
from ingestion.contract import source
from ingestion.errors import ExtractError
from ingestion.loader import load_source
from ingestion.readers import find_files, validate_files

CPR = source("cpr_befolkning")
ROWS = 60


@pytest.fixture
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(csv_text, "CHUNK_ROWS", 7)
    monkeypatch.setattr(readers, "CHUNK_ROWS", 7)
    monkeypatch.setattr(csv_text, "PARSE_BLOCK_BYTES", 600)  # a few rows per parsed block


def _file(tmp_path, year=2023, rows=ROWS, edit=None):
    path = write_extract(example_frame(CPR, rows=rows), CPR, year, tmp_path)
    if edit:
        lines = path.read_text(encoding="utf-8").split("\n")
        edit(lines)
        path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _problems(path):
    with pytest.raises(ExtractError) as info:
        list(validate_files([(2023, path)], CPR))
    return info.value.problems


def _set(lines, line, column, value):
    fields = lines[line - 1].split(";")
    fields[CPR.column_names.index(column)] = value
    lines[line - 1] = ";".join(fields)


def test_a_file_in_many_chunks_loads_as_in_one(tmp_path, monkeypatch):
    _file(tmp_path)
    whole = duckdb.connect(str(tmp_path / "whole.duckdb"))
    assert load_source(whole, CPR, find_files(tmp_path, CPR)) == ROWS
    monkeypatch.setattr(csv_text, "CHUNK_ROWS", 7)
    monkeypatch.setattr(readers, "CHUNK_ROWS", 7)
    monkeypatch.setattr(csv_text, "PARSE_BLOCK_BYTES", 600)
    assert len(list(validate_files([(2023, tmp_path / CPR.folder / "cpr_befolkning_2023.csv")], CPR))) > 3
    chunked = duckdb.connect(str(tmp_path / "chunked.duckdb"))
    assert load_source(chunked, CPR, find_files(tmp_path, CPR)) == ROWS
    query = "SELECT * EXCLUDE (_loaded_at) FROM raw.cpr_befolkning ORDER BY _source_row"
    rows = chunked.execute(query).fetchall()
    assert rows == whole.execute(query).fetchall()
    assert [r[-1] for r in rows] == list(range(1, ROWS + 1))  # _source_row runs on across chunks


def test_a_bad_value_late_in_the_file_names_its_line(tmp_path, tiny_chunks):
    path = _file(tmp_path, edit=lambda lines: _set(lines, 50, "KOEN", "X"))
    assert [(p.line, p.column) for p in _problems(path)] == [(50, "KOEN")]


def test_a_key_repeated_in_another_chunk_names_both_lines(tmp_path, tiny_chunks):
    def edit(lines):
        _set(lines, 55, "PNR_PSEUDO", lines[3].split(";")[0])
    problems = _problems(_file(tmp_path, edit=edit))
    assert {p.line for p in problems} == {4, 55} and all("duplicate" in p.check for p in problems)


def test_a_cpr_number_late_in_the_file_is_found_without_echoing_it(tmp_path, tiny_chunks):
    path = _file(tmp_path, edit=lambda lines: _set(lines, 41, "MOR_PNR_PSEUDO", "0512841234"))
    problems = _problems(path)
    assert [(p.line, p.column) for p in problems] == [(41, "MOR_PNR_PSEUDO")]
    assert "0512841234" not in str(ExtractError(problems))


def test_a_truncated_row_late_in_the_file_names_its_line(tmp_path, tiny_chunks):
    def edit(lines):
        lines[45] = lines[45].rsplit(";", 3)[0]  # line 46 loses its last fields
    problems = _problems(_file(tmp_path, edit=edit))
    assert [(p.line, "fields" in p.check) for p in problems] == [(46, True)]


def test_small_files_validated_together_keep_their_own_names_lines_and_keys(tmp_path):
    # the same keys in every year are fine: a key is unique within its file
    paths = {year: _file(tmp_path, year=year, rows=5) for year in (2023, 2024, 2025)}
    assert sum(c.table.num_rows for c in validate_files(sorted(paths.items()), CPR)) == 15
    lines = paths[2024].read_text(encoding="utf-8").split("\n")
    _set(lines, 4, "KOEN", "X")
    _set(lines, 6, "PNR_PSEUDO", lines[1].split(";")[0])
    paths[2024].write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ExtractError) as info:
        list(validate_files(sorted(paths.items()), CPR))
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.column) for p in info.value.problems}
    assert found == {("cpr_befolkning_2024.csv", 4, "KOEN"), ("cpr_befolkning_2024.csv", 2, "PNR_PSEUDO"),
                     ("cpr_befolkning_2024.csv", 6, "PNR_PSEUDO")}
