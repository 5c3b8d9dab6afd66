"""The dbt project, in a module of its own so that importing it never runs dbt.

The manifest is prepared by the set-up/run command (``dbt parse``) or by ``dagster dev``
(``prepare_if_dev``), never at import time of a production code location."""

import json

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

# dbt_project/macros/incremental_years.sql reads it
ENV_CODE_FINGERPRINT = "BOLIGMONITOR_CODE_FINGERPRINT"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


def dbt_vars(report_year: int) -> str:
    """The --vars of a refresh's dbt build; `boligmonitor prepare` parses with the same, so the
    build reuses the parse (dbt parses the whole project again when the vars differ)."""
    return json.dumps({"report_year": report_year})


def code_fingerprint() -> str:
    """A hash of the dbt project's files (models, macros, seeds, project file), passed to dbt in
    the environment (ENV_CODE_FINGERPRINT): the incremental models recompute every year when it changes
    (dbt_project/macros/incremental_years.sql), e.g. after a new release or a changed seed."""
    import hashlib

    digest = hashlib.sha256()
    files = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in ("models", "macros", "seeds"):
        files += sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
