"""segkit.workshop.check: check() on answers of the wrong type, open exercises and unknown ids; the
exercises table."""

from __future__ import annotations

import pandas as pd
import pytest

from segkit import workshop
from segkit.exceptions import ConfigError


@pytest.mark.parametrize(("answer", "message"), [
    (pd.DataFrame({"a": [1, 2]}), "Expected a single value, but got a DataFrame"),
    (pd.Series([7]), "holding one; take the value itself"),
    ("many", "Expected a number, but got str 'many'"),
    (True, "Expected a number, but got bool"),
    (12.5, "Expected a whole number"),
    (float("nan"), "finite"),
], ids=["frame", "series-of-one", "text", "bool", "fraction", "nan"])
def test_answers_of_the_wrong_type_are_explained_not_raised(answer, message):
    result = workshop.check("06.sample_size", answer)
    assert result.status == "incorrect" and message in result.message


@pytest.mark.parametrize("answer", [..., None], ids=["ellipsis", "none"])
def test_unanswered(answer):
    result = workshop.check("06.sample_size", answer)
    assert result.status == "not answered" and not result.answered and not result.correct
    assert repr(result) == "06.sample_size: not answered yet"
    assert "not answered yet" in result._repr_html_()


def test_unanswered_does_not_need_the_expected_answer():
    """An open exercise reports at once, even on inputs that would make the expected answer fail."""
    assert workshop.check("07.one_time_share", ..., features=pd.DataFrame()).status == "not answered"


def test_html_says_what_repr_says():
    html = workshop.check("06.sample_size", 1).__class__("x<y", "incorrect", "not quite. a & b")._repr_html_()
    assert "x&lt;y" in html and "a &amp; b" in html and "#c62828" in html


def test_unknown_exercise_is_a_clear_error():
    with pytest.raises(ConfigError, match=r"unknown exercise '2.rules'; did you mean '02.rules'\?"):
        workshop.check("2.rules", 3)


def test_exercises_table():
    table = workshop.exercises()
    assert table.index.is_unique and len(table) == len(workshop.EXERCISES)
    assert set(table["kind"]) <= {"number", "count", "label", "labels"}
    assert workshop.exercises("07").index.tolist() == ["07.duplicates", "07.one_time_share", "07.top_decile_share"]
