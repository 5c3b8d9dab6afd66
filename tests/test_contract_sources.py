"""dbt's source YAML is generated from the data contract: the committed files must be what
`python -m ingestion.contract_sources` writes, so a description or column changed in
ingestion/contract/ cannot leave the sources behind."""

from __future__ import annotations

from dataclasses import replace

import yaml

from ingestion import contract_sources
from ingestion.contract import SOURCES


def test_committed_sources_yaml_is_current():
    files = contract_sources.source_files()
    assert {p.parent.name for p in files} == {"kommune", "boligorganisationer", "publicerede"}
    stale = [p.name for p, text in files.items() if p.read_text(encoding="utf-8") != text]
    assert not stale, f"{stale} differ; regenerate with: python -m ingestion.contract_sources"


def test_every_contract_column_is_a_source_column_with_its_description():
    by_table = {}
    for text in contract_sources.source_files().values():
        for dbt_source in yaml.safe_load(text)["sources"]:
            for table in dbt_source["tables"]:
                by_table[table["name"]] = (dbt_source["name"], table)
    assert set(by_table) == {s.name for s in SOURCES}
    for src in SOURCES:
        folder, table = by_table[src.name]
        assert folder == src.folder
        assert [(c["name"], c["description"]) for c in table["columns"]] == \
            [(c.name, c.description) for c in src.columns]


def test_a_changed_contract_description_is_reported(monkeypatch, capsys):
    edited = tuple(replace(s, columns=(replace(s.columns[0], description="Changed by the test"),) + s.columns[1:])
                   if s.name == "dagtilbud" else s for s in SOURCES)
    monkeypatch.setattr(contract_sources, "SOURCES", edited)
    assert contract_sources.main(["--check"]) == 1
    reported = capsys.readouterr().out
    assert "_kommune__sources.yml differs" in reported
    assert "_publicerede__sources.yml" not in reported


def test_spell_and_published_sources_have_no_rebuild_years():
    # macros/incremental_years.sql recomputes every year for a source without the meta
    years = {s.name: contract_sources.rebuild_years_back(s) for s in SOURCES}
    assert years["cpr_befolkning"] == 1 and years["randersbolig_klager"] == 1
    assert years["dagtilbud"] is None and years["anbringelser"] is None
    assert years["dst_boligomraader"] is None
