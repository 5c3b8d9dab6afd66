"""The delivery manifest check (ingestion.manifest): a delivery that is not whole stops the
refresh with one message listing every problem, before anything is written; declared gaps pass
and are recorded. Tiny hand-made extract folders, as in test_ingestion_validation."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from contract_examples import example_frame
from demo.writers import write_extract
from ingestion.contract import SOURCES, source
from ingestion.errors import ExtractError
from ingestion.manifest import GAPS_FILE, GAPS_TABLE, check_delivery, previous_delivery, record_gaps

YEARS = (2022, 2023)


def whole_delivery(folder: Path, years=YEARS) -> Path:
    """Every source of the contract for the given years: a whole delivery."""
    for src in SOURCES:
        for year in years:
            write_extract(example_frame(src, rows=2, year=year), src, year, folder)
    return folder


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    return whole_delivery(tmp_path_factory.mktemp("whole") / "extracts")


@pytest.fixture
def delivery(whole, tmp_path) -> Path:
    folder = tmp_path / "extracts"
    shutil.copytree(whole, folder)
    return folder


def problems(folder: Path, previous=None) -> list[str]:
    with pytest.raises(ExtractError) as info:
        check_delivery(folder, previous)
    return [str(p) for p in info.value.problems]


def test_a_whole_delivery_passes(delivery):
    found = check_delivery(delivery)
    assert all(sorted(found.files[s.name]) == list(YEARS) for s in SOURCES)
    assert found.gaps == []


def test_every_problem_in_one_message(delivery):
    kommune = delivery / "kommune"
    (kommune / "dagtilbud_2023.csv").rename(delivery / "boligorganisationer" / "dagtilbud_2023.csv")  # misplaced
    (kommune / "anbringelser_2023.csv").rename(kommune / "Anbringelser_2023.csv")  # capitalised
    (kommune / "ungdomsskole_2023.csv").rename(kommune / " ungdomsskole_2023.csv")  # leading space
    (kommune / "noter.txt").write_text("x")  # unknown
    for path in (delivery / "publicerede").glob("dst_valgdeltagelse_*"):
        path.unlink()  # a whole source missing
    with pytest.raises(ExtractError) as info:
        check_delivery(delivery)
    message = str(info.value)
    for expected in ("dagtilbud_2023.csv: file in the wrong folder: belongs in kommune/",
                     "Anbringelser_2023.csv: misnamed", " ungdomsskole_2023.csv: misnamed",
                     "noter.txt: unknown file", "no files for source dst_valgdeltagelse"):
        assert expected in message, message
    assert len(info.value.problems) == 5


def test_a_year_missing_inside_the_range(tmp_path):
    folder = whole_delivery(tmp_path / "x", years=(2021, 2022, 2023))
    (folder / "kommune" / "anbringelser_2022.csv").unlink()
    (folder / "publicerede" / "dst_valgdeltagelse_2022.csv").unlink()  # elections are not yearly
    assert problems(folder) == ["anbringelser_{year}.csv: anbringelser_2022.csv is missing inside the delivered "
                                f"years 2021-2023; declare it in {GAPS_FILE} if it was never delivered"]


def test_a_year_delivered_before_and_missing_now(delivery):
    (delivery / "kommune" / "anbringelser_2023.csv").unlink()
    (delivery / "publicerede" / "lbf_tryghedsmaaling_2023.csv").unlink()
    found = problems(delivery, previous={"anbringelser": {2022, 2023}, "lbf_tryghedsmaaling": {2022, 2023}})
    assert [p.split(": ")[1].split(" ")[0] for p in found] == ["anbringelser_2023.csv", "lbf_tryghedsmaaling_2023.csv"]
    assert all("delivered before and is missing now" in p for p in found)


def test_a_missing_folder_a_folder_in_the_wrong_case_and_no_folder_at_all(delivery, tmp_path):
    shutil.rmtree(delivery / "kommune")
    (delivery / "publicerede").rename(delivery / "Publicerede")
    found = problems(delivery)
    assert any(p.startswith("kommune: folder kommune/ is missing: 10 source(s) expected") for p in found), found
    assert any(p.startswith("Publicerede: folder 'Publicerede' should be named 'publicerede'") for p in found), found
    assert problems(tmp_path / "no-such-folder") == [
        "no-such-folder: the extract folder does not exist or is not a folder; nothing was read"]


def test_a_file_named_for_a_future_year(delivery):
    src = source("dst_boligomraader")
    write_extract(example_frame(src, rows=2), src, 2099, delivery)
    assert problems(delivery) == ["dst_boligomraader_2099.csv: named for 2099, a year after today's; a wrong year in "
                                  "the file name?"]


def test_symlinks_are_never_followed_nor_their_content_printed(delivery, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (delivery / "kommune" / "anbringelser_2023.csv").unlink()
    (delivery / "kommune" / "anbringelser_2023.csv").symlink_to(secret)
    (delivery / "andet").symlink_to(tmp_path)
    with pytest.raises(ExtractError) as info:
        check_delivery(delivery)
    message = str(info.value)
    assert "anbringelser_2023.csv: a symbolic link: not followed" in message
    assert "andet: a symbolic link in the extract folder: not followed" in message
    assert "root" not in message


def test_declared_gaps_pass_and_are_recorded(tmp_path):
    folder = whole_delivery(tmp_path / "x", years=(2021, 2022, 2023))
    (folder / "boligorganisationer" / "randersbolig_udsaettelser_2022.csv").unlink()
    (folder / GAPS_FILE).write_text("kilde;aar;begrundelse\nrandersbolig_udsaettelser;2022;"
                                    "RandersBolig leverede ikke udsættelser for 2022\n", encoding="utf-8")
    found = check_delivery(folder, previous={"randersbolig_udsaettelser": {2021, 2022}})
    assert [(g.source, g.year) for g in found.gaps] == [("randersbolig_udsaettelser", 2022)]
    con = duckdb.connect()
    record_gaps(con, found)
    assert con.execute(f"SELECT source, extract_year, reason FROM {GAPS_TABLE}").fetchall() == [
        ("randersbolig_udsaettelser", 2022, "RandersBolig leverede ikke udsættelser for 2022")]


def test_the_gaps_file_is_validated_like_an_extract(delivery):
    (delivery / GAPS_FILE).write_text("kilde;aar;begrundelse\n\"flere\nlinjer\";2022;x\n\nukendt_kilde;20x2;\n"
                                      "anbringelser;2023;leveret alligevel\n", encoding="utf-8")
    found = problems(delivery)
    assert f"{GAPS_FILE}, line 5, column kilde: not a source of the data contract (value 'ukendt_kilde')" in found
    assert f"{GAPS_FILE}, line 5, column aar: not a year (YYYY) (value '20x2')" in found
    assert f"{GAPS_FILE}, line 5, column begrundelse: a reason is required" in found
    assert any("line 2, column kilde" in p for p in found), found  # a quoted newline: the row starts on line 2
    assert f"{GAPS_FILE}: anbringelser 2023 is declared missing, but anbringelser_2023.csv is delivered" in found


def test_previous_delivery_is_read_from_the_warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert previous_delivery(con) == {}
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw._deliveries (source VARCHAR, extract_year INTEGER)")
    con.execute("INSERT INTO raw._deliveries VALUES ('anbringelser', 2022), ('anbringelser', 2023)")
    assert previous_delivery(con) == {"anbringelser": {2022, 2023}}


def _digest(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_a_bad_delivery_stops_the_refresh_and_changes_nothing(published_demo, tmp_path):
    """`boligmonitor run` on a delivery with a misplaced file, a missing source, a misread number
    and a missing folder: non-zero exit, one message listing every problem, and the last good
    warehouse and exports byte-identical."""
    warehouse, exports = tmp_path / "warehouse.duckdb", tmp_path / "exports"
    shutil.copy(published_demo["warehouse"], warehouse)
    shutil.copytree(published_demo["exports"], exports, symlinks=True)
    bad = tmp_path / "extracts"
    shutil.copytree(published_demo["extracts"], bad)
    moved = sorted((bad / "kommune").glob("anbringelser_*.csv"))[-1]
    moved.rename(bad / "publicerede" / moved.name)
    for path in (bad / "publicerede").glob("lbf_tryghedsmaaling_*.csv"):
        path.unlink()
    shutil.rmtree(bad / "boligorganisationer")
    before = {**_digest(warehouse), **_digest(exports)}
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    done = subprocess.run([str(Path(sys.executable).with_name("boligmonitor")), "run", "--extracts", str(bad),
                           "--warehouse", str(warehouse), "--exports", str(exports)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    out = done.stdout
    assert out.count("REFRESH STOPPED before anything was written") == 1, out
    assert f"{moved.name}: file in the wrong folder: belongs in kommune/" in out
    assert "no files for source lbf_tryghedsmaaling" in out
    assert "folder boligorganisationer/ is missing" in out
    assert f"{moved.name} was delivered before and is missing now" in out  # from raw._deliveries
    assert "parsing the dbt project" not in out  # stopped before anything else ran
    assert {**_digest(warehouse), **_digest(exports)} == before


def test_a_scheduled_run_stops_at_the_manifest_before_any_raw_asset(tmp_path):
    """The scheduled job materialises every asset: each raw asset waits for raw/delivery_manifest,
    and that fails on a missing extract folder without creating or touching the warehouse."""
    import dagster as dg

    from orchestration.assets.raw import MANIFEST_KEY, delivery_manifest, raw_asset_key
    from orchestration.definitions import defs
    from orchestration.resources import Warehouse

    graph = defs.resolve_asset_graph()
    assert all(MANIFEST_KEY in graph.get(raw_asset_key(s)).parent_keys for s in SOURCES)
    assert MANIFEST_KEY in defs.resolve_job_def("yearly_refresh").asset_layer.selected_asset_keys
    warehouse = tmp_path / "warehouse.duckdb"
    result = dg.materialize([delivery_manifest], raise_on_error=False, resources={
        "warehouse": Warehouse(path=str(warehouse), extract_dir=str(tmp_path / "no-such-folder"))})
    assert not result.success
    assert not warehouse.exists()


def test_the_manifest_asset_reads_the_previous_delivery_from_the_warehouse(delivery, tmp_path):
    import dagster as dg

    from orchestration.assets.raw import delivery_manifest
    from orchestration.resources import Warehouse

    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw._deliveries (source VARCHAR, extract_year INTEGER)")
    con.execute("INSERT INTO raw._deliveries VALUES ('anbringelser', 2022), ('anbringelser', 2023)")
    con.close()
    resources = {"warehouse": Warehouse(path=str(warehouse), extract_dir=str(delivery))}
    assert dg.materialize([delivery_manifest], resources=resources).success
    (delivery / "kommune" / "anbringelser_2023.csv").unlink()
    assert not dg.materialize([delivery_manifest], resources=resources, raise_on_error=False).success
