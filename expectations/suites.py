"""Run the Great Expectations suite of an export relation against its rows.

Suites live beside this module as ``<relation>.json``; every relation in the warehouse's
publication schema must have one (tests/test_expectations.py checks it), so nothing is
published unchecked."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SUITE_DIR = Path(__file__).parent


@dataclass(frozen=True)
class SuiteOutcome:
    relation: str
    success: bool
    failures: list[dict]


def suite_path(relation: str) -> Path:
    return SUITE_DIR / f"{relation}.json"


def validate_frame(relation: str, frame: pd.DataFrame) -> SuiteOutcome:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    spec = json.loads(suite_path(relation).read_text(encoding="utf-8"))
    # the suite's meta names the columns that identify a row, so a failure says which rows
    row_key = [c for c in spec.get("meta", {}).get("row_key", []) if c in frame.columns]
    suite = gx.ExpectationSuite(**spec)
    batch = (
        context.data_sources.add_pandas(f"publication_{relation}")
        .add_dataframe_asset(relation)
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": row_key} if row_key else "SUMMARY"
    result = batch.validate(suite, result_format=result_format)
    failures = [
        {
            "expectation": r.expectation_config.type,
            "kwargs": {k: v for k, v in r.expectation_config.kwargs.items() if k != "batch_id"},
            "unexpected": [str(v) for v in (r.result or {}).get("partial_unexpected_list", [])[:10]],
            "rows": [{k: str(v) for k, v in row.items()} for row in ((r.result or {}).get("unexpected_index_list") or [])[:20]
                     if isinstance(row, dict)],
        }
        for r in result.results
        if not r.success
    ]
    return SuiteOutcome(relation, bool(result.success), failures)
