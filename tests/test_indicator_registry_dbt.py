"""Adding an indicator is one registry row plus at most one small model, and a misspelled id in
a model fails the build: proven on a copy of the dbt project and of the session's warehouse,
with two dbt invocations over the indicator chain only (seed -> catalogue -> values -> mart)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration import indicator_registry as registry

DBT_PROJECT_DIR = registry.REPO_ROOT / "dbt_project"
CHAIN = ["indicators_hp2025", "int_catalogue__indicators", "int_indicator__test_65_plus",
         "int_indicator__computed_values", "int_indicator__published_values", "int_indicator__values",
         "int_indicator__rows", "mart_area_indicator"]
MODEL = """-- a test indicator: residents aged 65 or more on 1 January
select '{indicator_id}' as indicator_id, person_key, cast(year as varchar) as period,
       make_date(year, 1, 1) as period_start, make_date(year, 1, 1) as period_end, year as membership_year,
       1.0 as weight, case when date_diff('year', birth_date, stock_date) >= 65 then 1.0 else 0.0 end as value
from {{{{ ref('int_person__residence_year') }}}}
"""


def _dbt(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOLIGMONITOR_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(project / "target"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run([str(Path(sys.executable).with_name("dbt")), *args, "--profiles-dir", str(project)],
                          cwd=project, env=env, capture_output=True, text=True)


def test_a_new_indicator_is_a_registry_row_and_one_model_and_a_misspelled_id_fails(built_warehouse, tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", ".user.yml"))
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(built_warehouse, warehouse)
    catalogue = project / "seeds" / "indicators_hp2025.csv"
    header = catalogue.read_text(encoding="utf-8").splitlines()[0].split(",")

    def row(**values):
        return ",".join(values.get(column, "") for column in header) + "\n"

    common = dict(plan_code="HP2025", level="omraadeprofil", period_kind="stock_1jan", unit="pct", decimals="1",
                  direction="none", target_kind="none", source_document="test", source_line="1")
    with open(catalogue, "a", encoding="utf-8") as handle:
        # published: the row is all it takes
        handle.write(row(indicator_id="HP2025_TEST_ANDEL_0_17_DST", name_da="Andel 0-17-årige (DST)",
                         source="dst_boligomraader", source_kind="published", source_numerator="BEF_0_17",
                         source_denominator="BEFOLKNING", **common))
        # computed: the row names its one model
        handle.write(row(indicator_id="HP2025_TEST_ANDEL_65_PLUS", name_da="Andel 65+ år", source="cpr_befolkning",
                         source_kind="computed", computed_by="int_indicator__test_65_plus", **common))
    model = project / "models" / "intermediate" / "indicators" / "person" / "int_indicator__test_65_plus.sql"
    model.write_text(MODEL.format(indicator_id="HP2025_TEST_ANDEL_65_PLUS"), encoding="utf-8")
    (tmp_path / "docs").mkdir()
    assert registry.main(["--project", str(project), "--docs-root", str(tmp_path)]) == 0
    assert "HP2025_TEST_ANDEL_65_PLUS" in (tmp_path / "docs" / "indicators.md").read_text(encoding="utf-8")

    # the seed and the models only: the chain's own tests are the rest of the suite's business
    built = _dbt(project, warehouse, "build", "--select", *CHAIN, "--resource-type", "seed", "--resource-type", "model")
    assert built.returncode == 0, built.stdout[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        with_value = {(i, g) for i, g in con.execute(
            "SELECT DISTINCT indicator_id, geography_code FROM marts.mart_area_indicator "
            "WHERE indicator_id LIKE 'HP2025_TEST_%' AND value IS NOT NULL").fetchall()}
        plan_geographies = {g for (g,) in con.execute(
            "SELECT area_code FROM reference.plan_areas WHERE plan_code = 'HP2025' UNION SELECT 'HP2025_ALL' "
            "UNION SELECT 'RANDERS'").fetchall()}
        published = {g for (g,) in con.execute(
            "SELECT geography_code FROM intermediate.int_published__cells WHERE source = 'dst_boligomraader' "
            "AND measure = 'BEF_0_17' AND value IS NOT NULL AND geography_code IN "
            "(SELECT area_code FROM reference.plan_areas WHERE plan_code = 'HP2025')").fetchall()}
    finally:
        con.close()
    # the computed one in every plan area, all areas together and the municipality; the
    # published one wherever DST publishes the numerator for a plan area
    assert plan_geographies and {g for i, g in with_value if i == "HP2025_TEST_ANDEL_65_PLUS"} >= plan_geographies
    assert published and {g for i, g in with_value if i == "HP2025_TEST_ANDEL_0_17_DST"} >= published

    # a misspelled id in the model: a failing test, not a silently dropped indicator
    model.write_text(MODEL.format(indicator_id="HP2025_TEST_ANDEL_65_PLSU"), encoding="utf-8")
    misspelled = _dbt(project, warehouse, "build", "--select", "int_indicator__test_65_plus",
                      "int_indicator__computed_values", "--exclude", "test_type:unit")
    assert misspelled.returncode != 0
    assert "FAIL 1 is_registered_indicator_int_indicator__computed_values" in misspelled.stdout, misspelled.stdout[-3000:]
