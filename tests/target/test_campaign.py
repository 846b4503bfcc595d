"""Tests for segkit.target.campaign: targeting tables and target lists; what the split into modules
must keep (warnings at the caller's line, the order of the checks); responses written as words."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from segkit.exceptions import ConfigError, DataError, SegkitWarning
from segkit.pipeline import Analysis
from segkit.target.campaign import targeting_table
from tests.shapes import crm_export, two_segments


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


def test_responses_written_yes_no_y_n_true_false_with_gaps():
    labels = two_segments(40)
    answers = ["Yes", " no", None, "", "Y", "n", "TRUE", "false"] * 5
    with pytest.warns(SegkitWarning, match="10 customers without a response are left out"):
        t = targeting_table(labels, pd.Series(answers, index=labels.index, name="Responded"),
                            cost_per_contact=3, revenue_per_response=11, min_cell_size=2)
    # segment 0 holds answers 0-19: twice the 8 (3 yes, 3 no, 2 blank), then Yes, no and two blanks
    assert t["size"].tolist() == [14, 16] and t["responders"].tolist() == [7, 8]
    assert t["response_rate"].tolist() == [0.5, 0.5]
    assert t["expected_profit_per_contact"].tolist() == [0.5 * 11 - 3] * 2
    assert t.attrs["without_response"] == 10


def test_a_campaign_column_without_any_answer_names_the_file_and_column(tmp_path):
    table = crm_export(20).assign(Responded=np.nan)
    table.to_csv(tmp_path / "spring.csv", index=False)
    run = Analysis({"data": {"customers": str(tmp_path / "spring.csv")}, "campaign": {"response": "Responded"},
                    "segmentation": {"n_segments": 3, "n_bootstrap": 0}}, verbose=False)
    with pytest.raises(DataError, match=r"spring\.csv: column 'Responded' has no response for any of the 60"):
        run.target()
