"""Tests for segkit.target.campaign and segkit.target.economics: what the split into modules
must keep (warnings at the caller's line, the order of the checks)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

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


def test_target_lists_exports_chosen_segments_whatever_their_action():
    import warnings

    from segkit.exceptions import SegkitWarning
    from segkit.target import target_lists

    labels = pd.Series([0, 0, 1, 2], index=pd.Index(list("abcd"), name="customer_id"), name="segment")
    targeting = pd.DataFrame({"segment": [0, 1, 2], "name": ["A", "B", "C"], "action": ["do not contact"] * 3})
    assert target_lists(labels, targeting, segments=[2])["customer_id"].tolist() == ["d"]
    assert target_lists(labels, targeting, segments=1, actions="do not contact")["customer_id"].tolist() == ["c"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        empty = target_lists(labels, targeting)
    assert empty.empty and "no segment has the action 'target'" in str(caught[0].message)
    assert issubclass(caught[0].category, SegkitWarning) and caught[0].filename == __file__
    with pytest.raises(ConfigError, match=r"`segments` must be among .*\[0, 1, 2\], but \[7\]"):
        target_lists(labels, targeting, segments=[7])
