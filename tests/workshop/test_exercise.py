"""Tests for segkit.workshop.exercise: an exercise built by hand, checked without the registry."""

from __future__ import annotations

import pytest

from segkit.exceptions import ConfigError
from segkit.workshop.exercise import CORRECT, INCORRECT, NOT_ANSWERED, Exercise, Mistake

MEAN = Exercise(
    "00.mean", "What is the mean spend?", ("spend",), lambda spend: sum(spend) / len(spend), rtol=1e-3,
    mistakes=(Mistake(lambda spend: sum(spend), "That is the total; divide by the customers."),
              Mistake(lambda spend: sum(spend) / len(spend), "Never shown: it is the right answer.")),
)
SPEND = [10.0, 20.0, 60.0]


@pytest.mark.parametrize(("answer", "status", "message"), [
    (30.0, CORRECT, "correct"),
    (30.01, CORRECT, "correct"),
    (..., NOT_ANSWERED, "not answered yet"),
    (90.0, INCORRECT, "not quite. That is the total; divide by the customers."),
    (3000, INCORRECT, "not quite. Too high."),
    (30.5, INCORRECT, "not quite. Close, but outside the tolerance (relative 0.001, absolute 0); check your rounding."),
    ("thirty", INCORRECT, "not quite. Expected a number, but got str 'thirty'."),
], ids=["exact", "within-tolerance", "unanswered", "known-mistake", "too-high", "close", "text"])
def test_an_answer_gets_its_verdict(answer, status, message):
    result = MEAN.check(answer, spend=SPEND)
    assert (result.status, result.message) == (status, message)
    assert result.correct is (status == CORRECT) and result.answered is (status != NOT_ANSWERED)


def test_a_mistake_equal_to_the_right_answer_is_never_its_hint():
    assert MEAN.check(0.0, spend=SPEND).message == "not quite. Too low."


@pytest.mark.parametrize(("data", "message"), [
    ({}, r"exercise '00.mean' misses \['spend'\]; expected check\('00.mean', answer, spend=...\)"),
    ({"spend": SPEND, "other": 1}, r"exercise '00.mean' got unexpected \['other'\]"),
], ids=["missing", "unexpected"])
def test_the_notebook_passing_the_wrong_inputs_is_a_config_error(data, message):
    with pytest.raises(ConfigError, match=message):
        MEAN.check(30.0, **data)


def test_labels_compare_as_sets_of_normalised_labels():
    ex = Exercise("00.ids", "Which?", ("ids",), lambda ids: ids, kind="labels")
    assert ex.check(["2", 1.0], ids=[1, 2]).correct
    message = ex.check([1, 3], ids=[1, 2]).message
    assert message == "not quite. Your list has 1 missing and 1 that should not be there (3)."
