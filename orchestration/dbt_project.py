"""The dbt project, in a module of its own so that importing it never runs dbt.

The manifest is prepared by the set-up/run command (``dbt parse``) or by ``dagster dev``
(``prepare_if_dev``), never at import time of a production code location."""

import shutil
from pathlib import Path

from dagster._record import replace
from dagster._utils import run_with_concurrent_update_guard
from dagster_dbt import DagsterDbtProjectPreparer, DbtProject

from orchestration.dbt_parse import prepare_dbt
from orchestration.settings import DBT_PROJECT_DIR


class VenvDbtPreparer(DagsterDbtProjectPreparer):
    """`dagster dev`'s parse (prepare_if_dev) done as `boligmonitor prepare` does it: with the dbt
    beside this Python, since the stock preparer looks `dbt` up on PATH and `make ui` runs
    .venv/bin/dagster without .venv/bin on PATH; and with the --vars of the settings as the
    environment gives them, as `boligmonitor prepare` parses. The project has no dbt packages,
    so no `dbt deps`."""

    def prepare(self, project: DbtProject) -> None:
        # as the stock preparer: one parse at a time (each run process of `dagster dev` loads the
        # definitions, so parses again); a waiter whose manifest got rewritten meanwhile skips
        run_with_concurrent_update_guard(project.manifest_path, self._parse, project=project)

    def _parse(self, project: DbtProject) -> None:
        prepare_dbt()  # the environment as it is: a run's build parses again only what differs


# DbtProject takes no preparer argument (only the parse's CLI args); its `preparer` field is what
# prepare_if_dev and `dagster-dbt project prepare-and-package` call.
dbt_project = replace(DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR),
                      preparer=VenvDbtPreparer())
dbt_project.prepare_if_dev()


# dagster-dbt gives every dbt invocation of an asset step its own target folder (compiled SQL,
# run_results.json, dbt.log: some 27 MB for a build) and never removes one
BUILD_TARGET_GLOB = "warehouse_dbt_assets-*"
KEPT_BUILD_TARGETS = 5


def prune_build_targets(target: Path | None = None, keep: int = KEPT_BUILD_TARGETS) -> list[Path]:
    """Remove all but the newest ``keep`` build target folders (the newest stay for looking into a
    recent run), so that yearly refreshes, backfills and the UI's runs do not fill the disk.
    Returns the removed folders."""
    target = target or dbt_project.project_dir / dbt_project.target_path
    folders = []
    for folder in target.glob(BUILD_TARGET_GLOB):
        try:
            folders.append((folder.stat().st_mtime, folder))
        except FileNotFoundError:  # a concurrent run pruned it meanwhile
            continue
    removed = [folder for _, folder in sorted(folders, reverse=True)[keep:] if folder.is_dir()]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)  # a concurrent run may prune the same folder
    return removed


def code_fingerprint() -> str:
    """A hash of the dbt project's files (models, macros, seeds, project file), passed to dbt in
    the environment (Settings.dbt_env): the incremental models recompute every year when it changes
    (dbt_project/macros/incremental_years.sql), e.g. after a new release or a changed seed."""
    import hashlib

    digest = hashlib.sha256()
    files = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds"):
        files += sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
