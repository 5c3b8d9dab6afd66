"""dbt's per-build target folders (compiled SQL, run_results.json, dbt.log) do not pile up: every
refresh, backfill or UI run leaves one of some 27 MB in dbt_project/target, and a refresh keeps
only the newest few (orchestration/dbt_project.py prune_build_targets)."""

import json
import os

import pytest

from orchestration.dbt_parse import prepare_dbt
from orchestration.dbt_project import BUILD_TARGET_GLOB, KEPT_BUILD_TARGETS, dbt_project, prune_build_targets
from orchestration.settings import DBT_PROJECT_DIR


def test_pruning_keeps_the_newest_build_folders_and_nothing_else(tmp_path):
    for age, name in enumerate(["warehouse_dbt_assets-aaaaaaa-1111111", "warehouse_dbt_assets-bbbbbbb-2222222",
                                "warehouse_dbt_assets-ccccccc-3333333", "warehouse_dbt_assets-ddddddd-4444444"]):
        folder = tmp_path / name
        (folder / "compiled").mkdir(parents=True)
        (folder / "run_results.json").write_text("{}")
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))  # the first is the newest
    (tmp_path / "manifest.json").write_text("{}")  # the project's own parse stays
    (tmp_path / "partial_parse.msgpack").write_bytes(b"")

    removed = prune_build_targets(tmp_path, keep=2)

    assert sorted(p.name for p in removed) == ["warehouse_dbt_assets-ccccccc-3333333",
                                               "warehouse_dbt_assets-ddddddd-4444444"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "manifest.json", "partial_parse.msgpack", "warehouse_dbt_assets-aaaaaaa-1111111",
        "warehouse_dbt_assets-bbbbbbb-2222222"]


def test_a_refresh_leaves_at_most_the_kept_build_folders(published_demo):
    target = dbt_project.project_dir / dbt_project.target_path
    folders = list(target.glob(BUILD_TARGET_GLOB))
    assert 1 <= len(folders) <= KEPT_BUILD_TARGETS, sorted(p.name for p in folders)
    newest = max(folders, key=lambda p: p.stat().st_mtime)
    assert (newest / "run_results.json").exists()  # the last build's results stay to look into


@pytest.mark.integration
def test_a_parse_replaces_the_manifest_whole_while_a_reader_has_it_open():
    """Two refreshes of different warehouses, or the UI and a refresh, parse the same project:
    the manifest is swapped in by rename, so a reader that opened the old one reads it whole
    (dbt alone rewrites the file in place, and a reader meanwhile got half of it)."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    prepare_dbt()
    with manifest.open("rb") as reader:
        before = os.fstat(reader.fileno())
        prepare_dbt()
        assert os.stat(manifest).st_ino != before.st_ino  # a new file took the name
        assert json.loads(reader.read())["metadata"]["project_name"] == "boligmonitor"  # the old one, whole
    assert not list(manifest.parent.glob(".parse-*"))  # the parse's own folder is gone
