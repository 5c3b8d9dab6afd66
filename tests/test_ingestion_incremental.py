"""Raw data is immutable and a refresh loads only what changed: every delivered file is
recorded in raw._deliveries (by sha256), a new year loads only its files, a changed file
replaces only its year, a withdrawn file removes its year, a bad new file changes nothing, and
a rerun with the same files writes nothing."""

from __future__ import annotations

import hashlib

import dagster as dg
import duckdb
import pytest

from contract_examples import example_frame
from demo.writers import write_extract
from ingestion.contract import source
from ingestion.errors import ExtractError
from ingestion.loader import refresh_source
from ingestion.readers import find_files
from orchestration.assets.raw import build_raw_asset
from orchestration.resources import Warehouse

SRC = source("sprogvurdering")  # cp1252, and institution codes the reference data may not know


class Recording:
    """A connection that remembers every statement it was asked to run."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def __getattr__(self, name):
        return getattr(self.con, name)

    def execute(self, sql, *args):
        self.statements.append(sql.split()[0].upper())
        return self.con.execute(sql, *args)


def _deliver(folder, year, rows=3, unknown_institution=False):
    frame = example_frame(SRC, rows=rows, year=year)
    if unknown_institution:
        frame.loc[0, "INSTITUTION_KODE"] = "999999"
    return write_extract(frame, SRC, year, folder)


def _refresh(con, folder):
    return refresh_source(con, SRC, find_files(folder, SRC))


def _years(con, table=SRC.name):
    """{year: (rows, loaded_at)} of a raw table."""
    return {y: (n, at) for y, n, at in con.execute(
        f"SELECT _extract_year, count(*), max(_loaded_at) FROM raw.{table} GROUP BY 1").fetchall()}


def _deliveries(con):
    return {r[0]: r[1:] for r in con.execute(
        "SELECT extract_year, file, sha256, rows FROM raw._deliveries WHERE source = ? ORDER BY 1", [SRC.name]).fetchall()}


@pytest.fixture
def loaded(tmp_path):
    """2022 and 2023 delivered and loaded."""
    folder = tmp_path / "extracts"
    for year in (2022, 2023):
        _deliver(folder, year)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = _refresh(con, folder)
    assert first.loaded == ["sprogvurdering_2022.csv", "sprogvurdering_2023.csv"] and first.rows == 6
    yield con, folder
    con.close()


def test_every_delivered_file_is_recorded_with_its_sha256(loaded):
    con, folder = loaded
    columns = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'raw' "
                          "AND table_name = '_deliveries' ORDER BY column_index").fetchall()
    assert columns == [("source", "VARCHAR"), ("extract_year", "INTEGER"), ("file", "VARCHAR"), ("sha256", "VARCHAR"),
                       ("rows", "BIGINT"), ("loaded_at", "TIMESTAMP")]
    path = folder / SRC.folder / "sprogvurdering_2023.csv"
    assert _deliveries(con)[2023] == (path.name, hashlib.sha256(path.read_bytes()).hexdigest(), 3)


def test_a_rerun_with_the_same_files_writes_nothing(loaded):
    con, folder = loaded
    before = con.execute(f"SELECT * FROM raw.{SRC.name} ORDER BY ALL").fetchall()
    recording = Recording(con)
    result = refresh_source(recording, SRC, find_files(folder, SRC))
    assert result.loaded == [] and len(result.skipped) == 2 and result.rows == 6
    assert set(recording.statements) == {"SELECT"}, recording.statements
    assert con.execute(f"SELECT * FROM raw.{SRC.name} ORDER BY ALL").fetchall() == before


def test_adding_a_year_loads_only_that_years_file(loaded):
    con, folder = loaded
    before = _years(con)
    _deliver(folder, 2024, rows=4)
    result = _refresh(con, folder)
    assert result.loaded == ["sprogvurdering_2024.csv"] and len(result.skipped) == 2
    after = _years(con)
    assert {y: after[y] for y in before} == before  # the loaded years are untouched, rows and load time
    assert after[2024][0] == 4 and sorted(_deliveries(con)) == [2022, 2023, 2024]


def test_a_changed_file_replaces_just_its_year(loaded):
    con, folder = loaded
    before = _years(con)
    old_sha = _deliveries(con)[2023][1]
    _deliver(folder, 2023, rows=5, unknown_institution=True)  # a corrected delivery
    result = _refresh(con, folder)
    assert result.loaded == ["sprogvurdering_2023.csv"] and result.skipped == ["sprogvurdering_2022.csv"]
    after = _years(con)
    assert after[2022] == before[2022] and after[2023][0] == 4 and after[2023][1] > before[2023][1]
    assert _years(con, f"{SRC.name}__quarantine") == {2023: (1, after[2023][1])}
    assert _deliveries(con)[2023][1] != old_sha and _deliveries(con)[2023][2] == 5


def test_a_withdrawn_file_removes_its_year(loaded):
    con, folder = loaded
    _deliver(folder, 2022, unknown_institution=True)
    _refresh(con, folder)
    assert 2022 in _years(con, f"{SRC.name}__quarantine")
    (folder / SRC.folder / "sprogvurdering_2022.csv").unlink()
    result = _refresh(con, folder)
    assert result.withdrawn == [2022] and result.loaded == []
    assert set(_years(con)) == {2023} and _years(con, f"{SRC.name}__quarantine") == {}
    assert sorted(_deliveries(con)) == [2023]


def test_a_bad_new_file_changes_nothing(loaded):
    con, folder = loaded
    table = con.execute(f"SELECT * FROM raw.{SRC.name} ORDER BY ALL").fetchall()
    deliveries = _deliveries(con)
    _deliver(folder, 2022, rows=4)  # a good change beside the bad file is not loaded either
    bad = _deliver(folder, 2024)
    bad.write_text(bad.read_text(encoding="cp1252").replace("Generel indsats", "Ukendt"), encoding="cp1252")
    with pytest.raises(ExtractError, match="sprogvurdering_2024.csv, line 2, column RESULTAT"):
        _refresh(con, folder)
    assert con.execute(f"SELECT * FROM raw.{SRC.name} ORDER BY ALL").fetchall() == table
    assert _deliveries(con) == deliveries


def test_a_raw_table_edited_by_hand_is_rebuilt(loaded):
    con, folder = loaded
    con.execute(f"DELETE FROM raw.{SRC.name} WHERE _extract_year = 2022 AND _source_row = 1")
    result = _refresh(con, folder)
    assert len(result.loaded) == 2 and _years(con)[2022][0] == 3


def test_the_raw_asset_says_how_many_files_it_skipped(tmp_path):
    folder = tmp_path / "extracts"
    for year in (2022, 2023):
        _deliver(folder, year)
    resources = {"warehouse": Warehouse(path=str(tmp_path / "w.duckdb"), extract_dir=str(folder))}
    asset = build_raw_asset(SRC)

    def metadata():
        result = dg.materialize([asset], resources=resources, instance=dg.DagsterInstance.ephemeral())
        return result.asset_materializations_for_node(asset.op.name)[0].metadata

    first = metadata()
    assert first["files_skipped"].value == 0 and first["rows"].value == 6
    _deliver(folder, 2024)
    second = metadata()
    assert second["files_skipped"].value == 2 and second["files_loaded"].value == ["sprogvurdering_2024.csv"]
    assert second["rows"].value == 9
