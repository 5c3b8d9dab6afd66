"""The dbt project, in a module of its own so that importing it never runs dbt.

The manifest is prepared by the set-up/run command (``dbt parse``) or by ``dagster dev``
(``prepare_if_dev``), never at import time of a production code location."""

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
