"""segkit.report.contract: summary.json's value section with a candidate that failed to score."""

from __future__ import annotations

import json

from segkit.report.contract import value_summary
from tests.report.test_sections import _failed_candidate_run


def test_a_failed_candidate_reaches_summary_json_with_its_status_and_reason_and_no_nan():
    rows = value_summary(_failed_candidate_run())["holdout"]
    assert rows[0]["status"] == "scored" and rows[0]["mae"] == 0.5
    assert rows[1] == {"model": "BG/NBD", "mae": None, "predicted": None, "actual": 100.0, "status": "failed",
                       "reason": "its holdout predictions are not numbers"}
    json.dumps(rows, allow_nan=False)  # no NaN reaches summary.json
