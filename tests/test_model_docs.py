"""Every dbt model is described in the YAML beside it (issue 15): what a row is and why the model
exists. dbt's manifest says which models have a YAML entry (patch_path) and a description.

Unlike tests/test_metadata.py (every column of the published schemas, on a built warehouse),
this covers every model in every folder and needs only the parse the session starts with."""

from __future__ import annotations

import json

from orchestration.settings import DBT_PROJECT_DIR


def undescribed_models(manifest: dict) -> list[str]:
    """The models (by file) with no YAML entry or an empty description."""
    gaps = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        if not node.get("patch_path"):
            gaps.append(f"{node['original_file_path']}: no YAML entry")
        elif not node["description"].strip():
            gaps.append(f"{node['original_file_path']}: an empty description")
    return sorted(gaps)


def test_every_model_has_a_yaml_description():
    # written by `dbt parse` when the session starts (tests/conftest.py, pytest_sessionstart)
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    assert sum(n["resource_type"] == "model" for n in manifest["nodes"].values()) > 50
    gaps = undescribed_models(manifest)
    assert not gaps, "describe each in the YAML beside it:\n" + "\n".join(gaps)


def test_the_check_names_models_without_yaml_or_description():
    def node(path, patch, description, resource_type="model"):
        return {"resource_type": resource_type, "original_file_path": path, "patch_path": patch,
                "description": description}

    manifest = {"nodes": {
        "a": node("models/marts/mart_a.sql", "boligmonitor://models/marts/_marts.yml", "One row per area."),
        "b": node("models/marts/mart_b.sql", None, ""),
        "c": node("models/marts/mart_c.sql", "boligmonitor://models/marts/_marts.yml", "  "),
        "e": node("tests/generic/x.sql", None, "", resource_type="test"),
    }}
    assert undescribed_models(manifest) == [
        "models/marts/mart_b.sql: no YAML entry",
        "models/marts/mart_c.sql: an empty description",
    ]
