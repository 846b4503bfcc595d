"""segkit.profile.outcomes: each outcome per segment, a share per level with its interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segkit.profile.outcomes import OUTCOME_COLUMNS, outcome_rates
from segkit.target import wilson_interval


@pytest.fixture
def labels():
    return pd.Series([0] * 60 + [1] * 40 + [2] * 6, index=[f"c{i}" for i in range(106)], name="segment")


def test_a_yes_no_outcome_is_the_share_of_yes_with_its_interval(labels):
    churn = pd.Series(["yes"] * 30 + ["no"] * 30 + ["Yes"] * 4 + ["no"] * 36 + ["yes"] * 6, index=labels.index)
    rates = outcome_rates(labels, churn.rename("Churn").to_frame())
    assert list(rates.columns) == OUTCOME_COLUMNS
    first = rates.iloc[0]
    assert (first["level"], first["count"], first["customers"], first["share"]) == ("yes", 30, 60, 0.5)
    assert (first["low"], first["high"]) == pytest.approx(wilson_interval(30, 60))
    assert rates["overall_share"].iloc[0] == pytest.approx(40 / 106)
    small = rates[rates["segment"] == 2].iloc[0]  # 6 customers: fewer than 10, as in the targeting table
    assert small["suppressed"] and np.isnan(small["share"])


def test_an_outcome_with_levels_has_a_share_per_level_in_its_order(labels):
    tiers = pd.Categorical(["C", "A", "B", "A"] * 26 + ["A", "B"], categories=["C", "B", "A"], ordered=True)
    rates = outcome_rates(labels, pd.DataFrame({"label": tiers}, index=labels.index), kinds={"label": "ordinal"})
    assert list(dict.fromkeys(rates["level"])) == ["C", "B", "A"]
    shares = rates[~rates["suppressed"]].groupby("segment")["share"].sum()
    assert np.allclose(shares, 1.0)


def test_unknown_outcomes_are_left_out_of_the_shares(labels):
    default = pd.Series([1.0, 0.0, None] * 35 + [1.0], index=labels.index, name="default")
    rates = outcome_rates(labels, default.to_frame(), kinds={"default": "flag"})
    assert rates.iloc[0]["customers"] == 40  # 60 customers, 20 of them without a known outcome
