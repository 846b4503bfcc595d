"""segkit.report.narrative: what the Value section says about candidates that failed to score."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from segkit.value.stage import ValueResult


def _run(reliable: bool, failed: dict) -> SimpleNamespace:
    validation = {"model": "Pareto/NBD", "calibration_end": "2024-05-01", "holdout_days": 120, "customers": 900,
                  "mae": 0.5, "baseline_mae": 0.7, "reliable": reliable, "failed": failed, "p_alive_model": "Pareto/NBD",
                  "reason": "Pareto/NBD: r = 2e+03 is beyond 1,000" if not reliable else "passed"}
    return SimpleNamespace(value_result=ValueResult(validation))


@pytest.mark.parametrize("reliable", [True, False], ids=["reliable-verdict", "unreliable-verdict"])
def test_a_candidate_that_failed_to_score_is_named_once(reliable):
    from segkit.report.narrative import value_text

    why = "its holdout predictions are not numbers for 900 of 900 customers (at r 8e+04)"
    run = _run(reliable, {"BG/NBD": why})
    if not reliable:  # the verdict's reason names it (segkit.value.stage.failed_text)
        run.value_result.validation["reason"] += f"; not scored on the holdout (left out of the comparison): BG/NBD, as {why}"
    text = value_text(run)
    assert text.count(why) == 1 and "BG/NBD" in text
    assert ("**BG/NBD could not be scored**" in text) == reliable


def test_no_failure_no_word_about_it():
    from segkit.report.narrative import value_text

    assert "could not be scored" not in value_text(_run(True, {}))
