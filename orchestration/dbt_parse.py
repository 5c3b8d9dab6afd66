"""dbt's parse, which writes the manifest the Dagster definitions load (orchestration/dbt_project.py):
a module of its own that imports neither Dagster nor dbt, so that the command line stays quick."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR, Settings, dbt_executable, resolve_settings

# what a parse leaves in dbt's target folder for later commands: the manifest the Dagster
# definitions load, and the state a build's parse starts from (dagster-dbt copies it)
PARSE_ARTIFACTS = ("partial_parse.msgpack", "manifest.json")


def dbt_parse_args(settings: Settings, target: Path) -> list[str]:
    return ["parse", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target),
            "--vars", settings.dbt_vars()]


def prepare_dbt(settings: Settings | None = None) -> None:
    """Write dbt's manifest.json, which the Dagster definitions load at import. Parsed with the
    run's vars (those its dbt build passes: orchestration/assets/dbt.py), so the build can parse
    only what changed instead of the whole project again (dbt re-parses when the vars differ).
    Without settings: those the environment and the defaults give.

    dbt writes its files in place; the parse runs in a folder of its own and its files replace
    the target's by rename, so that another refresh (another warehouse), `boligmonitor prepare` or
    the UI loading the manifest meanwhile reads the old file or the new one, never half of one."""
    settings = settings or resolve_settings()
    target = DBT_PROJECT_DIR / "target"
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".parse-", dir=target) as folder:
        own = Path(folder)
        if (target / PARSE_ARTIFACTS[0]).exists():  # start from the last parse: only what changed
            shutil.copyfile(target / PARSE_ARTIFACTS[0], own / PARSE_ARTIFACTS[0])
        subprocess.run([str(dbt_executable()), *dbt_parse_args(settings, own)], cwd=DBT_PROJECT_DIR,
                       env={**os.environ, **settings.dbt_env()}, check=True)
        for name in PARSE_ARTIFACTS:  # the manifest last: a reader that sees it sees its state too
            os.replace(own / name, target / name)
