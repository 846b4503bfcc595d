"""Tests for segkit.target.campaign and segkit.target.economics: what the split into modules
must keep (warnings at the caller's line, the order of the checks)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segkit.exceptions import ConfigError, DataError, SegkitWarning
from segkit.target.campaign import targeting_table
from segkit.target.economics import amount


def _warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call()
    return result, [w for w in caught if issubclass(w.category, SegkitWarning)]


def test_targeting_warnings_point_at_the_line_that_asked_for_the_table():
    labels = pd.Series([0] * 20 + [1] * 20, index=[f"c{i}" for i in range(40)], name="segment")
    response = pd.Series([1, 0, None, 1] * 9, index=[f"c{i}" for i in range(36)], dtype="Float64")
    table, caught = _warnings_of(lambda: targeting_table(labels, response, cost_per_contact=1,
                                                         revenue_per_response=5, min_cell_size=1))
    messages = [str(w.message) for w in caught]
    assert messages == ["4 labelled customers have no response and are left out of the response rates",
                        "9 customers without a response are left out of the response rates"]
    assert {w.filename for w in caught} == {__file__}
    assert table.attrs["without_response"] == 9
    assert table["customers"].tolist() == [20, 20]  # the whole segments, not only those who answered


def test_economics_are_checked_before_the_responses():
    with pytest.raises(ConfigError, match="targeting_table needs cost_per_contact and revenue_per_response"):
        targeting_table("not a series", "nor this", cost_per_contact=None, revenue_per_response=5)
    with pytest.raises(DataError, match="labels and response must be pandas Series"):
        targeting_table([0, 1], [1, 0], cost_per_contact=1, revenue_per_response=5)


@pytest.mark.parametrize(("value", "expected"), [(3, 3.0), ("3", 3.0), ("€3", 3.0), ("2,50 €", 2.5)],
                         ids=["int", "text", "euro-prefix", "euro-suffix-comma"])
def test_amount_reads_money_written_as_text(value, expected):
    assert amount(value, "cost") == expected


@pytest.mark.parametrize("value", [True, float("inf"), "three", None], ids=["bool", "inf", "word", "none"])
def test_amount_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(ConfigError, match="cost must be a"):
        amount(value, "cost")


# ---------------------------------------------------------------- small cells: responders too

@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=6),
       st.integers(0, 15))
def test_no_responder_or_non_responder_count_under_min_cell_size_is_shown(cells, min_cell_size):
    """Segments of any size with any number of responders: a row that shows its response
    figures counts at least min_cell_size responders and non-responders (or none of one)."""
    labels, response = [], []
    for segment, (yes, no) in enumerate(cells):
        labels += [segment] * (yes + no)
        response += [1] * yes + [0] * no
    if not labels:
        return
    index = pd.Index([f"c{i}" for i in range(len(labels))], name="customer_id")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = targeting_table(pd.Series(labels, index=index, name="segment"), pd.Series(response, index=index),
                                cost_per_contact=3, revenue_per_response=11, min_cell_size=min_cell_size)
    shown = table[table["responders"].notna()]
    for count in (shown["responders"], shown["size"] - shown["responders"]):
        assert not count.between(1, min_cell_size - 1).any()
    hidden = table[table["suppressed"]]
    assert hidden[["responders", "response_rate", "rate_low", "rate_high"]].isna().all().all()
    assert (hidden["suppressed_reason"].str.len() > 0).all()
    assert (table.loc[~table["suppressed"], "suppressed_reason"] == "").all()


def test_a_large_segment_with_few_responders_keeps_its_size_and_action():
    labels = pd.Series([0] * 400 + [1] * 100, name="segment")
    response = pd.Series([1] * 3 + [0] * 397 + [1] * 40 + [0] * 60)
    table = targeting_table(labels, response, cost_per_contact=3, revenue_per_response=11, min_cell_size=10)
    few = table.iloc[0]
    assert few["size"] == 400 and few["customers"] == 400 and few["action"] == "do not contact"
    assert pd.isna(few["responders"]) and few["suppressed_reason"] == "fewer than 10 responders"
    assert table.iloc[1]["responders"] == 40 and not table.iloc[1]["suppressed"]
